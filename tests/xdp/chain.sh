#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Sharing the interface (xdp.next_prog): amtscad --backend xdp attaches
# bpf/amtsca.bpf.o natively to a veth with a second XDP program pinned
# after it (tests/xdp/next_prog.bpf.c: counts what it is handed, drops
# UDP to port 9). Checks: with the chain, traffic amtsca passes reaches the
# next program and its verdict holds (UDP to port 9 dropped, TCP to a
# closed port still refused by the stack), while a Hello is answered and queued by amtsca
# and never handed on; without xdp.next_prog nothing reaches it, even
# though the pinned slot held it before; a next_prog that is not an XDP
# program, or missing, stops the daemon with the reason.
#
# Root. Namespaces amtsca-chain-{s,d}PID, 198.18.9.0/24 only; a private
# bpffs under a temporary directory.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/daemon_test.sh
. tests/xdp/xdp_net.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
CLIENT=build/tests/xdp_hello_client
NEXT_OBJ=build/tests/next_prog.bpf.o
SCA=amtsca-chain-s$$ DEV=amtsca-chain-d$$
# No dot in the path: libbpf 1.1 turns dots of a pinmaps path into '_'.
tmp=$(mktemp -d /tmp/amtsca-chain-XXXXXX)
PIN=$tmp/bpffs/amtsca # xdp_net_bpffs's XDP_PIN
NEXT=$tmp/bpffs/next
pid=

trap xdp_test_cleanup EXIT

# next_count FIELD: seen or dropped, from the next program's pinned map.
next_count() {
	bpftool -j map dump pinned "$NEXT/maps/next_counts" |
		jq ".[0].formatted.value.$1"
}

# slot_entries: programs in the pinned amtsca_next (0 or 1).
slot_entries() {
	bpftool -j map dump pinned "$PIN/amtsca_next" | jq length
}

# udp_discard N: N datagrams from the device to the SCA's port 9.
udp_discard() {
	local i
	for i in $(seq "$1"); do
		ip netns exec "$DEV" bash -c 'echo x >/dev/udp/198.18.9.1/9' ||
			return 1
	done
}

# refused: a TCP connection to a closed port of the SCA is refused (RST
# from its kernel stack: the frames passed), not left to time out.
refused() {
	! ip netns exec "$DEV" timeout 5 bash -c \
		'exec 3<>/dev/tcp/198.18.9.1/7' 2>"$tmp/tcp.err" &&
		grep -q "Connection refused" "$tmp/tcp.err"
}

# hello FILE: one Hello from the device; prints the client's verdict.
hello() {
	ip netns exec "$DEV" timeout 10 "$CLIENT" 198.18.9.1 9971 "$1"
}

daemon_test_opts "$tmp"
xdp_net_bpffs "$tmp" && ip netns add "$SCA" && ip netns add "$DEV" &&
	ip -n "$SCA" link set lo up && ip -n "$DEV" link set lo up &&
	ip link add cs0 netns "$SCA" type veth peer cd0 netns "$DEV" &&
	ip -n "$SCA" addr add 198.18.9.1/24 dev cs0 &&
	ip -n "$DEV" addr add 198.18.9.2/24 dev cd0 &&
	xdp_net_peer "$DEV" cd0 &&
	ip -n "$SCA" link set cs0 up && ip -n "$DEV" link set cd0 up &&
	mkdir -p "$NEXT/maps" &&
	bpftool prog load "$NEXT_OBJ" "$NEXT/prog" type xdp \
		pinmaps "$NEXT/maps"
tap_result "namespaces, veth and the next program pinned" $? || true

printf '\x00\x00\x02\x00\x00\x00\x00\x00' >"$tmp/hello"
printf '\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x01' >>"$tmp/hello"
printf 'ABCD1234' >>"$tmp/hello"

log=$tmp/log1
xdp_daemon_start "$log" cs0 -o "xdp.next_prog=$NEXT/prog" &&
	grep -q "event=xdp_loaded .* next_prog=$NEXT/prog" "$log" &&
	[ "$(slot_entries)" = 1 ]
tap_result "daemon loaded with xdp.next_prog" $? "$(tail -3 "$log")"

seen0=$(next_count seen)
udp_discard 5 && [ "$(next_count dropped)" -eq 5 ]
tap_result "UDP to port 9: handed on, dropped by the next program" $? \
	"dropped $(next_count dropped)"
refused
tap_result "TCP to a closed port: handed on, passed, refused by the stack" $? \
	"$(cat "$tmp/tcp.err")"

seen1=$(next_count seen)
out=$(hello "$tmp/hello")
[ "${out%% *}" = ok ] && wait_log "$log" "event=hello_queued" 50 &&
	[ "$(next_count sca_port)" -eq 0 ]
tap_result "a Hello: answered and queued by amtsca, not handed on" $? \
	"client: $out; TCP to 9971 handed on: $(next_count sca_port)"
[ "$seen1" -gt "$seen0" ]
tap_result "the next program saw the passed frames" $? "seen $seen0 -> $seen1"

xdp_daemon_stop
tap_result "SIGTERM: exit 0" $?

log=$tmp/log2
xdp_daemon_start "$log" cs0 && grep -q "event=xdp_loaded .* next_prog=none" "$log"
tap_result "restart without xdp.next_prog" $? "$(tail -3 "$log")"
seen2=$(next_count seen) dropped2=$(next_count dropped)
udp_discard 3 && refused &&
	[ "$(next_count seen)" -eq "$seen2" ] && [ "$(next_count dropped)" -eq "$dropped2" ] &&
	[ "$(slot_entries)" = 0 ]
tap_result "without it nothing is handed on, and the pinned slot is emptied" $? \
	"seen $seen2 -> $(next_count seen)"
xdp_daemon_stop
tap_result "SIGTERM: exit 0 (second)" $?

# refused NEXT_PROG LOG: the daemon exits non-zero with that next_prog.
refused_start() {
	ip netns exec "$SCA" "$DAEMON" --backend xdp --interface cs0 \
		--intake-only "${DAEMON_OPTS[@]}" -o "xdp.pin_path=$PIN" \
		-o xdp.mode=native -o "xdp.next_prog=$1" 2>"$2"
	[ $? -ne 0 ]
}
refused_start "$PIN/amtsca_counters" "$tmp/log3" &&
	grep -q "xdp.next_prog $PIN/amtsca_counters: not a pinned XDP program" "$tmp/log3"
tap_result "a map as next_prog: refused with the reason" $? "$(tail -2 "$tmp/log3")"
refused_start "$tmp/bpffs/none" "$tmp/log4" &&
	grep -q "xdp.next_prog $tmp/bpffs/none: No such file or directory" "$tmp/log4"
tap_result "a missing next_prog: refused with the reason" $? "$(tail -2 "$tmp/log4")"

tap_done
