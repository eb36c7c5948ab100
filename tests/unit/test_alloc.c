/* test_alloc.c - base/alloc: failure injection, and that the code above it
 * fails cleanly when memory runs out: the right code or NULL, the state
 * unchanged, nothing leaked (LeakSanitizer checks at exit in `make san`). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/json.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Every test starts and ends with injection off, whatever happened. */
static int injection_off(void **state)
{
	(void)state;
	cep_alloc_fail_after(-1);
	return 0;
}

static void test_fail_after_counts(void **state)
{
	void *a, *b, *c;

	(void)state;
	cep_alloc_fail_after(2);
	a = cep_malloc(10);
	b = cep_calloc(2, 10);
	c = cep_malloc(10);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(c);
	/* It stays failing ... */
	assert_null(cep_strdup("x"));
	assert_null(cep_strndup("xyz", 2));
	assert_null(cep_calloc(1, 1));
	/* ... and a failed realloc leaves the block alone. */
	memcpy(a, "keep", 5);
	assert_null(cep_realloc(a, 1000));
	assert_string_equal(a, "keep");
	cep_free(a);
	cep_free(b);
	cep_free(NULL);

	/* Off again: everything works. */
	cep_alloc_fail_after(-1);
	c = cep_strndup("xyz", 2);
	assert_string_equal(c, "xy");
	cep_free(c);
	cep_alloc_fail_after(0);
	assert_null(cep_malloc(1));
	cep_alloc_fail_after(-1);
	c = cep_malloc(0); /* a zero-size request is a real, freeable block */
	assert_non_null(c);
	cep_free(c);
}

static void test_buf_append_fails_cleanly(void **state)
{
	struct cep_buf b;
	char big[1000];

	(void)state;
	memset(big, 'x', sizeof(big));
	/* The first allocation fails: nothing is kept. */
	cep_buf_init(&b, 1 << 20);
	cep_alloc_fail_after(0);
	assert_int_equal(cep_buf_append(&b, "abc", 3), CEP_ENOMEM);
	assert_int_equal(cep_buf_puts(&b, "abc"), CEP_ENOMEM);
	assert_int_equal(cep_buf_printf(&b, "%d", 12345), CEP_ENOMEM);
	assert_null(b.data);
	assert_int_equal(b.len, 0);

	/* Growing fails: the content so far is intact, and usable later. */
	cep_alloc_fail_after(-1);
	assert_int_equal(cep_buf_puts(&b, "kept"), 0);
	cep_alloc_fail_after(0);
	assert_int_equal(cep_buf_append(&b, big, sizeof(big)), CEP_ENOMEM);
	assert_int_equal(cep_buf_printf(&b, "%.*s", (int)sizeof(big), big), CEP_ENOMEM);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "kept");
	cep_alloc_fail_after(-1);
	assert_int_equal(cep_buf_append(&b, big, sizeof(big)), 0);
	assert_int_equal(b.len, 4 + sizeof(big));
	cep_buf_free(&b);

	/* Stealing an empty buffer needs an allocation, and may fail. */
	cep_buf_init(&b, 10);
	cep_alloc_fail_after(0);
	assert_null(cep_buf_steal(&b));
	cep_alloc_fail_after(-1);
	cep_buf_free(&b);
}

static void test_csv_new_fails_cleanly(void **state)
{
	const char in[] = "a,b\n\"c\nd\",e\n";
	struct cep_csv *c = NULL;
	long n;

	(void)state;
	/* Fail the 1st, 2nd, ... allocation until construction succeeds;
	 * every failure must give NULL and leak nothing. */
	for (n = 0; n < 100; n++) {
		cep_alloc_fail_after(n);
		c = cep_csv_new(in, sizeof(in) - 1, 8, 64);
		cep_alloc_fail_after(-1);
		if (c)
			break;
	}
	assert_non_null(c);
	assert_true(n > 0);
	cep_csv_free(c);
}

static void test_csv_next_fails_cleanly(void **state)
{
	const char in[] = "name,code\n\"multi\nline\",x\n";
	struct cep_csv *c;
	char **f;
	size_t nf, line;
	int rc = 0, failures = 0;

	(void)state;
	/* Fail each allocation of the reading in turn: CEP_ENOMEM, then free. */
	for (long n = 0; n < 100; n++) {
		c = cep_csv_new(in, sizeof(in) - 1, 8, 64);
		assert_non_null(c);
		cep_alloc_fail_after(n);
		while ((rc = cep_csv_next(c, &f, &nf, &line)) == 1)
			;
		cep_alloc_fail_after(-1);
		cep_csv_free(c);
		if (rc == 0)
			break;
		assert_int_equal(rc, CEP_ENOMEM);
		failures++;
	}
	assert_int_equal(rc, 0);
	assert_true(failures > 0);
}

