# SPDX-License-Identifier: GPL-2.0-only
# tests/sim: amtsim tests (root, network namespaces).

TEST_PROGS += $(sort $(wildcard tests/sim/*.sh))
