// SPDX-License-Identifier: GPL-2.0-only
/* Connect, send one request (with an optional fd), read the JSON reply. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "commands.h"
#include "control_client.h"
#include "control_proto.h"

/* Replies bigger than this are not from amtscad (a fleet is ~300 B/device). */
#define REPLY_MAX (256 * 1024 * 1024)

const char *ctl_socket_path;

/* Say what an operator can do about a failed connect. */
static const char *hint(int err, char *buf, size_t len)
{
	struct stat sb;
	struct group *gr;

	if (err == EACCES && stat(ctl_socket_path, &sb) == 0 &&
	    (gr = getgrgid(sb.st_gid))) {
		snprintf(buf, len, " (are you in group %s?)", gr->gr_name);
		return buf;
	}
	if (err == ENOENT || err == ECONNREFUSED)
		return " (is amtscad running?)";
	return "";
}

static int connect_daemon(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char why[96];
	int fd, err;

	if (strlen(ctl_socket_path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "amtscactl: %s: socket path too long\n",
			ctl_socket_path);
		return -1;
	}
	strcpy(sa.sun_path, ctl_socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	err = errno;
	fprintf(stderr, "amtscactl: cannot connect to %s: %s%s\n",
		ctl_socket_path, strerror(err), hint(err, why, sizeof(why)));
	if (fd >= 0)
		close(fd);
	return -1;
}

static int send_request(int sock, const char *line, size_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)line, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (fd >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	/* The line is far below the socket buffer: one sendmsg carries it. */
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static char *read_reply(int sock, size_t *len)
{
	size_t cap = 64 * 1024, off = 0;
	char *buf = malloc(cap), *bigger;
	ssize_t n;

	while (buf && (n = read(sock, buf + off, cap - off - 1)) > 0) {
		off += (size_t)n;
		if (off + 1 == cap) {
			bigger = cap < REPLY_MAX ? realloc(buf, cap * 2) : NULL;
			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	if (buf && n < 0) {
		free(buf);
		return NULL;
	}
	if (buf)
		buf[off] = '\0';
	*len = off;
	return buf;
}

int ctl_call_fd(int argc, char **argv, int fd, struct json_object **reply)
{
	char line[CONTROL_LINE_MAX], err[160], *text;
	enum json_tokener_error jerr;
	size_t len;
	int sock, n;

	n = control_request_format(line, sizeof(line), argc, argv, err,
				   sizeof(err));
	if (n < 0) {
		fprintf(stderr, "amtscactl: %s\n", err);
		return CTL_EXIT_USAGE;
	}
	sock = connect_daemon();
	if (sock >= 0 && send_request(sock, line, (size_t)n, fd)) {
		fprintf(stderr, "amtscactl: %s: send: %s\n", ctl_socket_path,
			strerror(errno));
		close(sock);
		sock = -1;
	}
	if (sock < 0)
		return CTL_EXIT_FAILURE;
	text = read_reply(sock, &len);
	close(sock);
	*reply = text ? json_tokener_parse_verbose(text, &jerr) : NULL;
	free(text);
	if (!*reply || !json_object_is_type(*reply, json_type_object)) {
		fprintf(stderr, "amtscactl: %s: no valid reply from amtscad\n",
			ctl_socket_path);
		json_object_put(*reply);
		return CTL_EXIT_FAILURE;
	}
	return CTL_EXIT_OK;
}

int ctl_call(int argc, char **argv, const char *file,
	     struct json_object **reply)
{
	int fd = file ? open(file, O_RDONLY | O_CLOEXEC) : -1, rc;

	if (file && fd < 0) {
		fprintf(stderr, "amtscactl: %s: %s\n", file, strerror(errno));
		return CTL_EXIT_FAILURE;
	}
	rc = ctl_call_fd(argc, argv, fd, reply);
	if (fd >= 0)
		close(fd);
	return rc;
}

int ctl_call_ok(int argc, char **argv, const char *file,
		struct json_object **reply)
{
	int rc = ctl_call(argc, argv, file, reply);

	if (rc)
		return rc;
	if (json_object_get_boolean(json_object_object_get(*reply, "ok")))
		return CTL_EXIT_OK;
	fprintf(stderr, "amtscactl: %s\n",
		json_object_get_string(
			json_object_object_get(*reply, "error")));
	json_object_put(*reply);
	*reply = NULL;
	return CTL_EXIT_FAILURE;
}

int ctl_query(int argc, char **argv, int json,
	      int (*print)(struct json_object *reply))
{
	struct json_object *r;
	int rc = ctl_call_ok(argc, argv, NULL, &r);

	if (rc)
		return rc;
	rc = json ? ctl_print_json(r) : print(r);
	json_object_put(r);
	return rc;
}

int ctl_print_json(struct json_object *obj)
{
	if (puts(json_object_to_json_string_ext(
		    obj, JSON_C_TO_STRING_PLAIN |
				 JSON_C_TO_STRING_NOSLASHESCAPE)) == EOF ||
	    fflush(stdout)) {
		fprintf(stderr, "amtscactl: write error\n");
		return CTL_EXIT_FAILURE;
	}
	return CTL_EXIT_OK;
}

int ctl_take_flag(int *argc, char **argv, const char *flag)
{
	int i, found = 0;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], flag))
			continue;
		memmove(&argv[i], &argv[i + 1],
			(size_t)(*argc - i) * sizeof(*argv));
		(*argc)--;
		found = 1;
		i--;
	}
	return found;
}
