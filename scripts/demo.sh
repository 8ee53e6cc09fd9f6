#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job: decode the captured PKI Hello shipped with the test corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
build/bin/amtscactl hello decode --file tests/corpus/hello/meshcentral-841.bin
