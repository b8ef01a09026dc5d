# Sourced by bench/run-*.sh (from the project root): the settings, build, Mosquitto, work directory, clean-up,
# port wait and load-generator command the benchmark scripts share.
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-4}
DURATION=${DURATION:-8}
BROKER_CPU=${BROKER_CPU:-0}
BENCH_CPU=${BENCH_CPU:-1}
SCRIPT=$(basename "$0" .sh)

if [ "${1:-}" != "--no-build" ]; then
  mvn -B -q -ntp install -DskipTests
fi
if ! command -v mosquitto >/dev/null 2>&1 && ! test -x /usr/sbin/mosquitto; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends mosquitto >/dev/null
fi
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# wait_port PORT: up to 60 s (a JVM starting on a shared core is slow)
wait_port() {
  for _ in $(seq 600); do
    (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$SCRIPT: nothing listens on port $1" >&2
  return 1
}

BENCH_JAR=$(ls bench/target/culex-bench-*.jar | grep -v sources | head -1)
# bench ARGS...: the load generator on its own core
bench() {
  taskset -c "$BENCH_CPU" java -cp "$BENCH_JAR:bench/target/lib/*" io.culex.bench.Bench \
    --warmup "$WARMUP" --duration "$DURATION" "$@"
}
