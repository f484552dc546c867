package io.rill.metadata.controller;

import io.rill.metadata.command.AllocateProducerIdsRequest;
import io.rill.metadata.command.AllocateProducerIdsResponse;
import io.rill.metadata.command.BrokerHeartbeatRequest;
import io.rill.metadata.command.BrokerHeartbeatResponse;
import io.rill.metadata.command.FenceBrokerRequest;
import io.rill.metadata.command.FenceBrokerResponse;
import io.rill.metadata.command.InitClusterRequest;
import io.rill.metadata.command.InitClusterResponse;
import io.rill.metadata.command.RegisterBrokerRequest;
import io.rill.metadata.command.RegisterBrokerResponse;
import io.rill.metadata.command.UnregisterBrokerRequest;
import io.rill.metadata.command.UnregisterBrokerResponse;
import io.rill.metadata.image.BrokerEndpoint;
import io.rill.metadata.image.BrokerRegistration;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.Uuids;
import io.rill.metadata.record.BrokerChange;
import io.rill.metadata.record.BrokerRegistrationChangeRecord;
import io.rill.metadata.record.ClusterIdRecord;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.ProducerIdsRecord;
import io.rill.metadata.record.RegisterBrokerRecord;
import io.rill.metadata.record.UnregisterBrokerRecord;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Broker registration, heartbeats' state changes (fence, unfence, controlled shutdown) and
 * producer-id blocks. Heartbeat timing is soft state of the active controller
 * ({@link BrokerHeartbeatManager}); what reaches this class are its decisions, as commands.
 *
 * <p>Rules (KRaft {@code ClusterControlManager}): the broker epoch is the Raft index of the
 * registering command; a new incarnation starts fenced and may replace an old one only once that
 * is fenced (its session over); re-registering the same incarnation keeps epoch and fencing; a
 * fenced broker is unfenced only when its metadata has caught up to its registration.
 */
final class ClusterControl {
  /** Producer ids handed out per AllocateProducerIds, as Kafka does. */
  static final int PRODUCER_ID_BLOCK_SIZE = 1000;

  private ClusterControl() {}

  static Errors checkBrokerEpoch(MetadataImage image, int brokerId, long brokerEpoch) {
    Optional<BrokerRegistration> b = image.broker(brokerId);
    if (b.isEmpty()) {
      return Errors.BROKER_ID_NOT_REGISTERED;
    }
    return b.get().epoch() == brokerEpoch ? Errors.NONE : Errors.STALE_BROKER_EPOCH;
  }

  static ControllerResult<RegisterBrokerResponse> registerBroker(
      MetadataImage image, RegisterBrokerRequest req, long offset) {
    UUID incarnation = Uuids.fromProto(req.getIncarnationId());
    if (req.getBrokerId() < 0 || incarnation.equals(Uuids.ZERO)) {
      return ControllerResult.noRecords(RegisterBrokerResponse.newBuilder()
          .setErrorCode(Errors.INVALID_REGISTRATION.code).setBrokerEpoch(-1).build());
    }
    Optional<BrokerRegistration> existing = image.broker(req.getBrokerId());
    boolean sameIncarnation = existing.isPresent()
        && existing.get().incarnationId().equals(incarnation);
    if (existing.isPresent() && !sameIncarnation && existing.get().isActive()) {
      return ControllerResult.noRecords(RegisterBrokerResponse.newBuilder()
          .setErrorCode(Errors.DUPLICATE_BROKER_REGISTRATION.code).setBrokerEpoch(-1).build());
    }
    long epoch = sameIncarnation ? existing.get().epoch() : offset;
    boolean fenced = !sameIncarnation || existing.get().fenced();
    boolean inShutdown = sameIncarnation && existing.get().inControlledShutdown();
    RegisterBrokerRecord.Builder r = RegisterBrokerRecord.newBuilder()
        .setBrokerId(req.getBrokerId()).setIncarnationId(req.getIncarnationId())
        .setBrokerEpoch(epoch).addAllEndpoints(req.getEndpointsList())
        .setFenced(fenced).setInControlledShutdown(inShutdown);
    if (req.hasRack()) {
      r.setRack(req.getRack());
    }
    RegisterBrokerResponse resp = RegisterBrokerResponse.newBuilder().setBrokerEpoch(epoch).build();
    if (sameIncarnation && sameListenersAndRack(existing.get(), req)) {
      return ControllerResult.noRecords(resp);
    }
    return ControllerResult.of(List.of(MetadataRecord.newBuilder().setRegisterBroker(r).build()),
        resp);
  }

  private static boolean sameListenersAndRack(BrokerRegistration b, RegisterBrokerRequest req) {
    List<BrokerEndpoint> endpoints = req.getEndpointsList().stream()
        .map(BrokerEndpoint::fromProto).toList();
    Optional<String> rack = req.hasRack() ? Optional.of(req.getRack()) : Optional.empty();
    return b.endpoints().equals(endpoints) && b.rack().equals(rack);
  }

