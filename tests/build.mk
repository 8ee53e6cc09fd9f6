# SPDX-License-Identifier: GPL-2.0-only
# tests/: kselftest-harness unit tests, shell tests, fuzz targets, runner.
#
# kselftest_harness.h comes from Debian's linux-source-6.1 and is extracted
# into $(CACHE) on first use; it is never committed.

KSRC_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
KSFT_DIR := $(CACHE)/kselftest
KSFT_HDRS := $(KSFT_DIR)/kselftest_harness.h $(KSFT_DIR)/kselftest.h

$(KSFT_HDRS) &:
	@test -r $(KSRC_TARBALL) || { echo "missing $(KSRC_TARBALL): apt-get install linux-source-6.1" >&2; exit 1; }
	@mkdir -p $(KSFT_DIR)
	xz -dc -T0 $(KSRC_TARBALL) | tar -x --strip-components=4 -C $(KSFT_DIR) \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/tools/testing/selftests/kselftest.h
	@touch $(KSFT_HDRS)

# Unit tests: tests/unit/NAME_test.c -> $(BUILD)/tests/NAME_test, linked
# with libamtsca. They run in the plain and in the SAN=1 build.
UNIT_TEST_SRCS := $(sort $(wildcard tests/unit/*_test.c))
UNIT_TESTS := $(UNIT_TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TEST_CPPFLAGS := -isystem $(KSFT_DIR) -Itests/lib -DAMTSCA_SRCDIR='"$(SRCDIR)"'

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c $(KSFT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(TEST_CPPFLAGS) $(CFLAGS_USER) -c $< -o $@

# tests/lib/*.c: helpers shared by tests (the corpus reader, ...).
TESTLIB_SRCS := $(sort $(wildcard tests/lib/*.c))
TESTLIB := $(BUILD)/libamtsca-test.a

$(BUILD)/obj/tests/lib/%.o: tests/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) $(TEST_CPPFLAGS) $(CFLAGS_USER) -c $< -o $@

$(TESTLIB): $(TESTLIB_SRCS:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/tests/%_test: $(BUILD)/obj/tests/unit/%_test.o $(TESTLIB) $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

.PHONY: unit-tests
unit-tests: $(UNIT_TESTS) $(PROGS)

# Shell tests (tests/*/NAME.sh with a tap.sh-style "# Totals:" line) run
# against the plain build's programs.
SHELL_TESTS := $(sort $(wildcard tests/cli/*.sh))

# Fuzz targets: tests/fuzz/NAME_fuzz.c -> build/fuzz/NAME_fuzz (clang,
# libFuzzer + ASan + UBSan). A target lists the library sources it needs in
# FUZZ_SRCS_NAME (and libraries in FUZZ_LDLIBS_NAME), in its own build.mk
# or here; its seed corpus is the directory tests/corpus/NAME.
FUZZ_SECONDS ?= 30
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/*_fuzz.c))
FUZZ_TARGETS += $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	      -g -O1 $(WARN)

.SECONDEXPANSION:
build/fuzz/%_fuzz: tests/fuzz/%_fuzz.c $$(FUZZ_SRCS_$$*)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS_USER) $(FUZZ_FLAGS) $(FUZZ_CFLAGS_$*) $< \
		$(FUZZ_SRCS_$*) -o $@ $(FUZZ_LDLIBS_$*)

fuzz: $(FUZZ_TARGETS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_TARGETS)

# make check: the plain build, the sanitizer build of the unit tests, the
# root-only tests each fragment registers in TEST_PROGS, then a bounded
# fuzz smoke. tests/run.sh prints the one summary line. The prerequisites
# are expanded a second time, after every fragment (tests/xdp/ comes after
# this file) has added its programs.
check: all $$(UNIT_TESTS) $$(TEST_PROGS) $$(FUZZ_TARGETS)
	$(MAKE) --no-print-directory SAN=1 unit-tests
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run.sh \
		$(UNIT_TESTS) \
		$(patsubst build/%,build/asan/%,$(UNIT_TESTS)) \
		$(SHELL_TESTS) $(TEST_PROGS) \
		"tests/fuzz/run.sh $(FUZZ_TARGETS)"

FUZZ_SRCS_hello := userspace/lib/hello_json.c
