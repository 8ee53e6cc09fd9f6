# SPDX-License-Identifier: GPL-2.0-only
# userspace/: libamtsca (shared by every program and test) and the programs.

LIBAMTSCA_SRCS := $(sort $(wildcard userspace/lib/*.c))
LIBAMTSCA := $(BUILD)/libamtsca.a

$(LIBAMTSCA): $(LIBAMTSCA_SRCS:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

AMTSCACTL_SRCS := $(sort $(wildcard userspace/amtscactl/*.c))
AMTSCACTL := $(BUILD)/bin/amtscactl

$(AMTSCACTL): $(AMTSCACTL_SRCS:%.c=$(BUILD)/obj/%.o) $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

PROGS += $(AMTSCACTL)
