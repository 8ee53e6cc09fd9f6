# SPDX-License-Identifier: GPL-2.0-only
# tests/sim: amtsim tests (root, network namespaces).

TEST_PROGS += $(sort $(wildcard tests/sim/*.sh))

FUZZ_SRCS_sca_locate := userspace/lib/sca_locate.c
FUZZ_LDLIBS_sca_locate := -linih
