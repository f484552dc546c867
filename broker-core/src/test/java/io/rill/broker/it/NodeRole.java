package io.rill.broker.it;

/**
 * The {@code process.roles} of one node of a {@link ProcessCluster}. A node with the controller
 * role is a voter of the metadata quorum ({@code controller.quorum.voters} lists it); a node with
 * the broker role serves clients and appears in {@link ProcessCluster#bootstrap()}.
 */
public enum NodeRole {
  /** {@code broker,controller}: what every node of today's single-node Rill runs. */
  COMBINED("broker,controller"),
  /** {@code broker}: serves clients, observes the quorum, is not a voter. */
  BROKER("broker"),
  /** {@code controller}: a voter only; gets a client port all the same, but no clients. */
  CONTROLLER("controller");

  /** The value of {@code process.roles}. */
  public final String processRoles;

  NodeRole(String processRoles) {
    this.processRoles = processRoles;
  }

  public boolean isBroker() {
    return this != CONTROLLER;
  }

  public boolean isController() {
    return this != BROKER;
  }
}
