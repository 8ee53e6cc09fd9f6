#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/e2e/fleet.sh --devices N --mode psk|pki|mixed [--backend socket|xdp]
#                    [--negative wrong-psk|untrusted-root] [--seed S]
#                    [--timeout S] [--progress] [--cert-add-live]
#                    [--sim-workers N]
#
# amtscad against a fleet of amtsim devices in namespaces (fleet_net.sh).
# The fleet's credentials come from `amtsim --creds-out --creds-only` (same
# seed) and go in with `amtscactl psk import`; amtscad runs in the SCA
# namespace, amtsim in the fleet namespace until every device is
# Operational (or --timeout). Then amtsim's --state-out is compared with the
# database by db_check: admin digest of the stored password, host name,
# domain, new PID/PPS. The last line is "provisioned K/N"; exit 0 only when
# K = N and every device matches.
#
# --cert-add-live: the daemon starts with no provisioning chain; once it
# has refused a device for that (no_matching_cert), the chain goes in with
# `amtscactl cert add`, which must make the running daemon serve it.
#
# --sim-workers N: amtsim in N processes (its --workers), each serving its
# block of devices; the state JSON must still hold every device.
#
# Negative fleets: wrong-psk gives the daemon each PID with the PPS of
# another seed; untrusted-root gives it only a chain under a root the
# devices do not trust. Both must end with 0 provisioned and a failure
# with step and reason recorded for every device.
# Root; namespaces amtsca-e2e-PID-*, 198.18.0.0/15 only.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/fleet_net.sh
. tests/lib/daemon_test.sh
. tests/xdp/xdp_net.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
SIM=${AMTSIM:-build/bin/amtsim}
DBTOOL=${DB_CHECK:-build/tests/db_check}
CTL=${AMTSCACTL:-build/bin/amtscactl}
devices=10 mode=psk backend=socket negative= seed=7 limit= progress=
cert_live= sim_workers=1

usage() {
	echo "usage: fleet.sh --devices N --mode psk|pki|mixed" \
		"[--backend socket|xdp] [--negative wrong-psk|untrusted-root]" \
		"[--seed S] [--timeout S] [--progress] [--cert-add-live]" \
		"[--sim-workers N]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case "$1" in
	--devices) devices=${2:?} ;;
	--mode) mode=${2:?} ;;
	--backend) backend=${2:?} ;;
	--negative) negative=${2:?} ;;
	--seed) seed=${2:?} ;;
	--timeout) limit=${2:?} ;;
	--sim-workers) sim_workers=${2:?} ;;
	--progress)
		progress=1
		shift
		continue
		;;
	--cert-add-live)
		cert_live=1
		shift
		continue
		;;
	*) usage ;;
	esac
	shift 2 || usage
done
case "$mode" in psk | pki | mixed) ;; *) usage ;; esac
case "$negative" in "" | wrong-psk | untrusted-root) ;; *) usage ;; esac
# Bounded: a few seconds plus a share per device (two cores shared); a
# negative fleet only needs every device's first Hello to be answered.
if [ -n "$negative" ]; then
	limit=${limit:-$((15 + devices / 20))}
else
	limit=${limit:-$((30 + devices / 2))}
fi

