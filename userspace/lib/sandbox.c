// SPDX-License-Identifier: GPL-2.0-only
/* Seccomp allowlist for amtscad after start-up, built with libseccomp. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <termios.h>

#include <linux/bpf.h>

#include <seccomp.h>

#include "sandbox.h"

/*
 * Allowed without conditions, grouped by what needs them. A name the
 * architecture lacks (open on arm64, ...) is skipped.
 */
static const char *const allowed_syscalls[] = {
	/* memory (malloc, thread stacks; exec mappings are conditional) */
	"brk",
	"munmap",
	"mremap",
	"madvise",
	"membarrier",
	/* event loop, timers, signals */
	"epoll_create1",
	"epoll_create",
	"inotify_init1",
	"inotify_add_watch",
	"inotify_rm_watch",
	"epoll_ctl",
	"epoll_wait",
	"epoll_pwait",
	"epoll_pwait2",
	"poll",
	"ppoll",
	"select",
	"pselect6",
	"eventfd2",
	"timerfd_create",
	"timerfd_settime",
	"timerfd_gettime",
	"signalfd4",
	"rt_sigaction",
	"rt_sigprocmask",
	"rt_sigreturn",
	"rt_sigtimedwait",
	"rt_sigpending",
	"sigaltstack",
	"restart_syscall",
	/* I/O on descriptors it already holds or opens */
	"read",
	"write",
	"readv",
	"writev",
	"pread64",
	"pwrite64",
	"preadv",
	"pwritev",
	"lseek",
	"close",
	"dup",
	"dup2",
	"pipe",
	"close_range",
	"dup3",
	"fcntl",
	"pipe2",
	/* SQLite files: database, WAL, shm, journal; OpenSSL reads; bpffs */
	"openat",
	"open",
	"fstat",
	"newfstatat",
	"stat",
	"lstat",
	"statx",
	"fsync",
	"fdatasync",
	"ftruncate",
	"fallocate",
	"unlink",
	"unlinkat",
	"rename",
	"renameat",
	"renameat2",
	"access",
	"faccessat",
	"faccessat2",
	"getcwd",
	"readlink",
	"readlinkat",
	"flock",
	"statfs",
	"fstatfs",
	"getdents64",
	"mkdir",
	"mkdirat",
	"chmod",
	"fchmodat",
	"umask",
	"fadvise64",
	"preadv2",
	"pwritev2",
	"fchown",
	"fchmod",
	/* certificate install (link: never replace), certs_dir reload */
	"link",
	"linkat",
	/* sockets to devices, netlink, the control socket (re)made */
	"connect",
	"accept",
	"accept4",
	"bind",
	"listen",
	"getsockname",
	"getpeername",
	"setsockopt",
	"getsockopt",
	"sendto",
	"recvfrom",
	"sendmsg",
	"recvmsg",
	"sendmmsg",
	"recvmmsg",
	"shutdown",
	/* threads and their synchronisation */
	"futex",
	"futex_waitv",
	"set_robust_list",
	"get_robust_list",
	"rseq",
	"set_tid_address",
	"sched_yield",
	"sched_getaffinity",
	"sched_setaffinity",
	"sched_getparam",
	"sched_getscheduler",
	"getcpu",
	"mlock",
	"munlock",
	"gettid",
	"getpid",
	"getppid",
	"tgkill",
	"tkill",
	"exit",
	"exit_group",
	/* time, randomness (OpenSSL), identity queries */
	"clock_gettime",
	"clock_getres",
	"clock_nanosleep",
	"nanosleep",
	"gettimeofday",
	"time",
	"getrandom",
	"uname",
	"sysinfo",
	"getuid",
	"geteuid",
	"getgid",
	"getegid",
	"getresuid",
	"getresgid",
	"getgroups",
	"getrlimit",
	"capget",
};

static int allow_all(scmp_filter_ctx ctx)
{
	size_t i;
	int nr;

	for (i = 0; i < sizeof(allowed_syscalls) / sizeof(*allowed_syscalls);
	     i++) {
		nr = seccomp_syscall_resolve_name(allowed_syscalls[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0))
			return -1;
	}
	return 0;
}

/* syscall allowed when argument arg equals one of n values. */
static int allow_arg_in(scmp_filter_ctx ctx, int nr, unsigned int arg,
			const scmp_datum_t *values, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				     SCMP_CMP(arg, SCMP_CMP_EQ, values[i])))
			return -1;
	return 0;
}

