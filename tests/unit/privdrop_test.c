// SPDX-License-Identifier: GPL-2.0-only
/*
 * privdrop_apply(): user/group switch, capability sets, no_new_privs, core
 * dumps. The harness forks every TEST, so each may drop for good. Root.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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
	struct privdrop_conf conf = { user, group, caps };

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

TEST_HARNESS_MAIN
