#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A 500-device amtsim with --add-route (local routes instead of one address
# per device): every device's Hello arrives from its own address, the last
# device serves TLS-PSK on its address, the routes are gone after exit,
# and the state JSON lists all 500. Then --add-addrs: the same addresses
# one by one, removed again on exit.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/amtsim.sh

SINK=${HELLO_SINK:-build/tests/hello_sink}
N=500
sim_test_begin sfle || exit 1
mkdir -p "$tmp/h"
ip netns exec "$FLEET_SCA_NS" "$SINK" 198.18.0.1 9971 "$tmp/h" $N 30 &
sink=$!
sleep 0.2
sim_start --devices $N --seed 31 --sca 198.18.0.1 --addr-base 198.19.0.1 \
	--add-route fleet0 --hello-spread 1 --state-out "$tmp/state.json" ||
	exit 1
wait "$sink"
tap_result "$N Hellos arrived" $?
sink=
n=$(awk '{ print $3 }' "$tmp/h/log" | sort -u | wc -l)
tap_check "from $N distinct addresses (got $n)" [ "$n" -eq $N ]
grep -q ' 198\.19\.1\.244 ' "$tmp/h/log"
tap_result "the last device's address 198.19.1.244 is among them" $?

sim_creds 31 $N
SIM_DEV_ADDR=198.19.1.244
wsman_post tests/corpus/wsman/req-get-general-settings.xml |
	sca_psk "$PID" "$(psk_hex "$PPS")" >"$tmp/r"
head -n 1 "$tmp/r" | grep -q '^HTTP/1.1 401'
tap_result "device $N answers TLS-PSK with its own PID on its address" $?

ip -n "$FLEET_DEV_NS" route show table local | grep -q '^local 198.19.1.0/25 dev fleet0'
tap_result "local routes cover the range while running" $?
sim_stop
ip -n "$FLEET_DEV_NS" route show table local | grep -q '^local 198\.19\.'
tap_result "local routes removed on exit" $((!$?))
[ "$(grep -o '"uuid"' "$tmp/state.json" | wc -l)" -eq $N ] &&
	grep -q "\"total\":$N}" "$tmp/state.json" &&
	[ "$(tail -n 1 "$SIM_OUT")" = "operational 0/$N" ]
tap_result "state JSON has $N devices; stdout 'operational 0/$N'" $?

sim_start --devices $N --seed 31 --sca 198.18.0.1 --addr-base 198.19.0.1 \
	--add-addrs fleet0 --duration 30 || exit 1
n=$(ip -n "$FLEET_DEV_NS" -4 addr show fleet0 | grep -c 'inet 198\.19\.')
tap_check "--add-addrs: $N addresses on fleet0 (got $n)" [ "$n" -eq $N ]
sim_stop
n=$(ip -n "$FLEET_DEV_NS" -4 addr show fleet0 | grep -c 'inet 198\.19\.')
tap_check "--add-addrs: all removed on exit (left $n)" [ "$n" -eq 0 ]
tap_done
