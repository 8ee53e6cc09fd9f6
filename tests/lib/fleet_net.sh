# SPDX-License-Identifier: GPL-2.0-only
#
# Two-namespace topology for fleet tests. Source it, then:
#
#   fleet_net_up PREFIX       ns PREFIX-sca:   sca0   198.18.0.1/15 fd00:a3::1/64
#                             ns PREFIX-fleet: fleet0 198.18.0.2/15 fd00:a3::2/64
#                             joined by a veth pair; the device ranges
#                             198.18.16.0/20, 198.19.0.0/16 and fd00:a3::1:0/112
#                             are routed from the SCA side via the fleet side,
#                             so the SCA keeps one neighbour entry whatever the
#                             fleet size. Device addresses go on fleet0 as /32
#                             (/128): amtsim --add-addrs fleet0, or
#                             fleet_net_add_addrs.
#   fleet_net_add_addrs PREFIX BASE COUNT   add COUNT consecutive addresses
#                             from BASE (IPv4 dotted or IPv6) to fleet0
#   fleet_net_down PREFIX     delete both namespaces (idempotent; call it
#                             from an EXIT trap)
#
# It sets FLEET_SCA_NS, FLEET_DEV_NS, FLEET_DEV_IF, FLEET_SCA_ADDR and
# FLEET_SCA_ADDR6. Run processes with `ip netns exec "$FLEET_SCA_NS" ...`.
# Only 198.18.0.0/15 and fd00::/8 are used.

fleet_net_vars() {
	FLEET_SCA_NS=$1-sca
	FLEET_DEV_NS=$1-fleet
	FLEET_DEV_IF=fleet0
	FLEET_SCA_ADDR=198.18.0.1
	FLEET_SCA_ADDR6=fd00:a3::1
}

fleet_net_up() {
	local prefix=${1:?fleet_net_up PREFIX}
	fleet_net_vars "$prefix"
	ip netns add "$FLEET_SCA_NS" || return
	ip netns add "$FLEET_DEV_NS" || return
	ip -n "$FLEET_SCA_NS" link add sca0 type veth peer name fleet0 \
		netns "$FLEET_DEV_NS" || return
	local ns
	for ns in "$FLEET_SCA_NS" "$FLEET_DEV_NS"; do
		ip -n "$ns" link set lo up || return
		ip netns exec "$ns" sysctl -qw net.core.somaxconn=8192 || return
		# No DAD: thousands of /128s must be usable at once.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || return
	done
	ip -n "$FLEET_SCA_NS" addr add 198.18.0.1/15 dev sca0 || return
	ip -n "$FLEET_SCA_NS" addr add fd00:a3::1/64 dev sca0 nodad || return
	ip -n "$FLEET_DEV_NS" addr add 198.18.0.2/15 dev fleet0 || return
	ip -n "$FLEET_DEV_NS" addr add fd00:a3::2/64 dev fleet0 nodad || return
	ip -n "$FLEET_SCA_NS" link set sca0 up || return
	ip -n "$FLEET_DEV_NS" link set fleet0 up || return
	ip -n "$FLEET_SCA_NS" route add 198.18.16.0/20 via 198.18.0.2 || return
	ip -n "$FLEET_SCA_NS" route add 198.19.0.0/16 via 198.18.0.2 || return
	ip -n "$FLEET_SCA_NS" -6 route add fd00:a3::1:0/112 via fd00:a3::2
}

# fleet_net_addr_seq BASE COUNT: print COUNT consecutive addresses from BASE
# (IPv4: across octets; IPv6: the last group counts up, at most to ffff).
fleet_net_addr_seq() {
	local base=$1 count=$2 i a b c d n
	case "$base" in
	*:*)
		n=$((16#${base##*:}))
		for ((i = 0; i < count; i++)); do
			printf '%s:%x\n' "${base%:*}" $((n + i))
		done
		;;
	*)
		IFS=. read -r a b c d <<<"$base"
		n=$(((a << 24) | (b << 16) | (c << 8) | d))
		for ((i = n; i < n + count; i++)); do
			printf '%d.%d.%d.%d\n' $((i >> 24 & 255)) \
				$((i >> 16 & 255)) $((i >> 8 & 255)) $((i & 255))
		done
		;;
	esac
}

fleet_net_add_addrs() {
	local prefix=${1:?} base=${2:?} count=${3:?} suffix
	fleet_net_vars "$prefix"
	case "$base" in
	*:*) suffix="/128 dev $FLEET_DEV_IF nodad" ;;
	*) suffix="/32 dev $FLEET_DEV_IF" ;;
	esac
	fleet_net_addr_seq "$base" "$count" |
		sed "s|.*|address add &$suffix|" |
		ip -n "$FLEET_DEV_NS" -batch -
}

fleet_net_down() {
	fleet_net_vars "${1:?fleet_net_down PREFIX}"
	ip netns del "$FLEET_SCA_NS" 2>/dev/null
	ip netns del "$FLEET_DEV_NS" 2>/dev/null
	return 0
}
