#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtsim's command line without a network: --creds-out/--creds-only is
# deterministic from --seed and in the contract's CSV form; bad arguments
# and an SCA that cannot be located give one line on stderr and exit 2/1.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

AMTSIM=${AMTSIM:-build/bin/amtsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$AMTSIM" --devices 50 --seed 7 --creds-out "$tmp/a.csv" --creds-only &&
	"$AMTSIM" --devices 50 --seed 7 --creds-out "$tmp/b.csv" --creds-only &&
	"$AMTSIM" --devices 50 --seed 8 --creds-out "$tmp/c.csv" --creds-only
tap_result "--creds-only writes the CSV and exits 0" $?
tap_check "same seed, same credentials" cmp -s "$tmp/a.csv" "$tmp/b.csv"
! cmp -s "$tmp/a.csv" "$tmp/c.csv"
tap_result "another seed, other credentials" $?
[ "$(head -n 1 "$tmp/a.csv")" = pid,pps,mebx_password ] &&
	[ "$(tail -n +2 "$tmp/a.csv" |
		grep -cE '^[A-Z0-9]{8},[A-Z0-9]{32},[!-~]{12}$')" -eq 50 ]
tap_result "header pid,pps,mebx_password and 50 well-formed rows" $?
[ "$(cut -d, -f1 "$tmp/a.csv" | sort -u | wc -l)" -eq 51 ]
tap_result "50 distinct PIDs" $?
bad=0
while IFS=, read -r pid pps pw; do
	[[ $pw =~ [A-Z] && $pw =~ [a-z] && $pw =~ [0-9] && $pw =~ [^A-Za-z0-9] ]] ||
		bad=1
done < <(tail -n +2 "$tmp/a.csv")
tap_result "each MEBx password has upper, lower, digit and symbol" $bad

# refuse WANT_RC WANT_TEXT ARGS...: one stderr line containing WANT_TEXT.
refuse() {
	local rc want=$1 text=$2
	shift 2
	"$AMTSIM" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$want" ] && [ ! -s "$tmp/out" ] &&
		[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qF -- "$text" "$tmp/err"
	tap_result "refused: $*" $? "rc=$rc $(cat "$tmp/err")"
}
refuse 2 "--devices N is required" --sca 198.18.0.1
refuse 2 "bad option '--nope'" --devices 1 --nope
refuse 2 "want a number in 0..1" --devices 1 --sca 198.18.0.1 --fault-drop 1.5
refuse 2 "exactly one of --sca and --resolver-config" --devices 1
refuse 2 "needs --trusted-root" --devices 1 --sca 198.18.0.1 --mode mixed
refuse 2 "bad step at character 1" --devices 1 --sca 198.18.0.1 --schedule x5
refuse 2 "not one of the accepted values" --devices 1 --sca 198.18.0.1 \
	--psk-min-tls 1.3
refuse 1 "want ADDR[:PORT] with an IP address" --devices 1 --sca sca.example
refuse 2 "want NAME=VALUE" --devices 1 --sca 198.18.0.1 --model-knob x
refuse 1 "--model-knob 'post_commit_status=7': unknown name or value" \
	--devices 1 --sca 198.18.0.1 --model-knob post_commit_status=7
refuse 1 "the SCA address is IPv6: give --addr6-base" --devices 1 \
	--sca '[fd00:a3::1]:9971'
printf 'domain = nowhere.test\ndns = no\n' >"$tmp/r.conf"
refuse 1 "none of 1 candidates resolved (first: provisionserver.nowhere.test)" \
	--devices 1 --resolver-config "$tmp/r.conf"
printf 'domain = x\nbogus = 1\n' >"$tmp/bad.conf"
refuse 1 "$tmp/bad.conf: line 2: unknown key 'bogus'" --devices 1 \
	--resolver-config "$tmp/bad.conf"
refuse 1 "$tmp/none.pem: No such file or directory" --devices 1 \
	--sca 198.18.0.1 --mode pki --trusted-root "$tmp/none.pem"
tap_done
