// SPDX-License-Identifier: GPL-2.0-only
/* Secret sealing: round trip, forgery refused, key file checks. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "secretbox.h"

FIXTURE(box)
{
	char dir[64];
	char path[96];
	struct secretbox box;
	char err[256];
};

FIXTURE_SETUP(box)
{
	strcpy(self->dir, "/tmp/secretbox_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/key", self->dir);
}

FIXTURE_TEARDOWN(box)
{
	unlink(self->path);
	rmdir(self->dir);
}

TEST_F(box, creates_key_0600_and_round_trips)
{
	static const char secret[] = "P@ssw0rd-admin";
	unsigned char sealed[sizeof(secret) + SECRETBOX_OVERHEAD];
	unsigned char sealed2[sizeof(sealed)];
	unsigned char plain[sizeof(secret)];
	struct secretbox again;
	struct stat st;

	ASSERT_EQ(0, secretbox_load_key(&self->box, self->path, self->err,
					sizeof(self->err)));
	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(SECRETBOX_KEY_LEN, st.st_size);
	ASSERT_EQ(0, secretbox_seal(&self->box, (const unsigned char *)secret,
				    sizeof(secret), "devices:uuid-1", sealed));
	ASSERT_EQ(0, secretbox_seal(&self->box, (const unsigned char *)secret,
				    sizeof(secret), "devices:uuid-1", sealed2));
	/* A fresh nonce each time. */
	EXPECT_NE(0, memcmp(sealed, sealed2, sizeof(sealed)));
	/* Reloading the existing file yields the same key. */
	ASSERT_EQ(0, secretbox_load_key(&again, self->path, self->err,
					sizeof(self->err)));
	ASSERT_EQ(0, secretbox_open(&again, sealed, sizeof(sealed),
				    "devices:uuid-1", plain));
	EXPECT_STREQ(secret, (char *)plain);
	secretbox_clear(&again);
	secretbox_clear(&self->box);
}

TEST_F(box, tampered_ciphertext_or_ad_refused)
{
	static const char secret[] = "another secret";
	unsigned char sealed[sizeof(secret) + SECRETBOX_OVERHEAD];
	unsigned char plain[sizeof(secret)];
	size_t i;

	ASSERT_EQ(0, secretbox_load_key(&self->box, self->path, self->err,
					sizeof(self->err)));
	ASSERT_EQ(0, secretbox_seal(&self->box, (const unsigned char *)secret,
				    sizeof(secret), "row-a", sealed));
	EXPECT_EQ(-1, secretbox_open(&self->box, sealed, sizeof(sealed),
				     "row-b", plain));
	for (i = 0; i < sizeof(sealed); i++) {
		sealed[i] ^= 0x01;
		EXPECT_EQ(-1, secretbox_open(&self->box, sealed, sizeof(sealed),
					     "row-a", plain));
		sealed[i] ^= 0x01;
	}
	EXPECT_EQ(-1, secretbox_open(&self->box, sealed, SECRETBOX_OVERHEAD - 1,
				     "row-a", plain));
	EXPECT_EQ(0, secretbox_open(&self->box, sealed, sizeof(sealed), "row-a",
				    plain));
}

TEST_F(box, key_file_perms_and_size_refused)
{
	unsigned char junk[SECRETBOX_KEY_LEN + 1] = { 0 };
	int fd;

	fd = open(self->path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT_GE(fd, 0);
	ASSERT_EQ((ssize_t)sizeof(junk), write(fd, junk, sizeof(junk)));
	close(fd);
	EXPECT_EQ(-1, secretbox_load_key(&self->box, self->path, self->err,
					 sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "exactly 32 bytes"));
	ASSERT_EQ(0, truncate(self->path, SECRETBOX_KEY_LEN));
	ASSERT_EQ(0, chmod(self->path, 0640));
	EXPECT_EQ(-1, secretbox_load_key(&self->box, self->path, self->err,
					 sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "group or others"));
	ASSERT_EQ(0, chmod(self->path, 0600));
	EXPECT_EQ(0, secretbox_load_key(&self->box, self->path, self->err,
					sizeof(self->err)));
}

TEST_HARNESS_MAIN
