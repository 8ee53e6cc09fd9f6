# SPDX-License-Identifier: GPL-2.0-only
# tests/ops/: `amtscactl doctor` run as a program of its own in a network
# namespace (doctor.sh); install.sh and deb.sh are registered by
# packaging/build.mk.

DOCTOR_TEST_BIN := $(BUILD)/tests/amtscactl-doctor
DOCTOR_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,\
	$(sort $(wildcard userspace/amtscactl/doctor*.c)))

$(BUILD)/obj/tests/ops/doctor_main.o: CPPFLAGS_USER += -Iuserspace/amtscactl

$(DOCTOR_TEST_BIN): $(BUILD)/obj/tests/ops/doctor_main.o $(DOCTOR_OBJS) $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

check: $(DOCTOR_TEST_BIN)
TEST_PROGS += tests/ops/doctor.sh
