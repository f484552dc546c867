package io.rill.broker.metrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gauge on the platform MBean server under one of Kafka's object names, read on demand.
 *
 * <p>Several brokers may share a JVM (tests); the first to register a name keeps it and the others
 * go without, since the names carry no broker id (as in Kafka). {@link Registration#close}
 * removes only the gauges that registration added. Thread-safe.
 */
public final class JmxGauge implements JmxGaugeMBean {
  private static final Logger LOG = LoggerFactory.getLogger(JmxGauge.class);

  private final Supplier<? extends Number> value;

  private JmxGauge(Supplier<? extends Number> value) {
    this.value = value;
  }

  @Override
  public Number getValue() {
    return value.get();
  }

  /** The gauges one owner registered; closing unregisters them. */
  public static final class Registration implements AutoCloseable {
    private final List<ObjectName> names = new ArrayList<>();

    /** Registers a gauge under {@code objectName} unless the name is taken. */
    public Registration add(String objectName, Supplier<? extends Number> value) {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      try {
        ObjectName name = new ObjectName(objectName);
        synchronized (JmxGauge.class) {
          if (!server.isRegistered(name)) {
            server.registerMBean(new JmxGauge(value), name);
            names.add(name);
          }
        }
      } catch (JMException e) {
        LOG.warn("Cannot register the JMX gauge {}: {}", objectName, e.toString());
      }
      return this;
    }

    @Override
    public void close() {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      synchronized (JmxGauge.class) {
        for (ObjectName name : names) {
          try {
            server.unregisterMBean(name);
          } catch (JMException e) {
            LOG.debug("JMX gauge {} was already gone", name);
          }
        }
        names.clear();
      }
    }
  }
}
