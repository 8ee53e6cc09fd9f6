// SPDX-License-Identifier: GPL-2.0-only
/* HTTP Digest: RFC 2617 vectors, header parsing, client/server round trip. */
#include <string.h>

#include "http_digest.h"
#include "kselftest_harness.h"

#define RFC_CHALLENGE                                                  \
	"Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", " \
	"nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "               \
	"opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""

#define RFC_AUTHORIZATION                                                      \
	"Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "           \
	"nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "                       \
	"uri=\"/dir/index.html\", qop=auth, nc=00000001, "                     \
	"cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", " \
	"opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""

static int parse_ch(const char *s, struct http_digest_challenge *c)
{
	return http_digest_parse_challenge(s, strlen(s), c);
}

static int parse_auth(const char *s, bool decimal_nc,
		      struct http_digest_credentials *r)
{
	return http_digest_parse_authorization(s, strlen(s), decimal_nc, r);
}

TEST(rfc2617_challenge)
{
	struct http_digest_challenge c;

	ASSERT_EQ(HTTP_DIGEST_OK, parse_ch(RFC_CHALLENGE, &c));
	EXPECT_STREQ("testrealm@host.com", c.realm);
	EXPECT_STREQ("dcd98b7102dd2f0e8b11d0f600bfb0c093", c.nonce);
	EXPECT_STREQ("5ccc069c403ebaf9f0171e9517f40e41", c.opaque);
	EXPECT_STREQ("", c.algorithm);
	EXPECT_TRUE(c.has_qop);
	EXPECT_TRUE(c.qop_auth);
	EXPECT_TRUE(c.qop_auth_int);
	EXPECT_FALSE(c.stale);
}

TEST(rfc2617_client_response)
{
	struct http_digest_challenge c;
	char out[1024];

	ASSERT_EQ(HTTP_DIGEST_OK, parse_ch(RFC_CHALLENGE, &c));
	ASSERT_EQ(HTTP_DIGEST_OK,
		  http_digest_authorization(&c, "Mufasa", "Circle Of Life",
					    "GET", "/dir/index.html",
					    "0a4f113b", 1, out, sizeof(out)));
	EXPECT_STREQ(RFC_AUTHORIZATION, out);
	/* One byte too small fails cleanly. */
	EXPECT_EQ(HTTP_DIGEST_ERR_BUFFER,
		  http_digest_authorization(&c, "Mufasa", "Circle Of Life",
					    "GET", "/dir/index.html",
					    "0a4f113b", 1, out, strlen(out)));
}

TEST(rfc2617_server_verify)
{
	struct http_digest_challenge c;
	struct http_digest_credentials r;
	char ha1[HTTP_DIGEST_HEX_LEN + 1];

	ASSERT_EQ(HTTP_DIGEST_OK, parse_ch(RFC_CHALLENGE, &c));
	ASSERT_EQ(HTTP_DIGEST_OK, parse_auth(RFC_AUTHORIZATION, false, &r));
	EXPECT_STREQ("Mufasa", r.username);
	EXPECT_STREQ("/dir/index.html", r.uri);
	EXPECT_STREQ("auth", r.qop);
	EXPECT_STREQ("0a4f113b", r.cnonce);
	EXPECT_EQ(1u, r.nc);
	EXPECT_EQ(HTTP_DIGEST_OK,
		  http_digest_verify(&r, &c, "GET", "Circle Of Life"));
	EXPECT_EQ(HTTP_DIGEST_ERR_RESPONSE,
		  http_digest_verify(&r, &c, "GET", "Circle of Life"));
	EXPECT_EQ(HTTP_DIGEST_ERR_RESPONSE,
		  http_digest_verify(&r, &c, "POST", "Circle Of Life"));
	/* The same check from a stored HA1, in either case. */
	ASSERT_EQ(HTTP_DIGEST_OK,
		  http_digest_ha1("Mufasa", c.realm, "Circle Of Life", ha1));
	EXPECT_STREQ("939e7578ed9e3c518a452acee763bce9", ha1);
	EXPECT_EQ(HTTP_DIGEST_OK, http_digest_verify_ha1(&r, &c, "GET", ha1));
	EXPECT_EQ(HTTP_DIGEST_OK,
		  http_digest_verify_ha1(&r, &c, "GET",
					 "939E7578ED9E3C518A452ACEE763BCE9"));
	EXPECT_EQ(HTTP_DIGEST_ERR_RESPONSE,
		  http_digest_verify_ha1(&r, &c, "GET",
					 "939e7578ed9e3c518a452acee763bce8"));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX,
		  http_digest_verify_ha1(&r, &c, "GET", "939e"));
	strcpy(c.nonce, "other");
	EXPECT_EQ(HTTP_DIGEST_ERR_NONCE,
		  http_digest_verify(&r, &c, "GET", "Circle Of Life"));
	strcpy(c.realm, "other");
	EXPECT_EQ(HTTP_DIGEST_ERR_REALM,
		  http_digest_verify(&r, &c, "GET", "Circle Of Life"));
}

