#!/usr/bin/env bash
# Soak test of the assembled broker (not part of the test command): starts distribution/target/culex on a fresh
# copy, runs the soak driver (bench module, io.culex.bench.soak.Soak) against it for the given minutes and prints a
# line of figures every minute: the broker's RSS, heap after a full GC, metaspace, GC time, open descriptors,
# threads and CPU, and messages sent / received / duplicated / lost per QoS. At the end: a final tally after the
# publishers stopped, and what the broker logged at WARN/ERROR or as a Netty leak. Exit code 1 if a QoS 1/2 message
# was lost (or QoS 2 duplicated, a session not kept, order broken) or the broker logged an error or a leak.
#
#   itest/soak.sh [minutes]          default 30
#
# Build first:  mvn -o -q package -DskipTests -pl distribution,bench -am
# Environment:
#   SOAK_PORT=18841                   the broker's port (loopback)
#   SOAK_JAVA_OPTS="-Xms256m -Xmx256m" the broker's JVM options (a fixed heap makes RSS readable)
#   SOAK_PERSISTENCE=true             persistence true (acknowledged durability) in the broker; false: none
#   SOAK_SCALE=1.0                    multiplies every message rate (1.0: about 2,300 messages/s in, 6,000 out)
#   SOAK_CPUS=                        taskset CPU list for broker and driver (e.g. 1), unset: no pinning
#   SOAK_REPORT_SECONDS=60            seconds between lines
# Results and the broker's log go to itest/target/soak-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}
port=${SOAK_PORT:-18841}
broker_opts=${SOAK_JAVA_OPTS:--Xms256m -Xmx256m}
persistence=${SOAK_PERSISTENCE:-true}
scale=${SOAK_SCALE:-1.0}
report=${SOAK_REPORT_SECONDS:-60}

bench_jar=$(ls bench/target/culex-bench-*.jar 2>/dev/null | grep -v sources | head -1 || true)
if [ ! -x distribution/target/culex/bin/culex ] || [ -z "$bench_jar" ]; then
  echo "soak: build first: mvn -o -q package -DskipTests -pl distribution,bench -am" >&2
  exit 1
fi
pin=()
if [ -n "${SOAK_CPUS:-}" ]; then
  pin=(taskset -c "$SOAK_CPUS")
fi

out="itest/target/soak-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
home=$(mktemp -d "${TMPDIR:-/tmp}/culex-soak.XXXXXX")
cp -r distribution/target/culex/. "$home/"
rm -rf "$home/data" && mkdir "$home/data"
{
  echo "listener $port 127.0.0.1"
  echo "allow_anonymous true"
  echo "sys_interval 10"
  # persistent subscribers stay offline up to 5 s while about 1,200 QoS 1/2 messages a second arrive for them
  echo "max_queued_messages 20000"
  if [ "$persistence" = true ]; then
    echo "persistence true"
    echo "persistence_location $home/data/"
  fi
} >"$home/conf/soak.conf"
cp "$home/conf/soak.conf" "$out/"

data_arg=()
if [ "$persistence" = true ]; then
  data_arg=(--data-dir "$home/data")
fi

broker_pid=
cleanup() {
  if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  fi
  rm -rf "$home"
}
trap cleanup EXIT

JAVA_OPTS="$broker_opts" "${pin[@]}" nice -n 10 "$home/bin/culex" -c "$home/conf/soak.conf" >"$out/culex.log" 2>&1 &
broker_pid=$!
for _ in $(seq 600); do
  (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$broker_pid" 2>/dev/null || { echo "soak: the broker exited:" >&2; cat "$out/culex.log" >&2; exit 1; }
  sleep 0.1
done
echo "# $(date -u +%FT%TZ) $(nproc) cores, broker pid $broker_pid ($broker_opts, persistence $persistence), java $(java -version 2>&1 | head -1)" | tee "$out/results.txt"

set +e
"${pin[@]}" nice -n 10 java -Xmx512m -cp "$bench_jar:bench/target/lib/*" io.culex.bench.soak.Soak \
  --port "$port" --minutes "$minutes" --broker-pid "$broker_pid" --scale "$scale" --report-seconds "$report" \
  ${data_arg[@]+"${data_arg[@]}"} \
  2> >(tee "$out/driver.log" >&2) | tee -a "$out/results.txt"
rc=${PIPESTATUS[0]}
set -e

bad=$(grep -cE '\b(ERROR|WARN)\b|LEAK:|Exception' "$out/culex.log" || true)
echo "# broker log: $(wc -l <"$out/culex.log") lines, $bad at WARN/ERROR or with an exception or a leak report" \
  | tee -a "$out/results.txt"
if [ "$bad" -gt 0 ]; then
  grep -E '\b(ERROR|WARN)\b|LEAK:|Exception' "$out/culex.log" | sort | uniq -c | sort -rn | head -20 \
    | tee -a "$out/results.txt"
  if grep -qE '\bERROR\b|LEAK:' "$out/culex.log"; then
    rc=1
  fi
fi
echo "# results: $out/results.txt" >&2
exit "$rc"