/* Calls allowed only with some arguments. */
static int allow_conditional(scmp_filter_ctx ctx)
{
	static const scmp_datum_t families[] = { AF_UNIX, AF_INET, AF_INET6,
						 AF_NETLINK };
	static const scmp_datum_t ioctls[] = { TCGETS, FIONREAD, FIONBIO };
	static const scmp_datum_t prctls[] = { PR_SET_NAME, PR_GET_NAME };
	static const scmp_datum_t unix_only[] = { AF_UNIX };
	/*
	 * BPF on descriptors held from start-up: map entries (device state,
	 * prefixes, counters) and XDP links (re-attach, detach). No program
	 * or map creation, no pins, no lookups by id.
	 */
	static const scmp_datum_t bpf_cmds[] = {
		BPF_MAP_LOOKUP_ELEM,  BPF_MAP_UPDATE_ELEM,
		BPF_MAP_DELETE_ELEM,  BPF_MAP_GET_NEXT_KEY,
		BPF_MAP_LOOKUP_BATCH, BPF_MAP_UPDATE_BATCH,
		BPF_MAP_DELETE_BATCH, BPF_OBJ_GET_INFO_BY_FD,
		BPF_LINK_CREATE,      BPF_LINK_UPDATE,
		BPF_LINK_DETACH,
	};

	return /* no fork: a clone must make a thread */
		seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				 SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD,
					 CLONE_THREAD)) ||
		/* glibc falls back to clone(), whose flags the filter sees */
		seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
				 0) ||
		/* no new executable memory */
		seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				 SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) ||
		seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				 SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) ||
		/* getrlimit through prlimit64, never a set */
		seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2,
				 SCMP_A0(SCMP_CMP_EQ, 0),
				 SCMP_A2(SCMP_CMP_EQ, 0)) ||
		/* no packet, raw or other sockets */
		allow_arg_in(ctx, SCMP_SYS(socket), 0, families,
			     sizeof(families) / sizeof(*families)) ||
		allow_arg_in(ctx, SCMP_SYS(socketpair), 0, unix_only, 1) ||
		allow_arg_in(ctx, SCMP_SYS(bpf), 0, bpf_cmds,
			     sizeof(bpf_cmds) / sizeof(*bpf_cmds)) ||
		allow_arg_in(ctx, SCMP_SYS(ioctl), 1, ioctls,
			     sizeof(ioctls) / sizeof(*ioctls)) ||
		allow_arg_in(ctx, SCMP_SYS(prctl), 0, prctls,
			     sizeof(prctls) / sizeof(*prctls));
}

#if defined(__SANITIZE_ADDRESS__)
/*
 * Sanitizer builds only (make SAN=1, the tests' ASan run of amtscad):
 * LeakSanitizer's exit-time check starts a tracer task that shares the
 * address space (clone with CLONE_VM | CLONE_UNTRACED, never a fork),
 * makes the process traceable by it (prctl), lists the threads
 * (getdents) and stops each with ptrace attach / get registers /
 * detach. Without these the filter kills the daemon at exit and the leak
 * check never runs; a fork, PTRACE_TRACEME and other prctl options stay
 * refused.
 */
static int allow_leak_check(scmp_filter_ctx ctx)
{
	static const scmp_datum_t prctls[] = { PR_GET_DUMPABLE,
					       PR_SET_DUMPABLE,
					       PR_SET_PTRACER,
					       PR_SET_PDEATHSIG };
	static const scmp_datum_t ptraces[] = { PTRACE_ATTACH, PTRACE_DETACH,
						PTRACE_GETREGS,
						PTRACE_GETREGSET };
	const scmp_datum_t tracer = CLONE_VM | CLONE_UNTRACED;

	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				SCMP_A0(SCMP_CMP_MASKED_EQ, tracer, tracer)) ||
	       seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getdents), 0) ||
	       seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getdents64), 0) ||
	       seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(wait4), 0) ||
	       seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sched_yield),
				0) ||
	       allow_arg_in(ctx, SCMP_SYS(prctl), 0, prctls,
			    sizeof(prctls) / sizeof(*prctls)) ||
	       allow_arg_in(ctx, SCMP_SYS(ptrace), 0, ptraces,
			    sizeof(ptraces) / sizeof(*ptraces));
}
#else
static int allow_leak_check(scmp_filter_ctx ctx)
{
	(void)ctx;
	return 0;
}
#endif

int sandbox_mode_parse(const char *name, enum sandbox_mode *mode)
{
	static const char *const names[] = {
		[SANDBOX_KILL] = "kill",
		[SANDBOX_ERRNO] = "errno",
		[SANDBOX_LOG] = "log",
		[SANDBOX_OFF] = "off",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(name, names[i])) {
			*mode = (enum sandbox_mode)i;
			return 0;
		}
	return -1;
}

int sandbox_apply(enum sandbox_mode mode, char *err, size_t errlen)
{
	uint32_t def = mode == SANDBOX_KILL  ? SCMP_ACT_KILL_PROCESS :
		       mode == SANDBOX_ERRNO ? SCMP_ACT_ERRNO(EPERM) :
					       SCMP_ACT_LOG;
	scmp_filter_ctx ctx;
	int r;

	if (mode == SANDBOX_OFF)
		return 0;
	ctx = seccomp_init(def);
	if (!ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	/* Record every refusal in the audit log, not only kills. */
	if (!r && mode != SANDBOX_KILL)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
	if (!r)
		r = allow_all(ctx) || allow_conditional(ctx) ||
			    allow_leak_check(ctx) ?
			    -EINVAL :
			    0;
	if (!r)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r) {
		snprintf(err, errlen, "installing the seccomp filter: %s",
			 strerror(r < 0 ? -r : r));
		return -1;
	}
	return 0;
}
