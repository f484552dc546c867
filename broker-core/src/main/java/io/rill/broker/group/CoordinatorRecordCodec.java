package io.rill.broker.group;

import io.rill.broker.group.CoordinatorRecord.GroupMetadata;
import io.rill.broker.group.CoordinatorRecord.GroupTombstone;
import io.rill.broker.group.CoordinatorRecord.MemberRecord;
import io.rill.broker.group.CoordinatorRecord.OffsetCommit;
import io.rill.broker.group.CoordinatorRecord.OffsetTombstone;
import io.rill.broker.log.TopicPartition;
import io.rill.protocol.util.Checks;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values of {@code __consumer_offsets} records, in Kafka's own (non-flexible) formats so
 * that Kafka's tools can read our log. Every key and value opens with an int16 version.
 *
 * <pre>
 * OffsetCommitKey v1   => group STRING, topic STRING, partition INT32
 * OffsetCommitValue v3 => offset INT64, leader_epoch INT32, metadata STRING, commit_timestamp INT64
 * GroupMetadataKey v2  => group STRING
 * GroupMetadataValue v3 => protocol_type STRING, generation INT32, protocol NULLABLE_STRING,
 *                          leader NULLABLE_STRING, current_state_timestamp INT64,
 *                          members [member_id STRING, group_instance_id NULLABLE_STRING,
 *                          client_id STRING, client_host STRING, rebalance_timeout INT32,
 *                          session_timeout INT32, subscription BYTES, assignment BYTES]
 * tombstone            => the key with a null value
 * STRING = int16 length + UTF-8 (-1: null); BYTES and arrays = int32 length (count) + content
 * </pre>
 *
 * <p>Stateless; decoding checks versions and lengths and throws {@link IllegalStateException}
 * on a record this code did not write (the caller stops loading that partition loudly).
 */
final class CoordinatorRecordCodec {
  static final short OFFSET_KEY_VERSION = 1;
  static final short GROUP_KEY_VERSION = 2;
  static final short OFFSET_VALUE_VERSION = 3;
  static final short GROUP_VALUE_VERSION = 3;
  /** Members per group record: far more than any real group, bounds a corrupt count. */
  static final int MEMBERS_MAX = 100_000;

  private CoordinatorRecordCodec() {}

  static byte[] key(CoordinatorRecord record) {
    Out out = new Out();
    if (record instanceof OffsetCommit c) {
      offsetKey(out, c.groupId(), c.partition());
    } else if (record instanceof OffsetTombstone t) {
      offsetKey(out, t.groupId(), t.partition());
    } else {
      out.i16(GROUP_KEY_VERSION).str(record.groupId());
    }
    return out.toBytes();
  }

  private static void offsetKey(Out out, String group, TopicPartition tp) {
    out.i16(OFFSET_KEY_VERSION).str(group).str(tp.topic()).i32(tp.partition());
  }

    /** The value, or null for a tombstone. */
  static byte[] value(CoordinatorRecord record) {
    Out out = new Out();
    if (record instanceof OffsetCommit c) {
      out.i16(OFFSET_VALUE_VERSION).i64(c.offset().offset()).i32(c.offset().leaderEpoch())
          .str(c.offset().metadata()).i64(c.offset().commitTimestampMs());
    } else if (record instanceof GroupMetadata g) {
      out.i16(GROUP_VALUE_VERSION).str(g.protocolType()).i32(g.generationId())
          .str(g.protocolName()).str(g.leaderId()).i64(g.currentStateTimestampMs())
          .i32(g.members().size());
      for (MemberRecord m : g.members()) {
        out.str(m.memberId()).str(m.groupInstanceId()).str(m.clientId()).str(m.clientHost())
            .i32(m.rebalanceTimeoutMs()).i32(m.sessionTimeoutMs()).bytes(m.subscription())
            .bytes(m.assignment());
      }
    } else {
      return null;
    }
    return out.toBytes();
  }

  /** Decodes one record; {@code value} null means a tombstone. */
  static CoordinatorRecord decode(ByteBuffer key, ByteBuffer value) {
    short version = key.getShort();
    if (version == 0 || version == OFFSET_KEY_VERSION) {
      String group = str(key);
      TopicPartition tp = new TopicPartition(str(key), key.getInt());
      if (value == null) {
        return new OffsetTombstone(group, tp);
      }
      short v = value.getShort();
      Checks.state(v >= 1 && v <= OFFSET_VALUE_VERSION, "offset value version %s of %s %s", v,
          group, tp);
      long offset = value.getLong();
      int epoch = v >= 3 ? value.getInt() : OffsetAndMetadata.NO_LEADER_EPOCH;
      String metadata = str(value);
      long commitTs = value.getLong();
      return new OffsetCommit(group, tp, new OffsetAndMetadata(offset, epoch, metadata, commitTs));
    }
    Checks.state(version == GROUP_KEY_VERSION, "unknown __consumer_offsets key version %s",
        version);
    String group = str(key);
    if (value == null) {
      return new GroupTombstone(group);
    }
    short v = value.getShort();
    Checks.state(v == GROUP_VALUE_VERSION, "group value version %s of %s", v, group);
    String protocolType = str(value);
    int generation = value.getInt();
    String protocol = str(value);
    String leader = str(value);
    long stateTs = value.getLong();
    int count = value.getInt();
    Checks.state(count >= 0 && count <= MEMBERS_MAX, "member count %s of group %s", count, group);
    List<MemberRecord> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      members.add(new MemberRecord(str(value), str(value), str(value), str(value),
          value.getInt(), value.getInt(), bytes(value), bytes(value)));
    }
    return new GroupMetadata(group, protocolType, generation, protocol, leader, stateTs,
        members);
  }

  private static String str(ByteBuffer in) {
    short len = in.getShort();
    if (len < 0) {
      return null;
    }
    Checks.state(len <= in.remaining(), "string of %s bytes with %s left", len, in.remaining());
    byte[] b = new byte[len];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer in) {
    int len = in.getInt();
    if (len < 0) {
      return new byte[0];
    }
    Checks.state(len <= in.remaining(), "bytes of %s with %s left", len, in.remaining());
    byte[] b = new byte[len];
    in.get(b);
    return b;
  }

  /** A growing big-endian writer. */
  private static final class Out {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

    Out i16(int v) {
      bytes.write(v >>> 8);
      bytes.write(v);
      return this;
    }

    Out i32(int v) {
      return i16(v >>> 16).i16(v);
    }

    Out i64(long v) {
      return i32((int) (v >>> 32)).i32((int) v);
    }

    Out str(String s) {
      if (s == null) {
        return i16(-1);
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      Checks.argument(b.length <= Short.MAX_VALUE, "string of %s bytes", b.length);
      i16(b.length);
      bytes.writeBytes(b);
      return this;
    }

    Out bytes(byte[] b) {
      i32(b.length);
      bytes.writeBytes(b);
      return this;
    }

    byte[] toBytes() {
      return bytes.toByteArray();
    }
  }
}
