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
