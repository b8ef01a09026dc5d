#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the Mosquitto clients the black-box tests use (Debian
# packages, only if missing), then builds everything and runs unit tests, Pax Exam tests and black-box tests of
# the assembled broker. Extra arguments go to Maven (e.g. -o, -Dit.test=PahoIT).
set -euo pipefail
cd "$(dirname "$0")"
itest/install-test-tools.sh
exec mvn -B -ntp install "$@"
