#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the QEMU guest (tests/kmod/qemu_test.sh packs it): loads
# amtsca.ko and drives it with amtsca-kmodtest over loopback only. Prints
# "RESULT ok|fail NAME [detail]" lines for the host and powers off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# /tmp is the initramfs's own (writable): a tmpfs over it would hide a
# source tree checked out under /tmp, whose corpus the tests read.
ip link set lo up
# Keep kernel messages off the console the host parses; dmesg keeps them.
echo 1 >/proc/sys/kernel/printk

KT=/bin/amtsca-kmodtest
CORPUS=/corpus
ok() { echo "RESULT ok $1"; }
fail() { echo "RESULT fail $1 ${2:-}"; }
# result NAME STATUS [DETAIL]
result() { if [ "$2" -eq 0 ]; then ok "$1"; else fail "$1" "${3:-}"; fi; }
stat_of() { $KT stats | awk -v k="$1" '$1 == k { print $2 }'; }

EV=/tmp/ev
EVPID=
start_events() {
	rm -rf $EV && mkdir -p $EV
	$KT events $EV 600000 2>$EV/err &
	EVPID=$!
	i=0
	while [ ! -e $EV/ready ] && [ $i -lt 100 ]; do usleep 50000; i=$((i + 1)); done
	[ -e $EV/ready ]
}
nevents() { wc -l <$EV/log | tr -d ' '; }
last_event() { tail -n 1 $EV/log; }
# wait_events N: until N events were logged, at most 5 s
wait_events() {
	i=0
	while [ "$(nevents)" -lt "$1" ] && [ $i -lt 100 ]; do usleep 50000; i=$((i + 1)); done
	[ "$(nevents)" -eq "$1" ]
}
send() { $KT send "$@"; }

insmod /amtsca.ko
result load $? "insmod failed"
grep -q '^amtsca ' /proc/modules
result module_listed $?
netstat -ltn | grep -q ':9971 '
result listening_9971 $? "$(netstat -ltn)"

$KT version 2
result version_match $?
out=$($KT version 99 2>&1)
rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q 'version 2, this daemon needs version 99'
result version_mismatch_refused $? "rc=$rc out=$out"

start_events
result subscribe $? "$(cat $EV/err)"

# The shared corpus, in expect.tsv order: each valid file must come back as
# one event with the same bytes, each invalid one as none.
n_ok=0
n=0
tab=$(printf '\t')
bad=
while IFS="$tab" read -r file verdict off; do
	case "$file" in '#'* | '') continue ;; esac
	send 127.0.0.1 9971 $CORPUS/$file || bad="$bad send:$file"
	n=$((n + 1))
	if [ "$verdict" = ok ]; then
		wait_events $((n_ok + 1)) || bad="$bad noevent:$file"
		cmp -s $EV/$n_ok.bin $CORPUS/$file || bad="$bad bytes:$file"
		n_ok=$((n_ok + 1))
	fi
	[ "$(nevents)" -eq $n_ok ] || bad="$bad extra-event:$file"
done <$CORPUS/expect.tsv
[ -z "$bad" ] && [ $n_ok -gt 0 ]
result corpus_events $? "$bad"

$KT stats >/tmp/stats
bad=
for verdict in $(grep -v '^#' $CORPUS/expect.tsv | cut -f2 | sort -u); do
	want=$(grep -v '^#' $CORPUS/expect.tsv | cut -f2 | grep -cx "$verdict")
	if [ "$verdict" = ok ]; then
		got=$(awk '$1 == "valid" { print $2 }' /tmp/stats)
	else
		got=$(awk -v k="reason_$verdict" '$1 == k { print $2 }' /tmp/stats)
	fi
	[ "$got" = "$want" ] || bad="$bad $verdict:want=$want,got=$got"
done
[ "$(awk '$1 == "events" { print $2 }' /tmp/stats)" = $n_ok ] || bad="$bad events"
[ "$(awk '$1 == "conns" { print $2 }' /tmp/stats)" = $n ] || bad="$bad conns"
[ -z "$bad" ]
result corpus_stats_by_reason $? "$bad"

