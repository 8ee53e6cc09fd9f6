#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtscactl against a running amtscad (socket backend in a namespace pair,
# temp DB, key, certs dir and control socket): psk import of a bad and a
# good CSV, psk list, devices/device from store rows, stats after a Hello,
# devices --watch, cert add/list with OpenSSL-made chains, --json validity,
# socket mode and group, refusal of a user outside the group, socket
# removal on SIGTERM. The daemon runs confined (nobody/nogroup, seccomp)
# as in the other daemon tests. Root; namespaces amtctl-sca$$/amtctl-dev$$,
# 198.18.2.0/24.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/daemon_test.sh
. tests/lib/ctl_test.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
CORPUS=tests/corpus/hello
SCA=amtctl-sca$$ DEV=amtctl-dev$$
PPS=ABCDEFGHIJKLMNOPQRSTUVWXYZ012345
UUID=939b524b-13d4-1d18-e487-1c697a6b7a2b
tmp=$(mktemp -d)
daemon_test_opts "$tmp"
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$SCA" 2>/dev/null
	ip netns del "$DEV" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# The unprivileged users below must reach the socket inside $tmp.
chmod 755 "$tmp"
# The confined daemon (nobody) removes its socket at exit.
chown nobody:nogroup "$tmp"
# certs_dir belongs to the user the daemon drops to, as packaging sets it.
mkdir -m 700 "$tmp/certs" && chown nobody:nogroup "$tmp/certs"
SOCK=$tmp/ctl.sock

ip netns add "$SCA" && ip netns add "$DEV" &&
	ip link add amtc0 netns "$SCA" type veth peer amtc1 netns "$DEV" &&
	ip -n "$SCA" addr add 198.18.2.1/24 dev amtc0 &&
	ip -n "$DEV" addr add 198.18.2.2/24 dev amtc1 &&
	ip -n "$SCA" link set amtc0 up && ip -n "$DEV" link set amtc1 up
tap_result "namespaces up" $? || true

ip netns exec "$SCA" "$DAEMON" --backend socket --listen 198.18.2.1 \
	"${DAEMON_OPTS[@]}" -o daemon.control_group=nogroup \
	-o profile.domain=amt.test 2>"$tmp/log" &
pid=$!
for _ in $(seq 50); do
	[ -S "$SOCK" ] && break
	sleep 0.1
done
[ -S "$SOCK" ] && [ "$(stat -c '%a %G' "$SOCK")" = "660 nogroup" ]
tap_result "control socket is 0660 group nogroup" $? \
	"$(stat -c '%a %G' "$SOCK" 2>&1) $(cat "$tmp/log")"

# json_ok: the last output is one valid JSON document.
json_ok() {
	python3 -m json.tool "$tmp/out" >/dev/null 2>&1
}

ctl status
[ $rc -eq 0 ] && grep -q "^amtscad pid $pid, backend socket" "$tmp/out" &&
	grep -q "^PSK pairs  *available 0  assigned 0  consumed 0  total 0" "$tmp/out"
tap_result "status" $? "rc=$rc $(cat "$tmp/out" "$tmp/err")"

# A client that sends half a line and stalls must not hold up others.
python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"sta"); time.sleep(3)' "$SOCK" &
stall=$!
sleep 0.3
ctl status
[ $rc -eq 0 ] && grep -q "^amtscad pid" "$tmp/out"
tap_result "a stalled client does not block the next one" $? "rc=$rc $(cat "$tmp/err")"
kill "$stall" 2>/dev/null
wait "$stall" 2>/dev/null

