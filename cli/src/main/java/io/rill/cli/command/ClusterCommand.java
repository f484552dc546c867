package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.BrokerConnection;
import io.rill.protocol.ApiKey;
import io.rill.protocol.message.DescribeClusterRequest;
import io.rill.protocol.message.DescribeClusterResponse;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code rill cluster describe}: cluster id, controller and brokers. */
@Command(name = "cluster", description = "Cluster-wide information.",
    subcommands = ClusterCommand.Describe.class)
public final class ClusterCommand {
  @Command(name = "describe", description = "Nodes, controller (quorum leader) and cluster id.")
  static final class Describe extends BaseCommand {
    @Override
    void execute() {
      BrokerConnection c = client().any();
      String clusterId;
      int controller;
      List<Map<String, Object>> nodes = new ArrayList<>();
      if (c.supports(ApiKey.DESCRIBE_CLUSTER)) {
        Struct resp = c.send(ApiKey.DESCRIBE_CLUSTER, new Struct(DescribeClusterRequest.SCHEMA));
        ClientException.check(resp.get(DescribeClusterResponse.ERROR_CODE),
            resp.get(DescribeClusterResponse.ERROR_MESSAGE), "describe cluster");
        clusterId = resp.get(DescribeClusterResponse.CLUSTER_ID);
        controller = resp.get(DescribeClusterResponse.CONTROLLER_ID);
        for (Struct b : resp.get(DescribeClusterResponse.BROKERS)) {
          nodes.add(node(b.get(DescribeClusterResponse.BROKER_ID),
              b.get(DescribeClusterResponse.BROKER_HOST), b.get(DescribeClusterResponse.BROKER_PORT),
              b.get(DescribeClusterResponse.BROKER_RACK), controller));
        }
      } else {
        Struct md = client().metadata(List.of());
        clusterId = md.get(MetadataResponse.CLUSTER_ID);
        controller = md.get(MetadataResponse.CONTROLLER_ID);
        for (Struct b : md.get(MetadataResponse.BROKERS)) {
          nodes.add(node(b.get(MetadataResponse.BROKER_NODE_ID), b.get(MetadataResponse.BROKER_HOST),
              b.get(MetadataResponse.BROKER_PORT), b.get(MetadataResponse.BROKER_RACK), controller));
        }
      }
      nodes.sort((a, b) -> Integer.compare((Integer) a.get("id"), (Integer) b.get("id")));
      if (output().json()) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("clusterId", clusterId);
        doc.put("controllerId", controller);
        doc.put("nodes", nodes);
        output().document(doc);
      } else {
        output().out().println("Cluster ID: " + clusterId);
        output().out().println("Controller: " + controller);
        output().table(List.of("id", "host", "port", "rack", "controller"), nodes);
      }
    }

    private static Map<String, Object> node(int id, String host, int port, String rack,
        int controller) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("id", id);
      n.put("host", host);
      n.put("port", port);
      n.put("rack", rack);
      n.put("controller", id == controller);
      return n;
    }
  }
}
