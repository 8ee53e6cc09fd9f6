#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# provision.sh BUILD OUTDIR: amtscad provisioning amtsim fleets (PSK, PKI;
# BENCH_PROVISION_SIZES, default "1000 10000") in namespaces. For each run
# it prints and records
#   provision_dps <mode>-<n> <devices Operational per second>
#   provision_seconds <mode>-<n> <seconds until the last one>
#   daemon_rss_mb <mode>-<n> <daemon peak RSS, MB>
#   fleet_ceiling <mode>-<n> <full handshakes/s, measured just before>
#   provision_vs_ceiling <mode>-<n> <provision_dps / fleet_ceiling>
#   fleet_handshake_cpu_us <mode>-<n> <CPU per full handshake, both sides>
#   provision_cpu_vs_ceiling <mode>-<n> <fleet_handshake_cpu_us / (daemon
#                                        + amtsim CPU per device)>
#   daemon_cpu_us <mode>-<n> <daemon CPU (user + system) per device, us>
#   sim_cpu_us <mode>-<n> <amtsim CPU per device from its first Hello, us>
# and samples devices Operational over time into
# OUTDIR/operational-<mode>-<n>.tsv, plotted into OUTDIR/operational.png.
#
# The ceiling is measured again right before each fleet (tls_ceiling
# --full-only, BENCH_PROVISION_CEILING_SECONDS, default 5): other load on
# the machine moved a ceiling measured minutes earlier by up to 2x.
# amtsim runs as BENCH_PROVISION_SIM_WORKERS processes (--workers, default
# 2): real devices each have their own CPU, and one simulator process on
# one core capped the fleet (bench/README.md); 1 for an amtsim without
# --workers. TLS_CEILING is the ceiling tool (default:
# BUILD/bench/tls_ceiling).
set -euo pipefail

build=$1
out=$2
here=$(dirname "$0")
root=$(cd "$here/../.." && pwd)
. "$here/../lib.sh"
. "$root/tests/lib/fleet_net.sh"
. "$root/tests/lib/daemon_test.sh"

sizes=${BENCH_PROVISION_SIZES:-1000 10000}
modes=${BENCH_PROVISION_MODES:-psk pki}
ceiling_secs=${BENCH_PROVISION_CEILING_SECONDS:-5}
sim_workers=${BENCH_PROVISION_SIM_WORKERS:-2}
tls_ceiling=${TLS_CEILING:-$build/bench/tls_ceiling}
sim_workers_arg=()
[ "$sim_workers" = 1 ] || sim_workers_arg=(--workers "$sim_workers")
P=amtsca-bench-prov-$$
ceiling_ns=$P-tls
tmp=$(mktemp -d)
dpid= spid=
cleanup() {
	if [ -n "$spid" ]; then kill "$spid" 2>/dev/null || true; fi
	if [ -n "$dpid" ]; then kill "$dpid" 2>/dev/null || true; fi
	wait 2>/dev/null || true
	fleet_net_down "$P" || true
	ip netns del "$ceiling_ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

tls_ceiling_certs "$tmp/pki"
mkdir -p "$tmp/certs"
cat "$tmp/pki/chain.pem" "$tmp/pki/leaf.key" >"$tmp/certs/provisioning.pem"
# The ceiling's own namespace, as tls_ceiling.sh.
ip netns add "$ceiling_ns"
ip -n "$ceiling_ns" link set lo up

# ceiling MODE: full handshakes per second on this machine now and the
# CPU one took (both sides, us), as "RATE CPU_US".
ceiling() {
	tls_ceiling_run "$ceiling_ns" "$tls_ceiling" "$1" "$ceiling_secs" \
		"$tmp/pki" --full-only |
		awk '$1 == "handshake_ceiling" { r = $3 }
			$1 == "handshake_cpu_us" { c = $3 }
			END { print r, c }'
}

# calc EXPR: floating-point arithmetic (awk; bc is not always installed).
calc() {
	awk "BEGIN { print $1 }"
}

# done_count LOG: devices the daemon finished with the device Operational
# (it logs session_done after recording DONE in its database; a device
# whose later session finds it already provisioned counts once).
done_count() {
	{ grep -o "event=session_done uuid=[^ ]*" "$1" || true; } | sort -u | wc -l
}

# last_done_ts LOG: the timestamp of the last session_done line.
last_done_ts() {
	sed -n 's/^ts=\([^ ]*\) .*event=session_done .*/\1/p' "$1" | tail -1
}

# cpu_us PID: user + system CPU so far of PID, of its running children
# (amtsim's workers) and of the children it has waited for, in
# microseconds.
cpu_us() {
	local kids k
	kids=$(cat "/proc/$1/task/$1/children" 2>/dev/null) || return 1
	for k in "$1" $kids; do
		cat "/proc/$k/stat" 2>/dev/null || true
	done | awk -v hz="$(getconf CLK_TCK)" -v pid="$1" '
		{ own = $1 == pid; sub(/.*\) /, ""); t += $12 + $13
		  if (own) t += $14 + $15 }
		END { print int(t * 1000000 / hz) }'
}