# --- psk import: a file with bad lines imports nothing ----------------
cat >"$tmp/bad.csv" <<EOF
pid,pps,mebx_password
AAAA1111,$PPS,Mebx!pw1
abcd1234,$PPS,x
BBBB2222,${PPS}X,x
AAAA1111,$PPS,x
EOF
ctl psk import "$tmp/bad.csv"
cat >"$tmp/want" <<EOF
$tmp/bad.csv:3: PID must be 8 characters A-Z 0-9 (dashes ignored)
$tmp/bad.csv:4: PPS of BBBB2222 must be 32 characters A-Z 0-9 (dashes ignored)
$tmp/bad.csv:5: PID AAAA1111 repeats line 2
amtscactl: $tmp/bad.csv: 3 errors, nothing imported
EOF
[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && diff -u "$tmp/want" "$tmp/err" >"$tmp/diff"
tap_result "bad CSV: every error with FILE:LINE, exit 2" $? \
	"rc=$rc $(cat "$tmp/diff" "$tmp/out")"
! grep -q "$PPS" "$tmp/err"
tap_result "no PPS in the error report" $?

ctl psk list --json
json_ok && [ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["total"])' "$tmp/out")" = 0 ]
tap_result "bad CSV: nothing imported" $? "$(cat "$tmp/out")"

# --- a good file: quoting, dashes, CRLF -------------------------------
printf 'pid,pps,mebx_password\r\nAAAA1111,%s,"Mebx,pw1"\r\n"BBBB-2222",%s,\r\nCCCC3333,%s,P@ss\r\n' \
	"$PPS" "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ01-2345" "$PPS" >"$tmp/good.csv"
ctl psk import "$tmp/good.csv"
[ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = "imported 3 pairs from $tmp/good.csv; pairs now: available 3, assigned 0, consumed 0, total 3" ]
tap_result "good CSV imported with counts" $? "rc=$rc $(cat "$tmp/out" "$tmp/err")"

ctl psk import "$tmp/good.csv"
[ $rc -eq 2 ] && grep -q "^$tmp/good.csv:2: PID AAAA1111 already imported (available)$" "$tmp/err" &&
	grep -q "3 errors, nothing imported" "$tmp/err"
tap_result "re-import reports every known PID" $? "rc=$rc $(cat "$tmp/err")"

ctl psk list
cat >"$tmp/want" <<EOF
PSK pairs: available 3, assigned 0, consumed 0, total 3
PID       STATE      DEVICE
AAAA1111  available  -
BBBB2222  available  -
CCCC3333  available  -
EOF
[ $rc -eq 0 ] && diff -u "$tmp/want" "$tmp/out" >"$tmp/diff" && ! grep -q "$PPS\|Mebx" "$tmp/out"
tap_result "psk list: aligned table, no PPS" $? "$(cat "$tmp/diff")"
ctl psk list --json
json_ok && ! grep -q "$PPS\|Mebx" "$tmp/out"
tap_result "psk list --json valid, no PPS" $?

# A large import runs beside the loop: status answers meanwhile, a second
# import is refused, and the first one lands whole.
python3 -c 'import sys; f=open(sys.argv[1], "w"); f.write("pid,pps\n"); f.writelines("Z%07d,%s\n" % (i, sys.argv[2]) for i in range(100000))' "$tmp/big.csv" "$PPS"
timeout 60 "$CTL_BIN" --socket "$SOCK" psk import "$tmp/big.csv" >"$tmp/big.out" 2>&1 &
big=$!
sleep 0.3
ctl status
st=$rc
ctl psk import "$tmp/good.csv"
[ $st -eq 0 ] && [ $rc -eq 1 ] && grep -q "a psk import or backup is already running" "$tmp/err"
tap_result "status answered and a second import refused during a large import" $? \
	"status=$st import=$rc $(cat "$tmp/err")"
wait "$big"
rc=$?
[ $rc -eq 0 ] && grep -q "^imported 100000 pairs .* total 100003$" "$tmp/big.out"
tap_result "large import (100000 pairs) complete" $? "rc=$rc $(cat "$tmp/big.out")"

ctl psk import "$tmp/missing.csv"
[ $rc -eq 1 ] && grep -q "^amtscactl: $tmp/missing.csv: No such file or directory$" "$tmp/err"
tap_result "missing file" $? "rc=$rc $(cat "$tmp/err")"

# --- a Hello through the socket backend reaches the daemon's counters ----
ip netns exec "$DEV" timeout 5 bash -c \
	"cat '$CORPUS/psk-valid.bin' >/dev/tcp/198.18.2.1/9971" 2>/dev/null
accepted=
for _ in $(seq 50); do
	ctl stats --json
	accepted=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["daemon"]["hellos_accepted"])' "$tmp/out" 2>/dev/null)
	[ "$accepted" = 1 ] && break
	sleep 0.1
