// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: amtsca.conf parsing (libinih callbacks and value
 * checks) and the section.key=value override parser. config_load reads a
 * path, so the input goes through a memfd.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct amtsca_config cfg;
	char path[64], err[256], line[512];
	int fd;

	if (size > 64 * 1024)
		return -1;
	fd = memfd_create("amtsca.conf", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		__builtin_trap();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	config_defaults(&cfg);
	config_load(&cfg, path, err, sizeof(err));
	close(fd);

	if (size < sizeof(line)) {
		memcpy(line, data, size);
		line[size] = '\0';
		config_defaults(&cfg);
		config_override(&cfg, line, err, sizeof(err));
	}
	return 0;
}
