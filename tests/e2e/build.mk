# SPDX-License-Identifier: GPL-2.0-only
# tests/e2e: fleets of simulated devices against amtscad.

$(BUILD)/tests/db_check: $(BUILD)/obj/tests/e2e/db_check.o $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

PROGS += $(BUILD)/tests/db_check

# 200-device psk/pki/mixed fleets and the two negative fleets (root).
TEST_PROGS += tests/e2e/fleets.sh
