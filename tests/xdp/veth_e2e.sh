#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The XDP backend end to end: amtscad --backend xdp attaches bpf/amtsca.bpf.o
# NATIVELY to a veth in the SCA namespace; ordinary kernel TCP clients
# (tests/xdp/hello_client.c) in the device namespace send Hellos over IPv4,
# IPv6 and VLAN 7 (v4 and v6). Checks: clean connections, exactly one
# ring-buffer event per new device, re-sent Hellos suppressed by the
# device-state map, invalid Hellos answered with RST and raw segments
# without a handshake dropped, neither waking the ring reader; raw SYNs
# from a secondary address answered (checksums right); maps pinned
# and re-used across a daemon restart (device state survives); re-attach
# after the interface is recreated; clean detach on SIGTERM; allowed
# prefixes and SYN rate from the configuration. Ring pressure (64 KiB
# ring): more Hellos than the ring holds while the reader is stopped
# (ring_full, the FIN behind a dropped Hello left unacknowledged, every
# Hello resent and queued), 250 distinct Hellos in all as 250 events, a
# storm of duplicates and garbage after which a new Hello still arrives,
# and no acknowledged Hello left unread at SIGTERM. The daemon runs
# --intake-only: the device states are the program's and the intake's
# QUEUED marks alone, not what failing sessions to these clients (no TLS
# server) would write.
#
# Root. Namespaces amtsca-xdpl-{s,d}PID, addresses 198.18.0.0/15 and
# fd00::/8 only; a private bpffs under a temporary directory.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/daemon_test.sh
. tests/xdp/xdp_net.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
CLIENT=build/tests/xdp_hello_client
GARBAGE_TX=build/tests/xdp_tcp_garbage
CORPUS=tests/corpus/hello
SCA=amtsca-xdpl-s$$ DEV=amtsca-xdpl-d$$
GARBAGE=40
tmp=$(mktemp -d)
PIN=$tmp/bpffs/amtsca # xdp_net_bpffs's XDP_PIN
pid=

trap xdp_test_cleanup EXIT

# The veth pair. The device side sends full checksums and in-band VLAN
# tags (as a NIC's wire would carry). This kernel has no 802.1Q, so VLAN 7
# is emulated on the device side by tests/xdp/device_side.bpf.c (tag on
# egress to 198.18.7.0/24 and fd00:a7::/64, untag on ingress); the SCA
# side needs nothing, the XDP program answers those addresses itself, and
# the device reaches them through static neighbour entries. The plain
# addresses get static entries too: ARP and ND are the kernel's business,
# not under test, and under load a lost resolution outlasted a connect.
make_link() {
	local mac
	ip link add xs0 netns "$SCA" type veth peer xd0 netns "$DEV" &&
		ip -n "$SCA" addr add 198.18.0.1/24 dev xs0 &&
		ip -n "$SCA" addr add fd00:a3::1/64 dev xs0 nodad &&
		ip -n "$DEV" addr add 198.18.0.2/24 dev xd0 &&
		ip -n "$DEV" addr add fd00:a3::2/64 dev xd0 nodad &&
		ip -n "$DEV" addr add 198.18.7.2/24 dev xd0 &&
		ip -n "$DEV" addr add fd00:a7::2/64 dev xd0 nodad &&
		ip netns exec "$DEV" ethtool -K xd0 tx off txvlan off \
			>/dev/null &&
		ip -n "$DEV" link set dev xd0 xdpdrv obj "$XDP_DEVICE_PROG" sec xdp &&
		ip netns exec "$DEV" tc qdisc add dev xd0 clsact &&
		ip netns exec "$DEV" tc filter add dev xd0 egress bpf da \
			obj "$XDP_DEVICE_PROG" sec tc &&
		ip -n "$SCA" link set xs0 up && ip -n "$DEV" link set xd0 up &&
		mac=$(ip -n "$SCA" -j link show xs0 | jq -r '.[0].address') &&
		for a in 198.18.7.1 fd00:a7::1 198.18.0.1 fd00:a3::1; do
			ip -n "$DEV" neigh add "$a" lladdr "$mac" dev xd0 \
				nud permanent || return 1
		done
}

