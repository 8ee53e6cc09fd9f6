#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amtscactl doctor in a network namespace of its own (amtsca-ops-PID,
# 198.18.5.0/24 and fd00:5::/64 only), with a hosts file and resolv.conf
# bind-mounted for it: DNS names that resolve here, elsewhere, both or not
# at all; the Hello port with amtscad --backend socket listening and not;
# XDP attached natively, generically or not; certificate files good and
# broken in each way doctor knows; PID/PPS counts from a state database;
# the exit code. Root.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/daemon_test.sh

DOCTOR=${DOCTOR:-build/tests/amtscactl-doctor}
DAEMON=${AMTSCAD:-build/bin/amtscad}
NS=amtsca-ops-$$
tmp=$(mktemp -d)
daemon_pid=

cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$NS" &&
	ip -n "$NS" link add ops0 type veth peer ops1 &&
	ip -n "$NS" addr add 198.18.5.1/24 dev ops0 &&
	ip -n "$NS" addr add fd00:5::1/64 dev ops0 nodad &&
	ip -n "$NS" link set ops0 up && ip -n "$NS" link set ops1 up &&
	ip -n "$NS" link set lo up
tap_result "namespace up" $? || true

cat >"$tmp/hosts" <<HOSTS
127.0.0.1 localhost
198.18.5.1 provisionserver.good.test
fd00:5::1 provisionserver.good.test
198.18.5.99 provisionserver.elsewhere.test
198.18.5.1 provisionserver.mixed.test
198.18.5.77 provisionserver.mixed.test
198.18.5.10 provisionserver.mixed.test
HOSTS
# Names not in hosts go to a nameserver on our own address, which refuses.
printf 'nameserver 198.18.5.1\noptions timeout:1 attempts:1\n' >"$tmp/resolv.conf"

