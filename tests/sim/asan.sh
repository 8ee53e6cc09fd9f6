#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The amtsim tests that drive TLS, Digest, the device model and the Hello
# emitter, again against the ASan+UBSan build (build/asan/bin/amtsim, made
# by `make check`'s SAN=1 pass): any sanitizer report or leak at exit
# changes amtsim's output or exit and fails that script.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

ASAN_AMTSIM=${ASAN_AMTSIM:-build/asan/bin/amtsim}
if [ ! -x "$ASAN_AMTSIM" ]; then
	tap_fail "sanitizer build present" "missing $ASAN_AMTSIM (make SAN=1)"
	tap_done
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in tls_psk tls_pki digest provision faults hello; do
	AMTSIM=$ASAN_AMTSIM timeout -k 10 300 "tests/sim/$t.sh" >"$log" 2>&1
	totals=$(grep '^# Totals:' "$log" | tail -n 1)
	if [[ $totals == *" fail:0 "* ]] && ! grep -q 'Sanitizer' "$log"; then
		tap_ok "$t.sh under ASan+UBSan ($totals)"
	else
		tap_fail "$t.sh under ASan+UBSan" \
			"$(grep -E '^not ok|Sanitizer|^# Totals' "$log" | head -n 5)"
	fi
done
tap_done
