/* test_clock.c - base/clock: RFC 3339 parsing, UTC and JST formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/clock.h"
#include "base/err.h"

#include <string.h>

/* Parse s, which must succeed, and return the seconds. */
static int64_t parse_ok(const char *s)
{
	int64_t t = -12345;
	int rc = cep_ts_parse(s, &t);

	if (rc != 0)
		fail_msg("cep_ts_parse(\"%s\") = %d, expected success", s, rc);
	return t;
}

/* s must be refused, and the out-parameter left alone. */
static void parse_bad(const char *s)
{
	int64_t t = 4242;
	int rc = cep_ts_parse(s, &t);

	if (rc != CEP_EINVAL)
		fail_msg("cep_ts_parse(\"%s\") = %d (t=%lld), expected CEP_EINVAL", s ? s : "(null)",
			 rc, (long long)t);
	assert_int_equal(t, 4242);
}

static void test_parse_utc(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parse_ok("2026-01-02T03:04:05Z"), 1767323045);
	assert_int_equal(parse_ok("1969-12-31T23:59:59Z"), -1);
	assert_int_equal(parse_ok("2000-02-29T12:00:00Z"), 951825600);
	/* RFC 3339 allows lower-case t and z. */
	assert_int_equal(parse_ok("2026-01-02t03:04:05z"), 1767323045);
}

static void test_parse_offsets(void **state)
{
	(void)state;
	/* The same instant in three zones. */
	assert_int_equal(parse_ok("2026-01-02T12:04:05+09:00"), 1767323045);
	assert_int_equal(parse_ok("2026-01-01T22:04:05-05:00"), 1767323045);
	assert_int_equal(parse_ok("2026-01-02T03:04:05+00:00"), 1767323045);
	assert_int_equal(parse_ok("2026-01-02T03:04:05-00:00"), 1767323045);
	/* Half-hour zones; an offset across the date line. */
	assert_int_equal(parse_ok("2026-01-02T08:34:05+05:30"), 1767323045);
	assert_int_equal(parse_ok("2026-01-01T00:00:00+09:00"), parse_ok("2025-12-31T15:00:00Z"));
}

static void test_parse_fractions(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-01-02T03:04:05.5Z"), 1767323045);
	assert_int_equal(parse_ok("2026-01-02T03:04:05.999999999Z"), 1767323045);
	assert_int_equal(parse_ok("2026-01-02T12:04:05.123+09:00"), 1767323045);
	parse_bad("2026-01-02T03:04:05.Z");
	parse_bad("2026-01-02T03:04:05.12a3Z");
	parse_bad("2026-01-02T03:04:05,5Z");
}

static void test_parse_calendar(void **state)
{
	(void)state;
	/* Leap days: every 4th year, not every 100th, again every 400th. */
	assert_int_equal(parse_ok("2024-02-29T00:00:00Z"), 1709164800);
	assert_int_equal(parse_ok("2024-03-01T00:00:00Z") - parse_ok("2024-02-28T00:00:00Z"), 2 * 86400);
	assert_int_equal(parse_ok("2023-03-01T00:00:00Z") - parse_ok("2023-02-28T00:00:00Z"), 86400);
	parse_ok("2000-02-29T00:00:00Z");
	parse_bad("2023-02-29T00:00:00Z");
	parse_bad("1900-02-29T00:00:00Z");
	parse_bad("2100-02-29T00:00:00Z");
	parse_bad("2024-02-30T00:00:00Z");
	/* Month lengths and ranges. */
	parse_ok("2026-01-31T00:00:00Z");
	parse_ok("2026-12-31T23:59:59Z");
	parse_bad("2026-04-31T00:00:00Z");
	parse_bad("2026-06-31T00:00:00Z");
	parse_bad("2026-00-10T00:00:00Z");
	parse_bad("2026-13-01T00:00:00Z");
	parse_bad("2026-01-00T00:00:00Z");
	parse_bad("2026-01-32T00:00:00Z");
	parse_bad("2026-01-02T24:00:00Z");
	parse_bad("2026-01-02T23:60:00Z");
	parse_bad("2026-01-02T23:59:61Z");
	parse_bad("2026-01-02T03:04:05+24:00");
	parse_bad("2026-01-02T03:04:05+09:60");
}

static void test_parse_rejects_garbage(void **state)
{
	(void)state;
	parse_bad(NULL);
	parse_bad("");
	parse_bad("yesterday");
	parse_bad("2026-01-02");                  /* a date alone */
	parse_bad("2026-01-02T03:04:05");         /* no zone */
	parse_bad("2026-01-02T03:04Z");           /* no seconds */
	parse_bad("2026-01-02T03:04:05Zjunk");
	parse_bad("2026-01-02T03:04:05Z ");
	parse_bad("2026-01-02T03:04:05+0900");
	parse_bad("2026-01-02T03:04:05+09");
	parse_bad("2026-01-02T03:04:05+9:00");
	parse_bad("2026-1-02T03:04:05Z");
	parse_bad("2026/01/02T03:04:05Z");
	parse_bad("2026-01-02X03:04:05Z");
	parse_bad("２０２６-01-02T03:04:05Z");    /* full-width digits */
	parse_bad("+2026-01-02T03:04:05Z");
	parse_bad("2026-01-02T03:04:05\0Z");
	parse_bad("20260102T030405Z");
}

static void test_format_utc(void **state)
{
	char out[CEP_TS_MAX];
	const int64_t samples[] = { 0, 1767323045, 951825600, 1709164800, 4102444799 };

	(void)state;
	cep_ts_utc(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	cep_ts_utc(1767323045, out);
	assert_string_equal(out, "2026-01-02T03:04:05Z");
	/* What we write, we read back. */
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		cep_ts_utc(samples[i], out);
		assert_int_equal(parse_ok(out), samples[i]);
	}
}

static void test_format_jst(void **state)
{
	char out[CEP_TS_MAX];

	(void)state;
	/* JST is UTC+9 with no daylight saving: 15:00 UTC is midnight in Tokyo. */
	cep_ts_jst(parse_ok("2025-12-31T14:59:00Z"), out);
	assert_string_equal(out, "2025-12-31 23:59 JST");
	cep_ts_jst(parse_ok("2025-12-31T15:00:00Z"), out);
	assert_string_equal(out, "2026-01-01 00:00 JST");
	/* Into a leap day, and out of February. */
	cep_ts_jst(parse_ok("2024-02-28T15:30:00Z"), out);
	assert_string_equal(out, "2024-02-29 00:30 JST");
	cep_ts_jst(parse_ok("2024-02-29T20:00:00Z"), out);
	assert_string_equal(out, "2024-03-01 05:00 JST");
	/* The same in summer (no DST). */
	cep_ts_jst(parse_ok("2026-07-01T03:04:05Z"), out);
	assert_string_equal(out, "2026-07-01 12:04 JST");
	/* An instant given in JST reads back as written. */
	cep_ts_jst(parse_ok("2026-01-02T12:04:05+09:00"), out);
	assert_string_equal(out, "2026-01-02 12:04 JST");
}

static void test_now(void **state)
{
	int64_t a, b;

	(void)state;
	a = cep_now();
	b = cep_now();
	assert_true(a > parse_ok("2024-01-01T00:00:00Z"));
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_utc),
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_fractions),
		cmocka_unit_test(test_parse_calendar),
		cmocka_unit_test(test_parse_rejects_garbage),
		cmocka_unit_test(test_format_utc),
		cmocka_unit_test(test_format_jst),
		cmocka_unit_test(test_now),
	};

	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