# doctor ARGS...: run it in the namespace; output in $out, status in $rc.
doctor() {
	out=$(timeout 60 ip netns exec "$NS" unshare -m sh -c \
		'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf &&
		 shift 2 && exec "$@"' sh "$tmp/hosts" "$tmp/resolv.conf" \
		"$DOCTOR" -c "$tmp/amtsca.conf" "$@" 2>&1)
	rc=$?
}

# amtscad --backend socket on every address of the namespace, its state in
# $tmp/daemon; bounded wait (5 s) for it to listen.
start_daemon() {
	mkdir -p "$tmp/daemon"
	daemon_test_opts "$tmp/daemon"
	# Emptied here, not by the child's redirection: the wait below must
	# not find a previous daemon's line before the child has run.
	: >"$tmp/daemon.log"
	ip netns exec "$NS" "$DAEMON" --backend socket --listen :: \
		"${DAEMON_OPTS[@]}" >>"$tmp/daemon.log" 2>&1 &
	daemon_pid=$!
	wait_log "$tmp/daemon.log" 'event=started'
}

# has LINE-REGEX: doctor's output has a matching line.
has() { grep -qE -- "$1" <<<"$out" || { echo "# no line matching: $1"; echo "$out" | sed 's/^/#   /'; return 1; }; }

printf '[daemon]\ndb_path = %s/state.db\n[doctor]\ndns_suffixes = good.test, elsewhere.test\n' \
	"$tmp" >"$tmp/amtsca.conf"

# --- DNS -------------------------------------------------------------------
doctor --suffix mixed.test --suffix .missing.test --certs-dir "$tmp/none"
has '^OK    config  .*/amtsca.conf loaded$' &&
	has '^OK    dns     provisionserver.good.test resolves to this host: (198.18.5.1 \(ops0\), fd00:5::1 \(ops0\)|fd00:5::1 \(ops0\), 198.18.5.1 \(ops0\))$' &&
	has '^FAIL  dns     provisionserver.elsewhere.test resolves to 198.18.5.99, not to an address of this host$' &&
	has '^WARN  dns     provisionserver.mixed.test resolves to this host: 198.18.5.1 \(ops0\), but also to (198.18.5.77, 198.18.5.10|198.18.5.10, 198.18.5.77)$' &&
	has '^FAIL  dns     provisionserver.missing.test does not resolve: ' &&
	has 'fix: add A/AAAA records .*DHCP option 15 \(DHCPv6 option 24\)' &&
	[ "$rc" -eq 1 ] && has '^doctor: [0-9]+ failed'
tap_result "dns: this host, elsewhere, both, unresolved; exit 1" $?

printf '[daemon]\nport = 99999\n' >"$tmp/bad.conf"
doctor -c "$tmp/bad.conf"
has "^FAIL  config  $tmp/bad.conf:2: '99999' is not a number in 1..65535$" && [ "$rc" -eq 1 ]
tap_result "config: a bad line is reported with FILE:LINE" $?

# --- Hello port ------------------------------------------------------------
doctor --suffix good.test -o daemon.backend=kmod --timeout-ms 500
has '^FAIL  port    198.18.5.1 port 9971: Connection refused$' &&
	has '^FAIL  port    fd00:5::1 port 9971: Connection refused$' &&
	has '^SKIP  xdp     backend is kmod, not xdp$'
tap_result "port: refused when nothing listens" $?

start_daemon
doctor --suffix good.test -o daemon.backend=kmod
has '^OK    port    198.18.5.1 port 9971 accepts connections$' &&
	has '^OK    port    fd00:5::1 port 9971 accepts connections$'
tap_result "port: amtscad --backend socket accepts on both addresses" $? \
	"daemon: $(tail -n 5 "$tmp/daemon.log")"
daemon_stop "$daemon_pid"
daemon_pid=

doctor
has '^SKIP  port    port 9971 is answered by XDP on the wire'
tap_result "port: not tested from this host with the xdp backend" $?

# --- XDP -------------------------------------------------------------------
cat >"$tmp/pass.bpf.c" <<'BPF'
struct xdp_md;
__attribute__((section("xdp"), used)) int xdp_pass_test(struct xdp_md *ctx)
{
	return 2; /* XDP_PASS */
}
char _license[] __attribute__((section("license"), used)) = "GPL";
BPF
clang -O2 -target bpf -c "$tmp/pass.bpf.c" -o "$tmp/pass.bpf.o" &&
	ip -n "$NS" link set dev ops0 xdpgeneric obj "$tmp/pass.bpf.o" sec xdp &&
	ip -n "$NS" link set dev ops1 xdpdrv obj "$tmp/pass.bpf.o" sec xdp
tap_result "test XDP programs attached (generic on ops0, native on ops1)" $?

doctor --interface ops0 --xdp-mode generic
has '^OK    xdp     ops0: XDP program \(xdp_pass_test, id [0-9]+\) attached in generic mode$'
tap_result "xdp: generic attachment found when generic is expected" $?
doctor --interface ops0 --interface ops1 --interface lo --interface nosuch0
has '^FAIL  xdp     ops0: XDP attached in generic mode, expected native$' &&
	has '^OK    xdp     ops1: XDP program \(xdp_pass_test, id [0-9]+\) attached in native mode$' &&
	has '^FAIL  xdp     lo: no XDP program attached$' &&
	has '^FAIL  xdp     nosuch0: no such interface$'
tap_result "xdp: wrong mode, native, none, missing interface" $?
doctor --interface ops0 --xdp-mode any
has '^OK    xdp     ops0: .* attached in generic mode$'
tap_result "xdp: --xdp-mode any" $?

# Without options, interfaces, mode, suffix (profile.domain) and the
# certificates directory come from the configuration.
printf '[xdp]\ninterfaces = ops0\nmode = generic\n[profile]\ndomain = good.test\ncerts_dir = %s/nocerts\n' \
	"$tmp" >"$tmp/fromconf.conf"
doctor -c "$tmp/fromconf.conf"
has '^OK    xdp     ops0: XDP program \(xdp_pass_test, id [0-9]+\) attached in generic mode$' &&
	has '^OK    dns     provisionserver.good.test resolves to this host' &&
	! has 'elsewhere' >/dev/null &&
	has "^WARN  certs   no certificates in $tmp/nocerts "
tap_result "defaults from amtsca.conf: xdp.interfaces, xdp.mode, profile.domain, profile.certs_dir" $?

# --- certificates ----------------------------------------------------------
c=$tmp/pki certs=$tmp/certs
mkdir -p "$c" "$certs"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$c/$1.key" 2>/dev/null; }
# sign NAME ISSUER SUBJECT EXTENSIONS [DAYS]
sign() {
	key "$1"
	openssl req -new -key "$c/$1.key" -subj "$3" -out "$c/$1.csr" 2>/dev/null &&
		printf '%b\n' "$4" >"$c/$1.ext" &&
		openssl x509 -req -in "$c/$1.csr" -CA "$c/$2.pem" -CAkey "$c/$2.key" \
			-CAcreateserial -days "${5:-365}" -extfile "$c/$1.ext" \
			-out "$c/$1.pem" 2>/dev/null
}
key root
openssl req -x509 -new -key "$c/root.key" -subj "/CN=Test Root" -days 3650 \
	-addext basicConstraints=critical,CA:true -addext keyUsage=keyCertSign,cRLSign \
	-out "$c/root.pem" 2>/dev/null
ca='basicConstraints=critical,CA:true\nkeyUsage=keyCertSign,cRLSign'
amt='extendedKeyUsage=serverAuth,2.16.840.1.113741.1.2.3'
sign inter root "/CN=Test Intermediate" "$ca" &&
	sign good inter "/CN=amt.good.test" "$amt" &&
	sign ou inter "/OU=Intel(R) Client Setup Certificate/CN=ou.good.test" \
		'extendedKeyUsage=serverAuth' &&
	sign plain inter "/CN=plain.good.test" 'extendedKeyUsage=serverAuth' &&
	sign noserver inter "/CN=noserver.good.test" \
		'extendedKeyUsage=2.16.840.1.113741.1.2.3' &&
	sign soon inter "/CN=soon.good.test" "$amt" 10 &&
	key other
tap_result "test PKI made with openssl" $?
# An expired leaf: signed with openssl ca, which takes explicit dates.
mkdir "$c/db" && : >"$c/db/index.txt" && echo 01 >"$c/db/serial"
cat >"$c/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $c/db/index.txt
new_certs_dir = $c/db
serial = $c/db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
CNF
key old
openssl req -new -key "$c/old.key" -subj "/CN=old.good.test" -out "$c/old.csr" 2>/dev/null
openssl ca -batch -config "$c/ca.cnf" -cert "$c/inter.pem" -keyfile "$c/inter.key" \
	-in "$c/old.csr" -out "$c/old.pem" -startdate 20200101000000Z \
	-enddate 20210101000000Z -extfile "$c/good.ext" -notext >/dev/null 2>&1

bundle() { # bundle FILE PARTS...: concatenate pki/PART files
	local f=$1
	shift
	for p; do cat "$c/$p"; done >"$certs/$f"
	chmod 600 "$certs/$f"
}
bundle a-good.pem good.pem inter.pem root.pem good.key
bundle b-ou.pem ou.pem inter.pem root.pem ou.key
bundle c-nokey.pem good.pem inter.pem root.pem
bundle d-wrongkey.pem good.pem inter.pem root.pem other.key
bundle e-incomplete.pem good.pem root.pem good.key
bundle f-noroot.pem good.pem inter.pem good.key
bundle g-plain.pem plain.pem inter.pem root.pem plain.key
bundle h-noserver.pem noserver.pem inter.pem root.pem noserver.key
bundle i-soon.pem soon.pem inter.pem root.pem soon.key
bundle j-expired.pem old.pem inter.pem root.pem old.key
bundle k-open.pem good.pem inter.pem root.pem good.key
chmod 644 "$certs/k-open.pem"
echo 'not a certificate' >"$certs/l-garbage.pem"
root_sha=$(openssl x509 -in "$c/root.pem" -outform DER | sha256sum | cut -d ' ' -f 1)

doctor --certs-dir "$certs" --suffix good.test --suffix other.test
has "^OK    certs   a-good.pem: amt.good.test, valid until [0-9-]+, chain of 3, AMT OID, root SHA-256 $root_sha\$" &&
	has '^OK    certs   b-ou.pem: ou.good.test, .*, chain of 3, AMT OU, root SHA-256 ' &&
	has '^FAIL  certs   c-nokey.pem: no private key$' &&
	has '^FAIL  certs   d-wrongkey.pem: the private key does not match the leaf amt.good.test$' &&
	has '^FAIL  certs   e-incomplete.pem: chain of 2 does not verify: unable to get local issuer certificate$' &&
	has '^FAIL  certs   f-noroot.pem: chain of 2 does not verify: the chain does not end in a self-signed root$' &&
	has '^FAIL  certs   g-plain.pem: leaf plain.good.test has neither the AMT provisioning OID nor OU$' &&
	has '^FAIL  certs   h-noserver.pem: leaf noserver.good.test lacks EKU serverAuth$' &&
	has '^WARN  certs   i-soon.pem: leaf soon.good.test expires in [0-9]+ days' &&
	has '^OK    certs   i-soon.pem: soon.good.test' &&
	has '^FAIL  certs   j-expired.pem: chain of 3 does not verify: certificate has expired$' &&
	has '^WARN  certs   k-open.pem: holds a private key but is mode 0644$' &&
	has '^FAIL  certs   l-garbage.pem: no certificate in it$' &&
	! has '^WARN  certs   no usable certificate.s CN is or ends in good.test$' >/dev/null &&
	has '^WARN  certs   no usable certificate.s CN is or ends in other.test$' &&
	has '^SKIP  certs   cannot check that devices trust these roots: .*--hello FILE'
tap_result "certs: good (OID, OU), no key, wrong key, incomplete, no root, no AMT mark, no serverAuth, expiring, expired, open mode, garbage, CN vs suffix" $?

# Captured Hellos: v3 with the root's SHA-256 among others, v3 without it,
# v2 (no hashes), garbage. hello HEXBYTES FILE writes the bytes.
hello() { printf '%s' "$1" | sed 's/../\\x&/g' | xargs -0 printf '%b' >"$2"; }
hdr3=000003000000000000112233445566778899aabbccddeeff
other_sha=$(printf 'x' | sha256sum | cut -d ' ' -f 1)
root_sha1=$(openssl x509 -in "$c/root.pem" -outform DER | sha1sum | cut -d ' ' -f 1)
hello "${hdr3}030220${other_sha}0114${root_sha1}0220${root_sha}" "$tmp/trusts.bin"
hello "${hdr3}010220${other_sha}" "$tmp/foreign.bin"
hello 000002000000000000112233445566778899aabbccddeeff4142434431323334 "$tmp/v2.bin"
hello 0102 "$tmp/garbage.bin"
doctor --certs-dir "$certs" --hello "$tmp/trusts.bin" --hello "$tmp/foreign.bin" \
	--hello "$tmp/v2.bin" --hello "$tmp/garbage.bin"
has "^OK    certs   $tmp/trusts.bin: the device trusts the root of a-good.pem \\(sha1 entry 2\\), b-ou.pem \\(sha1 entry 2\\), i-soon.pem \\(sha1 entry 2\\), k-open.pem \\(sha1 entry 2\\)\$" &&
	has "^FAIL  certs   $tmp/foreign.bin: none of 4 usable roots is among the device's 1 trusted hashes\$" &&
	has "^WARN  certs   $tmp/v2.bin: a version 2 Hello carries no root hashes\$" &&
	has "^FAIL  certs   $tmp/garbage.bin: not a valid Hello: truncated_header\$" &&
	! has '^SKIP  certs' >/dev/null
tap_result "certs: roots checked against captured Hellos (trusted, foreign, v2, garbage)" $?
# hello.type3_sha512: a type-3 entry is the root's SHA-512 (64 bytes).
root_sha512=$(openssl x509 -in "$c/root.pem" -outform DER | sha512sum | cut -d ' ' -f 1)
hello "${hdr3}010340${root_sha512}" "$tmp/sha512.bin"
doctor -o hello.type3_sha512=1 --certs-dir "$certs" --hello "$tmp/sha512.bin"
has "^OK    certs   $tmp/sha512.bin: the device trusts the root of a-good.pem \\(sha512 entry 1\\)," &&
	doctor --certs-dir "$certs" --hello "$tmp/sha512.bin" &&
	has "^FAIL  certs   $tmp/sha512.bin: not a valid Hello: bad_hash_size\$"
tap_result "certs: hash type 3 read as SHA-512 with hello.type3_sha512" $?

# --- PID/PPS pairs and the exit code ---------------------------------------
doctor
has "^WARN  psk     no state database at $tmp/state.db yet$"
tap_result "psk: no database yet" $?
schema="CREATE TABLE psk_pairs (pid TEXT PRIMARY KEY, pps_enc BLOB NOT NULL,
 state TEXT NOT NULL, assigned_uuid TEXT UNIQUE);"
