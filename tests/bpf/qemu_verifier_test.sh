#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The XDP program on Debian's kernel 6.1: boots /boot/vmlinuz-6.1* under
# qemu-system-x86_64 (TCG) with a busybox initramfs holding a static build
# of tests/bpf/xdp_prog_test and the Hello corpus, runs every test there
# (the 6.1 verifier loads the program once per test) and turns the guest's
# TAP lines into "k61_<test>" results here. Skips (never passes) when qemu,
# a 6.1 kernel image or a static busybox are missing.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

BUILD=${BUILD:-build}
VMLINUZ=${VMLINUZ:-$(ls /boot/vmlinuz-6.1.* 2>/dev/null | sort -V | tail -n 1)}
BUSYBOX=${BUSYBOX:-/bin/busybox}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-400}
WORK=$BUILD/bpf-qemu
STATIC=$BUILD/tests/xdp_prog_test.static

why=
command -v "$QEMU" >/dev/null || why="no $QEMU"
[ -n "$why" ] || [ -r "$VMLINUZ" ] || why="no readable /boot/vmlinuz-6.1.*"
[ -n "$why" ] || { [ -x "$BUSYBOX" ] && ! readelf -l "$BUSYBOX" 2>/dev/null | grep -q INTERP; } ||
	why="no statically linked busybox at $BUSYBOX (busybox-static)"
command -v cpio >/dev/null || why="no cpio"
if [ -n "$why" ]; then
	tap_skip "k61_xdp_prog_test" "$why"
	tap_done
fi
if ! make --no-print-directory -s BUILD="$BUILD" "$STATIC" >"$WORK.log" 2>&1; then
	tap_fail "k61_static_build" "$(tail -n 20 "$WORK.log")"
	tap_done
fi

rm -rf "$WORK" && mkdir -p "$WORK/root/bin" "$WORK/root/proc" \
	"$WORK/root/sys" "$WORK/root/dev" "$WORK/root/tmp" \
	"$WORK/root$PWD/tests/corpus"
cp "$BUSYBOX" "$WORK/root/bin/busybox"
cp "$STATIC" "$WORK/root/bin/xdp_prog_test"
cp tests/bpf/guest_init.sh "$WORK/root/init"
# The test finds the corpus under the source path it was built with.
cp -r tests/corpus/hello "$WORK/root$PWD/tests/corpus/"
(cd "$WORK/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initramfs.gz"

start=$(date +%s%N)
timeout --kill-after=5 "$QEMU_TIMEOUT" "$QEMU" -accel tcg -m 768 -smp 1 \
	-nographic -no-reboot -nodefaults -serial stdio -net none \
	-kernel "$VMLINUZ" -initrd "$WORK/initramfs.gz" \
	-append "console=ttyS0 panic=-1 quiet" </dev/null >"$WORK/console.log" 2>&1
rc=$?
end=$(date +%s%N)
echo "# $(basename "$VMLINUZ"): qemu exit $rc after $(((end - start) / 1000000)) ms (log: $WORK/console.log)"

tr -d '\r' <"$WORK/console.log" >"$WORK/guest.tap"
n=0
while read -r verdict num name; do
	if [ "$verdict" = ok ]; then
		tap_ok "k61_$name"
	else
		tap_fail "k61_$name" "$(grep -B40 "not ok $num " "$WORK/guest.tap" | grep '^#' | tail -n 12)"
	fi
	n=$((n + 1))
done < <(sed -n 's/^\(ok\|not ok\) \([0-9]*\) \([^ ]*\).*/\1 \2 \3/p' "$WORK/guest.tap" | sed 's/^not ok/not_ok/')
if [ "$n" -gt 0 ] && grep -q '^# Totals: pass:[0-9]* fail:0 ' "$WORK/guest.tap" &&
	grep -q GUEST_DONE "$WORK/guest.tap"; then
	tap_ok "k61_guest_finished"
else
	tap_fail "k61_guest_finished" "guest ran $n tests (qemu exit $rc): $(tail -n 20 "$WORK/guest.tap")"
fi
tap_done
