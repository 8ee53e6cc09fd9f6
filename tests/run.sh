#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every test program given as an argument (each a command line; words
# split on blanks), stream its TAP output, and sum the kselftest
# "# Totals:" lines into the one line CI reads: "N passed, N failed,
# N skipped". A program that dies, times out or prints no Totals line
# counts as one failure; a skip is never counted as a pass.
set -u

TEST_TIMEOUT=${TEST_TIMEOUT:-1200}
LOGDIR=${TEST_LOGDIR:-build/test-logs}
mkdir -p "$LOGDIR"

pass=0 fail=0 skip=0
failed_progs=()

for cmd in "$@"; do
	read -r -a argv <<<"$cmd"
	name=$(basename "${argv[0]}")
	[ "${#argv[@]}" -gt 1 ] && name="$name-$(basename "${argv[1]}")"
	case "${argv[0]}" in build/asan/*) name="asan-$name" ;; esac
	log="$LOGDIR/$name.log"
	echo "# ==== $cmd"
	timeout --kill-after=10 "$TEST_TIMEOUT" "${argv[@]}" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	totals=$(grep -E '^# Totals: ' "$log" | tail -n 1)
	if [ -z "$totals" ]; then
		echo "# $cmd: no '# Totals:' line (exit $rc): counted as one failure"
		fail=$((fail + 1))
		failed_progs+=("$cmd")
		continue
	fi
	p=$(sed -E 's/.* pass:([0-9]+).*/\1/' <<<"$totals")
	f=$(sed -E 's/.* fail:([0-9]+).*/\1/' <<<"$totals")
	xf=$(sed -E 's/.* xfail:([0-9]+).*/\1/' <<<"$totals")
	xp=$(sed -E 's/.* xpass:([0-9]+).*/\1/' <<<"$totals")
	s=$(sed -E 's/.* skip:([0-9]+).*/\1/' <<<"$totals")
	e=$(sed -E 's/.* error:([0-9]+).*/\1/' <<<"$totals")
	pass=$((pass + p + xf))
	skip=$((skip + s))
	bad=$((f + xp + e))
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		echo "# $cmd: exit $rc after its Totals line: counted as one failure"
		bad=1
	fi
	fail=$((fail + bad))
	[ "$bad" -gt 0 ] && failed_progs+=("$cmd")
done

for c in "${failed_progs[@]}"; do
	echo "# FAILED: $c"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
