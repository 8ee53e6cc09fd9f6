#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# No secret of the fleet appears in any log, output or state file. A fleet
# of random PID/PPS pairs and admin passwords goes through the store, the
# Digest code, a TLS-PSK exchange with a device and the daemon (verbose);
# every line they print and every state file they write is then searched
# for each PPS (with and without dashes) and password. A planted secret
# checks that the search finds one. Root; namespace amtsec-ns$$,
# 198.18.3.0/24.
#
# Other tests can reuse the scan: SECRETS_FILE=FILE (lines "UUID PID PPS
# PASSWORD") SCAN_PATHS="DIR..." adds their logs to the search.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

BIN=${BUILD:-build}/tests/security
DAEMON=${AMTSCAD:-${BUILD:-build}/bin/amtscad}
NS=amtsec-ns$$
tmp=$(mktemp -d)
logs=$tmp/logs
mkdir -p "$logs"
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# rand N SET: N random characters from the tr(1) set SET.
rand() {
	tr -dc "$2" </dev/urandom | head -c "$1"
}

fleet=$tmp/fleet
for i in $(seq 20); do
	pps=$(rand 32 'A-Z0-9' | sed -E 's/(.{4})/\1-/g; s/-$//')
	echo "$(cat /proc/sys/kernel/random/uuid) $(rand 8 'A-Z0-9') $pps" \
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

# 2. A TLS-PSK session and Digest answers with the first device's secrets.
ip netns add "$NS" && ip -n "$NS" link set lo up &&
	ip -n "$NS" link add amtsec-ns0 type veth peer amtsec-ns1 &&
	ip -n "$NS" addr add 198.18.3.1/24 dev amtsec-ns0 &&
	ip -n "$NS" link set amtsec-ns0 up && ip -n "$NS" link set amtsec-ns1 up
tap_result "namespace up" $? || true

read -r _ pid pps pw <"$fleet"
for mode in ok digest-loop; do
	ip netns exec "$NS" timeout 20 "$BIN/hostile_device" --mode "$mode" \
		--listen 198.18.3.1 --psk "$pid:$pps" --count 1 \
		--conn-seconds 5 2>"$logs/device-$mode.log" &
	pids+=($!)
	for _ in $(seq 50); do
		grep -q '^listening' "$logs/device-$mode.log" && break
		sleep 0.1
	done
	ip netns exec "$NS" timeout 20 "$BIN/hostile_probe" \
		--connect 198.18.3.1 --psk "$pid:$pps" --password "$pw" \
		>"$logs/probe-$mode.log" 2>&1
done
wait
pids=()
grep -q 'result="done" status=200' "$logs/probe-ok.log" &&
	grep -q 'result="digest: still 401' "$logs/probe-digest-loop.log"
tap_result "PSK handshake and Digest answers made with the fleet's secrets" \
	$? "$(cat "$logs"/probe-*.log)"

# 3. The daemon, verbose, taking a Hello in.
ip netns exec "$NS" "$DAEMON" --backend socket --listen 198.18.3.1 -v \
	-o security.user=nobody -o security.group=nogroup \
	-o daemon.db_path="$tmp/state.db" -o daemon.key_file="$tmp/secret.key" \
	2>"$logs/amtscad.log" &
pids+=($!)
for _ in $(seq 50); do
	grep -q "event=started" "$logs/amtscad.log" && break
	sleep 0.1
done
ip netns exec "$NS" timeout 5 bash -c \
	"cat tests/corpus/hello/psk-valid.bin >/dev/tcp/198.18.3.1/9971"
for _ in $(seq 50); do
	grep -q "event=hello_queued" "$logs/amtscad.log" && break
	sleep 0.1
done
kill -TERM "${pids[0]}"
wait "${pids[0]}"
rc=$?
pids=()
[ "$rc" -eq 0 ] && grep -q "event=hello_queued" "$logs/amtscad.log"
tap_result "daemon took a Hello in and stopped cleanly" $? \
	"rc=$rc $(cat "$logs/amtscad.log")"

# 4. The search, proven on a planted secret first.
cp "$logs/workload.err" "$tmp/planted.log"
echo "event=oops password=$pw" >>"$tmp/planted.log"
found=$(scan "$fleet" "$tmp/planted.log")
[[ "$found" == *"planted.log: password of"* ]]
tap_result "the search finds a planted password" $? "$found"

paths=("$logs" "$tmp"/state.db*)
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
