package io.rill.broker.group;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.common.utils.Utils;

/**
 * A group member speaking the protocol through kafka-clients' own request classes, so a test
 * can make it fall silent (no heartbeat thread, no LeaveGroup) the way a crashed or partitioned
 * consumer does. Blocking; one request at a time.
 */
final class RawGroupMember implements AutoCloseable {
  /** Largest response we accept (group responses here are small). */
  private static final int RESPONSE_BYTES_MAX = 1 << 20;
  private final SocketChannel channel;
  private int correlationId;

  RawGroupMember(int port) {
    try {
      channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JoinGroup v9 twice (MEMBER_ID_REQUIRED first); returns the final response. */
  JoinGroupResponse join(String group, String topic, int sessionMs, int rebalanceMs) {
    byte[] subscription = Utils.toArray(
        ConsumerProtocol.serializeSubscription(new Subscription(List.of(topic))));
    JoinGroupRequestData data = new JoinGroupRequestData().setGroupId(group)
        .setSessionTimeoutMs(sessionMs).setRebalanceTimeoutMs(rebalanceMs).setMemberId("")
        .setProtocolType("consumer").setProtocols(new JoinGroupRequestProtocolCollection(
            List.of(new JoinGroupRequestProtocol().setName("range").setMetadata(subscription))
                .iterator()));
    JoinGroupResponse first = send(new JoinGroupRequest.Builder(data), (short) 9);
    data.setMemberId(first.data().memberId());
    return send(new JoinGroupRequest.Builder(data), (short) 9);
  }

  SyncGroupResponse sync(String group, JoinGroupResponse joined) {
    return send(new SyncGroupRequest.Builder(new SyncGroupRequestData().setGroupId(group)
        .setGenerationId(joined.data().generationId()).setMemberId(joined.data().memberId())
        .setProtocolType("consumer").setProtocolName(joined.data().protocolName())), (short) 5);
  }

  @SuppressWarnings("unchecked")
  private <R extends AbstractResponse> R send(AbstractRequest.Builder<?> builder, short version) {
    AbstractRequest request = builder.build(version);
    RequestHeader header = new RequestHeader(request.apiKey(), version, "raw-member",
        ++correlationId);
    try {
      ByteBuffer body = request.serializeWithHeader(header);
      ByteBuffer size = ByteBuffer.allocate(4).putInt(body.remaining()).flip();
      while (size.hasRemaining() || body.hasRemaining()) {
        channel.write(new ByteBuffer[] {size, body});
      }
      ByteBuffer responseSize = ByteBuffer.allocate(4);
      readFully(responseSize);
      int length = responseSize.flip().getInt();
      if (length < 0 || length > RESPONSE_BYTES_MAX) {
        throw new IllegalStateException("response of " + length + " bytes");
      }
      ByteBuffer response = ByteBuffer.allocate(length);
      readFully(response);
      return (R) AbstractResponse.parseResponse(response.flip(), header);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readFully(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (channel.read(buf) < 0) {
        throw new IOException("connection closed by the broker");
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
