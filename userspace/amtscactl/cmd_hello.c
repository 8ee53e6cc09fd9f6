// SPDX-License-Identifier: GPL-2.0-only
/* amtscactl hello decode: validate one Hello and print it as JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amtsca/hello.h>

#include "commands.h"
#include "hello_json.h"
#include "hello_reason.h"
#include "hexbuf.h"

/*
 * Inputs are read whole so that trailing bytes are reported at their real
 * offset; this bound only keeps a wrong file from filling memory.
 */
#define HELLO_INPUT_MAX (64 * 1024)

static int read_file(const char *path, unsigned char *buf, size_t cap,
		     size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "amtscactl: %s: %s\n", path, strerror(errno));
		return CTL_EXIT_FAILURE;
	}
	n = fread(buf, 1, cap, f);
	if (ferror(f)) {
		fprintf(stderr, "amtscactl: %s: read error\n", path);
		fclose(f);
		return CTL_EXIT_FAILURE;
	}
	if (n == cap && fgetc(f) != EOF) {
		fprintf(stderr,
			"amtscactl: %s: larger than %d bytes, not a Hello\n",
			path, HELLO_INPUT_MAX);
		fclose(f);
		return CTL_EXIT_INVALID;
	}
	fclose(f);
	*len = n;
	return CTL_EXIT_OK;
}

static int decode(const unsigned char *buf, size_t len, __u32 flags)
{
	struct amt_hello_info info;
	int reason;

	reason = amt_hello_validate(buf, (__u32)len, flags, &info);
	if (reason != AMT_HELLO_OK) {
		fprintf(stderr, "amtscactl: invalid hello: %s at byte %u: %s\n",
			amt_hello_reason_str(reason), info.err_off,
			amt_hello_reason_desc(reason));
		return CTL_EXIT_INVALID;
	}
	if (amt_hello_write_json(stdout, buf, &info, flags) ||
	    fputc('\n', stdout) == EOF || fflush(stdout)) {
		fprintf(stderr, "amtscactl: write error\n");
		return CTL_EXIT_FAILURE;
	}
	return CTL_EXIT_OK;
}

static int usage(void)
{
	fputs("usage: amtscactl hello decode [--type3-sha512] [--pid-printable] HEX\n"
	      "       amtscactl hello decode [--type3-sha512] [--pid-printable] --file PATH\n",
	      stderr);
	return CTL_EXIT_USAGE;
}

int cmd_hello(int argc, char **argv)
{
	static unsigned char buf[HELLO_INPUT_MAX];
	const char *file = NULL, *hex = NULL;
	__u32 flags = 0;
	size_t len, bad;
	long n;
	int i, rc;

	if (argc < 2 || strcmp(argv[1], "decode"))
		return usage();
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--type3-sha512"))
			flags |= AMT_HELLO_F_TYPE3_SHA512;
		else if (!strcmp(argv[i], "--pid-printable"))
			flags |= AMT_HELLO_F_PID_PRINTABLE;
		else if (!strcmp(argv[i], "--file") && i + 1 < argc && !file)
			file = argv[++i];
		else if (argv[i][0] != '-' && !hex)
			hex = argv[i];
		else
			return usage();
	}
	if (!!file == !!hex)
		return usage();

	if (file) {
		rc = read_file(file, buf, sizeof(buf), &len);
		if (rc)
			return rc;
		return decode(buf, len, flags);
	}
	n = hex_decode(hex, buf, sizeof(buf), &bad);
	if (n < 0) {
		fprintf(stderr, "amtscactl: invalid hex at character %zu\n",
			bad);
		return CTL_EXIT_INVALID;
	}
	return decode(buf, (size_t)n, flags);
}
