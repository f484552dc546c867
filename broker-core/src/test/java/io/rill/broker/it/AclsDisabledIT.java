package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without an authorizer, the official Admin client's describeAcls and createAcls fail with
 * SecurityDisabledException, as against a Kafka broker without one (MirrorMaker 2 relies on it).
 */
class AclsDisabledIT {
  @TempDir Path dir;

  @Test
  void describeAndCreateAclsAnswerSecurityDisabled() {
    try (TestNode node = TestNode.start(dir); Admin admin = Admin.create(node.clientProps())) {
      assertThatThrownBy(() -> admin.describeAcls(AclBindingFilter.ANY).values().get())
          .hasCauseInstanceOf(SecurityDisabledException.class);
      AclBinding binding = new AclBinding(
          new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
          new AccessControlEntry("User:mm2", "*", AclOperation.READ, AclPermissionType.ALLOW));
      assertThatThrownBy(() -> admin.createAcls(List.of(binding)).all().get())
          .hasCauseInstanceOf(SecurityDisabledException.class);
    }
  }
}
