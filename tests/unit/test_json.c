/* test_json.c - base/json: capped decoding of untrusted JSON and the member helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"

#include <stdio.h>
#include <string.h>

/* Parse s (whole string) with max depth; return the code; on success *ret is set. */
static int parse(const char *s, size_t max_depth, json_t **ret, struct cep_error *err)
{
	cep_error_init(err);
	return cep_json_parse(s, strlen(s), max_depth, ret, err);
}

/* depth nested arrays: "[[...]]", or objects {"k":{"k":...}} when objects. */
static char *nested(size_t depth, int objects)
{
	struct cep_buf b;

	cep_buf_init(&b, 1 << 20);
	for (size_t i = 0; i < depth; i++)
		assert_int_equal(cep_buf_puts(&b, objects ? "{\"k\":" : "["), 0);
	assert_int_equal(cep_buf_puts(&b, "1"), 0);
	for (size_t i = 0; i < depth; i++)
		assert_int_equal(cep_buf_puts(&b, objects ? "}" : "]"), 0);
	return cep_buf_steal(&b);
}

static void test_parse_values(void **state)
{
	struct cep_error err;
	json_t *v = NULL;

	(void)state;
	assert_int_equal(parse("{\"name\":\"東京\",\"n\":[1,2,{\"x\":null}]}", 32, &v, &err), 0);
	assert_true(json_is_object(v));
	assert_string_equal(json_string_value(json_object_get(v, "name")), "東京");
	assert_int_equal(json_array_size(json_object_get(v, "n")), 3);
	json_decref(v);
	/* Any value may stand at the top. */
	assert_int_equal(parse(" 42 ", 32, &v, &err), 0);
	assert_true(json_is_integer(v));
	json_decref(v);
	assert_int_equal(parse("\"\\u91cd\\u8981\"", 32, &v, &err), 0);
	assert_string_equal(json_string_value(v), "重要");
	json_decref(v);
}

static void test_depth_cap(void **state)
{
	struct cep_error err;
	json_t *v = NULL, *sentinel = (json_t *)&err;
	char *s;

	(void)state;
	/* Exactly at the cap is accepted, one deeper is too big. */
	s = nested(CEP_JSON_MAX_DEPTH, 0);
	assert_int_equal(parse(s, CEP_JSON_MAX_DEPTH, &v, &err), 0);
	json_decref(v);
	cep_free(s);
	s = nested(CEP_JSON_MAX_DEPTH + 1, 0);
	v = sentinel;
	assert_int_equal(parse(s, CEP_JSON_MAX_DEPTH, &v, &err), CEP_ETOOBIG);
	assert_int_equal(err.code, CEP_ETOOBIG);
	assert_ptr_equal(v, sentinel); /* untouched on failure */
	cep_free(s);
	/* Objects count like arrays, and mixed nesting too. */
	s = nested(4, 1);
	assert_int_equal(parse(s, 4, &v, &err), 0);
	json_decref(v);
	assert_int_equal(parse(s, 3, &v, &err), CEP_ETOOBIG);
	cep_free(s);
	assert_int_equal(parse("[{\"a\":[{}]}]", 4, &v, &err), 0);
	json_decref(v);
	assert_int_equal(parse("[{\"a\":[{}]}]", 3, &v, &err), CEP_ETOOBIG);
	/* Depth is the deepest point, not the number of brackets. */
	assert_int_equal(parse("[[1],[2],[3],[4],{\"a\":1}]", 2, &v, &err), 0);
	json_decref(v);
	/* Far too deep (an attack, not a mistake) is refused the same way. */
	s = nested(100000, 0);
	assert_int_equal(parse(s, CEP_JSON_MAX_DEPTH, &v, &err), CEP_ETOOBIG);
	cep_free(s);
	/* ... also when the input is malformed past the cap. */
	assert_int_equal(parse("[[[[[[[[[[", 4, &v, &err), CEP_ETOOBIG);
}

