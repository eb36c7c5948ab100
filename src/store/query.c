/* query.c - query helpers over the statement API (backend-independent). */
#include "store/sql.h"

#include "base/alloc.h"
#include "base/buf.h"

int store_bind_args(struct store_stmt *st, const struct store_arg *args, int n)
{
	for (int i = 0; i < n; i++) {
		int rc = args[i].is_int ? store_bind_int(st, i + 1, args[i].i) :
					  store_bind_text(st, i + 1, args[i].text);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int prepared(struct store *s, const char *sql, const struct store_arg *args, int n,
		    struct store_stmt **ret)
{
	struct store_stmt *st = NULL;
	int rc = store_prepare(s, sql, &st);

	if (rc < 0)
		return rc;
	rc = store_bind_args(st, args, n);
	if (rc < 0) {
		store_finalize(st);
		return rc;
	}
	*ret = st;
	return 0;
}

int store_query_all(struct store *s, const char *sql, const struct store_arg *args, int n,
		    json_t **ret)
{
	struct store_stmt *st = NULL;
	json_t *arr = json_array();
	int rc;

	if (!arr)
		return CEP_ENOMEM;
	rc = prepared(s, sql, args, n, &st);
	if (rc < 0)
		goto out;
	while ((rc = store_step(st)) == 1) {
		json_t *row = store_row_json(st);

		if (!row || json_array_append_new(arr, row) < 0) {
			rc = CEP_ENOMEM;
			goto out;
		}
	}
out:
	store_finalize(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*ret = arr;
	return 0;
}

int store_query_one(struct store *s, const char *sql, const struct store_arg *args, int n,
		    json_t **ret)
{
	struct store_stmt *st = NULL;
	json_t *row;
	int rc = prepared(s, sql, args, n, &st);

	if (rc < 0)
		return rc;
	rc = store_step(st);
	if (rc == 1) {
		row = store_row_json(st);
		if (!row) {
			rc = CEP_ENOMEM;
		} else {
			*ret = row;
			rc = 0;
		}
	} else if (rc == 0) {
		rc = CEP_ENOTFOUND;
	}
	store_finalize(st);
	return rc;
}

int store_query_int(struct store *s, const char *sql, const struct store_arg *args, int n,
		    int64_t *ret)
{
	struct store_stmt *st = NULL;
	int rc = prepared(s, sql, args, n, &st);

	if (rc < 0)
		return rc;
	rc = store_step(st);
	if (rc == 1) {
		*ret = store_col_int(st, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = CEP_ENOTFOUND;
	}
	store_finalize(st);
	return rc;
}

int store_run(struct store *s, const char *sql, const struct store_arg *args, int n)
{
	struct store_stmt *st = NULL;
	int rc = prepared(s, sql, args, n, &st);

	if (rc < 0)
		return rc;
	rc = store_step(st);
	store_finalize(st);
	return rc < 0 ? rc : 0;
}

int store_query_page(struct store *s, const char *cols, const char *from_where,
		     const char *order, const struct store_arg *args, int n,
		     const struct cep_page *page, json_t **ret)
{
	return store_query_page_capped(s, cols, from_where, order, args, n, page, STORE_COUNT_CAP,
				       ret);
}

int store_query_page_capped(struct store *s, const char *cols, const char *from_where,
			    const char *order, const struct store_arg *args, int n,
			    const struct cep_page *page, int cap, json_t **ret)
{
	struct store_arg all[32];
	struct cep_buf sql;
	json_t *items = NULL, *res;
	int64_t total = 0;
	int rc;

	if (n > 30)
		return CEP_EINVAL;
	cep_buf_init(&sql, 16384);
	/* totals are exact up to cap: counting a million visible rows to print
	 * one number is not worth the time of every page */
	rc = cep_buf_printf(&sql, "SELECT count(*) FROM (SELECT 1 %s LIMIT %d)", from_where,
			    cap + 1);
	if (rc == 0)
		rc = store_query_int(s, sql.data, args, n, &total);
	if (rc < 0)
		goto out;
	sql.len = 0;
	rc = cep_buf_printf(&sql, "SELECT %s %s ORDER BY %s LIMIT ? OFFSET ?", cols, from_where,
			    order);
	if (rc < 0)
		goto out;
	for (int i = 0; i < n; i++)
		all[i] = args[i];
	all[n] = STORE_INT(page->limit);
	all[n + 1] = STORE_INT(page->offset);
	rc = store_query_all(s, sql.data, all, n + 2, &items);
	if (rc < 0)
		goto out;
	res = json_pack("{s:o, s:I, s:b, s:I, s:I}", "items", items, "total",
			(json_int_t)(total > cap ? cap : total), "total_capped", total > cap, "limit", (json_int_t)page->limit, "offset",
			(json_int_t)page->offset);
	items = NULL;
	if (!res) {
		rc = CEP_ENOMEM;
		goto out;
	}
	*ret = res;
out:
	cep_buf_free(&sql);
	json_decref(items);
	return rc;
}
