// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control commands: status, devices, device, stats, psk, profile, cert,
 * backup.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "control_cert.h"
#include "control_cmds.h"
#include "log.h"
#include "psk_csv.h"
#include "store_admin.h"
#include "store_backup.h"

/* A credentials CSV larger than this is refused (about 200k devices). */
#define PSK_FILE_MAX (16 * 1024 * 1024)
#define PROFILE_NAME "default"

struct json_object *control_error(const char *fmt, ...)
{
	struct json_object *o = json_object_new_object();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	return o;
}

static struct json_object *ok_reply(void)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(1));
	return o;
}

/* Add v under key; a NULL v (a failed query) turns the reply into an error. */
static struct json_object *with(struct json_object *reply, const char *key,
				struct json_object *v)
{
	if (!v) {
		json_object_put(reply);
		return control_error("store query failed");
	}
	json_object_object_add(reply, key, v);
	return reply;
}

static void add_u64(struct json_object *o, const char *key,
		    unsigned long long v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

static struct json_object *daemon_stats_json(const struct control_env *env)
{
	struct daemon_stats ds = { .backend = "" };
	struct json_object *o = json_object_new_object();

	env->h->get_stats(env->ctx, &ds);
	json_object_object_add(o, "backend",
			       json_object_new_string(ds.backend));
	json_object_object_add(o, "started_at",
			       json_object_new_int64(ds.started_at));
	json_object_object_add(
		o, "uptime_s",
		json_object_new_int64((long long)time(NULL) - ds.started_at));
	add_u64(o, "hellos_accepted", ds.hellos_accepted);
	add_u64(o, "hellos_duplicate", ds.hellos_duplicate);
	add_u64(o, "hellos_invalid", ds.hellos_invalid);
	add_u64(o, "queued", ds.queued);
	add_u64(o, "sessions_inflight", ds.sessions_inflight);
	add_u64(o, "sessions_done", ds.sessions_done);
	add_u64(o, "sessions_failed", ds.sessions_failed);
	return o;
}

/* The XDP counters by their BTF field names, or null without XDP. */
static struct json_object *bpf_stats_json(const struct control_env *env)
{
	struct amtsca_counters c = { 0 };
	struct json_object *o, *invalid;
	int r;

	if (!env->h->get_bpf_counters || env->h->get_bpf_counters(env->ctx, &c))
		return NULL;
	o = json_object_new_object();
#define COUNTER(f) add_u64(o, #f, c.f)
	COUNTER(rx_total);
	COUNTER(pass_other);
	COUNTER(port_tcp);
	COUNTER(syn_ack);
	COUNTER(malformed);
	COUNTER(bad_cookie);
	COUNTER(ring_full);
	COUNTER(hello_event);
	COUNTER(oversize);
	COUNTER(ack_fin);
	COUNTER(rst);
	COUNTER(fin_ack);
	COUNTER(stray);
	COUNTER(suppressed);
	COUNTER(not_allowed);
	COUNTER(rate_syn);
	COUNTER(rate_data);
	COUNTER(bad_csum);
	COUNTER(seg_acked);
	COUNTER(seg_dup);
	COUNTER(seg_gap);
	COUNTER(reasm_fail);
	COUNTER(fin_unacked);
#undef COUNTER
	invalid = json_object_new_object();
	for (r = 1; r < AMT_HELLO_REASON_COUNT; r++)
		add_u64(invalid, amt_hello_reason_str(r), c.hello_invalid[r]);
	json_object_object_add(o, "hello_invalid", invalid);
	return o;
}

static struct json_object *cmd_status(const struct control_env *env)
{
	struct json_object *r = ok_reply();

	json_object_object_add(r, "pid", json_object_new_int(getpid()));
	json_object_object_add(r, "daemon", daemon_stats_json(env));
	r = with(r, "devices", store_admin_device_counts(env->st));
	if (json_object_get_boolean(json_object_object_get(r, "ok")))
		r = with(r, "psk", store_admin_psk_counts(env->st));
	return r;
}

static struct json_object *cmd_stats(const struct control_env *env)
{
	struct json_object *r = ok_reply();

	json_object_object_add(r, "daemon", daemon_stats_json(env));
	json_object_object_add(r, "bpf", bpf_stats_json(env));
	return r;
}

static struct json_object *cmd_devices(const struct control_env *env,
				       const char *state)
{
	static const char *const states[] = { "queued", "in_progress", "done",
					      "failed" };
	struct json_object *r;
	size_t i;

	for (i = 0; state && i < sizeof(states) / sizeof(states[0]); i++)
		if (!strcmp(state, states[i]))
			break;
	if (state && i == sizeof(states) / sizeof(states[0]))
		return control_error(
			"unknown state '%s' (queued, in_progress, done, failed)",
			state);
	r = with(ok_reply(), "counts", store_admin_device_counts(env->st));
	if (json_object_get_boolean(json_object_object_get(r, "ok")))
		r = with(r, "devices", store_admin_devices(env->st, state));
	return r;
}

static struct json_object *cmd_device(const struct control_env *env,
				      const char *uuid)
{
	struct json_object *dev = store_admin_device(env->st, uuid);

	if (!dev)
		return control_error("unknown device %s", uuid);
	return with(ok_reply(), "device", dev);
}

/* Read the whole passed file (a regular file of at most max bytes). */
static char *read_passed(int fd, size_t max, size_t *len, char *err,
			 size_t errlen)
{
	struct stat sb;
	size_t off = 0;
	ssize_t n;
	char *buf;

	if (fd < 0) {
		snprintf(err, errlen, "no file passed with the request");
		return NULL;
	}
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) ||
	    (unsigned long long)sb.st_size > max) {
		snprintf(err, errlen, "not a regular file of at most %zu bytes",
			 max);
		return NULL;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	while (off < (size_t)sb.st_size &&
	       (n = pread(fd, buf + off, (size_t)sb.st_size - off,
			  (off_t)off)) > 0)
		off += (size_t)n;
	if (off != (size_t)sb.st_size) {
		snprintf(err, errlen, "read error: %s", strerror(errno));
		free(buf);
		return NULL;
	}
	*len = off;
	return buf;
}

