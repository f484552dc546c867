package io.rill.broker.api;

import io.rill.protocol.ApiKey;

/** The table of every API this broker serves and its handler; ApiVersions lists exactly these. */
public final class ApiHandlers {
  private ApiHandlers() {}

  public static RequestDispatcher dispatcher(BrokerServices services) {
    RequestDispatcher d = new RequestDispatcher();
    d.register(ApiKey.METADATA, new MetadataHandler(services));
    AdminApiHandlers.registerAll(d, services);
    return d;
  }
}
