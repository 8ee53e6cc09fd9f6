# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034,SC2154
#
# Helpers for tests that drive a running amtscad with amtscactl. Source
# after tap.sh; the test sets SOCK (the control socket) and tmp.
#
#   CTL_BIN        amtscactl (AMTSCACTL overrides build/bin/amtscactl)
#   ctl ARGS...    amtscactl --socket "$SOCK" ARGS, bounded to 10 s;
#                  leaves rc, stdout in $tmp/out and stderr in $tmp/err

CTL_BIN=${AMTSCACTL:-build/bin/amtscactl}

ctl() {
	timeout 10 "$CTL_BIN" --socket "$SOCK" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
