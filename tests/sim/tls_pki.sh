#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtsim's TLS-PKI server, one device trusting the mkcerts.sh root: the
# good chain (and the OID-only / OU-only variants) gets to HTTP; untrusted
# root, wrong OU+OID, no serverAuth, wrong domain and no certificate are
# refused in the handshake, each counted under its reason. The device's
# own certificate is self-signed with its UUID as CN.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/amtsim.sh

sim_test_begin spki || exit 1
C=$tmp/certs
tests/lib/mkcerts.sh "$C" amt.test || exit 1
body=tests/corpus/wsman/req-get-general-settings.xml
sim_start --devices 1 --seed 12 --mode pki --trusted-root "$C/root.pem" \
	--domain amt.test --sca 198.18.0.1 --add-addrs fleet0 \
	--state-out "$tmp/state.json" || exit 1

# try NAME: a handshake with C/NAME-chain.pem (NAME "" for the good one).
try() {
	local chain=$C/${1:+$1-}chain.pem key=$C/${1:+$1-}leaf.key
	wsman_post "$body" | sca_pki "$chain" "$key" >"$tmp/out"
}

for v in "" oid-only ou-only; do
	try "$v"
	head -n 1 "$tmp/out" | grep -q '^HTTP/1.1 401'
	tap_result "chain ${v:-good}: accepted, HTTP 401 first" $? \
		"$(head -n 2 "$tmp/out")"
done

for v in untrusted wrong-ou wrong-eku wrong-domain; do
	try "$v"
	rc=$?
	[ $rc -ne 0 ] && [ ! -s "$tmp/out" ]
	tap_result "chain $v: handshake refused" $? "rc=$rc"
done

wsman_post "$body" |
	ip netns exec "$FLEET_SCA_NS" timeout 10 openssl s_client -quiet \
		-ign_eof -connect "$SIM_DEV_ADDR:16993" -tls1_2 >"$tmp/out" \
		2>/dev/null
rc=$?
[ $rc -ne 0 ] && [ ! -s "$tmp/out" ]
tap_result "no client certificate: handshake refused" $? "rc=$rc"

# The leaf alone, without the chain up to the trusted root.
wsman_post "$body" |
	ip netns exec "$FLEET_SCA_NS" timeout 10 openssl s_client -quiet \
		-ign_eof -connect "$SIM_DEV_ADDR:16993" -tls1_2 \
		-cert "$C/leaf.pem" -key "$C/leaf.key" >"$tmp/out" 2>/dev/null
rc=$?
[ $rc -ne 0 ] && [ ! -s "$tmp/out" ]
tap_result "leaf without its chain: handshake refused" $? "rc=$rc"

# A trusted root at the end of a chain that does not lead to it.
cat "$C/untrusted-leaf.pem" "$C/inter.pem" "$C/root.pem" >"$tmp/mixed.pem"
wsman_post "$body" | sca_pki "$tmp/mixed.pem" "$C/untrusted-leaf.key" \
	>"$tmp/out"
rc=$?
[ $rc -ne 0 ] && [ ! -s "$tmp/out" ]
tap_result "trusted root, broken chain: handshake refused" $? "rc=$rc"

echo | ip netns exec "$FLEET_SCA_NS" timeout 10 openssl s_client \
	-connect "$SIM_DEV_ADDR:16993" -tls1_2 -cert "$C/chain.pem" \
	-cert_chain "$C/chain.pem" -key "$C/leaf.key" 2>/dev/null |
	openssl x509 -noout -subject -issuer >"$tmp/devcert" 2>/dev/null
[ "$(grep -c "CN = " "$tmp/devcert")" -eq 2 ] &&
	[ "$(sed -n 's/^subject=//p' "$tmp/devcert")" = \
		"$(sed -n 's/^issuer=//p' "$tmp/devcert")" ]
tap_result "device certificate is self-signed" $? "$(cat "$tmp/devcert")"

sim_stop
for r in pki_untrusted_root:2 pki_usage:2 pki_domain:1 pki_chain:1 \
	pki_no_cert:1; do
	grep -q "\"${r%:*}\":${r#*:}" "$tmp/state.json"
	tap_result "state JSON counts ${r%:*} = ${r#*:}" $? \
		"$(cat "$tmp/state.json")"
done
tap_done