static void test_brackets_in_strings_do_not_count(void **state)
{
	struct cep_error err;
	json_t *v = NULL;

	(void)state;
	assert_int_equal(parse("[\"[[[[[[[[[[{{{{{{{{{{\"]", 1, &v, &err), 0);
	json_decref(v);
	assert_int_equal(parse("{\"[[[[\":\"{{{{\"}", 1, &v, &err), 0);
	json_decref(v);
	/* An escaped quote does not end the string. */
	assert_int_equal(parse("[\"\\\"[[[[[[[[\"]", 1, &v, &err), 0);
	assert_string_equal(json_string_value(json_array_get(v, 0)), "\"[[[[[[[[");
	json_decref(v);
	/* An escaped backslash does end it before the quote. */
	assert_int_equal(parse("[\"\\\\\",[[1]]]", 3, &v, &err), 0);
	json_decref(v);
	assert_int_equal(parse("[\"\\\\\",[[1]]]", 2, &v, &err), CEP_ETOOBIG);
	/* Closing brackets in strings do not lower the depth either. */
	assert_int_equal(parse("[\"]]]]]]\",[[[1]]]]", 3, &v, &err), CEP_ETOOBIG);
}

static void test_duplicate_keys_rejected(void **state)
{
	struct cep_error err;
	json_t *v = NULL;

	(void)state;
	assert_int_equal(parse("{\"role\":\"operator\",\"role\":\"admin\"}", 32, &v, &err), CEP_EPARSE);
	assert_non_null(strstr(err.message, "duplicate"));
	assert_int_equal(parse("{\"a\":{\"b\":1,\"b\":1}}", 32, &v, &err), CEP_EPARSE);
	/* The same key in different objects is fine. */
	assert_int_equal(parse("[{\"a\":1},{\"a\":2}]", 32, &v, &err), 0);
	json_decref(v);
}

static void test_malformed_names_position(void **state)
{
	struct cep_error err;
	json_t *v = NULL;

	(void)state;
	assert_int_equal(parse("{\n  \"a\": 1,\n  \"b\": }", 32, &v, &err), CEP_EPARSE);
	assert_int_equal(err.code, CEP_EPARSE);
	assert_non_null(strstr(err.message, "line 3"));
	assert_non_null(strstr(err.message, "column"));
	assert_string_equal(err.field, "");

	assert_int_equal(parse("", 32, &v, &err), CEP_EPARSE);
	assert_int_equal(parse("{", 32, &v, &err), CEP_EPARSE);
	assert_int_equal(parse("{\"a\":1,}", 32, &v, &err), CEP_EPARSE);
	assert_int_equal(parse("[1,2", 32, &v, &err), CEP_EPARSE);
	assert_int_equal(parse("{'a':1}", 32, &v, &err), CEP_EPARSE);
	assert_int_equal(parse("{} trailing", 32, &v, &err), CEP_EPARSE);
	assert_int_equal(parse("{}{}", 32, &v, &err), CEP_EPARSE);
	assert_int_equal(parse("[\"\xC0\xAF\"]", 32, &v, &err), CEP_EPARSE);   /* overlong UTF-8 */
	assert_int_equal(parse("[\"\xED\xA0\x80\"]", 32, &v, &err), CEP_EPARSE); /* surrogate */
	assert_int_equal(parse("[\"\\u0000\"]", 32, &v, &err), CEP_EPARSE);
	assert_int_equal(parse("[\"\\ud800\"]", 32, &v, &err), CEP_EPARSE);     /* lone surrogate escape */
	assert_int_equal(parse("[\"tab\there\"]", 32, &v, &err), CEP_EPARSE);   /* raw control char */
	/* A raw NUL byte inside the given length. */
	cep_error_init(&err);
	assert_int_equal(cep_json_parse("{\"a\":\"x\0\"}", 10, 32, &v, &err), CEP_EPARSE);
	cep_error_init(&err);
	assert_int_equal(cep_json_parse("{}\0", 3, 32, &v, &err), CEP_EPARSE);
	/* err may be NULL. */
	assert_int_equal(cep_json_parse("nope", 4, 32, &v, NULL), CEP_EPARSE);
}

