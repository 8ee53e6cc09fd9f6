# SPDX-License-Identifier: GPL-2.0-only
# bench/fleet: provisioning-side benchmarks (TLS handshake ceiling, ingest,
# fleet provisioning). Figures only, never pass/fail.

TLS_CEILING := $(BUILD)/bench/tls_ceiling

$(TLS_CEILING): $(BUILD)/obj/bench/fleet/tls_ceiling.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

BENCH_PROGS += $(TLS_CEILING)

.PHONY: bench-tls
bench-tls: $(TLS_CEILING)
	bench/fleet/tls_ceiling.sh $(TLS_CEILING) build/bench

bench: bench-tls

HELLO_LOADGEN := $(BUILD)/bench/hello_loadgen

$(HELLO_LOADGEN): $(BUILD)/obj/bench/fleet/hello_loadgen.o $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

BENCH_PROGS += $(HELLO_LOADGEN)

.PHONY: bench-ingest
bench-ingest: $(HELLO_LOADGEN) $(BUILD)/bin/amtscad $(BUILD)/tests/device_side.bpf.o
	bench/fleet/ingest.sh $(BUILD) build/bench

bench: bench-ingest

.PHONY: bench-provision
bench-provision: $(BUILD)/bin/amtscad $(BUILD)/bin/amtsim $(BUILD)/tests/db_check
	bench/fleet/provision.sh $(BUILD) build/bench

# The ceiling first: provision.sh divides by it.
bench-provision: bench-tls
bench: bench-provision
