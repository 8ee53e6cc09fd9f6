#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the QEMU guest (tests/bpf/qemu_verifier_test.sh packs it): runs
# the BPF_PROG_TEST_RUN tests of the XDP program on this kernel, prints
# their TAP output and GUEST_DONE, and powers off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# /tmp is the initramfs's own (writable): a tmpfs over it would hide a
# source tree checked out under /tmp, whose corpus the tests read.
ip link set lo up
echo 1 >/proc/sys/kernel/printk
echo "# kernel $(uname -r)"
/bin/xdp_prog_test 2>&1
echo GUEST_DONE
poweroff -f