# mkhello SRC UUID-HEX OUT: a corpus Hello given another device UUID.
mkhello() {
	{ head -c 8 "$1"; echo "$2" | xxd -r -p; tail -c +25 "$1"; } >"$3"
}

# hello ADDR FILE [client options]: one connection from the device side.
hello() {
	ip netns exec "$DEV" timeout 10 "$CLIENT" "${@:3}" "$1" 9971 "$2"
}

# xdp_mode: how a program sits on xs0 (1 native, 2 generic; null: none).
xdp_mode() {
	ip -n "$SCA" -j link show xs0 | jq '.[0].xdp.mode'
}

# counter NAME: a field of the pinned per-CPU counters, summed.
counter() {
	bpftool -j map dump pinned "$PIN/amtsca_counters" |
		jq "[.[0].formatted.values[].value.$1] | add"
}

# start_daemon LOG [amtscad options]; -v: the checks read the debug line
# xdp_hello that each ring record gets (address, VLAN, length).
start_daemon() {
	xdp_daemon_start "$1" xs0 -v "${@:2}"
}

daemon_test_opts "$tmp"
mkdir -p "$tmp/certs" && xdp_net_bpffs "$tmp" &&
	ip netns add "$SCA" && ip netns add "$DEV" &&
	ip -n "$SCA" link set lo up && ip -n "$DEV" link set lo up && make_link
tap_result "namespaces and veth up, VLAN 7 emulation on the device side" $? || true

mkhello "$CORPUS/psk-valid.bin" 0000000000000000000000000000a401 "$tmp/v4"
mkhello "$CORPUS/meshcentral-841.bin" 0000000000000000000000000000a601 "$tmp/v6"
mkhello "$CORPUS/pki-sha384.bin" 0000000000000000000000000000a471 "$tmp/vlan4"
mkhello "$CORPUS/meshcentral-807.bin" 0000000000000000000000000000a671 "$tmp/vlan6"
mkhello "$CORPUS/psk-admin0-retry14.bin" 0000000000000000000000000000a402 \
	"$tmp/relinked1"
mkhello "$CORPUS/psk-admin0-retry14.bin" 0000000000000000000000000000a403 \
	"$tmp/relinked2"

log=$tmp/log1
start_daemon "$log" &&
	grep -q "event=xdp_attached if=xs0 .* mode=native" "$log" &&
	[ "$(xdp_mode)" = 1 ]
tap_result "daemon attached the program natively to xs0" $? "$(cat "$log")"

out=$(hello 198.18.0.1 "$tmp/v4")
tap_result "IPv4 Hello: connect, send, close without RST" $? "$out"
out=$(hello fd00:a3::1 "$tmp/v6")
tap_result "IPv6 Hello (841 bytes): connect, send, close without RST" $? "$out"
out=$(hello 198.18.7.1 "$tmp/vlan4")
tap_result "VLAN 7 IPv4 Hello: connect, send, close without RST" $? "$out"
out=$(hello fd00:a7::1 "$tmp/vlan6")
tap_result "VLAN 7 IPv6 Hello: connect, send, close without RST" $? "$out"

wait_log "$log" "uuid=0000000000000000000000000000a671"
ok=0
for want in "device=198.18.0.2 .* vlan=0 uuid=0000000000000000000000000000a401 len=32" \
	"device=fd00:a3::2 .* vlan=0 uuid=0000000000000000000000000000a601 len=841" \
	"device=198.18.7.2 .* vlan=7 uuid=0000000000000000000000000000a471 " \
	"device=fd00:a7::2 .* vlan=7 uuid=0000000000000000000000000000a671 len=807"; do
	[ "$(grep -c "event=xdp_hello $want" "$log")" -eq 1 ] && ok=$((ok + 1))
done
[ "$ok" -eq 4 ] && [ "$(grep -c "event=xdp_hello " "$log")" -eq 4 ]
tap_result "exactly one ring event per device, with address, VLAN and length" \
	$? "$(grep event=xdp_hello "$log")"

