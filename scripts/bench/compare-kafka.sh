#!/usr/bin/env bash
# Side-by-side benchmark of Rill against Apache Kafka 4.1.0 on one machine (issue 7).
#
#   scripts/bench/compare-kafka.sh [--rounds N] [--scale F] [--no-warmup] [--jfr]
#
# Fetches Kafka 4.1.0 from Maven Central into $RILL_BENCH_CACHE (default ~/.cache/rill-bench,
# never inside the repo), builds Rill if needed, then runs both brokers one at a time on
# 127.0.0.1:29092 (RILL_BENCH_PORT) and drives them with the official ProducerPerformance/ConsumerPerformance,
# alternating Rill Kafka Rill Kafka ... over N rounds (default 3) after a discarded warm-up
# round (headline workload only). Each run: start the broker (start-to-first-Metadata), create topics, a small warm-up
# produce, then the workloads below, recording records/s, MiB/s, latency percentiles, broker
# CPU-seconds per GiB (utime+stime of the broker JVM from /proc/<pid>/stat), RSS, load average.
# --scale multiplies every record count (0.2 for a quick smoke run). --jfr records a JFR
# profile of each Rill run into the results directory.
#
# Output: $RILL_BENCH_WORK/results/<timestamp>/ (runs.csv, summary.md, headline.png, logs).
set -euo pipefail
trap '[ -n "${BROKER_PID:-}" ] && kill -TERM "$BROKER_PID" 2>/dev/null' EXIT

REPO=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
BENCH_DIR="$REPO/scripts/bench"
CACHE="${RILL_BENCH_CACHE:-$HOME/.cache/rill-bench}"
WORK="${RILL_BENCH_WORK:-/tmp/rill-bench}"
KAFKA_VERSION=4.1.0
KAFKA_HOME="$CACHE/kafka-$KAFKA_VERSION"
KLIB="$KAFKA_HOME/lib"
HELPERS="$CACHE/helpers"
# Not 9092/9093: other checkouts on this machine run their own brokers and tests on the defaults.
PORT="${RILL_BENCH_PORT:-29092}"
CONTROLLER_PORT=$((PORT + 1))
BOOTSTRAP="127.0.0.1:$PORT"
CLK_TCK=$(getconf CLK_TCK)

ROUNDS=3; SCALE=1; WARMUP=1; JFR=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    --no-warmup) WARMUP=0; shift ;;
    --jfr) JFR=1; shift ;;
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done

# Workloads: name topic partitions records record-size extra-producer-props throughput(-1 = max).
scaled() { python3 -c "import sys; print(max(1000, int($1 * $SCALE)))"; }
HEADLINE_RECORDS=$(scaled 1000000)
WORKLOADS=(
  "headline|t-headline|6|$HEADLINE_RECORDS|1024|compression.type=none|-1"
  "small-100B|t-small|6|$(scaled 1000000)|100|compression.type=none|-1"
  "one-partition|t-one|1|$(scaled 300000)|1024|compression.type=none|-1"
  "lz4|t-lz4|6|$(scaled 500000)|1024|compression.type=lz4|-1"
  "fixed-50k|t-fixed|6|$(scaled 500000)|1024|compression.type=none|50000"
)
WARM_RECORDS=$(scaled 200000)

STAMP=$(date +%Y%m%d-%H%M%S)
OUT="$WORK/results/$STAMP"
mkdir -p "$OUT/logs"
CSV="$OUT/runs.csv"
echo "broker,round,workload,metric,value,load1" > "$CSV"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
record() { echo "$1,$2,$3,$4,$5,$(load1)" >> "$CSV"; }

