#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make install` into a temporary DESTDIR: the tree, file modes, the unit
# (systemd-analyze verify, hardening), the generated amtsca.conf (every
# key of docs/config.md, commented), man pages rendering without warnings,
# the DKMS source tree building amtsca.ko, and a reinstall keeping an
# edited configuration. Writes nothing outside its temporary directory.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
version=$(head -n 1 debian/changelog | cut -d ' ' -f 2 | tr -d '()')
version=${version%-*}

make --no-print-directory -s install DESTDIR="$root" PREFIX=/usr \
	>"$tmp/make.log" 2>&1
tap_result "make install DESTDIR PREFIX=/usr" $? "$(tail -n 20 "$tmp/make.log")"

# check_mode PATH MODE: exists as a regular file with exactly MODE.
check_mode() {
	local got
	got=$(stat -c %a "$root$1" 2>/dev/null)
	[ -f "$root$1" ] && [ "$got" = "$2" ] ||
		{ echo "# $1: mode ${got:-missing}, want $2"; return 1; }
}

bad=0
for p in /usr/sbin/amtscad /usr/sbin/amtscactl; do
	check_mode $p 755 || bad=1
done
[ ! -e build/bin/amtsim ] || check_mode /usr/bin/amtsim 755 || bad=1
for f in /usr/lib/amtsca/amtsca.bpf.o /etc/amtsca/amtsca.conf \
	/usr/lib/systemd/system/amtscad.service \
	/usr/share/man/man8/amtscad.8 /usr/share/man/man8/amtscactl.8 \
	/usr/share/man/man1/amtsim.1 /usr/share/man/man5/amtsca.conf.5 \
	/usr/src/amtsca-$version/dkms.conf /usr/share/doc/amtsca/README.md; do
	check_mode "$f" 644 || bad=1
done
tap_result "installed files and modes" $bad

readelf -h "$root/usr/lib/amtsca/amtsca.bpf.o" 2>/dev/null |
	grep -q 'Machine:.*Linux BPF'
tap_result "amtsca.bpf.o is a BPF ELF object" $?

bad=0
for f in kmod/*.c kmod/*.h kmod/Kbuild include/amtsca/*.h; do
	cmp -s "$f" "$root/usr/src/amtsca-$version/$f" || { echo "# $f differs"; bad=1; }
done
grep -qx "PACKAGE_VERSION=\"$version\"" "$root/usr/src/amtsca-$version/dkms.conf" || bad=1
tap_result "module source and dkms.conf ($version)" $bad

# Every key of docs/config.md, commented out under its section.
bad=0
conf=$root/etc/amtsca/amtsca.conf
while read -r key; do
	section=${key%%.*} name=${key#*.}
	awk -v s="[$section]" -v k="#$name =" '
		/^\[/ { in_s = ($0 == s) }
		in_s && index($0, k) == 1 { found = 1 }
		END { exit !found }' "$conf" || { echo "# $key missing"; bad=1; }
done < <(sed -n 's/^| *\([a-z_]*\.[a-z_0-9]*\) *|.*/\1/p' docs/config.md)
grep -qv '^\(#.*\|\[[a-z]*\]\|\)$' "$conf" && { echo "# uncommented line"; bad=1; }
tap_result "amtsca.conf lists every key of docs/config.md, commented" $bad

# Man pages: no groff warnings, and the names they document are there.
bad=0
for page in "$root"/usr/share/man/man*/*; do
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$warn" ] || { echo "# $page: $warn"; bad=1; }
done
LC_ALL=C.UTF-8 man -l "$root/usr/share/man/man5/amtsca.conf.5" 2>/dev/null |
	grep -q 'metrics.listen' || { echo "# amtsca.conf(5) lacks metrics.listen"; bad=1; }
tap_result "man pages render without warnings" $bad

unit=$root/usr/lib/systemd/system/amtscad.service
bad=0
for line in 'ExecStart=/usr/sbin/amtscad -c /etc/amtsca/amtsca.conf' \
	'Restart=on-failure' 'RuntimeDirectory=amtsca' 'StateDirectory=amtsca' \
	'RequiresMountsFor=/sys/fs/bpf' 'ProtectSystem=strict' \
	'ProtectHome=yes' 'PrivateTmp=yes' 'NoNewPrivileges=yes' \
	'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK'; do
	grep -qxF "$line" "$unit" || { echo "# unit lacks $line"; bad=1; }
done
grep -q '^CapabilityBoundingSet=.*CAP_BPF.*CAP_NET_ADMIN' "$unit" || bad=1
grep -q '^SystemCallFilter=@system-service bpf' "$unit" || bad=1
tap_result "unit: paths, restart, directories, hardening" $bad

if command -v systemd-analyze >/dev/null; then
	# verify wants ExecStart to exist: point it into DESTDIR.
	sed "s|=/usr/sbin/|=$root/usr/sbin/|" "$unit" >"$tmp/amtscad.service"
	out=$(cd "$tmp" && MANPATH=$root/usr/share/man \
		systemd-analyze verify "$tmp/amtscad.service" 2>&1)
	tap_result "systemd-analyze verify" $? "$out"
else
	tap_skip "systemd-analyze verify" "systemd-analyze not installed"
fi

# A reinstall leaves an edited configuration alone; other prefixes follow.
echo '# edited' >>"$conf"
make --no-print-directory -s install DESTDIR="$root" PREFIX=/usr >/dev/null 2>&1 &&
	grep -qx '# edited' "$conf"
tap_result "reinstall keeps the operator's amtsca.conf" $?
make --no-print-directory -s install DESTDIR="$tmp/local" PREFIX=/usr/local \
	>/dev/null 2>&1 &&
	grep -qx 'ExecStart=/usr/local/sbin/amtscad -c /etc/amtsca/amtsca.conf' \
		"$tmp/local/usr/local/lib/systemd/system/amtscad.service" &&
	[ -x "$tmp/local/usr/local/sbin/amtscad" ]
tap_result "PREFIX=/usr/local: unit points at /usr/local/sbin" $?

# The installed module source builds as DKMS would build it.
kdir=$(ls -d /lib/modules/*/build 2>/dev/null | head -n 1)
if [ -n "$kdir" ] && [ -d "$kdir" ]; then
	cp -r "$root/usr/src/amtsca-$version" "$tmp/dkms"
	timeout 600 make -C "$kdir" M="$tmp/dkms/kmod" CONFIG_AMTSCA=m modules \
		>"$tmp/kbuild.log" 2>&1 && [ -f "$tmp/dkms/kmod/amtsca.ko" ]
	tap_result "DKMS source tree builds amtsca.ko" $? "$(tail -n 20 "$tmp/kbuild.log")"
else
	tap_fail "DKMS source tree builds amtsca.ko" "no kernel headers: apt-get install linux-headers-amd64"
fi

tap_done
