# SPDX-License-Identifier: GPL-2.0-only
# userspace/amtscad: the provisioning daemon.

AMTSCAD_SRCS := $(sort $(wildcard userspace/amtscad/*.c))
AMTSCAD := $(BUILD)/bin/amtscad

$(AMTSCAD): $(AMTSCAD_SRCS:%.c=$(BUILD)/obj/%.o) $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

PROGS += $(AMTSCAD)

TEST_PROGS += tests/daemon/socket_backend.sh

# The TLS unit test links the daemon's session_tls.o.
$(BUILD)/tests/session_tls_test: $(BUILD)/obj/userspace/amtscad/session_tls.o
