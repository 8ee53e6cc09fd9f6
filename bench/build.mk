# SPDX-License-Identifier: GPL-2.0-only
# bench/: benchmarks. `make bench-xdp` prints "xdp_ns <case> <ns>" lines and
# writes them to build/bench/results.txt too (earlier xdp_ns lines replaced).

XDP_BENCH := $(BUILD)/bench/xdp_bench
XDP_BENCH_BPF := $(BUILD)/bench/xdp_bench.bpf.o
XDP_BENCH_SKEL := $(BUILD)/gen/xdp_bench.skel.h

$(XDP_BENCH_BPF): bench/xdp_bench.bpf.c bench/xdp_bench.h $(BUILD)/gen/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -Ibench -c $< -o $@

$(XDP_BENCH_SKEL): $(XDP_BENCH_BPF)
	@mkdir -p $(@D)
	$(BPFTOOL) gen skeleton $< name xdp_bench > $@

XDP_FLOOR_BPF := $(BUILD)/bench/xdp_floor.bpf.o
XDP_FLOOR_SKEL := $(BUILD)/gen/xdp_floor.skel.h

$(XDP_FLOOR_BPF): bench/xdp_floor.bpf.c bench/xdp_bench.h bpf/csum.h \
		  bpf/syncookie.h include/amtsca/bpf_abi.h \
		  $(BUILD)/gen/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -Ibench -c $< -o $@

$(XDP_FLOOR_SKEL): $(XDP_FLOOR_BPF)
	@mkdir -p $(@D)
	$(BPFTOOL) gen skeleton $< name xdp_floor > $@

$(BUILD)/obj/bench/xdp_bench.o: bench/xdp_bench.c $(BPF_SKEL) $(XDP_BENCH_SKEL) \
				$(XDP_FLOOR_SKEL)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_USER) -Ibench -Itests/lib \
		-DAMTSCA_SRCDIR='"$(SRCDIR)"' $(CFLAGS_USER) -c $< -o $@

$(XDP_BENCH): $(BUILD)/obj/bench/xdp_bench.o $(BUILD)/libamtsca-test.a \
	      $(LIBAMTSCA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_USER) $^ -o $@ $(LDLIBS_USER)

BENCH_PROGS += $(XDP_BENCH)

.PHONY: bench-xdp
bench-xdp: $(XDP_BENCH)
	@mkdir -p build/bench
	@sed -i '/^xdp_ns /d' build/bench/results.txt 2>/dev/null || true
	$(XDP_BENCH) build/bench/results.txt

bench: bench-xdp
