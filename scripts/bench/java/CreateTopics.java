import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the benchmark topics in one CreateTopics call and waits until every partition has a leader
 * (so the first produce of a workload does not pay for leader election).
 *
 * <p>Usage: java -cp kafka-clients.jar:. CreateTopics bootstrap name:partitions ...
 */
public final class CreateTopics {
  private static final long DEADLINE_MS = 60_000;

  public static void main(String[] args) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String[] nameAndPartitions = args[i].split(":");
      topics.add(new NewTopic(nameAndPartitions[0], Integer.parseInt(nameAndPartitions[1]), (short) 1));
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]))) {
      admin.createTopics(topics).all().get(DEADLINE_MS, TimeUnit.MILLISECONDS);
      List<String> names = topics.stream().map(NewTopic::name).toList();
      long deadline = System.currentTimeMillis() + DEADLINE_MS;
      while (true) {
        try {
          boolean allLed = admin.describeTopics(names).allTopicNames().get(DEADLINE_MS, TimeUnit.MILLISECONDS)
              .values().stream()
              .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
          if (allLed) {
            return;
          }
        } catch (Exception e) {
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("partitions without a leader after " + DEADLINE_MS + " ms");
        }
        Thread.sleep(50);
      }
    }
  }
}