events=$(counter hello_event)
out=$(hello 198.18.0.1 "$tmp/v4") && out=$(hello fd00:a3::1 "$tmp/v6") &&
	out=$(hello 198.18.7.1 "$tmp/vlan4") &&
	out=$(hello fd00:a7::1 "$tmp/vlan6")
tap_result "re-sent Hellos still get a clean close" $? "$out"
sleep 0.3
[ "$(grep -c "event=xdp_hello " "$log")" -eq 4 ] &&
	[ "$(counter suppressed)" -eq 4 ] &&
	[ "$(counter hello_event)" -eq "$events" ]
tap_result "re-sent Hellos suppressed in XDP: no event, counted" $? \
	"suppressed=$(counter suppressed) hello_event=$(counter hello_event)"

# amtscactl stats reads the same counters through the daemon.
ctl=$(build/bin/amtscactl --socket "$tmp/ctl.sock" stats --json)
[ "$(jq '.bpf.suppressed' <<<"$ctl")" -eq 4 ] &&
	[ "$(jq '.bpf.hello_event' <<<"$ctl")" -eq 4 ]
tap_result "amtscactl stats shows the XDP counters" $? "$ctl"

rst=$(counter rst)
bad=0
for i in $(seq "$GARBAGE"); do
	case $((i % 4)) in
	0) cp "$CORPUS/admin-2.bin" "$tmp/garbage" ;;
	1) cp "$CORPUS/pki-type4.bin" "$tmp/garbage" ;;
	# random bytes behind an impossible admin flag (7): always refused
	2) { printf '\007\000'; head -c $((22 + i * 7)) /dev/urandom; } \
		>"$tmp/garbage" ;;
	3) cp "$CORPUS/psk-pid-nul.bin" "$tmp/garbage" ;;
	esac
	hello 198.18.0.1 "$tmp/garbage" --expect-rst >/dev/null ||
		bad=$((bad + 1))
done
[ "$bad" -eq 0 ] && [ "$(counter rst)" -eq $((rst + GARBAGE)) ]
tap_result "$GARBAGE invalid Hellos answered with RST" $? \
	"clients without reset: $bad; rst $(counter rst) - $rst"

# Raw data segments without a handshake: no valid cookie.
bc=$(counter bad_cookie)
out=$(ip netns exec "$DEV" timeout 10 "$GARBAGE_TX" 198.18.0.2 198.18.0.1 \
	9971 200 $$) &&
	out=$(ip netns exec "$DEV" timeout 10 "$GARBAGE_TX" fd00:a3::2 \
		fd00:a3::1 9971 200 $$) && sleep 0.3 &&
	[ "$(counter bad_cookie)" -eq $((bc + 400)) ]
tap_result "400 raw data segments without a cookie (v4, v6) dropped" $? \
	"$out; bad_cookie $bc -> $(counter bad_cookie) bad_csum $(counter bad_csum)"

# Raw SYNs from a second address of the device (not the route's source):
# each answered with a SYN-ACK, none dropped for its checksum.
sa=$(counter syn_ack) bcs=$(counter bad_csum)
out=$(ip netns exec "$DEV" timeout 10 "$GARBAGE_TX" 198.18.7.2 198.18.0.1 \
	9971 100 $$ syn) && sleep 0.3 &&
	[ "$(counter syn_ack)" -eq $((sa + 100)) ] &&
	[ "$(counter bad_csum)" -eq "$bcs" ]
tap_result "100 raw SYNs from a secondary address answered" $? \
	"$out; syn_ack $sa -> $(counter syn_ack) bad_csum $bcs -> $(counter bad_csum)"

sleep 0.3
xdp_daemon_stop
rc=$?
grep -q "event=xdp_stats wakeups=[0-9]* empty_wakeups=0 records=4 bad_records=0" \
	"$log"
tap_result "the garbage bursts woke no ring reader" $? \
	"$(grep event=xdp_stats "$log")"

[ "$rc" -eq 0 ] && [ "$(xdp_mode)" = null ] &&
	[ -e "$PIN/amtsca_counters" ] && [ -e "$PIN/amtsca_devices" ] &&
	[ -e "$PIN/amtsca_events" ]
