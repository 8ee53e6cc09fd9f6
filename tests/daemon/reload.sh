#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# SIGHUP reload with the XDP backend: the confined daemon reads its file
# again and applies the allowed source prefixes and rates to the running
# program; a file that does not parse changes nothing; a key that needs a
# restart is reported, not applied. The device's Hellos show what is in
# force: outside the allowed prefixes they pass to the kernel (no listener:
# refused), inside they are answered and queued. Root; namespaces
# amtrl-s$$/amtrl-d$$, 198.18.5.0/24, a private bpffs.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/daemon_test.sh
. tests/lib/ctl_test.sh
. tests/xdp/xdp_net.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
CLIENT=build/tests/xdp_hello_client
CORPUS=tests/corpus/hello
SCA=amtrl-s$$ DEV=amtrl-d$$
tmp=$(mktemp -d)
daemon_test_opts "$tmp"
CONF=$tmp/amtsca.conf
SOCK=$tmp/ctl.sock
pid=

trap xdp_test_cleanup EXIT

# conf PREFIXES [EXTRA-LINE]: the daemon's file, readable by nobody.
conf() {
	printf '[xdp]\nallowed_prefixes = %s\nsyn_rate = 500\n%s\n' "$1" "${2:-}" \
		>"$CONF.new" && chmod 0644 "$CONF.new" && mv "$CONF.new" "$CONF"
}

# hup PATTERN: send SIGHUP, wait for the next log line matching PATTERN.
hup() {
	local before
	before=$(grep -c "$1" "$tmp/log")
	kill -HUP "$pid"
	for _ in $(seq 50); do
		[ "$(grep -c "$1" "$tmp/log")" -gt "$before" ] && return 0
		sleep 0.1
	done
	return 1
}

# bpf NAME: one BPF counter from amtscactl stats --json.
bpf() {
	ctl stats --json
	python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['bpf'][sys.argv[2]])" \
		"$tmp/out" "$1"
}

chown nobody:nogroup "$tmp"
mkdir -p "$tmp/certs" && xdp_net_bpffs "$tmp" &&
	ip netns add "$SCA" && ip netns add "$DEV" &&
	ip link add xs0 netns "$SCA" type veth peer xd0 netns "$DEV" &&
	ip -n "$SCA" addr add 198.18.5.1/24 dev xs0 &&
	ip -n "$DEV" addr add 198.18.5.2/24 dev xd0 &&
	xdp_net_peer "$DEV" xd0 &&
	ip -n "$SCA" link set xs0 up && ip -n "$DEV" link set xd0 up
tap_result "namespaces and veth up" $? || true

conf 198.18.99.0/24
ip netns exec "$SCA" "$DAEMON" -c "$CONF" --backend xdp --interface xs0 \
	--intake-only -o "xdp.pin_path=$XDP_PIN" -o xdp.mode=native \
	"${DAEMON_OPTS[@]}" 2>"$tmp/log" &
pid=$!
wait_log "$tmp/log" "event=started backend=xdp" &&
	grep -q "event=xdp_config v4_prefixes=1 v6_prefixes=0 syn_rate=500" "$tmp/log"
tap_result "daemon started with one allowed prefix" $? "$(cat "$tmp/log")"

# hello FILE: send a Hello from the device. The corpus Hellos share one
# UUID; other.bin is one with a UUID of its own (first byte changed).
hello() {
	ip netns exec "$DEV" timeout 10 "$CLIENT" --timeout-ms 2000 \
		198.18.5.1 9971 "$1" >"$tmp/client" 2>&1
}
cp "$CORPUS/meshcentral-841.bin" "$tmp/other.bin" &&
	printf '\x5a' | dd of="$tmp/other.bin" bs=1 seek=8 conv=notrunc status=none

! hello "$CORPUS/psk-valid.bin" && [ "$(bpf not_allowed)" -ge 1 ] &&
	[ "$(bpf hello_event)" = 0 ]
tap_result "device outside the prefixes: passed to the kernel, refused" $? \
	"$(cat "$tmp/client" "$tmp/out")"

conf "198.18.99.0/24, 198.18.5.0/24" && hup "event=reload " &&
	grep -q "event=reload file=$CONF applied=xdp.allowed_prefixes,xdp.rates restart_needed=no" "$tmp/log" &&
	grep -q "event=xdp_config v4_prefixes=2 v6_prefixes=0" "$tmp/log"
tap_result "SIGHUP: the new prefix is applied, no restart needed" $? "$(tail -5 "$tmp/log")"

hello "$CORPUS/psk-valid.bin" && [ "$(bpf hello_event)" = 1 ]
tap_result "device inside the new prefix: Hello answered and queued" $? \
	"$(cat "$tmp/client" "$tmp/out")"

printf '[xdp]\nallowed_prefixes = 198.18.5.0/33\n' >"$CONF"
hup "event=reload_failed" &&
	grep -q "event=reload_failed error=\"$CONF:2: .*198.18.5.0/33.*\" applied=none" "$tmp/log"
tap_result "a file that does not parse: reload_failed names FILE:LINE" $? "$(tail -3 "$tmp/log")"

hello "$tmp/other.bin" && [ "$(bpf hello_event)" = 2 ]
tap_result "after the failed reload the prefixes in force are unchanged" $? \
	"$(cat "$tmp/client" "$tmp/out")"

conf "198.18.99.0/24, 198.18.5.0/24" "[session]
workers = 3" && hup "event=reload " &&
	grep -q "event=reload file=$CONF applied=none restart_needed=yes" "$tmp/log"
tap_result "a key that needs a restart: reported, not applied" $? "$(tail -3 "$tmp/log")"

conf 198.18.99.0/24 "[session]
workers = 3" && hup "event=reload " &&
	grep -q "applied=xdp.allowed_prefixes,xdp.rates restart_needed=yes" "$tmp/log" &&
	! hello "$CORPUS/meshcentral-807.bin" && [ "$(bpf hello_event)" = 2 ]
tap_result "prefix removed again: the device is refused at once" $? \
	"$(tail -3 "$tmp/log"; cat "$tmp/client")"

daemon_stop "$pid"
pid=
[ "$DAEMON_RC" -eq 0 ]
tap_result "SIGTERM after three reloads: exit 0" $? "rc=$DAEMON_RC $(tail -3 "$tmp/log")"

tap_done
