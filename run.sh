#!/usr/bin/env bash
# Builds Culex (without running tests) and starts the broker in the foreground. With no arguments it uses the
# embedded default configuration: port 1883 on loopback, anonymous access, as Mosquitto 2 does. Arguments are
# Mosquitto's: -c <config file>, -p <port>, -v, -d, -h.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp install -DskipTests
exec distribution/target/culex/bin/culex "$@"
