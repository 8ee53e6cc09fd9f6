# SPDX-License-Identifier: GPL-2.0-only
#
# amtsca top-level build. Each component directory contributes a build.mk
# fragment (userspace/, bpf/, kmod/, tests/, bench/); this file holds only
# what they share. Output goes to $(BUILD), never into the source tree.
#
#   make              build every program and the BPF object
#   make check        build and run every test (unit, sanitizer, BPF, e2e,
#                     kmod, fuzz smoke); last line "N passed, N failed"
#   make bench        run the benchmarks (figures, never pass/fail)
#   make fuzz         run each fuzz target for FUZZ_SECONDS
#   SAN=1             build userspace with ASan+UBSan into build/asan

SRCDIR := $(CURDIR)
SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build/asan
else
BUILD ?= build
endif
# Caches shared by every build flavour (extracted kselftest headers).
CACHE ?= build/cache

CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config

WARN := -Wall -Wextra -Werror
# Every userspace library amtsca links against, in one place; a program
# only pulls the archive members it uses, and --as-needed drops the rest.
USER_PKGS := libbpf libxdp libnl-3.0 libnl-genl-3.0 libnl-route-3.0 \
	     openssl sqlite3 libxml-2.0
CPPFLAGS_USER := -Iinclude -Iuserspace/lib -I$(BUILD)/gen -D_GNU_SOURCE \
		 $(shell $(PKG_CONFIG) --cflags $(USER_PKGS) 2>/dev/null)
CFLAGS_USER := -std=gnu11 -O2 -g $(WARN) -MMD -MP
LDFLAGS_USER := -Wl,--as-needed
LDLIBS_USER := $(shell $(PKG_CONFIG) --libs $(USER_PKGS) 2>/dev/null) \
	       -lelf -lz -lpthread
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
CFLAGS_USER += $(SANFLAGS)
LDFLAGS_USER += $(SANFLAGS)
endif

# Every fragment appends to these.
PROGS :=
TEST_PROGS :=
FUZZ_TARGETS :=
BENCH_PROGS :=

.PHONY: all check bench fuzz clean
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
# Keep intermediate objects: no rebuilds, and nothing printed after the
# test summary line.
.SECONDARY:

# userspace/ first: the other fragments link against its libamtsca.
# Fragments may sit one level deeper too (userspace/amtsim/build.mk, ...).
include userspace/build.mk
include $(filter-out userspace/build.mk,\
	$(sort $(wildcard */build.mk */*/build.mk)))

all: $(PROGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(CFLAGS_USER) -c $< -o $@

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

.PHONY: demo
demo: all
	scripts/demo.sh
