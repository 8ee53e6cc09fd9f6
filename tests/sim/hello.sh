#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtsim's Hello emitter against tests/sim/hello_sink in the SCA namespace,
# each capture decoded with amtscactl hello decode: the exact v2 and v3
# wire format from each device's own address (IPv4 and IPv6), the retry
# count incrementing and saturating at 14, the --schedule intervals under
# --time-scale, giving up when the window closes, and the Hello faults.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/amtsim.sh

CTL=${AMTSCACTL:-build/bin/amtscactl}
SINK=${HELLO_SINK:-build/tests/hello_sink}

sim_test_begin shel || exit 1
tests/lib/mkcerts.sh "$tmp/certs" >/dev/null || exit 1

# capture NAME COUNT TIMEOUT AMTSIM-ARGS...: run the sink and amtsim until
# the sink has COUNT Hellos (or times out); captures in $tmp/NAME.
capture() {
	local name=$1 count=$2 secs=$3 addr=198.18.0.1
	shift 3
	case "$*" in *fd00:*) addr=fd00:a3::1 ;; esac
	mkdir -p "$tmp/$name"
	ip netns exec "$FLEET_SCA_NS" "$SINK" "$addr" 9971 "$tmp/$name" \
		"$count" "$secs" &
	sink=$!
	sleep 0.2
	sim_start --add-addrs fleet0 "$@" || return 1
	wait "$sink"
	local rc=$?
	sink=
	sim_stop
	return $rc
}

# decode NAME N: the JSON of capture N.
decode() {
	"$CTL" hello decode --file "$tmp/$1/$2.bin"
}

# PSK: two devices, schedule 60 s x3 then 120 s x2, at 60x speed.
sim_creds 21 2
capture psk 10 20 --devices 2 --seed 21 --sca 198.18.0.1 \
	--time-scale 60 --schedule 60x3,120x2 --window-hours 1
tap_result "PSK: 10 Hellos captured from 2 devices" $?
ok=0
for i in $(seq 0 9); do
	decode psk "$i" >"$tmp/j" 2>&1 || ok=1
done
tap_result "every PSK capture decodes" $ok "$(cat "$tmp/j")"
dev2=$(awk '$3 == "198.18.16.2" { print $1 }' "$tmp/psk/log")
retries=
for i in $dev2; do
	retries="$retries$(decode psk "$i" | sed -E 's/.*"retry_count":([0-9]+).*/\1/') "
done
[ "$retries" = "0 1 2 3 4 " ]
tap_result "device 2's retry counts are 0 1 2 3 4" $? "got '$retries'"
j=$(decode psk "$(echo "$dev2" | head -n 1)")
[[ $j == *'"version":2,"admin_credentials_set":true'* ]] &&
	[[ $j == *"\"pid\":\"$PID\""* ]] && [ "$(stat -c %s "$tmp/psk/0.bin")" -eq 32 ]
tap_result "v2 Hello: 32 bytes, admin flag set, the device's PID" $? "$j"
# A step's interval follows each of its Hellos: 60, 60, 60, 120 s at 60x
# are 1, 1, 1, 2 s real (+-0.4 s).
gaps=$(awk '$3 == "198.18.16.2" { if (n++) printf "%d ", $2 - t; t = $2 }' \
	"$tmp/psk/log")
read -r g1 g2 g3 g4 <<<"$gaps"
within() { [ "$1" -ge $(($2 - 400)) ] && [ "$1" -le $(($2 + 400)) ]; }
within "$g1" 1000 && within "$g2" 1000 && within "$g3" 1000 &&
	within "$g4" 2000
tap_result "schedule honoured under --time-scale (gaps ms: $gaps)" $?

# PKI over IPv6: the v3 Hello lists the trusted root's SHA-256.
capture pki 1 10 --devices 1 --seed 22 --mode pki \
	--trusted-root "$tmp/certs/root.pem" --addr6-base fd00:a3::1:1 \
	--sca '[fd00:a3::1]:9971'