P=amtsca-e2e-$$
tmp=$(mktemp -d)
dpid= spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	fleet_net_down "$P"
	xdp_net_down "$tmp"
	# FLEET_LOGS=DIR keeps the logs, state and database for a post-mortem.
	[ -n "${FLEET_LOGS:-}" ] && mkdir -p "$FLEET_LOGS" &&
		cp "$tmp"/*.log "$tmp"/*.json "$tmp"/state.db* "$FLEET_LOGS" \
			2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
die() {
	echo "# $*" >&2
	echo "provisioned 0/$devices"
	exit 1
}

fleet_net_up "$P" || die "namespaces"
tests/lib/mkcerts.sh "$tmp/pki" >/dev/null 2>&1 || die "mkcerts.sh failed"
mkdir "$tmp/certs"
if [ "$negative" = untrusted-root ]; then
	cat "$tmp/pki/untrusted-chain.pem" "$tmp/pki/untrusted-leaf.key"
else
	cat "$tmp/pki/chain.pem" "$tmp/pki/leaf.key"
fi >"$tmp/provisioning.pem"
if [ -n "$cert_live" ]; then
	# cert add writes as the user the daemon drops to (daemon_test_opts),
	# which must reach the directory.
	chmod 711 "$tmp" && chown nobody:nogroup "$tmp/certs"
else
	mv "$tmp/provisioning.pem" "$tmp/certs/"
fi

sim_args=(--devices "$devices" --mode "$mode"
	--trusted-root "$tmp/pki/root.pem" --domain amt.test)
"$SIM" "${sim_args[@]}" --seed "$seed" --creds-out "$tmp/creds.csv" --creds-only \
	>/dev/null || die "amtsim --creds-only failed"
if [ "$negative" = wrong-psk ]; then
	"$SIM" "${sim_args[@]}" --seed $((seed + 1)) \
		--creds-out "$tmp/other.csv" --creds-only >/dev/null ||
		die "amtsim --creds-only (other seed) failed"
	# Each right PID with another device's PPS and MEBx password.
	paste -d, <(cut -d, -f1 "$tmp/creds.csv") \
		<(cut -d, -f2- "$tmp/other.csv") >"$tmp/wrong.csv"
	mv "$tmp/wrong.csv" "$tmp/creds.csv"
fi
daemon_test_opts "$tmp"
if [ "$backend" = xdp ]; then
	xdp_net_peer "$FLEET_DEV_NS" "$FLEET_DEV_IF" && xdp_net_bpffs "$tmp" ||
		die "XDP set-up failed"
	DAEMON_OPTS+=(--interface sca0 -o "xdp.pin_path=$XDP_PIN")
fi
ip netns exec "$FLEET_SCA_NS" "$DAEMON" --backend "$backend" \
	--listen "$FLEET_SCA_ADDR" "${DAEMON_OPTS[@]}" \
	-o profile.domain=amt.test -o session.retries=5 \
	-o session.failed_hold_s=1 \
	-o session.backoff_ms=500 2>"$tmp/daemon.log" &
dpid=$!
wait_log "$tmp/daemon.log" "event=started" || die "daemon did not start: \
$(tail -3 "$tmp/daemon.log")"
# The operator's path: the CSV goes in over the control socket.
ip netns exec "$FLEET_SCA_NS" "$CTL" --socket "$tmp/ctl.sock" psk import \
	"$tmp/creds.csv" >"$tmp/import.out" 2>&1 ||
	die "amtscactl psk import failed: $(cat "$tmp/import.out")"

# Hellos every 2 s; negative fleets end at the deadline.
ip netns exec "$FLEET_DEV_NS" timeout $((limit + 20)) "$SIM" "${sim_args[@]}" \
	--seed "$seed" --workers "$sim_workers" \
	--sca "$FLEET_SCA_ADDR" --add-addrs "$FLEET_DEV_IF" \
	--schedule 2x1000 --duration "$limit" --state-out "$tmp/state.json" \
	>"$tmp/sim.out" 2>"$tmp/sim.log" &
spid=$!
if [ -n "$cert_live" ]; then
	wait_log "$tmp/daemon.log" 'reason="no_matching_cert"' 200 ||
		die "no device refused for want of a chain: $(tail -3 "$tmp/daemon.log")"
	ip netns exec "$FLEET_SCA_NS" "$CTL" --socket "$tmp/ctl.sock" cert add \
		"$tmp/provisioning.pem" >"$tmp/cert.out" 2>&1 &&
		grep -q "^  serving      now$" "$tmp/cert.out" ||
		die "amtscactl cert add: $(cat "$tmp/cert.out")"
	echo "# chain added while the daemon ran: $(grep -c 'reason="no_matching_cert"' "$tmp/daemon.log") refusals before"
fi
# --progress: the database's count of devices per state every 2 s.
while [ -n "$progress" ] && kill -0 "$spid" 2>/dev/null; do
	sleep 2
	echo "# progress: $(sqlite3 "$tmp/state.db" "SELECT group_concat(n, ' ')
		FROM (SELECT state || '=' || count(*) AS n FROM devices
		GROUP BY state)" 2>/dev/null)"
done
wait "$spid"
spid=
echo "# amtsim: $(tail -1 "$tmp/sim.out")"
daemon_stop "$dpid"
dpid=
[ "$DAEMON_RC" -eq 0 ] || die "amtscad exit $DAEMON_RC: $(tail -3 "$tmp/daemon.log")"
[ -s "$tmp/state.json" ] || die "amtsim wrote no state"
grep "another worker's devices" "$tmp/sim.log" && die "connections reached the wrong amtsim worker"
# The daemon's warnings and errors by kind, most frequent first.
grep -E "level=(err|warn)" "$tmp/daemon.log" |
	sed -E 's/^ts=[^ ]* //; s/ (uuid|device|attempt)=[^ ]*//g' | sort |
	uniq -c | sort -rn | head -8 | sed 's/^/# /' 
# No secret from the CSV may reach the daemon's log.
tail -n +2 "$tmp/creds.csv" | cut -d, -f2 | grep -F -f - -q "$tmp/daemon.log" &&
	die "a PPS appears in the daemon log"

jq -r '.devices[] | [(.uuid | ascii_downcase), .mode,
	(.provisioning_state | tostring), (.hostname // ""), (.domain // ""),
	(.admin_digest_md5_hex // ""), (.realm // ""), (.new_pid // ""),
	(.new_pps // "")] | @tsv' "$tmp/state.json" >"$tmp/state.tsv" ||
	die "state JSON unreadable"
[ "$(wc -l <"$tmp/state.tsv")" -eq "$devices" ] ||
	die "state has $(wc -l <"$tmp/state.tsv") devices, want $devices"
check=compare
[ -n "$negative" ] && check=failures
"$DBTOOL" "$tmp/state.db" "$tmp/key" "$check" "$tmp/state.tsv" >"$tmp/check.out"
rc=$?
# Per-device lines: mismatches in full (bounded), failure reasons counted.
grep -v -e '^provisioned' -e ': failed step=' "$tmp/check.out" | head -20 |
	sed 's/^/# /'
sed -n 's/.*: failed \(step=.*\)/\1/p' "$tmp/check.out" | sort | uniq -c |
	sed 's/^/# /'
grep '^provisioned' "$tmp/check.out" || echo "provisioned 0/$devices"
exit "$rc"
