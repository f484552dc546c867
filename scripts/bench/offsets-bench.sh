#!/usr/bin/env bash
# Size of __consumer_offsets on a long-lived broker under a group committing every 100 ms
# (issue 14): one node process at default settings, __consumer_offsets rolling every 60 s.
#
#   scripts/bench/offsets-bench.sh [MINUTES]     # default 5
#
# Runs OffsetsTopicBenchmark (chaos-tests; left out of `mvn verify` by its name) through Maven.
# Results (a size sample every 10 s, the largest and final sizes) are printed at the end.
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
MINUTES="${1:-5}"
cd "$REPO"
mvn -B -q -pl chaos-tests -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=OffsetsTopicBenchmark \
  -Drill.bench.minutes="$MINUTES" ${RILL_BENCH_MAVEN_OPTS:-} 2>&1 \
  | tee /tmp/rill-offsets-bench.log | sed -n '/==== OffsetsTopicBenchmark/,$p'
