#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtsim --workers 3 with six PSK devices (two per worker) on IPv4 and
# IPv6: a TLS-PSK session with each device's own PID and PPS over each
# family gets its 401, so every connection reached the worker simulating its
# device (the reuseport steering of userspace/amtsim/workers.c; a worker
# refuses and counts any other), and the state JSON written by the parent
# holds all six with both sessions.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/amtsim.sh

N=6
sim_test_begin swrk || exit 1
sim_start --devices $N --workers 3 --seed 61 --sca 198.18.0.1 \
	--add-addrs fleet0 --addr6-base fd00:a3::1:1 --schedule 100x1 \
	--state-out "$tmp/state.json" || exit 1

ok=0
for i in $(seq $N); do
	sim_creds 61 "$i"
	for SIM_DEV_ADDR in "198.18.16.$i" "[fd00:a3::1:$i]"; do
		wsman_post tests/corpus/wsman/req-get-general-settings.xml |
			sca_psk "$PID" "$(psk_hex "$PPS")" | grep -q "^HTTP/1.1 401" &&
			ok=$((ok + 1))
	done
done
[ $ok -eq $((2 * N)) ]
tap_result "$ok of $((2 * N)) sessions answered, each with its device's PSK" $? \
	"$(tail -3 "$tmp/sca.err")"
sim_stop

! grep "another worker" "$SIM_OUT"
tap_result "no connection reached another worker" $? "$(cat "$SIM_OUT")"
sessions=$(jq -r '[.devices[].sessions] | map(tostring) | join(" ")' \
	"$tmp/state.json" 2>/dev/null)
[ "$sessions" = "2 2 2 2 2 2" ]
tap_result "state JSON: six devices, two sessions each ($sessions)" $?
grep -q "^operational 0/$N$" "$SIM_OUT"
tap_result "one summary line for the fleet" $? "$(tail -1 "$SIM_OUT")"

tap_done
