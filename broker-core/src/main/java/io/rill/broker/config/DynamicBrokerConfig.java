package io.rill.broker.config;

import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataImage;
import java.util.Map;

/**
 * This broker's {@link EffectiveBrokerConfig} as of a metadata image: the node's file with the
 * image's BROKER "" and BROKER "&lt;node id&gt;" configs applied. Rebuilt only when those two
 * maps change, so request handlers may ask for it per request.
 *
 * <p>Thread-safe: any thread may call {@link #at}; two threads racing on a change both build
 * the same value.
 */
public final class DynamicBrokerConfig {
  /** The raw dynamic maps a snapshot was built from, to tell when to rebuild. */
  private record Cached(Map<String, String> clusterDefaults, Map<String, String> perBroker,
      EffectiveBrokerConfig effective) {}

  private final BrokerConfig staticConfig;
  private final ConfigResource ownResource;
  private volatile Cached cached;

  public DynamicBrokerConfig(BrokerConfig staticConfig) {
    this.staticConfig = staticConfig;
    this.ownResource = ConfigResource.broker(Integer.toString(staticConfig.nodeId()));
    this.cached = new Cached(Map.of(), Map.of(), EffectiveBrokerConfig.of(staticConfig));
  }

  /** Whether {@code resource} is one this broker's effective config depends on. */
  public boolean dependsOn(ConfigResource resource) {
    return resource.equals(ownResource) || resource.equals(ConfigResource.broker(""));
  }

  public EffectiveBrokerConfig at(MetadataImage image) {
    Map<String, String> defaults = image.configs(ConfigResource.broker(""));
    Map<String, String> own = image.configs(ownResource);
    Cached c = cached;
    if (c.clusterDefaults().equals(defaults) && c.perBroker().equals(own)) {
      return c.effective();
    }
    c = new Cached(Map.copyOf(defaults), Map.copyOf(own),
        EffectiveBrokerConfig.of(staticConfig, defaults, own));
    cached = c;
    return c.effective();
  }
}
