package io.rill.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The "consumer" embedded protocol of the classic group protocol, version 0, which every Kafka
 * consumer reads: a member's Subscription (topics) in JoinGroup and its Assignment (topic
 * partitions) in SyncGroup and DescribeGroups.
 *
 * <pre>
 * Subscription => Version:int16 Topics:[String] UserData:Bytes
 * Assignment   => Version:int16 [Topic:String Partitions:[int32]] UserData:Bytes
 * </pre>
 * Strings are int16-length prefixed, arrays and bytes int32 (null = -1). Later versions append
 * fields, so a reader of v0 ignores what follows.
 */
public final class ConsumerProtocol {
  public static final String PROTOCOL_TYPE = "consumer";
  /** The protocol name Kafka's RangeAssignor uses, so mixed groups agree on it. */
  public static final String RANGE = "range";
  static final short VERSION = 0;

  private ConsumerProtocol() {}

  public static byte[] subscription(List<String> topics) {
    int size = 2 + 4 + 4;
    for (String t : topics) {
      size += 2 + t.getBytes(StandardCharsets.UTF_8).length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putShort(VERSION).putInt(topics.size());
    for (String t : topics) {
      putString(b, t);
    }
    b.putInt(-1);
    return b.array();
  }

  public static List<String> readSubscription(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.getShort();
    int n = b.getInt();
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      topics.add(getString(b));
    }
    return topics;
  }

  public static byte[] assignment(Map<String, List<Integer>> partitions) {
    int size = 2 + 4 + 4;
    for (Map.Entry<String, List<Integer>> e : partitions.entrySet()) {
      size += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + 4 * e.getValue().size();
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putShort(VERSION).putInt(partitions.size());
    for (Map.Entry<String, List<Integer>> e : partitions.entrySet()) {
      putString(b, e.getKey());
      b.putInt(e.getValue().size());
      for (int p : e.getValue()) {
        b.putInt(p);
      }
    }
    b.putInt(-1);
    return b.array();
  }

  /** Topic → partitions; empty for an empty or absent assignment. */
  public static Map<String, List<Integer>> readAssignment(byte[] bytes) {
    Map<String, List<Integer>> result = new TreeMap<>();
    if (bytes == null || bytes.length < 6) {
      return result;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.getShort();
    int n = b.getInt();
    for (int i = 0; i < n; i++) {
      String topic = getString(b);
      int count = b.getInt();
      List<Integer> ps = new ArrayList<>();
      for (int j = 0; j < count; j++) {
        ps.add(b.getInt());
      }
      result.put(topic, ps);
    }
    return result;
  }

  /**
   * Kafka's RangeAssignor: per topic, members sorted by id; each gets partitions/members
   * consecutive partitions and the first partitions%members members one more.
   */
  public static Map<String, Map<String, List<Integer>>> rangeAssign(
      Map<String, List<String>> subscriptions, Map<String, Integer> partitionCounts) {
    Map<String, Map<String, List<Integer>>> result = new TreeMap<>();
    for (String m : subscriptions.keySet()) {
      result.put(m, new TreeMap<>());
    }
    Map<String, List<String>> membersByTopic = new TreeMap<>();
    subscriptions.forEach((m, topics) -> topics.forEach(
        t -> membersByTopic.computeIfAbsent(t, k -> new ArrayList<>()).add(m)));
    for (Map.Entry<String, List<String>> e : membersByTopic.entrySet()) {
      Integer count = partitionCounts.get(e.getKey());
      if (count == null) {
        continue;
      }
      List<String> members = new ArrayList<>(e.getValue());
      members.sort(null);
      int per = count / members.size();
      int extra = count % members.size();
      int next = 0;
      for (int i = 0; i < members.size(); i++) {
        int n = per + (i < extra ? 1 : 0);
        List<Integer> ps = new ArrayList<>();
        for (int j = 0; j < n; j++) {
          ps.add(next++);
        }
        result.get(members.get(i)).put(e.getKey(), ps);
      }
    }
    return result;
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.putShort((short) bytes.length).put(bytes);
  }

  private static String getString(ByteBuffer b) {
    short len = b.getShort();
    byte[] bytes = new byte[len];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
