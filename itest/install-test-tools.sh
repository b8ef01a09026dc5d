#!/usr/bin/env bash
# Installs what the tests need beyond the JDK and Maven, from Debian's packages, only when it is missing:
#   mosquitto-clients  mosquitto_pub / mosquitto_sub for the black-box tests
#   mosquitto          the real broker and mosquitto_passwd: password/ACL files are compared with Mosquitto's answers
#   openssl            certificates for the TLS tests
#   python3-paho-mqtt  a WebSocket MQTT client (run with /usr/bin/python3, Debian's interpreter)
#   chromium, chromium-driver  the headless browser (and its WebDriver) that drives the web console's MQTT page
#   procps             /bin/kill, with which the black-box tests send the broker SIGHUP, SIGTERM, SIGINT
# Not installed here, the prerequisites test.sh checks for: a JDK 17 and Maven 3.8.
# Idempotent: a second run does nothing.
set -euo pipefail
missing=()
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
{ command -v mosquitto_passwd >/dev/null 2>&1 && { command -v mosquitto || test -x /usr/sbin/mosquitto; } >/dev/null 2>&1; } || missing+=(mosquitto)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
/usr/bin/python3 -c 'import paho.mqtt.client' >/dev/null 2>&1 || missing+=(python3-paho-mqtt)
test -x /usr/bin/chromium || missing+=(chromium)
test -x /usr/bin/chromedriver || missing+=(chromium-driver)
# `command -v kill` would find the shell's builtin; the tests run the program
{ test -x /bin/kill || test -x /usr/bin/kill; } || missing+=(procps)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-test-tools: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install-test-tools: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
