#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtsim's session faults on one PSK device: --fault-stall (the TLS session
# is never answered and closed at --idle-timeout), --fault-reset (a request
# is answered with a TCP reset), --fault-clock (the device clock is hours
# off: GetLowAccuracyTimeSynch shows it and the state JSON records it).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/amtsim.sh

W=tests/corpus/wsman
sim_test_begin sflt || exit 1
sim_creds 51 1
key=$(psk_hex "$PPS")

sim_start --devices 1 --seed 51 --sca 198.18.0.1 --add-addrs fleet0 \
	--fault-stall 1 --idle-timeout 1 || exit 1
t0=$(date +%s%N)
wsman_post $W/req-get-general-settings.xml | sca_psk "$PID" "$key" >"$tmp/r"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc -ne 0 ] && [ $rc -ne 124 ] && [ ! -s "$tmp/r" ] && [ $ms -ge 900 ] &&
	[ $ms -lt 5000 ]
tap_result "--fault-stall 1: no handshake, closed after the idle timeout ($ms ms)" $? \
	"rc=$rc"
sim_stop

sim_start --devices 1 --seed 51 --sca 198.18.0.1 --add-addrs fleet0 \
	--fault-reset 1 || exit 1
SCA_ERR=$tmp/reset.err
wsman_post $W/req-get-general-settings.xml | sca_psk "$PID" "$key" >"$tmp/r"
[ ! -s "$tmp/r" ] && grep -qi 'reset\|errno=104' "$tmp/reset.err"
tap_result "--fault-reset 1: the request gets a TCP reset" $? \
	"$(cat "$tmp/reset.err")"
sim_stop

sim_start --devices 1 --seed 51 --sca 198.18.0.1 --add-addrs fleet0 \
	--fault-clock 1 --state-out "$tmp/state.json" || exit 1
wsman_post $W/req-get-general-settings.xml | sca_psk "$PID" "$key" >"$tmp/r"
realm=$(challenge_field realm <"$tmp/r")
nonce=$(challenge_field nonce <"$tmp/r")
wsman_post $W/req-get-low-accuracy-time.xml \
	"$(digest_auth "$realm" "$nonce" 00000001 "$MEBX")" |
	sca_psk "$PID" "$key" >"$tmp/r"
ta0=$(grep -oE 'Ta0>[0-9]+<' "$tmp/r" | head -n 1 | sed -E 's/Ta0>([0-9]+)</\1/')
now=$(date +%s)
drift=$((ta0 > now ? ta0 - now : now - ta0))
sim_stop
off=$(grep -o '"clock_offset_s":-\?[0-9]*' "$tmp/state.json" | cut -d: -f2)
[ -n "$ta0" ] && [ "$drift" -ge 3590 ] && [ "${off#-}" -ge 3600 ] &&
	[ $((drift - ${off#-})) -le 10 ] && [ $((drift - ${off#-})) -ge -10 ]
tap_result "--fault-clock 1: Ta0 is $drift s off, clock_offset_s $off" $? \
	"$(head -c 400 "$tmp/r")"
tap_done
