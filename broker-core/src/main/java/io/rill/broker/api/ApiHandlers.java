package io.rill.broker.api;

import io.rill.protocol.ApiKey;

/** The table of every API this broker serves and its handler; ApiVersions lists exactly these. */
public final class ApiHandlers {
  private ApiHandlers() {}

  public static RequestDispatcher dispatcher(BrokerServices services) {
    RequestDispatcher d = new RequestDispatcher();
    d.register(ApiKey.METADATA, new MetadataHandler(services));
    d.register(ApiKey.PRODUCE, new ProduceHandler(services));
    d.register(ApiKey.FETCH, new FetchHandler(services));
    d.register(ApiKey.LIST_OFFSETS, new ListOffsetsHandler(services));
    d.register(ApiKey.INIT_PRODUCER_ID, new InitProducerIdHandler(services));
    AdminApiHandlers.registerAll(d, services);
    return d;
  }
}
