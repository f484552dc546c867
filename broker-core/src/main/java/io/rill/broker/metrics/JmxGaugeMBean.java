package io.rill.broker.metrics;

/**
 * What a gauge shows over JMX: one attribute, {@code Value}, as Kafka's gauges have (Yammer's
 * JMX reporter), so JMX exporters configured for Kafka's metric names read Rill's too.
 */
public interface JmxGaugeMBean {
  Number getValue();
}
