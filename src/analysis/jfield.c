/* jfield.c - JSON members with paths in errors. */
#include "analysis/jfield.h"

#include "base/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void an_jpath(char *out, size_t size, const char *path, const char *key)
{
	snprintf(out, size, "%s%s%s", path, *path ? "." : "", key);
}

int an_jonly(const json_t *obj, const char *path, const char *const *allowed,
	     struct cep_error *err)
{
	const char *key;
	json_t *v;
	char p[CEP_ERR_FIELD_MAX];

	json_object_foreach((json_t *)obj, key, v) {
		const char *const *a = allowed;

		(void)v;
		while (*a && strcmp(*a, key) != 0)
			a++;
		if (!*a) {
			an_jpath(p, sizeof(p), path, key);
			return cep_error_set(err, CEP_EINVAL, p, "%s: unknown member", p);
		}
	}
	return 0;
}

int an_jtext(const json_t *obj, const char *path, const char *key, size_t max_bytes,
	     int required, const char **ret, struct cep_error *err)
{
	const json_t *v = json_object_get(obj, key);
	char p[CEP_ERR_FIELD_MAX];
	const char *s;
	size_t len;

	an_jpath(p, sizeof(p), path, key);
	if (!v || json_is_null(v)) {
		if (required)
			return cep_error_set(err, CEP_EINVAL, p, "%s is required", p);
		*ret = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return cep_error_set(err, CEP_EINVAL, p, "%s must be a string", p);
	s = json_string_value(v);
	len = json_string_length(v);
	if (required && len == 0)
		return cep_error_set(err, CEP_EINVAL, p, "%s is required", p);
	if (len > max_bytes)
		return cep_error_set(err, CEP_EINVAL, p, "%s is longer than %zu bytes", p,
				     max_bytes);
	if (strlen(s) != len || !cep_utf8_valid(s, len) || cep_text_has_control(s, len, false))
		return cep_error_set(err, CEP_EINVAL, p, "%s must be text without control characters",
				     p);
	*ret = s;
	return 0;
}

int an_jnum(const json_t *obj, const char *path, const char *key, double min, double max,
	    double def, double *ret, struct cep_error *err)
{
	const json_t *v = json_object_get(obj, key);
	char p[CEP_ERR_FIELD_MAX];
	double x;

	an_jpath(p, sizeof(p), path, key);
	if (!v || json_is_null(v)) {
		*ret = def;
		return 0;
	}
	if (!json_is_number(v))
		return cep_error_set(err, CEP_EINVAL, p, "%s must be a number", p);
	x = json_number_value(v);
	if (!isfinite(x) || x < min || x > max)
		return cep_error_set(err, CEP_EINVAL, p, "%s must be from %g to %g", p, min, max);
	*ret = x;
	return 0;
}

int an_jbool(const json_t *obj, const char *path, const char *key, int def, int *ret,
	     struct cep_error *err)
{
	const json_t *v = json_object_get(obj, key);
	char p[CEP_ERR_FIELD_MAX];

	an_jpath(p, sizeof(p), path, key);
	if (!v || json_is_null(v)) {
		*ret = def;
		return 0;
	}
	if (!json_is_boolean(v))
		return cep_error_set(err, CEP_EINVAL, p, "%s must be true or false", p);
	*ret = json_is_true(v);
	return 0;
}