/* RFC 2069 form (no qop): the response is MD5(HA1:nonce:HA2). */
TEST(rfc2069_without_qop)
{
	struct http_digest_challenge c;
	struct http_digest_credentials r;
	char out[1024];

	ASSERT_EQ(HTTP_DIGEST_OK,
		  parse_ch("Digest realm=\"testrealm@host.com\", "
			   "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"",
			   &c));
	EXPECT_FALSE(c.has_qop);
	ASSERT_EQ(HTTP_DIGEST_OK,
		  http_digest_authorization(&c, "Mufasa", "Circle Of Life",
					    "GET", "/dir/index.html", NULL, 1,
					    out, sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "qop"));
	EXPECT_NE(NULL,
		  strstr(out, "response=\"670fd8c2df070c60b045671b8b24ff02\""));
	ASSERT_EQ(HTTP_DIGEST_OK, parse_auth(out, false, &r));
	EXPECT_EQ(HTTP_DIGEST_OK,
		  http_digest_verify(&r, &c, "GET", "Circle Of Life"));
	/* No downgrade to RFC 2069 once qop was offered. */
	c.has_qop = c.qop_auth = true;
	EXPECT_EQ(HTTP_DIGEST_ERR_QOP,
		  http_digest_verify(&r, &c, "GET", "Circle Of Life"));
}

/* The AMT 16.1 capture from amt-protocol.md. */
TEST(amt_challenge)
{
	struct http_digest_challenge c;

	ASSERT_EQ(
		HTTP_DIGEST_OK,
		parse_ch("Digest realm=\"Digest:2517B2332AFD88353D5F5FD352697901\","
			 "nonce=\"QYePBLMVAAAAAAAAjfXveceOM5bNfu/K\","
			 "stale=\"false\",qop=\"auth-int, auth\"",
			 &c));
	EXPECT_STREQ("Digest:2517B2332AFD88353D5F5FD352697901", c.realm);
	EXPECT_STREQ("QYePBLMVAAAAAAAAjfXveceOM5bNfu/K", c.nonce);
	EXPECT_TRUE(c.qop_auth);
	EXPECT_TRUE(c.qop_auth_int);
	EXPECT_FALSE(c.stale);
	ASSERT_EQ(HTTP_DIGEST_OK,
		  parse_ch("digest  nonce=x, realm=y, stale=TRUE, qop=auth-int",
			   &c));
	EXPECT_TRUE(c.stale);
	EXPECT_FALSE(c.qop_auth);
}

