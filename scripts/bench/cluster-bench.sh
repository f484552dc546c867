#!/usr/bin/env bash
# Replication figures of a three-node Rill cluster at default settings (issue 12):
#
#   scripts/bench/cluster-bench.sh [PHASES]     # PHASES: kill,sigterm,catchup,throughput (default all)
#
# kill      kill -9 of each node in turn (down 10 s, restarted on its data) under a steady
#           idempotent acks=all producer over 6 partitions: longest stall per kill, median and
#           max, time back in every ISR, and every acknowledged record read back at its offset.
# sigterm   the same as a rolling restart (SIGTERM, restart at once), with each node's exit time.
# catchup   one follower stopped while 1 GiB (-Drill.bench.catchup.bytes) is written, then
#           restarted: time until it is back in the ISR, and the rate.
# throughput RF 3 acks=all against RF 1: records/s and the brokers' CPU seconds per GiB.
#
# Runs ClusterBenchmark (chaos-tests; left out of `mvn verify` by its name) through Maven, with
# the node processes on this machine's loopback. Results are printed at the end of the output.
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
PHASES="${1:-kill,sigterm,catchup,throughput}"
cd "$REPO"
mvn -B -q -pl chaos-tests -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=ClusterBenchmark \
  -Drill.bench.phases="$PHASES" ${RILL_BENCH_MAVEN_OPTS:-} 2>&1 \
  | tee /tmp/rill-cluster-bench.log | sed -n '/==== ClusterBenchmark/,$p'
