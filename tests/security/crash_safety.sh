#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# crash_safety.sh [--devices N] [--kills K]: amtscad is killed with SIGKILL
# K times, spread over the fleet's progress (kill k once k/(K+1) of it is
# provisioned, with sessions in flight), while it provisions a mixed
# amtsim fleet of N devices, and restarted each time on the same database.
# In the end:
#   - every device is Operational (amtsim) and the database says done;
#   - every admin password a device accepted is in the database and
#     decrypts to it, host names, domains and new PID/PPS match (db_check);
#   - no new PID was given to two devices, and no device's Hello PID was
#     given to another as its new one;
#   - the audit log has no hole (its sequence numbers are contiguous) and
#     ends with "done" for every device.
# make check runs N=100, K=3; make soak runs N=1000, K=5.
# Root; namespaces amtsca-crash-PID-*, 198.18.0.0/15 only.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/daemon_test.sh
. tests/lib/fleet_creds.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
SIM=${AMTSIM:-build/bin/amtsim}
DBTOOL=${DB_CHECK:-build/tests/db_check}
devices=100 kills=3
while [ $# -gt 0 ]; do
	case "$1" in
	--devices) devices=${2:?} ;;
	--kills) kills=${2:?} ;;
	*)
		echo "usage: crash_safety.sh [--devices N] [--kills K]" >&2
		exit 2
		;;
	esac
	shift 2
done
limit=$((60 + devices / 10))

P=amtsca-crash-$$
tmp=$(mktemp -d)
dpid= spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	[ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	fleet_net_down "$P"
	rm -rf "$tmp"
}
trap cleanup EXIT

fleet_net_up "$P" && tests/lib/mkcerts.sh "$tmp/pki" >/dev/null 2>&1 &&
	mkdir "$tmp/certs" &&
	cat "$tmp/pki/chain.pem" "$tmp/pki/leaf.key" >"$tmp/certs/prov.pem"
tap_result "namespaces" $? || true

fleet_creds "$tmp" "$devices" mixed 23
tap_result "certificates and fleet credentials" $? || true

daemon_test_opts "$tmp"
# start_daemon: one more run on the same database, its own log
# ($tmp/daemon.log is the latest); few sessions at once, so the fleet
# takes long enough for the kills to land while sessions run.
runs=0
start_daemon() {
	runs=$((runs + 1))
	ip netns exec "$FLEET_SCA_NS" "$DAEMON" --backend socket \
		--listen "$FLEET_SCA_ADDR" "${DAEMON_OPTS[@]}" \
		-o profile.domain=amt.test -o session.retries=5 \
		-o session.backoff_ms=300 -o session.max_inflight=2 \
		2>"$tmp/daemon.$runs.log" &
	dpid=$!
	ln -sf "daemon.$runs.log" "$tmp/daemon.log"
	wait_log "$tmp/daemon.log" "event=started"
}
start_daemon
tap_result "daemon started" $? "$(tail -3 "$tmp/daemon.log")"

ip netns exec "$FLEET_DEV_NS" timeout $((limit + 20)) "$SIM" "${SIM_ARGS[@]}" \
	--sca "$FLEET_SCA_ADDR" --add-addrs "$FLEET_DEV_IF" \
	--schedule 1x1000 --duration "$limit" --state-out "$tmp/state.json" \
	>"$tmp/sim.out" 2>"$tmp/sim.log" &
spid=$!

# in_flight: sessions started and not ended in the current run's log.
in_flight() {
	[ "$(grep -c event=session_start "$tmp/daemon.log")" -gt \
		"$(grep -c 'event=session_\(done\|failed\)' "$tmp/daemon.log")" ]
}

# done_count: devices provisioned so far, over every run's log.
done_count() {
	cat "$tmp"/daemon.*.log | grep -c event=session_done
}

# Kill k of K once k/(K+1) of the fleet is provisioned (so every kill lands
# mid-fleet however fast the fleet goes; bounded: 30 s) and sessions are
# in flight (waiting at most 3 s for that), and restart on the same
# database.
killed=0 midflight=0
for ((k = 0; k < kills; k++)); do
	for _ in $(seq 600); do
		[ "$(done_count)" -ge $(((k + 1) * devices / (kills + 1))) ] &&
			break
		sleep 0.05
	done
	for _ in $(seq 30); do
		in_flight && break
		sleep 0.1
	done
	kill -0 "$spid" 2>/dev/null || break
	in_flight && midflight=$((midflight + 1))
	kill -9 "$dpid" && wait "$dpid" 2>/dev/null
	killed=$((killed + 1))
	start_daemon || break
done
# The fleet was still being provisioned at every kill (amtsim runs until
# the last device is Operational); most kills also catch a session open.
[ "$killed" -eq "$kills" ] && [ "$midflight" -ge 1 ]
tap_result "SIGKILL mid-fleet and restart, $kills times" \
	$? "killed $killed, $midflight with sessions in flight"
grep -q "event=started.*resumed=[1-9]" "$tmp"/daemon.[2-9].log
tap_result "a restart resumed the devices the killed daemon had queued" $? \
	"$(grep -h event=started "$tmp"/daemon.*.log | cut -c1-160)"

wait "$spid"
spid=
daemon_stop "$dpid"
dpid=
grep -q "^operational $devices/$devices$" "$tmp/sim.out"
tap_result "every device Operational" $? "$(tail -1 "$tmp/sim.out")"

jq -r '.devices[] | [(.uuid | ascii_downcase), .mode,
	(.provisioning_state | tostring), (.hostname // ""), (.domain // ""),
	(.admin_digest_md5_hex // ""), (.realm // ""), (.new_pid // ""),
	(.new_pps // "")] | @tsv' "$tmp/state.json" >"$tmp/state.tsv" &&
	"$DBTOOL" "$tmp/state.db" "$tmp/key" compare "$tmp/state.tsv" \
		>"$tmp/check.out"
tap_result "accepted admin passwords and new PID/PPS are in the database" \
	$? "$(grep -v '^provisioned' "$tmp/check.out" | head -5)"

# New PIDs: all distinct, none equal to any device's Hello PID.
jq -r '.devices[] | select(.new_pid != null) | .new_pid' "$tmp/state.json" |
	sort >"$tmp/new_pids"
jq -r '.devices[] | .pid // empty' "$tmp/state.json" | sort >"$tmp/old_pids"
[ -z "$(uniq -d "$tmp/new_pids")" ] &&
	[ -z "$(comm -12 "$tmp/new_pids" "$tmp/old_pids")" ] &&
	[ "$(wc -l <"$tmp/new_pids")" -gt 0 ]
tap_result "no PID/PPS pair used twice" $? \
	"$(uniq -d "$tmp/new_pids" | head -3)"

audit=$(sqlite3 "$tmp/state.db" "SELECT count(*), min(seq), max(seq) FROM audit" |
	tr '|' ' ')
read -r n lo hi <<<"$audit"
undone=$(sqlite3 "$tmp/state.db" "SELECT count(*) FROM devices d WHERE
	(SELECT outcome FROM audit a WHERE a.uuid = d.uuid
	 ORDER BY seq DESC LIMIT 1) IS NOT 'done'")
[ "$n" -gt 0 ] && [ $((hi - lo + 1)) -eq "$n" ] && [ "$undone" -eq 0 ]
tap_result "audit log without holes, ending in done for every device" $? \
	"rows $n seq $lo..$hi; devices not ending in done: $undone"
tap_done
