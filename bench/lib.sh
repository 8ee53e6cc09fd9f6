# SPDX-License-Identifier: GPL-2.0-only
# Shared by the bench scripts: record figures in build/bench/results.txt
# (one "name key value" a line) and regenerate results.json beside it.

# bench_record DIR NAME KEY VALUE: print the figure and replace any earlier
# line with the same NAME and KEY.
bench_record() {
	local dir=$1 name=$2 key=$3 value=$4 file=$1/results.txt

	mkdir -p "$dir"
	touch "$file"
	awk -v n="$name" -v k="$key" '!($1 == n && $2 == k)' "$file" \
		>"$file.tmp" && mv "$file.tmp" "$file"
	echo "$name $key $value" | tee -a "$file"
	bench_json "$dir"
}

# bench_json DIR: results.json = {"name": {"key": value, ...}, ...}
bench_json() {
	python3 - "$1/results.txt" "$1/results.json" <<'PY'
import json, sys
out = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) != 3:
        continue
    try:
        v = float(f[2])
        v = int(v) if v.is_integer() else v
    except ValueError:
        v = f[2]
    out.setdefault(f[0], {})[f[1]] = v
json.dump(out, open(sys.argv[2], "w"), indent=1, sort_keys=True)
PY
}

# tls_ceiling_certs DIR: what tls_ceiling's pki mode needs, in DIR: the
# provisioning chain of tests/lib/mkcerts.sh (chain.pem, leaf.key,
# root.pem; domain amt.test) and a device's self-signed RSA-2048
# certificate (device.pem, device.key).
tls_ceiling_certs() {
	"$(dirname "${BASH_SOURCE[0]}")/../tests/lib/mkcerts.sh" "$1" \
		amt.test >/dev/null 2>&1 &&
		openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
			-subj /CN=device -keyout "$1/device.key" \
			-out "$1/device.pem" 2>/dev/null
}

# tls_ceiling_run NS BIN MODE SECONDS DIR [OPTION...]: the tool BIN in
# namespace NS for MODE (psk or pki; DIR from tls_ceiling_certs), two
# server and two client processes (both cores busy, as in a fleet run).
tls_ceiling_run() {
	local args=("$3" "$4" 2 2)

	[ "$3" = pki ] && args+=("$5/device.pem" "$5/device.key"
		"$5/chain.pem" "$5/leaf.key" "$5/root.pem")
	ip netns exec "$1" "$2" "${@:6}" "${args[@]}"
}
