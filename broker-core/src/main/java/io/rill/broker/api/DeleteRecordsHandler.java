package io.rill.broker.api;

import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.ErrorMapping;
import io.rill.broker.replica.ReplicaManager;
import io.rill.protocol.Errors;
import io.rill.protocol.message.DeleteRecordsRequest;
import io.rill.protocol.message.DeleteRecordsResponse;
import io.rill.protocol.schema.Struct;

/**
 * DeleteRecords (v0-2): moves each partition's log start offset up to the requested offset (-1:
 * the high watermark) and answers the new low watermark. An offset past the high watermark is
 * OFFSET_OUT_OF_RANGE; whole segments below the new start are deleted by the log.
 */
final class DeleteRecordsHandler implements ApiHandler {
  private final BrokerServices services;

  DeleteRecordsHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    Struct response = new Struct(DeleteRecordsResponse.SCHEMA);
    for (Struct topic : request.get(DeleteRecordsRequest.TOPICS)) {
      String name = topic.get(DeleteRecordsRequest.TOPIC_NAME);
      Struct t = response.addElement(DeleteRecordsResponse.TOPICS)
          .set(DeleteRecordsResponse.TOPIC_NAME, name);
      for (Struct p : topic.get(DeleteRecordsRequest.PARTITIONS)) {
        int index = p.getInt(DeleteRecordsRequest.PARTITION_INDEX);
        Struct entry = t.addElement(DeleteRecordsResponse.PARTITIONS)
            .set(DeleteRecordsResponse.PARTITION_INDEX, index)
            .set(DeleteRecordsResponse.LOW_WATERMARK, -1L);
        delete(new TopicPartition(name, index), p.getLong(DeleteRecordsRequest.OFFSET), entry);
      }
    }
    ctx.respond(response);
  }

  private void delete(TopicPartition tp, long offset, Struct entry) {
    ReplicaManager.Lookup leader = services.replicas().leader(tp);
    Errors error = leader.error();
    if (error == Errors.NONE) {
      long hw = leader.partition().highWatermark();
      if (offset != -1 && (offset < 0 || offset > hw)) {
        error = Errors.OFFSET_OUT_OF_RANGE;
      } else {
        try {
          entry.set(DeleteRecordsResponse.LOW_WATERMARK,
              leader.partition().deleteRecordsBefore(offset));
        } catch (RuntimeException e) {
          error = ErrorMapping.forException(e);
        }
      }
    }
    entry.set(DeleteRecordsResponse.ERROR_CODE, error.code);
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = new Struct(DeleteRecordsResponse.SCHEMA);
    for (Struct topic : request.get(DeleteRecordsRequest.TOPICS)) {
      Struct t = response.addElement(DeleteRecordsResponse.TOPICS)
          .set(DeleteRecordsResponse.TOPIC_NAME, topic.get(DeleteRecordsRequest.TOPIC_NAME));
      for (Struct p : topic.get(DeleteRecordsRequest.PARTITIONS)) {
        t.addElement(DeleteRecordsResponse.PARTITIONS)
            .set(DeleteRecordsResponse.PARTITION_INDEX, p.getInt(DeleteRecordsRequest.PARTITION_INDEX))
            .set(DeleteRecordsResponse.LOW_WATERMARK, -1L)
            .set(DeleteRecordsResponse.ERROR_CODE, error.code);
      }
    }
    return response;
  }
}
