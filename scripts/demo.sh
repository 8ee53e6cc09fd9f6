#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: amtscad provisions a simulated fleet of 50 PSK and 50 PKI
# devices (amtsim, mixed mode) in network namespaces, printing the
# database's progress every 2 s and, last, "provisioned K/N". Root.
set -euo pipefail
cd "$(dirname "$0")/.."
exec tests/e2e/fleet.sh --devices 100 --mode mixed --progress
