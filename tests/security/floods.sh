#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Floods at the XDP program while a real fleet is provisioned: from three
# addresses of their own on the fleet side, a SYN flood (20,000 bare
# SYNs), a garbage flood (20,000 ACK segments with random payload, no valid
# cookie) and a duplicate-Hello storm (hello_loadgen, 20 devices saying
# Hello again and again for 3 s) hit amtscad --backend xdp while an amtsim
# fleet of 100 mixed devices is being provisioned. Then:
#   - the whole fleet is Operational;
#   - the floods raised no ring event: the daemon read exactly one event
#     per device (fleet and storm), so it stayed idle under them;
#   - the counters account for every flood packet: SYNs answered or dropped
#     by the per-source rate limit, garbage dropped by the cookie check or
#     the rate limit, storm Hellos suppressed;
#   - the daemon's CPU time is reported.
# Bounded in count and time. Root; namespaces amtsca-flood-PID-*,
# 198.18.0.0/15 only, private bpffs.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/daemon_test.sh
. tests/lib/fleet_creds.sh
. tests/xdp/xdp_net.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
SIM=${AMTSIM:-build/bin/amtsim}
DBTOOL=${DB_CHECK:-build/tests/db_check}
RAW=build/tests/xdp_tcp_garbage
LOADGEN=build/bench/hello_loadgen
devices=100 flood=20000

P=amtsca-flood-$$
tmp=$(mktemp -d)
dpid= spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	fleet_net_down "$P"
	xdp_net_down "$tmp"
	rm -rf "$tmp"
}
trap cleanup EXIT

fleet_net_up "$P" && xdp_net_peer "$FLEET_DEV_NS" "$FLEET_DEV_IF" &&
	xdp_net_bpffs "$tmp" &&
	fleet_net_add_addrs "$P" 198.18.48.1 3
tap_result "namespaces, XDP peer, bpffs" $? || true

fleet_creds "$tmp" "$devices" mixed 31
tap_result "certificates and fleet credentials" $? || true

daemon_test_opts "$tmp"
# Per source: 200 SYNs and 200 data segments a second, bursts of 400.
ip netns exec "$FLEET_SCA_NS" "$DAEMON" --backend xdp --interface sca0 \
	-o "xdp.pin_path=$XDP_PIN" "${DAEMON_OPTS[@]}" \
	-o xdp.syn_rate=200 -o xdp.syn_burst=400 -o xdp.data_rate=200 \
	-o xdp.data_burst=400 -o profile.domain=amt.test \
	-o session.retries=3 -o session.backoff_ms=500 2>"$tmp/daemon.log" &
dpid=$!
wait_log "$tmp/daemon.log" "event=started"
tap_result "daemon started with the XDP backend" $? "$(tail -3 "$tmp/daemon.log")"

counter() {
	bpftool -j map dump pinned "$XDP_PIN/amtsca_counters" |
		jq "[.[0].formatted.values[].value.$1] | add"
}
ticks() {
	awk '{ print $14 + $15 }' "/proc/$dpid/stat"
}
t0=$(ticks)

ip netns exec "$FLEET_DEV_NS" timeout 120 "$SIM" "${SIM_ARGS[@]}" \
	--sca "$FLEET_SCA_ADDR" --add-addrs "$FLEET_DEV_IF" \
	--schedule 2x1000 --duration 100 --state-out "$tmp/state.json" \
	>"$tmp/sim.out" 2>"$tmp/sim.log" &
spid=$!

in_dev() {
	ip netns exec "$FLEET_DEV_NS" timeout 60 "$@"
}
in_dev "$RAW" 198.18.48.1 "$FLEET_SCA_ADDR" 9971 "$flood" 1 syn \
	>"$tmp/syn.out" &
f1=$!
in_dev "$RAW" 198.18.48.2 "$FLEET_SCA_ADDR" 9971 "$flood" 2 \
	>"$tmp/garbage.out" &
f2=$!
in_dev "$LOADGEN" --target "$FLEET_SCA_ADDR" --src-base 198.18.48.3 \
	--concurrency 16 --seconds 3 --devices 20 --first 7000000 \
	>"$tmp/storm.out" &
f3=$!
wait "$f1" "$f2" "$f3"
tap_result "floods sent" $? \
	"$(cat "$tmp/syn.out" "$tmp/garbage.out" "$tmp/storm.out")"

wait "$spid"
spid=
grep -q "^operational $devices/$devices$" "$tmp/sim.out"
tap_result "the fleet provisioned under the floods" $? "$(tail -1 "$tmp/sim.out")"

cpu_ms=$((($(ticks) - t0) * 1000 / $(getconf CLK_TCK)))
daemon_stop "$dpid"
dpid=
echo "# daemon CPU during fleet and floods: ${cpu_ms} ms"

# One ring event per device: the fleet's and the storm's 20 (the ring's
# record count, logged at exit; the storm's devices each queued once).
events=$(grep -o "event=xdp_stats .* records=[0-9]*" "$tmp/daemon.log" |
	sed 's/.*records=//')
storm_devices=$(grep -c "event=hello_queued .*device=198.18.48.3" "$tmp/daemon.log")
[ "$storm_devices" -eq 20 ] && [ "$events" -eq $((devices + 20)) ]
tap_result "floods raised no ring event (one per device)" $? \
	"events $events, storm devices $storm_devices"

syn_sent=$(grep -o '[0-9]*' "$tmp/syn.out" | head -1)
garbage_sent=$(grep -o '[0-9]*' "$tmp/garbage.out" | head -1)
storm_done=$(awk '{ print $3 }' "$tmp/storm.out")
# Each flood SYN is answered with a cookie or dropped by the source's rate
# limit; none fails the checksum (every sender here computes it right).
[ $(($(counter syn_ack) + $(counter rate_syn))) -ge "$syn_sent" ] &&
	[ "$(counter bad_csum)" -eq 0 ]
tap_result "every flood SYN answered or dropped, and counted" \
	$? "sent $syn_sent; counters: $(bpftool -j map dump pinned \
	"$XDP_PIN/amtsca_counters" | jq -c '[.[].formatted.values[].value] |
	reduce .[] as $c ({}; reduce ($c | to_entries[]) as $e (.;
	.[$e.key] += ($e.value | if type == "number" then . else 0 end)))
	| with_entries(select(.value != 0))')"
[ $(($(counter bad_cookie) + $(counter rate_data))) -ge "$garbage_sent" ]
tap_result "every garbage segment dropped (cookie check or rate limit)" $? \
	"sent $garbage_sent bad_cookie $(counter bad_cookie) rate_data $(counter rate_data)"
[ "$storm_done" -gt 20 ] &&
	[ "$(counter suppressed)" -ge $((storm_done - 20)) ]
tap_result "storm Hellos answered and suppressed in XDP" $? \
	"completed $storm_done suppressed $(counter suppressed)"
tap_done
