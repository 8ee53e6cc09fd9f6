#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the Debian packages once (dpkg-buildpackage -us -uc -b on a copy of
# the tree, so nothing lands beside the worktree), check their metadata
# and contents, then install, inspect and purge amtsca in a throwaway root:
# an overlay of / on a tmpfs inside a private mount namespace, so the
# host's files and dpkg database are never written. Root.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(head -n 1 debian/changelog | cut -d ' ' -f 2 | tr -d '()')
deb=$tmp/amtsca_${version}_amd64.deb dkms=$tmp/amtsca-dkms_${version}_all.deb

mkdir "$tmp/src"
git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$tmp/src"
(cd "$tmp/src" && timeout 900 dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 &&
	[ -f "$deb" ] && [ -f "$dkms" ]
tap_result "dpkg-buildpackage -us -uc -b" $? "$(tail -n 30 "$tmp/build.log")"

field() { dpkg-deb -f "$1" "$2" 2>/dev/null; }
[ "$(field "$deb" Package)" = amtsca ] &&
	[ "$(field "$deb" Version)" = "$version" ] &&
	[ "$(field "$deb" Architecture)" = amd64 ] &&
	field "$deb" Depends | grep -q 'adduser' &&
	field "$deb" Depends | grep -q 'libc6' &&
	[ "$(field "$dkms" Architecture)" = all ] &&
	field "$dkms" Depends | grep -q 'dkms'
tap_result "package metadata (dpkg-deb -I)" $? "$(dpkg-deb -I "$deb" 2>&1)"

bad=0
dpkg-deb -c "$deb" >"$tmp/contents" 2>&1
for want in '-rwxr-xr-x ./usr/sbin/amtscad' '-rwxr-xr-x ./usr/sbin/amtscactl' \
	'-rw-r--r-- ./usr/lib/amtsca/amtsca.bpf.o' \
	'-rw-r--r-- ./etc/amtsca/amtsca.conf' \
	'-rw-r--r-- ./lib/systemd/system/amtscad.service' \
	'-rw-r--r-- ./usr/share/man/man8/amtscad.8.gz' \
	'-rw-r--r-- ./usr/share/man/man8/amtscactl.8.gz' \
	'-rw-r--r-- ./usr/share/man/man5/amtsca.conf.5.gz' \
	'-rw-r--r-- ./usr/share/man/man1/amtsim.1.gz'; do
	awk '{print $1, $6}' "$tmp/contents" | grep -qxF -- "$want" ||
		{ echo "# amtsca lacks $want"; bad=1; }
done
[ ! -e build/bin/amtsim ] || grep -q ' ./usr/bin/amtsim$' "$tmp/contents" || bad=1
dpkg-deb -c "$dkms" >"$tmp/contents-dkms" 2>&1
grep -q " ./usr/src/amtsca-$version/dkms.conf$" "$tmp/contents-dkms" || bad=1
grep -q " ./usr/src/amtsca-$version/kmod/amtsca_main.c$" "$tmp/contents-dkms" || bad=1
tap_result "package contents (dpkg-deb -c)" $bad

dpkg-deb -e "$deb" "$tmp/control" 2>/dev/null
grep -qx /etc/amtsca/amtsca.conf "$tmp/control/conffiles" &&
	grep -q 'deb-systemd-helper enable .amtscad.service' "$tmp/control/postinst"
tap_result "amtsca.conf is a conffile; the unit is enabled on install" $?

# Install, inspect and purge inside the throwaway root. Each check prints
# "RESULT name 0|1" for the outer test to report.
cat >"$tmp/inroot.sh" <<'INNER'
set -u
tmp=$1 deb=$2
r=$tmp/ov/merged
mount -t tmpfs tmpfs "$tmp/ov" &&
	mkdir "$tmp/ov/upper" "$tmp/ov/work" "$r" &&
	mount -t overlay overlay \
		-o "lowerdir=/,upperdir=$tmp/ov/upper,workdir=$tmp/ov/work" "$r" &&
	mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" &&
	mount -t tmpfs tmpfs "$r/run" && mount -t tmpfs tmpfs "$r/tmp" || exit 1
cp "$deb" "$r/tmp/amtsca.deb"
result() { echo "RESULT $1 $2"; }
in_root() { chroot "$r" "$@"; }
in_root dpkg -i /tmp/amtsca.deb >"$tmp/dpkg-i.log" 2>&1
result dpkg_install $?
[ -x "$r/usr/sbin/amtscad" ] || exit 1
[ "$(in_root dpkg-query -W -f '${Status}' amtsca)" = "install ok installed" ]
result status_installed $?
in_root getent passwd amtsca | grep -q ':/var/lib/amtsca:/usr/sbin/nologin$' &&
	in_root getent group amtsca >/dev/null
result system_user $?
[ "$(stat -c '%a %s %U' "$r/etc/amtsca/secret.key" 2>/dev/null)" = "600 32 root" ]
result secret_key $?
[ "$(in_root stat -c '%a %U %G' /var/lib/amtsca 2>/dev/null)" = "700 amtsca amtsca" ] &&
	[ "$(in_root stat -c '%a %U' /etc/amtsca/certs 2>/dev/null)" = "700 root" ]
result state_and_certs_dirs $?
sum=$(md5sum <"$r/etc/amtsca/secret.key")
in_root dpkg -i /tmp/amtsca.deb >>"$tmp/dpkg-i.log" 2>&1 &&
	[ "$(md5sum <"$r/etc/amtsca/secret.key")" = "$sum" ]
result reinstall_keeps_key $?
[ -L "$r/etc/systemd/system/multi-user.target.wants/amtscad.service" ]
result unit_enabled $?
in_root /usr/sbin/amtscad --help >/dev/null 2>&1 &&
	in_root /usr/sbin/amtscactl hello decode \
		01000200000000004b529b93d413181de4871c697a6b7a2b4142434431323334 \
		>/dev/null 2>&1
result programs_run $?
# The installed daemon as the unit starts it (its config, key, user and
# state directory from the package), xdp backend on a veth in a network
# namespace of its own, bpffs mounted privately: it must attach, pin its
# maps under /sys/fs/bpf/amtsca, create its database 0600 in the state
# directory and run as amtsca.
mount -t bpf bpf "$r/sys/fs/bpf" 2>/dev/null ||
	{ mount -t sysfs sysfs "$r/sys" && mount -t bpf bpf "$r/sys/fs/bpf"; }
timeout 20 unshare -n chroot "$r" sh -c '
	ip link set lo up && ip link add opsd0 type veth peer opsd1 &&
	ip link set opsd0 up && ip link set opsd1 up &&
	ip addr add 198.18.7.1/24 dev opsd0 || exit 1
	/usr/sbin/amtscad -c /etc/amtsca/amtsca.conf -o xdp.interfaces=opsd0 \
		>/tmp/amtscad.log 2>&1 &
	pid=$!
	for i in $(seq 100); do
		grep -q "event=started" /tmp/amtscad.log && break
		sleep 0.1
	done
	ls /sys/fs/bpf/amtsca >/tmp/pins
	ip -details link show dev opsd0 >/tmp/link
	stat -c "%U %a" /var/lib/amtsca/state.db >/tmp/db
	ps -o user= -p $pid >/tmp/user
	kill $pid; wait $pid
	echo "exit $?" >>/tmp/amtscad.log' >"$tmp/service.out" 2>&1
cat "$r/tmp/amtscad.log" "$r/tmp/pins" "$r/tmp/link" "$r/tmp/db" "$r/tmp/user" \
	>>"$tmp/service.out" 2>&1
grep -q 'event=started backend=xdp' "$r/tmp/amtscad.log"
result service_started $?
grep -qx amtsca_counters "$r/tmp/pins" && grep -qx amtsca_devices "$r/tmp/pins"
result maps_pinned $?
grep -q 'prog/xdp' "$r/tmp/link" && grep -qx amtsca "$r/tmp/user" &&
	grep -qx '[a-z]* 600' "$r/tmp/db"
result attached_dropped_db_created $?
in_root dpkg --purge amtsca >"$tmp/dpkg-purge.log" 2>&1 &&
	[ ! -e "$r/usr/sbin/amtscad" ] && [ ! -e "$r/etc/amtsca" ] &&
	[ ! -e "$r/var/lib/amtsca" ] &&
	[ ! -e "$r/etc/systemd/system/multi-user.target.wants/amtscad.service" ] &&
	! in_root dpkg-query -W amtsca >/dev/null 2>&1
result purge_removes_everything $?
INNER
mkdir "$tmp/ov"
timeout 300 unshare -m --propagation private bash "$tmp/inroot.sh" "$tmp" "$deb" \
	>"$tmp/inroot.out" 2>&1
failed=0
for check in dpkg_install status_installed system_user secret_key \
	state_and_certs_dirs reinstall_keeps_key unit_enabled programs_run \
	service_started maps_pinned attached_dropped_db_created \
	purge_removes_everything; do
	grep -qx "RESULT $check 0" "$tmp/inroot.out" || failed=1
	grep -qx "RESULT $check 0" "$tmp/inroot.out"
	tap_result "throwaway root: $check" $?
done
[ $failed -eq 0 ] || cat "$tmp/inroot.out" "$tmp/service.out" "$tmp/dpkg-i.log" \
	"$tmp/dpkg-purge.log" 2>/dev/null | tail -n 30 | sed 's/^/# /'
# The host never saw the package.
! dpkg-query -W amtsca >/dev/null 2>&1 && [ ! -e /etc/amtsca/secret.key ]
tap_result "host dpkg database and /etc untouched" $?

tap_done
