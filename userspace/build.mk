# SPDX-License-Identifier: GPL-2.0-only
# userspace/: libamtsca (shared by every program and test) and the programs.

LIBAMTSCA_SRCS := $(sort $(wildcard userspace/lib/*.c))
LIBAMTSCA := $(BUILD)/libamtsca.a

$(LIBAMTSCA): $(LIBAMTSCA_SRCS:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# $(eval $(call user_program,NAME)): link userspace/NAME/*.c with
# libamtsca into $(BUILD)/bin/NAME and add it to PROGS.
define user_program
$(BUILD)/bin/$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard userspace/$(1)/*.c))) $(LIBAMTSCA)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS_USER) $$^ -o $$@ $$(LDLIBS_USER)

PROGS += $(BUILD)/bin/$(1)
endef

$(eval $(call user_program,amtscactl))
