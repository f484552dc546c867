package io.rill.metadata;

import io.rill.protocol.schema.Uuids;
import java.util.UUID;

/** Cluster ids in Kafka's form: a random UUID, URL-safe base64 without padding (22 chars). */
public final class ClusterIds {
  private ClusterIds() {}

  public static String random() {
    return Uuids.toBase64(UUID.randomUUID());
  }
}
