# SPDX-License-Identifier: GPL-2.0-only
#
# TAP output for shell tests in the same shape as kselftest_harness.h, so
# tests/run.sh reads one format. Source it, call tap_ok/tap_fail/tap_skip
# or tap_check, and end with tap_done.

TAP_N=0 TAP_PASS=0 TAP_FAIL=0 TAP_SKIP=0
echo "TAP version 13"

tap_ok() {
	TAP_N=$((TAP_N + 1)) TAP_PASS=$((TAP_PASS + 1))
	echo "ok $TAP_N $1"
}

tap_fail() {
	TAP_N=$((TAP_N + 1)) TAP_FAIL=$((TAP_FAIL + 1))
	echo "not ok $TAP_N $1"
	shift
	[ $# -gt 0 ] && echo "# $*"
	return 0
}

tap_skip() {
	TAP_N=$((TAP_N + 1)) TAP_SKIP=$((TAP_SKIP + 1))
	echo "ok $TAP_N $1 # SKIP $2"
}

# tap_check NAME CMD...: pass when CMD exits 0.
tap_check() {
	local name=$1
	shift
	if "$@"; then tap_ok "$name"; else tap_fail "$name" "command failed: $*"; fi
}

# cond1 && cond2 ...; tap_result NAME $? [DETAIL]: pass when the status is 0.
tap_result() {
	if [ "$2" -eq 0 ]; then tap_ok "$1"; else tap_fail "$1" "${3:-}"; fi
}

tap_done() {
	echo "1..$TAP_N"
	echo "# Totals: pass:$TAP_PASS fail:$TAP_FAIL xfail:0 xpass:0 skip:$TAP_SKIP error:0"
	[ "$TAP_FAIL" -eq 0 ]
	exit
}
