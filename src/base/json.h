/* json.h - decoding of untrusted JSON with caps, and small jansson helpers. */
#ifndef CEP_BASE_JSON_H
#define CEP_BASE_JSON_H

#include "base/err.h"

#include <jansson.h>
#include <stddef.h>

#define CEP_JSON_MAX_DEPTH 32

/* Parse data[0..len) as one JSON value. Rejects: nesting deeper than
 * max_depth, duplicate keys, invalid UTF-8, NUL bytes, trailing garbage.
 * On success *ret (caller owns) is set; on failure err says where
 * (CEP_EPARSE: "line L column C: reason"; CEP_ETOOBIG: too deep;
 * CEP_ENOMEM: allocation failed). */
int cep_json_parse(const char *data, size_t len, size_t max_depth, json_t **ret,
		   struct cep_error *err);

/* Optional string member: NULL when absent or null. CEP_EINVAL (err names the
 * field) when present with another type. */
int cep_json_opt_string(const json_t *obj, const char *key, const char **ret, struct cep_error *err);
/* Required string member. CEP_EINVAL when absent, null, empty or not a string. */
int cep_json_req_string(const json_t *obj, const char *key, const char **ret, struct cep_error *err);
/* A text member of obj, checked: absent or null gives *ret = NULL (CEP_EINVAL
 * naming key when required); otherwise valid UTF-8 of at most max_chars
 * characters (CEP_ETOOBIG), without control characters (newlines and tabs
 * allowed when multiline). *ret is borrowed from obj. */
int cep_json_text(const json_t *obj, const char *key, size_t max_chars, int required,
		  int multiline, const char **ret, struct cep_error *err);
/* Fail with CEP_EINVAL naming the first member of obj not in the NULL-terminated allowed list. */
int cep_json_only(const json_t *obj, const char *const *allowed, struct cep_error *err);

/* Replace obj's string member key, a comma-separated list ("a,b"), by an
 * array of its parts; a missing, null or empty member becomes []. Returns 0
 * or CEP_ENOMEM (obj unchanged). */
int cep_json_split(json_t *obj, const char *key);

#endif
