#!/usr/bin/env python3
"""Summarise compare-kafka.sh's runs.csv: per-run figures, medians, Rill/Kafka ratios, targets.

Usage: summarize.py RESULTS_DIR  (prints Markdown; writes RESULTS_DIR/chart.tsv for Chart.java)
Round 0 is the warm-up and is left out of every median.
"""
import csv
import statistics
import sys
from collections import defaultdict

# (label, workload, metric, unit, target ratio, "ge" if Rill/Kafka must be >= target else "le")
TARGETS = [
    ("produce records/s, headline", "headline", "records_per_s", "rec/s", 1.0, "ge"),
    ("broker CPU-s per GiB produced, headline", "headline", "cpu_s_per_gib_produced", "s/GiB", 0.7, "le"),
    ("consume MiB/s, headline (fetch phase)", "headline", "consume_fetch_mib_per_s", "MiB/s", 1.0, "ge"),
    ("broker CPU-s per GiB consumed, headline", "headline", "cpu_s_per_gib_consumed", "s/GiB", 0.7, "le"),
    ("fixed-load (50k rec/s) p99 latency", "fixed-50k", "p99_ms", "ms", 1.0, "le"),
    ("start to first Metadata answer", "startup", "start_to_metadata_ms", "ms", 0.25, "le"),
    ("RSS after the headline run", "headline", "rss_after_mib", "MiB", 0.5, "le"),
]


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def main(out_dir):
    values = defaultdict(list)  # (workload, metric, broker) -> [(round, value, load)]
    order = []
    with open(f"{out_dir}/runs.csv") as f:
        for row in csv.DictReader(f):
            rnd = int(row["round"])
            if rnd == 0:
                continue
            key = (row["workload"], row["metric"])
            if key not in order:
                order.append(key)
            values[(row["workload"], row["metric"], row["broker"])].append(
                (rnd, float(row["value"]), float(row["load1"])))

    def median(workload, metric, broker):
        runs = values.get((workload, metric, broker))
        return statistics.median(v for _, v, _ in runs) if runs else None

    print("### Per-run figures (load average in brackets)\n")
    print("| workload | figure | Rill runs | Kafka runs | Rill median | Kafka median | Rill / Kafka |")
    print("|---|---|---|---|---|---|---|")
    for workload, metric in order:
        cells = []
        for broker in ("rill", "kafka"):
            runs = sorted(values.get((workload, metric, broker), []))
            cells.append(" ".join(f"{fmt(v)} [{l:.1f}]" for _, v, l in runs) or "-")
        r, k = median(workload, metric, "rill"), median(workload, metric, "kafka")
        ratio = f"{r / k:.2f}" if r is not None and k else "-"
        print(f"| {workload} | {metric} | {cells[0]} | {cells[1]} | {fmt(r)} | {fmt(k)} | {ratio} |")

    print("\n### Targets (medians, Rill / Kafka)\n")
    print("| figure | Rill | Kafka | Rill / Kafka | target | met |")
    print("|---|---|---|---|---|---|")
    with open(f"{out_dir}/chart.tsv", "w") as chart:
        for label, workload, metric, unit, target, sense in TARGETS:
            r, k = median(workload, metric, "rill"), median(workload, metric, "kafka")
            if r is None or not k:
                print(f"| {label} | {fmt(r)} | {fmt(k)} | - | {'≥' if sense == 'ge' else '≤'} {target} | no data |")
                continue
            ratio = r / k
            met = ratio >= target if sense == "ge" else ratio <= target
            sign = "≥" if sense == "ge" else "≤"
            print(f"| {label} | {fmt(r)} {unit} | {fmt(k)} {unit} | {ratio:.2f} | {sign} {target} | "
                  f"{'yes' if met else '**no**'} |")
            better = "higher" if sense == "ge" else "lower"
            chart.write(f"{label}\t{unit}\t{better}\t{r}\t{k}\t{target}\n")


if __name__ == "__main__":
    main(sys.argv[1])
