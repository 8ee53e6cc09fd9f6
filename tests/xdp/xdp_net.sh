# SPDX-License-Identifier: GPL-2.0-only
#
# What a namespace test needs to run amtscad --backend xdp on a veth.
# Source it, then:
#
#   xdp_net_peer NS IF     prepare the device end IF (in NS) of the veth the
#                          program is attached to: full checksums (the
#                          program verifies them) and an XDP_PASS program
#                          (tests/xdp/device_side.bpf.o), without which a
#                          veth does not deliver its peer's XDP_TX frames
#   xdp_net_bpffs DIR      mount a private bpffs on DIR/bpffs; sets
#                          XDP_PIN to a pin directory inside it
#   xdp_net_down DIR       unmount it (idempotent; call from the EXIT trap)
#   xdp_daemon_start LOG IF [amtscad options]
#                          amtscad --backend xdp --intake-only in SCA,
#                          natively on IF, maps under PIN, stderr to LOG;
#                          sets pid, waits for its start
#   xdp_daemon_stop        SIGTERM it, bounded wait; returns its status
#   xdp_test_cleanup       the EXIT trap of a daemon test that keeps its
#                          daemon's PID in pid, its namespaces in SCA and
#                          DEV and its files (and bpffs) in tmp
#
# Nothing here sends a packet.

XDP_DEVICE_PROG=${XDP_DEVICE_PROG:-build/tests/device_side.bpf.o}

xdp_net_peer() {
	ip netns exec "$1" ethtool -K "$2" tx off >/dev/null &&
		ip -n "$1" link set dev "$2" xdpdrv obj "$XDP_DEVICE_PROG" sec xdp
}

xdp_net_bpffs() {
	mkdir -p "$1/bpffs" && mount -t bpf bpf "$1/bpffs" &&
		XDP_PIN=$1/bpffs/amtsca
}

xdp_net_down() {
	umount "$1/bpffs" 2>/dev/null
	return 0
}

xdp_test_cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$SCA" 2>/dev/null
	ip netns del "$DEV" 2>/dev/null
	xdp_net_down "$tmp"
	rm -rf "$tmp"
}

xdp_daemon_start() {
	ip netns exec "$SCA" "$DAEMON" --backend xdp --interface "$2" \
		--intake-only "${DAEMON_OPTS[@]}" -o "xdp.pin_path=$PIN" \
		-o xdp.mode=native "${@:3}" 2>"$1" &
	pid=$!
	wait_log "$1" "event=started backend=xdp"
}

xdp_daemon_stop() {
	daemon_stop "$pid"
	pid=
	return "$DAEMON_RC"
}
