/* fuzz_json.c - libFuzzer target for base/json.
 *
 * Feeds the input to cep_json_parse with the server's depth cap, then
 * checks what a caller relies on: a failure is CEP_EPARSE or CEP_ETOOBIG
 * with a message and no value; a value is never deeper than the cap, dumps
 * and parses back to an equal value, and survives the member helpers
 * (cep_json_only, cep_json_req_string, cep_json_opt_string) with answers
 * that agree with the value. Allocation goes through base/alloc, as in the
 * server, so leaks and double frees show up under ASan. */
#include "base/alloc.h"
#include "base/err.h"
#include "base/json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz_json: check failed at line %d: %s\n", \
				__LINE__, #cond);                                    \
			abort();                                                     \
		}                                                                    \
	} while (0)

static const char *const allowed[] = { "name", "role", "org", "email", "id", "items", NULL };

static void check_member_helpers(const json_t *obj, const char *key)
{
	const json_t *m = json_object_get(obj, key);
	struct cep_error err;
	const char *s = "untouched";
	int rc;

	cep_error_init(&err);
	rc = cep_json_opt_string(obj, key, &s, &err);
	if (!m || json_is_null(m)) {
		CHECK(rc == 0 && s == NULL);
	} else if (json_is_string(m)) {
		CHECK(rc == 0 && s == json_string_value(m));
	} else {
		CHECK(rc == CEP_EINVAL && err.code == CEP_EINVAL);
		CHECK(strncmp(err.field, key, sizeof(err.field) - 1) == 0);
		CHECK(strcmp(s, "untouched") == 0);
	}

	s = "untouched";
	cep_error_init(&err);
	rc = cep_json_req_string(obj, key, &s, &err);
	if (m && json_is_string(m) && json_string_length(m) > 0 && json_string_value(m)[0]) {
		CHECK(rc == 0 && s == json_string_value(m));
	} else {
		CHECK(rc == CEP_EINVAL && err.code == CEP_EINVAL && err.message[0]);
		CHECK(strcmp(s, "untouched") == 0);
	}
}

/* Walk v; returns its depth (containers only, like the cap). */
static size_t walk(const json_t *v)
{
	size_t deepest = 0, d;

	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			d = walk(json_array_get(v, i));
			if (d > deepest)
				deepest = d;
		}
		return deepest + 1;
	}
	if (json_is_object(v)) {
		struct cep_error err;
		const char *key;
		json_t *m;
		int only_ok = 1;

		json_object_foreach((json_t *)v, key, m) {
			int known = 0;

			for (const char *const *a = allowed; *a; a++)
				if (strcmp(*a, key) == 0)
					known = 1;
			if (!known)
				only_ok = 0;
			check_member_helpers(v, key);
			d = walk(m);
			if (d > deepest)
				deepest = d;
		}
		cep_error_init(&err);
		CHECK((cep_json_only(v, allowed, &err) == 0) == only_ok);
		CHECK(only_ok || err.code == CEP_EINVAL); /* field names it ("" for the key "") */
		check_member_helpers(v, "name");
		check_member_helpers(v, "absent");
		return deepest + 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int installed;
	struct cep_error err;
	json_t *v = NULL, *again = NULL;
	char *dump;
	int rc;

	if (!installed) {
		cep_alloc_install();
		installed = 1;
	}
	cep_error_init(&err);
	rc = cep_json_parse((const char *)data, size, CEP_JSON_MAX_DEPTH, &v, &err);
	if (rc < 0) {
		CHECK(rc == CEP_EPARSE || rc == CEP_ETOOBIG);
		CHECK(err.code == rc && err.message[0]);
		CHECK(v == NULL);
		return 0;
	}
	CHECK(v != NULL);
	CHECK(walk(v) <= CEP_JSON_MAX_DEPTH);

	/* What we accept, we can write, and read back unchanged. */
	dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	CHECK(dump != NULL);
	cep_error_init(&err);
	rc = cep_json_parse(dump, strlen(dump), CEP_JSON_MAX_DEPTH, &again, &err);
	if (rc != 0)
		fprintf(stderr, "fuzz_json: re-parse of %s failed: %s\n", dump, err.message);
	CHECK(rc == 0);
	CHECK(json_equal(v, again));
	cep_free(dump);
	json_decref(again);
	json_decref(v);
	return 0;
}
