// SPDX-License-Identifier: GPL-2.0-only
/*
 * sandbox_apply(): the daemon's ordinary work still runs under the filter;
 * exec, fork, ptrace, identity changes, packet sockets and executable
 * memory kill the process (kill mode) or fail with EPERM (errno mode).
 * Every case runs in a forked child that leaves with _exit().
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>

#include "kselftest_harness.h"
#include "sandbox.h"

/* Fork, sandbox the child in mode, run fn there; the child's wait status. */
static int run_sandboxed(enum sandbox_mode mode, int (*fn)(void))
{
	char err[256];
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (sandbox_apply(mode, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			_exit(100);
		}
		_exit(fn());
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int seccomp_field(void)
{
	char line[128];
	int v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* A hash map made before the filter, as the daemon's maps are. */
static int map_fd = -1;

static void *thread_fn(void *arg)
{
	return arg;
}

/* A small SQLite transaction in WAL mode, as the store makes. */
static int sqlite_work(const char *path)
{
	sqlite3 *db;
	int ok;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 0;
	ok = sqlite3_exec(db,
			  "PRAGMA journal_mode=WAL; CREATE TABLE t (x);"
			  "BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT;",
			  NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(db);
	return ok;
}

/* What the daemon does after start-up; returns the failing step or 0. */
static int daemon_work(void)
{
	char path[] = "/tmp/sandbox_test.XXXXXX", db[64], buf[8];
	unsigned char rnd[32], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	struct epoll_event ev = { .events = EPOLLIN };
	pthread_t th;
	void *ret;
	int ep, tfd, fd, sfd, pfd[2], step = 0;
	char *big;

	step++;
	if (seccomp_field() != 2)
		return step;
	step++;
	ep = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	ev.data.fd = tfd;
	if (ep < 0 || tfd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev) ||
	    epoll_wait(ep, &ev, 1, 1) < 0)
		return step;
	step++;
	if (pthread_create(&th, NULL, thread_fn, &step) ||
	    pthread_join(th, &ret) || ret != &step)
		return step;
	step++;
	big = malloc(8 << 20);
	if (!big)
		return step;
	memset(big, 1, 8 << 20);
	free(big);
	step++;
	if (RAND_bytes(rnd, sizeof(rnd)) != 1 ||
	    !EVP_Digest(rnd, sizeof(rnd), md, &mdlen, EVP_sha256(), NULL))
		return step;
	step++;
	fd = mkstemp(path);
	if (fd < 0 || write(fd, "x", 1) != 1 || fsync(fd) || close(fd) ||
	    unlink(path))
		return step;
	step++;
	snprintf(db, sizeof(db), "%s.db", path);
	if (!sqlite_work(db))
		return step;
	unlink(db);
	step++;
	sfd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sfd < 0 ||
	    setsockopt(sfd, SOL_SOCKET, SO_KEEPALIVE, &(int){ 1 }, sizeof(int)))
		return step;
	close(sfd);
	step++;
	sfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (sfd < 0)
		return step;
	close(sfd);
	step++;
	if (pipe2(pfd, O_CLOEXEC) || write(pfd[1], "ab", 2) != 2 ||
	    read(pfd[0], buf, 2) != 2)
		return step;
	step++;
	if (map_fd < 0 || bpf_map_update_elem(map_fd, &step, &step, 0) ||
	    bpf_map_lookup_elem(map_fd, &step, &fd) || fd != step ||
	    bpf_map_delete_elem(map_fd, &step))
		return step;
	return 0;
}

static int do_execve(void)
{
	char *argv[] = { "true", NULL };

	execve("/bin/true", argv, NULL);
	return errno == EPERM ? 42 : 1;
}

static int do_fork(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	return pid < 0 && errno == EPERM ? 42 : 1;
}

/* Every forbidden call fails with EPERM in errno mode. */
static int forbidden_calls(void)
{
	static const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	void *p;

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != -1 || errno != EPERM)
		return 1;
	if (setuid(0) != -1 || errno != EPERM)
		return 2;
	if (socket(AF_PACKET, SOCK_RAW, 0) != -1 || errno != EPERM)
		return 3;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p != MAP_FAILED || errno != EPERM)
		return 4;
	if (unshare(CLONE_NEWNET) != -1 || errno != EPERM)
		return 5;
	if (do_execve() != 42)
		return 6;
	if (do_fork() != 42)
		return 7;
	/* No new BPF maps or programs (root could make both). */
	if (bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL) != -EPERM)
		return 8;
	if (bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", ret0, 2,
			  NULL) != -EPERM)
		return 9;
	return 0;
}

