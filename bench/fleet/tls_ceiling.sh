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

tls_ceiling_certs "$certs"

# record OUTPUT: the tool's figure lines into results.txt.
record() {
	local name mode value
	while read -r name mode value; do
		bench_record "$out" "$name" "$mode" "$value"
	done <<<"$1"
}

seconds=${BENCH_TLS_SECONDS:-5}
record "$(tls_ceiling_run "$ns" "$bin" psk "$seconds" "$certs")"
record "$(tls_ceiling_run "$ns" "$bin" pki "$seconds" "$certs")"
