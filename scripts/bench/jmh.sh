#!/usr/bin/env bash
# Runs the JMH micro-benchmarks: scripts/bench/jmh.sh [JMH args, e.g. a benchmark regex, -f 1 -wi 3 -i 5]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl benchmarks -am package -DskipTests
exec java -jar benchmarks/target/benchmarks.jar "$@"
