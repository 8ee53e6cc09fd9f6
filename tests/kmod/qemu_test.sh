#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boots Debian's kernel under qemu-system-x86_64 (TCG) with a busybox
# initramfs holding amtsca.ko, the static test client and the Hello corpus;
# tests/kmod/guest_init.sh runs the tests inside and prints RESULT lines,
# turned into TAP here. Skips (never passes) when qemu, the kernel image,
# its headers or a static busybox are missing.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

BUILD=${BUILD:-build}
# The newest kernel that has both an image and headers (the host's own
# kernel under /boot may have no headers).
if [ -z "${KVER:-}" ]; then
	for v in $(ls /boot 2>/dev/null | sed -n 's/^vmlinuz-//p' | sort -rV); do
		if [ -d "/lib/modules/$v/build" ]; then KVER=$v; break; fi
	done
fi
KVER=${KVER:-}
VMLINUZ=/boot/vmlinuz-$KVER
BUSYBOX=${BUSYBOX:-/bin/busybox}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-300}
WORK=$BUILD/kmod-qemu

why=
command -v "$QEMU" >/dev/null || why="no $QEMU"
[ -n "$why" ] || [ -n "$KVER" ] || why="no /boot/vmlinuz-* with matching headers"
[ -n "$why" ] || [ -r "$VMLINUZ" ] || why="no readable $VMLINUZ"
[ -n "$why" ] || { [ -x "$BUSYBOX" ] && ! readelf -l "$BUSYBOX" 2>/dev/null | grep -q INTERP; } ||
	why="no statically linked busybox at $BUSYBOX (busybox-static)"
command -v cpio >/dev/null || why="no cpio"
if [ -n "$why" ]; then
	tap_skip "kmod_qemu" "$why"
	tap_done
fi

if ! make --no-print-directory -s BUILD="$BUILD" KVER="$KVER" kmod kmod-client >"$BUILD/kmod-build.log" 2>&1; then
	tap_fail "kmod_build" "$(tail -n 20 "$BUILD/kmod-build.log")"
	tap_done
fi
tap_ok "kmod_build"
if grep -q 'warning:' "$BUILD/kmod-build.log"; then
	tap_fail "kmod_build_no_warnings" "$(grep -m5 'warning:' "$BUILD/kmod-build.log")"
else
	tap_ok "kmod_build_no_warnings"
fi

rm -rf "$WORK" && mkdir -p "$WORK/root/bin" "$WORK/root/corpus" \
	"$WORK/root/proc" "$WORK/root/sys" "$WORK/root/dev" "$WORK/root/tmp" \
	"$WORK/root/etc"
cp "$BUSYBOX" "$WORK/root/bin/busybox"
cp "$BUILD/kmod/amtsca.ko" "$WORK/root/"
cp "$BUILD/tests/amtsca-kmodtest" "$WORK/root/bin/"
cp tests/kmod/guest_init.sh "$WORK/root/init"
cp tests/corpus/hello/*.bin tests/corpus/hello/expect.tsv "$WORK/root/corpus/"
# psk-valid.bin under another UUID (the corpus files share one).
{
	head -c 8 tests/corpus/hello/psk-valid.bin
	printf '\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017\020'
	tail -c +25 tests/corpus/hello/psk-valid.bin
} >"$WORK/root/corpus/other-uuid.bin"
(cd "$WORK/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initramfs.gz"

start=$(date +%s%N)
timeout --kill-after=5 "$QEMU_TIMEOUT" "$QEMU" -accel tcg -m 512 -smp 1 \
	-nographic -no-reboot -nodefaults -serial stdio -net none \
	-kernel "$VMLINUZ" -initrd "$WORK/initramfs.gz" \
	-append "console=ttyS0 panic=-1 quiet" </dev/null >"$WORK/console.log" 2>&1
rc=$?
end=$(date +%s%N)
echo "# qemu exit $rc after $(((end - start) / 1000000)) ms (log: $WORK/console.log)"

tr -d '\r' <"$WORK/console.log" | grep -o 'RESULT .*' |
	while read -r tag verdict name detail; do
		echo "$verdict $name $detail"
	done >"$WORK/results"

while read -r verdict name detail; do
	if [ "$verdict" = ok ]; then tap_ok "$name"; else tap_fail "$name" "$detail"; fi
done <"$WORK/results"

if grep -q GUEST_DONE "$WORK/console.log"; then
	tap_ok "guest_finished"
else
	tap_fail "guest_finished" "guest did not finish (qemu exit $rc): $(tail -n 20 "$WORK/console.log" | tr -d '\r')"
fi
tap_done