# The Hello rules are per-netns config (HELLO_FLAGS, the daemon's [hello]
# section; both readings are [U] in amt-protocol.md): type 3 as SHA-512
# refuses a SHA-384 entry, a printable-PID rule accepts a lower-case PID.
before=$(nevents)
hs=$(stat_of reason_bad_hash_size)
$KT config helloflags=1 &&
	send 127.0.0.1 9971 $CORPUS/pki-sha384.bin && usleep 200000 &&
	[ "$(nevents)" -eq $before ] && [ "$(stat_of reason_bad_hash_size)" -eq $((hs + 1)) ] &&
	send 127.0.0.1 9971 $CORPUS/pki-sha384-size64.bin && wait_events $((before + 1)) &&
	$KT config helloflags=0 &&
	send 127.0.0.1 9971 $CORPUS/pki-sha384.bin && wait_events $((before + 2))
result config_hello_type3_sha512 $? "events=$(nevents) before=$before"
before=$(nevents)
pc=$(stat_of reason_bad_pid_char)
send 127.0.0.1 9971 $CORPUS/psk-pid-lower.bin && usleep 200000 &&
	[ "$(nevents)" -eq $before ] && [ "$(stat_of reason_bad_pid_char)" -eq $((pc + 1)) ] &&
	$KT config helloflags=2 && $KT --uid 65534 getconfig | grep -q ' helloflags 2$' &&
	send 127.0.0.1 9971 $CORPUS/psk-pid-lower.bin && wait_events $((before + 1)) &&
	$KT config helloflags=0
result config_hello_pid_printable $? "events=$(nevents) before=$before"
$KT config helloflags=4 2>/dev/null
result config_hello_unknown_flag_refused $((! $?))

# Real captures: v3 (841 bytes) over IPv4, v3 (807 bytes) over IPv6.
before=$(nevents)
send 127.0.0.1 9971 $CORPUS/meshcentral-841.bin && wait_events $((before + 1)) &&
	last_event | grep -q 'family=2 saddr=127.0.0.1 daddr=127.0.0.1 sport=[1-9][0-9]* dport=9971 ifindex=1 len=841 ' &&
	cmp -s $EV/$before.bin $CORPUS/meshcentral-841.bin
result capture_841_ipv4_fields $? "$(last_event)"
send ::1 9971 $CORPUS/meshcentral-807.bin && wait_events $((before + 2)) &&
	last_event | grep -q 'family=10 saddr=::1 daddr=::1 sport=[1-9][0-9]* dport=9971 ifindex=1 len=807 ' &&
	cmp -s $EV/$((before + 1)).bin $CORPUS/meshcentral-807.bin
result capture_807_ipv6_fields $? "$(last_event)"
send 127.0.0.1 9971 $CORPUS/psk-valid.bin && wait_events $((before + 3)) &&
	last_event | grep -q 'len=32 '
result psk_v2_event $? "$(last_event)"

# De-duplication through the device table.
before=$(nevents)
sup=$(stat_of suppressed)
$KT state $CORPUS/psk-valid.bin 3 0 && send 127.0.0.1 9971 $CORPUS/psk-valid.bin &&
	usleep 300000 && [ "$(nevents)" -eq $before ] &&
	[ "$(stat_of suppressed)" -eq $((sup + 1)) ]
result dedup_done_suppresses $? "events=$(nevents) before=$before"
send 127.0.0.1 9971 $CORPUS/other-uuid.bin && wait_events $((before + 1))
result dedup_other_uuid_passes $?
$KT state $CORPUS/psk-valid.bin 2 1500 && send 127.0.0.1 9971 $CORPUS/psk-valid.bin &&
	usleep 300000 && [ "$(nevents)" -eq $((before + 1)) ] && usleep 1400000 &&
	send 127.0.0.1 9971 $CORPUS/psk-valid.bin && wait_events $((before + 2))
result dedup_expiry $? "events=$(nevents) before=$before"
$KT state $CORPUS/psk-valid.bin 3 0 && $KT state $CORPUS/psk-valid.bin 0 0 &&
	send 127.0.0.1 9971 $CORPUS/psk-valid.bin && wait_events $((before + 3))
