#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtscactl stats with the XDP backend: the daemon attaches the program to
# a veth in its namespace; a valid and an invalid Hello come from the
# device namespace; stats (text and --json) show the BPF counters, equal to
# bpftool's sum of the pinned per-CPU map, invalid Hellos by reason, and
# status names the backend. Root; namespaces amtctl-xs$$/amtctl-xd$$,
# 198.18.3.0/24, a private bpffs.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/daemon_test.sh
. tests/lib/ctl_test.sh
. tests/xdp/xdp_net.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
CLIENT=build/tests/xdp_hello_client
DEVICE_PROG=build/tests/device_side.bpf.o
CORPUS=tests/corpus/hello
SCA=amtctl-xs$$ DEV=amtctl-xd$$
tmp=$(mktemp -d)
daemon_test_opts "$tmp"
PIN=$tmp/bpffs/amtsca
SOCK=$tmp/ctl.sock
pid=

trap xdp_test_cleanup EXIT

# The confined daemon (nobody) removes its socket at exit.
chown nobody:nogroup "$tmp"
# XDP_TX on veth needs a program on the peer and full checksums from it.
mkdir -p "$tmp/bpffs" "$tmp/certs" && mount -t bpf bpf "$tmp/bpffs" &&
	ip netns add "$SCA" && ip netns add "$DEV" &&
	ip link add xs0 netns "$SCA" type veth peer xd0 netns "$DEV" &&
	ip -n "$SCA" addr add 198.18.3.1/24 dev xs0 &&
	ip -n "$DEV" addr add 198.18.3.2/24 dev xd0 &&
	ip netns exec "$DEV" ethtool -K xd0 tx off >/dev/null &&
	ip -n "$DEV" link set dev xd0 xdpdrv obj "$DEVICE_PROG" sec xdp &&
	ip -n "$SCA" link set xs0 up && ip -n "$DEV" link set xd0 up
tap_result "namespaces and veth up" $? || true

ip netns exec "$SCA" "$DAEMON" --backend xdp --interface xs0 \
	-o "xdp.pin_path=$PIN" -o xdp.mode=native "${DAEMON_OPTS[@]}" \
	2>"$tmp/log" &
pid=$!
wait_log "$tmp/log" "event=started backend=xdp" && [ -S "$SOCK" ]
tap_result "daemon attached with its control socket" $? "$(cat "$tmp/log")"

# field EXPR: a value of the last --json output (python expression on r).
field() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($1)" \
		"$tmp/out"
}

# pinned NAME: the per-CPU counter summed from bpftool's dump of the pinned
# map: by BTF name when bpftool formats it, else from the raw bytes (the
# __u64 fields of struct amtsca_counters in include/amtsca/bpf_abi.h order).
pinned() {
	bpftool -j map dump pinned "$PIN/amtsca_counters" | python3 -c '
import json, sys
names = ["rx_total", "pass_other", "port_tcp", "syn_ack", "malformed",
         "bad_cookie", "ring_full", "hello_event", "oversize", "ack_fin",
         "rst", "fin_ack", "stray", "suppressed"]
entry = json.load(sys.stdin)[0]
if "formatted" in entry:
    print(sum(v["value"][sys.argv[1]] for v in entry["formatted"]["values"]))
else:
    i = names.index(sys.argv[1]) * 8
    print(sum(int.from_bytes(bytes(int(b, 16) for b in v["value"][i:i + 8]),
                             "little") for v in entry["values"]))
' "$1"
}

ctl stats --json
[ $rc -eq 0 ] && [ "$(field 'r["bpf"]["hello_event"]')" = 0 ] &&
	[ "$(field 'r["daemon"]["backend"]')" = xdp ]
tap_result "stats --json before any Hello: BPF counters at 0" $? "$(cat "$tmp/out" "$tmp/err")"

ip netns exec "$DEV" timeout 10 "$CLIENT" 198.18.3.1 9971 "$CORPUS/psk-valid.bin" >/dev/null &&
	ip netns exec "$DEV" timeout 10 "$CLIENT" --expect-rst 198.18.3.1 9971 \
		"$CORPUS/admin-2.bin" >/dev/null
tap_result "a valid and an invalid Hello sent" $?

ok=1
for _ in $(seq 50); do
	ctl stats --json
	[ "$(field 'r["bpf"]["hello_event"]')" = 1 ] &&
		[ "$(field 'r["daemon"]["hellos_accepted"]')" = 1 ] && ok=0 && break
	sleep 0.1
done
[ $ok -eq 0 ] && [ "$(field 'r["bpf"]["hello_invalid"]["bad_admin_flag"]')" = 1 ] &&
	[ "$(field 'r["bpf"]["syn_ack"]')" -ge 2 ]
tap_result "stats --json: Hello event, SYN-ACKs, invalid Hello by reason" $? "$(cat "$tmp/out")"

# The daemon sums the same per-CPU map bpftool reads (counters of the two
# finished connections; rx_total and pass_other move with ARP and ND).
sleep 0.3
ctl stats --json
same=0
for name in syn_ack hello_event ack_fin rst; do
	[ "$(field "r['bpf']['$name']")" = "$(pinned "$name")" ] || same=1
done
[ $same -eq 0 ]
tap_result "BPF counters equal bpftool's sum of the pinned map" $? \
	"$(cat "$tmp/out"; bpftool -j map dump pinned "$PIN/amtsca_counters" | head -c 600)"

ctl stats
[ $rc -eq 0 ] && grep -q "^bpf:$" "$tmp/out" && grep -q "^  hello_event  *1$" "$tmp/out" &&
	grep -q "^  hello_invalid.bad_admin_flag 1$" "$tmp/out"
tap_result "stats text: BPF section with counters and reasons" $? "$(cat "$tmp/out")"

ctl status
[ $rc -eq 0 ] && grep -q "^amtscad pid $pid, backend xdp" "$tmp/out"
tap_result "status names the XDP backend" $? "$(cat "$tmp/out")"

daemon_stop "$pid"
pid=
[ "$DAEMON_RC" -eq 0 ] && [ ! -e "$SOCK" ]
tap_result "SIGTERM: exit 0, socket removed" $? "rc=$DAEMON_RC $(tail -3 "$tmp/log")"

tap_done
