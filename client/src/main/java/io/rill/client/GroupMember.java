package io.rill.client;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.HeartbeatRequest;
import io.rill.protocol.message.HeartbeatResponse;
import io.rill.protocol.message.JoinGroupRequest;
import io.rill.protocol.message.JoinGroupResponse;
import io.rill.protocol.message.LeaveGroupRequest;
import io.rill.protocol.message.SyncGroupRequest;
import io.rill.protocol.message.SyncGroupResponse;
import io.rill.protocol.schema.Struct;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A member of a classic consumer group (JoinGroup / SyncGroup / Heartbeat / LeaveGroup) for one
 * topic, with the range assignor. {@link #join} blocks until the member has an assignment; a
 * heartbeat thread ({@code rill-heartbeat}) keeps the session and raises {@link
 * #needsRejoin} when the coordinator starts a rebalance.
 *
 * <p>Threads: join, leave and the getters from the consuming thread; the heartbeat thread only
 * reads {@code generation}/{@code memberId} under {@code this} and sets the rejoin flag.
 */
public final class GroupMember implements AutoCloseable {
  /** Session timeout; the broker's default group.min.session.timeout.ms is 6 s. */
  static final int SESSION_TIMEOUT_MS = 10_000;
  static final int REBALANCE_TIMEOUT_MS = 30_000;
  static final int HEARTBEAT_INTERVAL_MS = 3_000;
  /** Join attempts before giving up on a group that keeps rebalancing. */
  static final int JOIN_ATTEMPTS_MAX = 20;

  private final KafkaClient client;
  private final String group;
  private final String topic;
  private String memberId = "";
  private int generation = -1;
  private volatile boolean rejoin;
  private volatile boolean closed;
  private Thread heartbeat;

  public GroupMember(KafkaClient client, String group, String topic) {
    this.client = client;
    this.group = group;
    this.topic = topic;
  }

  public synchronized int generation() {
    return generation;
  }

  public synchronized String memberId() {
    return memberId;
  }

  public boolean needsRejoin() {
    return rejoin;
  }

  /** Joins (or rejoins) the group; returns this member's partitions of the topic. */
  public List<Integer> join() {
    for (int attempt = 0; attempt < JOIN_ATTEMPTS_MAX; attempt++) {
      rejoin = false;
      Struct joined = joinOnce();
      if (joined == null) {
        continue;
      }
      List<Integer> assignment = sync(joined);
      if (assignment != null) {
        startHeartbeat();
        return assignment;
      }
    }
    throw new ClientException.Refused(Errors.REBALANCE_IN_PROGRESS,
        "group " + group + " did not settle after " + JOIN_ATTEMPTS_MAX + " joins");
  }

  private Struct joinOnce() {
    Struct req = new Struct(JoinGroupRequest.SCHEMA);
    req.set(JoinGroupRequest.GROUP_ID, group);
    req.set(JoinGroupRequest.SESSION_TIMEOUT_MS, SESSION_TIMEOUT_MS);
    req.set(JoinGroupRequest.REBALANCE_TIMEOUT_MS, REBALANCE_TIMEOUT_MS);
    req.set(JoinGroupRequest.MEMBER_ID, memberId());
    req.set(JoinGroupRequest.PROTOCOL_TYPE, ConsumerProtocol.PROTOCOL_TYPE);
    req.addElement(JoinGroupRequest.PROTOCOLS)
        .set(JoinGroupRequest.PROTOCOL_NAME, ConsumerProtocol.RANGE)
        .set(JoinGroupRequest.PROTOCOL_METADATA, ConsumerProtocol.subscription(List.of(topic)));
    Struct resp = client.retrying(() -> throwIfRetriable(
        client.coordinator(group).send(ApiKey.JOIN_GROUP, req), JoinGroupResponse.ERROR_CODE));
    Errors error = Errors.forCode(resp.get(JoinGroupResponse.ERROR_CODE));
    switch (error) {
      case NONE -> {
        synchronized (this) {
          memberId = resp.get(JoinGroupResponse.MEMBER_ID);
          generation = resp.get(JoinGroupResponse.GENERATION_ID);
        }
        return resp;
      }
      case MEMBER_ID_REQUIRED -> { // KIP-394: join again with the id the coordinator gave us
        synchronized (this) {
          memberId = resp.get(JoinGroupResponse.MEMBER_ID);
        }
        return null;
      }
      case UNKNOWN_MEMBER_ID -> {
        synchronized (this) {
          memberId = "";
        }
        return null;
      }
      case REBALANCE_IN_PROGRESS -> {
        return null;
      }
      default -> throw new ClientException.Refused(error, "join group " + group);
    }
  }

  /** The assignment, or null if the group rebalanced again meanwhile. */
  private List<Integer> sync(Struct joined) {
    Struct req = new Struct(SyncGroupRequest.SCHEMA);
    req.set(SyncGroupRequest.GROUP_ID, group);
    req.set(SyncGroupRequest.GENERATION_ID, generation());
    req.set(SyncGroupRequest.MEMBER_ID, memberId());
    req.set(SyncGroupRequest.PROTOCOL_TYPE, ConsumerProtocol.PROTOCOL_TYPE);
    req.set(SyncGroupRequest.PROTOCOL_NAME, ConsumerProtocol.RANGE);
    if (memberId().equals(joined.get(JoinGroupResponse.LEADER))) {
      Map<String, List<String>> subscriptions = new LinkedHashMap<>();
      for (Struct m : joined.get(JoinGroupResponse.MEMBERS)) {
        subscriptions.put(m.get(JoinGroupResponse.MEMBER_MEMBER_ID),
            ConsumerProtocol.readSubscription(m.get(JoinGroupResponse.MEMBER_METADATA)));
      }
      Map<String, Integer> counts = new LinkedHashMap<>();
      subscriptions.values().stream().flatMap(List::stream).distinct()
          .forEach(t -> counts.put(t, client.layout(t).partitionCount()));
      ConsumerProtocol.rangeAssign(subscriptions, counts).forEach((member, assignment) ->
          req.addElement(SyncGroupRequest.ASSIGNMENTS)
              .set(SyncGroupRequest.ASSIGNMENT_MEMBER_ID, member)
              .set(SyncGroupRequest.ASSIGNMENT_BYTES, ConsumerProtocol.assignment(assignment)));
    }
    Struct resp = client.retrying(() -> throwIfRetriable(
        client.coordinator(group).send(ApiKey.SYNC_GROUP, req), SyncGroupResponse.ERROR_CODE));
    Errors error = Errors.forCode(resp.get(SyncGroupResponse.ERROR_CODE));
    if (error == Errors.REBALANCE_IN_PROGRESS || error == Errors.UNKNOWN_MEMBER_ID
        || error == Errors.ILLEGAL_GENERATION) {
      if (error != Errors.REBALANCE_IN_PROGRESS) {
        synchronized (this) {
          memberId = "";
        }
      }
      return null;
    }
    ClientException.check(error.code, null, "sync group " + group);
    return ConsumerProtocol.readAssignment(resp.get(SyncGroupResponse.ASSIGNMENT))
        .getOrDefault(topic, List.of());
  }

  /**
   * Coordinator moves and loads (a new node creating __consumer_offsets) are retried with
   * backoff until the client's deadline, not counted as join attempts.
   */
  private Struct throwIfRetriable(Struct resp, io.rill.protocol.schema.Field<Short> errorCode) {
    Errors error = Errors.forCode(resp.get(errorCode));
    if (error.retriable) {
      throw new ClientException.Refused(error, "group " + group);
    }
    return resp;
  }

  private synchronized void startHeartbeat() {
    if (heartbeat != null) {
      return;
    }
    heartbeat = new Thread(this::heartbeatLoop, "rill-heartbeat");
    heartbeat.setDaemon(true);
    heartbeat.start();
  }

  private void heartbeatLoop() {
    Object tick = new Object();
    while (!closed) {
      synchronized (tick) {
        try {
          tick.wait(HEARTBEAT_INTERVAL_MS);
        } catch (InterruptedException e) {
          return;
        }
      }
      if (closed || rejoin) {
        continue;
      }
      Struct req = new Struct(HeartbeatRequest.SCHEMA);
      req.set(HeartbeatRequest.GROUP_ID, group);
      synchronized (this) {
        req.set(HeartbeatRequest.GENERATION_ID, generation);
        req.set(HeartbeatRequest.MEMBER_ID, memberId);
      }
      try {
        Struct resp = client.coordinator(group).send(ApiKey.HEARTBEAT, req);
        if (resp.get(HeartbeatResponse.ERROR_CODE) != Errors.NONE.code) {
          rejoin = true; // rebalance, fenced or unknown: the consuming thread rejoins
        }
      } catch (ClientException e) {
        rejoin = true;
      }
    }
  }

  /** Leaves the group so its partitions are reassigned at once. */
  @Override
  public void close() {
    closed = true;
    if (heartbeat != null) {
      heartbeat.interrupt();
    }
    if (memberId().isEmpty()) {
      return;
    }
    Struct req = new Struct(LeaveGroupRequest.SCHEMA);
    req.set(LeaveGroupRequest.GROUP_ID, group);
    BrokerConnection c = client.coordinator(group);
    if (c.version(ApiKey.LEAVE_GROUP) >= 3) {
      req.addElement(LeaveGroupRequest.MEMBERS).set(LeaveGroupRequest.MEMBER_MEMBER_ID, memberId());
    } else {
      req.set(LeaveGroupRequest.MEMBER_ID, memberId());
    }
    c.send(ApiKey.LEAVE_GROUP, req);
  }
}
