/** JMH micro-benchmarks; run them with {@code scripts/bench/jmh.sh [regex]}. */
package io.rill.benchmarks;
