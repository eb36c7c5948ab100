/* json.c - capped JSON decoding. */
#include "base/json.h"

#include "base/alloc.h"

#include "base/text.h"

#include <string.h>

/* Depth of the deepest array/object nesting, counted outside strings; stops
 * early once max is exceeded. Linear, no allocation. */
static size_t json_depth(const char *s, size_t len, size_t max)
{
	size_t depth = 0, deepest = 0;
	int in_str = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > deepest) {
				deepest = depth;
				if (deepest > max)
					return deepest;
			}
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return deepest;
}

int cep_json_parse(const char *data, size_t len, size_t max_depth, json_t **ret,
		   struct cep_error *err)
{
	unsigned long failures = cep_alloc_failures();
	json_error_t je;
	json_t *v;

	if (json_depth(data, len, max_depth) > max_depth)
		return cep_error_set(err, CEP_ETOOBIG, NULL, "JSON nested deeper than %zu levels",
				     max_depth);
	v = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	/* jansson reports some allocation failures as syntax errors, or not at
	 * all: ask the allocator (see cep_alloc_install). */
	if (!v && (cep_alloc_failures() != failures ||
		   json_error_code(&je) == json_error_out_of_memory))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory while parsing JSON");
	if (!v)
		return cep_error_set(err, CEP_EPARSE, NULL, "malformed JSON at line %d column %d: %s",
				     je.line, je.column, je.text);
	*ret = v;
	return 0;
}

int cep_json_opt_string(const json_t *obj, const char *key, const char **ret, struct cep_error *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v)) {
		*ret = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return cep_error_set(err, CEP_EINVAL, key, "%s must be a string", key);
	*ret = json_string_value(v);
	return 0;
}

int cep_json_req_string(const json_t *obj, const char *key, const char **ret, struct cep_error *err)
{
	const char *s = NULL;
	int rc = cep_json_opt_string(obj, key, &s, err);

	if (rc < 0)
		return rc;
	if (!s || !*s)
		return cep_error_set(err, CEP_EINVAL, key, "%s is required", key);
	*ret = s;
	return 0;
}

int cep_json_only(const json_t *obj, const char *const *allowed, struct cep_error *err)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		int ok = 0;

		(void)v;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				ok = 1;
		if (!ok)
			return cep_error_set(err, CEP_EINVAL, key, "unknown field %s", key);
	}
	return 0;
}

int cep_json_split(json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));
	json_t *arr = json_array();

	if (!arr)
		return CEP_ENOMEM;
	while (v && *v) {
		const char *comma = strchr(v, ',');
		size_t len = comma ? (size_t)(comma - v) : strlen(v);

		if (json_array_append_new(arr, json_stringn(v, len)) < 0) {
			json_decref(arr);
			return CEP_ENOMEM;
		}
		v = comma ? comma + 1 : NULL;
	}
	if (json_object_set_new(obj, key, arr) < 0)
		return CEP_ENOMEM;
	return 0;
}

int cep_json_text(const json_t *obj, const char *key, size_t max_chars, int required,
		  int multiline, const char **ret, struct cep_error *err)
{
	const char *v = NULL;
	int rc = cep_json_opt_string(obj, key, &v, err);

	if (rc < 0)
		return rc;
	rc = multiline ? cep_text_check_multiline(v, max_chars, required) :
			 cep_text_check(v, max_chars, required);
	if (rc == CEP_ETOOBIG)
		return cep_error_set(err, rc, key, "%s is longer than %zu characters", key, max_chars);
	if (rc < 0 && (!v || !*v))
		return cep_error_set(err, rc, key, "%s is required", key);
	if (rc < 0)
		return cep_error_set(err, rc, key, "%s must be %stext without control characters",
				     key, multiline ? "" : "single-line ");
	*ret = v;
	return 0;
}
