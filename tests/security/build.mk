# SPDX-License-Identifier: GPL-2.0-only
# tests/security/: least privilege, secrets hygiene and hostile peers
# (docs/security.md). Root; they run against the plain build's programs.

TEST_PROGS += tests/security/daemon_confined.sh

# The hostile TLS device, the probe that plays the session against it, and
# the secrets workload.
SECURITY_TOOLS := $(BUILD)/tests/security/hostile_device \
		  $(BUILD)/tests/security/hostile_probe \
		  $(BUILD)/tests/security/secret_workload

$(BUILD)/obj/tests/security/%.o: tests/security/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Itests/lib $(CFLAGS_USER) -c $< -o $@

$(BUILD)/tests/security/%: $(BUILD)/obj/tests/security/%.o \
			   $(BUILD)/libamtsca-test.a $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

# The probe uses the daemon's own TLS client context.
$(BUILD)/tests/security/hostile_probe: $(BUILD)/obj/userspace/amtscad/session_tls.o

TEST_PROGS += tests/security/hostile_peers.sh \
	      tests/security/hostile_sessions.sh \
	      tests/security/no_secrets_in_logs.sh
check: $(SECURITY_TOOLS)

# Crash safety: SIGKILLs mid-fleet (100 devices, 3 kills) in make check;
# `make soak` runs the full version (1,000 devices, 5 kills).
TEST_PROGS += tests/security/crash_safety.sh

.PHONY: soak
soak: all
	tests/run.sh "tests/security/crash_safety.sh --devices 1000 --kills 5"

# Floods at the XDP program while a fleet is provisioned.
TEST_PROGS += tests/security/floods.sh
check: $(BUILD)/bench/hello_loadgen
