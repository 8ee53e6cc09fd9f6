#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtscad's TLS against an independent peer: `openssl s_server` plays the
# device in the fleet namespace. A Hello sent to the daemon starts a
# session; the step where it ends tells whether TLS succeeded (s_server
# speaks no WS-Man, so a good handshake ends later, at the first request).
#   PSK, right key   -> past TLS       PSK, wrong key      -> fails at tls
#   PKI, trusted root -> past TLS      PKI, untrusted root -> fails at tls
# The device checks the chain with purpose "any": AMT wants serverAuth on
# the leaf, which s_server would refuse as a client certificate.
# Root; namespaces amtsca-tlsp-PID-*, 198.18.0.0/15.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/daemon_test.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
DBTOOL=${DB_CHECK:-build/tests/db_check}
P=amtsca-tlsp-$$
tmp=$(mktemp -d)
pid= srv=
PID=ABCD1234 PPS=0123456789ABCDEFGHIJKLMNOPQRSTUV

cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	fleet_net_down "$P"
	rm -rf "$tmp"
}
trap cleanup EXIT

fleet_net_up "$P"
tap_result "namespaces up" $?

tests/lib/mkcerts.sh "$tmp/pki" >/dev/null 2>&1 &&
	mkdir "$tmp/certs" &&
	cat "$tmp/pki/chain.pem" "$tmp/pki/leaf.key" >"$tmp/certs/trusted.pem" &&
	cat "$tmp/pki/untrusted-chain.pem" "$tmp/pki/untrusted-leaf.key" \
		>"$tmp/certs/untrusted.pem" &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/dev.key" -out "$tmp/dev.pem" -subj /CN=amt-device \
		-days 2 2>/dev/null
tap_result "certificates made" $?

printf 'pid,pps,mebx_password\n%s,%s,Mebx!pw1\n' "$PID" "$PPS" >"$tmp/creds.csv"
"$DBTOOL" "$tmp/state.db" "$tmp/key" import "$tmp/creds.csv" >/dev/null
tap_result "PSK pair imported" $?

daemon_test_opts "$tmp"
ip netns exec "$FLEET_SCA_NS" "$DAEMON" --backend socket --listen 198.18.0.1 \
	-v "${DAEMON_OPTS[@]}" -o session.retries=0 \
	-o session.workers=1 -o session.tls_timeout_ms=3000 \
	-o session.request_timeout_ms=3000 2>"$tmp/log" &
pid=$!

# wait_count PATTERN N: bounded wait (10 s) for N log lines matching.
wait_count() {
	local i
	for i in $(seq 100); do
		[ "$(grep -c "$1" "$tmp/log")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_count "event=started" 1
tap_result "daemon started" $? "$(cat "$tmp/log")"

# device ARGS...: one s_server on the device's TLS port for one session.
device() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	ip netns exec "$FLEET_DEV_NS" timeout 20 openssl s_server -quiet -www \
		-naccept 2 -accept 198.18.0.2:16993 "$@" </dev/null \
		>/dev/null 2>&1 &
	srv=$!
	sleep 0.3
}

send_hello() {
	ip netns exec "$FLEET_DEV_NS" timeout 5 bash -c \
		"cat '$1' >/dev/tcp/198.18.0.1/9971" 2>/dev/null
}

# pki_hello FILE UUIDHEX ROOTHEX: a v3 Hello naming one SHA-256 root.
pki_hello() {
	printf '0100030000000000%s010220%s' "$2" "$3" | xxd -r -p >"$1"
}

ended=0
# expect NAME PASSED_TLS: the next session end must (1) or must not (0)
# have got past the TLS handshake.
expect() {
	local line step
	ended=$((ended + 1))
	if ! wait_count "event=session_\(failed\|done\)" "$ended"; then
		tap_fail "$1" "no session end: $(tail -5 "$tmp/log")"
		return
	fi
	line=$(grep "event=session_\(failed\|done\)" "$tmp/log" | tail -1)
	step=$(sed -n 's/.* step=\([a-z_]*\).*/\1/p' <<<"$line")
	if [ "$2" = 1 ]; then
		[ -n "$step" ] && [ "$step" != tls ] && [ "$step" != connect ]
	else
		[ "$step" = tls ]
	fi
	tap_result "$1" $? "$line"
}

psk_hex=$(printf %s "$PPS" | xxd -p -c 64)
psk_args=(-nocert -tls1_2 -cipher 'PSK-AES128-CBC-SHA:@SECLEVEL=0'
	-psk_identity "$PID")

device "${psk_args[@]}" -psk "$psk_hex"
send_hello tests/corpus/hello/psk-valid.bin
expect "PSK with the right key gets past TLS" 1

device "${psk_args[@]}" -psk "$(printf %s "${PPS%?}W" | xxd -p -c 64)"
send_hello tests/corpus/hello/psk-valid.bin
expect "PSK with a wrong key fails at tls" 0

root=$(cat "$tmp/pki/root.sha256")
untrusted=$(openssl x509 -in "$tmp/pki/untrusted-root.pem" -outform DER |
	openssl dgst -sha256 -r | cut -d' ' -f1)
pki_args=(-tls1_2 -cert "$tmp/dev.pem" -key "$tmp/dev.key" -Verify 3
	-verify_return_error -purpose any -CAfile "$tmp/pki/root.pem")

device "${pki_args[@]}"
pki_hello "$tmp/pki1.bin" 11111111111111111111111111111111 "$root"
send_hello "$tmp/pki1.bin"
expect "PKI chain under the device's trusted root gets past TLS" 1

device "${pki_args[@]}"
pki_hello "$tmp/pki2.bin" 22222222222222222222222222222222 "$untrusted"
send_hello "$tmp/pki2.bin"
expect "PKI chain under a root the device does not trust fails at tls" 0

! grep -q -e "$PPS" -e 'Mebx!pw1' "$tmp/log"
tap_result "no PPS or MEBx password in the log" $?

tap_done
