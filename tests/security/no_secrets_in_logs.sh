#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# No secret of the fleet appears in any log, output or state file. A fleet
# of random PID/PPS pairs and admin passwords goes through the store, the
# Digest code, a TLS-PSK exchange with a device and the daemon (verbose);
# every line they print and every state file they write is then searched
# for each PPS (with and without dashes) and password. A planted secret
# checks that the search finds one. Root; fleet_net.sh namespaces
# amtsec-ns-PID-*.
#
# The daemon's part: the fleet's PID/PPS pairs and MEBx passwords are
# imported into its database; a Hello from the first PID starts a real
# session, which loads the PPS from the store, does TLS-PSK with
# hostile_device (as that device) and answers its endless 401s with Digest
# made from the MEBx password.
#
# Other tests can reuse the scan: SECRETS_FILE=FILE (lines "UUID PID PPS
# PASSWORD") SCAN_PATHS="DIR..." adds their logs to the search.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/daemon_test.sh
. tests/lib/fleet_net.sh

BIN=${BUILD:-build}/tests/security
DAEMON=${AMTSCAD:-${BUILD:-build}/bin/amtscad}
NET=amtsec-ns-$$
tmp=$(mktemp -d)
logs=$tmp/logs
mkdir -p "$logs"
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	fleet_net_down "$NET"
	rm -rf "$tmp"
}
trap cleanup EXIT

# rand N SET: N random characters from the tr(1) set SET.
rand() {
	tr -dc "$2" </dev/urandom | head -c "$1"
}

# Lines "UUID PID PPS PASSWORD"; the first PID is the one in the corpus's
# PSK Hello, so that Hello starts a session with the first device's PPS.
fleet=$tmp/fleet
for i in $(seq 20); do
	pid=$(rand 8 'A-Z0-9')
	[ "$i" -eq 1 ] && pid=ABCD1234
	pps=$(rand 32 'A-Z0-9' | sed -E 's/(.{4})/\1-/g; s/-$//')
	echo "$(cat /proc/sys/kernel/random/uuid) $pid $pps" \
		"$(rand 12 'A-Za-z0-9')!$(rand 3 '0-9')"
done >"$fleet"

# scan FLEET PATH...: print "PATH: KIND of UUID" for each secret found.
scan() {
	local fleet=$1 uuid pid pps pw
	shift
	while read -r uuid pid pps pw; do
		grep -rlF -- "$pps" "$@" | sed "s|\$|: PPS of $uuid|"
		grep -rlF -- "${pps//-/}" "$@" | sed "s|\$|: PPS key of $uuid|"
		grep -rlF -- "$pw" "$@" | sed "s|\$|: password of $uuid|"
	done <"$fleet"
}

# 1. Store, sealing and Digest with every secret of the fleet.
"$BIN/secret_workload" "$tmp/state.db" "$tmp/secret.key" "$fleet" \
	>"$logs/workload.out" 2>"$logs/workload.err"
rc=$?
[ "$rc" -eq 0 ] && grep -q "^devices=20 failed=0$" "$logs/workload.out"
tap_result "20 devices' PPS and passwords sealed, read back, used" $? \
	"rc=$rc $(cat "$logs/workload.out" "$logs/workload.err")"

[ "$(stat -c %a "$tmp/state.db")" = 600 ] &&
	[ "$(stat -c %a "$tmp/secret.key")" = 600 ]
tap_result "database and key file are 0600" $? \
	"$(stat -c '%n %a' "$tmp/state.db" "$tmp/secret.key")"

# 2. The probe: a TLS-PSK exchange and Digest answers with the first
# device's secrets; 3. the daemon: a session with the same secrets.
fleet_net_up "$NET"
tap_result "namespaces up" $? || true
NS=$FLEET_SCA_NS DEV=$FLEET_DEV_NS

