#!/usr/bin/env bash
# Issue 13's connection scenario beside Mosquitto, on the same machine in one run: a fresh broker per run, pinned to
# core 0 (the load generator on core 1); the time from starting the broker to its listening port; then CONNECTIONS
# idle MQTT 3.1.1 clients connecting (at most 200 CONNECTs outstanding), the connect rate and the broker's resident
# memory per idle connection; then a second storm on the same broker (connect rate once warm). Alternates Culex and
# Mosquitto, RUNS times each; prints every run, then the medians.
#
#   bench/run-connections.sh                      # build first; 3 runs of 10,000 connections
#   CONNECTIONS=20000 RUNS=5 bench/run-connections.sh --no-build
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
. bench/common.sh
CONNECTIONS=${CONNECTIONS:-10000}
results="bench/target/connections-$(date +%Y%m%d-%H%M%S).txt"
ulimit -n "$(( CONNECTIONS * 2 + 1000 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

printf 'listener 18850 127.0.0.1\nallow_anonymous true\nmax_connections -1\n' >"$work/mosquitto.conf"
printf 'listener 18851 127.0.0.1\nallow_anonymous true\nmax_connections -1\n' >"$work/culex.conf"

# started BROKER PORT COMMAND...: start it pinned, print "pid startup_ms"
started() {
  local port=$1; shift
  local t0; t0=$(date +%s%N)
  taskset -c "$BROKER_CPU" "$@" >>"$work/broker.log" 2>&1 &
  local pid=$!
  wait_port "$port"
  echo "$pid $(( ($(date +%s%N) - t0) / 1000000 ))"
}

storm() {
  taskset -c "$BENCH_CPU" java -Xss256k -cp "$BENCH_JAR:bench/target/lib/*" io.culex.bench.ConnectionStorm \
    --connections "$CONNECTIONS" "$@"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, $("$MOSQUITTO" -h 2>&1 | head -1), $CONNECTIONS idle connections per run" \
  | tee "$results"
for run in $(seq "$RUNS"); do
  for broker in culex mosquitto; do
    if [ "$broker" = culex ]; then
      read -r pid ms < <(started 18851 distribution/target/culex/bin/culex -c "$work/culex.conf")
      port=18851
    else
      read -r pid ms < <(started 18850 "$MOSQUITTO" -c "$work/mosquitto.conf")
      port=18850
    fi
    pids+=("$pid")
    echo "$broker startup: ${ms} ms to the listening port" | tee -a "$results"
    echo "RESULT label=$broker scenario=startup startup_ms=$ms" >>"$results"
    storm --port "$port" --broker-pid "$pid" --label "$broker" | tee -a "$results" | grep -v '^RESULT'
    # the same again on the same broker once those clients are gone: a JVM's first connections run partly before
    # the JIT has compiled the connect path (and the compiler shares the broker's one core)
    storm --port "$port" --label "$broker-warm" | tee -a "$results" | grep -v '^RESULT'
    kill "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done # not a child of this shell: poll until it is gone
  done
done
echo
python3 - "$results" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT"):
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        for k in ("startup_ms", "connect_per_s", "rss_per_connection_kb"):
            if k in kv:
                rows.setdefault((kv["label"], k), []).append(float(kv[k]))
def med(label, key):
    v = rows.get((label, key))
    return statistics.median(v) if v else float("nan")
print("| measure | Mosquitto | Culex | Culex / Mosquitto |")
print("|---|---|---|---|")
for label, key, name in (("", "startup_ms", "start to listening port, ms"),
                         ("", "connect_per_s", "connects/s, first storm after start"),
                         ("-warm", "connect_per_s", "connects/s, second storm on the same broker"),
                         ("", "rss_per_connection_kb", "RSS per idle connection, KiB")):
    m, c = med("mosquitto" + label, key), med("culex" + label, key)
    print(f"| {name} | {m:,.1f} | {c:,.1f} | {c / m:.2f}x |")
print(f"\nMedians of the runs; all lines: {sys.argv[1]}")
PY