tap_result "SIGTERM: exit 0, program detached, maps stay pinned" $? \
	"rc=$rc $(ls "$PIN" 2>&1)"

log=$tmp/log2
start_daemon "$log" && grep -q "event=xdp_loaded .* reused_maps=[1-9]" "$log"
tap_result "restart re-uses the pinned maps" $? "$(head -3 "$log")"
out=$(hello 198.18.0.1 "$tmp/v4") && sleep 0.3 &&
	! grep -q "event=xdp_hello" "$log" && [ "$(counter suppressed)" -eq 5 ]
tap_result "device state survives the restart (Hello suppressed)" $? \
	"$out suppressed=$(counter suppressed)"

# Twice: by the second time IPv6 has announced the first interface too.
for round in 1 2; do
	old=$(ip -n "$SCA" -o link show xs0 | cut -d: -f1)
	ip -n "$SCA" link del xs0 && make_link
	tap_result "veth deleted and recreated ($round)" $? || true
	new=$(ip -n "$SCA" -o link show xs0 | cut -d: -f1)
	wait_log "$log" "event=xdp_attached if=xs0 ifindex=$new " &&
		[ "$new" != "$old" ] &&
		grep -q "event=xdp_detached if=xs0 ifindex=$old" "$log"
	tap_result "re-attached to the recreated interface (ifindex $old -> $new)" \
		$? "$(grep -E 'xdp_(attached|detached|link)' "$log")"
	out=$(hello 198.18.0.1 "$tmp/relinked$round") &&
		wait_log "$log" "event=xdp_hello .*uuid=0000000000000000000000000000a40$((round + 1))"
	tap_result "Hello answered and queued after the re-attach ($round)" \
		$? "$out"
	sleep 0.5
done

xdp_daemon_stop
rc=$?
[ "$rc" -eq 0 ] && [ "$(xdp_mode)" = null ]
tap_result "second SIGTERM: exit 0, detached" $? "rc=$rc"

log=$tmp/log3
start_daemon "$log" -o xdp.allowed_prefixes=198.18.0.0/24,fd00:a3::/64 \
	-o xdp.syn_rate=1 -o xdp.syn_burst=1 &&
	grep -q "event=xdp_config v4_prefixes=1 v6_prefixes=1 syn_rate=1 syn_burst=1 data_rate=0 data_burst=0" "$log" &&
	bpftool -j map dump pinned "$PIN/amtsca_config" |
	jq -e '.[0].formatted.value.v4_prefixes == 1' >/dev/null
tap_result "allowed prefixes and rates from the config reach amtsca_config" \
	$? "$(grep -E 'xdp_(config|load)' "$log")"

na=$(counter not_allowed)
! hello 198.18.7.1 "$tmp/vlan4" --timeout-ms 500 >/dev/null &&
	! hello fd00:a7::1 "$tmp/vlan6" --timeout-ms 500 >/dev/null &&
	[ "$(counter not_allowed)" -ge $((na + 2)) ]
tap_result "sources outside the allowed prefixes are not answered" $? \
	"not_allowed $na -> $(counter not_allowed)"

rs=$(counter rate_syn)
for _ in 1 2 3 4; do
	hello 198.18.0.1 "$tmp/v4" --timeout-ms 300 >/dev/null
done
[ "$(counter rate_syn)" -ge $((rs + 2)) ]
tap_result "SYNs over the source's rate (1/s, burst 1) dropped" $? \
	"rate_syn $rs -> $(counter rate_syn)"

xdp_daemon_stop
tap_result "third SIGTERM: exit 0" $?

# burst FIRST COUNT [client options]: COUNT distinct Hellos at once, UUIDs
# ...0000b000 + FIRST on; prints how many clients failed.
burst() {
	local i u fails=0
	for i in $(seq "$1" $(($1 + $2 - 1))); do
		u=$(printf '0000000000000000000000000000%04x' $((0xb000 + i)))
		mkhello "$CORPUS/meshcentral-841.bin" "$u" "$tmp/b$i"
		hello 198.18.0.1 "$tmp/b$i" "${@:3}" >"$tmp/b$i.out" &
	done
	wait
	for i in $(seq "$1" $(($1 + $2 - 1))); do
		grep -q "^ok" "$tmp/b$i.out" || fails=$((fails + 1))
	done
	echo "$fails"
}

