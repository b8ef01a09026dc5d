#!/usr/bin/env bash
# The cost of one cluster hop: two Culex nodes in one cluster, both pinned to core 0 (taskset -c 0), the load
# generator on core 1. Each scenario runs with publishers and subscribers on node A ("local": A -> A) and with the
# subscribers on node B ("hop": A -> B), RUNS times, alternating; then the medians and the hop/local ratios. Last,
# the memory a remote subscription costs: node A's live heap (after a full GC) before and after a client on node B
# subscribes to FILTERS distinct filters.
#
#   bench/run-cluster.sh                 # build first (mvn install -DskipTests)
#   RUNS=5 FILTERS=20000 bench/run-cluster.sh --no-build
#   RUNS_THROUGHPUT=0 bench/run-cluster.sh --no-build   # the memory measurement only
#
# Needs: Java 17 (jcmd), Maven, taskset, python3, mosquitto_sub (Debian's mosquitto-clients).
set -euo pipefail
cd "$(dirname "$0")/.."
A_PORT=${A_PORT:-18841}
B_PORT=${B_PORT:-18842}
A_CLUSTER=${A_CLUSTER:-15801}
B_CLUSTER=${B_CLUSTER:-15802}
FILTERS=${FILTERS:-10000}
# shellcheck source=bench/common.sh
. bench/common.sh
results="bench/target/cluster-$(date +%Y%m%d-%H%M%S).txt"

start_node() { # name mqtt-port cluster-port
  printf 'listener %s 127.0.0.1\nallow_anonymous true\ncluster_name bench\ncluster_listener %s\ncluster_member 127.0.0.1:%s\ncluster_member 127.0.0.1:%s\n' \
    "$2" "$3" "$A_CLUSTER" "$B_CLUSTER" >"$work/$1.conf"
  CULEX_OPTS="${CULEX_OPTS:-}" taskset -c "$BROKER_CPU" distribution/target/culex/bin/culex -c "$work/$1.conf" \
    >"$work/$1.log" 2>&1 &
  pids+=("$!")
  wait_port "$2"
  for _ in $(seq 600); do grep -q "Cluster 'bench' joined" "$work/$1.log" && return 0; sleep 0.1; done
  echo "run-cluster: node $1 did not join" >&2; cat "$work/$1.log" >&2; return 1
}
start_node a "$A_PORT" "$A_CLUSTER"
a_pid=${pids[-1]}
start_node b "$B_PORT" "$B_CLUSTER"

scenarios=(
  "--scenario pairs --pairs 8 --qos 1 --size 256"
  "--scenario pairs --pairs 8 --qos 0 --size 64"
  "--scenario pairs --pairs 5 --qos 1 --size 256 --rate 1000"
)
echo "# $(date -u +%FT%TZ) $(nproc) cores, two Culex nodes on core $BROKER_CPU, java $(java -version 2>&1 | head -1)" | tee "$results"
for run in $(seq "${RUNS_THROUGHPUT:-$RUNS}"); do
  for s in "${scenarios[@]}"; do
    # shellcheck disable=SC2086
    bench --port "$A_PORT" --broker-pid "$a_pid" --label local $s | tee -a "$results" | grep -v '^RESULT'
    # shellcheck disable=SC2086
    bench --port "$A_PORT" --subscriber-port "$B_PORT" --broker-pid "$a_pid" --label hop $s | tee -a "$results" | grep -v '^RESULT'
  done
done

echo
[ "${RUNS_THROUGHPUT:-$RUNS}" -gt 0 ] && python3 - "$results" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in l.split()[1:]) for l in open(sys.argv[1]) if l.startswith("RESULT ")]
table = {}
for r in rows:
    rate = f", {r['rate']}/s each" if r["rate"] != "0" else ""
    key = f"{r['scenario']} QoS {r['qos']} {r['size']} B, {r['publishers']} pairs{rate}"
    table.setdefault(key, {}).setdefault(r["label"], []).append(r)
med = lambda rs, f: statistics.median(float(r[f]) for r in rs)
print("| scenario | A -> A delivered/s (lost) | A -> B delivered/s (lost) | hop / local | p50 / p99 ms, A -> A | p50 / p99 ms, A -> B |")
print("|---|---|---|---|---|---|")
for key, by in table.items():
    l, h = by.get("local", []), by.get("hop", [])
    if not l or not h:
        continue
    print(f"| {key} | {med(l, 'delivered_per_s'):,.0f} ({med(l, 'lost'):.0f}) | {med(h, 'delivered_per_s'):,.0f} "
          f"({med(h, 'lost'):.0f}) | {med(h, 'delivered_per_s') / med(l, 'delivered_per_s'):.2f} "
          f"| {med(l, 'p50_ms'):.2f} / {med(l, 'p99_ms'):.2f} | {med(h, 'p50_ms'):.2f} / {med(h, 'p99_ms'):.2f} |")
PY

# memory per remote subscription: node A's live heap, before and after B holds FILTERS more filters
live_heap_kb() { # after a full GC, the used KB of the heap line ("garbage-first heap   total ..., used 23371K")
  # or of the generations (the serial collector a JVM on one core gets: "def new generation", "tenured generation")
  jcmd "$a_pid" GC.run >/dev/null
  jcmd "$a_pid" GC.heap_info | grep -E '(heap|generation) +total' | grep -o 'used [0-9]*K' | grep -o '[0-9]*' \
    | awk '{ kb += $1 } END { print kb }'
}
remote_filters() { mosquitto_sub -p "$A_PORT" -t '$SYS/broker/cluster/filters/remote' -C 1 -W 10 2>/dev/null || echo 0; }
before_remote=$(remote_filters)
before=$(live_heap_kb)
args=()
for i in $(seq "$FILTERS"); do args+=(-t "bench/remote/$i/+"); done
mosquitto_sub -p "$B_PORT" -i bench-remote-filters "${args[@]}" >/dev/null 2>&1 &
sub_pid=$!
pids+=("$sub_pid")
for _ in $(seq 600); do
  now=$(remote_filters)
  [ "$now" -ge "$FILTERS" ] && break
  sleep 1
done
after=$(live_heap_kb)
echo
echo "remote filters on node A: $before_remote -> $now; live heap on A: ${before} KB -> ${after} KB:" \
  "$(( (after - before) * 1024 / FILTERS )) bytes per remote filter" | tee -a "$results"
echo "results: $results"
