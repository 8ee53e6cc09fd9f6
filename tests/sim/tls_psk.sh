#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtsim's TLS-PSK server, one device, openssl s_client as the SCA: the
# right PID + PPS gets to HTTP (401 first), a wrong key or identity or a
# certificate client is refused in the handshake, TLS 1.0 works with the
# default suites, and the state JSON counts each refusal by reason.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/amtsim.sh


sim_test_begin spsk || exit 1
sim_creds 11 1
key=$(psk_hex "$PPS")
bad_key=$(psk_hex "${PPS%?}X")
[ "$PPS" = "${PPS%?}X" ] && bad_key=$(psk_hex "${PPS%?}Y")
body=tests/corpus/wsman/req-get-general-settings.xml
sim_start --devices 1 --seed 11 --mode psk --sca 198.18.0.1 \
	--add-addrs fleet0 --state-out "$tmp/state.json" || exit 1

wsman_post "$body" | sca_psk "$PID" "$key" -tls1_2 >"$tmp/ok"
head -n 1 "$tmp/ok" | grep -q '^HTTP/1.1 401 Unauthorized'
tap_result "right PID and PPS: TLS 1.2 session, HTTP 401 first" $? \
	"$(head -n 3 "$tmp/ok")"

wsman_post "$body" |
	sca_psk "$PID" "$key" -tls1 -cipher 'PSK-AES128-CBC-SHA:@SECLEVEL=0' \
		>"$tmp/tls10"
head -n 1 "$tmp/tls10" | grep -q '^HTTP/1.1 401'
tap_result "right PID and PPS over TLS 1.0 (PSK-AES128-CBC-SHA)" $?

wsman_post "$body" | sca_psk "$PID" "$bad_key" -tls1_2 >"$tmp/badkey"
rc=$?
[ $rc -ne 0 ] && [ ! -s "$tmp/badkey" ]
tap_result "wrong PPS: handshake refused, no HTTP" $? "rc=$rc"

wsman_post "$body" | sca_psk "ZZZZ9999" "$key" -tls1_2 >"$tmp/badid"
rc=$?
[ $rc -ne 0 ] && [ ! -s "$tmp/badid" ] &&
	grep -q 'unknown psk identity' "$SCA_ERR"
tap_result "wrong identity: refused with unknown_psk_identity" $? "rc=$rc"

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=not-psk -days 1 \
	-keyout "$tmp/k.pem" -out "$tmp/c.pem" 2>/dev/null
wsman_post "$body" |
	ip netns exec "$FLEET_SCA_NS" timeout 10 openssl s_client -quiet \
		-ign_eof -connect "$SIM_DEV_ADDR:16993" -cert "$tmp/c.pem" \
		-key "$tmp/k.pem" >"$tmp/cert" 2>/dev/null
rc=$?
[ $rc -ne 0 ] && [ ! -s "$tmp/cert" ]
tap_result "certificate client on a PSK device: refused" $? "rc=$rc"

sim_stop
grep -q '"psk_identity":1' "$tmp/state.json" &&
	grep -q '"tls_handshake":2' "$tmp/state.json" &&
	grep -q '"sessions":2' "$tmp/state.json"
tap_result "state JSON: 2 sessions, psk_identity 1, tls_handshake 2" $? \
	"$(cat "$tmp/state.json")"
tail -n 1 "$SIM_OUT" | grep -qx 'operational 0/1'
tap_result "last stdout line 'operational 0/1'" $? "$(tail -n 1 "$SIM_OUT")"
tap_done
