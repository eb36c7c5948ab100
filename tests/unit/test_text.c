/* test_text.c - base/text: UTF-8 validity, character counts, control
 * characters, slugs and the user-text check with its cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"
#include "base/text.h"

#include <stdbool.h>
#include <string.h>

/* s is a string literal; its length without the final NUL. */
#define VALID(s) cep_utf8_valid((s), sizeof(s) - 1)

static void test_utf8_accepts_well_formed(void **state)
{
	(void)state;
	assert_true(VALID(""));
	assert_true(VALID("plain ASCII, with punctuation!"));
	assert_true(VALID("重要インフラ"));             /* 3-byte sequences */
	assert_true(VALID("\xC2\x80"));                 /* U+0080, smallest 2-byte */
	assert_true(VALID("\xDF\xBF"));                 /* U+07FF */
	assert_true(VALID("\xE0\xA0\x80"));             /* U+0800, smallest 3-byte */
	assert_true(VALID("\xED\x9F\xBF"));             /* U+D7FF, just below the surrogates */
	assert_true(VALID("\xEE\x80\x80"));             /* U+E000, just above them */
	assert_true(VALID("\xEF\xBF\xBF"));             /* U+FFFF */
	assert_true(VALID("\xF0\x90\x80\x80"));         /* U+10000, smallest 4-byte */
	assert_true(VALID("\xF0\x9F\x98\x80"));         /* an emoji */
	assert_true(VALID("\xF4\x8F\xBF\xBF"));         /* U+10FFFF, the last code point */
	assert_true(VALID("a\0b"));                     /* NUL is a valid code point */
}

static void test_utf8_rejects_overlongs(void **state)
{
	(void)state;
	assert_false(VALID("\xC0\x80"));         /* NUL in two bytes */
	assert_false(VALID("\xC0\xAF"));         /* '/' in two bytes */
	assert_false(VALID("\xC1\xBF"));
	assert_false(VALID("\xE0\x80\x80"));
	assert_false(VALID("\xE0\x80\xAF"));     /* '/' in three bytes */
	assert_false(VALID("\xE0\x9F\xBF"));     /* U+07FF in three bytes */
	assert_false(VALID("\xF0\x80\x80\x80"));
	assert_false(VALID("\xF0\x8F\xBF\xBF")); /* U+FFFF in four bytes */
}

static void test_utf8_rejects_surrogates(void **state)
{
	(void)state;
	assert_false(VALID("\xED\xA0\x80"));                 /* U+D800 */
	assert_false(VALID("\xED\xAD\xBF"));                 /* U+DB7F */
	assert_false(VALID("\xED\xB0\x80"));                 /* U+DC00 */
	assert_false(VALID("\xED\xBF\xBF"));                 /* U+DFFF */
	assert_false(VALID("\xED\xA0\xBD\xED\xB8\x80"));     /* CESU-8 pair for an emoji */
}

static void test_utf8_rejects_beyond_10ffff(void **state)
{
	(void)state;
	assert_false(VALID("\xF4\x90\x80\x80")); /* U+110000 */
	assert_false(VALID("\xF5\x80\x80\x80"));
	assert_false(VALID("\xF7\xBF\xBF\xBF"));
	assert_false(VALID("\xF8\x88\x80\x80\x80")); /* old 5-byte form */
	assert_false(VALID("\xFC\x84\x80\x80\x80\x80"));
	assert_false(VALID("\xFE"));
	assert_false(VALID("\xFF"));
}

