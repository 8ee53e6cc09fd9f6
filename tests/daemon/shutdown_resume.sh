#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# SIGTERM parks a running session and a restart resumes it. The "device"
# accepts TCP on 16993 but never answers TLS, so the session is still in
# its handshake when SIGTERM arrives: the daemon must exit 0 within the
# drain bound with the device back to queued (reason shutdown), and a new
# daemon on the same database must start that device's session again
# without a new Hello. Root; namespaces amtsca-shut-PID-*, 198.18.0.0/15.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/daemon_test.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
DBTOOL=${DB_CHECK:-build/tests/db_check}
P=amtsca-shut-$$
tmp=$(mktemp -d)
pid= hole=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "$hole" ] && kill "$hole" 2>/dev/null && wait "$hole" 2>/dev/null
	fleet_net_down "$P"
	rm -rf "$tmp"
}
trap cleanup EXIT

fleet_net_up "$P"
tap_result "namespaces up" $?

printf 'pid,pps,mebx_password\nABCD1234,0123456789ABCDEFGHIJKLMNOPQRSTUV,\n' \
	>"$tmp/creds.csv"
"$DBTOOL" "$tmp/state.db" "$tmp/key" import "$tmp/creds.csv" >/dev/null
tap_result "PSK pair imported" $?

ip netns exec "$FLEET_DEV_NS" timeout 60 python3 -c '
import socket, time
s = socket.socket()
s.bind(("198.18.0.2", 16993))
s.listen(16)
time.sleep(60)' &
hole=$!
for _ in $(seq 50); do
	ip netns exec "$FLEET_DEV_NS" ss -ltn | grep -q 198.18.0.2:16993 && break
	sleep 0.1
done

daemon_test_opts "$tmp"
# start_daemon LOG: the daemon on the test database, TLS deadline 30 s.
start_daemon() {
	ip netns exec "$FLEET_SCA_NS" "$DAEMON" --backend socket \
		--listen 198.18.0.1 "${DAEMON_OPTS[@]}" \
		-o session.tls_timeout_ms=30000 -o session.drain_timeout_ms=500 \
		2>"$1" &
	pid=$!
}

start_daemon "$tmp/log1"
wait_log "$tmp/log1" "event=started"
ip netns exec "$FLEET_DEV_NS" timeout 5 bash -c \
	"cat tests/corpus/hello/psk-valid.bin >/dev/tcp/198.18.0.1/9971"
wait_log "$tmp/log1" "event=session_start .* attempt=1"
tap_result "session started and hangs in TLS" $? "$(tail -3 "$tmp/log1")"

t0=$(date +%s%N)
daemon_stop "$pid"
pid=
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$DAEMON_RC" -eq 0 ] && [ "$ms" -ge 400 ] && [ "$ms" -lt 3000 ]
tap_result "SIGTERM waits for the drain bound, then exits 0 (${ms} ms)" $? \
	"rc=$DAEMON_RC"
grep -q "event=session_parked" "$tmp/log1"
tap_result "running session parked" $? "$(tail -3 "$tmp/log1")"
state=$(sqlite3 "$tmp/state.db" \
	"SELECT state || ' ' || last_error_reason FROM devices")
[ "$state" = "queued shutdown" ]
tap_result "device back to queued with reason shutdown" $? "$state"

start_daemon "$tmp/log2"
wait_log "$tmp/log2" "event=started .* resumed=1" &&
	wait_log "$tmp/log2" "event=session_start .* attempt=1"
tap_result "restart resumes the device without a new Hello" $? \
	"$(cat "$tmp/log2")"
daemon_stop "$pid"
pid=
[ "$DAEMON_RC" -eq 0 ]
tap_result "second SIGTERM exits 0" $? "rc=$DAEMON_RC"

tap_done
