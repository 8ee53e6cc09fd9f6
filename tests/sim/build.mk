# SPDX-License-Identifier: GPL-2.0-only
# tests/sim: amtsim tests (root, network namespaces).

TEST_PROGS += $(sort $(wildcard tests/sim/*.sh))

FUZZ_SRCS_sca_locate := userspace/lib/sca_locate.c
FUZZ_LDLIBS_sca_locate := -linih

# Test helpers the tests/sim scripts run.
SIM_TEST_BINS := $(BUILD)/tests/hello_sink

$(BUILD)/tests/hello_sink: tests/sim/hello_sink.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS_USER) $< -o $@

check: $(SIM_TEST_BINS)