# run_fleet MODE N: one fleet from Setup Mode to all Operational.
run_fleet() {
	local mode=$1 n=$2 run=$1-$2 dir=$tmp/$1-$2 limit t0 now done hwm
	local ceiling ceiling_cpu secs sim_cpu sim_cpu0 daemon_cpu t spread
	mkdir -p "$dir"
	read -r ceiling ceiling_cpu < <(ceiling "$mode")
	bench_record "$out" fleet_ceiling "$run" "$ceiling"
	bench_record "$out" fleet_handshake_cpu_us "$run" "$ceiling_cpu"
	# First Hellos at the handshake ceiling's rate (1,000 a second without
	# one): a slower spread would bound the run below the ceiling it is
	# compared with.
	spread=$(calc "$n / ${ceiling:-1000}")
	limit=$((60 + n / 20))
	fleet_net_up "$P"
	sim_args=(--devices "$n" --mode "$mode" --seed 11
		--trusted-root "$tmp/pki/root.pem" --domain amt.test)
	"$build/bin/amtsim" "${sim_args[@]}" --creds-out "$dir/creds.csv" \
		--creds-only >/dev/null
	"$build/tests/db_check" "$dir/state.db" "$dir/key" import \
		"$dir/creds.csv" >/dev/null
	cp -r "$tmp/certs" "$dir/certs"
	daemon_test_opts "$dir"
	ip netns exec "$FLEET_SCA_NS" "$build/bin/amtscad" --backend socket \
		--listen "$FLEET_SCA_ADDR" "${DAEMON_OPTS[@]}" \
		-o profile.domain=amt.test -o session.max_inflight=512 \
		2>"$dir/daemon.log" &
	dpid=$!
	wait_log "$dir/daemon.log" "event=started"
	# Devices in 198.19.0.0/16, which fleet_net.sh routes through the fleet
	# side: one neighbour entry for the SCA whatever the fleet size (on-link
	# addresses would need one each and overflow the neighbour table, 1,024
	# entries by default, at a few thousand devices).
	# First Hellos spread as above (a campus powering on), then every 5 s
	# until Operational.
	ip netns exec "$FLEET_DEV_NS" "$build/bin/amtsim" "${sim_args[@]}" \
		--sca "$FLEET_SCA_ADDR" --add-route "$FLEET_DEV_IF" \
		--addr-base 198.19.0.1 "${sim_workers_arg[@]}" \
		--schedule 5x1000 --hello-spread "$spread" --duration "$limit" --linger 1 \
		--state-out "$out/amtsim-$run.json" --verbose \
		>"$dir/sim.out" 2>"$dir/sim.log" &
	spid=$!
	# The clock starts when the fleet is up (its first Hello): amtsim's
	# start (credentials, certificates, routes) is no provisioning.
	# (10,000 PKI devices sign 10,000 certificates first: ~15 s here.)
	if ! wait_log "$dir/sim.log" "devices ready" $((300 + n / 10)); then
		echo "# $run: amtsim did not start: $(tail -1 "$dir/sim.log")" >&2
		return 1
	fi
	t0=$(stat -c %.9Y "$dir/sim.log")
	sim_cpu0=$(cpu_us "$spid") || sim_cpu0=0
	: >"$out/operational-$run.tsv"
	sim_cpu=$sim_cpu0
	while kill -0 "$spid" 2>/dev/null; do
		# amtsim exits on its own: keep its last reading.
		t=$(cpu_us "$spid") && [ -n "$t" ] && sim_cpu=$t
		now=$(date +%s.%N)
		done=$(done_count "$dir/daemon.log")
		echo "$(calc "$now - $t0") $done" >>"$out/operational-$run.tsv"
		[ "$done" -ge "$n" ] && break
		sleep 0.5
	done
	done=$(done_count "$dir/daemon.log")
	# To the last device's session_done in the daemon's log (ms), not to
	# this loop's next look (runs of a few seconds read 0.5 s long).
	if [ "$done" -ge "$n" ]; then
		secs=$(calc "$(date -d "$(last_done_ts "$dir/daemon.log")" +%s.%N) - $t0")
	else
		secs=$(calc "$(date +%s.%N) - $t0")
	fi
	echo "$secs $done" >>"$out/operational-$run.tsv"
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$dpid/status")
	daemon_cpu=$(cpu_us "$dpid")
	t=$(cpu_us "$spid") && [ -n "$t" ] && sim_cpu=$t
	wait "$spid" || true
	spid=
	daemon_stop "$dpid"
	dpid=
	fleet_net_down "$P" || true
	cp "$dir/daemon.log" "$out/daemon-$run.log"
	{ grep -E "level=(err|warn)" "$dir/daemon.log" || true; } | sed -E 's/^ts=[^ ]* //; s/uuid=[^ ]* device=[^ ]* //' |
		sort | uniq -c | sort -rn | head -5 | sed 's/^/# /' >&2
	echo "# $run: $done/$n Operational in $secs s; amtsim: $(tail -1 "$dir/sim.out")" >&2
	bench_record "$out" provision_seconds "$run" "$(printf %.2f "$secs")"
	bench_record "$out" provision_dps "$run" "$(calc "int($done / $secs)")"
	bench_record "$out" daemon_rss_mb "$run" "$((hwm / 1024))"
	bench_record "$out" daemon_cpu_us "$run" "$((daemon_cpu / n))"
	bench_record "$out" sim_cpu_us "$run" "$(((sim_cpu - sim_cpu0) / n))"
	[ -n "$ceiling" ] && bench_record "$out" provision_vs_ceiling "$run" \
		"$(calc "int(100 * $done / $secs / $ceiling) / 100")"
	# The same comparison in CPU, which the other jobs on the machine move
	# much less than the rates: what a full handshake costs over what a
	# device cost (daemon_cpu_us + sim_cpu_us).
	if [ -n "$ceiling_cpu" ]; then
		bench_record "$out" provision_cpu_vs_ceiling "$run" \
			"$(calc "int(100 * $ceiling_cpu * $n / ($daemon_cpu + $sim_cpu - $sim_cpu0)) / 100")"
	fi
}

for mode in $modes; do
	for n in $sizes; do
		run_fleet "$mode" "$n"
	done
done
# The plot: every mode at the largest size of this run.
largest=$(printf '%s\n' $sizes | sort -n | tail -1)
series=()
for mode in $modes; do
	series+=("$out/operational-$mode-$largest.tsv")
done
"$here/plot_operational.sh" "$out/operational.png" \
	"amtscad: devices Operational over time" "${series[@]}"
echo "# plot: $out/operational.png" >&2