done
[ "$accepted" = 1 ] && json_ok && grep -q '"bpf":null' "$tmp/out"
tap_result "stats after a Hello: accepted 1, no BPF counters" $? "$(cat "$tmp/out")"
ctl stats
[ $rc -eq 0 ] && grep -q "^  hellos_accepted  *1$" "$tmp/out" &&
	grep -q "^bpf: none" "$tmp/out"
tap_result "stats text" $? "$(cat "$tmp/out")"

# --- the Hello's device, as the daemon recorded it ---------------------
# No pair for its PID was imported: the session fails at credentials.
state=
for _ in $(seq 50); do
	ctl device "$UUID" --json
	state=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["device"]["state"])' "$tmp/out" 2>/dev/null)
	[ "$state" = failed ] && break
	sleep 0.1
done
[ "$state" = failed ] && python3 - "$tmp/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["device"]
assert (d["mode"], d["address"]) == ("psk", "198.18.2.2"), d
steps = [(a["step"], a["outcome"]) for a in d["audit"]]
assert steps[0] == ("hello", "queued") and steps[-1][1] == "failed", steps
EOF
tap_result "devices after a Hello: the device, its audit trail and failure" $? \
	"$(cat "$tmp/out")"

# --- more devices, rows as sessions write them ----------------------------
FAILED=33333333-2222-3333-4444-555555555555
python3 - "$tmp/state.db" "$FAILED" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=5)
now = 1795430000
db.execute("INSERT INTO devices (uuid, state, mode, address, attempts,"
           " last_error_step, last_error_reason, admin_password_enc, updated_at)"
           " VALUES (?, 'failed', 'psk', '198.18.2.5', 2, 'digest', '401 twice',"
           " ?, ?)", (sys.argv[2], b'SECRETMARK', now))
db.execute("INSERT INTO devices (uuid, state, mode, address, attempts, hostname,"
           " domain, updated_at) VALUES ('11111111-2222-3333-4444-555555555555',"
           " 'done', 'pki', '198.18.2.3', 1, 'amt-555555555555', 'amt.test', ?)",
           (now,))
db.execute("INSERT INTO devices (uuid, state, mode, address, updated_at) VALUES"
           " ('22222222-2222-3333-4444-555555555555', 'queued', 'psk',"
           " '198.18.2.4', ?)", (now,))
for step, outcome, detail in (("tls", "in_progress", None),
                              ("digest", "failed", "401 twice")):
    db.execute("INSERT INTO audit (ts, uuid, step, outcome, detail)"
               " VALUES (?, ?, ?, ?, ?)", (now, sys.argv[2], step, outcome, detail))
db.commit()
EOF
ctl devices --json
cp "$tmp/out" "$tmp/devices.json"
ctl devices
# Every cell stands under its header, as the JSON says, times in UTC.
[ $rc -eq 0 ] && python3 - "$tmp/devices.json" "$tmp/out" <<'EOF'
import json, sys, time
rows = json.load(open(sys.argv[1]))["devices"]
lines = open(sys.argv[2]).read().splitlines()
assert lines[0] == "4 devices: queued 1, in_progress 0, done 1, failed 2 (75% finished)", lines[0]
cols = [("UUID", "uuid"), ("STATE", "state"), ("MODE", "mode"),
        ("ADDRESS", "address"), ("ATTEMPTS", "attempts"),
        ("HOSTNAME", "hostname"), ("ERROR STEP", "last_error_step"),
        ("ERROR", "last_error_reason"), ("UPDATED (UTC)", "updated_at")]
head = lines[1]
starts = [head.index(t + "  ") if i + 1 < len(cols) else head.index(t)
          for i, (t, _) in enumerate(cols)]
assert len(lines) == 2 + len(rows) == 6, lines
for line, row in zip(lines[2:], rows):
    for i, (_, key) in enumerate(cols):
        end = starts[i + 1] if i + 1 < len(cols) else None
        cell = line[starts[i]:end].strip()
        v = row[key]
        want = "-" if v is None else time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(v)) if key == "updated_at" else str(v)
        assert cell == want, (key, cell, want)
EOF
tap_result "devices: aligned table matching --json, with progress" $? "$(cat "$tmp/out" "$tmp/err")"

