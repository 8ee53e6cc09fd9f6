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
# s as "# " comment lines of at most 78 columns (the parser reads lines
# of up to 198 characters; short lines also read better).
function comment(s,    nw, w, i, line) {
	nw = split(s, w, / +/)
	line = "#"
	for (i = 1; i <= nw; i++) {
		if (length(line) > 1 && length(line) + 1 + length(w[i]) > 78) {
			print line
			line = "#"
		}
		line = line " " w[i]
	}
	print line
}
function roff(s) {
	gsub(/\\/, "\\e", s)
	gsub(/`/, "", s)
	sub(/^[.\047]/, "\\\\\\&&", s)
	return s
}
# A row may name several keys with their defaults: "a.x / y | 1 / 2"; a
# key without a section takes the one before it; (none), (empty): no value.
/^\| *[a-z_]+\.[a-z_0-9]+[a-z_0-9. \/]*\|/ {
	n = split($0, col, "|")
	if (n < 5)
		next
	meaning = trim(col[4])
	for (i = 5; i < n; i++)
		meaning = meaning "|" col[i]
	nk = split(trim(col[2]), keys, / *\/ */)
	nd = split(unquote(trim(col[3])), defs, / *\/ */)
	for (k = 1; k <= nk; k++) {
		key = keys[k]
		if (!index(key, "."))
			key = section "." key
		section = substr(key, 1, index(key, ".") - 1)
		def = nd == nk ? defs[k] : unquote(trim(col[3]))
		if (def == "(none)" || def == "(empty)")
			def = ""
		if (!(section in nkeys)) {
			order[++nsections] = section
			nkeys[section] = 0
		}
		j = ++nkeys[section]
		name[section, j] = substr(key, length(section) + 2)
		value[section, j] = def
		help[section, j] = meaning
	}
}
END {
	if (!nsections) {
		print "gen-conf.sh: no keys found" > "/dev/stderr"
		exit 1
	}
	if (mode == "conf") {
		print "# /etc/amtsca/amtsca.conf: amtsca daemon configuration."
		print "# Every key is listed at its default, commented out; uncomment"
		print "# to change. Any key can also be set on the command line with"
		print "# amtscad -o section.key=value. See amtsca.conf(5)."
	}
	for (s = 1; s <= nsections; s++) {
		sec = order[s]
		if (mode == "conf")
			printf "\n[%s]\n", sec
		for (j = 1; j <= nkeys[sec]; j++) {
			if (mode == "conf") {
				comment(unquote(help[sec, j]))
				printf "#%s =%s%s\n", name[sec, j], \
					value[sec, j] == "" ? "" : " ", value[sec, j]
			} else
				printf ".TP\n.B %s.%s\n%s (default: %s)\n", sec, \
					name[sec, j], roff(help[sec, j]), \
					value[sec, j] == "" ? "none" : roff(value[sec, j])
		}
	}
}' "$table"