read -r _ pid pps pw <"$fleet"
# device MODE LOG [CONNECTIONS]: hostile_device on the device address.
device() {
	ip netns exec "$DEV" timeout 30 "$BIN/hostile_device" --mode "$1" \
		--listen 198.18.0.2 --psk "$pid:$pps" --count "${3:-1}" \
		--conn-seconds 10 2>"$2" &
	pids+=($!)
	wait_log "$2" '^listening'
}

for mode in ok digest-loop; do
	device "$mode" "$logs/device-$mode.log"
	ip netns exec "$NS" timeout 20 "$BIN/hostile_probe" \
		--connect 198.18.0.2 --psk "$pid:$pps" --password "$pw" \
		>"$logs/probe-$mode.log" 2>&1
done
wait
pids=()
grep -q 'result="done" status=200' "$logs/probe-ok.log" &&
	grep -q 'result="digest: still 401' "$logs/probe-digest-loop.log"
tap_result "probe: PSK handshake and Digest answers with the fleet's secrets" \
	$? "$(cat "$logs"/probe-*.log)"

state=$tmp/daemon
mkdir -p "$state"
awk '{ print $2 "," $3 "," $4 }' "$fleet" |
	sed '1i pid,pps,mebx_password' >"$state/creds.csv"
${DB_CHECK:-${BUILD:-build}/tests/db_check} "$state/state.db" "$state/key" \
	import "$state/creds.csv" >"$logs/import.log" 2>&1
tap_result "fleet imported into the daemon's database" $? \
	"$(cat "$logs/import.log")"

# The session answers each 401 on a new connection: let it make three.
device digest-loop "$logs/device-session.log" 3
daemon_test_opts "$state"
ip netns exec "$NS" "$DAEMON" --backend socket --listen 198.18.0.1 -v \
	"${DAEMON_OPTS[@]}" -o session.retries=0 2>"$logs/amtscad.log" &
pids+=($!)
wait_log "$logs/amtscad.log" "event=started"
ip netns exec "$DEV" timeout 5 bash -c \
	"cat tests/corpus/hello/psk-valid.bin >/dev/tcp/198.18.0.1/9971"
wait_log "$logs/amtscad.log" "event=session_failed" 200
daemon_stop "${pids[-1]}"
kill "${pids[0]}" 2>/dev/null
wait
pids=()
[ "$(grep -c "outcome=digest_loop_ended" "$logs/device-session.log")" -ge 2 ] &&
	grep -q "event=session_failed.*device=198.18.0.2 .*step=auth reason=\"digest_rejected\"" "$logs/amtscad.log" &&
	[ "$DAEMON_RC" -eq 0 ]
tap_result "daemon session: TLS-PSK with the stored PPS, Digest with the MEBx password" \
	$? "rc=$DAEMON_RC $(grep -v hello_timeout "$logs/amtscad.log" | tail -5) $(cat "$logs/device-session.log")"

# 4. The search, proven on a planted secret first.
cp "$logs/workload.err" "$tmp/planted.log"
echo "event=oops password=$pw" >>"$tmp/planted.log"
found=$(scan "$fleet" "$tmp/planted.log")
[[ "$found" == *"planted.log: password of"* ]]
tap_result "the search finds a planted password" $? "$found"

paths=("$logs" "$tmp"/state.db* "$state"/state.db*)
[ -n "${SCAN_PATHS:-}" ] && read -r -a extra <<<"$SCAN_PATHS" && paths+=("${extra[@]}")
found=$(scan "$fleet" "${paths[@]}")
[ -z "$found" ]
tap_result "no PPS or password in $(find "${paths[@]}" -type f | wc -l) logs, outputs and state files" \
	$? "$found"

if [ -n "${SECRETS_FILE:-}" ] && [ -n "${SCAN_PATHS:-}" ]; then
	found=$(scan "$SECRETS_FILE" "${extra[@]}")
	[ -z "$found" ]
	tap_result "no secret of $SECRETS_FILE in $SCAN_PATHS" $? "$found"
fi

tap_done