ctl devices --state "done" --json
json_ok && [ "$(python3 -c 'import json,sys; print(" ".join(d["uuid"] for d in json.load(open(sys.argv[1]))["devices"]))' "$tmp/out")" = 11111111-2222-3333-4444-555555555555 ]
tap_result "devices --state done --json" $? "$(cat "$tmp/out")"

ctl devices --state bogus
[ $rc -eq 1 ] && grep -q "unknown state 'bogus'" "$tmp/err"
tap_result "devices --state bogus refused" $? "rc=$rc $(cat "$tmp/err")"

ctl device "$FAILED"
[ $rc -eq 0 ] && grep -q "^ERROR STEP  *digest$" "$tmp/out" &&
	grep -q "^[0-9]*  *2026-11-23 10:33:20  digest  failed  *401 twice$" "$tmp/out" &&
	! grep -q SECRETMARK "$tmp/out"
tap_result "device: fields and audit trail, no secret" $? "$(cat "$tmp/out" "$tmp/err")"
ctl device "$FAILED" --json
json_ok && ! grep -q "SECRETMARK\|admin_password" "$tmp/out" &&
	[ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["device"]["audit"]))' "$tmp/out")" = 2 ]
tap_result "device --json: audit, no secret" $? "$(cat "$tmp/out")"
ctl device 00000000-0000-0000-0000-000000000000
[ $rc -eq 1 ] && grep -q "unknown device" "$tmp/err"
tap_result "unknown device" $? "rc=$rc $(cat "$tmp/err")"

# --- devices --watch: refreshes while one is queued, stops when all end ----
timeout 2.5 "$CTL_BIN" --socket "$SOCK" devices --watch >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 124 ] && [ "$(grep -c '^4 devices: ' "$tmp/out")" -ge 2 ]
tap_result "devices --watch refreshes every second" $? "rc=$rc $(cat "$tmp/out")"
python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1], timeout=5); db.execute("UPDATE devices SET state = ?1 WHERE state = ?2", ("done", "queued")); db.commit()' "$tmp/state.db"
tap_result "last queued device marked done" $?
timeout 5 "$CTL_BIN" --socket "$SOCK" devices --watch >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "^4 devices: queued 0, in_progress 0, done 2, failed 2 (100% finished)$" "$tmp/out"
tap_result "devices --watch ends when every device finished" $? "rc=$rc $(cat "$tmp/out")"

# --- certificates --------------------------------------------------------
# mkcert NAME SUBJ [SIGNER] [EXT...]: EC key + cert; self-signed without SIGNER.
mkcert() {
	local name=$1 subj=$2 signer=${3:-}
	shift 3
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$name.key" -subj "$subj" -out "$tmp/$name.csr" 2>/dev/null &&
		printf '%s\n' "$@" >"$tmp/$name.ext" &&
		if [ -z "$signer" ]; then
			openssl x509 -req -in "$tmp/$name.csr" -signkey "$tmp/$name.key" \
				-days 30 -extfile "$tmp/$name.ext" -out "$tmp/$name.crt" 2>/dev/null
		else
			openssl x509 -req -in "$tmp/$name.csr" -CA "$tmp/$signer.crt" \
				-CAkey "$tmp/$signer.key" -CAcreateserial -days 30 \
				-extfile "$tmp/$name.ext" -out "$tmp/$name.crt" 2>/dev/null
		fi
}
AMT_EKU="extendedKeyUsage=serverAuth,2.16.840.1.113741.1.2.3"
mkcert root "/CN=amtsca test root" "" "basicConstraints=critical,CA:true" "keyUsage=keyCertSign" &&
	mkcert leaf "/CN=provision.amt.test" root "$AMT_EKU" &&
	mkcert plain "/CN=plain.amt.test" root "extendedKeyUsage=serverAuth" &&
	mkcert other "/CN=other root" "" "basicConstraints=critical,CA:true" "keyUsage=keyCertSign" &&
	mkcert foreign "/CN=provision.example.org" root "$AMT_EKU"
