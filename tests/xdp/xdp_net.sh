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