static void test_only(void **state)
{
	static const char *const allowed[] = { "name", "role", "email", NULL };
	struct cep_error err;
	json_t *v = NULL;

	(void)state;
	assert_int_equal(parse("{\"name\":\"a\",\"role\":\"b\"}", 32, &v, &err), 0);
	assert_int_equal(cep_json_only(v, allowed, &err), 0);
	json_decref(v);
	assert_int_equal(parse("{}", 32, &v, &err), 0);
	assert_int_equal(cep_json_only(v, allowed, &err), 0);
	json_decref(v);

	assert_int_equal(parse("{\"name\":\"a\",\"is_admin\":true}", 32, &v, &err), 0);
	assert_int_equal(cep_json_only(v, allowed, &err), CEP_EINVAL);
	assert_int_equal(err.code, CEP_EINVAL);
	assert_string_equal(err.field, "is_admin");
	assert_non_null(strstr(err.message, "is_admin"));
	assert_int_equal(cep_json_only(v, allowed, NULL), CEP_EINVAL);
	json_decref(v);
}

static void test_req_string(void **state)
{
	struct cep_error err;
	const char *s = "untouched";
	json_t *v = NULL;

	(void)state;
	assert_int_equal(parse("{\"name\":\"東京電力\",\"empty\":\"\",\"nul\":null,\"num\":5,"
			       "\"list\":[\"x\"]}", 32, &v, &err), 0);
	cep_error_init(&err);
	assert_int_equal(cep_json_req_string(v, "name", &s, &err), 0);
	assert_string_equal(s, "東京電力");

	static const char *const bad[] = { "missing", "empty", "nul", "num", "list" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = "untouched";
		cep_error_init(&err);
		assert_int_equal(cep_json_req_string(v, bad[i], &s, &err), CEP_EINVAL);
		assert_int_equal(err.code, CEP_EINVAL);
		assert_string_equal(err.field, bad[i]);
		assert_non_null(strstr(err.message, bad[i]));
		assert_string_equal(s, "untouched");
	}
	cep_error_init(&err);
	assert_int_equal(cep_json_req_string(v, "num", &s, &err), CEP_EINVAL);
	assert_non_null(strstr(err.message, "string"));
	assert_int_equal(cep_json_req_string(v, "missing", &s, NULL), CEP_EINVAL);
	json_decref(v);
}

static void test_opt_string(void **state)
{
	struct cep_error err;
	const char *s;
	json_t *v = NULL;

	(void)state;
	assert_int_equal(parse("{\"a\":\"x\",\"e\":\"\",\"n\":null,\"t\":true}", 32, &v, &err), 0);
	cep_error_init(&err);
	assert_int_equal(cep_json_opt_string(v, "a", &s, &err), 0);
	assert_string_equal(s, "x");
	assert_int_equal(cep_json_opt_string(v, "e", &s, &err), 0);
	assert_string_equal(s, "");
	s = "set";
	assert_int_equal(cep_json_opt_string(v, "n", &s, &err), 0);
	assert_null(s);
	s = "set";
	assert_int_equal(cep_json_opt_string(v, "absent", &s, &err), 0);
	assert_null(s);
	assert_int_equal(err.code, 0);
	s = "untouched";
	assert_int_equal(cep_json_opt_string(v, "t", &s, &err), CEP_EINVAL);
	assert_string_equal(err.field, "t");
	assert_string_equal(s, "untouched");
	json_decref(v);
}

static void test_first_error_wins(void **state)
{
	static const char *const allowed[] = { "a", NULL };
	struct cep_error err;
	const char *s;
	json_t *v = NULL;

	(void)state;
	assert_int_equal(parse("{\"a\":1,\"b\":2}", 32, &v, &err), 0);
	cep_error_init(&err);
	assert_int_equal(cep_json_only(v, allowed, &err), CEP_EINVAL);
	assert_int_equal(cep_json_req_string(v, "a", &s, &err), CEP_EINVAL);
	assert_string_equal(err.field, "b"); /* the first cause is kept */
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_depth_cap),
		cmocka_unit_test(test_brackets_in_strings_do_not_count),
		cmocka_unit_test(test_duplicate_keys_rejected),
		cmocka_unit_test(test_malformed_names_position),
		cmocka_unit_test(test_only),
		cmocka_unit_test(test_req_string),
		cmocka_unit_test(test_opt_string),
		cmocka_unit_test(test_first_error_wins),
	};

	cep_alloc_install();
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
