#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install everything amtsca builds, tests and benchmarks with, from Debian 12
# packages only. Run as root. docs/dependencies.md says why each is here.
set -euo pipefail

packages=(
	make gcc clang llvm libclang-rt-14-dev pkg-config   # toolchain, libFuzzer/ASan runtimes
	libbpf-dev bpftool libxdp-dev libelf-dev zlib1g-dev # BPF object, skeleton, attach
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev      # kmod netlink, link tracking
	libssl-dev openssl                                  # TLS sessions, test peers
	libsqlite3-dev libxml2-dev                          # durable state, WS-Man XML
	linux-source-6.1 xz-utils                           # kselftest_harness.h
	linux-headers-amd64 linux-image-amd64               # kmod build, QEMU guest kernel
	qemu-system-x86 busybox-static cpio                 # kmod tests under QEMU
	iproute2 ethtool procps psmisc                      # namespace tests
	gnuplot-nox                                         # benchmark plot
	libinih-dev                                         # amtsca.conf INI parser (config.c)
	libcap-dev libseccomp-dev                           # privilege drop, seccomp (privdrop.c, sandbox.c)
	dpkg-dev debhelper dh-dkms adduser                  # Debian package build, postinst (packaging)
	man-db groff-base                                   # man page rendering check (tests/ops)
	sqlite3                                             # state database fixtures in tests/ops/doctor.sh
	libcsv-dev libjson-c-dev                            # amtscactl: credentials CSV, control JSON
	jq xxd                                              # tests/xdp: bpftool JSON, Hello UUIDs
)

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root (apt-get install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
