#!/usr/bin/env bash
# Runs the inbound packet fuzzer (bundles/core PacketFuzzTest) for longer than the test command does.
#   itest/fuzz-inbound.sh [seconds] [seed]      default 600 s, a random seed (printed; pass it to repeat a run)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
seed_arg=()
if [ $# -ge 2 ]; then
  seed_arg=(-Dculex.fuzz.seed="$2")
fi
exec mvn -B -ntp -q test -pl bundles/core -am -Dtest=PacketFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dculex.fuzz.seconds="$seconds" "${seed_arg[@]}"
