#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The daemon's own sessions against hostile devices: for each
# hostile_device mode a Hello starts a real PSK session (confined, seccomp
# kill mode) that must end in a failure with step and reason, logged and
# stored, within the session's time bounds; the daemon keeps running, its
# CPU time stays small, and SIGTERM still exits 0. Root; fleet_net.sh
# namespaces amtsec-hs-PID-*.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/daemon_test.sh
. tests/lib/fleet_net.sh

BIN=${BUILD:-build}/tests/security
DAEMON=${AMTSCAD:-${BUILD:-build}/bin/amtscad}
NET=amtsec-hs-$$
PID=ABCD1234 PPS=K7QF2M9XPLZ48RWTC3VNHJ6DY5SBE1GU
tmp=$(mktemp -d)
dpid='' srv=''

cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	fleet_net_down "$NET"
	rm -rf "$tmp"
}
trap cleanup EXIT

fleet_net_up "$NET"
tap_result "namespaces up" $? || true
SCA=$FLEET_SCA_NS DEV=$FLEET_DEV_NS

# The corpus PSK Hello carries PID ABCD1234.
printf 'pid,pps,mebx_password\n%s,%s,\n' "$PID" "$PPS" >"$tmp/creds.csv"
${DB_CHECK:-${BUILD:-build}/tests/db_check} "$tmp/state.db" "$tmp/key" \
	import "$tmp/creds.csv" >/dev/null
tap_result "PSK pair imported" $?

daemon_test_opts "$tmp"
ip netns exec "$SCA" "$DAEMON" --backend socket --listen 198.18.0.1 \
	"${DAEMON_OPTS[@]}" -o security.seccomp=kill -o session.retries=0 \
	-o session.request_timeout_ms=1500 -o session.session_timeout_ms=6000 \
	2>"$tmp/daemon.log" &
dpid=$!
wait_log "$tmp/daemon.log" "event=started"
tap_result "daemon started, confined" $? "$(cat "$tmp/daemon.log")"

# session MODE STEP REASON: a Hello against a device in MODE must fail at
# STEP with REASON (extended regular expressions), logged; the expected
# pairs are checked against the store's audit trail at the end.
expected=()
session() {
	local mode=$1 step=$2 reason=$3 n before
	: >"$tmp/dev.log"
	ip netns exec "$DEV" timeout 30 "$BIN/hostile_device" --mode "$mode" \
		--listen 198.18.0.2 --psk "$PID:$PPS" --count 2 \
		--conn-seconds 10 --interval-ms 100 2>"$tmp/dev.log" &
	srv=$!
	wait_log "$tmp/dev.log" '^listening'
	before=$(grep -c "event=session_failed" "$tmp/daemon.log")
	ip netns exec "$DEV" timeout 5 bash -c \
		"cat tests/corpus/hello/psk-valid.bin >/dev/tcp/198.18.0.1/9971"
	for n in $(seq 200); do
		[ "$(grep -c "event=session_failed" "$tmp/daemon.log")" -gt "$before" ] &&
			break
		sleep 0.1
	done
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	srv=
	line=$(grep "event=session_failed" "$tmp/daemon.log" | tail -1)
	expected+=("$step $reason")
	[ "$(grep -c "event=session_failed" "$tmp/daemon.log")" -gt "$before" ] &&
		grep -Eq "step=$step reason=\"$reason\"" <<<"$line" &&
		kill -0 "$dpid"
	tap_result "$mode: failed at $step: $reason" $? \
		"log: $line; device: $(cat "$tmp/dev.log")"
}

session oversized-headers http "header section too large"
session long-line http "line too long"
session endless-body http "body too large"
session endless-length http "body too large"
session garbage http "malformed (start line|header line)"
# I/O failures and timeouts are recorded under the WS-Man step they hit.
session truncated get_general_settings closed_by_device
session slowloris get_general_settings response_timeout
session silent get_general_settings response_timeout
session bad-digest auth bad_challenge
session digest-loop auth digest_rejected
# Digest accepted, then hostile XML for the WS-Man parser.
session xml-garbage get_general_settings "bad_response:wsman: not well-formed XML"
session xml-bomb get_general_settings \
	"bad_response:wsman: DOCTYPE or entity declarations not allowed"
session xml-deep get_general_settings "bad_response:wsman: not well-formed XML"
# The device asks for a new handshake, then answers 200 where a 401 was due.
session renegotiate get_general_settings no_digest_realm
grep -q "outcome=renegotiation_refused" "$tmp/dev.log"
tap_result "renegotiate: the daemon refused the new handshake" $? \
	"$(cat "$tmp/dev.log")"

# CPU time of the daemon over all hostile sessions (utime + stime ticks).
ticks=$(awk '{ print $14 + $15 }' "/proc/$dpid/stat")
hz=$(getconf CLK_TCK)
[ "$ticks" -lt $((3 * hz)) ]
tap_result "daemon CPU over all hostile sessions < 3 s ($ticks ticks at $hz Hz)" $?

daemon_stop "$dpid"
dpid=
[ "$DAEMON_RC" -eq 0 ] && ! grep -q "level=err" "$tmp/daemon.log"
tap_result "SIGTERM exits 0, no error logged" $? \
	"rc=$DAEMON_RC $(grep level=err "$tmp/daemon.log")"

# Every failure in the store's audit trail, in order, with step and reason.
mapfile -t audit < <(sqlite3 "$tmp/state.db" \
	"SELECT step || ' ' || detail FROM audit WHERE outcome = 'failed'
	 ORDER BY seq")
ok=$(( ${#audit[@]} == ${#expected[@]} ))
for i in "${!expected[@]}"; do
	grep -Eqx "${expected[$i]}" <<<"${audit[$i]:-}" || ok=0
done
[ "$ok" -eq 1 ]
tap_result "all ${#expected[@]} failures stored with step and reason" $? \
	"audit: ${audit[*]}"

tap_done