# The ring at 64 KiB (about 70 records of 841-byte Hellos), in maps of its
# own: a pinned ring of another size cannot be re-used.
log=$tmp/log4 PIN=$tmp/bpffs/ring
start_daemon "$log" -o xdp.ring_kib=64 &&
	grep -q "event=xdp_loaded .* ring_kib=64" "$log"
tap_result "fourth start (ring pressure): 64 KiB ring" $? "$(tail -3 "$log")"
full=$(counter ring_full) fin=$(counter fin_unacked) ev0=$(counter hello_event)
# The reader stays stopped until the ring has overflowed (bounded: 10 s).
kill -STOP "$pid"
burst 0 100 --timeout-ms 9000 >"$tmp/burst0" &
for _ in $(seq 100); do
	[ "$(counter fin_unacked)" -gt "$fin" ] && break
	sleep 0.1
done
kill -CONT "$pid"
wait $!
fails=$(cat "$tmp/burst0")
[ "$fails" -eq 0 ] && [ "$(counter ring_full)" -gt "$full" ] &&
	[ "$(counter fin_unacked)" -gt "$fin" ]
tap_result "100 Hellos into a ring of 70 with its reader stopped: all closed cleanly after resends" \
	$? "failed clients $fails; ring_full $full -> $(counter ring_full); fin_unacked $fin -> $(counter fin_unacked)"
fails=0
for first in 100 150 200; do
	fails=$((fails + $(burst "$first" 50)))
done
wait_log "$log" "uuid=0000000000000000000000000000b0f9"
n=$(grep -o "event=xdp_hello .*uuid=0000000000000000000000000000b[0-9a-f]*" \
	"$log" | sort -u | wc -l)
[ "$fails" -eq 0 ] && [ "$n" -eq 250 ] &&
	[ "$(grep -c "event=xdp_hello .*uuid=0000000000000000000000000000b" "$log")" -eq 250 ]
tap_result "250 distinct Hellos through the ring: 250 events, one each" $? \
	"failed clients $fails; distinct events $n; more than one event: $(
		grep -o "event=xdp_hello .*uuid=0000000000000000000000000000b[0-9a-f]*" "$log" |
			sed 's/.*uuid=//' | sort | uniq -d | head -3 |
			while read -r u; do grep "$u" "$log"; done)"

sup=$(counter suppressed)
fails=0
for first in 0 50; do
	fails=$((fails + $(burst "$first" 50)))
done
bad=0
for i in $(seq "$GARBAGE"); do
	hello 198.18.0.1 "$CORPUS/admin-2.bin" --expect-rst >/dev/null ||
		bad=$((bad + 1))
done
mkhello "$CORPUS/psk-valid.bin" 0000000000000000000000000000c001 "$tmp/new"
out=$(hello 198.18.0.1 "$tmp/new") &&
	wait_log "$log" "event=xdp_hello .*uuid=0000000000000000000000000000c001" &&
	[ "$fails" -eq 0 ] && [ "$bad" -eq 0 ] &&
	[ "$(counter suppressed)" -eq $((sup + 100)) ]
tap_result "after 100 duplicates and $GARBAGE invalid Hellos a new Hello still arrives" \
	$? "$out; failed duplicates $fails, garbage without RST $bad, suppressed $sup -> $(counter suppressed)"

events=$(($(counter hello_event) - ev0))
xdp_daemon_stop
rc=$?
records=$(grep -o "event=xdp_stats .* records=[0-9]*" "$log" | sed 's/.*records=//')
[ "$rc" -eq 0 ] && [ "$records" = "$events" ]
tap_result "SIGTERM: every Hello queued by the program was read ($events)" $? \
	"rc=$rc records=$records hello_event=$events"

tap_done
