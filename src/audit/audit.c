/* audit.c - append to and verify the hash-chained audit trail. */
#include "audit/audit.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "core/policy.h"
#include "store/sql.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

void audit_actor(const struct cep_principal *p, char *out, size_t size)
{
	if (!p || p->role == CEP_ROLE_SYSTEM)
		snprintf(out, size, "console");
	else if (p->role == CEP_ROLE_NONE) /* no account: a token holder (drill acknowledgements) */
		snprintf(out, size, "anonymous:%s", p->name);
	else
		snprintf(out, size, "user:%s", p->name);
}

/* The hash of one entry. All fields are borrowed. */
static void entry_hash(const char *prev, int64_t seq, int64_t ts, const char *actor,
		       const char *action, const char *otype, const char *oid, const char *detail,
		       char out[CEP_SHA256_HEX + 1])
{
	struct cep_buf b;

	cep_buf_init(&b, SIZE_MAX / 2);
	if (cep_buf_printf(&b, "%s\n%" PRId64 "\n%" PRId64 "\n%s\n%s\n%s\n%s\n%s", prev, seq, ts,
			   actor, action, otype, oid, detail) < 0) {
		/* out of memory: an impossible hash makes the append fail verification
		 * rather than silently succeed; callers check allocation first */
		memset(out, 'x', CEP_SHA256_HEX);
		out[CEP_SHA256_HEX] = '\0';
		cep_buf_free(&b);
		return;
	}
	cep_sha256_hex(b.data, b.len, out);
	cep_buf_free(&b);
}

static int head(struct store *s, int64_t *ret_seq, char ret_hash[CEP_SHA256_HEX + 1])
{
	struct store_stmt *st = NULL;
	int rc = store_prepare(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &st);

	if (rc < 0)
		return rc;
	rc = store_step(st);
	if (rc == 1) {
		*ret_seq = store_col_int(st, 0);
		snprintf(ret_hash, CEP_SHA256_HEX + 1, "%s", store_col_text(st, 1));
		rc = 0;
	} else if (rc == 0) {
		*ret_seq = 0;
		strcpy(ret_hash, GENESIS);
	}
	store_finalize(st);
	return rc;
}

