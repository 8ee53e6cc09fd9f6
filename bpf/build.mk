# SPDX-License-Identifier: GPL-2.0-only
# bpf/: the XDP Hello responder, its vmlinux.h and its libbpf skeleton.
#
# vmlinux.h is generated from the running kernel's BTF; when
# /sys/kernel/btf/vmlinux is absent the committed bpf/vmlinux-fallback.h
# (the few kernel types the program uses) is copied instead.

# -mcpu=v3: 32-bit sub-registers, so clang does not zero-extend a __u32
# index through two shifts into a register the verifier's bound check did
# not see (amt_hello_validate's offset; docs/xdp.md, verifier work-arounds).
BPF_CFLAGS := -target bpf -O2 -g $(WARN) -D__TARGET_ARCH_x86 -mcpu=v3 \
	      -Iinclude -Ibpf -I$(BUILD)/gen
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
BPF_OBJ := $(BUILD)/bpf/amtsca.bpf.o
BPF_SKEL := $(BUILD)/gen/amtsca.skel.h

$(BUILD)/gen/vmlinux.h:
	@mkdir -p $(@D)
	if [ -r $(VMLINUX_BTF) ]; then \
		$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@; \
	else \
		cp bpf/vmlinux-fallback.h $@; \
	fi

$(BPF_OBJ): bpf/amtsca.bpf.c $(wildcard bpf/*.h) include/amtsca/bpf_abi.h \
	    include/amtsca/hello.h include/amtsca/device_state.h \
	    $(BUILD)/gen/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BPF_SKEL): $(BPF_OBJ)
	@mkdir -p $(@D)
	$(BPFTOOL) gen skeleton $< name amtsca > $@

PROGS += $(BPF_OBJ) $(BPF_SKEL)
