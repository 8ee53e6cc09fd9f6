#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtscactl hello decode, as an operator runs it: JSON on stdout and exit 0
# for a valid Hello; exit 2, one line on stderr naming reason and offset,
# and nothing on stdout for an invalid one.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

CTL=${AMTSCACTL:-build/bin/amtscactl}
CORPUS=tests/corpus/hello
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

while IFS=$'\t' read -r file verdict off; do
	case "$file" in '#'*|'') continue ;; esac
	"$CTL" hello decode --file "$CORPUS/$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$verdict" = ok ]; then
		if [ $rc -ne 0 ] || [ -s "$tmp/err" ] || [ "$(wc -l <"$tmp/out")" -ne 1 ]; then
			tap_fail "decode $file" "rc=$rc: $(cat "$tmp/err")"
		elif [ -f "$CORPUS/${file%.bin}.json" ] && ! cmp -s "$tmp/out" "$CORPUS/${file%.bin}.json"; then
			tap_fail "decode $file" "JSON differs from ${file%.bin}.json"
		else
			tap_ok "decode $file"
		fi
		continue
	fi
	want="amtscactl: invalid hello: $verdict at byte $off: "
	got=$(cat "$tmp/err")
	if [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		[ "${got#"$want"}" != "$got" ]; then
		tap_ok "refuse $file ($verdict)"
	else
		tap_fail "refuse $file" "rc=$rc stderr=[$got] want prefix [$want]"
	fi
done <"$CORPUS/expect.tsv"

# The synthetic PSK Hello of amt-protocol.md, given as hex with spaces.
out=$("$CTL" hello decode "0100 0200 00000000 4b529b93d413181de4871c697a6b7a2b 4142434431323334")
tap_check "decode psk hex" [ "$out" = '{"version":2,"admin_credentials_set":true,"retry_count":0,"uuid":"939b524b-13d4-1d18-e487-1c697a6b7a2b","pid":"ABCD1234"}' ]

# Hex and file input agree on a capture.
hex=$(od -An -v -tx1 "$CORPUS/meshcentral-841.bin" | tr -d ' \n')
"$CTL" hello decode "$hex" >"$tmp/hex.json"
tap_check "hex equals file" cmp -s "$tmp/hex.json" "$CORPUS/meshcentral-841.json"

# run_ctl ARGS...: run amtscactl, leaving rc, out and err behind.
run_ctl() {
	"$CTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

run_ctl hello decode 01zz
[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q 'invalid hex at character 2' "$tmp/err"
tap_result "bad hex refused" $? "rc=$rc $(cat "$tmp/err")"

run_ctl hello decode --file "$tmp/missing"
[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q 'No such file' "$tmp/err"
tap_result "missing file is an I/O error" $? "rc=$rc $(cat "$tmp/err")"

head -c 70000 /dev/zero >"$tmp/big"
run_ctl hello decode --file "$tmp/big"
[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q 'larger than' "$tmp/err"
tap_result "oversized file refused" $? "rc=$rc $(cat "$tmp/err")"

run_ctl hello decode
[ $rc -eq 64 ] && grep -q usage "$tmp/err"
tap_result "usage error" $? "rc=$rc"

run_ctl hello decode --type3-sha512 --file "$CORPUS/pki-sha384.bin"
[ $rc -eq 2 ] && grep -q bad_hash_size "$tmp/err"
tap_result "type3 as sha512 refuses 48-byte type 3" $? "rc=$rc $(cat "$tmp/err")"

run_ctl hello decode --type3-sha512 --file "$CORPUS/pki-sha384-size64.bin"
[ $rc -eq 0 ] && grep -q '"alg":"sha512"' "$tmp/out"
tap_result "type3 as sha512 decodes 64-byte type 3" $? "rc=$rc $(cat "$tmp/err")"

tap_done
