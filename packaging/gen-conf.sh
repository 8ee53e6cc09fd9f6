#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# gen-conf.sh conf|man DOCS/CONFIG.MD: the key table of docs/config.md
# ("| section.key | default | meaning |") as the default amtsca.conf, every
# key commented out at its default, or as roff .TP entries for
# amtsca.conf(5). One table feeds both, so neither can miss a key.
set -euo pipefail

mode=$1 table=$2
case $mode in conf | man) ;; *)
	echo "usage: gen-conf.sh conf|man docs/config.md" >&2
	exit 64
	;;
esac

awk -v mode="$mode" '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
function unquote(s) { gsub(/`/, "", s); return s }
function roff(s) {
	gsub(/\\/, "\\e", s)
	gsub(/`/, "", s)
	sub(/^[.\047]/, "\\\\\\&&", s)
	return s
}
BEGIN {
	if (mode == "conf") {
		print "# /etc/amtsca/amtsca.conf: amtsca daemon configuration."
		print "# Every key is listed at its default, commented out; uncomment"
		print "# to change. Any key can also be set on the command line with"
		print "# amtscad -o section.key=value. See amtsca.conf(5)."
	}
}
/^\| *[a-z_]+\.[a-z_0-9]+ *\|/ {
	n = split($0, col, "|")
	if (n < 5)
		next
	key = trim(col[2]); def = unquote(trim(col[3])); meaning = trim(col[4])
	for (i = 5; i < n; i++)
		meaning = meaning "|" col[i]
	dot = index(key, ".")
	section = substr(key, 1, dot - 1); name = substr(key, dot + 1)
	if (mode == "conf") {
		if (section != cur) {
			printf "\n[%s]\n", section
			cur = section
		}
		printf "# %s\n#%s =%s%s\n", unquote(meaning), name, \
			def == "" ? "" : " ", def
	} else {
		printf ".TP\n.B %s\n%s (default: %s)\n", key, roff(meaning), \
			def == "" ? "none" : roff(def)
	}
	count++
}
END {
	if (!count) {
		print "gen-conf.sh: no keys found" > "/dev/stderr"
		exit 1
	}
}' "$table"
