package io.rill.metadata.raft;

import io.rill.metadata.MetadataSource;
import io.rill.metadata.command.ControllerQuery;
import io.rill.metadata.command.ControllerQueryResponse;
import io.rill.metadata.command.FetchMetadataRequest;
import io.rill.metadata.command.FetchMetadataResponse;
import io.rill.metadata.command.OffsetRecords;
import io.rill.metadata.image.ImageBuilder;
import io.rill.metadata.image.MetadataImage;
import io.rill.protocol.Errors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata of a broker that is not a voter: long polls of the active controller for the
 * records after its image's offset (or the whole image when the controller no longer holds that
 * tail), replayed here through the same {@link ImageBuilder} the voters use, so the images are
 * equal. While no controller answers it retries, and says why every {@value #WAIT_LOG_MS} ms.
 *
 * <p>Threads: one thread, {@code metadata-follower-<id>}, owns the image and calls the sink.
 */
public final class RemoteMetadataSource implements MetadataSource {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteMetadataSource.class);
  /** How long the controller may hold one poll when nothing is new. */
  static final int POLL_WAIT_MS = 1_000;
  static final long RETRY_BACKOFF_MS = 200;
  static final long WAIT_LOG_MS = 5_000;

  private final int nodeId;
  private final QuorumClient client;
  private volatile boolean closed;
  private Thread thread;

  public RemoteMetadataSource(int nodeId, QuorumClient client) {
    this.nodeId = nodeId;
    this.client = client;
  }

  @Override
  public synchronized void start(Consumer<MetadataImage> sink) {
    thread = new Thread(() -> run(sink), "metadata-follower-" + nodeId);
    thread.setDaemon(true);
    thread.start();
  }

  private void run(Consumer<MetadataImage> sink) {
    MetadataImage image = MetadataImage.EMPTY;
    long lastLogNs = System.nanoTime();
    while (!closed) {
      try {
        FetchMetadataResponse r = poll(image.offset());
        MetadataImage next = apply(image, r);
        if (next != image) {
          image = next;
          sink.accept(image);
        }
        lastLogNs = System.nanoTime();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (closed) {
          return;
        }
        if (System.nanoTime() - lastLogNs > TimeUnit.MILLISECONDS.toNanos(WAIT_LOG_MS)) {
          LOG.warn("Broker {} cannot reach an active controller for metadata (still at offset"
              + " {}); retrying: {}", nodeId, image.offset(), e.toString());
          lastLogNs = System.nanoTime();
        }
        try {
          Thread.sleep(RETRY_BACKOFF_MS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private FetchMetadataResponse poll(long fromOffset) throws Exception {
    ControllerQuery q = ControllerQuery.newBuilder().setFetchMetadata(FetchMetadataRequest
        .newBuilder().setFromOffset(fromOffset).setMaxWaitMs(POLL_WAIT_MS)).build();
    RaftClientReply reply = client.read(Message.valueOf(
            UnsafeByteOperations.unsafeWrap(q.toByteArray())))
        .get(QuorumClient.REQUEST_TIMEOUT_MS * 2, TimeUnit.MILLISECONDS);
    if (!reply.isSuccess()) {
      throw new IllegalStateException("metadata fetch failed: " + reply.getException());
    }
    client.noteLeader(reply.getServerId());
    ControllerQueryResponse r = ControllerQueryResponse.parseFrom(
        reply.getMessage().getContent().asReadOnlyByteBuffer());
    if (r.getErrorCode() != Errors.NONE.code) {
      throw new IllegalStateException("metadata fetch answered "
          + Errors.forCode(r.getErrorCode()));
    }
    return r.getFetchMetadata();
  }

  /** The image after the response's batches (the same instance when there were none). */
  static MetadataImage apply(MetadataImage image, FetchMetadataResponse r) {
    MetadataImage next = image;
    for (int i = 0; i < r.getBatchesCount(); i++) {
      OffsetRecords batch = r.getBatches(i);
      ImageBuilder b = r.getReset() && i == 0 ? ImageBuilder.empty() : next.toBuilder();
      b.replayAll(batch.getRecordsList());
      next = b.build(batch.getOffset());
    }
    return next;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