static void free_secret(char *buf, size_t len)
{
	if (buf)
		explicit_bzero(buf, len);
	free(buf);
}

static struct json_object *cmd_psk_import(const struct control_env *env, int fd)
{
	struct json_object *r, *errors, *e;
	struct psk_csv csv;
	char err[128];
	size_t len, i, kept;
	char *text = read_passed(fd, PSK_FILE_MAX, &len, err, sizeof(err));

	if (!text)
		return control_error("%s", err);
	if (psk_csv_parse(&csv, text, len) == 0)
		store_admin_psk_import(env->st, &csv);
	free_secret(text, len);
	if (!csv.n_errors) {
		r = ok_reply();
		add_u64(r, "imported", csv.n_entries);
		psk_csv_free(&csv);
		return with(r, "psk", store_admin_psk_counts(env->st));
	}
	r = control_error("%zu error%s, nothing imported", csv.n_errors,
			  csv.n_errors == 1 ? "" : "s");
	errors = json_object_new_array();
	kept = csv.n_errors < PSK_CSV_ERRORS_MAX ? csv.n_errors :
						   PSK_CSV_ERRORS_MAX;
	for (i = 0; i < kept; i++) {
		e = json_object_new_object();
		json_object_object_add(
			e, "line",
			json_object_new_int((int)csv.errors[i].line));
		json_object_object_add(
			e, "reason",
			json_object_new_string(csv.errors[i].reason));
		json_object_array_add(errors, e);
	}
	json_object_object_add(r, "errors", errors);
	add_u64(r, "error_count", csv.n_errors);
	psk_csv_free(&csv);
	return r;
}

static struct json_object *cmd_psk(const struct control_env *env, int argc,
				   char *const *argv, int fd)
{
	struct json_object *r;

	if (argc == 2 && !strcmp(argv[1], "import"))
		return cmd_psk_import(env, fd);
	if (argc == 2 && !strcmp(argv[1], "list")) {
		r = with(ok_reply(), "counts", store_admin_psk_counts(env->st));
		if (json_object_get_boolean(json_object_object_get(r, "ok")))
			r = with(r, "pairs", store_admin_psk_list(env->st));
		return r;
	}
	return control_error("usage: psk import | psk list");
}

static struct json_object *profile_json(const struct control_env *env)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "name", json_object_new_string(PROFILE_NAME));
	json_object_object_add(p, "hostname_prefix",
			       json_object_new_string(env->hostname_prefix));
	json_object_object_add(p, "domain",
			       json_object_new_string(env->domain));
	json_object_object_add(p, "certs_dir",
			       json_object_new_string(env->certs_dir));
	return p;
}