static int do_ptrace(void)
{
	ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	return 1;
}

static int do_packet_socket(void)
{
	socket(AF_PACKET, SOCK_RAW, 0);
	return 1;
}

static int do_exec_memory(void)
{
	mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1,
	     0);
	return 1;
}

static int unlisted_call(void)
{
	/* Not on the list; the log mode lets it through. */
	errno = 0;
	return getpriority(PRIO_PROCESS, 0) == -1 && errno ? 1 : 0;
}

static int no_filter(void)
{
	return seccomp_field();
}

#define EXPECT_EXIT(code, status)                  \
	do {                                       \
		int __s = (status);                \
		EXPECT_TRUE(WIFEXITED(__s));       \
		EXPECT_EQ(code, WEXITSTATUS(__s)); \
	} while (0)

#define EXPECT_SIGSYS(status)                     \
	do {                                      \
		int __s = (status);               \
		EXPECT_TRUE(WIFSIGNALED(__s));    \
		EXPECT_EQ(SIGSYS, WTERMSIG(__s)); \
	} while (0)

TEST(daemon_work_runs_under_the_filter)
{
	map_fd = bpf_map_create(BPF_MAP_TYPE_HASH, NULL, sizeof(int),
				sizeof(int), 16, NULL);
	ASSERT_GE(map_fd, 0);
	EXPECT_EXIT(0, run_sandboxed(SANDBOX_KILL, daemon_work));
	EXPECT_EXIT(0, run_sandboxed(SANDBOX_ERRNO, daemon_work));
}

TEST(kill_mode_kills_forbidden_calls)
{
	EXPECT_SIGSYS(run_sandboxed(SANDBOX_KILL, do_execve));
	EXPECT_SIGSYS(run_sandboxed(SANDBOX_KILL, do_fork));
	EXPECT_SIGSYS(run_sandboxed(SANDBOX_KILL, do_ptrace));
	EXPECT_SIGSYS(run_sandboxed(SANDBOX_KILL, do_packet_socket));
	EXPECT_SIGSYS(run_sandboxed(SANDBOX_KILL, do_exec_memory));
}

TEST(errno_mode_refuses_forbidden_calls)
{
	EXPECT_EXIT(0, run_sandboxed(SANDBOX_ERRNO, forbidden_calls));
}

TEST(log_and_off_modes)
{
	EXPECT_EXIT(0, run_sandboxed(SANDBOX_LOG, unlisted_call));
	EXPECT_SIGSYS(run_sandboxed(SANDBOX_KILL, unlisted_call));
	EXPECT_EXIT(0, run_sandboxed(SANDBOX_OFF, no_filter));
}

TEST(mode_names)
{
	enum sandbox_mode m;

	ASSERT_EQ(0, sandbox_mode_parse("kill", &m));
	EXPECT_EQ(SANDBOX_KILL, m);
	ASSERT_EQ(0, sandbox_mode_parse("errno", &m));
	EXPECT_EQ(SANDBOX_ERRNO, m);
	ASSERT_EQ(0, sandbox_mode_parse("log", &m));
	EXPECT_EQ(SANDBOX_LOG, m);
	ASSERT_EQ(0, sandbox_mode_parse("off", &m));
	EXPECT_EQ(SANDBOX_OFF, m);
	EXPECT_EQ(-1, sandbox_mode_parse("KILL", &m));
}

TEST_HARNESS_MAIN
