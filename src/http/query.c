/* query.c - query-string parameters (pagination: limit, offset; text filters and
 * flags) and numeric ids from the path, each checked before a service sees it.
 * MHD has already split and percent-decoded the query; invalid escapes arrive as
 * they were sent. */
#include "http/internal.h"

#include "base/text.h"

#include <string.h>

/* Look name up. Returns 1 with *ret_value (borrowed; NULL for "?name" without '=') and
 * *ret_len set when present, 0 when absent. */
static int lookup(struct http_req *r, const char *name, const char **ret_value, size_t *ret_len)
{
	const char *v = NULL;
	size_t n = 0;

	if (MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v,
					  &n) != MHD_YES)
		return 0;
	*ret_value = v;
	*ret_len = v ? n : 0;
	return 1;
}

/* Parse name as a decimal integer in [min, max] into *ret; absent leaves *ret as is.
 * CEP_EINVAL naming name otherwise. */
static int int_param(struct http_req *r, const char *name, int64_t min, int64_t max,
		     int64_t *ret)
{
	const char *v = NULL;
	size_t n = 0;
	int64_t x = 0;

	if (!lookup(r, name, &v, &n))
		return 0;
	if (!v || n == 0 || n > 18 || strlen(v) != n)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			goto bad;
		x = x * 10 + (v[i] - '0');
	}
	if (x < min || x > max)
		goto bad;
	*ret = x;
	return 0;
bad:
	return cep_error_set(&r->err, CEP_EINVAL, name, "%s must be an integer from %lld to %lld",
			     name, (long long)min, (long long)max);
}

int http_query_page(struct http_req *r, struct cep_page *ret)
{
	struct cep_page page = cep_page_default();
	int rc;

	rc = int_param(r, "limit", 1, CEP_PAGE_MAX, &page.limit);
	if (rc == 0)
		rc = int_param(r, "offset", 0, CEP_OFFSET_MAX, &page.offset);
	if (rc == 0)
		*ret = page;
	return rc;
}

int http_query_int(struct http_req *r, const char *name, int min, int max, int dflt, int *ret)
{
	int64_t x = dflt;
	int rc = int_param(r, name, min, max, &x);

	if (rc == 0)
		*ret = (int)x;
	return rc;
}

int http_query_str(struct http_req *r, const char *name, const char **ret)
{
	const char *v = NULL;
	size_t n = 0;

	if (!lookup(r, name, &v, &n) || !v || n == 0) {
		*ret = NULL;
		return 0;
	}
	if (n > HTTP_QUERY_MAX)
		return cep_error_set(&r->err, CEP_EINVAL, name, "%s is longer than %d bytes", name,
				     HTTP_QUERY_MAX);
	if (strlen(v) != n || !cep_utf8_valid(v, n) || cep_text_has_control(v, n, false))
		return cep_error_set(&r->err, CEP_EINVAL, name,
				     "%s must be UTF-8 text without control characters", name);
	*ret = v;
	return 0;
}

int http_query_bool(struct http_req *r, const char *name, bool *ret)
{
	const char *v = NULL;
	size_t n = 0;

	if (!lookup(r, name, &v, &n)) {
		*ret = false;
		return 0;
	}
	if (!v || (strlen(v) == n && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0))) {
		*ret = true; /* "?name" alone counts as set */
		return 0;
	}
	if (strlen(v) == n && (n == 0 || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)) {
		*ret = false;
		return 0;
	}
	return cep_error_set(&r->err, CEP_EINVAL, name, "%s must be 1 or 0", name);
}

int http_path_delivery(struct http_req *r, const char *text, int64_t *ret)
{
	size_t n = strlen(text);
	int64_t x = 0;

	if (n == 0 || n > 18 || text[0] == '0')
		goto bad;
	for (size_t i = 0; i < n; i++) {
		if (text[i] < '0' || text[i] > '9')
			goto bad;
		x = x * 10 + (text[i] - '0');
	}
	*ret = x;
	return 0;
bad:
	return cep_error_set(&r->err, CEP_ENOTFOUND, NULL, "no such delivery");
}
