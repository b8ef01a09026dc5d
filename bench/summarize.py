#!/usr/bin/env python3
"""Summarise the RESULT lines of a bench/run-matrix.sh run: medians per scenario and broker, and the
Culex/Mosquitto ratio of delivered messages per second. Usage: bench/summarize.py bench/target/results-<time>.txt"""
import statistics
import sys

rows = []
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        rows.append(dict(kv.split("=", 1) for kv in line.split()[1:]))


def key(r):
    rate = f", {r['rate']}/s each" if r.get("rate", "0") != "0" else ""
    return f"{r['scenario']} QoS {r['qos']} {r['size']} B, {r['publishers']} pub / {r['subscribers']} sub{rate}"


table = {}
for r in rows:
    table.setdefault(key(r), {}).setdefault(r["label"], []).append(r)


def med(rs, field):
    return statistics.median(float(r[field]) for r in rs)


print("| scenario | Mosquitto delivered/s (lost) | Culex delivered/s (lost) | Culex / Mosquitto "
      "| accepted from publishers/s, Mosquitto / Culex | latency p50 / p99 ms, Mosquitto / Culex "
      "| load generator CPU, Mosquitto / Culex |")
print("|---|---|---|---|---|---|---|")
runs = 0
for k, by in table.items():
    m, c = by.get("mosquitto", []), by.get("culex", [])
    if not m or not c:
        continue
    runs = max(runs, len(m), len(c))
    md, cd = med(m, "delivered_per_s"), med(c, "delivered_per_s")
    print(f"| {k} | {md:,.0f} ({med(m, 'lost'):,.0f}) | {cd:,.0f} ({med(c, 'lost'):,.0f}) | **{cd / md:.2f}x** "
          f"| {med(m, 'sent_per_s'):,.0f} / {med(c, 'sent_per_s'):,.0f} "
          f"| {med(m, 'p50_ms'):.2f} / {med(m, 'p99_ms'):.2f} — {med(c, 'p50_ms'):.2f} / {med(c, 'p99_ms'):.2f} "
          f"| {med(m, 'bench_cpu_pct'):.0f} % / {med(c, 'bench_cpu_pct'):.0f} % |")
print()
print(f"Medians of {runs} runs per broker; lost = messages sent in the window that never arrived; "
      f"all runs: {sys.argv[1]}")