pairs() { # pairs AVAILABLE ASSIGNED CONSUMED
	local i sql="DELETE FROM psk_pairs;"
	for i in $(seq "$1"); do sql+="INSERT INTO psk_pairs VALUES ('A$i', x'00', 'available', NULL);"; done
	for i in $(seq "$2"); do sql+="INSERT INTO psk_pairs VALUES ('B$i', x'00', 'assigned', 'u$i');"; done
	for i in $(seq "$3"); do sql+="INSERT INTO psk_pairs VALUES ('C$i', x'00', 'consumed', NULL);"; done
	sqlite3 "$tmp/state.db" "$sql"
}
sqlite3 "$tmp/state.db" "$schema" && pairs 0 2 5
doctor
has '^FAIL  psk     no PID/PPS pairs left \(2 assigned, 5 used\): PSK devices cannot be provisioned$'
tap_result "psk: none left is a failure" $?
pairs 3 1 0
doctor
has '^WARN  psk     3 PID/PPS pairs left \(1 assigned, 0 used\)$'
tap_result "psk: few left is a warning" $?
pairs 12 0 0
bundle a-good.pem good.pem inter.pem root.pem good.key
rm -f "$certs"/[b-l]-*.pem
printf '[daemon]\nbackend = kmod\ndb_path = %s/state.db\n[doctor]\ndns_suffixes = good.test\n' \
	"$tmp" >"$tmp/amtsca.conf"
start_daemon
doctor --certs-dir "$certs"
has '^OK    psk     12 PID/PPS pairs left \(0 assigned, 0 used\)$' &&
	has '^doctor: 0 failed, 0 warnings$' && [ "$rc" -eq 0 ]
tap_result "healthy setup: every check OK or SKIP, exit 0" $? \
	"rc=$rc; daemon: $(tail -n 5 "$tmp/daemon.log")"

doctor --xdp-mode bogus
[ "$rc" -eq 64 ] && has 'native, generic or any'
tap_result "bad option: usage, exit 64" $?

tap_done
