#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/lib/fleet_net.sh: both namespaces come up with their addresses and
# routes, device addresses are reachable from the SCA side and can be used
# as source addresses (IPv4 and IPv6), and fleet_net_down removes it all.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh

P=amtsca-fnet-$$
tmp=$(mktemp -d)
srv=
cleanup() {
	[ -n "$srv" ] && kill $srv 2>/dev/null && wait $srv 2>/dev/null
	fleet_net_down "$P"
	rm -rf "$tmp"
}
trap cleanup EXIT

fleet_net_up "$P"
tap_result "fleet_net_up" $?
ip -n "$FLEET_SCA_NS" -4 addr show sca0 | grep -q '198.18.0.1/15' &&
	ip -n "$FLEET_SCA_NS" -6 addr show sca0 | grep -q 'fd00:a3::1/64' &&
	ip -n "$FLEET_SCA_NS" route | grep -q '^198.19.0.0/16 via 198.18.0.2' &&
	ip -n "$FLEET_SCA_NS" route | grep -q '^198.18.16.0/20 via 198.18.0.2'
tap_result "SCA side addresses and device routes" $?

fleet_net_add_addrs "$P" 198.19.0.250 1000 &&
	fleet_net_add_addrs "$P" 198.18.16.1 4 &&
	fleet_net_add_addrs "$P" fd00:a3::1:1 4
tap_result "add device addresses in bulk" $?
n=$(ip -n "$FLEET_DEV_NS" -4 addr show fleet0 | grep -c 'inet 198\.1[89]\..*/32')
tap_check "1004 IPv4 device addresses on fleet0 (got $n)" [ "$n" -eq 1004 ]
ip -n "$FLEET_DEV_NS" -4 addr show fleet0 | grep -q 'inet 198.19.4.1/32'
tap_result "consecutive addresses cross an octet (198.19.4.1)" $?

# A TLS listener on the SCA side tells which source address each client
# connected from.
mkcert() {
	openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=fleet-net-test \
		-keyout "$tmp/k.pem" -out "$tmp/c.pem" -days 1 2>/dev/null
}
mkcert
# serve ADDR: a TLS listener in the SCA namespace for two handshakes.
serve() {
	ip netns exec "$FLEET_SCA_NS" timeout 20 openssl s_server -quiet \
		-naccept 2 -accept "$1" -cert "$tmp/c.pem" -key "$tmp/k.pem" \
		</dev/null >/dev/null 2>&1 &
}
serve 198.18.0.1:16000
srv=$!
serve '[fd00:a3::1]:16000'
srv="$srv $!"
sleep 0.5
# connect_from SRC DST: one TLS handshake from SRC (fleet ns) to DST.
connect_from() {
	echo | ip netns exec "$FLEET_DEV_NS" timeout 5 openssl s_client \
		-bind "$1" -connect "$2" >/dev/null 2>&1
}
connect_from 198.19.4.1:0 198.18.0.1:16000
tap_result "IPv4 device address as source to the SCA" $?
connect_from 198.18.16.4:0 198.18.0.1:16000
tap_result "IPv4 device address in 198.18.16.0/20 as source" $?
connect_from '[fd00:a3::1:3]:0' '[fd00:a3::1]:16000' &&
	connect_from '[fd00:a3::1:4]:0' '[fd00:a3::1]:16000'
tap_result "IPv6 device address as source to the SCA" $?
wait $srv
srv=

fleet_net_down "$P"
! ip netns list | grep -q "^$P-"
tap_result "fleet_net_down removes both namespaces" $?
tap_done
