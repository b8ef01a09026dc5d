#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the Mosquitto clients the black-box tests use (Debian
# packages, only if missing), then builds everything and runs unit tests, Pax Exam tests and black-box tests of
# the assembled broker. Extra arguments go to Maven (e.g. -o, -Dit.test=PahoIT).
set -euo pipefail
cd "$(dirname "$0")"
# the prerequisites, which this script does not install: a JDK (javac, and jcmd for the leak checks) and Maven
if ! command -v javac >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    echo "test.sh: needs a JDK 17 and Maven 3.8 on the PATH (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
    exit 1
fi
itest/install-test-tools.sh
exec mvn -B -ntp install "$@"
