// SPDX-License-Identifier: GPL-2.0-only
/*
 * --workers N: the fleet split into N processes, each simulating a
 * contiguous block of devices on its own event loop, so the simulator can
 * use more than one core. Real devices each have their own CPU; one
 * single-threaded simulator capped a bench fleet at what one core could
 * serve (bench/README.md). The workers share nothing on their hot path:
 * each has its own epoll loop, SSL_CTXs and session caches, Hello timers
 * and listening socket; only the device array and models live in shared
 * memory, written by the one worker that owns each device.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "workers.h"

uint32_t sim_workers_block(const struct sim_fleet *f)
{
	uint32_t w = f->opt->workers;

	return (f->n + w - 1) / w;
}

unsigned int sim_workers_count(const struct sim_fleet *f)
{
	uint32_t block = sim_workers_block(f);

	return (f->n + block - 1) / block;
}

/*
 * A classic BPF program on the SO_REUSEPORT group picks the listener by
 * index: (destination address - device base address) / block. It runs
 * with the packet's data at the TCP payload, so the address is read
 * relative to the network header (SKF_NET_OFF): IPv4 daddr at byte 16,
 * the low 32 bits of the IPv6 daddr at byte 36 (device addresses differ
 * from the base only there: sim_device_addr). An index past the group's
 * listeners (an address that is no device's) makes the kernel fall back
 * to its hash.
 */
int sim_workers_steer(const struct sim_fleet *f, struct sim_listeners *ls,
		      int family)
{
	const struct sim_options *o = f->opt;
	uint32_t base = family == AF_INET ?
				ntohl(o->addr_base.s_addr) :
				(uint32_t)sim_in6_low64(&o->addr6_base);
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 (uint32_t)SKF_NET_OFF + (family == AF_INET ? 16 : 36)),
		BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, base),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, sim_workers_block(f)),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(code[0]),
		.filter = code,
	};

	if (ls->n < 2)
		return 0;
	if (setsockopt(ls->l[0].fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog,
		       sizeof(prog))) {
		fprintf(stderr, "amtsim: steering connections to workers: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Worker w's totals, in shared memory for the parent to add up. */
struct worker_tally {
	uint32_t operational, done;
};

static void worker(struct sim_fleet *f, unsigned int w,
		   int (*simulate)(struct sim_fleet *f, unsigned int w),
		   struct worker_tally *tally)
{
	uint32_t block = sim_workers_block(f);

	/* A worker outliving its parent would hold the devices' port. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	f->lo = w * block;
	f->hi = f->lo + block < f->n ? f->lo + block : f->n;
	/* Fault dice of their own per worker, still fixed by --seed. */
	f->rng += w;
	if (simulate(f, w))
		_exit(1);
	if (f->misrouted)
		fprintf(stderr,
			"amtsim: worker %u: %u connections for another worker's devices\n",
			w, f->misrouted);
	tally[w].operational = f->operational;
	tally[w].done = f->done;
	_exit(0);
}

int sim_workers_run(struct sim_fleet *f,
		    int (*simulate)(struct sim_fleet *f, unsigned int w),
		    volatile sig_atomic_t *stop_signal)
{
	unsigned int n = sim_workers_count(f), w, left = 0;
	struct worker_tally *tally = sim_shared_calloc(n, sizeof(*tally));
	pid_t pids[SIM_MAX_WORKERS];
	bool passed_on = false;
	int rc = 0, status;

	if (!tally) {
		fprintf(stderr, "amtsim: out of memory for %u workers\n", n);
		return -1;
	}
	fflush(NULL);
	for (w = 0; w < n; w++) {
		pids[w] = fork();
		if (pids[w] < 0) {
			fprintf(stderr, "amtsim: fork: %s\n", strerror(errno));
			*stop_signal = SIGTERM;
			rc = -1;
			break;
		}
		if (!pids[w])
			worker(f, w, simulate, tally);
		left++;
	}
	while (left) {
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0 && errno != EINTR)
			break;
		if (*stop_signal && !passed_on) {
			for (w = 0; w < n && pids[w] > 0; w++)
				kill(pids[w], *stop_signal);
			passed_on = true;
		}
		if (pid <= 0)
			continue;
		left--;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "amtsim: worker %d ended abnormally\n",
				(int)pid);
			rc = -1;
		}
	}
	f->operational = f->done = 0;
	for (w = 0; w < n; w++) {
		f->operational += tally[w].operational;
		f->done += tally[w].done;
	}
	sim_shared_free(tally, n, sizeof(*tally));
	return rc;
}
