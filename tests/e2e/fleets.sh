#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The CI fleets (TEST_PROGS): N devices (default 200) in psk, pki and mixed
# mode against the socket and the xdp backend, a pki fleet whose chain is
# added while the daemon runs, then the wrong-PSK and untrusted-root
# negative fleets. Each fleet is one
# TAP line, bounded by timeout; its output is shown as comments.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

N=${FLEET_DEVICES:-200}

# fleet NAME ARGS...: one bounded tests/e2e/fleet.sh run as a TAP line.
fleet() {
	local name=$1 out rc
	shift
	out=$(timeout --kill-after=10 $((240 + N)) tests/e2e/fleet.sh \
		--devices "$N" "$@" 2>&1)
	rc=$?
	sed 's/^\([^#]\)/# \1/' <<<"$out"
	tap_result "$name: $(tail -1 <<<"$out")" "$rc"
}

fleet "socket backend, psk fleet of $N" --mode psk --backend socket
fleet "socket backend, pki fleet of $N" --mode pki --backend socket
# --progress reads the database from another process while the daemon
# writes (as amtscactl or an operator's sqlite3 do): nothing may be lost.
fleet "socket backend, mixed fleet of $N, DB read meanwhile" --mode mixed \
	--backend socket --progress
# amtsim in two processes (--workers): each device's sessions must reach
# the worker that simulates it.
fleet "socket backend, mixed fleet of $N, amtsim in 2 workers" --mode mixed \
	--backend socket --sim-workers 2
for mode in psk pki mixed; do
	fleet "xdp backend, $mode fleet of $N" --mode "$mode" --backend xdp
done
fleet "socket backend, pki fleet of 20, chain added while running" \
	--devices 20 --mode pki --backend socket --cert-add-live
fleet "wrong PSK fleet of $N provisions none" --mode psk --negative wrong-psk
fleet "untrusted root fleet of $N provisions none" --mode pki \
	--negative untrusted-root

tap_done