TEST(challenge_errors)
{
	static char long_realm[400];
	struct http_digest_challenge c;
	char out[512];

	EXPECT_EQ(HTTP_DIGEST_ERR_SCHEME, parse_ch("Basic realm=\"x\"", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_SCHEME, parse_ch("Digestrealm=x", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_SCHEME, parse_ch("", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_MISSING, parse_ch("Digest realm=x", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_MISSING, parse_ch("Digest nonce=x", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX, parse_ch("Digest realm=\"x", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX, parse_ch("Digest realm", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX, parse_ch("Digest realm=", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX, parse_ch("Digest realm=x y", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX, parse_ch("Digest =x", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX,
		  parse_ch("Digest realm=\"a\r\nX: y\", nonce=n", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX, parse_ch("Digest realm=\"x\\", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_DUPLICATE,
		  parse_ch("Digest realm=x, nonce=y, REALM=z", &c));
	memset(long_realm, 'a', sizeof(long_realm) - 1);
	snprintf(out, sizeof(out), "Digest nonce=n, realm=\"%.300s\"",
		 long_realm);
	EXPECT_EQ(HTTP_DIGEST_ERR_TOO_LONG, parse_ch(out, &c));
	/* Escapes are undone; the length given is honoured, not the NUL. */
	ASSERT_EQ(HTTP_DIGEST_OK,
		  parse_ch("Digest realm=\"a\\\"b\\\\c\", nonce=n, , unknown=1",
			   &c));
	EXPECT_STREQ("a\"b\\c", c.realm);
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX,
		  http_digest_parse_challenge("Digest realm=\"x\", nonce=y", 22,
					      &c));
	/* Algorithms and qop the client cannot answer. */
	ASSERT_EQ(HTTP_DIGEST_OK,
		  parse_ch("Digest realm=r, nonce=n, algorithm=SHA-256", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_ALGORITHM,
		  http_digest_authorization(&c, "u", "p", "GET", "/", "c", 1,
					    out, sizeof(out)));
	ASSERT_EQ(HTTP_DIGEST_OK,
		  parse_ch("Digest realm=r, nonce=n, qop=\"auth-int\"", &c));
	EXPECT_EQ(HTTP_DIGEST_ERR_QOP,
		  http_digest_authorization(&c, "u", "p", "GET", "/", "c", 1,
					    out, sizeof(out)));
}

/* Host-based setup clients send nc="6" (amt-protocol.md). */
TEST(quoted_decimal_nc)
{
	static const char hdr[] =
		"Digest username=\"$$OsAdmin\",realm=\"Digest:3ED50000000000000000000000000000\","
		"nonce=\"VG1NAa0BAAAAAAAApMqtaJSc/SqvFkMz\",uri=\"/wsman\",qop=\"auth\","
		"response=\"66963f587da1752c0993ed776d64d605\",nc=\"6\","
		"cnonce=\"5f282c3ce8862804e96af64fdc3ff846\"";
	struct http_digest_credentials r;

	EXPECT_EQ(HTTP_DIGEST_ERR_NC, parse_auth(hdr, false, &r));
	ASSERT_EQ(HTTP_DIGEST_OK, parse_auth(hdr, true, &r));
	EXPECT_EQ(6u, r.nc);
	EXPECT_STREQ("6", r.nc_text);
	EXPECT_STREQ("$$OsAdmin", r.username);
	EXPECT_STREQ("auth", r.qop);
}

TEST(authorization_errors)
{
	struct http_digest_credentials r;

#define BASE                                               \
	"Digest username=u, realm=r, nonce=n, uri=\"/\", " \
	"response=\"0123456789abcdef0123456789ABCDEF\""
	EXPECT_EQ(HTTP_DIGEST_OK, parse_auth(BASE, false, &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_MISSING,
		  parse_auth("Digest username=u, realm=r, nonce=n, uri=\"/\"",
			     false, &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX,
		  parse_auth("Digest username=u, realm=r, nonce=n, uri=\"/\", "
			     "response=\"0123\"",
			     false, &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_MISSING,
		  parse_auth(BASE ", qop=auth, nc=00000001", false, &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_MISSING,
		  parse_auth(BASE ", qop=auth, cnonce=c", false, &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_QOP,
		  parse_auth(BASE ", qop=auth-int, cnonce=c, nc=00000001",
			     false, &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_NC,
		  parse_auth(BASE ", qop=auth, cnonce=c, nc=0000001", false,
			     &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_NC,
		  parse_auth(BASE ", qop=auth, cnonce=c, nc=\"00000001x\"",
			     true, &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_NC,
		  parse_auth(BASE ", qop=auth, cnonce=c, nc=\"4294967296\"",
			     true, &r));
	ASSERT_EQ(HTTP_DIGEST_OK,
		  parse_auth(BASE ", qop=auth, cnonce=c, nc=fFfFfFfF", false,
			     &r));
	EXPECT_EQ(0xffffffffu, r.nc);
	EXPECT_EQ(HTTP_DIGEST_ERR_ALGORITHM,
		  parse_auth(BASE ", algorithm=MD5-sess", false, &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_DUPLICATE,
		  parse_auth(BASE ", username=v", false, &r));
	EXPECT_EQ(HTTP_DIGEST_ERR_SCHEME, parse_auth("Basic dTpw", false, &r));
#undef BASE
}

TEST(server_challenge_round_trip)
{
	struct http_digest_challenge server, client, second;
	struct http_digest_credentials r;
	char hdr[1024], auth[1024];
	size_t i;

	ASSERT_EQ(HTTP_DIGEST_OK,
		  http_digest_make_challenge(&server, NULL, false));
	ASSERT_EQ(39u, strlen(server.realm));
	ASSERT_EQ(0, strncmp(server.realm, "Digest:", 7));
	for (i = 7; i < 39; i++)
		ASSERT_NE(NULL, strchr("0123456789ABCDEF", server.realm[i]));
	ASSERT_EQ(32u, strlen(server.nonce));

	ASSERT_EQ(HTTP_DIGEST_OK,
		  http_digest_format_challenge(&server, hdr, sizeof(hdr)));
	ASSERT_EQ(HTTP_DIGEST_OK, parse_ch(hdr, &client));
	EXPECT_STREQ(server.realm, client.realm);
	EXPECT_STREQ(server.nonce, client.nonce);
	EXPECT_TRUE(client.qop_auth);
	EXPECT_FALSE(client.stale);

	ASSERT_EQ(HTTP_DIGEST_OK,
		  http_digest_authorization(&client, "admin", "P@ss\"w0rd",
					    "POST", "/wsman", NULL, 7, auth,
					    sizeof(auth)));
	ASSERT_EQ(HTTP_DIGEST_OK, parse_auth(auth, false, &r));
	EXPECT_EQ(7u, r.nc);
	EXPECT_EQ(32u, strlen(r.cnonce));
	EXPECT_EQ(HTTP_DIGEST_OK,
		  http_digest_verify(&r, &server, "POST", "P@ss\"w0rd"));
	EXPECT_EQ(HTTP_DIGEST_ERR_RESPONSE,
		  http_digest_verify(&r, &server, "POST", "wrong"));

	/* A fresh nonce invalidates the old answer; stale is signalled. */
	second = server;
	ASSERT_EQ(HTTP_DIGEST_OK, http_digest_new_nonce(&second));
	EXPECT_STRNE(server.nonce, second.nonce);
	EXPECT_EQ(HTTP_DIGEST_ERR_NONCE,
		  http_digest_verify(&r, &second, "POST", "P@ss\"w0rd"));
	ASSERT_EQ(HTTP_DIGEST_OK,
		  http_digest_make_challenge(&second, server.realm, true));
	EXPECT_STREQ(server.realm, second.realm);
	ASSERT_EQ(HTTP_DIGEST_OK,
		  http_digest_format_challenge(&second, hdr, sizeof(hdr)));
	ASSERT_EQ(HTTP_DIGEST_OK, parse_ch(hdr, &client));
	EXPECT_TRUE(client.stale);
	EXPECT_EQ(HTTP_DIGEST_ERR_BUFFER,
		  http_digest_format_challenge(&second, hdr, 20));
	/* Caller input that would split a header is refused. */
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX,
		  http_digest_authorization(&client, "ad\r\nmin", "pw", "POST",
					    "/wsman", NULL, 1, auth,
					    sizeof(auth)));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX,
		  http_digest_authorization(&client, "admin", "pw", "POST",
					    "/ws\nman", NULL, 1, auth,
					    sizeof(auth)));
	EXPECT_EQ(HTTP_DIGEST_ERR_SYNTAX,
		  http_digest_make_challenge(&second, "Digest:\r\n", false));
}

TEST_HARNESS_MAIN