tap_result "PKI over IPv6: one Hello captured" $?
j=$(decode pki 0)
[[ $j == *'"version":3'* ]] &&
	[[ $j == *"$(cat "$tmp/certs/root.sha256")"* ]] &&
	[ "$(awk '{ print $3 }' "$tmp/pki/log")" = fd00:a3::1:1 ] &&
	[ "$(stat -c %s "$tmp/pki/0.bin")" -eq $((25 + 2 + 32)) ]
tap_result "v3 Hello from fd00:a3::1:1 with the root's SHA-256" $? "$j"

# The SCA located by the default method through a resolver config:
# provisionserver.<DHCP option 15 domain>, answered by a host entry.
printf '%s\n' 'dhcp_domain = corp.test' 'dns = no' \
	'host = provisionserver.corp.test 198.18.0.1' >"$tmp/resolver.conf"
capture located 1 10 --devices 1 --seed 28 --resolver-config "$tmp/resolver.conf"
tap_result "--resolver-config: Hello sent to provisionserver.corp.test" $?

# Retry count saturates at 14.
capture sat 17 20 --devices 1 --seed 23 --sca 198.18.0.1 \
	--time-scale 100 --schedule 10x17
last=$(decode sat 16 | sed -E 's/.*"retry_count":([0-9]+).*/\1/')
l15=$(decode sat 15 | sed -E 's/.*"retry_count":([0-9]+).*/\1/')
[ "$last" = 14 ] && [ "$l15" = 14 ]
tap_result "retry count saturates at 14 (Hellos 16, 17: $l15, $last)" $?

# --retry-max and --admin-flag change those two header fields.
capture knobs 3 10 --devices 1 --seed 23 --sca 198.18.0.1 \
	--time-scale 100 --schedule 10x3 --retry-max 1 --admin-flag 0
r=
for i in 0 1 2; do
	r="$r$(decode knobs $i | sed -E 's/.*"retry_count":([0-9]+).*/\1/') "
done
[ "$r" = "0 1 1 " ] &&
	decode knobs 0 | grep -q '"admin_credentials_set":false'
tap_result "--retry-max 1 --admin-flag 0: retry counts $r, flag false" $?

# The window closes: amtsim gives up and exits on its own.
start=$(date +%s%N)
ip netns exec "$FLEET_DEV_NS" timeout 20 "$AMTSIM" --devices 2 --seed 24 \
	--sca 198.18.0.1 --add-addrs fleet0 --time-scale 3600 \
	--window-hours 2 --linger 0 --state-out "$tmp/window.json" \
	>"$tmp/window.out" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc -eq 0 ] && [ "$(tail -n 1 "$tmp/window.out")" = "operational 0/2" ] &&
	[ "$(grep -o '"window_closed":1' "$tmp/window.json" | wc -l)" -eq 2 ] &&
	[ "$ms" -ge 1800 ] && [ "$ms" -lt 8000 ]
tap_result "window of 2 h at 3600x: both give up after ~2 s ($ms ms)" $? \
	"rc=$rc $(cat "$tmp/window.out")"

# Faults: garbage instead of Hellos, every Hello twice, every Hello lost.
capture garbage 2 10 --devices 1 --seed 25 --sca 198.18.0.1 \
	--time-scale 60 --schedule 60x2 --fault-garbage-hello 1
ok=0
for i in 0 1; do
	"$CTL" hello decode --file "$tmp/garbage/$i.bin" >/dev/null 2>&1 && ok=1
done
tap_result "--fault-garbage-hello 1: captures are no valid Hellos" $ok

capture dup 4 10 --devices 1 --seed 26 --sca 198.18.0.1 \
	--time-scale 60 --schedule 60x2 --fault-dup-hello 1
cmp -s "$tmp/dup/0.bin" "$tmp/dup/1.bin" &&
	cmp -s "$tmp/dup/2.bin" "$tmp/dup/3.bin" &&
	! cmp -s "$tmp/dup/0.bin" "$tmp/dup/2.bin"
tap_result "--fault-dup-hello 1: each Hello arrives twice" $?

capture drop 1 2 --devices 1 --seed 27 --sca 198.18.0.1 \
	--time-scale 60 --schedule 60x2 --fault-drop 1
[ $? -ne 0 ] && [ ! -s "$tmp/drop/log" ]
tap_result "--fault-drop 1: no Hello arrives" $?
tap_done