result dedup_unknown_deletes $?
$KT state 0011 3 0 2>/dev/null
[ $? -ne 0 ]
result state_bad_uuid_refused $?
$KT state $CORPUS/psk-valid.bin 5 0 2>/dev/null
[ $? -ne 0 ]
result state_out_of_range_refused $?

# Config: port change.
before=$(nevents)
$KT config port=9972 && ! send 127.0.0.1 9971 $CORPUS/psk-valid.bin 2>/dev/null &&
	send 127.0.0.1 9972 $CORPUS/psk-valid.bin && wait_events $((before + 1)) &&
	last_event | grep -q 'dport=9972 '
result config_port_change $? "$(last_event)"
$KT config port=9971 && netstat -ltn | grep -q ':9971 ' && ! netstat -ltn | grep -q ':9972 '
result config_port_back $?

# Config: allowed prefixes.
before=$(nevents)
ref=$(stat_of prefix_refused)
$KT config prefix=127.0.0.1/32 prefix=fd00::/8 &&
	send 127.0.0.1 9971 $CORPUS/psk-valid.bin 127.0.0.2 &&
	send ::1 9971 $CORPUS/psk-valid.bin && usleep 300000 &&
	[ "$(nevents)" -eq $before ] && [ "$(stat_of prefix_refused)" -eq $((ref + 2)) ] &&
	send 127.0.0.1 9971 $CORPUS/psk-valid.bin 127.0.0.1 && wait_events $((before + 1))
result config_prefix_refuses $? "events=$(nevents) before=$before"
$KT --uid 65534 getconfig >/tmp/cfg &&
	grep -qx 'port 9971 timeout 2000 maxconns 64 rate 0 helloflags 0' /tmp/cfg &&
	grep -qx 'prefix 127.0.0.1/32' /tmp/cfg && grep -qx 'prefix fd00::/8' /tmp/cfg &&
	[ "$(wc -l </tmp/cfg)" -eq 3 ]
result get_config_reads_back $? "$(cat /tmp/cfg)"
$KT config noprefix && send 127.0.0.1 9971 $CORPUS/psk-valid.bin 127.0.0.2 &&
	wait_events $((before + 2))
result config_prefix_cleared $?
$KT config prefix=127.0.0.1/33 2>/dev/null
[ $? -ne 0 ]
result config_bad_prefix_refused $?
$KT config timeout=1 2>/dev/null
[ $? -ne 0 ]
result config_bad_timeout_refused $?

# Config: rate limit.
before=$(nevents)
rl=$(stat_of rate_limited)
$KT config rate=1 && for i in 1 2 3; do send 127.0.0.1 9971 $CORPUS/psk-valid.bin; done &&
	[ "$(stat_of rate_limited)" -ge $((rl + 1)) ] && $KT config rate=0
result config_rate_limit $? "rate_limited=$(stat_of rate_limited) was $rl"

# Twenty devices at once: every Hello is read and reported.
before=$(nevents)
pids=
for i in $(seq 20); do send 127.0.0.1 9971 $CORPUS/meshcentral-841.bin & pids="$pids $!"; done
rc=0
for p in $pids; do wait $p || rc=1; done
[ $rc -eq 0 ] && wait_events $((before + 20))
result concurrent_clients_20 $? "events=$(nevents) before=$before"

# Bad input: garbage, oversize, a slow client.
before=$(nevents)
inv=$(stat_of invalid)
printf 'this is not a Hello at all\n' >/tmp/garbage
send 127.0.0.1 9971 /tmp/garbage && usleep 200000 && [ "$(nevents)" -eq $before ] &&
	[ "$(stat_of invalid)" -eq $((inv + 1)) ]
result bad_garbage $?
big=$(stat_of oversize)
{ cat $CORPUS/pki-sha1.bin; dd if=/dev/zero bs=6000 count=1 2>/dev/null; } >/tmp/oversize
send 127.0.0.1 9971 /tmp/oversize && usleep 200000 && [ "$(nevents)" -eq $before ] &&
	[ "$(stat_of oversize)" -eq $((big + 1)) ] && [ "$(stat_of invalid)" -eq $((inv + 2)) ]
