#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Hostile devices: hostile_device plays a misbehaving AMT device over TLS
# (PSK), hostile_probe plays the session with the daemon's TLS context and
# the device HTTP limits. Each misbehaviour must end in its own reason,
# within its byte and time bounds. Root; namespace amtsec-hp$$ with
# 198.18.2.1/24 on a veth end.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/daemon_test.sh

BIN=${BUILD:-build}/tests/security
NS=amtsec-hp$$
PSK=AB12CD34:K7QF-2M9X-PLZ4-8RWT-C3VN-HJ6D-Y5SB-E1GU
tmp=$(mktemp -d)
srv=

cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$NS" && ip -n "$NS" link set lo up &&
	ip -n "$NS" link add amtsec-hp0 type veth peer amtsec-hp1 &&
	ip -n "$NS" addr add 198.18.2.1/24 dev amtsec-hp0 &&
	ip -n "$NS" link set amtsec-hp0 up && ip -n "$NS" link set amtsec-hp1 up
tap_result "namespace up" $? || true

# play MODE [PROBE ARGS...]: one connection; probe line in $out, the
# device's line in $dev.
play() {
	local mode=$1
	shift
	: >"$tmp/dev.log"
	ip netns exec "$NS" timeout 30 "$BIN/hostile_device" --mode "$mode" \
		--listen 198.18.2.1 --psk "$PSK" --count 1 --conn-seconds 10 \
		--interval-ms 20 2>"$tmp/dev.log" &
	srv=$!
	wait_log "$tmp/dev.log" '^listening'
	out=$(ip netns exec "$NS" timeout 20 "$BIN/hostile_probe" \
		--connect 198.18.2.1 --psk "$PSK" --max-ms 1000 "$@")
	wait "$srv"
	srv=
	dev=$(grep '^conn=' "$tmp/dev.log")
}

field() {
	sed -nE "s/.*\\b$1=([0-9]+).*/\\1/p" <<<"$out"
}

# expect NAME MODE RESULT [PROBE ARGS...]: the probe's result starts so.
expect() {
	local name=$1 mode=$2 want=$3
	shift 3
	play "$mode" "$@"
	[[ "$out" == "result=\"$want"* ]] && [ "$(field ms)" -lt 3000 ]
	tap_result "$name" $? "probe: $out; device: $dev"
}

expect "well-behaved device answers (control)" ok "done\" status=200"
expect "endless header lines: header section too large" oversized-headers \
	"header section too large"
[ "$(field bytes)" -le $((16384 + 4096)) ]
tap_result "  ... read max_header_bytes and one 4 KiB read at most" $? "$out"
expect "one endless header line: line too long" long-line "line too long"
expect "endless chunked body: body too large" endless-body "body too large"
expect "huge Content-Length: refused before the body" endless-length \
	"body too large"
[ "$(field bytes)" -lt 1024 ]
tap_result "  ... after the head only" $? "$out"
expect "binary garbage: malformed" garbage "malformed"
expect "truncated body: stream ended inside a message" truncated \
	"stream ended inside a message"
expect "slowloris (a byte per 20 ms): not complete in time" slowloris \
	"message not complete in time"
[ "$(field ms)" -ge 900 ]
tap_result "  ... at the 1000 ms bound" $? "$out"
expect "silent device: not complete in time" silent \
	"message not complete in time"
expect "malformed Digest challenge refused" bad-digest \
	"digest: malformed parameter list"
expect "endless 401s: bounded Digest answers" digest-loop \
	"digest: still 401 after 2 answers"
expect "renegotiation refused by the daemon's TLS context" renegotiate \
	"tls" --requests 3
[ "$(field client_hellos)" -eq 1 ] &&
	[[ "$dev" == *outcome=renegotiation_refused* ]]
tap_result "  ... one handshake only, the device saw the refusal" $? \
	"probe: $out; device: $dev"
expect "renegotiation when allowed (control)" renegotiate "done" \
	--requests 3 --allow-renegotiation
[ "$(field client_hellos)" -ge 3 ]
tap_result "  ... a new handshake per request then" $? "$out"

tap_done
