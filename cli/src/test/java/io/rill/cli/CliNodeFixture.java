package io.rill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real node per test class and {@code rill} pointed at it. The statics belong to the class
 * running now: test classes run one at a time (no parallel execution is configured).
 */
abstract class CliNodeFixture {
  @TempDir
  static Path dir;
  static TestNode node;
  static Cli cli;

  @BeforeAll
  static void start() {
    node = TestNode.start(dir.resolve("data"));
    cli = new Cli(node.bootstrap());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** {@code r}, after asserting it exited 0 (its output is the failure message otherwise). */
  static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }
}
