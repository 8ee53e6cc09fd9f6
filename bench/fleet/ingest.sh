#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ingest.sh BUILD OUTDIR: Hellos per second accepted end to end by amtscad,
# socket backend and XDP backend side by side in one run, plus the daemon's
# CPU per Hello, for new devices and for a duplicate storm.
#
# Topology: namespace "gen" (hello_loadgen, 64 source addresses
# 198.18.32.0/26) -- veth -- namespace "sca" (amtscad on 198.18.0.1). The
# daemon runs with sessions off (session.workers=0 is not what we measure
# here: --intake-only) so only Hello intake is timed.
#
# Prints and records:
#   ingest_hps <backend> <Hellos/s>        new devices
#   ingest_cpu_us <backend> <daemon CPU us per Hello>
#   dupstorm_hps <backend> <Hellos/s>      all from devices already queued
#   dupstorm_cpu_us <backend> <daemon CPU us per Hello>
#   <phase>_loadgen_cpu_pct <backend> <%>  hello_loadgen's CPU time over the
#                                          phase's wall time (one process:
#                                          100 = the generator is the limit)
#   <phase>_daemon_cpu_pct <backend> <%>   the same for amtscad
#   <phase>_softirq_pct <backend> <%>      softirq share of all CPUs' time
#                                          (/proc/stat; XDP and the kernel's
#                                          TCP both run there)
#   ingest_ratio xdp_vs_socket <x>         new Hellos per daemon CPU-second,
#                                          XDP over socket (both in the run)
set -euo pipefail

build=$1
out=$2
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/../../tests/lib/daemon_test.sh"

seconds=${BENCH_INGEST_SECONDS:-5}
concurrency=${BENCH_INGEST_CONCURRENCY:-256}
pfx=amtsca-bench-ing-$$
sca=$pfx-sca gen=$pfx-gen
tmp=$(mktemp -d)
# A private bpffs: `ip netns exec` hides /sys/fs/bpf behind a new sysfs.
pin=$tmp/bpffs/amtsca
daemon=

cleanup() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
	ip netns del "$sca" 2>/dev/null || true
	ip netns del "$gen" 2>/dev/null || true
	umount "$tmp/bpffs" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

mkdir "$tmp/bpffs"
mount -t bpf bpf "$tmp/bpffs"
ip netns add "$sca"
ip netns add "$gen"
ip link add ing0 netns "$sca" type veth peer ing1 netns "$gen"
ip -n "$sca" addr add 198.18.0.1/16 dev ing0
ip -n "$gen" addr add 198.18.32.1/16 dev ing1
for i in $(seq 2 64); do
	echo "addr add 198.18.32.$i/16 dev ing1"
done | ip -n "$gen" -batch -
for n in "$sca" "$gen"; do
	ip -n "$n" link set lo up
done
ip -n "$sca" link set ing0 up
ip -n "$gen" link set ing1 up
# Frames sent with XDP_TX on a veth reach the peer only through its NAPI,
# which an XDP program there turns on (tests/xdp/device_side.bpf.c passes
# untagged frames); without checksum offload the load generator's frames
# carry final checksums, as from a real NIC (the program checks them).
ip netns exec "$gen" ethtool -K ing1 tx off >/dev/null
ip -n "$gen" link set dev ing1 xdpdrv obj "$build/tests/device_side.bpf.o" sec xdp
ip netns exec "$gen" sysctl -qw net.ipv4.ip_local_port_range="1024 65535"

# cpu_ticks PID: user+system clock ticks of the process so far.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# cpu_times: the "cpu" line of /proc/stat (all CPUs, clock ticks).
cpu_times() {
	awk '$1 == "cpu" { print $2, $3, $4, $5, $6, $7, $8, $9; exit }' /proc/stat
}

# daemon_counts: the daemon's accepted+duplicate counters (SIGUSR1 log).
daemon_counts() {
	local before
	before=$(grep -c event=stats "$tmp/log" || true)
	kill -USR1 "$daemon"
	for _ in $(seq 50); do
		[ "$(grep -c event=stats "$tmp/log" || true)" -gt "$before" ] && break
		sleep 0.1
	done
	grep event=stats "$tmp/log" | tail -1 |
		sed -E 's/.*accepted=([0-9]+) duplicate=([0-9]+).*/\1 \2/'
}

