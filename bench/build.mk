# SPDX-License-Identifier: GPL-2.0-only
# bench/: benchmarks. `make bench-xdp` prints "xdp_ns <case> <ns>" lines and
# writes them to build/bench/results.txt too.

XDP_BENCH := $(BUILD)/bench/xdp_bench

$(BUILD)/obj/bench/xdp_bench.o: $(BPF_SKEL)

$(XDP_BENCH): $(BUILD)/obj/bench/xdp_bench.o $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

BENCH_PROGS += $(XDP_BENCH)

.PHONY: bench-xdp
bench-xdp: $(XDP_BENCH)
	@mkdir -p build/bench
	@sed -i '/^xdp_ns /d' build/bench/results.txt 2>/dev/null || true
	$(XDP_BENCH) build/bench/results.txt

bench: bench-xdp
