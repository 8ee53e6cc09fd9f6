#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tls_ceiling.sh TLS_CEILING OUTDIR: the raw TLS handshake ceiling for PSK
# and PKI setup sessions, 2 server and 2 client processes on 127.0.0.1 in
# a namespace of its own (both cores busy, as during a fleet run).
# Prints and records "handshake_ceiling psk|pki <handshakes/s>", and
# "handshake_pair_ceiling psk|pki <pairs/s>" (a full handshake and one
# resuming it, the least a device needs) with "pair_vs_ceiling psk|pki",
# and "protocol_floor psk|pki <devices/s>" (the pair with the fewest HTTP
# exchanges of a setup session, nothing parsed) with "floor_vs_ceiling";
# "handshake_cpu_us", "handshake_pair_cpu_us" and "protocol_floor_cpu_us"
# are the CPU per handshake, per pair and per floor of all its processes.
set -euo pipefail

bin=$1
out=$2
here=$(dirname "$0")
. "$here/../lib.sh"

ns=amtsca-bench-tls-$$
certs=$(mktemp -d)
cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$certs"
}
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up

"$here/../../tests/lib/mkcerts.sh" "$certs" amt.test >/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=device \
	-keyout "$certs/device.key" -out "$certs/device.pem" 2>/dev/null

# record OUTPUT: the tool's figure lines into results.txt.
record() {
	local name mode value
	while read -r name mode value; do
		bench_record "$out" "$name" "$mode" "$value"
	done <<<"$1"
}

seconds=${BENCH_TLS_SECONDS:-5}
record "$(ip netns exec "$ns" "$bin" psk "$seconds" 2 2)"
record "$(ip netns exec "$ns" "$bin" pki "$seconds" 2 2 \
	"$certs/device.pem" "$certs/device.key" \
	"$certs/chain.pem" "$certs/leaf.key" "$certs/root.pem")"
