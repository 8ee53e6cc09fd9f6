# SPDX-License-Identifier: GPL-2.0-only
# tests/bpf/: BPF_PROG_TEST_RUN tests of the XDP program (root).
#
# This fragment is read before tests/build.mk, so prerequisites name the
# kselftest header and the test library by path, not by its variables.

XDP_PROG_TEST := $(BUILD)/tests/xdp_prog_test

$(BUILD)/obj/tests/bpf/%.o: tests/bpf/%.c $(CACHE)/kselftest/kselftest_harness.h \
			     $(BPF_SKEL)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(TEST_CPPFLAGS) $(CFLAGS_USER) -c $< -o $@

$(XDP_PROG_TEST): $(BUILD)/obj/tests/bpf/xdp_prog_test.o $(BUILD)/libamtsca-test.a \
		  $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

TEST_PROGS += $(XDP_PROG_TEST)

# The same tests, linked statically for the kernel-6.1 QEMU guest
# (tests/bpf/qemu_verifier_test.sh builds it, so a host without qemu skips).
$(BUILD)/tests/xdp_prog_test.static: $(BUILD)/obj/tests/bpf/xdp_prog_test.o \
				     $(BUILD)/libamtsca-test.a $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) -static $^ -o $@ -lbpf -lelf -lz

TEST_PROGS += tests/bpf/qemu_verifier_test.sh
