#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtscad --backend socket in a namespace pair: a device namespace sends
# Hellos over TCP to the SCA namespace. Checks acceptance, de-dup, refusal
# of a malformed Hello, the read deadline for a stalled one, stats, the
# PID rule of hello.pid_chars, and a clean SIGTERM exit. Root; namespaces amtd-sca/amtd-dev, 198.18.0.0/24.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/daemon_test.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
CORPUS=tests/corpus/hello
SCA=amtd-sca$$ DEV=amtd-dev$$
tmp=$(mktemp -d)
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "${stall:-}" ] && kill "$stall" 2>/dev/null
	ip netns del "$SCA" 2>/dev/null
	ip netns del "$DEV" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$SCA" && ip netns add "$DEV" &&
	ip link add amtd0 netns "$SCA" type veth peer amtd1 netns "$DEV" &&
	ip -n "$SCA" addr add 198.18.0.1/24 dev amtd0 &&
	ip -n "$DEV" addr add 198.18.0.2/24 dev amtd1 &&
	ip -n "$SCA" link set amtd0 up && ip -n "$DEV" link set amtd1 up &&
	ip -n "$SCA" link set lo up && ip -n "$DEV" link set lo up
tap_result "namespaces up" $? || true

# The device's PID has a PSK, but nothing answers on 16993: its session
# keeps retrying (5 s backoff), so repeated Hellos meet an active session.
printf 'pid,pps,mebx_password\nABCD1234,0123456789ABCDEFGHIJKLMNOPQRSTUV,\n' \
	>"$tmp/creds.csv"
${DB_CHECK:-build/tests/db_check} "$tmp/state.db" "$tmp/key" import \
	"$tmp/creds.csv" >/dev/null
tap_result "PSK pair imported" $?

daemon_test_opts "$tmp"
ip netns exec "$SCA" "$DAEMON" --backend socket --listen 0.0.0.0 \
	--hello-timeout-ms 500 "${DAEMON_OPTS[@]}" -o session.backoff_ms=5000 \
	2>"$tmp/log" &
pid=$!

send() {
	ip netns exec "$DEV" timeout 5 bash -c \
		"cat '$1' >/dev/tcp/198.18.0.1/9971" 2>/dev/null
}

wait_log "$tmp/log" "event=started backend=socket"
tap_result "daemon listening" $? "$(cat "$tmp/log")"

send "$CORPUS/psk-valid.bin" &&
	wait_log "$tmp/log" "event=hello_queued uuid=[0-9a-f-]* device=198.18.0.2 version=2"
tap_result "valid PSK Hello queued" $? "$(cat "$tmp/log")"

send "$CORPUS/psk-valid.bin" && send "$CORPUS/pki-sha1.bin"
sleep 0.3
kill -USR1 "$pid"
wait_log "$tmp/log" "event=stats accepted=1 duplicate=2 invalid=0 .* active=1"
tap_result "repeated Hellos from the same device (UUID) de-duplicated" $? \
	"$(grep event=stats "$tmp/log")"

send "$CORPUS/admin-2.bin" &&
	wait_log "$tmp/log" "event=hello_rejected backend=socket reason=bad_admin_flag"
tap_result "malformed Hello refused with its reason" $? "$(tail -3 "$tmp/log")"

ip netns exec "$DEV" timeout 5 bash -c \
	"exec 3<>/dev/tcp/198.18.0.1/9971; head -c 10 '$CORPUS/psk-valid.bin' >&3; sleep 3" &
stall=$!
wait_log "$tmp/log" "event=hello_timeout backend=socket len=10"
tap_result "stalled Hello closed at the deadline" $? "$(tail -3 "$tmp/log")"

# A PSK Hello of another device whose PID has lower-case letters: refused
# by default (A-Z, 0-9), queued with hello.pid_chars=printable.
cp "$CORPUS/psk-valid.bin" "$tmp/pid-lower.bin" &&
	printf '\x5a' | dd of="$tmp/pid-lower.bin" bs=1 seek=8 conv=notrunc status=none &&
	printf 'abcd1234' | dd of="$tmp/pid-lower.bin" bs=1 seek=24 conv=notrunc status=none &&
	send "$tmp/pid-lower.bin" &&
	wait_log "$tmp/log" "event=hello_rejected backend=socket reason=bad_pid_char"
tap_result "PID with lower-case letters refused by default" $? "$(tail -3 "$tmp/log")"

daemon_stop "$pid"
pid=
[ "$DAEMON_RC" -eq 0 ] && grep -q "event=shutdown" "$tmp/log"
tap_result "SIGTERM exits 0" $? "rc=$DAEMON_RC"

ip netns exec "$SCA" "$DAEMON" --backend socket --listen 0.0.0.0 \
	"${DAEMON_OPTS[@]}" -o hello.pid_chars=printable --intake-only \
	2>"$tmp/log2" &
pid=$!
wait_log "$tmp/log2" "event=started backend=socket" && send "$tmp/pid-lower.bin" &&
	wait_log "$tmp/log2" "event=hello_queued uuid=939b525a-[0-9a-f-]* device=198.18.0.2 version=2"
tap_result "the same Hello queued with hello.pid_chars=printable" $? "$(tail -3 "$tmp/log2")"
daemon_stop "$pid"
pid=

tap_done
