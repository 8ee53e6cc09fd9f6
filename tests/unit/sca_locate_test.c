// SPDX-License-Identifier: GPL-2.0-only
/* sca_locate: candidate order per amt-protocol.md §2, config, resolving. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "kselftest_harness.h"

#include "sca_locate.h"

static char names[SCA_CANDIDATES_MAX][SCA_NAME_MAX];
static char err[512];

static int parse(const char *text, struct sca_locate_config *cfg)
{
	err[0] = '\0';
	return sca_locate_parse(text, cfg, err, sizeof(err));
}

TEST(static_address_wins)
{
	struct sca_locate_config cfg;

	ASSERT_EQ(0, parse("static_address = 198.18.0.1\n"
			   "fqdn = sca.amt.test\ndomain = amt.test\n",
			   &cfg));
	ASSERT_EQ(1u, sca_locate_candidates(&cfg, names));
	EXPECT_STREQ("198.18.0.1", names[0]);
}

TEST(fqdn_excludes_default_method)
{
	struct sca_locate_config cfg;

	ASSERT_EQ(0, parse("fqdn = sca.amt.test\ndomain = amt.test\n"
			   "dhcp_domain = corp.test\n",
			   &cfg));
	ASSERT_EQ(1u, sca_locate_candidates(&cfg, names));
	EXPECT_STREQ("sca.amt.test", names[0]);
}

TEST(default_method_order)
{
	struct sca_locate_config cfg;

	ASSERT_EQ(0, parse("domain = amt.test\ndhcp_domain = corp.test\n"
			   "dhcpv6_domain = a.test\ndhcpv6_domain = b.test\n"
			   "dhcpv6_domain = c.test\ndhcpv6_domain = d.test\n"
			   "dhcpv6_domain = e.test\nbare_name = yes\n",
			   &cfg));
	ASSERT_EQ(8u, sca_locate_candidates(&cfg, names));
	EXPECT_STREQ("provisionserver.amt.test", names[0]);
	EXPECT_STREQ("provisionserver.corp.test", names[1]);
	EXPECT_STREQ("provisionserver.a.test", names[2]);
	EXPECT_STREQ("provisionserver.e.test", names[6]);
	EXPECT_STREQ("provisionserver", names[7]);
	EXPECT_EQ(9971, cfg.port);
}

TEST(nothing_configured)
{
	struct sca_locate_config cfg;
	struct sockaddr_storage ss;
	socklen_t len;

	ASSERT_EQ(0, parse("# only a comment\n", &cfg));
	EXPECT_EQ(0u, sca_locate_candidates(&cfg, names));
	EXPECT_EQ(-1, sca_locate_resolve(&cfg, AF_UNSPEC, &ss, &len, NULL, err,
					 sizeof(err)));
	EXPECT_STREQ("no static_address, fqdn or domain configured", err);
}

TEST(bad_config_lines)
{
	struct sca_locate_config cfg;

	EXPECT_EQ(-1, parse("domain = a\nnope = 1\n", &cfg));
	EXPECT_STREQ("line 2: unknown key 'nope'", err);
	EXPECT_EQ(-1, parse("port = 70000\n", &cfg));
	EXPECT_STREQ("line 1: '70000' is not a port in 1..65535", err);
	EXPECT_EQ(-1, parse("bare_name = maybe\n", &cfg));
	EXPECT_EQ(-1, parse("host = onlyname\n", &cfg));
	EXPECT_STREQ("line 1: host wants 'NAME ADDRESS'", err);
	EXPECT_EQ(-1, parse("[sec]\ndomain = a\n", &cfg));
	EXPECT_STREQ("line 2: unexpected section [sec]", err);
	EXPECT_EQ(-1,
		  parse("dhcpv6_domain=a\ndhcpv6_domain=b\ndhcpv6_domain=c\n"
			"dhcpv6_domain=d\ndhcpv6_domain=e\ndhcpv6_domain=f\n",
			&cfg));
	EXPECT_STREQ("line 6: more than 5 dhcpv6_domain suffixes", err);
}

/* The hosts entries answer before DNS; the first candidate that resolves wins. */
TEST(resolve_with_hosts_override)
{
	struct sca_locate_config cfg;
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	char chosen[SCA_NAME_MAX], text[64];
	socklen_t len;

	ASSERT_EQ(0, parse("domain = nowhere.invalid\ndhcp_domain = corp.test\n"
			   "port = 19971\ndns = no\n"
			   "host = ProvisionServer.corp.test 198.18.0.7\n",
			   &cfg));
	ASSERT_EQ(0, sca_locate_resolve(&cfg, AF_UNSPEC, &ss, &len, chosen, err,
					sizeof(err)))
	TH_LOG("%s", err);
	EXPECT_STREQ("provisionserver.corp.test", chosen);
	ASSERT_EQ(AF_INET, ss.ss_family);
	EXPECT_EQ(19971, ntohs(s4->sin_port));
	inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
	EXPECT_STREQ("198.18.0.7", text);

	ASSERT_EQ(0, parse("static_address = fd00:a3::1\n", &cfg));
	ASSERT_EQ(0, sca_locate_resolve(&cfg, AF_INET6, &ss, &len, NULL, err,
					sizeof(err)));
	ASSERT_EQ(AF_INET6, ss.ss_family);
	EXPECT_EQ(9971, ntohs(s6->sin6_port));
	inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
	EXPECT_STREQ("fd00:a3::1", text);

	/* A hosts entry with a bad address is no answer. */
	ASSERT_EQ(0, parse("fqdn = sca.nowhere.invalid\ndns = no\n"
			   "host = sca.nowhere.invalid not-an-address\n",
			   &cfg));
	EXPECT_EQ(-1, sca_locate_resolve(&cfg, AF_UNSPEC, &ss, &len, NULL, err,
					 sizeof(err)));
	EXPECT_STREQ(
		"none of 1 candidates resolved (first: sca.nowhere.invalid)",
		err);
}

TEST(load_missing_file)
{
	struct sca_locate_config cfg;

	EXPECT_EQ(-1, sca_locate_load("/nonexistent/amtsim-resolver.conf", &cfg,
				      err, sizeof(err)));
	EXPECT_STREQ(
		"/nonexistent/amtsim-resolver.conf: No such file or directory",
		err);
}

TEST_HARNESS_MAIN