static struct json_object *cmd_profile(const struct control_env *env, int argc,
				       char *const *argv)
{
	struct json_object *list, *p, *certs;
	char err[256];

	if (argc == 2 && !strcmp(argv[1], "list")) {
		list = json_object_new_array();
		json_object_array_add(list, profile_json(env));
		return with(ok_reply(), "profiles", list);
	}
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "show")) {
		if (argc == 3 && strcmp(argv[2], PROFILE_NAME))
			return control_error(
				"unknown profile '%s' (profiles: " PROFILE_NAME
				")",
				argv[2]);
		p = profile_json(env);
		certs = control_cert_list(env->certs_dir, env->domain, err,
					  sizeof(err));
		json_object_object_add(p, "certs", certs);
		if (!certs)
			json_object_object_add(p, "certs_error",
					       json_object_new_string(err));
		return with(ok_reply(), "profile", p);
	}
	return control_error("usage: profile list | profile show [NAME]");
}

/* Does the daemon serve the chain cert add just installed as NAME? */
static const char *cert_serving(const struct control_env *env, const char *name)
{
	char file[128];

	if (!env->h->cert_installed)
		return "after a restart";
	snprintf(file, sizeof(file), "%s.pem", name);
	switch (env->h->cert_installed(env->ctx, file)) {
	case 0:
		return "now";
	case 1:
		return "after a restart (a chain of that name is served)";
	default:
		return "no (it does not load: see the daemon's log)";
	}
}

static struct json_object *cmd_cert(const struct control_env *env, int argc,
				    char *const *argv, int fd)
{
	struct json_object *o;
	char err[256];
	size_t len;
	char *pem;

	if (argc == 3 && !strcmp(argv[1], "add")) {
		pem = read_passed(fd, 256 * 1024, &len, err, sizeof(err));
		if (!pem)
			return control_error("%s", err);
		o = control_cert_install(env->certs_dir, argv[2], pem, len,
					 env->domain, err, sizeof(err));
		free_secret(pem, len);
		if (!o)
			return control_error("%s", err);
		json_object_object_add(
			o, "serving",
			json_object_new_string(cert_serving(env, argv[2])));
		return with(ok_reply(), "cert", o);
	}
	if (argc == 2 && !strcmp(argv[1], "list")) {
		o = control_cert_list(env->certs_dir, env->domain, err,
				      sizeof(err));
		return o ? with(ok_reply(), "certs", o) :
			   control_error("%s", err);
	}
	return control_error("usage: cert add NAME | cert list");
}

/* A consistent copy of the database into the file the client passed. */
static struct json_object *cmd_backup(const struct control_env *env, int fd)
{
	struct json_object *o;
	char err[256];

	if (fd < 0)
		return control_error("no file passed with the request");
	o = store_backup(env->st, fd, err, sizeof(err));
	if (!o) {
		log_event(LOG_LVL_ERR, "backup_failed", "error=\"%s\"", err);
		return control_error("%s", err);
	}
	log_event(LOG_LVL_INFO, "backup_written", "bytes=%s devices=%s",
		  json_object_get_string(json_object_object_get(o, "bytes")),
		  json_object_get_string(json_object_object_get(o, "devices")));
	return with(ok_reply(), "backup", o);
}

struct json_object *control_cmd_run(const struct control_env *env,
				    const struct control_request *req, int fd)
{
	const char *cmd = req->argv[0];

	if (!strcmp(cmd, "status") && req->argc == 1)
		return cmd_status(env);
	if (!strcmp(cmd, "stats") && req->argc == 1)
		return cmd_stats(env);
	if (!strcmp(cmd, "devices") && req->argc <= 2)
		return cmd_devices(env, req->argc == 2 ? req->argv[1] : NULL);
	if (!strcmp(cmd, "device") && req->argc == 2)
		return cmd_device(env, req->argv[1]);
	if (!strcmp(cmd, "psk"))
		return cmd_psk(env, req->argc, req->argv, fd);
	if (!strcmp(cmd, "profile"))
		return cmd_profile(env, req->argc, req->argv);
	if (!strcmp(cmd, "cert"))
		return cmd_cert(env, req->argc, req->argv, fd);
	if (!strcmp(cmd, "backup") && req->argc == 1)
		return cmd_backup(env, fd);
	return control_error("unknown command '%s' (status, stats, devices, "
			     "device, psk, profile, cert, backup)",
			     cmd);
}
