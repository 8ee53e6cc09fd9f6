// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hello_corpus.h"

int read_whole_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	/* malloc(0) may return NULL; keep one byte so an empty file loads. */
	*data = malloc(size ? (size_t)size : 1);
	if (!*data || fread(*data, 1, (size_t)size, f) != (size_t)size) {
		free(*data);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*len = (size_t)size;
	return 0;
}

int hello_corpus_load(struct hello_case **cases)
{
	char line[512], path[512];
	struct hello_case *v = NULL, *c;
	int n = 0, err;
	FILE *f;

	f = fopen(HELLO_CORPUS_DIR "/expect.tsv", "r");
	if (!f) {
		perror(HELLO_CORPUS_DIR "/expect.tsv");
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		c = realloc(v, (n + 1) * sizeof(*v));
		if (!c)
			goto fail;
		v = c;
		c = &v[n];
		memset(c, 0, sizeof(*c));
		if (sscanf(line, "%127s %47s %u", c->file, c->verdict,
			   &c->err_off) != 3) {
			fprintf(stderr, "expect.tsv: bad line: %s", line);
			goto fail;
		}
		snprintf(path, sizeof(path), "%s/%s", HELLO_CORPUS_DIR,
			 c->file);
		err = read_whole_file(path, &c->data, &c->len);
		if (err) {
			fprintf(stderr, "%s: %s\n", path, strerror(-err));
			goto fail;
		}
		n++;
	}
	fclose(f);
	*cases = v;
	return n;
fail:
	fclose(f);
	hello_corpus_free(v, n);
	return -1;
}

void hello_corpus_free(struct hello_case *cases, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(cases[i].data);
	free(cases);
}
