#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# plot_operational.sh OUT.png TITLE SERIES.tsv [SERIES.tsv ...]: devices
# Operational over time, one line per series. Each TSV holds
# "seconds operational" rows; its file name (without .tsv) labels the line.
set -euo pipefail

png=$1 title=$2
shift 2
plots=()
for f in "$@"; do
	plots+=("'$f' using 1:2 with lines linewidth 2 title '$(basename "$f" .tsv)'")
done
gnuplot <<GP
set terminal pngcairo size 900,500
set output '$png'
set title '$title'
set xlabel 'seconds since the fleet started'
set ylabel 'devices Operational'
set key left top
set grid
plot $(IFS=,; echo "${plots[*]}")
GP
