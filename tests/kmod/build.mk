# SPDX-License-Identifier: GPL-2.0-only
# tests/kmod/: amtsca.ko under QEMU. The test builds the module and the
# static guest client itself (make kmod kmod-client) so that a host without
# kernel headers or qemu reports a skip instead of failing the build.

KMOD_CLIENT := $(BUILD)/tests/amtsca-kmodtest
KMOD_CLIENT_SRCS := tests/kmod/kmod_client.c userspace/lib/kmod_backend.c

.PHONY: kmod-client
kmod-client: $(KMOD_CLIENT)

# Static: the guest has nothing but busybox. glibc's static-NSS notes
# (getpwnam & co. in libnl) are expected and filtered out.
$(KMOD_CLIENT): $(KMOD_CLIENT_SRCS) userspace/lib/kmod_backend.h \
		include/amtsca/genl_abi.h include/amtsca/hello.h
	@mkdir -p $(@D)
	$(CC) -static $(CPPFLAGS_USER) -std=gnu11 -O2 $(WARN) $(KMOD_CLIENT_SRCS) \
		-o $@ -lnl-genl-3 -lnl-3 -lpthread -lm 2>&1 | \
		{ grep -v 'statically linked applications requires at runtime\|: in function' || true; }
	@test -x $@

TEST_PROGS += tests/kmod/qemu_test.sh

FUZZ_SRCS_genl_event := userspace/lib/kmod_backend.c
FUZZ_LDLIBS_genl_event := -lnl-genl-3 -lnl-3
