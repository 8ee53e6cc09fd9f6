// SPDX-License-Identifier: GPL-2.0-only
/*
 * privdrop_apply(): user/group switch, capability sets, no_new_privs, core
 * dumps. The harness forks every TEST, so each may drop for good. Root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "privdrop.h"

#define NOBODY 65534

static int cap_flag(cap_t caps, cap_value_t cap, cap_flag_t flag)
{
	cap_flag_value_t v = CAP_CLEAR;

	cap_get_flag(caps, cap, flag, &v);
	return v == CAP_SET;
}

/* Number of capabilities set in flag. */
static int cap_count(cap_flag_t flag)
{
	cap_t caps = cap_get_proc();
	int cap, n = 0;

	for (cap = 0; cap < cap_max_bits(); cap++)
		n += cap_flag(caps, cap, flag);
	cap_free(caps);
	return n;
}

static int apply(const char *user, const char *group, const char *caps,
		 char *err, size_t errlen)
{
	struct privdrop_conf conf = { user, group, caps, NULL };

	return privdrop_apply(&conf, err, errlen);
}

TEST(drops_to_user_with_no_capabilities)
{
	uid_t r, e, s;
	gid_t gr, ge, gs, groups[4];
	struct rlimit core;
	char err[256] = "";

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, apply("nobody", "nogroup", "none", err, sizeof(err)))
	TH_LOG("%s", err);
	ASSERT_EQ(0, getresuid(&r, &e, &s));
	EXPECT_EQ(NOBODY, r);
	EXPECT_EQ(NOBODY, e);
	EXPECT_EQ(NOBODY, s);
	ASSERT_EQ(0, getresgid(&gr, &ge, &gs));
	EXPECT_EQ(NOBODY, gr);
	EXPECT_EQ(NOBODY, ge);
	EXPECT_EQ(NOBODY, gs);
	ASSERT_EQ(1, getgroups(4, groups));
	EXPECT_EQ(NOBODY, groups[0]);
	EXPECT_EQ(0, cap_count(CAP_PERMITTED));
	EXPECT_EQ(0, cap_count(CAP_EFFECTIVE));
	EXPECT_EQ(0, cap_count(CAP_INHERITABLE));
	EXPECT_EQ(0, cap_get_bound(CAP_SYS_ADMIN));
	EXPECT_EQ(1, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	EXPECT_EQ(0, prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	ASSERT_EQ(0, getrlimit(RLIMIT_CORE, &core));
	EXPECT_EQ(0, core.rlim_cur);
	EXPECT_EQ(0, core.rlim_max);
	EXPECT_EQ(-1, setuid(0));
	EXPECT_EQ(-1, setgid(0));
	EXPECT_EQ(-1, open("/etc/shadow", O_RDONLY));
	EXPECT_EQ(EACCES, errno);
}

TEST(keeps_only_the_listed_capabilities)
{
	cap_t caps;
	char err[256] = "";

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0,
		  apply("65534", "65534", "bpf, net_admin", err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_EQ(NOBODY, geteuid());
	caps = cap_get_proc();
	ASSERT_NE(NULL, caps);
	EXPECT_TRUE(cap_flag(caps, CAP_BPF, CAP_EFFECTIVE));
	EXPECT_TRUE(cap_flag(caps, CAP_BPF, CAP_PERMITTED));
	EXPECT_TRUE(cap_flag(caps, CAP_NET_ADMIN, CAP_EFFECTIVE));
	EXPECT_FALSE(cap_flag(caps, CAP_SYS_ADMIN, CAP_PERMITTED));
	EXPECT_FALSE(cap_flag(caps, CAP_SETUID, CAP_PERMITTED));
	cap_free(caps);
	EXPECT_EQ(2, cap_count(CAP_PERMITTED));
	EXPECT_EQ(0, cap_count(CAP_INHERITABLE));
	EXPECT_EQ(1, cap_get_bound(CAP_BPF));
	EXPECT_EQ(0, cap_get_bound(CAP_SETUID));
	EXPECT_EQ(-1, setuid(0));
}

TEST(bad_configuration_is_refused_with_a_reason)
{
	char err[256];

	if (geteuid())
		SKIP(return, "needs root");
	EXPECT_EQ(-1, apply("no-such-user-amtsca", "nogroup", "", err,
			    sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no-such-user-amtsca: no such user"));
	EXPECT_EQ(-1, apply("nobody", "no-such-group-amtsca", "", err,
			    sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no such group"));
	EXPECT_EQ(-1,
		  apply("nobody", "nogroup", "bpf,flying", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "unknown capability 'flying'"));
	EXPECT_EQ(-1, apply("root", "nogroup", "", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "refusing to keep running as root"));
	/* Nothing was changed by a refused configuration. */
	EXPECT_EQ(0, geteuid());
	EXPECT_EQ(0, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

TEST(unprivileged_caller_cannot_switch_again)
{
	char err[256] = "";

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, apply("nobody", "nogroup", "", err, sizeof(err)));
	/* Already the target: the remaining steps apply again. */
	EXPECT_EQ(0, apply("nobody", "nogroup", "none", err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_EQ(-1, apply("daemon", "nogroup", "none", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not root: cannot switch"));
	/* A capability it no longer holds cannot be kept. */
	EXPECT_EQ(-1, apply("nobody", "nogroup", "bpf", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "keeping capabilities 'bpf'"));
}

static uid_t owner(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? (uid_t)-1 : st.st_uid;
}

TEST(hands_state_files_over)
{
	char dir[] = "/tmp/privdrop_test.XXXXXX", db[64], wal[64], link[64],
	     target[64], err[256] = "";
	const char *const files[] = { db, wal, "/nonexistent/x-shm", NULL };
	const char *const via_link[] = { link, NULL };
	struct privdrop_conf conf = { "nobody", "nogroup", "none", files };
	struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET }, probe;
	int fd, status, ready[2], done[2];
	pid_t pid;
	char c;

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, chmod(dir, 0755)); /* the dropped process looks in */
	snprintf(db, sizeof(db), "%s/state.db", dir);
	snprintf(wal, sizeof(wal), "%s/state.db-wal", dir);
	snprintf(target, sizeof(target), "%s/secret.key", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	fd = open(db, O_CREAT | O_WRONLY, 0600);
	ASSERT_GE(fd, 0);
	close(fd);
	fd = open(target, O_CREAT | O_WRONLY, 0600);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, symlink(target, link));
	/* A link is refused and its target keeps its owner. */
	conf.hand_over = via_link;
	EXPECT_EQ(-1, privdrop_apply(&conf, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "link over"));
	EXPECT_EQ(0, owner(target));
	/*
	 * Drop in a child, so this (root) process can clean up. The child
	 * holds a POSIX lock on the database, as SQLite does: handing the
	 * file over must not release it.
	 */
	conf.hand_over = files;
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		fd = open(db, O_RDWR);
		if (fd < 0 || fcntl(fd, F_SETLK, &lock))
			_exit(7);
		status = privdrop_apply(&conf, err, sizeof(err)) ? 1 :
			 owner(db) != NOBODY			 ? 2 :
			 owner(wal) != (uid_t)-1		 ? 3 :
			 owner(target) != 0			 ? 4 :
			 open(db, O_RDWR) < 0			 ? 5 :
			 open(target, O_RDONLY) != -1		 ? 6 :
								   0;
		/* Tell the parent, wait until it has looked at the lock. */
		if (write(ready[1], "x", 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(8);
		_exit(status);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	fd = open(db, O_RDWR);
	ASSERT_GE(fd, 0);
	probe = lock;
	ASSERT_EQ(0, fcntl(fd, F_GETLK, &probe));
	EXPECT_EQ(F_WRLCK, probe.l_type);
	EXPECT_EQ(pid, probe.l_pid);
	close(fd);
	ASSERT_EQ(1, write(done[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	unlink(link);
	unlink(target);
	unlink(db);
	rmdir(dir);
}

TEST_HARNESS_MAIN
