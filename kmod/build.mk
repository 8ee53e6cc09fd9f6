# SPDX-License-Identifier: GPL-2.0-only
# kmod/: amtsca.ko, built out of tree against Debian's kernel headers.
# Not part of `all` (headers may be absent); `make kmod` builds it, and the
# QEMU test (tests/kmod/build.mk) builds it when it can run.

KVER ?= $(notdir $(firstword $(wildcard /usr/src/linux-headers-*-amd64)))
KVER := $(patsubst linux-headers-%,%,$(KVER))
KDIR ?= /lib/modules/$(KVER)/build
KMOD_OUT := $(BUILD)/kmod
KMOD_KO := $(KMOD_OUT)/amtsca.ko
KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h) kmod/Kbuild \
	     include/amtsca/hello.h include/amtsca/device_state.h \
	     include/amtsca/genl_abi.h

.PHONY: kmod
kmod: $(KMOD_KO)

# Kbuild writes next to its sources, so build a copy under $(BUILD).
$(KMOD_KO): $(KMOD_SRCS)
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR): apt-get install linux-headers-amd64" >&2; exit 1; }
	@rm -rf $(KMOD_OUT) && mkdir -p $(KMOD_OUT)/kmod $(KMOD_OUT)/include
	cp kmod/*.c kmod/*.h kmod/Kbuild $(KMOD_OUT)/kmod/
	cp -r include/amtsca $(KMOD_OUT)/include/
	$(MAKE) -C $(KDIR) M=$(abspath $(KMOD_OUT))/kmod CONFIG_AMTSCA=m W=1 \
		KCFLAGS=-Werror modules
	cp $(KMOD_OUT)/kmod/amtsca.ko $@
