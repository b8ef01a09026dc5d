#!/usr/bin/env bash
# Runs the standard benchmark matrix against Culex and Mosquitto in one run, on the same machine: each broker pinned
# to core 0 (taskset -c 0), the load generator to core 1, MQTT 3.1.1, default configuration (anonymous, no
# persistence). Scenarios alternate between the brokers, RUNS times each; prints every run, then medians and the
# Culex/Mosquitto ratios. Results of a run are kept in bench/target/results-<time>.txt.
#
#   bench/run-matrix.sh            # build first (mvn install -DskipTests), 3 runs of 4 s warm-up + 8 s
#   RUNS=5 DURATION=10 bench/run-matrix.sh --no-build
#
# Needs: Java 17, Maven, taskset (util-linux), python3, and Debian's mosquitto (installed with apt-get if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
CULEX_PORT=${CULEX_PORT:-18831}
MOSQUITTO_PORT=${MOSQUITTO_PORT:-18830}
# shellcheck source=bench/common.sh
. bench/common.sh
results="bench/target/results-$(date +%Y%m%d-%H%M%S).txt"

printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$MOSQUITTO_PORT" >"$work/mosquitto.conf"
taskset -c "$BROKER_CPU" "$MOSQUITTO" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
mosquitto_pid=$!
pids+=("$mosquitto_pid")
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$CULEX_PORT" >"$work/culex.conf"
CULEX_OPTS="${CULEX_OPTS:-}" taskset -c "$BROKER_CPU" distribution/target/culex/bin/culex -c "$work/culex.conf" \
  >"$work/culex.log" 2>&1 &
culex_pid=$!
pids+=("$culex_pid")
wait_port "$MOSQUITTO_PORT"
wait_port "$CULEX_PORT"

VERSION=$(basename "$BENCH_JAR" .jar | sed 's/^culex-bench-//')

scenarios=(
  "--scenario fanin --publishers 4 --qos 0 --size 64"
  "--scenario fanout --subscribers 16 --qos 0 --size 64"
  "--scenario pairs --pairs 8 --qos 1 --size 256"
  # latency below saturation, issue 13's scenario: 5,000 QoS 1 messages/s (5 pairs at 1,000 messages/s each)
  "--scenario pairs --pairs 5 --qos 1 --size 256 --rate 1000"
)
echo "# $(date -u +%FT%TZ) $(nproc) cores, $("$MOSQUITTO" -h 2>&1 | head -1), Culex $VERSION, java $(java -version 2>&1 | head -1)" | tee "$results"
for run in $(seq "$RUNS"); do
  for s in "${scenarios[@]}"; do
    # shellcheck disable=SC2086
    bench --port "$CULEX_PORT" --broker-pid "$culex_pid" --label culex $s | tee -a "$results" | grep -v '^RESULT'
    # shellcheck disable=SC2086
    bench --port "$MOSQUITTO_PORT" --broker-pid "$mosquitto_pid" --label mosquitto $s | tee -a "$results" | grep -v '^RESULT'
  done
done
kill -0 "$culex_pid" "$mosquitto_pid" || { echo "run-matrix: a broker died during the run" >&2; exit 1; }

echo
python3 bench/summarize.py "$results"
