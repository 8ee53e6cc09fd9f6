// SPDX-License-Identifier: GPL-2.0-only
/* Fleet credentials CSV: valid files, every rejection with its line. */
#include <string.h>

#include "kselftest_harness.h"
#include "psk_csv.h"

#define PPS1 "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
#define PPS2 "0123456789ABCDEFGHIJKLMNOPQRSTUV"

static int parse(struct psk_csv *csv, const char *text)
{
	return psk_csv_parse(csv, text, strlen(text));
}

TEST(valid_file_with_quotes_dashes_and_crlf)
{
	static const char text[] =
		"pid,pps,mebx_password\r\n"
		"ABCD1234," PPS1 ",P@ssw0rd!\r\n"
		"\r\n"
		"\"EFGH-5678\",\"0123-4567-89AB-CDEF-GHIJ-KLMN-OPQR-STUV\","
		"\"a,\"\"quoted\"\" pw\"\r\n"
		"IJKL9012," PPS1 ",\n";
	struct psk_csv csv;

	ASSERT_EQ(0, parse(&csv, text));
	ASSERT_EQ(3, csv.n_entries);
	EXPECT_EQ(0, csv.n_errors);
	EXPECT_EQ(2, csv.entries[0].line);
	EXPECT_STREQ("ABCD1234", csv.entries[0].pid);
	EXPECT_STREQ(PPS1, csv.entries[0].pps);
	EXPECT_STREQ("P@ssw0rd!", csv.entries[0].mebx);
	EXPECT_EQ(4, csv.entries[1].line);
	EXPECT_STREQ("EFGH5678", csv.entries[1].pid);
	EXPECT_STREQ(PPS2, csv.entries[1].pps);
	EXPECT_STREQ("a,\"quoted\" pw", csv.entries[1].mebx);
	EXPECT_EQ(5, csv.entries[2].line);
	EXPECT_STREQ("", csv.entries[2].mebx);
	psk_csv_free(&csv);
}

TEST(two_column_header_and_no_final_newline)
{
	struct psk_csv csv;

	ASSERT_EQ(0, parse(&csv, "PID,PPS\nABCD1234," PPS1));
	ASSERT_EQ(1, csv.n_entries);
	EXPECT_STREQ("", csv.entries[0].mebx);
	psk_csv_free(&csv);
}

TEST(every_bad_line_reported_with_its_number)
{
	static const char text[] =
		"pid,pps,mebx_password\n"
		"abcd1234," PPS1 ",x\n" /* 2: lower case */
		"ABCD123," PPS1 ",x\n" /* 3: short PID */
		"ABCD1234," PPS1 "6,x\n" /* 4: long PPS */
		"ABCD1235," PPS1 "\n" /* 5: two fields */
		"ABCD1236," PPS1 ",x,y\n" /* 6: four fields */
		"ABCD1237," PPS1 ",123456789012345678901234567890123\n" /* 7 */
		"ABCD1238," PPS1 ",\"multi\nline\"\n" /* 8-9: control char */
		"ABCD1239," PPS1 ",ok\n" /* 10: valid */
		"ABCD1239," PPS2 ",ok\n"; /* 11: repeats line 10 */
	static const struct {
		unsigned int line;
		const char *reason;
	} want[] = {
		{ 2, "PID must be 8 characters A-Z 0-9 (dashes ignored)" },
		{ 3, "PID must be 8 characters A-Z 0-9 (dashes ignored)" },
		{ 4,
		  "PPS of ABCD1234 must be 32 characters A-Z 0-9 (dashes ignored)" },
		{ 5, "2 fields, the header has 3" },
		{ 6, "4 fields, at most 3 expected" },
		{ 7,
		  "MEBx password of ABCD1237 must be 0..32 printable ASCII characters" },
		{ 8,
		  "MEBx password of ABCD1238 must be 0..32 printable ASCII characters" },
		{ 11, "PID ABCD1239 repeats line 10" },
	};
	struct psk_csv csv;
	size_t i;

	ASSERT_EQ(-1, parse(&csv, text));
	ASSERT_EQ(sizeof(want) / sizeof(want[0]), csv.n_errors);
	for (i = 0; i < csv.n_errors; i++) {
		EXPECT_EQ(want[i].line, csv.errors[i].line);
		EXPECT_STREQ(want[i].reason, csv.errors[i].reason);
	}
	psk_csv_free(&csv);
}

TEST(no_secret_in_any_reason)
{
	struct psk_csv csv;
	size_t i;

	ASSERT_EQ(-1, parse(&csv, "pid,pps,mebx_password\n"
				  "ABCD1234,SECRETPPS,x\n"
				  "ABCD1235," PPS1 ",SECRETMEBX\x01\n"));
	ASSERT_EQ(2, csv.n_errors);
	for (i = 0; i < csv.n_errors; i++) {
		EXPECT_EQ(NULL, strstr(csv.errors[i].reason, "SECRET"));
	}
	psk_csv_free(&csv);
}

TEST(header_and_quoting_errors)
{
	struct psk_csv csv;

	ASSERT_EQ(-1, parse(&csv, "uuid,pps\nABCD1234," PPS1 "\n"));
	ASSERT_EQ(1, csv.n_errors);
	EXPECT_EQ(1, csv.errors[0].line);
	EXPECT_STREQ("header must be pid,pps,mebx_password",
		     csv.errors[0].reason);
	psk_csv_free(&csv);

	ASSERT_EQ(-1, parse(&csv, "pid,pps\nABCD1234,\"unterminated\n"));
	ASSERT_EQ(1, csv.n_errors);
	EXPECT_EQ(2, csv.errors[0].line);
	EXPECT_STREQ("malformed quoting", csv.errors[0].reason);
	psk_csv_free(&csv);

	ASSERT_EQ(-1, parse(&csv, "pid,pps\nAB\"CD\"1234," PPS1 "\n"));
	EXPECT_STREQ("malformed quoting", csv.errors[0].reason);
	psk_csv_free(&csv);

	ASSERT_EQ(-1, parse(&csv, ""));
	EXPECT_STREQ("empty file: no pid,pps header", csv.errors[0].reason);
	psk_csv_free(&csv);

	ASSERT_EQ(-1, parse(&csv, "pid,pps\nABCD\0001234," PPS1 "\n"));
	psk_csv_free(&csv);
}

TEST(error_list_is_bounded)
{
	char text[64 * 1024] = "pid,pps\n";
	struct psk_csv csv;
	int i;

	for (i = 0; i < 500; i++)
		strcat(text, "bad,bad\n");
	ASSERT_EQ(-1, parse(&csv, text));
	EXPECT_EQ(500, csv.n_errors);
	EXPECT_EQ(2, csv.errors[0].line);
	EXPECT_EQ(PSK_CSV_ERRORS_MAX + 1,
		  csv.errors[PSK_CSV_ERRORS_MAX - 1].line);
	psk_csv_free(&csv);
}

TEST(many_entries)
{
	static char text[2 * 1024 * 1024];
	struct psk_csv csv;
	size_t off;
	int i;

	off = (size_t)sprintf(text, "pid,pps,mebx_password\n");
	for (i = 0; i < 20000; i++)
		off += (size_t)sprintf(text + off, "%08d," PPS1 ",pw%d\n", i,
				       i);
	ASSERT_EQ(0, psk_csv_parse(&csv, text, off));
	ASSERT_EQ(20000, csv.n_entries);
	EXPECT_STREQ("00019999", csv.entries[19999].pid);
	EXPECT_EQ(20001, csv.entries[19999].line);
	psk_csv_free(&csv);
}

TEST_HARNESS_MAIN
