#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The contract's device side end to end, with openssl s_client as the SCA
# and WS-Man envelopes from tests/corpus/wsman: SetAdminAclEntryEx,
# SetTLSPSK and CommitChanges in one kept-alive PSK session make the device
# Operational; its Hellos stop, the old PID and MEBx password stop
# working, the new PID/PPS and admin password work, the state JSON holds
# what it was told, and amtsim exits by itself with "operational 1/1".
# Then --fault-reboot 1: CommitChanges resets the connection and the
# device stays in Setup Mode, re-sending Hellos from retry count 0.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/fleet_net.sh
. tests/lib/amtsim.sh

CTL=${AMTSCACTL:-build/bin/amtscactl}
SINK=${HELLO_SINK:-build/tests/hello_sink}
W=tests/corpus/wsman
NEW_PW='N3w-Admin!pw'
NEW_PID=NEWPID01
NEW_PPS=NEWPPS0123456789NEWPPS0123456789
sim_test_begin sprv || exit 1

# Envelopes with this test's values.
sed -E "s|<r:PID>[^<]*</r:PID>|<r:PID>$NEW_PID</r:PID>|;
	s|<r:PPS>[^<]*</r:PPS>|<r:PPS>$NEW_PPS</r:PPS>|" \
	$W/req-set-tls-psk.xml >"$tmp/psk.xml"
# acl_body REALM: SetAdminAclEntryEx for NEW_PW, base64 of the raw MD5.
acl_body() {
	local d
	d=$(md5_hex "admin:$1:$NEW_PW" | xxd -r -p | base64)
	sed -E "s|<r:DigestPassword>[^<]*<|<r:DigestPassword>$d<|" \
		$W/req-set-admin-acl-entry-ex.xml >"$tmp/acl.xml"
}

# start_fleet ARGS...: a Hello sink and one device (1 Hello/s).
start_fleet() {
	mkdir -p "$tmp/h"
	ip netns exec "$FLEET_SCA_NS" "$SINK" 198.18.0.1 9971 "$tmp/h" 1000 \
		30 &
	sink=$!
	sleep 0.2
	sim_start --devices 1 --seed 41 --sca 198.18.0.1 --add-addrs fleet0 \
		--schedule 1x100 --linger 4 --state-out "$tmp/state.json" "$@"
}

