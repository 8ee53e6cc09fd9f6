#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtscad after its start-up runs as an unprivileged user, with no (or only
# the configured) capabilities, no_new_privs, no core dumps and the seccomp
# filter in kill mode, and still takes Hellos in over the socket backend:
# any syscall missing from the allowlist would kill it with SIGSYS. Root;
# fleet_net.sh namespaces amtsec-dc-PID-*.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
. tests/lib/daemon_test.sh
. tests/lib/fleet_net.sh

DAEMON=${AMTSCAD:-build/bin/amtscad}
CORPUS=tests/corpus/hello
NET=amtsec-dc-$$
tmp=$(mktemp -d)
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	fleet_net_down "$NET"
	rm -rf "$tmp"
}
trap cleanup EXIT

fleet_net_up "$NET"
tap_result "namespaces up" $? || true
SCA=$FLEET_SCA_NS DEV=$FLEET_DEV_NS

# start LOG ARGS...: the daemon in the SCA namespace with its state in
# $tmp, pid in $pid.
start() {
	local log=$1
	shift
	ip netns exec "$SCA" "$DAEMON" --backend socket --listen 0.0.0.0 \
		--hello-timeout-ms 300 "${STATE_OPTS[@]}" "$@" 2>"$log" &
	pid=$!
}

# wait_exit: bounded wait (5 s) for the daemon to end by itself; its exit
# status in $rc (124: still running).
wait_exit() {
	rc=124
	for _ in $(seq 50); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			rc=$?
			break
		fi
		sleep 0.1
	done
	pid=
}

stop() {
	daemon_stop "$pid"
	rc=$DAEMON_RC
	pid=
}

status_field() {
	awk -v k="$1:" '$1 == k { $1 = ""; sub(/ +$/, ""); print substr($0, 2) }' \
		"/proc/$pid/status"
}

send() {
	ip netns exec "$DEV" timeout 5 bash -c \
		"cat '$1' >/dev/tcp/198.18.0.1/9971" 2>/dev/null
}

# daemon_test_opts without its security.* options: each run sets its own.
daemon_test_opts "$tmp"
STATE_OPTS=()
for o in "${DAEMON_OPTS[@]}"; do
	case $o in security.*) unset 'STATE_OPTS[-1]' ;; *) STATE_OPTS+=("$o") ;; esac
done

log=$tmp/confined.log
start "$log" -v -o security.user=nobody -o security.group=nogroup \
	-o security.capabilities=none -o security.seccomp=kill
wait_log "$log" "event=started backend=socket" 200
tap_result "daemon confined and listening" $? "$(cat "$log")"
grep -q "event=confined user=nobody group=nogroup capabilities=none seccomp=kill" "$log"
tap_result "confinement logged" $? "$(cat "$log")"

[ "$(status_field Uid)" = "65534 65534 65534 65534" ] &&
	[ "$(status_field Gid)" = "65534 65534 65534 65534" ] &&
	[ "$(status_field Groups)" = "65534" ]
tap_result "runs as nobody:nogroup, no other groups" $? \
	"$(grep -E '^(Uid|Gid|Groups)' "/proc/$pid/status")"

for set in CapInh CapPrm CapEff CapAmb; do
	[ "$(status_field $set)" = 0000000000000000 ] || break
done
tap_result "no capabilities left" $? "$(grep ^Cap "/proc/$pid/status")"

[ "$(status_field NoNewPrivs)" = 1 ] && [ "$(status_field Seccomp)" = 2 ]
tap_result "no_new_privs and a seccomp filter" $? \
	"$(grep -E '^(NoNewPrivs|Seccomp)' "/proc/$pid/status")"

grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits" &&
	[ "$(stat -c %u "/proc/$pid/status")" = 0 ]
tap_result "core dumps off (RLIMIT_CORE 0, not dumpable)" $? \
	"$(grep core "/proc/$pid/limits"); owner $(stat -c %u "/proc/$pid/status")"

send "$CORPUS/psk-valid.bin" &&
	wait_log "$log" "event=hello_queued uuid=[0-9a-f-]* device=198.18.0.2 version=2" 200
tap_result "Hello accepted under the filter" $? "$(tail -3 "$log")"

send "$CORPUS/psk-valid.bin" && send "$CORPUS/admin-2.bin" &&
	wait_log "$log" "reason=bad_admin_flag" 200
tap_result "malformed Hello refused under the filter" $? "$(tail -3 "$log")"

ip netns exec "$DEV" timeout 5 bash -c \
	"exec 3<>/dev/tcp/198.18.0.1/9971; head -c 10 '$CORPUS/psk-valid.bin' >&3; sleep 1" &&
	wait_log "$log" "event=hello_timeout" 200
tap_result "stalled Hello timed out under the filter" $? "$(tail -3 "$log")"

kill -USR1 "$pid"
wait_log "$log" "event=stats accepted=2 duplicate=0 invalid=0 .* failed=2" 200
tap_result "stats on SIGUSR1" $? "$(grep event=stats "$log")"

stop
[ "$rc" -eq 0 ] && grep -q "event=shutdown" "$log"
tap_result "SIGTERM exits 0 (never killed by the filter)" $? "rc=$rc"

# Defaults: the amtsca account (nobody/nogroup on a host without it), the
# database handed over to it, no capabilities.
log=$tmp/defaults.log
chmod 755 "$tmp"
if getent passwd amtsca >/dev/null && getent group amtsca >/dev/null; then
	want="user=amtsca group=amtsca capabilities" owner=amtsca
else
	want='user=nobody group=nogroup fallback="no amtsca account"' owner=nobody
fi
start "$log"
wait_log "$log" "event=started" && grep -qF "event=confined $want" "$log"
tap_result "default account: ${want%% capabilities}" $? "$(cat "$log")"
[ "$(stat -c %U "$tmp/state.db")" = "$owner" ]
tap_result "database handed over to $owner" $? "$(ls -l "$tmp/state.db")"
[ "$(status_field CapEff)" = 0000000000000000 ] &&
	[ "$(status_field CapPrm)" = 0000000000000000 ]
tap_result "default keeps no capability" $? \
	"$(grep ^Cap "/proc/$pid/status" 2>&1)"
stop

# Listed capabilities: CAP_NET_ADMIN (12) and CAP_BPF (39) only.
log=$tmp/caps.log
start "$log" -o security.capabilities=net_admin,bpf
wait_log "$log" "event=started" &&
	[ "$(status_field CapEff)" = 0000008000001000 ] &&
	[ "$(status_field CapPrm)" = 0000008000001000 ]
tap_result "security.capabilities=net_admin,bpf keeps exactly those" $? \
	"$(grep ^Cap "/proc/$pid/status" 2>&1; cat "$log")"
stop

log=$tmp/nouser.log
start "$log" -o security.user=no-such-user-amtsec -o security.group=nogroup
wait_exit
[ "$rc" -eq 1 ] &&
	grep -q 'event=confine_failed error="security.user no-such-user-amtsec: no such user' "$log" &&
	! grep -q "event=started" "$log"
tap_result "unknown user: refuses to run, with the reason" $? \
	"rc=$rc $(cat "$log")"

ip netns exec "$SCA" "$DAEMON" --backend socket -c "$tmp/missing.conf" \
	2>"$tmp/missing.log"
rc=$?
[ "$rc" -eq 2 ] && grep -q "missing.conf: cannot read" "$tmp/missing.log"
tap_result "missing -c file refused" $? "rc=$rc $(cat "$tmp/missing.log")"

tap_done
