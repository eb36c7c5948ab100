/* sql.h - statements, for the services. SQL written against it keeps to the
 * portable subset (? placeholders, ON CONFLICT DO NOTHING, LIMIT/OFFSET) so a
 * second backend can run the same text. */
#ifndef CEP_STORE_SQL_H
#define CEP_STORE_SQL_H

#include "store/store.h"

#include "core/page.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct store_stmt;

/* Transactions. store_begin takes the write lock at once. Returns 0 or an error. */
int store_begin(struct store *s);
int store_commit(struct store *s);
/* Roll back the open transaction, if any. */
void store_rollback(struct store *s);

/* Prepare sql. The statement belongs to the caller: store_finalize it.
 * Returns 0 or CEP_EIO (with the reason logged). */
int store_prepare(struct store *s, const char *sql, struct store_stmt **ret);
/* Bind parameter idx (1-based). A NULL text binds SQL NULL. The text is copied. */
int store_bind_text(struct store_stmt *st, int idx, const char *v);
int store_bind_int(struct store_stmt *st, int idx, int64_t v);
int store_bind_null(struct store_stmt *st, int idx);
/* Bind len bytes of data (copied) as a BLOB. */
int store_bind_blob(struct store_stmt *st, int idx, const void *data, size_t len);
/* Step: 1 when a row is ready, 0 when done, or a negative error:
 * CEP_EEXIST (unique constraint), CEP_ESEMANTIC (foreign key or check
 * constraint), CEP_EBUSY (locked), CEP_EIO. */
int store_step(struct store_stmt *st);
/* Column accessors for the current row. Text is NULL for SQL NULL and is
 * owned by the statement until the next step/reset/finalize. */
const char *store_col_text(struct store_stmt *st, int i);
int64_t store_col_int(struct store_stmt *st, int i);
bool store_col_null(struct store_stmt *st, int i);
/* A BLOB column: its bytes (owned by the statement, like text) and size. */
const void *store_col_blob(struct store_stmt *st, int i);
size_t store_col_bytes(struct store_stmt *st, int i);
/* The current row as a new JSON object keyed by column name (INTEGER -> int,
 * REAL -> real, TEXT -> string, NULL -> null). Caller owns it. NULL on ENOMEM. */
json_t *store_row_json(struct store_stmt *st);
/* Reset for another execution, keeping bindings cleared. */
int store_reset(struct store_stmt *st);
/* Accepts NULL. */
void store_finalize(struct store_stmt *st);

/* Run sql with no parameters and no result. Returns 0 or an error as store_step. */
int store_exec(struct store *s, const char *sql);
/* Statements the handle has parsed so far. A statement's text is parsed once
 * and kept (the handle keeps the most recently used ones), so in steady state
 * this grows only with texts not seen lately. */
uint64_t store_prepares(const struct store *s);
/* Rows changed by the last statement. */
int64_t store_changes(struct store *s);
/* Last error text of the handle, for logs. */
const char *store_errmsg(struct store *s);

/* ---- query helpers used by every service ---- */

/* One bound parameter. */
struct store_arg {
	int is_int;
	const char *text; /* NULL binds SQL NULL (when !is_int) */
	int64_t i;
};
#define STORE_TEXT(s) ((struct store_arg){ 0, (s), 0 })
#define STORE_INT(v) ((struct store_arg){ 1, NULL, (v) })

/* Bind args[0..n) to parameters 1..n. */
int store_bind_args(struct store_stmt *st, const struct store_arg *args, int n);
/* Every row of sql as a new JSON array of objects (*ret, caller owns). */
int store_query_all(struct store *s, const char *sql, const struct store_arg *args, int n,
		    json_t **ret);
/* The first row of sql as a new JSON object; CEP_ENOTFOUND when there is none. */
int store_query_one(struct store *s, const char *sql, const struct store_arg *args, int n,
		    json_t **ret);
/* A page: counts the rows of "<from_where>" (exactly up to STORE_COUNT_CAP;
 * beyond it total is the cap and total_capped true) and lists "SELECT <cols>
 * <from_where> ORDER BY <order> LIMIT ? OFFSET ?" with the same args, into
 * {"items": [...], "total": N, "total_capped": bool, "limit": L, "offset": O}
 * (*ret, caller owns). */
#define STORE_COUNT_CAP 10000
int store_query_page(struct store *s, const char *cols, const char *from_where,
		     const char *order, const struct store_arg *args, int n,
		     const struct cep_page *page, json_t **ret);
/* The same with another cap on the count (lists of the sharing system, where
 * a million rows is normal, count to 1,000). */
int store_query_page_capped(struct store *s, const char *cols, const char *from_where,
			    const char *order, const struct store_arg *args, int n,
			    const struct cep_page *page, int cap, json_t **ret);
/* Run sql (no result rows) with args. Returns 0 or an error as store_step. */
int store_run(struct store *s, const char *sql, const struct store_arg *args, int n);
/* The single integer result of sql (e.g. a count) into *ret. */
int store_query_int(struct store *s, const char *sql, const struct store_arg *args, int n,
		    int64_t *ret);

#endif
