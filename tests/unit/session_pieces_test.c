// SPDX-License-Identifier: GPL-2.0-only
/*
 * The provisioning session's pieces that need no network: generated
 * secrets and host names, the SetAdminAclEntryEx digest, PKI chain
 * selection by Hello root hash and domain, and the [session] config keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "config.h"
#include "kselftest_harness.h"
#include "prov_match.h"

#include "../../userspace/amtscad/session_certs.h"
#include "../../userspace/amtscad/session_secrets.h"
#include "../../userspace/amtscad/session_tls.h"

#define REALM "Digest:0123456789ABCDEF0123456789ABCDEF"

TEST(admin_password_meets_amt_rules)
{
	char pw[ADMIN_PASSWORD_LEN + 1], prev[ADMIN_PASSWORD_LEN + 1] = "";
	int i;

	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, secret_admin_password(pw, ADMIN_PASSWORD_LEN));
		EXPECT_EQ(ADMIN_PASSWORD_LEN, strlen(pw));
		EXPECT_TRUE(secret_password_ok(pw));
		EXPECT_EQ(NULL, strpbrk(pw, "<>&\"'"));
		EXPECT_STRNE(prev, pw);
		strcpy(prev, pw);
	}
	EXPECT_FALSE(secret_password_ok("alllower1!"));
	EXPECT_FALSE(secret_password_ok("NoDigits!!"));
	EXPECT_FALSE(secret_password_ok("NoSymbol12"));
	EXPECT_FALSE(secret_password_ok("Sh0rt!"));
	EXPECT_TRUE(secret_password_ok("Adm1n!pw"));
	EXPECT_EQ(-1, secret_admin_password(pw, 7));
}

TEST(pid_pps_alphabet)
{
	char pps[PPS_LEN + 1];
	int i;

	ASSERT_EQ(0, secret_pid_pps_chars(pps, PPS_LEN));
	ASSERT_EQ(PPS_LEN, strlen(pps));
	for (i = 0; i < PPS_LEN; i++)
		EXPECT_NE(NULL, strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
				       pps[i]));
}

TEST(hostname_from_uuid)
{
	char host[64];

	ASSERT_EQ(0, secret_hostname("amt-",
				     "01234567-89AB-CDEF-0123-456789ABCDEF",
				     host, sizeof(host)));
	EXPECT_STREQ("amt-456789abcdef", host);
	EXPECT_EQ(-1, secret_hostname("amt-", "short", host, sizeof(host)));
	EXPECT_EQ(-1, secret_hostname("amt-",
				      "01234567-89ab-cdef-0123-456789abcdef",
				      host, 10));
}

TEST(acl_digest_encodings)
{
	char out[64];

	/* printf 'admin:REALM:Adm1n!pw' | openssl md5 [-binary | base64] */
	ASSERT_EQ(0, secret_acl_digest("admin", REALM, "Adm1n!pw", 1, out,
				       sizeof(out)));
	EXPECT_STREQ("3JkDTWWv2SbVuiSIkHerPw==", out);
	ASSERT_EQ(0, secret_acl_digest("admin", REALM, "Adm1n!pw", 0, out,
				       sizeof(out)));
	EXPECT_STREQ("dc99034d65afd926d5ba24889077ab3f", out);
	EXPECT_EQ(-1, secret_acl_digest("admin", REALM, "x", 0, out, 32));
}

TEST(cn_domain_suffix)
{
	EXPECT_TRUE(prov_cn_matches_domain("sca.amt.test", "amt.test"));
	EXPECT_TRUE(prov_cn_matches_domain("amt.test", "amt.test"));
	EXPECT_TRUE(prov_cn_matches_domain("SCA.AMT.test", "amt.TEST"));
	/* A suffix as doctor's --suffix gives it, with its leading dot. */
	EXPECT_TRUE(prov_cn_matches_domain("sca.amt.test", ".amt.test"));
	EXPECT_FALSE(prov_cn_matches_domain("sca.notamt.test", "amt.test"));
	EXPECT_FALSE(prov_cn_matches_domain("sca.wrong-amt.test", "amt.test"));
	EXPECT_FALSE(prov_cn_matches_domain("test", "amt.test"));
	EXPECT_FALSE(prov_cn_matches_domain("sca.amt.test", ""));
	EXPECT_FALSE(prov_cn_matches_domain("sca.amt.test", "."));
}

