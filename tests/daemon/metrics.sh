#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtscad's Prometheus endpoint: a daemon (socket backend) in a namespace
# gets one valid Hello from a device whose PID it has no PPS for, so the
# session fails at "credentials"; a scrape of metrics.listen must then show
# the Hello, the failure, the session duration and the device count, in the
# text format. Root; namespaces amtsca-met-PID-*, 198.18.3.0/24.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/daemon_test.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
SCA=amtsca-met-$$-sca DEV=amtsca-met-$$-dev
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$SCA" 2>/dev/null
	ip netns del "$DEV" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$SCA" && ip netns add "$DEV" &&
	ip link add amtm0 netns "$SCA" type veth peer amtm1 netns "$DEV" &&
	ip -n "$SCA" addr add 198.18.3.1/24 dev amtm0 &&
	ip -n "$DEV" addr add 198.18.3.2/24 dev amtm1 &&
	ip -n "$SCA" link set amtm0 up && ip -n "$DEV" link set amtm1 up &&
	ip -n "$SCA" link set lo up
tap_result "namespaces up" $? || true

daemon_test_opts "$tmp"
ip netns exec "$SCA" "$DAEMON" --backend socket --listen 198.18.3.1 \
	"${DAEMON_OPTS[@]}" -o metrics.listen=127.0.0.1:9979 2>"$tmp/log" &
pid=$!
wait_log "$tmp/log" "event=started"
tap_result "daemon started" $? "$(tail -3 "$tmp/log")"

ip netns exec "$DEV" timeout 5 bash -c \
	"cat tests/corpus/hello/psk-valid.bin >/dev/tcp/198.18.3.1/9971" &&
	wait_log "$tmp/log" "step=credentials"
tap_result "Hello queued and its session failed at credentials" $? \
	"$(tail -3 "$tmp/log")"

# scrape: GET /metrics over HTTP/1.0 inside the SCA namespace.
scrape() {
	ip netns exec "$SCA" timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/9979
		printf "GET /metrics HTTP/1.0\r\n\r\n" >&3; cat <&3' >"$tmp/scrape"
}
scrape && head -1 "$tmp/scrape" | grep -q '^HTTP/1.0 200' &&
	grep -q '^Content-Type: text/plain; version=0.0.4' "$tmp/scrape"
tap_result "GET /metrics answers 200 text/plain" $? "$(head -5 "$tmp/scrape")"

grep -q '^amtsca_hellos_total{verdict="accepted"} 1$' "$tmp/scrape"
tap_result "one Hello accepted" $? "$(grep hellos_total "$tmp/scrape" | head -3)"

grep -q '^amtsca_session_failures_total{reason="credentials"} 1$' "$tmp/scrape"
tap_result "failure counted by where it happened" $? \
	"$(grep failures_total "$tmp/scrape" | grep -v ' 0$')"

grep -q '^amtsca_session_duration_seconds_count{mode="psk"} 1$' "$tmp/scrape"
tap_result "session duration observed" $? \
	"$(grep duration_seconds_count "$tmp/scrape")"

grep -q '^amtsca_devices{state="failed"} 1$' "$tmp/scrape"
tap_result "devices by state from the database" $? \
	"$(grep '^amtsca_devices' "$tmp/scrape")"

kill -TERM "$pid"
wait "$pid"
tap_result "SIGTERM exits 0" $?
pid=
tap_done
