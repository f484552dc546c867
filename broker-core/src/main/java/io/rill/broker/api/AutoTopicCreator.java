package io.rill.broker.api;

import io.rill.metadata.ControllerChannel;
import io.rill.metadata.command.CreatableTopic;
import io.rill.metadata.command.CreateTopicsRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics on first use (auto.create.topics.enable) with the broker's defaults. A
 * request for a topic already being created joins that creation instead of starting another,
 * so a burst of metadata requests for a new topic costs one quorum command.
 *
 * <p>Thread-safe; never blocks the caller: the creation completes on a quorum thread and the
 * client learns of the topic on its next metadata request (it retries on the retriable
 * UNKNOWN_TOPIC_OR_PARTITION it got meanwhile, as with Kafka in KRaft mode).
 */
public final class AutoTopicCreator {
  private static final Logger log = LoggerFactory.getLogger(AutoTopicCreator.class);

  private final ControllerChannel controller;
  private final int defaultPartitions;
  private final int defaultReplicationFactor;
  private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();

  public AutoTopicCreator(ControllerChannel controller, int defaultPartitions,
      int defaultReplicationFactor) {
    this.controller = controller;
    this.defaultPartitions = defaultPartitions;
    this.defaultReplicationFactor = defaultReplicationFactor;
  }

  /** Starts creating {@code topic} unless a creation of it is already under way. */
  public void create(String topic, int partitions) {
    if (inFlight.putIfAbsent(topic, Boolean.TRUE) != null) {
      return;
    }
    CreateTopicsRequest request = CreateTopicsRequest.newBuilder()
        .addTopics(CreatableTopic.newBuilder().setName(topic)
            .setNumPartitions(partitions > 0 ? partitions : defaultPartitions)
            .setReplicationFactor(defaultReplicationFactor))
        .setDefaultNumPartitions(defaultPartitions)
        .setDefaultReplicationFactor(defaultReplicationFactor)
        .build();
    controller.createTopics(request).thenApply(ControllerChannel.Answer::response)
        .whenComplete((response, error) -> {
      inFlight.remove(topic);
      if (error != null) {
        log.warn("Auto-creation of topic {} failed: {}", topic, error.toString());
      } else if (response.getTopics(0).getErrorCode() != 0) {
        log.debug("Auto-creation of topic {}: error {} {}", topic,
            response.getTopics(0).getErrorCode(), response.getTopics(0).getErrorMessage());
      } else {
        log.info("Created topic {} on first use", topic);
      }
    });
  }

  public void create(String topic) {
    create(topic, -1);
  }
}