FIXTURE(certs)
{
	char dir[64];
	unsigned char root_sha256[32], root_sha1[20], root_sha512[64];
};

static int sh(const char *cmd)
{
	return system(cmd);
}

static void root_digests(const char *path, unsigned char *s256,
			 unsigned char *s1, unsigned char *s512)
{
	FILE *f = fopen(path, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	unsigned int len;

	if (f)
		fclose(f);
	if (x) {
		X509_digest(x, EVP_sha256(), s256, &len);
		X509_digest(x, EVP_sha1(), s1, &len);
		X509_digest(x, EVP_sha512(), s512, &len);
	}
	X509_free(x);
}

FIXTURE_SETUP(certs)
{
	char cmd[2048];

	strcpy(self->dir, "/tmp/amtd-certs.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	/* Root + leaf CN=sca.amt.test, and a second chain for another domain. */
	snprintf(
		cmd, sizeof(cmd),
		"cd %s && mkdir certs && for n in a b; do "
		"openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		"-keyout root_$n.key -out root_$n.pem -subj /CN=root-$n -days 2 2>/dev/null || exit 1; done; "
		"for n in a b; do d=amt.test; [ $n = b ] && d=other.test; "
		"openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		"-keyout leaf_$n.key -out leaf_$n.csr -subj /CN=sca.$d 2>/dev/null || exit 1; "
		"openssl x509 -req -in leaf_$n.csr -CA root_$n.pem -CAkey root_$n.key "
		"-CAcreateserial -out leaf_$n.pem -days 2 2>/dev/null || exit 1; "
		"cat leaf_$n.pem root_$n.pem leaf_$n.key > certs/$n.pem; done; "
		"echo junk > certs/broken.pem",
		self->dir);
	ASSERT_EQ(0, sh(cmd));
	snprintf(cmd, sizeof(cmd), "%s/root_a.pem", self->dir);
	root_digests(cmd, self->root_sha256, self->root_sha1,
		     self->root_sha512);
}

FIXTURE_TEARDOWN(certs)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	sh(cmd);
}

static SSL_CTX *make_ctx(const char *path, void *arg)
{
	(void)arg;
	return session_tls_ctx_pki(path, path, TLS1_2_VERSION, TLS1_2_VERSION);
}

/* A v3 Hello with one hash entry of the given type. */
static __u32 pki_hello(__u8 *buf, __u8 type, const unsigned char *hash,
		       __u8 size)
{
	memset(buf, 0, AMT_HELLO_PKI_HDR_LEN);
	buf[2] = AMT_HELLO_VERSION_PKI;
	buf[AMT_HELLO_HDR_LEN] = 1;
	buf[AMT_HELLO_PKI_HDR_LEN] = type;
	buf[AMT_HELLO_PKI_HDR_LEN + 1] = size;
	memcpy(buf + AMT_HELLO_PKI_HDR_LEN + 2, hash, size);
	return AMT_HELLO_PKI_HDR_LEN + 2 + size;
}

TEST_F(certs, chain_chosen_by_root_hash_and_domain)
{
	char path[128], name[128] = "";
	struct cert_set *cs;
	__u8 hello[AMT_HELLO_MAX_LEN];
	unsigned char other[32] = { 1 };
	__u32 len;

	snprintf(path, sizeof(path), "%s/certs", self->dir);
	cs = cert_set_load(path, make_ctx, NULL);
	ASSERT_NE(NULL, cs);
	EXPECT_EQ(2, cert_set_count(cs));

	len = pki_hello(hello, AMT_HASH_SHA256, self->root_sha256, 32);
	EXPECT_NE(NULL, cert_set_match(cs, hello, len, 0, "amt.test", name,
				       sizeof(name)));
	EXPECT_STREQ("a.pem", name);
	/* Same root, but the profile's domain is not the leaf's. */
	EXPECT_EQ(NULL, cert_set_match(cs, hello, len, 0, "else.test", name,
				       sizeof(name)));
	len = pki_hello(hello, AMT_HASH_SHA1, self->root_sha1, 20);
	EXPECT_NE(NULL, cert_set_match(cs, hello, len, 0, "amt.test", name,
				       sizeof(name)));
	/* A root the device does not trust. */
	len = pki_hello(hello, AMT_HASH_SHA256, other, 32);
	EXPECT_EQ(NULL, cert_set_match(cs, hello, len, 0, "amt.test", name,
				       sizeof(name)));
	/* Hash type 3 read as SHA-512 (hello.type3_sha512) names the root. */
	len = pki_hello(hello, AMT_HASH_SHA384, self->root_sha512, 64);
	EXPECT_NE(NULL, cert_set_match(cs, hello, len, AMT_HELLO_F_TYPE3_SHA512,
				       "amt.test", name, sizeof(name)));
	EXPECT_EQ(NULL, cert_set_match(cs, hello, len, 0, "amt.test", name,
				       sizeof(name)));
	cert_set_free(cs);
}

/* cert add while the daemon runs: the new chain serves the next match. */
TEST_F(certs, chain_added_while_serving)
{
	char path[512], name[128] = "";
	struct cert_set *cs;
	__u8 hello[AMT_HELLO_MAX_LEN];
	__u32 len;

	/* Started without a.pem, the only chain for amt.test. */
	snprintf(path, sizeof(path), "mv %s/certs/a.pem %s/a.pem", self->dir,
		 self->dir);
	ASSERT_EQ(0, sh(path));
	snprintf(path, sizeof(path), "%s/certs", self->dir);
	cs = cert_set_load(path, make_ctx, NULL);
	ASSERT_NE(NULL, cs);
	EXPECT_EQ(1, cert_set_count(cs));
	len = pki_hello(hello, AMT_HASH_SHA256, self->root_sha256, 32);
	EXPECT_EQ(NULL, cert_set_match(cs, hello, len, 0, "amt.test", name,
				       sizeof(name)));

	snprintf(path, sizeof(path), "mv %s/a.pem %s/certs/a.pem", self->dir,
		 self->dir);
	ASSERT_EQ(0, sh(path));
	EXPECT_EQ(-1, cert_set_add(cs, "missing.pem"));
	EXPECT_EQ(-1, cert_set_add(cs, "broken.pem"));
	EXPECT_EQ(-1, cert_set_add(cs, "../certs/a.pem"));
	EXPECT_EQ(0, cert_set_add(cs, "a.pem"));
	EXPECT_EQ(1, cert_set_add(cs, "a.pem"));
	EXPECT_EQ(1, cert_set_add(cs, "b.pem"));
	EXPECT_EQ(2, cert_set_count(cs));
	EXPECT_NE(NULL, cert_set_match(cs, hello, len, 0, "amt.test", name,
				       sizeof(name)));
	EXPECT_STREQ("a.pem", name);
	cert_set_free(cs);
}

TEST(session_config_keys)
{
	struct amtsca_config cfg;
	char err[256];

	config_defaults(&cfg);
	EXPECT_STREQ("ascii", cfg.psk_key_derivation);
	EXPECT_EQ(1, cfg.rotate_psk);
	EXPECT_EQ(0,
		  config_override(&cfg, "session.workers=0", err, sizeof(err)));
	EXPECT_EQ(0, cfg.workers);
	EXPECT_EQ(0,
		  config_override(&cfg, "session.retries=0", err, sizeof(err)));
	EXPECT_EQ(0, config_override(&cfg, "session.rotate_psk=no", err,
				     sizeof(err)));
	EXPECT_EQ(0, cfg.rotate_psk);
	EXPECT_EQ(0, config_override(&cfg, "session.psk_key_derivation=sha256",
				     err, sizeof(err)));
	EXPECT_STREQ("sha256", cfg.psk_key_derivation);
	EXPECT_EQ(0, config_override(&cfg, "profile.domain=corp.test", err,
				     sizeof(err)));
	EXPECT_STREQ("corp.test", cfg.domain);
	EXPECT_EQ(-1, config_override(&cfg, "session.psk_key_derivation=sha",
				      err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "ascii|sha256"));
	EXPECT_EQ(-1, config_override(&cfg, "session.max_inflight=0", err,
				      sizeof(err)));
	EXPECT_EQ(-1, config_override(&cfg, "session.psk_min_tls=1.3", err,
				      sizeof(err)));
	EXPECT_EQ(-1,
		  config_override(&cfg, "profile.bogus=1", err, sizeof(err)));
	EXPECT_STREQ("override 'profile.bogus=1': unknown key profile.bogus",
		     err);
}

TEST_HARNESS_MAIN