static void test_utf8_rejects_truncated_and_stray(void **state)
{
	const char *jp = "重要";

	(void)state;
	assert_false(VALID("\xE3\x81"));          /* 2 of 3 bytes at the end */
	assert_false(VALID("\xE3\x81" "A"));      /* ... followed by ASCII */
	assert_false(VALID("\xF0\x9F\x98"));      /* 3 of 4 */
	assert_false(VALID("\xC3"));              /* 1 of 2 */
	assert_false(VALID("abc\xC3"));
	assert_false(VALID("\x80"));              /* lone continuation byte */
	assert_false(VALID("a\xBF" "b"));
	assert_false(VALID("\xC3\xA9\xA9"));      /* one continuation too many */
	/* The length is respected: cutting a valid string inside a character. */
	assert_true(cep_utf8_valid(jp, 6));
	assert_false(cep_utf8_valid(jp, 5));
	assert_false(cep_utf8_valid(jp, 4));
	assert_true(cep_utf8_valid(jp, 3));
	assert_true(cep_utf8_valid(jp, 0));
}

static void test_utf8_count_japanese(void **state)
{
	const char *s;

	(void)state;
	s = "重要インフラ";
	assert_int_equal(strlen(s), 18);
	assert_int_equal(cep_utf8_count(s, strlen(s)), 6);
	s = "IT障害";
	assert_int_equal(cep_utf8_count(s, strlen(s)), 4);
	s = "情報連絡 (reporting) 😀";
	assert_int_equal(cep_utf8_count(s, strlen(s)), 18);
	assert_int_equal(cep_utf8_count("", 0), 0);
	assert_int_equal(cep_utf8_count("abc", 3), 3);
}

static void test_control_characters(void **state)
{
	(void)state;
	assert_false(cep_text_has_control("plain text 日本語", strlen("plain text 日本語"), false));
	/* Tab, LF and CR: control characters in single-line text, allowed in multi-line text. */
	assert_true(cep_text_has_control("a\tb", 3, false));
	assert_true(cep_text_has_control("a\nb", 3, false));
	assert_true(cep_text_has_control("a\rb", 3, false));
	assert_false(cep_text_has_control("a\tb", 3, true));
	assert_false(cep_text_has_control("a\r\nb", 4, true));
	/* The others never. */
	assert_true(cep_text_has_control("a\x01", 2, true));
	assert_true(cep_text_has_control("\x1b[31mred", 8, true));  /* ESC: terminal escape */
	assert_true(cep_text_has_control("a\x7f", 2, true));        /* DEL */
	assert_true(cep_text_has_control("a\0b", 3, true));         /* NUL inside the length */
	assert_true(cep_text_has_control("\x1f", 1, false));
	assert_false(cep_text_has_control(" ~", 2, false));         /* printable ASCII edges */
}

static void test_slugs(void **state)
{
	(void)state;
	assert_true(cep_slug_valid("meti", 40));
	assert_true(cep_slug_valid("t-ceptoar", 40));
	assert_true(cep_slug_valid("finance_council", 40));
	assert_true(cep_slug_valid("0abc", 40));
	assert_true(cep_slug_valid("a", 1));
	assert_true(cep_slug_valid("abcd", 4));
	assert_false(cep_slug_valid("abcde", 4));         /* longer than max */
	assert_false(cep_slug_valid("", 40));
	assert_false(cep_slug_valid("-abc", 40));         /* separator first */
	assert_false(cep_slug_valid("_abc", 40));
	assert_false(cep_slug_valid("Meti", 40));         /* upper case */
	assert_false(cep_slug_valid("a b", 40));
	assert_false(cep_slug_valid("a.b", 40));
	assert_false(cep_slug_valid("a/b", 40));
	assert_false(cep_slug_valid("経済産業省", 40));
}

