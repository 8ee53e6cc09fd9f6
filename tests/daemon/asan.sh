#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtscad's and amtscactl's scripts again against the ASan+UBSan build
# (build/asan/bin/, made by `make check`'s SAN=1 pass): the TLS peers,
# both Hello backends, shutdown and resume, SIGHUP reload, hostile
# devices, the amtscactl commands (CSV import included) and two fleets
# (socket mixed, XDP PKI). The daemon keeps its
# seccomp filter (sandbox.c lets LeakSanitizer's exit-time check through in
# sanitizer builds only). Sanitizer reports go to files in a directory of
# their own (the confined daemon runs as nobody): any report file, or a
# failed check, fails that line.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

ASAN_AMTSCAD=${ASAN_AMTSCAD:-build/asan/bin/amtscad}
export AMTSCACTL=${ASAN_AMTSCACTL:-build/asan/bin/amtscactl}
if [ ! -x "$ASAN_AMTSCAD" ]; then
	tap_fail "sanitizer build present" "missing $ASAN_AMTSCAD (make SAN=1)"
	tap_done
fi
reports=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$reports" "$log"' EXIT
chmod 1777 "$reports"
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1"

# run NAME CMD...: one TAP line; fails on a failed check or any report.
run() {
	local name=$1 rc
	shift
	AMTSCAD=$ASAN_AMTSCAD timeout -k 10 400 "$@" >"$log" 2>&1
	rc=$?
	# A daemon the script left running (e.g. hung at exit) is killed
	# and fails the line.
	if pkill -9 -f "^$ASAN_AMTSCAD " 2>/dev/null; then
		tap_fail "$name under ASan+UBSan" "left $ASAN_AMTSCAD running"
	elif [ -n "$(ls -A "$reports")" ]; then
		tap_fail "$name under ASan+UBSan" \
			"$(cat "$reports"/* | head -n 30)"
		rm -f "$reports"/*
	elif [ $rc -ne 0 ]; then
		tap_fail "$name under ASan+UBSan" \
			"$(grep -E '^not ok|^# Totals|^provisioned|exit' "$log" | head -n 8)"
	else
		tap_ok "$name under ASan+UBSan ($(grep -E '^# Totals|^provisioned' "$log" | tail -n 1))"
	fi
}

for t in tests/daemon/tls_peers.sh tests/daemon/socket_backend.sh \
	tests/daemon/shutdown_resume.sh tests/daemon/reload.sh \
	tests/security/hostile_sessions.sh tests/cli/amtscactl_control.sh \
	tests/cli/amtscactl_hello.sh tests/cli/amtscactl_stats_xdp.sh; do
	run "$(basename "$t")" "$t"
done
run "fleet.sh socket mixed 60" tests/e2e/fleet.sh --devices 60 --mode mixed \
	--backend socket
run "fleet.sh xdp pki 40" tests/e2e/fleet.sh --devices 40 --mode pki \
	--backend xdp
tap_done