  static ControllerResult<BrokerHeartbeatResponse> heartbeat(
      MetadataImage image, BrokerHeartbeatRequest req) {
    Errors error = checkBrokerEpoch(image, req.getBrokerId(), req.getBrokerEpoch());
    if (error != Errors.NONE) {
      return ControllerResult.noRecords(BrokerHeartbeatResponse.newBuilder()
          .setErrorCode(error.code).setIsFenced(true).build());
    }
    BrokerRegistration b = image.broker(req.getBrokerId()).orElseThrow();
    List<MetadataRecord> records = new ArrayList<>();
    boolean fenced = b.fenced();
    boolean shutDown = b.inControlledShutdown();
    if (req.getWantShutDown() && !b.inControlledShutdown()) {
      records.add(brokerChange(b, BrokerChange.CONTROLLED_SHUTDOWN));
      records.addAll(PartitionControl.moveAwayFrom(image, b.id()));
      fenced = true;
      shutDown = true;
    } else if (req.getWantFence() && !b.fenced()) {
      records.add(brokerChange(b, BrokerChange.FENCE));
      records.addAll(PartitionControl.moveAwayFrom(image, b.id()));
      fenced = true;
    } else if (!req.getWantFence() && !req.getWantShutDown() && b.fenced()
        && !b.inControlledShutdown() && req.getCurrentMetadataOffset() >= b.epoch()) {
      records.add(brokerChange(b, BrokerChange.UNFENCE));
      records.addAll(PartitionControl.electLeaderless(image, b.id()));
      fenced = false;
    }
    return ControllerResult.of(records, BrokerHeartbeatResponse.newBuilder()
        .setIsFenced(fenced).setShouldShutDown(shutDown).build());
  }

  static ControllerResult<FenceBrokerResponse> fenceBroker(
      MetadataImage image, FenceBrokerRequest req) {
    Errors error = checkBrokerEpoch(image, req.getBrokerId(), req.getBrokerEpoch());
    if (error != Errors.NONE) {
      return ControllerResult.noRecords(
          FenceBrokerResponse.newBuilder().setErrorCode(error.code).build());
    }
    BrokerRegistration b = image.broker(req.getBrokerId()).orElseThrow();
    if (b.fenced()) {
      return ControllerResult.noRecords(FenceBrokerResponse.getDefaultInstance());
    }
    List<MetadataRecord> records = new ArrayList<>();
    records.add(brokerChange(b, BrokerChange.FENCE));
    records.addAll(PartitionControl.moveAwayFrom(image, b.id()));
    return ControllerResult.of(records, FenceBrokerResponse.getDefaultInstance());
  }

  /**
   * Removes a broker's registration (KIP-631's UnregisterBroker): first its leaderships and ISR
   * places move as on fencing, then the registration goes. Its replicas stay listed, offline,
   * until a reassignment moves them; a node that comes back with that id registers anew.
   */
  static ControllerResult<UnregisterBrokerResponse> unregisterBroker(
      MetadataImage image, UnregisterBrokerRequest req) {
    Optional<BrokerRegistration> b = image.broker(req.getBrokerId());
    if (b.isEmpty()) {
      return ControllerResult.noRecords(UnregisterBrokerResponse.newBuilder()
          .setErrorCode(Errors.BROKER_ID_NOT_REGISTERED.code)
          .setErrorMessage("broker " + req.getBrokerId() + " is not registered").build());
    }
    List<MetadataRecord> records = new ArrayList<>(PartitionControl.moveAwayFrom(image,
        b.get().id()));
    records.add(MetadataRecord.newBuilder().setUnregisterBroker(UnregisterBrokerRecord
        .newBuilder().setBrokerId(b.get().id()).setBrokerEpoch(b.get().epoch())).build());
    return ControllerResult.of(records, UnregisterBrokerResponse.getDefaultInstance());
  }

  private static MetadataRecord brokerChange(BrokerRegistration b, BrokerChange change) {
    return MetadataRecord.newBuilder().setBrokerRegistrationChange(
        BrokerRegistrationChangeRecord.newBuilder().setBrokerId(b.id())
            .setBrokerEpoch(b.epoch()).setChange(change)).build();
  }

  /**
   * The first proposal of a cluster id wins; later ones (a second controller racing, or one
   * retried) are answered with the id already agreed.
   */
  static ControllerResult<InitClusterResponse> initCluster(
      MetadataImage image, InitClusterRequest req) {
    if (image.clusterId().isPresent() || req.getProposedClusterId().isBlank()) {
      return ControllerResult.noRecords(InitClusterResponse.newBuilder()
          .setClusterId(image.clusterId().orElse("")).build());
    }
    MetadataRecord r = MetadataRecord.newBuilder().setClusterId(
        ClusterIdRecord.newBuilder().setClusterId(req.getProposedClusterId())).build();
    return ControllerResult.of(List.of(r),
        InitClusterResponse.newBuilder().setClusterId(req.getProposedClusterId()).build());
  }

  static ControllerResult<AllocateProducerIdsResponse> allocateProducerIds(
      MetadataImage image, AllocateProducerIdsRequest req) {
    Errors error = checkBrokerEpoch(image, req.getBrokerId(), req.getBrokerEpoch());
    long start = image.nextProducerId();
    if (error == Errors.NONE && start > Long.MAX_VALUE - PRODUCER_ID_BLOCK_SIZE) {
      error = Errors.UNKNOWN_SERVER_ERROR;
    }
    if (error != Errors.NONE) {
      return ControllerResult.noRecords(AllocateProducerIdsResponse.newBuilder()
          .setErrorCode(error.code).setProducerIdStart(-1).build());
    }
    MetadataRecord r = MetadataRecord.newBuilder().setProducerIds(ProducerIdsRecord.newBuilder()
        .setBrokerId(req.getBrokerId()).setBrokerEpoch(req.getBrokerEpoch())
        .setNextProducerId(start + PRODUCER_ID_BLOCK_SIZE)).build();
    return ControllerResult.of(List.of(r), AllocateProducerIdsResponse.newBuilder()
        .setProducerIdStart(start).setProducerIdLen(PRODUCER_ID_BLOCK_SIZE).build());
  }
}
