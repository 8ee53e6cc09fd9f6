# SPDX-License-Identifier: GPL-2.0-only
# tests/xdp/: the XDP backend end to end over veth (root), and the build
# dependency of userspace/lib/xdp_backend.c on the BPF skeleton.

$(BUILD)/obj/userspace/lib/xdp_backend.o: $(BPF_SKEL)

XDP_E2E_BINS := $(BUILD)/tests/xdp_hello_client $(BUILD)/tests/xdp_tcp_garbage \
		$(BUILD)/tests/device_side.bpf.o $(BUILD)/tests/next_prog.bpf.o

$(BUILD)/tests/%.bpf.o: tests/xdp/%.bpf.c $(BUILD)/gen/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tests/xdp_%: tests/xdp/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS_USER) $(LDFLAGS_USER) $< -o $@

PROGS += $(XDP_E2E_BINS)
TEST_PROGS += tests/xdp/veth_e2e.sh tests/xdp/chain.sh

# xdp_backend and link_watch against the kernel (root).
XDP_BACKEND_TEST := $(BUILD)/tests/xdp_backend_test

$(BUILD)/obj/tests/xdp/%.o: tests/xdp/%.c $(CACHE)/kselftest/kselftest_harness.h \
			     $(BPF_SKEL)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(TEST_CPPFLAGS) $(CFLAGS_USER) -c $< -o $@

$(XDP_BACKEND_TEST): $(BUILD)/obj/tests/xdp/xdp_backend_test.o \
		     $(BUILD)/libamtsca-test.a $(LIBAMTSCA) \
		     $(BUILD)/tests/device_side.bpf.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $(filter %.o %.a,$(filter-out %.bpf.o,$^)) -o $@ $(LDLIBS_USER)

TEST_PROGS += $(XDP_BACKEND_TEST)