fetch_kafka() {
  if [ -f "$KLIB/kafka_2.13-$KAFKA_VERSION.jar" ] && [ -f "$KLIB/kafka-tools-$KAFKA_VERSION.jar" ]; then
    return
  fi
  log "Fetching Apache Kafka $KAFKA_VERSION from Maven Central into $KAFKA_HOME"
  mkdir -p "$KAFKA_HOME"
  sed "s/@KAFKA_VERSION@/$KAFKA_VERSION/g" "$BENCH_DIR/kafka-dist.pom.xml" > "$KAFKA_HOME/pom.xml"
  (cd "$KAFKA_HOME" && rm -rf lib && mvn -B -q dependency:copy-dependencies -DoutputDirectory=lib)
}

build_helpers() {
  mkdir -p "$HELPERS"
  javac -d "$HELPERS" "$BENCH_DIR/java/MetadataProbe.java"
  javac -d "$HELPERS" -cp "$KLIB/kafka-clients-$KAFKA_VERSION.jar" "$BENCH_DIR/java/CreateTopics.java"
  javac -d "$HELPERS" "$BENCH_DIR/java/Chart.java"
}

# Builds Rill if needed and makes bin/broker's class-data archive now, so that no measured start
# includes the one-off training run (every later start, as an operator's, uses the archive).
build_rill() {
  log "Preparing Rill (build if needed, class-data archive)"
  "$REPO/scripts/bin/broker" prepare
}

# Kafka tools run with their own small heap and quiet logging, identically for both brokers.
tool() {
  java -Xmx512m -Dlog4j2.configurationFile="$BENCH_DIR/tools-log4j2.properties" \
    -cp "$KLIB/*:$HELPERS" "$@"
}

BROKER_PID=""
TOOL_TIMEOUT_S=600