# run_load BACKEND NAME DEVICES FIRST: one timed load phase.
run_load() {
	local backend=$1 name=$2 devices=$3 first=$4 t0 t1 c0 a0 d0 c1 a1 d1 res hz
	local s0 s1
	hz=$(getconf CLK_TCK)
	read -r a0 d0 < <(daemon_counts)
	c0=$(cpu_ticks "$daemon")
	s0=$(cpu_times)
	t0=$(date +%s.%N)
	res=$(ip netns exec "$gen" "$build/bench/hello_loadgen" --target 198.18.0.1 \
		--src-base 198.18.32.1 --src-count 64 \
		--concurrency "$concurrency" --seconds "$seconds" \
		--devices "$devices" --first "$first")
	t1=$(date +%s.%N)
	s1=$(cpu_times)
	c1=$(cpu_ticks "$daemon")
	read -r a1 d1 < <(daemon_counts)
	echo "# $backend $name: $res; daemon accepted $((a1 - a0)) duplicate $((d1 - d0))" >&2
	completed=$(awk '{ print $3 }' <<<"$res")
	python3 - "$res" "$a0" "$d0" "$a1" "$d1" "$c0" "$c1" "$hz" \
		"$t0" "$t1" "$s0" "$s1" <<'PY' >"$tmp/fig"
import sys
res, a0, d0, a1, d1, c0, c1, hz, t0, t1, s0, s1 = sys.argv[1:]
f = res.split()
completed, secs, gen_cpu = int(f[2]), float(f[10]), float(f[12])
seen = (int(a1) - int(a0)) + (int(d1) - int(d0))
# End to end: the exchange completed at the device AND the daemon saw it.
# A Hello suppressed in XDP is never seen, so the storm counts completions.
hellos = completed if seen == 0 else min(completed, seen)
cpu_us = (int(c1) - int(c0)) * 1e6 / int(hz)
wall = float(t1) - float(t0)
# user nice system idle iowait irq softirq steal, summed over all CPUs.
ticks = [int(b) - int(a) for a, b in zip(s0.split(), s1.split())]
print(f"{hellos / secs:.0f} {cpu_us / max(completed, 1):.2f}"
      f" {100 * gen_cpu / secs:.0f} {cpu_us / 1e4 / wall:.0f}"
      f" {100 * ticks[6] / max(sum(ticks), 1):.0f}")
PY
	read -r hps cpu gen_pct daemon_pct softirq_pct <"$tmp/fig"
	bench_record "$out" "$name"_hps "$backend" "$hps"
	bench_record "$out" "$name"_cpu_us "$backend" "$cpu"
	bench_record "$out" "$name"_loadgen_cpu_pct "$backend" "$gen_pct"
	bench_record "$out" "$name"_daemon_cpu_pct "$backend" "$daemon_pct"
	bench_record "$out" "$name"_softirq_pct "$backend" "$softirq_pct"
	[ "$name" = ingest ] && ingest_cpu_us[$backend]=$cpu
	return 0
}

# start_daemon BACKEND: amtscad in the SCA namespace, intake only.
start_daemon() {
	local args=(--backend "$1" --intake-only)
	rm -rf "$tmp/state"
	mkdir "$tmp/state"
	daemon_test_opts "$tmp/state"
	args+=("${DAEMON_OPTS[@]}")
	[ "$1" = socket ] && args+=(--listen 198.18.0.1)
	# No rate limit: the load generator is one source per 64 devices.
	[ "$1" = xdp ] && args+=(--interface ing0 -o "xdp.pin_path=$pin"
		-o xdp.mode=native -o xdp.syn_rate=0 -o xdp.data_rate=0)
	ip netns exec "$sca" "$build/bin/amtscad" "${args[@]}" 2>"$tmp/log" &
	daemon=$!
	for _ in $(seq 50); do
		grep -q event=started "$tmp/log" && return 0
		sleep 0.1
	done
	echo "ingest.sh: amtscad --backend $1 did not start:" >&2
	cat "$tmp/log" >&2
	return 1
}

# stop_daemon BACKEND
stop_daemon() {
	local refused
	# A refused QUEUED mark (xdp_state_failed) costs less than one that
	# is made. The device-state map is an LRU cache now and should refuse
	# none (a plain hash refused every mark past 65,536 devices); if it
	# does, it is said, not hidden.
	refused=$(sed -n 's/.*event=xdp_state_failed .*devices=\([0-9]*\).*/\1/p' \
		"$tmp/log" | awk '{ n += $1 } END { print n + 0 }')
	[ "$refused" -gt 0 ] &&
		echo "# $1: QUEUED marks of $refused devices refused (device-state map full)" >&2
	kill "$daemon"
	wait "$daemon" || true
	daemon=
}

declare -A ingest_cpu_us
for backend in ${BENCH_INGEST_BACKENDS:-socket xdp}; do
	start_daemon "$backend"
	run_load "$backend" ingest 100000000 1
	# The storm: the last 1,000 devices the first round queued. (Its first
	# ones may be gone from the XDP device map, an LRU cache of 65,536
	# entries that the round overfills; their Hellos reach the daemon.)
	run_load "$backend" dupstorm 1000 $((completed > 1000 ? completed - 999 : 1))
	stop_daemon "$backend"
done
# Hellos per daemon CPU-second is 1e6 / cpu_us, so the ratio is inverted.
if [ -n "${ingest_cpu_us[socket]:-}" ] && [ -n "${ingest_cpu_us[xdp]:-}" ]; then
	bench_record "$out" ingest_ratio xdp_vs_socket "$(python3 -c \
		"print(f'{${ingest_cpu_us[socket]} / max(${ingest_cpu_us[xdp]}, 0.01):.2f}')")"
fi
