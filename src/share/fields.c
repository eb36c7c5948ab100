/* fields.c - validation of what reports and alerts carry: indicators, TLP,
 * handling restrictions, classification, times, texts. */
#include "share/internal.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/text.h"
#include "core/handling.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>


int share_query_text(const char *q, struct cep_error *err)
{
	int rc = cep_text_check(q, 200, true);

	if (rc == CEP_ETOOBIG)
		return cep_error_set(err, rc, "q", "q is longer than 200 characters");
	if (rc < 0)
		return cep_error_set(err, rc, "q", "q must be 1 to 200 characters of text");
	return 0;
}

bool share_query_is_id(const char *q)
{
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? q[i] != '-' : !isxdigit((unsigned char)q[i]))
			return false;
	}
	return q[36] == '\0';
}

int share_time(const json_t *in, const char *key, int64_t *ret, int *ret_set,
	       struct cep_error *err)
{
	const json_t *v = json_object_get(in, key);
	int64_t t;

	if (!v || json_is_null(v)) {
		*ret_set = 0;
		return 0;
	}
	if (!json_is_string(v) || cep_ts_parse(json_string_value(v), &t) < 0)
		return cep_error_set(err, CEP_EINVAL, key,
				     "%s must be an RFC 3339 time such as 2026-04-01T09:30:00+09:00",
				     key);
	*ret = t;
	*ret_set = 1;
	return 0;
}

int share_tlp(const json_t *in, int dflt, int *ret, struct cep_error *err)
{
	const json_t *v = json_object_get(in, "tlp");
	enum cep_tlp t;

	if (!v || json_is_null(v)) {
		*ret = dflt;
		return 0;
	}
	if (!json_is_string(v) || cep_tlp_parse(json_string_value(v), &t) < 0)
		return cep_error_set(err, CEP_EINVAL, "tlp",
				     "tlp must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED");
	*ret = (int)t;
	return 0;
}

int share_handling(const json_t *in, unsigned *ret, struct cep_error *err)
{
	const json_t *v = json_object_get(in, "handling");
	unsigned bits = 0, bit;
	size_t i;
	json_t *e;

	if (v && !json_is_null(v) && !json_is_array(v))
		return cep_error_set(err, CEP_EINVAL, "handling",
				     "handling must be an array of no-copy, no-redistribution, no-export");
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || cep_handling_parse(json_string_value(e), &bit) < 0)
			return cep_error_set(err, CEP_EINVAL, "handling",
					     "handling[%zu] must be no-copy, no-redistribution or "
					     "no-export", i);
		bits |= bit;
	}
	*ret = bits;
	return 0;
}

json_t *share_handling_json(unsigned bits)
{
	json_t *a = json_array();

	for (unsigned bit = 1; a && bit <= CEP_HANDLING_NO_EXPORT; bit <<= 1)
		if (bits & bit)
			json_array_append_new(a, json_string(cep_handling_name(bit)));
	return a;
}

int share_classification(const json_t *in, const char **ret, struct cep_error *err)
{
	const char *v = NULL;
	int rc = cep_json_opt_string(in, "classification", &v, err);

	if (rc < 0)
		return rc;
	if (!v) {
		*ret = "none";
		return 0;
	}
	if (!cep_classification_valid(v))
		return cep_error_set(err, CEP_EINVAL, "classification",
				     "classification must be none, confidential-1, confidential-2 "
				     "or confidential-3");
	*ret = v;
	return 0;
}

