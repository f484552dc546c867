package io.rill.broker.group;

import java.util.List;

/**
 * A JoinGroup as the coordinator sees it, version differences resolved by the handler.
 *
 * @param memberId  "" for a member joining for the first time
 * @param groupInstanceId  null for a dynamic member
 * @param rebalanceTimeoutMs  the session timeout when the request has none (v0)
 * @param requireKnownMemberId  v4+: a new dynamic member first gets MEMBER_ID_REQUIRED
 */
record JoinRequest(String groupId, String memberId, String groupInstanceId, String clientId,
    String clientHost, int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType,
    List<Member.Protocol> protocols, boolean requireKnownMemberId) {}
