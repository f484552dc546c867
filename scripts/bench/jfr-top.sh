#!/usr/bin/env bash
# Hottest methods and allocation sites of a JFR recording, by top frame (no GUI needed).
#
#   scripts/bench/jfr-top.sh FILE.jfr [N]
set -eu  # no pipefail: head closing the pipe early is expected
file=$1; n=${2:-25}
top_frames() { # event
  jfr print --events "$1" --stack-depth 1 "$file" \
    | awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); print}' \
    | sort | uniq -c | sort -rn | head -"$n"
}
echo "== CPU samples (jdk.ExecutionSample), top frame"
top_frames jdk.ExecutionSample
echo "== Allocation samples (jdk.ObjectAllocationSample), top frame, by number of samples (not bytes)"
top_frames jdk.ObjectAllocationSample
echo "== Java monitor waits over 20 ms (jdk.JavaMonitorEnter)"
jfr print --events jdk.JavaMonitorEnter --stack-depth 1 "$file" \
  | awk '/monitorClass/ {print}' | sort | uniq -c | sort -rn | head -10
