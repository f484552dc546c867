package io.rill.metadata.raft;

import static io.rill.metadata.Commands.command;
import static io.rill.metadata.Commands.createTopics;
import static io.rill.metadata.Commands.heartbeat;
import static io.rill.metadata.Commands.register;
import static io.rill.metadata.Commands.topic;
import static io.rill.metadata.Commands.withConfigs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.controller.ControllerResult;
import io.rill.metadata.controller.MetadataController;
import io.rill.metadata.image.ImageBuilder;
import io.rill.metadata.image.MetadataImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {
  @TempDir Path dir;

  private static MetadataImage sampleImage() {
    MetadataImage image = MetadataImage.EMPTY;
    List<ControllerCommand> commands = List.of(
        register(1, new UUID(1, 1)),
        heartbeat(1, 1, 1, false, false),
        command(createTopics(withConfigs(topic("t", 3, 1, new UUID(4, 4)),
            Map.of("retention.ms", "60000")))),
        io.rill.metadata.Commands.allocateProducerIds(1, 1));
    long offset = 0;
    for (ControllerCommand c : commands) {
      offset++;
      ControllerResult<?> r = MetadataController.execute(image, c, offset);
      ImageBuilder b = image.toBuilder();
      b.replayAll(r.records());
      image = b.build(offset);
    }
    return image;
  }

  @Test
  void writtenImageReadsBackEqual() throws Exception {
    MetadataImage image = sampleImage();
    Path file = dir.resolve("snapshot.1_4");
    SnapshotFile.write(file, image, 1, 4);
    SnapshotFile.Loaded loaded = SnapshotFile.read(file);
    assertThat(loaded.image()).isEqualTo(image);
    assertThat(loaded.header().getIndex()).isEqualTo(4);
    assertThat(loaded.header().getTerm()).isEqualTo(1);
    assertThat(Files.exists(dir.resolve("snapshot.1_4.tmp"))).isFalse();
  }

  @Test
  void truncatedOrExtendedFilesAreRefused() throws Exception {
    Path file = dir.resolve("snapshot.1_4");
    SnapshotFile.write(file, sampleImage(), 1, 4);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, new byte[] {1, 2}, StandardOpenOption.APPEND);
    assertThatThrownBy(() -> SnapshotFile.read(file)).isInstanceOf(RuntimeException.class);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> SnapshotFile.read(file)).isInstanceOf(Exception.class);
  }
}
