#!/usr/bin/env bash
# Where Culex's start-up time goes: starts the assembled broker pinned to one core with a JFR recording that samples
# every millisecond, stops it once its port listens, and prints the methods that were on the stack in the most
# samples (inclusive), restricted to a pattern. Also prints the CPU time the JVM had used when the port opened.
#
#   bench/profile-startup.sh                      # after mvn install -DskipTests
#   PATTERN='culex|logback' bench/profile-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PATTERN=${PATTERN:-'culex|felix.scr.impl.Activator|logback|spifly|Felix.installBundle|StatefulResolver.resolve|netty.channel.epoll'}
PORT=${PORT:-18852}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$PORT" >"$work/culex.conf"
jfc=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc
python3 - "$jfc" "$work/sampling.jfc" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
for event in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
    s = re.sub(r'(<event name="%s">.*?<setting name="period"[^>]*>)[^<]*' % event, r'\g<1>1 ms', s, flags=re.S)
open(sys.argv[2], "w").write(s)
PY
t0=$(date +%s%N)
JAVA_OPTS="${JAVA_OPTS:-} -XX:StartFlightRecording=filename=$work/start.jfr,settings=$work/sampling.jfc" \
  taskset -c "${BROKER_CPU:-0}" distribution/target/culex/bin/culex -c "$work/culex.conf" >"$work/broker.log" 2>&1 &
pid=$!
until (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do sleep 0.01; done
wall=$(( ($(date +%s%N) - t0) / 1000000 ))
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
kill "$pid"; wait "$pid" || true
echo "port open after $wall ms (with JFR running); JVM CPU time by then: $cpu ms"
jfr print --stack-depth 96 --events jdk.ExecutionSample "$work/start.jfr" >"$work/samples.txt"
python3 - "$work/samples.txt" "$PATTERN" <<'PY'
import collections, re, sys
events = open(sys.argv[1]).read().split("jdk.ExecutionSample")[1:]
inclusive = collections.Counter()
for e in events:
    for frame in set(re.findall(r"^\s+([\w.$<>/]+)\(", e, re.M)):
        inclusive[frame] += 1
print(f"{len(events)} samples; methods matching {sys.argv[2]!r}, by samples with the method on the stack:")
shown = 0
for frame, n in inclusive.most_common():
    if re.search(sys.argv[2], frame):
        print(f"{n:6d} {100 * n / max(1, len(events)):5.1f} %  {frame}")
        shown += 1
        if shown == 40:
            break
PY
