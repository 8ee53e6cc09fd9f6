#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# HTTP Digest on a PSK device's /wsman: 401 first with an AMT-style realm
# and Connection: close; the MEBx password with that nonce gets 200 (SOAP,
# chunked); a replayed nc, a wrong password, another user and an expired
# nonce (stale="true") get 401; two requests share one kept-alive session.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/amtsim.sh


sim_test_begin sdig || exit 1
sim_creds 13 1
key=$(psk_hex "$PPS")
body=tests/corpus/wsman/req-get-general-settings.xml
sim_start --devices 1 --seed 13 --mode psk --sca 198.18.0.1 \
	--add-addrs fleet0 --nonce-lifetime 10 --state-out "$tmp/state.json" ||
	exit 1

# post AUTH [CONNECTION]: one TLS session with one request; reply in $tmp/r.
post() {
	wsman_post "$body" "$1" "${2:-close}" | sca_psk "$PID" "$key" >"$tmp/r"
}

post ""
rc=$?
nonce_ns=$(date +%s%N)
realm=$(challenge_field realm <"$tmp/r")
nonce=$(challenge_field nonce <"$tmp/r")
[ $rc -eq 0 ] && head -n 1 "$tmp/r" | grep -q '^HTTP/1.1 401 ' &&
	grep -qi '^Connection: close' "$tmp/r" &&
	grep -qi '^WWW-Authenticate: Digest .*qop="auth"' "$tmp/r" &&
	[[ $realm =~ ^Digest:[0-9A-F]{32}$ ]] && [ ${#nonce} -eq 32 ]
tap_result "no credentials: 401, realm Digest:+32 hex, qop auth, closed" $? \
	"$(head -n 3 "$tmp/r")"

post "$(digest_auth "$realm" "$nonce" 00000001 "$MEBX")"
head -n 1 "$tmp/r" | grep -q '^HTTP/1.1 200 OK' &&
	grep -qi '^Transfer-Encoding: chunked' "$tmp/r" &&
	grep -qi '^Content-Type: application/soap+xml;charset=UTF-8' "$tmp/r" &&
	grep -q '^Server: Intel(R) Active Management Technology' "$tmp/r"
tap_result "MEBx password, nc 1: 200 with a chunked SOAP body" $? \
	"$(head -n 3 "$tmp/r")"

post "$(digest_auth "$realm" "$nonce" 00000001 "$MEBX")"
head -n 1 "$tmp/r" | grep -q '^HTTP/1.1 401 '
tap_result "replayed nc 1: 401" $? "$(head -n 1 "$tmp/r")"

post "$(digest_auth "$realm" "$nonce" 00000003 "${MEBX}x")"
head -n 1 "$tmp/r" | grep -q '^HTTP/1.1 401 '
tap_result "wrong password: 401" $? "$(head -n 1 "$tmp/r")"

post "$(digest_auth "$realm" "$nonce" 00000004 "$MEBX" |
	sed 's/username="admin"/username="root"/')"
head -n 1 "$tmp/r" | grep -q '^HTTP/1.1 401 '
tap_result "another user name: 401" $? "$(head -n 1 "$tmp/r")"

# Two requests in one session: the first keeps the connection open.
{
	wsman_post "$body" "$(digest_auth "$realm" "$nonce" 00000005 "$MEBX")" \
		keep-alive
	wsman_post "$body" "$(digest_auth "$realm" "$nonce" 00000006 "$MEBX")"
} | sca_psk "$PID" "$key" >"$tmp/r"
[ "$(grep -c '^HTTP/1.1 200 OK' "$tmp/r")" -eq 2 ]
tap_result "keep-alive: nc 5 and 6 in one session, both 200" $? \
	"$(grep '^HTTP' "$tmp/r")"

# Until the nonce is 10.3 s old, however long the steps above took.
left_ms=$(((nonce_ns + 10300000000 - $(date +%s%N)) / 1000000))
[ "$left_ms" -gt 0 ] && sleep "$(printf '%d.%03d' $((left_ms / 1000)) $((left_ms % 1000)))"
post "$(digest_auth "$realm" "$nonce" 00000007 "$MEBX")"
head -n 1 "$tmp/r" | grep -q '^HTTP/1.1 401 ' &&
	[ "$(challenge_field stale <"$tmp/r")" = true ] &&
	[ "$(challenge_field nonce <"$tmp/r")" != "$nonce" ]
tap_result "expired nonce: 401 stale=\"true\" with a fresh nonce" $? \
	"$(grep -i '^WWW-Auth' "$tmp/r")"

sim_stop
grep -q '"digest_replay":1' "$tmp/state.json" &&
	grep -q '"digest_password":2' "$tmp/state.json" &&
	grep -q '"digest_stale":1' "$tmp/state.json"
tap_result "state JSON: digest_replay 1, digest_password 2, digest_stale 1" \
	$? "$(cat "$tmp/state.json")"
tap_done
