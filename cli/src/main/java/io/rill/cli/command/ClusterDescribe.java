package io.rill.cli.command;

import io.rill.client.BrokerConnection;
import io.rill.client.ClientException;
import io.rill.client.Quorum;
import io.rill.protocol.ApiKey;
import io.rill.protocol.message.DescribeClusterRequest;
import io.rill.protocol.message.DescribeClusterResponse;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code rill cluster describe}: cluster id, controller, the brokers with the partitions each
 * leads (from one Metadata request for every topic, internal ones included), and the metadata
 * quorum from DescribeQuorum. A broker that does not offer DescribeQuorum (or cannot answer it)
 * still gets its brokers described; the quorum section says why it is missing.
 */
@Command(name = "describe",
    description = {"Brokers and the metadata quorum.",
        "",
        "Brokers: id, address, rack, whether it is the controller, and how many partitions "
            + "(of all topics, internal ones included) it leads. Brokers answer with unfenced "
            + "brokers only, so a broker that is fenced or down shows as a 'fenced/offline' row "
            + "without an address: it is known as a replica of some partition.",
        "",
        "Quorum (DescribeQuorum, KIP-595): leader, epoch, high watermark, and per voter "
            + "(ROLE leader or follower) and observer: log end offset, LAG behind the leader's "
            + "log end, and LAST_CONTACT_MS_AGO, when the leader last heard from it by its own "
            + "clock. A broker that does not offer DescribeQuorum (or cannot answer it) gets "
            + "'Quorum: not available from this broker' and the reason; the brokers are still "
            + "shown.",
        "",
        "With --output json: one document {clusterId, controllerId, nodes, quorum}."})
final class ClusterDescribe extends BaseCommand {
  @Override
  void execute() {
    BrokerConnection c = client().any();
    Struct md = client().metadata(null);
    String clusterId = md.get(MetadataResponse.CLUSTER_ID);
    int controller = md.get(MetadataResponse.CONTROLLER_ID);
    List<ClusterView.Broker> listed = new ArrayList<>();
    if (c.supports(ApiKey.DESCRIBE_CLUSTER)) {
      Struct resp = c.send(ApiKey.DESCRIBE_CLUSTER, new Struct(DescribeClusterRequest.SCHEMA));
      ClientException.check(resp.get(DescribeClusterResponse.ERROR_CODE),
          resp.get(DescribeClusterResponse.ERROR_MESSAGE), "describe cluster");
      clusterId = resp.get(DescribeClusterResponse.CLUSTER_ID);
      controller = resp.get(DescribeClusterResponse.CONTROLLER_ID);
      for (Struct b : resp.get(DescribeClusterResponse.BROKERS)) {
        listed.add(new ClusterView.Broker(b.get(DescribeClusterResponse.BROKER_ID),
            b.get(DescribeClusterResponse.BROKER_HOST), b.get(DescribeClusterResponse.BROKER_PORT),
            b.get(DescribeClusterResponse.BROKER_RACK)));
      }
    } else {
      for (Struct b : md.get(MetadataResponse.BROKERS)) {
        listed.add(new ClusterView.Broker(b.get(MetadataResponse.BROKER_NODE_ID),
            b.get(MetadataResponse.BROKER_HOST), b.get(MetadataResponse.BROKER_PORT),
            b.get(MetadataResponse.BROKER_RACK)));
      }
    }
    List<ClusterView.Partition> partitions = new ArrayList<>();
    for (Struct t : md.get(MetadataResponse.TOPICS)) {
      for (Struct p : t.get(MetadataResponse.PARTITIONS)) {
        partitions.add(new ClusterView.Partition(p.get(MetadataResponse.LEADER_ID),
            p.get(MetadataResponse.REPLICA_NODES)));
      }
    }
    List<Map<String, Object>> nodes = ClusterView.brokers(listed, controller, partitions);
    Map<String, Object> quorum = quorum(c);
    if (output().json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("clusterId", clusterId);
      doc.put("controllerId", controller);
      doc.put("nodes", nodes);
      doc.put("quorum", quorum);
      output().document(doc);
      return;
    }
    output().out().println("Cluster ID: " + clusterId);
    output().out().println("Controller: " + controller);
    output().table(ClusterView.BROKER_KEYS, nodes);
    output().out().println();
    printQuorum(quorum);
  }

  /** The quorum document, or why there is none; never fails the command. */
  private Map<String, Object> quorum(BrokerConnection c) {
    try {
      Optional<Quorum> q = Quorum.describe(c);
      if (q.isEmpty()) {
        return ClusterView.quorumUnavailable("not available from this broker ("
            + c.address() + " does not offer DescribeQuorum)");
      }
      return ClusterView.quorum(q.get(), System.currentTimeMillis());
    } catch (ClientException e) {
      return ClusterView.quorumUnavailable("not available from this broker (" + e.getMessage()
          + ")");
    }
  }

  @SuppressWarnings("unchecked")
  private void printQuorum(Map<String, Object> quorum) {
    if (!(Boolean) quorum.get("available")) {
      output().out().println("Quorum: " + quorum.get("reason"));
      return;
    }
    output().out().println("Quorum: leader " + quorum.get("leaderId") + ", epoch "
        + quorum.get("leaderEpoch") + ", high watermark " + quorum.get("highWatermark"));
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.addAll((List<Map<String, Object>>) quorum.get("voters"));
    rows.addAll((List<Map<String, Object>>) quorum.get("observers"));
    output().table(ClusterView.QUORUM_KEYS, rows);
  }
}