# A run whose broker died (or was stopped by something else on the machine) is void: stop loudly.
broker_alive() {
  kill -0 "$BROKER_PID" 2>/dev/null && return 0
  log "the broker (pid $BROKER_PID) is gone; last lines of its output:"
  tail -20 "$WORK"/*/server.out >&2 || true
  exit 1
}
BROKER_START_MS=""

start_broker() { # kind round
  local kind=$1 round=$2 dir="$WORK/$1"
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$kind" = kafka ]; then
    sed "s#@LOG_DIR@#$dir/data#; s#@PORT@#$PORT#g; s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" \
      "$BENCH_DIR/kafka-server.properties" > "$dir/server.properties"
    local cluster_id
    cluster_id=$(tool kafka.tools.StorageTool random-uuid)
    tool kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
      --standalone > "$dir/format.out"
  fi
  local t0
  t0=$(date +%s%3N)
  if [ "$kind" = kafka ]; then
    # The JVM flags kafka-server-start.sh / kafka-run-class.sh use by default.
    (cd "$dir" && exec java -Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
      -Djava.awt.headless=true -Dkafka.logs.dir="$dir/logs" \
      -Dlog4j2.configurationFile="$BENCH_DIR/kafka-log4j2.properties" \
      -cp "$KLIB/*" kafka.Kafka "$dir/server.properties" > "$dir/server.out" 2>&1) &
  else
    local jvm_opts="${RILL_JVM_OPTS:-}"
    if [ "$JFR" = 1 ]; then
      jvm_opts="$jvm_opts -XX:StartFlightRecording=filename=$OUT/rill-round$round.jfr,settings=profile"
    fi
    (cd "$dir" && RILL_JVM_OPTS="$jvm_opts" exec "$REPO/scripts/bin/broker" start \
      --override "listeners=PLAINTEXT://127.0.0.1:$PORT" \
      --override "advertised.listeners=PLAINTEXT://127.0.0.1:$PORT" \
      --override "controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT" \
      --override group.initial.rebalance.delay.ms=0 > "$dir/server.out" 2>&1) &
  fi
  BROKER_PID=$!
  local answer
  if ! answer=$(java -cp "$HELPERS" MetadataProbe 127.0.0.1 "$PORT" 120000); then
    log "$kind did not answer Metadata; see $dir/server.out"; tail -30 "$dir/server.out" >&2; exit 1
  fi
  local startup_ms=$(( ${answer%% *} - t0 ))
  # bin/broker execs java, so $! is the broker JVM itself; make sure, since CPU and RSS come from it.
  grep -q java "/proc/$BROKER_PID/comm" || { log "pid $BROKER_PID is not the broker JVM"; exit 1; }
  record "$kind" "$round" startup start_to_metadata_ms "$startup_ms"
  log "$kind round $round: first Metadata answer after $startup_ms ms (pid $BROKER_PID)"
}

stop_broker() { # kind
  local dir="$WORK/$1"
  kill -TERM "$BROKER_PID" 2>/dev/null || true
  local deadline=$(( $(date +%s) + 60 ))
  while kill -0 "$BROKER_PID" 2>/dev/null; do
    if [ "$(date +%s)" -gt "$deadline" ]; then kill -KILL "$BROKER_PID" 2>/dev/null || true; fi
    sleep 0.2
  done
  wait "$BROKER_PID" 2>/dev/null || true
  BROKER_PID=""
  mkdir -p "$OUT/logs/$1-$2"
  cp "$dir/server.out" "$OUT/logs/$1-$2/" 2>/dev/null || true
  [ -f "$dir/logs/server.log" ] && tail -c 2000000 "$dir/logs/server.log" > "$OUT/logs/$1-$2/server.log" || true
  rm -rf "$dir"
}

produce() { # kind round workload topic records size props throughput
  local kind=$1 round=$2 name=$3 topic=$4 records=$5 size=$6 props=$7 throughput=$8
  local before after out line
  before=$(cpu_ticks "$BROKER_PID")
  out=$(timeout "$TOOL_TIMEOUT_S" java -Xmx512m -Dlog4j2.configurationFile="$BENCH_DIR/tools-log4j2.properties" \
    -cp "$KLIB/*" org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$records" \
    --record-size "$size" --throughput "$throughput" \
    --producer-props bootstrap.servers="$BOOTSTRAP" acks=all linger.ms=5 $props 2>&1) || {
      log "ProducerPerformance failed:"; echo "$out" | tail -20 >&2; broker_alive; return 1; }
  broker_alive
  after=$(cpu_ticks "$BROKER_PID")
  echo "$out" > "$OUT/logs/$kind-$round-$name-producer.out"
  # Last line: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency,
  # p50 ms 50th, p95 ms 95th, p99 ms 99th, p999 ms 99.9th."
  line=$(echo "$out" | grep 'records sent' | tail -1)
  [ -n "$line" ] || { log "no summary from ProducerPerformance"; echo "$out" | tail >&2; return 1; }
  local -a f
  read -r -a f <<< "$(echo "$line" | tr -d '(),' )"
  [ "$name" = warm ] && return 0
  local gib
  gib=$(python3 -c "print($records * $size / 2**30)")
  record "$kind" "$round" "$name" records_per_s "${f[3]}"
  record "$kind" "$round" "$name" mib_per_s "${f[5]}"
  record "$kind" "$round" "$name" p50_ms "${f[15]}"
  record "$kind" "$round" "$name" p99_ms "${f[21]}"
  record "$kind" "$round" "$name" p999_ms "${f[24]}"
  record "$kind" "$round" "$name" cpu_s_per_gib_produced \
    "$(python3 -c "print(round(($after - $before) / $CLK_TCK / $gib, 3))")"
  log "$kind round $round $name: ${f[3]} rec/s ${f[5]} MiB/s p99 ${f[21]} ms, broker CPU $(( (after - before) / CLK_TCK )) s, load $(load1)"
}

consume() { # kind round workload topic records size
  local kind=$1 round=$2 name=$3 topic=$4 records=$5 size=$6
  local before after out line
  before=$(cpu_ticks "$BROKER_PID")
  out=$(timeout "$TOOL_TIMEOUT_S" java -Xmx512m -Dlog4j2.configurationFile="$BENCH_DIR/tools-log4j2.properties" \
    -cp "$KLIB/*" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
    --messages "$records" --group "bench-$kind-$round-$name" --timeout 60000 --hide-header 2>&1) || {
      log "ConsumerPerformance failed:"; echo "$out" | tail -20 >&2; broker_alive; return 1; }
  broker_alive
  after=$(cpu_ticks "$BROKER_PID")
  echo "$out" > "$OUT/logs/$kind-$round-$name-consumer.out"
  # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  # rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec  (MB = MiB)
  line=$(echo "$out" | grep -E '^[0-9]{4}-' | tail -1)
  [ -n "$line" ] || { log "no summary from ConsumerPerformance"; echo "$out" | tail >&2; return 1; }
  local -a f
  IFS=',' read -r -a f <<< "$(echo "$line" | tr -d ' ')"
  local gib
  gib=$(python3 -c "print(${f[2]} / 1024)")
  record "$kind" "$round" "$name" consume_mib_per_s "${f[3]}"
  record "$kind" "$round" "$name" consume_fetch_mib_per_s "${f[8]}"
  record "$kind" "$round" "$name" consume_records "${f[4]}"
  record "$kind" "$round" "$name" cpu_s_per_gib_consumed \
    "$(python3 -c "print(round(($after - $before) / $CLK_TCK / $gib, 3))")"
  log "$kind round $round consume $name: ${f[3]} MiB/s (fetch ${f[8]} MiB/s), ${f[4]} records, load $(load1)"
}

one_run() { # kind round; round 0 is the warm-up and runs only the headline workload
  local kind=$1 round=$2
  start_broker "$kind" "$round"
  local topics=("warm:6")
  for w in "${WORKLOADS[@]}"; do IFS='|' read -r _ topic parts _ <<< "$w"; topics+=("$topic:$parts"); done
  tool CreateTopics "$BOOTSTRAP" "${topics[@]}" > "$OUT/logs/$kind-$round-create.out" 2>&1 || {
    log "topic creation failed"; tail -20 "$OUT/logs/$kind-$round-create.out" >&2; exit 1; }
  produce "$kind" "$round" warm warm "$WARM_RECORDS" 1024 compression.type=none -1
  for w in "${WORKLOADS[@]}"; do
    IFS='|' read -r name topic parts records size props throughput <<< "$w"
    produce "$kind" "$round" "$name" "$topic" "$records" "$size" "$props" "$throughput"
    if [ "$name" = headline ]; then
      consume "$kind" "$round" "$name" "$topic" "$records" "$size"
      record "$kind" "$round" headline rss_after_mib "$(( $(rss_kib "$BROKER_PID") / 1024 ))"
      [ "$round" = 0 ] && break
    fi
  done
  record "$kind" "$round" end rss_end_mib "$(( $(rss_kib "$BROKER_PID") / 1024 ))"
  stop_broker "$kind" "$round"
}

fetch_kafka
build_rill
build_helpers
{
  echo "machine: $(nproc) cores, $(free -m | awk '/^Mem:/ {print $2}') MiB RAM, $(uname -r)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "jdk: $(java -version 2>&1 | head -2 | tail -1)"
  echo "rill: $(cd "$REPO" && git rev-parse --short HEAD) ($(cd "$REPO" && git status --porcelain | wc -l) uncommitted changes)"
  echo "kafka: $KAFKA_VERSION"
  echo "command: scripts/bench/compare-kafka.sh --rounds $ROUNDS --scale $SCALE$([ "$WARMUP" = 1 ] || echo ' --no-warmup')"
  echo "started: $(date -Is), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt" >&2

if [ "$WARMUP" = 1 ]; then
  log "Warm-up round (discarded)"
  one_run rill 0
  one_run kafka 0
fi
for round in $(seq 1 "$ROUNDS"); do
  one_run rill "$round"
  one_run kafka "$round"
done
echo "finished: $(date -Is), load average $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

python3 "$BENCH_DIR/summarize.py" "$OUT" | tee "$OUT/summary.md"
java -Djava.awt.headless=true -cp "$HELPERS" Chart "$OUT/chart.tsv" "$OUT/headline.png"
log "Results in $OUT (summary.md, headline.png, runs.csv)"
