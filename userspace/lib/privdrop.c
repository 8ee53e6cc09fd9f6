// SPDX-License-Identifier: GPL-2.0-only
/* Switch user/group with libcap, keeping only the configured capabilities. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/capability.h>

#include "privdrop.h"

#define PRIVDROP_MAX_CAPS 16

struct cap_list {
	cap_value_t caps[PRIVDROP_MAX_CAPS];
	int n;
};

/* A name, else a decimal id: "nobody" or "65534". */
static int parse_id(const char *s, unsigned long *id)
{
	char *end;

	errno = 0;
	*id = strtoul(s, &end, 10);
	return !*s || *end || errno || *s == '-' || *id >= (uid_t)-1 ? -1 : 0;
}

static int resolve_user(const char *name, uid_t *uid, char *err, size_t errlen)
{
	struct passwd *pw;
	unsigned long id;

	pw = getpwnam(name);
	if (pw) {
		*uid = pw->pw_uid;
		return 0;
	}
	if (!parse_id(name, &id)) {
		*uid = (uid_t)id;
		return 0;
	}
	snprintf(
		err, errlen,
		"security.user %s: no such user (create it, e.g. useradd --system %s, or set security.user)",
		name, name);
	return -1;
}

static int resolve_group(const char *name, gid_t *gid, char *err, size_t errlen)
{
	struct group *gr;
	unsigned long id;

	gr = getgrnam(name);
	if (gr) {
		*gid = gr->gr_gid;
		return 0;
	}
	if (!parse_id(name, &id)) {
		*gid = (gid_t)id;
		return 0;
	}
	snprintf(
		err, errlen,
		"security.group %s: no such group (create it, e.g. groupadd --system %s, or set security.group)",
		name, name);
	return -1;
}

/* "bpf, net_admin" -> CAP_BPF, CAP_NET_ADMIN; "none" or "" -> nothing. */
static int parse_caps(const char *list, struct cap_list *out, char *err,
		      size_t errlen)
{
	char name[64], word[48];
	const char *p = list;
	size_t len;

	out->n = 0;
	if (!strcmp(list, "none"))
		return 0;
	while (*p) {
		p += strspn(p, " \t,");
		len = strcspn(p, " \t,");
		if (!len)
			break;
		if (len >= sizeof(word) || out->n == PRIVDROP_MAX_CAPS) {
			snprintf(err, errlen,
				 "security.capabilities %s: too long", list);
			return -1;
		}
		snprintf(word, sizeof(word), "%.*s", (int)len, p);
		snprintf(name, sizeof(name), "cap_%s", word);
		if (cap_from_name(name, &out->caps[out->n]) != 0) {
			snprintf(
				err, errlen,
				"security.capabilities: unknown capability '%s' in '%s'",
				word, list);
			return -1;
		}
		out->n++;
		p += len;
	}
	return 0;
}

static bool kept(const struct cap_list *keep, cap_value_t cap)
{
	int i;

	for (i = 0; i < keep->n; i++)
		if (keep->caps[i] == cap)
			return true;
	return false;
}

static bool have_effective(cap_value_t cap)
{
	cap_t cur = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (cur)
		cap_get_flag(cur, cap, CAP_EFFECTIVE, &v);
	cap_free(cur);
	return v == CAP_SET;
}

/*
 * Shrink the bounding set to the kept capabilities. It needs CAP_SETPCAP;
 * without it (a systemd bounding set that lacks it) the set stays as the
 * service manager left it, which no_new_privs makes moot for exec.
 */
static int drop_bounding(const struct cap_list *keep)
{
	cap_value_t cap;

	if (!have_effective(CAP_SETPCAP))
		return 0;
	for (cap = 0; cap < (cap_value_t)cap_max_bits(); cap++)
		if (!kept(keep, cap) && cap_get_bound(cap) == 1 &&
		    cap_drop_bound(cap))
			return -1;
	return 0;
}

/* Permitted and effective = keep; inheritable and ambient empty. */
static int set_caps(const struct cap_list *keep)
{
	cap_t caps = cap_init();
	int r = -1;

	if (!caps)
		return -1;
	if ((!keep->n || (cap_set_flag(caps, CAP_PERMITTED, keep->n, keep->caps,
				       CAP_SET) == 0 &&
			  cap_set_flag(caps, CAP_EFFECTIVE, keep->n, keep->caps,
				       CAP_SET) == 0)) &&
	    cap_set_proc(caps) == 0 && cap_reset_ambient() == 0)
		r = 0;
	cap_free(caps);
	return r;
}

/*
 * chown each existing regular file of paths to uid:gid, never through a
 * link. No open(): closing any descriptor of a file drops every POSIX lock
 * the process holds on it, and SQLite's connections hold such locks on
 * the database and its -shm file.
 */
static int hand_over(const char *const *paths, uid_t uid, gid_t gid, char *err,
		     size_t errlen)
{
	struct stat st;

	for (; paths && *paths; paths++) {
		if (lstat(*paths, &st)) {
			if (errno == ENOENT)
				continue;
		} else if (!S_ISREG(st.st_mode)) {
			errno = EINVAL;
		} else if (!lchown(*paths, uid, gid)) {
			continue;
		}
		snprintf(err, errlen, "handing %s over: %s", *paths,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int switch_ids(uid_t uid, gid_t gid, const struct cap_list *keep)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || drop_bounding(keep) ||
	    setgroups(1, &gid) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -1;
	return prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
}

int privdrop_apply(const struct privdrop_conf *conf, char *err, size_t errlen)
{
	static const struct rlimit no_core = { 0, 0 };
	struct cap_list keep;
	char ids[64];
	uid_t uid;
	gid_t gid;

	if (resolve_user(conf->user, &uid, err, errlen) ||
	    resolve_group(conf->group, &gid, err, errlen) ||
	    parse_caps(conf->capabilities ? conf->capabilities : "", &keep, err,
		       errlen))
		return -1;
	if (geteuid() == 0) {
		if (uid == 0) {
			snprintf(
				err, errlen,
				"security.user %s is root: refusing to keep running as root",
				conf->user);
			return -1;
		}
		if (hand_over(conf->hand_over, uid, gid, err, errlen))
			return -1;
		if (switch_ids(uid, gid, &keep)) {
			snprintf(err, errlen, "switching to %s: %s", conf->user,
				 strerror(errno));
			return -1;
		}
	} else if (uid != geteuid()) {
		snprintf(ids, sizeof(ids), "uid %u", (unsigned int)geteuid());
		snprintf(
			err, errlen,
			"not root: cannot switch to security.user %s (running as %s)",
			conf->user, ids);
		return -1;
	}
	if (set_caps(&keep)) {
		snprintf(err, errlen, "keeping capabilities '%s': %s",
			 conf->capabilities, strerror(errno));
		return -1;
	}
	/* After the switch: setresuid() resets the dumpable flag. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    setrlimit(RLIMIT_CORE, &no_core) ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)) {
		snprintf(err, errlen, "no_new_privs/core limits: %s",
			 strerror(errno));
		return -1;
	}
	/* Belt and braces: regaining root must now be impossible. */
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen, "could regain root after dropping to %s",
			 conf->user);
		return -1;
	}
	return 0;
}