int audit_append(struct store *s, const struct cep_principal *p, const char *action,
		 const char *otype, const char *oid, const json_t *detail)
{
	char actor[CEP_NAME_MAX + 16], prev[CEP_SHA256_HEX + 1], hash[CEP_SHA256_HEX + 1];
	char headval[CEP_SHA256_HEX + 32];
	struct store_stmt *st = NULL;
	char *djson = NULL;
	int64_t seq = 0, ts = cep_now();
	int rc;

	audit_actor(p, actor, sizeof(actor));
	djson = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : cep_strdup("{}");
	if (!djson)
		return CEP_ENOMEM;
	rc = head(s, &seq, prev);
	if (rc < 0)
		goto out;
	seq++;
	entry_hash(prev, seq, ts, actor, action, otype, oid ? oid : "", djson, hash);
	rc = store_prepare(s,
			   "INSERT INTO audit (seq, ts, actor, action, object_type, object_id,"
			   " detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)",
			   &st);
	if (rc < 0)
		goto out;
	store_bind_int(st, 1, seq);
	store_bind_int(st, 2, ts);
	store_bind_text(st, 3, actor);
	store_bind_text(st, 4, action);
	store_bind_text(st, 5, otype);
	store_bind_text(st, 6, oid ? oid : "");
	store_bind_text(st, 7, djson);
	store_bind_text(st, 8, prev);
	store_bind_text(st, 9, hash);
	rc = store_step(st);
	if (rc < 0)
		goto out;
	store_finalize(st);
	st = NULL;
	snprintf(headval, sizeof(headval), "%" PRId64 ":%s", seq, hash);
	rc = store_prepare(s,
			   "INSERT INTO meta (key, value) VALUES ('audit_head', ?)"
			   " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			   &st);
	if (rc < 0)
		goto out;
	store_bind_text(st, 1, headval);
	rc = store_step(st);
out:
	store_finalize(st);
	cep_free(djson);
	return rc < 0 ? rc : 0;
}

int audit_commit(struct store *s, int rc, const struct cep_principal *p, const char *action,
		 const char *otype, const char *oid, const json_t *detail, const char *what,
		 struct cep_error *err)
{
	if (rc == 0)
		rc = audit_append(s, p, action, otype, oid, detail);
	if (rc == 0)
		rc = store_commit(s);
	if (rc < 0) {
		store_rollback(s);
		if (rc == CEP_EEXIST)
			return cep_error_set(err, rc, NULL, "%s conflicts with an existing one", what);
		return cep_error_set(err, rc, NULL, "cannot store %s", what);
	}
	return 0;
}

static json_t *entry_json(struct store_stmt *st)
{
	json_t *o = store_row_json(st);
	char ts[CEP_TS_MAX];
	json_t *detail;

	if (!o)
		return NULL;
	cep_ts_utc(json_integer_value(json_object_get(o, "ts")), ts);
	json_object_set_new(o, "ts", json_string(ts));
	detail = json_loads(json_string_value(json_object_get(o, "detail")), 0, NULL);
	json_object_set_new(o, "detail", detail ? detail : json_null());
	return o;
}

int audit_list(struct store *s, const struct cep_principal *p, const char *actor,
	       const char *action, const char *otype, const struct cep_page *page,
	       json_t **ret, struct cep_error *err)
{
	static const char where[] = " WHERE (? IS NULL OR actor = ?)"
				    " AND (? IS NULL OR substr(action, 1, length(?)) = ?)"
				    " AND (? IS NULL OR object_type = ?)";
	struct store_stmt *st = NULL;
	json_t *items = NULL, *res = NULL;
	int64_t total = 0;
	char sql[512];
	int rc;

	if (policy_check(p, CEP_ACT_AUDIT_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "reading the audit trail is not allowed");
	for (int pass = 0; pass < 2; pass++) {
		snprintf(sql, sizeof(sql), "%s%s%s",
			 pass == 0 ? "SELECT count(*) FROM audit" :
				     "SELECT seq, ts, actor, action, object_type, object_id, detail,"
				     " hash FROM audit",
			 where, pass == 0 ? "" : " ORDER BY seq DESC LIMIT ? OFFSET ?");
		rc = store_prepare(s, sql, &st);
		if (rc < 0)
			goto out;
		store_bind_text(st, 1, actor);
		store_bind_text(st, 2, actor);
		store_bind_text(st, 3, action);
		store_bind_text(st, 4, action);
		store_bind_text(st, 5, action);
		store_bind_text(st, 6, otype);
		store_bind_text(st, 7, otype);
		if (pass == 0) {
			rc = store_step(st);
			if (rc < 0)
				goto out;
			total = store_col_int(st, 0);
		} else {
			store_bind_int(st, 8, page->limit);
			store_bind_int(st, 9, page->offset);
			items = json_array();
			if (!items) {
				rc = CEP_ENOMEM;
				goto out;
			}
			while ((rc = store_step(st)) == 1) {
				json_t *e = entry_json(st);

				if (!e || json_array_append_new(items, e) < 0) {
					rc = CEP_ENOMEM;
					goto out;
				}
			}
			if (rc < 0)
				goto out;
		}
		store_finalize(st);
		st = NULL;
	}
	res = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
			"limit", (json_int_t)page->limit, "offset", (json_int_t)page->offset);
	items = NULL;
	if (!res) {
		rc = CEP_ENOMEM;
		goto out;
	}
	*ret = res;
	rc = 0;
out:
	store_finalize(st);
	json_decref(items);
	if (rc < 0)
		cep_error_set(err, rc, NULL, "cannot read the audit trail");
	return rc;
}

static int problem(json_t *problems, int64_t seq, const char *what)
{
	return json_array_append_new(problems, json_pack("{s:I, s:s}", "seq", (json_int_t)seq,
							 "problem", what));
}

int audit_verify(struct store *s, const struct cep_principal *p, json_t **ret,
		 struct cep_error *err)
{
	struct store_stmt *st = NULL;
	json_t *problems = json_array(), *res;
	char prev[CEP_SHA256_HEX + 1] = GENESIS, calc[CEP_SHA256_HEX + 1];
	int64_t expect = 1, n = 0, last_seq = 0;
	int rc;

	if (policy_check(p, CEP_ACT_AUDIT_VERIFY, NULL) < 0) {
		json_decref(problems);
		return cep_error_set(err, CEP_EPERM, NULL, "verifying the audit trail is not allowed");
	}
	if (!problems)
		return CEP_ENOMEM;
	rc = store_prepare(s,
			   "SELECT seq, ts, actor, action, object_type, object_id, detail,"
			   " prev_hash, hash FROM audit ORDER BY seq",
			   &st);
	if (rc < 0)
		goto out;
	while ((rc = store_step(st)) == 1) {
		int64_t seq = store_col_int(st, 0);
		const char *ph = store_col_text(st, 7), *h = store_col_text(st, 8);

		n++;
		if (seq != expect)
			problem(problems, expect,
				seq > expect ? "entry missing (deleted)" : "sequence out of order");
		if (!ph || strcmp(ph, prev) != 0)
			problem(problems, seq, "does not link to the previous entry");
		entry_hash(ph ? ph : "", seq, store_col_int(st, 1), store_col_text(st, 2),
			   store_col_text(st, 3), store_col_text(st, 4), store_col_text(st, 5),
			   store_col_text(st, 6), calc);
		if (!h || strcmp(h, calc) != 0)
			problem(problems, seq, "content does not match its hash (edited)");
		snprintf(prev, sizeof(prev), "%s", h ? h : "");
		last_seq = seq;
		expect = seq + 1;
	}
	if (rc < 0)
		goto out;
	store_finalize(st);
	st = NULL;
	/* the head kept in meta catches deletion of the newest entries */
	rc = store_prepare(s, "SELECT value FROM meta WHERE key = 'audit_head'", &st);
	if (rc < 0)
		goto out;
	rc = store_step(st);
	if (rc < 0)
		goto out;
	{
		char want[CEP_SHA256_HEX + 32];

		snprintf(want, sizeof(want), "%" PRId64 ":%s", last_seq, prev);
		if (rc == 1 && strcmp(store_col_text(st, 0), want) != 0) {
			int64_t head_seq = 0;

			sscanf(store_col_text(st, 0), "%" SCNd64, &head_seq);
			problem(problems, head_seq > last_seq ? last_seq + 1 : last_seq,
				head_seq > last_seq ? "newest entries missing (deleted)" :
						      "head record does not match the last entry");
		} else if (rc == 0 && n > 0) {
			problem(problems, last_seq, "head record missing");
		}
	}
	res = json_pack("{s:b, s:I, s:I, s:s, s:O}", "ok", json_array_size(problems) == 0,
			"entries", (json_int_t)n, "head_seq", (json_int_t)last_seq, "head_hash",
			n ? prev : "", "problems", problems);
	if (!res) {
		rc = CEP_ENOMEM;
		goto out;
	}
	*ret = res;
	rc = json_array_size(problems) ? CEP_ETAMPER : 0;
	if (rc)
		cep_error_set(err, rc, NULL, "the audit trail has been tampered with: %zu problem(s)",
			      json_array_size(problems));
out:
	store_finalize(st);
	json_decref(problems);
	return rc;
}