static void test_json_parse_fails_cleanly(void **state)
{
	const char in[] = "{\"name\":\"東京電力\",\"list\":[1,2,{\"deep\":[\"x\",\"y\"]}],\"n\":null}";
	struct cep_error err;
	json_t *v = NULL;
	int rc = -1, failures = 0;

	(void)state;
	for (long n = 0; n < 1000; n++) {
		cep_error_init(&err);
		cep_alloc_fail_after(n);
		rc = cep_json_parse(in, sizeof(in) - 1, CEP_JSON_MAX_DEPTH, &v, &err);
		cep_alloc_fail_after(-1);
		if (rc == 0)
			break;
		/* Out of memory is reported as such, not as the client's fault. */
		assert_int_equal(rc, CEP_ENOMEM);
		failures++;
	}
	assert_int_equal(rc, 0);
	assert_true(failures > 0);
	assert_string_equal(json_string_value(json_object_get(v, "name")), "東京電力");
	json_decref(v);
}

/* Does the mapping holding address a carry the huge-page hint (VmFlags hg)?
 * -1: the kernel has no transparent huge pages, so nothing can say. */
static int hinted_at(uintptr_t a)
{
	FILE *f;
	char line[512];
	int in = 0, hg = 0;

	if (access("/sys/kernel/mm/transparent_hugepage", F_OK) != 0)
		return -1;
	f = fopen("/proc/self/smaps", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) /* a mapping's first line */
			in = a >= lo && a < hi;
		else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			hg = strstr(line, " hg") != NULL;
			break;
		}
	}
	fclose(f);
	return hg;
}

#define MIB ((size_t)1 << 20)

/* The first huge page boundary in block p. */
static uintptr_t first_huge(const void *p)
{
	return ((uintptr_t)p + 2 * MIB - 1) & ~(uintptr_t)(2 * MIB - 1);
}

/* Large blocks ask for huge pages (the analysis reads its large arrays at
 * random places), through malloc, calloc and realloc alike, and stay what
 * they are: calloc's zeroed, realloc's content kept. Small ones do not ask. */
static void test_large_blocks_ask_for_huge_pages(void **state)
{
	unsigned char *m = cep_malloc(8 * MIB), *z = cep_calloc(8, MIB), *small = cep_malloc(4096);
	size_t i;

	(void)state;
	assert_non_null(m);
	assert_non_null(z);
	assert_non_null(small);
	for (i = 0; i < 8 * MIB; i += 4096)
		assert_int_equal(z[i], 0);
	memset(m, 0xa5, 8 * MIB);
	if (hinted_at(first_huge(m)) >= 0) {
		assert_int_equal(hinted_at(first_huge(m)), 1);
		assert_int_equal(hinted_at(first_huge(z)), 1);
		assert_int_equal(hinted_at((uintptr_t)small), 0);
	}
	m = cep_realloc(m, 24 * MIB);
	assert_non_null(m);
	for (i = 0; i < 8 * MIB; i += 4093)
		assert_int_equal(m[i], 0xa5);
	if (hinted_at(first_huge(m)) >= 0)
		assert_int_equal(hinted_at(first_huge(m) + 16 * MIB), 1);
	cep_free(m);
	cep_free(z);
	cep_free(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fail_after_counts, injection_off, injection_off),
		cmocka_unit_test_setup_teardown(test_buf_append_fails_cleanly, injection_off, injection_off),
		cmocka_unit_test_setup_teardown(test_csv_new_fails_cleanly, injection_off, injection_off),
		cmocka_unit_test_setup_teardown(test_csv_next_fails_cleanly, injection_off, injection_off),
		cmocka_unit_test_setup_teardown(test_json_parse_fails_cleanly, injection_off, injection_off),
		cmocka_unit_test_setup_teardown(test_large_blocks_ask_for_huge_pages, injection_off,
						injection_off),
	};

	/* jansson allocates through the wrappers too, so injection reaches it. */
	cep_alloc_install();
	return cmocka_run_group_tests_name("alloc", tests, NULL, NULL);
}
