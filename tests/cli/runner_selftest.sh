#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/run.sh counts honestly: failures, crashes, missing Totals lines and
# skips are each reported as such, never as passes.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fake() { # fake NAME EXIT_CODE TOTALS_LINE
	printf '#!/bin/sh\n%s\nexit %s\n' "${3:+echo '$3'}" "$2" >"$tmp/$1"
	chmod +x "$tmp/$1"
}
fake good 0 "# Totals: pass:3 fail:0 xfail:1 xpass:0 skip:2 error:0"
fake bad 1 "# Totals: pass:1 fail:2 xfail:0 xpass:1 skip:0 error:1"
fake silent 0 ""
fake crash 139 "# Totals: pass:5 fail:0 xfail:0 xpass:0 skip:0 error:0"

summary() {
	TEST_LOGDIR=$tmp/logs tests/run.sh "$@" | tail -n 1
}

tap_check "passes, xfail and skips" [ "$(summary "$tmp/good")" = "4 passed, 0 failed, 2 skipped" ]
tap_check "fail, xpass and error count as failures" [ "$(summary "$tmp/bad")" = "1 passed, 4 failed, 0 skipped" ]
tap_check "no Totals line is a failure" [ "$(summary "$tmp/silent")" = "0 passed, 1 failed, 0 skipped" ]
tap_check "non-zero exit after Totals is a failure" [ "$(summary "$tmp/crash")" = "5 passed, 1 failed, 0 skipped" ]
tap_check "sums over programs" [ "$(summary "$tmp/good" "$tmp/bad")" = "5 passed, 4 failed, 2 skipped" ]
TEST_LOGDIR=$tmp/logs tests/run.sh "$tmp/bad" >/dev/null
tap_check "exit status non-zero on failure" [ $? -ne 0 ]
TEST_LOGDIR=$tmp/logs tests/run.sh "$tmp/good" >/dev/null
tap_check "exit status zero when all pass" [ $? -eq 0 ]
tap_done