tap_result "test chains made" $?
cat "$tmp/leaf.crt" "$tmp/root.crt" "$tmp/leaf.key" >"$tmp/prov.pem"
cat "$tmp/leaf.crt" "$tmp/root.crt" "$tmp/other.key" >"$tmp/wrongkey.pem"
cat "$tmp/leaf.crt" "$tmp/leaf.key" >"$tmp/noroot.pem"
cat "$tmp/leaf.crt" "$tmp/other.crt" "$tmp/leaf.key" >"$tmp/wrongroot.pem"
cat "$tmp/plain.crt" "$tmp/root.crt" "$tmp/plain.key" >"$tmp/plain.pem"
cat "$tmp/foreign.crt" "$tmp/root.crt" "$tmp/foreign.key" >"$tmp/foreign.pem"
root_sha=$(openssl x509 -in "$tmp/root.crt" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')

ctl cert add "$tmp/prov.pem"
[ $rc -eq 0 ] && grep -q "^  leaf CN      provision.amt.test$" "$tmp/out" &&
	grep -q "^  root SHA-256 $root_sha$" "$tmp/out" && ! grep -q warning "$tmp/out" &&
	[ "$(stat -c %a "$tmp/certs/prov.pem")" = 600 ] &&
	grep -q "^  serving      now$" "$tmp/out" &&
	grep -q "event=cert_loaded file=$tmp/certs/prov.pem cn=provision.amt.test" "$tmp/log"
tap_result "cert add: leaf CN, root SHA-256, installed 0600, served at once" $? \
	"rc=$rc $(cat "$tmp/out" "$tmp/err"; ls -l "$tmp/certs")"
openssl x509 -in "$tmp/certs/prov.pem" -noout -subject | grep -q provision.amt.test &&
	openssl pkey -in "$tmp/certs/prov.pem" -noout 2>/dev/null
tap_result "installed bundle holds the chain and the key" $?

ctl cert add "$tmp/prov.pem"
[ $rc -eq 1 ] && grep -q "already installed" "$tmp/err"
tap_result "cert add never replaces" $? "rc=$rc $(cat "$tmp/err")"

# cert_refused FILE PATTERN: refused with that reason, nothing installed.
cert_refused() {
	ctl cert add "$tmp/$1.pem"
	[ $rc -eq 1 ] && grep -q "$2" "$tmp/err" && [ ! -e "$tmp/certs/$1.pem" ]
	tap_result "cert add refuses $1" $? "rc=$rc $(cat "$tmp/err")"
}
cert_refused wrongkey "private key does not match the leaf"
cert_refused noroot "not a self-signed root"
cert_refused wrongroot "chain does not verify"
cert_refused plain "neither the AMT provisioning EKU"
cp "$tmp/prov.pem" "$tmp/bad name.pem"
ctl cert add "$tmp/bad name.pem"
[ $rc -eq 64 ] && grep -q "give one with --name NAME" "$tmp/err"
tap_result "cert add: a file name with spaces needs --name" $? "rc=$rc $(cat "$tmp/err")"
ctl cert add "$tmp/prov.pem" --name .hidden
[ $rc -eq 1 ] && grep -q "must be 1..64 characters" "$tmp/err" && [ ! -e "$tmp/certs/.hidden.pem" ]
tap_result "cert add: the daemon refuses a bad name" $? "rc=$rc $(cat "$tmp/err")"

ctl cert add "$tmp/foreign.pem" --name foreign-domain
[ $rc -eq 0 ] && grep -q "^warning: the leaf CN does not end with the profile domain" "$tmp/out"
tap_result "cert add warns about another domain" $? "rc=$rc $(cat "$tmp/out" "$tmp/err")"

ctl cert list
[ $rc -eq 0 ] && grep -q "^foreign-domain  provision.example.org  $root_sha" "$tmp/out" &&
	grep -q "^prov            provision.amt.test     $root_sha" "$tmp/out"
tap_result "cert list" $? "$(cat "$tmp/out" "$tmp/err")"
ctl profile show --json
json_ok && [ "$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["profile"]; print(p["domain"], len(p["certs"]))' "$tmp/out")" = "amt.test 2" ]
tap_result "profile show --json: domain and certs" $? "$(cat "$tmp/out")"
ctl profile list
[ $rc -eq 0 ] && grep -q "^default  amt-  *amt.test  $tmp/certs$" "$tmp/out"
tap_result "profile list" $? "$(cat "$tmp/out")"

# --- backup -------------------------------------------------------------
# The copy is taken while the daemon runs (it holds the WAL open) and must
# hold what the live database holds, rows and sealed columns alike.
q_all="SELECT uuid, state, mode, attempts FROM devices ORDER BY uuid;
SELECT pid, state, hex(pps_enc) FROM psk_pairs ORDER BY pid;"
ctl backup "$tmp/backup.db"
devs=$(sqlite3 "$tmp/state.db" "SELECT count(*) FROM devices")
pairs=$(sqlite3 "$tmp/state.db" "SELECT count(*) FROM psk_pairs")
[ $rc -eq 0 ] && [ "$(stat -c %a "$tmp/backup.db")" = 600 ] &&
	grep -Eq "^$tmp/backup.db: [1-9][0-9]* bytes, $devs devices, $pairs PSK pairs \(checked" "$tmp/out" &&
	[ "$(sqlite3 "$tmp/backup.db" "PRAGMA integrity_check")" = ok ] &&
	[ "$(sqlite3 "$tmp/backup.db" "$q_all")" = "$(sqlite3 "$tmp/state.db" "$q_all")" ] &&
	grep -q "event=backup_written bytes=[1-9][0-9]* devices=$devs" "$tmp/log"
tap_result "backup: a checked copy with every row, 0600" $? \
	"rc=$rc devs=$devs pairs=$pairs $(cat "$tmp/out" "$tmp/err")"
ctl backup "$tmp/backup.db"
[ $rc -eq 1 ] && grep -q "backup.db: File exists" "$tmp/err" &&
	[ "$(sqlite3 "$tmp/backup.db" "SELECT count(*) FROM devices")" = "$devs" ]
tap_result "backup never replaces a file" $? "rc=$rc $(cat "$tmp/err")"
ctl backup "$tmp/nodir/backup.db"
[ $rc -eq 1 ] && grep -q "nodir/backup.db: No such file or directory" "$tmp/err"
tap_result "backup into a missing directory: clear error" $? "rc=$rc $(cat "$tmp/err")"
ctl backup "$tmp/b2.db" --json
[ $rc -eq 0 ] && json_ok &&
	[ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["backup"]["devices"])' "$tmp/out")" = "$devs" ] &&
	[ -z "$(ls "$tmp" | grep 'state.db.backup-')" ]
tap_result "backup --json, no temporary file left" $? "rc=$rc $(cat "$tmp/out" "$tmp/err")"

# --- every --json output parses ----------------------------------------
bad=
for cmd in status stats devices "psk list" "profile list" "cert list"; do
	# shellcheck disable=SC2086
	ctl $cmd --json
	{ [ $rc -eq 0 ] && json_ok; } || bad="$bad [$cmd]"
done
[ -z "$bad" ]
tap_result "every --json output is valid JSON" $? "$bad"

# --- permissions -------------------------------------------------------
as_user() {
	timeout 10 setpriv --reuid nobody --regid "$1" --clear-groups \
		"$CTL_BIN" --socket "$SOCK" "${@:2}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
as_user daemon status
[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] &&
	[ "$(cat "$tmp/err")" = "amtscactl: cannot connect to $SOCK: Permission denied (are you in group nogroup?)" ]
tap_result "user outside the group refused with a hint" $? "rc=$rc $(cat "$tmp/err")"
as_user nogroup status
[ $rc -eq 0 ] && grep -q "^amtscad pid" "$tmp/out"
tap_result "member of the control group served" $? "rc=$rc $(cat "$tmp/err")"
chmod 600 "$tmp/good.csv"
as_user nogroup psk import "$tmp/good.csv"
[ $rc -eq 1 ] && grep -q "good.csv: Permission denied" "$tmp/err"
tap_result "psk import reads the file with the operator's rights" $? "rc=$rc $(cat "$tmp/err")"

"$CTL_BIN" --socket "$tmp/none.sock" status >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "No such file or directory (is amtscad running?)" "$tmp/err"
tap_result "no daemon: clear error" $? "rc=$rc $(cat "$tmp/err")"

# --- shutdown removes the socket ----------------------------------------
daemon_stop "$pid"
rc=$DAEMON_RC
pid=
[ "$rc" -eq 0 ] && [ ! -e "$SOCK" ] && grep -q "event=control_request uid=65534 command=status" "$tmp/log"
tap_result "SIGTERM: exit 0, socket removed, requests logged with uid" $? \
	"rc=$rc $(tail -3 "$tmp/log")"

tap_done
