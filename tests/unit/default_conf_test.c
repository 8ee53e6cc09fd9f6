// SPDX-License-Identifier: GPL-2.0-only
/*
 * The default amtsca.conf that packaging/gen-conf.sh makes from the key
 * table of docs/config.md: with every key uncommented it must load, and
 * load to exactly config_defaults(), so the shipped file and the docs
 * state the daemon's real defaults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "kselftest_harness.h"

TEST(default_conf_states_the_defaults)
{
	char path[] = "/tmp/default_conf_test.XXXXXX", line[512], err[512];
	struct amtsca_config want, got;
	unsigned int keys = 0;
	FILE *gen, *out;
	int fd;

	gen = popen(AMTSCA_SRCDIR "/packaging/gen-conf.sh conf " AMTSCA_SRCDIR
				  "/docs/config.md",
		    "r");
	ASSERT_NE(NULL, gen);
	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	out = fdopen(fd, "w");
	while (fgets(line, sizeof(line), gen)) {
		/* "#key = value": uncomment unless the default is empty. */
		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' &&
		    strstr(line, " = ")) {
			fputs(line + 1, out);
			keys++;
		} else {
			fputs(line, out);
		}
	}
	EXPECT_EQ(0, pclose(gen));
	fclose(out);
	EXPECT_GE(keys, 7);
	config_defaults(&want);
	config_defaults(&got);
	EXPECT_EQ(0, config_load(&got, path, err, sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_EQ(0, memcmp(&want, &got, sizeof(want)))
	TH_LOG("a default in docs/config.md differs from config_defaults()");
	unlink(path);
}

TEST_HARNESS_MAIN