/* ---- indicators ---- */

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int valid_domain(const char *s)
{
	size_t len = strlen(s), label = 0;
	int dots = 0;

	if (len == 0 || len > 253)
		return 0;
	for (const char *c = s; *c; c++) {
		if (*c == '.') {
			if (label == 0)
				return 0;
			label = 0;
			dots++;
		} else if (isalnum((unsigned char)*c) || *c == '-' || *c == '_') {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return dots > 0 && label > 0;
}

/* Check one indicator and write its normal form into norm (same size as value). */
static int indicator_norm(const char *type, const char *value, char *norm, size_t size)
{
	unsigned char buf[16];
	size_t len = strlen(value);

	snprintf(norm, size, "%s", value);
	if (!strcmp(type, "ip")) {
		if (inet_pton(AF_INET, value, buf) == 1)
			return 0;
		if (inet_pton(AF_INET6, value, buf) == 1) {
			inet_ntop(AF_INET6, buf, norm, (socklen_t)size);
			return 0;
		}
		return CEP_EINVAL;
	}
	if (!strcmp(type, "domain")) {
		lower(norm);
		if (len && norm[len - 1] == '.')
			norm[len - 1] = '\0';
		return valid_domain(norm) ? 0 : CEP_EINVAL;
	}
	if (!strcmp(type, "url")) {
		if (strncasecmp(value, "http://", 7) && strncasecmp(value, "https://", 8) &&
		    strncasecmp(value, "ftp://", 6))
			return CEP_EINVAL;
		return cep_text_has_control(value, len, false) || strchr(value, ' ') ? CEP_EINVAL : 0;
	}
	if (!strcmp(type, "hash")) {
		lower(norm);
		return (len == 32 || len == 40 || len == 64 || len == 128) && all_hex(norm) ? 0 :
											   CEP_EINVAL;
	}
	if (!strcmp(type, "cve")) {
		const char *n = value + 9;

		for (char *c = norm; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		if (len < 13 || strncmp(norm, "CVE-", 4) || !isdigit((unsigned char)norm[4]) ||
		    !isdigit((unsigned char)norm[5]) || !isdigit((unsigned char)norm[6]) ||
		    !isdigit((unsigned char)norm[7]) || norm[8] != '-' || len > 20)
			return CEP_EINVAL;
		for (; *n; n++)
			if (!isdigit((unsigned char)*n))
				return CEP_EINVAL;
		return 0;
	}
	if (!strcmp(type, "text")) {
		lower(norm);
		return cep_text_check(value, 500, true);
	}
	return CEP_EINVAL;
}

int share_indicators(const json_t *in, json_t **ret, struct cep_error *err)
{
	const json_t *v = json_object_get(in, "indicators");
	json_t *out = json_array(), *e;
	size_t i;

	if (!out)
		return CEP_ENOMEM;
	if (v && !json_is_null(v) && !json_is_array(v)) {
		json_decref(out);
		return cep_error_set(err, CEP_EINVAL, "indicators",
				     "indicators must be an array of {\"type\", \"value\"}");
	}
	if (json_array_size(v) > SHARE_INDICATORS_MAX) {
		json_decref(out);
		return cep_error_set(err, CEP_ETOOBIG, "indicators", "more than %d indicators",
				     SHARE_INDICATORS_MAX);
	}
	json_array_foreach(v, i, e) {
		const char *type = json_string_value(json_object_get(e, "type"));
		const char *value = json_string_value(json_object_get(e, "value"));
		char norm[SHARE_INDICATOR_MAX + 1];

		if (!json_is_object(e) || !type || !value || json_object_size(e) != 2) {
			json_decref(out);
			return cep_error_set(err, CEP_EINVAL, "indicators",
					     "indicators[%zu] must be {\"type\", \"value\"}", i);
		}
		if (strlen(value) > SHARE_INDICATOR_MAX) {
			json_decref(out);
			return cep_error_set(err, CEP_ETOOBIG, "indicators",
					     "indicators[%zu] is longer than %d bytes", i,
					     SHARE_INDICATOR_MAX);
		}
		if (!cep_utf8_valid(value, strlen(value)) ||
		    indicator_norm(type, value, norm, sizeof(norm)) < 0) {
			json_decref(out);
			return cep_error_set(err, CEP_EINVAL, "indicators",
					     "indicators[%zu] is not a valid %s (types: ip, domain, "
					     "url, hash, cve, text)",
					     i, type);
		}
		if (json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "type", type, "value",
							 value, "norm", norm)) < 0) {
			json_decref(out);
			return CEP_ENOMEM;
		}
	}
	*ret = out;
	return 0;
}

int share_indicators_store(struct store *s, const char *owner_type, const char *owner_id,
			   const json_t *indicators)
{
	size_t i;
	json_t *e;
	int rc = store_run(s, "DELETE FROM indicators WHERE owner_type = ? AND owner_id = ?",
			   (struct store_arg[]){ STORE_TEXT(owner_type), STORE_TEXT(owner_id) }, 2);

	json_array_foreach(indicators, i, e) {
		if (rc < 0)
			break;
		rc = store_run(s,
			       "INSERT INTO indicators (owner_type, owner_id, type, value, norm)"
			       " VALUES (?,?,?,?,?)",
			       (struct store_arg[]){
				       STORE_TEXT(owner_type), STORE_TEXT(owner_id),
				       STORE_TEXT(json_string_value(json_object_get(e, "type"))),
				       STORE_TEXT(json_string_value(json_object_get(e, "value"))),
				       STORE_TEXT(json_string_value(json_object_get(e, "norm"))) },
			       5);
	}
	return rc;
}
