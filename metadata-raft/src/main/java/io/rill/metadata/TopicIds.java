package io.rill.metadata;

import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.CreatableTopic;
import io.rill.metadata.command.CreateTopicsRequest;
import io.rill.metadata.image.Uuids;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * New topics get their ids from whoever sends the CreateTopics command, never from apply,
 * which must stay deterministic on every voter.
 */
public final class TopicIds {
  private TopicIds() {}

  /** The command with a fresh id proposed for each topic that has none. */
  public static ControllerCommand assign(ControllerCommand command, Supplier<UUID> ids) {
    if (!command.hasCreateTopics()) {
      return command;
    }
    CreateTopicsRequest.Builder req = command.getCreateTopics().toBuilder();
    for (CreatableTopic.Builder t : req.getTopicsBuilderList()) {
      if (Uuids.isReserved(Uuids.fromProto(t.getProposedTopicId()))) {
        UUID id;
        do {
          id = ids.get();
        } while (Uuids.isReserved(id));
        t.setProposedTopicId(Uuids.toProto(id));
      }
    }
    return command.toBuilder().setCreateTopics(req).build();
  }
}
