#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run each libFuzzer target for FUZZ_SECONDS (default 30), seeded from its
# corpus tests/corpus/NAME (for NAME_fuzz). New inputs go to build/fuzz/work/, never
# into the committed corpus; crashes land in build/fuzz/crashes/ and fail
# the target. Output is TAP with a kselftest "# Totals:" line.
set -u
here=$(dirname "$0")
. "$here/../lib/tap.sh"

secs=${FUZZ_SECONDS:-30}
for target in "$@"; do
	name=$(basename "$target")
	seed=tests/corpus/${name%_fuzz}
	if [ ! -d "$seed" ]; then
		tap_fail "fuzz $name" "no seed corpus directory $seed"
		continue
	fi
	work=build/fuzz/work/$name crashes=build/fuzz/crashes/$name
	mkdir -p "$work" "$crashes"
	if "$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$crashes/" -print_final_stats=1 \
		"$work" "$seed" >"build/fuzz/$name.log" 2>&1; then
		tap_ok "fuzz $name ($secs s, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "build/fuzz/$name.log" | grep -o '[0-9]*$') runs)"
	else
		tail -n 30 "build/fuzz/$name.log"
		tap_fail "fuzz $name" "crash input in $crashes/"
	fi
done
tap_done
