package io.rill.broker.api;

/** Registers the handlers of the admin APIs (topics, partitions, configs, cluster). */
final class AdminApiHandlers {
  private AdminApiHandlers() {}

  static void registerAll(RequestDispatcher dispatcher, BrokerServices services) {
  }
}
