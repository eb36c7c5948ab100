/* test_buf.c - base/buf: the growable buffer and its cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <stdint.h>
#include <string.h>

static void test_starts_empty(void **state)
{
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 100);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	cep_buf_free(&b);
	cep_buf_free(&b); /* twice is fine */
	cep_buf_free(NULL);
}

static void test_append_and_terminate(void **state)
{
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 100);
	assert_int_equal(cep_buf_append(&b, "abc", 3), 0);
	assert_int_equal(cep_buf_puts(&b, "重要"), 0);
	assert_int_equal(cep_buf_append(&b, "", 0), 0);
	assert_int_equal(b.len, 9);
	assert_string_equal(b.data, "abc重要");
	/* Binary data keeps its bytes, and a NUL follows them. */
	assert_int_equal(cep_buf_append(&b, "x\0y", 3), 0);
	assert_int_equal(b.len, 12);
	assert_memory_equal(b.data + 9, "x\0y", 3);
	assert_int_equal(b.data[12], '\0');
	cep_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_cap_respected(void **state)
{
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 10);
	assert_int_equal(cep_buf_puts(&b, "12345"), 0);
	/* One byte over: refused, and the buffer is as it was. */
	assert_int_equal(cep_buf_puts(&b, "678901"), CEP_ETOOBIG);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "12345");
	/* Exactly up to the cap is fine; then not one byte more. */
	assert_int_equal(cep_buf_puts(&b, "67890"), 0);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "1234567890");
	assert_int_equal(cep_buf_append(&b, "x", 1), CEP_ETOOBIG);
	assert_int_equal(cep_buf_append(&b, "", 0), 0);
	assert_string_equal(b.data, "1234567890");
	/* Sizes that would overflow are refused, not wrapped. */
	assert_int_equal(cep_buf_append(&b, "x", SIZE_MAX), CEP_ETOOBIG);
	assert_int_equal(cep_buf_append(&b, "x", SIZE_MAX - 5), CEP_ETOOBIG);
	assert_int_equal(b.len, 10);
	cep_buf_free(&b);

	/* A cap of 0 allows only the empty buffer. */
	cep_buf_init(&b, 0);
	assert_int_equal(cep_buf_append(&b, "x", 1), CEP_ETOOBIG);
	assert_int_equal(b.len, 0);
	cep_buf_free(&b);
}

static void test_grows(void **state)
{
	struct cep_buf b;
	char expect[100000];

	(void)state;
	cep_buf_init(&b, sizeof(expect));
	for (size_t i = 0; i < sizeof(expect); i++) {
		char c = (char)('a' + i % 26);

		expect[i] = c;
		assert_int_equal(cep_buf_append(&b, &c, 1), 0);
	}
	assert_int_equal(b.len, sizeof(expect));
	assert_memory_equal(b.data, expect, sizeof(expect));
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(cep_buf_append(&b, "z", 1), CEP_ETOOBIG);
	cep_buf_free(&b);
}

static void test_reserve(void **state)
{
	struct cep_buf b;
	char *at;

	(void)state;
	cep_buf_init(&b, 10000);
	assert_int_equal(cep_buf_puts(&b, "ab"), 0);
	/* room made ahead: the appends that fill it leave the data in place */
	assert_int_equal(cep_buf_reserve(&b, 5000), 0);
	assert_true(b.alloc >= 5003);
	at = b.data;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(cep_buf_puts(&b, "cdefg"), 0);
	assert_ptr_equal(b.data, at);
	assert_int_equal(b.len, 5002);
	assert_memory_equal(b.data, "abcdefgcdefg", 12);
	assert_int_equal(b.data[b.len], '\0');
	/* past the cap: refused, the buffer as it was */
	assert_int_equal(cep_buf_reserve(&b, 10000 - 5002 + 1), CEP_ETOOBIG);
	assert_int_equal(cep_buf_reserve(&b, SIZE_MAX), CEP_ETOOBIG);
	assert_int_equal(b.len, 5002);
	assert_ptr_equal(b.data, at);
	assert_int_equal(cep_buf_reserve(&b, 10000 - 5002), 0);
	cep_buf_free(&b);
}

static void test_printf(void **state)
{
	struct cep_buf b;

	(void)state;
	cep_buf_init(&b, 32);
	assert_int_equal(cep_buf_printf(&b, "%s-%d", "line", 42), 0);
	assert_int_equal(cep_buf_printf(&b, "/%05.1f/", 2.5), 0);
	assert_string_equal(b.data, "line-42/002.5/");
	assert_int_equal(b.len, strlen("line-42/002.5/"));
	assert_int_equal(cep_buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 14);
	/* Over the cap: refused, nothing written. */
	assert_int_equal(cep_buf_printf(&b, "%020d", 7), CEP_ETOOBIG);
	assert_int_equal(b.len, 14);
	assert_string_equal(b.data, "line-42/002.5/");
	/* Exactly to the cap. */
	assert_int_equal(cep_buf_printf(&b, "%018d", 7), 0);
	assert_int_equal(b.len, 32);
	assert_string_equal(b.data + 14, "000000000000000007");
	cep_buf_free(&b);

	/* printf on a fresh buffer, and a long expansion that needs growth. */
	cep_buf_init(&b, 10000);
	assert_int_equal(cep_buf_printf(&b, "%*s|", 5000, "x"), 0);
	assert_int_equal(b.len, 5001);
	assert_int_equal(b.data[4999], 'x');
	assert_int_equal(b.data[5000], '|');
	cep_buf_free(&b);
}

static void test_steal(void **state)
{
	struct cep_buf b;
	char *s;

	(void)state;
	cep_buf_init(&b, 64);
	assert_int_equal(cep_buf_puts(&b, "owned by the caller"), 0);
	s = cep_buf_steal(&b);
	assert_string_equal(s, "owned by the caller");
	/* The buffer is empty and usable again, with the same cap. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(cep_buf_puts(&b, "again"), 0);
	assert_string_equal(b.data, "again");
	assert_string_equal(s, "owned by the caller");
	cep_free(s);
	cep_buf_free(&b);

	/* An empty buffer yields an allocated empty string. */
	cep_buf_init(&b, 64);
	s = cep_buf_steal(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	cep_free(s);
	cep_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_empty),
		cmocka_unit_test(test_append_and_terminate),
		cmocka_unit_test(test_cap_respected),
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_steal),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