result bad_oversize $? "oversize=$(stat_of oversize)"
to=$(stat_of timeout)
$KT config timeout=300 && send 127.0.0.1 9971 $CORPUS/psk-valid.bin - 1000 &&
	[ "$(nevents)" -eq $before ] && [ "$(stat_of timeout)" -eq $((to + 1)) ] &&
	$KT config timeout=2000
result bad_slow_client_timeout $? "timeout=$(stat_of timeout)"
cl=$(stat_of conn_limit)
$KT config maxconns=1 && { $KT hold 127.0.0.1 9971 >/tmp/hold1 & HP=$!; } && usleep 300000 &&
	send 127.0.0.1 9971 $CORPUS/psk-valid.bin && [ "$(stat_of conn_limit)" -eq $((cl + 1)) ]
result config_max_conns $?
kill $HP; wait $HP 2>/dev/null
$KT config maxconns=64

# Only CAP_NET_ADMIN may change anything; stats stay readable.
out=$($KT --uid 65534 config port=9973 2>&1)
[ $? -ne 0 ] && echo "$out" | grep -qi 'permission\|not permitted'
result unpriv_config_refused $? "$out"
out=$($KT --uid 65534 state $CORPUS/psk-valid.bin 3 0 2>&1)
[ $? -ne 0 ] && echo "$out" | grep -qi 'permission\|not permitted'
result unpriv_state_refused $? "$out"
mkdir -p /tmp/unpriv && chmod 777 /tmp/unpriv
out=$($KT --uid 65534 events /tmp/unpriv 100 2>&1)
[ $? -ne 0 ]
result unpriv_subscribe_refused $? "$out"
$KT --uid 65534 stats | grep -q '^conns '
result unpriv_stats_allowed $?
netstat -ltn | grep -q ':9971 '
result unpriv_changed_nothing $?

# A second network namespace gets its own listener and counters.
out=$(unshare -n sh -c "ip link set lo up; netstat -ltn | grep -c ':9971 '; $KT stats | awk '\$1 == \"conns\" { print \$2 }'" 2>&1)
[ "$(echo $out)" = "1 0" ]
result netns_own_listener_and_stats $? "$out"

# Unload while a client is connected (and the event listener subscribed).
$KT hold 127.0.0.1 9971 >/tmp/hold &
HP=$!
i=0
while ! grep -q held /tmp/hold && [ $i -lt 50 ]; do usleep 50000; i=$((i + 1)); done
t0=$(date +%s)
rmmod amtsca
rc=$?
t1=$(date +%s)
[ $rc -eq 0 ] && [ $((t1 - t0)) -le 3 ] && ! grep -q '^amtsca ' /proc/modules &&
	! netstat -ltn | grep -q ':9971 '
result unload_with_client_connected $? "rc=$rc took=$((t1 - t0))s"
kill $HP $EVPID 2>/dev/null
wait 2>/dev/null
! ps | grep -v grep | grep -q 'amtsca-accept'
result unload_no_threads_left $?
$KT stats 2>&1 | grep -q 'not found: is amtsca.ko loaded'
result unloaded_family_gone $?

insmod /amtsca.ko && usleep 200000 && rmmod amtsca
result reload_and_unload_idle $?
insmod /amtsca.ko && start_events && rmmod amtsca
result unload_with_subscriber $?
kill $EVPID 2>/dev/null
wait 2>/dev/null

# Unload in the middle of twenty slow Hellos.
insmod /amtsca.ko
for i in $(seq 20); do send 127.0.0.1 9971 $CORPUS/meshcentral-841.bin - 1500 2>/dev/null & done
usleep 300000
t0=$(date +%s)
rmmod amtsca
rc=$?
t1=$(date +%s)
[ $rc -eq 0 ] && [ $((t1 - t0)) -le 3 ]
result unload_during_20_slow_clients $? "rc=$rc took=$((t1 - t0))s"
wait 2>/dev/null

dmesg >/tmp/dmesg
! grep -E 'WARNING|BUG|Oops|Call Trace|hung_task|refcount_t|general protection' /tmp/dmesg
result dmesg_clean $? "$(grep -E -m3 'WARNING|BUG|Oops|Call Trace' /tmp/dmesg)"

echo GUEST_DONE
poweroff -f
