#!/usr/bin/env bash
# Persistent QoS 1 beside Mosquitto, on the same machine in one run: subscribers with persistent sessions (so each
# delivery is stored), each broker pinned to core 0 and the load generator to core 1, MQTT 3.1.1, alternating,
# RUNS times each. Three brokers:
#   culex-acked     persistence true (Culex's default: an acknowledged message is on disk, fsync with group commit)
#   culex-autosave  persistence true, persistence_durability autosave (Mosquitto's model: periodic snapshots)
#   mosquitto       persistence true (Mosquitto 2.0: periodic snapshots, autosave_interval 1800)
# Prints every run and then the medians. Results are kept in bench/target/persistence-<time>.txt.
#
#   bench/run-persistence.sh                 # build first, 3 runs of 4 s warm-up + 8 s
#   RUNS=5 bench/run-persistence.sh --no-build
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
. bench/common.sh
results="bench/target/persistence-$(date +%Y%m%d-%H%M%S).txt"

mkdir -p "$work/mosquitto" "$work/acked" "$work/autosave"
printf 'listener 18840 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 100000\n' \
  "$work/mosquitto" >"$work/mosquitto.conf"
taskset -c "$BROKER_CPU" "$MOSQUITTO" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
mosquitto_pid=$!; pids+=("$mosquitto_pid")
printf 'listener 18841 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s\nmax_queued_messages 100000\n' \
  "$work/acked" >"$work/acked.conf"
taskset -c "$BROKER_CPU" distribution/target/culex/bin/culex -c "$work/acked.conf" >"$work/acked.log" 2>&1 &
acked_pid=$!; pids+=("$acked_pid")
wait_port 18841 # one JVM starting at a time on the broker's core
printf 'listener 18842 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_durability autosave\npersistence_location %s\nmax_queued_messages 100000\n' \
  "$work/autosave" >"$work/autosave.conf"
taskset -c "$BROKER_CPU" distribution/target/culex/bin/culex -c "$work/autosave.conf" >"$work/autosave.log" 2>&1 &
autosave_pid=$!; pids+=("$autosave_pid")
wait_port 18840; wait_port 18842

persistent() {
  bench --persistent-subscribers true "$@"
}
scenarios=(
  "--scenario pairs --pairs 8 --qos 1 --size 256"
  "--scenario pairs --pairs 8 --qos 1 --size 256 --rate 500"
)
echo "# $(date -u +%FT%TZ) $(nproc) cores, $("$MOSQUITTO" -h 2>&1 | head -1), persistent QoS 1, $(df -T "$work" | tail -1 | awk '{print $2}') on $(df "$work" | tail -1 | awk '{print $1}')" | tee "$results"
for run in $(seq "$RUNS"); do
  for s in "${scenarios[@]}"; do
    # shellcheck disable=SC2086
    persistent --port 18841 --broker-pid "$acked_pid" --label culex-acked $s | tee -a "$results" | grep -v '^RESULT'
    # shellcheck disable=SC2086
    persistent --port 18842 --broker-pid "$autosave_pid" --label culex-autosave $s | tee -a "$results" | grep -v '^RESULT'
    # shellcheck disable=SC2086
    persistent --port 18840 --broker-pid "$mosquitto_pid" --label mosquitto $s | tee -a "$results" | grep -v '^RESULT'
  done
done
kill -0 "$acked_pid" "$autosave_pid" "$mosquitto_pid" || { echo "run-persistence: a broker died" >&2; exit 1; }

echo
python3 - "$results" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in l.split()[1:]) for l in open(sys.argv[1]) if l.startswith("RESULT ")]
table = {}
for r in rows:
    rate = f", {r['rate']}/s each" if r.get("rate", "0") != "0" else ", max rate"
    table.setdefault(f"{r['publishers']} pairs QoS {r['qos']} {r['size']} B{rate}", {}).setdefault(r["label"], []).append(r)
med = lambda rs, f: statistics.median(float(r[f]) for r in rs)
print("| scenario | broker | delivered/s | lost | latency p50 / p99 ms | runs |")
print("|---|---|---|---|---|---|")
for k, by in table.items():
    for label in ("mosquitto", "culex-autosave", "culex-acked"):
        rs = by.get(label, [])
        if rs:
            print(f"| {k} | {label} | {med(rs, 'delivered_per_s'):,.0f} | {med(rs, 'lost'):,.0f} "
                  f"| {med(rs, 'p50_ms'):.2f} / {med(rs, 'p99_ms'):.2f} | {len(rs)} |")
PY
