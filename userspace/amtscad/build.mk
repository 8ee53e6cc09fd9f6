# SPDX-License-Identifier: GPL-2.0-only
# userspace/amtscad: the provisioning daemon.

$(eval $(call user_program,amtscad))

TEST_PROGS += tests/daemon/socket_backend.sh tests/daemon/tls_peers.sh \
	tests/daemon/metrics.sh \
	tests/daemon/shutdown_resume.sh tests/daemon/reload.sh \
	tests/daemon/asan.sh

# The TLS unit test links the daemon's session_tls.o.
$(BUILD)/tests/session_tls_test: $(BUILD)/obj/userspace/amtscad/session_tls.o

# Unit test of the session pieces that need no network.
$(BUILD)/tests/session_pieces_test: \
	$(BUILD)/obj/userspace/amtscad/session_secrets.o \
	$(BUILD)/obj/userspace/amtscad/session_certs.o \
	$(BUILD)/obj/userspace/amtscad/session_tls.o \
	$(BUILD)/obj/userspace/amtscad/log.o

# Fuzz: the session's handling of device responses (session_steps.c).
FUZZ_SRCS_session_steps := userspace/amtscad/session_steps.c \
	userspace/amtscad/session_secrets.c userspace/amtscad/log.c \
	userspace/lib/wsman.c userspace/lib/wsman_parse.c userspace/lib/store.c \
	userspace/lib/secretbox.c userspace/lib/config.c
FUZZ_LDLIBS_session_steps := $(shell $(PKG_CONFIG) --libs libxml-2.0) \
	-lsqlite3 -lcrypto -linih

# Unit test of the intake's active-device set.
$(BUILD)/tests/uuid_set_test: $(BUILD)/obj/userspace/amtscad/uuid_set.o