static void test_text_check(void **state)
{
	(void)state;
	/* Presence. */
	assert_int_equal(cep_text_check(NULL, 10, true), CEP_EINVAL);
	assert_int_equal(cep_text_check("", 10, true), CEP_EINVAL);
	assert_int_equal(cep_text_check(NULL, 10, false), 0);
	assert_int_equal(cep_text_check("", 10, false), 0);
	/* The cap counts characters, not bytes: ten Japanese characters are 30 bytes. */
	assert_int_equal(cep_text_check("重要インフラ事業者等", 10, true), 0);
	assert_int_equal(cep_text_check("重要インフラ事業者等", 9, true), CEP_ETOOBIG);
	assert_int_equal(cep_text_check("0123456789", 10, true), 0);
	assert_int_equal(cep_text_check("01234567890", 10, true), CEP_ETOOBIG);
	/* Malformed text is refused as invalid, whatever its length. */
	assert_int_equal(cep_text_check("bad \xC0\xAF slash", 100, true), CEP_EINVAL);
	assert_int_equal(cep_text_check("\xED\xA0\x80", 100, false), CEP_EINVAL);
	assert_int_equal(cep_text_check("trunc\xE3\x81", 100, false), CEP_EINVAL);
	/* Single-line: no control characters at all. */
	assert_int_equal(cep_text_check("two\nlines", 100, true), CEP_EINVAL);
	assert_int_equal(cep_text_check("tab\there", 100, true), CEP_EINVAL);
	assert_int_equal(cep_text_check("bell\a", 100, true), CEP_EINVAL);
	assert_int_equal(cep_text_check("del\x7f", 100, true), CEP_EINVAL);
	/* Multi-line: newlines and tabs are fine, other controls are not. */
	assert_int_equal(cep_text_check_multiline("two\nlines\r\n\tindented", 100, true), 0);
	assert_int_equal(cep_text_check_multiline("esc\x1b", 100, true), CEP_EINVAL);
	assert_int_equal(cep_text_check_multiline("", 100, true), CEP_EINVAL);
	assert_int_equal(cep_text_check_multiline("行1\n行2", 5, true), 0);
	assert_int_equal(cep_text_check_multiline("行1\n行2", 4, true), CEP_ETOOBIG);
}

/* One line of well-formed UTF-8 from anything: controls become the given
 * byte, malformed bytes U+FFFD, and the text is cut at a character. */
static void test_line_copy(void **state)
{
	char out[64], small[8];

	(void)state;
	cep_text_line_copy(out, sizeof(out), "550 送信できません", ' ');
	assert_string_equal(out, "550 送信できません"); /* well-formed: unchanged */
	cep_text_line_copy(out, sizeof(out), "a\r\nb\tc\x7f" "d", ' ');
	assert_string_equal(out, "a  b c d");
	cep_text_line_copy(out, sizeof(out), "GET\n/x", '?');
	assert_string_equal(out, "GET?/x");
	/* Shift_JIS テスト, a stray continuation byte, an overlong '/', a
	 * surrogate, a character cut short at the end */
	cep_text_line_copy(out, sizeof(out), "\x83\x65\x83\x58\x83\x67", ' ');
	assert_string_equal(out, "\xEF\xBF\xBD" "e\xEF\xBF\xBD" "X\xEF\xBF\xBD" "g");
	cep_text_line_copy(out, sizeof(out), "a\x80" "b\xC0\xAF" "c\xED\xA0\x80" "d\xE3\x81", ' ');
	assert_true(cep_utf8_valid(out, strlen(out)));
	assert_string_equal(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c"
				 "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "d"
				 "\xEF\xBF\xBD\xEF\xBF\xBD");
	/* cut to fit, never inside a character: 7 bytes hold "ab" and one
	 * three-byte character, not the first byte of the next */
	cep_text_line_copy(small, sizeof(small), "abあい", ' ');
	assert_string_equal(small, "abあ");
	cep_text_line_copy(small, sizeof(small), "abcde\x83", ' ');
	assert_string_equal(small, "abcde"); /* U+FFFD does not fit */
	cep_text_line_copy(small, 1, "abc", ' ');
	assert_string_equal(small, "");
	cep_text_line_copy(out, sizeof(out), NULL, ' ');
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_accepts_well_formed),
		cmocka_unit_test(test_utf8_rejects_overlongs),
		cmocka_unit_test(test_utf8_rejects_surrogates),
		cmocka_unit_test(test_utf8_rejects_beyond_10ffff),
		cmocka_unit_test(test_utf8_rejects_truncated_and_stray),
		cmocka_unit_test(test_utf8_count_japanese),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_slugs),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_line_copy),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