# session PASSWORD NC FILE...: one kept-alive session of "${client[@]}"
# sending each FILE with nc = NC, NC+1, ...; replies in $tmp/r.
session() {
	local pw=$1 nc=$2 f last
	shift 2
	last=${!#}
	for f in "$@"; do
		wsman_post "$f" "$(digest_auth "$realm" "$nonce" \
			"$(printf %08x "$nc")" "$pw")" \
			"$([ "$f" = "$last" ] && echo close || echo keep-alive)"
		nc=$((nc + 1))
	done | "${client[@]}" >"$tmp/r"
}

# challenge: the realm and a nonce from a first, unauthenticated request.
challenge() {
	wsman_post $W/req-get-general-settings.xml | "${client[@]}" >"$tmp/r"
	realm=$(challenge_field realm <"$tmp/r")
	nonce=$(challenge_field nonce <"$tmp/r")
}

sim_creds 41 1
key=$(psk_hex "$PPS")
start_fleet --model-knob post_commit_status=0x10 || exit 1
client=(sca_psk "$PID" "$key")
challenge
acl_body "$realm"

session "$MEBX" 1 $W/req-commit-changes.xml
grep -q 'ReturnValue>2057<' "$tmp/r"
tap_result "CommitChanges before SetAdminAclEntryEx: 2057 DATA_MISSING" $? \
	"$(tail -c 300 "$tmp/r")"

sleep 1.5
session "$MEBX" 2 "$tmp/acl.xml" "$tmp/psk.xml" \
	$W/req-commit-changes.xml
hellos_at_commit=$(wc -l <"$tmp/h/log")
[ "$(grep -c '^HTTP/1.1 200 OK' "$tmp/r")" -eq 3 ] &&
	[ "$(grep -o 'ReturnValue>0<' "$tmp/r" | wc -l)" -eq 3 ]
tap_result "SetAdminAclEntryEx, SetTLSPSK, CommitChanges: 3 x ReturnValue 0" \
	$? "$(grep -o 'ReturnValue>[0-9]*<' "$tmp/r" | tr '\n' ' ')"

wsman_post $W/req-get-general-settings.xml | "${client[@]}" >"$tmp/r"
[ ! -s "$tmp/r" ]
tap_result "after commit the old PID is refused" $?

client=(sca_psk "$NEW_PID" "$(psk_hex "$NEW_PPS")")
session "$MEBX" 5 $W/req-get-general-settings.xml
head -n 1 "$tmp/r" | grep -q '^HTTP/1.1 401'
tap_result "new PID/PPS: TLS works; the old MEBx password gets 401" $?
session "$NEW_PW" 6 $W/req-get-setup-service-selectors.xml
head -n 1 "$tmp/r" | grep -q '^HTTP/1.1 200' &&
	grep -q 'ProvisioningState>2<' "$tmp/r"
tap_result "new admin password: 200, ProvisioningState 2" $? \
	"$(head -c 300 "$tmp/r")"
session "$NEW_PW" 7 $W/req-commit-changes.xml
grep -q 'ReturnValue>16<' "$tmp/r"
tap_result "--model-knob post_commit_status=0x10: CommitChanges again is 16" \
	$? "$(grep -o 'ReturnValue>[0-9]*<' "$tmp/r")"

# amtsim ends by itself once every device is done (--linger 4).
for i in $(seq 100); do
	kill -0 "$SIM_PID" 2>/dev/null || break
	sleep 0.1
done
! kill -0 "$SIM_PID" 2>/dev/null && wait "$SIM_PID" && SIM_PID= &&
	[ "$(tail -n 1 "$SIM_OUT")" = "operational 1/1" ]
tap_result "amtsim exits by itself: 'operational 1/1'" $? \
	"$(tail -n 2 "$SIM_OUT")"
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null
sink=
hellos_end=$(wc -l <"$tmp/h/log")
[ "$hellos_at_commit" -ge 2 ] && [ "$hellos_end" -le $((hellos_at_commit + 1)) ]
tap_result "Hellos stop once Operational ($hellos_at_commit at commit, $hellos_end at exit)" $?
grep -q '"provisioning_state":2' "$tmp/state.json" &&
	grep -q "\"admin_digest_md5_hex\":\"$(md5_hex "admin:$realm:$NEW_PW")\"" \
		"$tmp/state.json" &&
	grep -q "\"new_pid\":\"$NEW_PID\"" "$tmp/state.json" &&
	grep -q "\"new_pps\":\"$NEW_PPS\"" "$tmp/state.json"
tap_result "state JSON: state 2, the ACL digest, the new PID and PPS" $? \
	"$(cat "$tmp/state.json")"

# --fault-reboot 1: the device reboots instead of committing.
rm -rf "$tmp/h"
start_fleet --fault-reboot 1 || exit 1
client=(sca_psk "$PID" "$key")
challenge
acl_body "$realm"
sleep 2.6
before=$(wc -l <"$tmp/h/log")
session "$MEBX" 1 "$tmp/acl.xml" $W/req-commit-changes.xml
[ "$(grep -c '^HTTP/1.1 200 OK' "$tmp/r")" -eq 1 ] &&
	! grep -q 'CommitChanges_OUTPUT' "$tmp/r"
tap_result "--fault-reboot 1: CommitChanges gets no answer" $?
# retry N: the retry count of capture N.
retry() {
	"$CTL" hello decode --file "$tmp/h/$1.bin" |
		sed -E 's/.*"retry_count":([0-9]+).*/\1/'
}
# The first capture from index $before on with retry count 0 (the reboot
# restarts the schedule; a Hello sent during the session may come first).
retry_after=
for i in $(seq 30); do
	n=$(wc -l <"$tmp/h/log")
	for ((j = before; j < n; j++)); do
		[ "$(retry $j)" = 0 ] && retry_after=0 && break 2
	done
	sleep 0.1
done
retry_before=$(retry $((before - 1)))
[ "$retry_before" -ge 2 ] && [ "$retry_after" = 0 ]
tap_result "after the reboot Hellos start again from retry count 0 ($retry_before, then $retry_after)" $?
session "$MEBX" 3 $W/req-get-setup-service-selectors.xml
grep -q 'ProvisioningState>1<' "$tmp/r"
tap_result "still in Setup Mode, the old credentials still work" $? \
	"$(head -c 300 "$tmp/r")"
sim_stop
grep -q '"provisioning_state":1' "$tmp/state.json" &&
	grep -q '"injected_reboot":1' "$tmp/state.json" &&
	[ "$(tail -n 1 "$SIM_OUT")" = "operational 0/1" ]
tap_result "state JSON: state 1, injected_reboot 1; 'operational 0/1'" $? \
	"$(cat "$tmp/state.json")"
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null

# PKI: the mkcerts.sh chain, Digest admin/admin, then SetMEBxPassword.
rm -rf "$tmp/h"
tests/lib/mkcerts.sh "$tmp/c" >/dev/null || exit 1
start_fleet --mode pki --trusted-root "$tmp/c/root.pem" || exit 1
client=(sca_pki "$tmp/c/chain.pem" "$tmp/c/leaf.key")
challenge
acl_body "$realm"
sed -E "s|<r:Password>[^<]*<|<r:Password>$NEW_PW<|" \
	$W/req-set-mebx-password.xml >"$tmp/mebx.xml"
session admin 1 "$tmp/mebx.xml" "$tmp/acl.xml" $W/req-commit-changes.xml
[ "$(grep -o 'ReturnValue>0<' "$tmp/r" | wc -l)" -eq 3 ]
tap_result "PKI: SetMEBxPassword, SetAdminAclEntryEx, CommitChanges as admin/admin" \
	$? "$(grep -o 'ReturnValue>[0-9]*<' "$tmp/r" | tr '\n' ' ')"
for i in $(seq 100); do
	kill -0 "$SIM_PID" 2>/dev/null || break
	sleep 0.1
done
sim_stop
grep -q '"provisioning_state":2' "$tmp/state.json" &&
	grep -q "\"mebx_password_set\":\"$NEW_PW\"" "$tmp/state.json" &&
	[ "$(tail -n 1 "$SIM_OUT")" = "operational 1/1" ]
tap_result "PKI state JSON: state 2, the new MEBx password; 'operational 1/1'" \
	$? "$(cat "$tmp/state.json")"
tap_done
