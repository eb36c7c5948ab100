/* read.c - a drill's figures for those who may read it: one drill, the list,
 * the results per member (a page, or every member as CSV) and the history of a
 * CEPTOAR's drills (its reachability over time). */
#include "drill/internal.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/csv.h"

#include <stdio.h>
#include <string.h>

#define CSV_MAX (64u << 20) /* bytes of one export */
#define NOT_FOUND "no such drill"

/* The drill id if p may read it: its deadline in seconds into *ret_deadline. */
static int readable(struct store *s, const struct cep_principal *p, const char *id,
		    int64_t *ret_deadline, struct cep_error *err)
{
	json_t *row = NULL;
	int rc = drill_load_checked(s, p, CEP_ACT_DRILL_READ, id, &row);

	if (rc == CEP_ENOTFOUND || rc == CEP_EPERM) /* a hidden drill looks absent */
		return cep_error_set(err, CEP_ENOTFOUND, NULL, NOT_FOUND);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the drill");
	*ret_deadline = json_integer_value(json_object_get(row, "deadline"));
	json_decref(row);
	return 0;
}

int drill_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
	      struct cep_error *err)
{
	int64_t deadline = 0;
	int rc = readable(s, p, id, &deadline, err);

	if (rc == 0)
		rc = drill_describe(s, id, cep_now(), ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the drill") : 0;
}

/* Whether p may read some drill (else lists are refused, not empty). */
static int may_read_some(const struct cep_principal *p, struct cep_error *err)
{
	struct policy_clause c[POLICY_CLAUSES_MAX];

	if (policy_clauses(p, CEP_ACT_DRILL_READ, c) == 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "drills are read by NISC, the CEPTOAR secretariats and the "
				     "ministries");
	return 0;
}

/* The policy's condition and a CEPTOAR filter (NULL, an id or "all") into sql
 * and args (at most 5). */
static void list_where(const struct cep_principal *p, const char *ceptoar, char *sql, size_t size,
		       struct store_arg args[5], int *ret_n)
{
	char pol[512];
	int n = 0;

	drill_read_where(p, pol, sizeof(pol), args, &n);
	if (ceptoar && !strcmp(ceptoar, "all")) {
		snprintf(sql, size, "(%s) AND d.ceptoar_id IS NULL", pol);
	} else if (ceptoar) {
		snprintf(sql, size, "(%s) AND d.ceptoar_id = ?", pol);
		args[n++] = STORE_TEXT(ceptoar);
	} else {
		snprintf(sql, size, "(%s)", pol);
	}
	*ret_n = n;
}

/* Replace each item's deadline_s (seconds) by its state and figures at now. */
static int add_figures(struct store *s, json_t *items, int64_t now, bool members_only)
{
	json_t *it, *fig;
	size_t i;

	json_array_foreach(items, i, it) {
		int64_t deadline = json_integer_value(json_object_get(it, "deadline_s"));
		int rc = drill_figures(s, json_string_value(json_object_get(it, "id")), deadline, now,
				       &fig);

		if (rc < 0)
			return rc;
		json_object_del(it, "deadline_s");
		if (json_object_set_new(it, "state",
					json_string(now <= deadline ? "running" : "finished")) < 0)
			rc = CEP_ENOMEM;
		if (members_only) {
			if (rc == 0 && json_object_set(it, "members", json_object_get(fig, "members")) < 0)
				rc = CEP_ENOMEM;
			json_decref(fig);
		} else if (rc < 0) {
			json_decref(fig);
		} else if (json_object_set_new(it, "figures", fig) < 0) {
			rc = CEP_ENOMEM;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int drill_list(struct store *s, const struct cep_principal *p, const char *ceptoar,
	       const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	struct store_arg args[5];
	char where[700], from[1024];
	json_t *res = NULL;
	int n = 0, rc;

	if (may_read_some(p, err) < 0)
		return CEP_EPERM;
	if (ceptoar && strlen(ceptoar) > 64)
		return cep_error_set(err, CEP_EINVAL, "ceptoar", "ceptoar must be a CEPTOAR id or all");
	list_where(p, ceptoar, where, sizeof(where), args, &n);
	snprintf(from, sizeof(from), "%s WHERE %s", DRILL_FROM, where);
	rc = store_query_page(s, DRILL_COLS ", d.deadline_at + 0 AS deadline_s", from,
			      "d.created_at DESC, d.rowid DESC", args, n, page, &res);
	if (rc == 0)
		rc = add_figures(s, json_object_get(res, "items"), cep_now(), false);
	if (rc < 0) {
		json_decref(res);
		return cep_error_set(err, rc, NULL, "cannot read the drills");
	}
	*ret = res;
	return 0;
}

int drill_history(struct store *s, const struct cep_principal *p, const char *ceptoar,
		  json_t **ret, struct cep_error *err)
{
	struct store_arg args[6];
	char where[700], sql[2048];
	json_t *items = NULL, *res = NULL;
	int n = 0, rc;

	if (may_read_some(p, err) < 0)
		return CEP_EPERM;
	if (!ceptoar)
		return cep_error_set(err, CEP_EINVAL, "ceptoar",
				     "ceptoar is required: a CEPTOAR id, or all for the drills of "
				     "every CEPTOAR");
	if (strlen(ceptoar) > 64)
		return cep_error_set(err, CEP_EINVAL, "ceptoar", "ceptoar must be a CEPTOAR id or all");
	list_where(p, ceptoar, where, sizeof(where), args, &n);
	args[n++] = STORE_INT(DRILL_HISTORY_MAX);
	/* the newest DRILL_HISTORY_MAX, oldest first */
	snprintf(sql, sizeof(sql),
		 "SELECT * FROM (SELECT d.id, d.title, d.created_at, d.deadline_at,"
		 " d.deadline_at + 0 AS deadline_s, d.created_at + 0 AS created_s, d.rowid AS seq,"
		 " d.org_id AS org, d.fanout_state AS fanout %s WHERE %s"
		 " ORDER BY d.created_at DESC, d.rowid DESC LIMIT ?) ORDER BY created_s, seq",
		 DRILL_FROM, where);
	rc = store_query_all(s, sql, args, n, &items);
	if (rc == 0)
		rc = add_figures(s, items, cep_now(), true);
	if (rc < 0) {
		json_decref(items);
		return cep_error_set(err, rc, NULL, "cannot read the drills");
	}
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_object_del(json_array_get(items, i), "created_s");
		json_object_del(json_array_get(items, i), "seq");
	}
	res = json_object();
	if (!res || json_object_set_new(res, "ceptoar", json_string(ceptoar)) < 0 ||
	    json_object_set(res, "items", items) < 0) {
		json_decref(res);
		json_decref(items);
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	json_decref(items);
	*ret = res;
	return 0;
}

/* The members of drill ?1 with their first acknowledgement, whether any channel
 * reached them and whether any address bounced (alias m). */
#define MEMBERS_FROM                                                                        \
	"FROM (SELECT org_id, min(acked_at) AS first_ack,"                                   \
	" max(reached_at IS NOT NULL OR acked_at IS NOT NULL) AS reached,"                    \
	" sum(state = 'bounced') AS bounced FROM drill_targets WHERE drill_id = ?"            \
	" GROUP BY org_id) m JOIN orgs o ON o.id = m.org_id"
#define CHANNELS_SQL                                                                        \
	"SELECT channel, address, state, reached_at, acked_at, acked_via, attempts, last_error," \
	" acked_at + 0 AS acked_s FROM drill_targets WHERE drill_id = ? AND org_id = ?"        \
	" ORDER BY CASE channel WHEN 'inbox' THEN 0 WHEN 'email' THEN 1 ELSE 2 END, id"

/* The result of a member: acknowledged first at first_ack (0: never). */
static const char *result_of(int64_t first_ack, int64_t deadline, int64_t now)
{
	if (first_ack)
		return first_ack <= deadline ? "on_time" : "late";
	return now > deadline ? "never" : "pending";
}

/* Complete one member item: result, reached and bounced as booleans, its
 * channels and the channel of its first acknowledgement. */
static int member_item(struct store *s, const char *id, json_t *it, int64_t deadline, int64_t now)
{
	json_t *ch = NULL, *c;
	int64_t first = json_integer_value(json_object_get(it, "first_ack_s")), best = 0;
	const char *via = NULL;
	size_t i;
	int rc = store_query_all(s, CHANNELS_SQL,
				 (struct store_arg[]){ STORE_TEXT(id),
						       STORE_TEXT(json_string_value(
							       json_object_get(it, "org"))) },
				 2, &ch);

	if (rc < 0)
		return rc;
	json_array_foreach(ch, i, c) {
		int64_t a = json_integer_value(json_object_get(c, "acked_s"));

		if (a && (!best || a < best)) {
			best = a;
			via = json_string_value(json_object_get(c, "acked_via"));
		}
		json_object_del(c, "acked_s");
	}
	rc = json_object_set_new(it, "result", json_string(result_of(first, deadline, now)));
	if (rc == 0)
		rc = json_object_set_new(it, "acked_via", via ? json_string(via) : json_null());
	if (rc == 0)
		rc = json_object_set_new(it, "reached",
					 json_boolean(json_integer_value(json_object_get(it, "reached"))));
	if (rc == 0)
		rc = json_object_set_new(it, "bounced",
					 json_boolean(json_integer_value(json_object_get(it, "bounced")) > 0));
	json_object_del(it, "first_ack_s");
	if (rc == 0)
		return json_object_set_new(it, "channels", ch) < 0 ? CEP_ENOMEM : 0;
	json_decref(ch);
	return CEP_ENOMEM;
}

int drill_members(struct store *s, const struct cep_principal *p, const char *id,
		  const char *result, const struct cep_page *page, json_t **ret,
		  struct cep_error *err)
{
	struct store_arg args[4] = { STORE_TEXT(id) };
	const char *cond = "1";
	char from[1024];
	json_t *res = NULL, *it;
	int64_t deadline = 0, now = cep_now();
	int n = 1, rc;
	size_t i;

	rc = readable(s, p, id, &deadline, err);
	if (rc < 0)
		return rc;
	if (result && !strcmp(result, "on_time")) {
		cond = "m.first_ack <= ?";
		args[n++] = STORE_INT(deadline);
	} else if (result && !strcmp(result, "late")) {
		cond = "m.first_ack > ?";
		args[n++] = STORE_INT(deadline);
	} else if (result && (!strcmp(result, "never") || !strcmp(result, "pending"))) {
		cond = !strcmp(result, "never") ? "m.first_ack IS NULL AND ? > ?"
						: "m.first_ack IS NULL AND ? <= ?";
		args[n++] = STORE_INT(now);
		args[n++] = STORE_INT(deadline);
	} else if (result && !strcmp(result, "bounced")) {
		cond = "m.bounced > 0";
	} else if (result) {
		return cep_error_set(err, CEP_EINVAL, "result",
				     "result must be on_time, late, never, pending or bounced");
	}
	snprintf(from, sizeof(from), "%s WHERE %s", MEMBERS_FROM, cond);
	rc = store_query_page(s,
			      "m.org_id AS org, o.code AS org_code, o.name_ja AS org_name_ja,"
			      " o.name_en AS org_name_en, m.reached, m.bounced, m.first_ack AS acked_at,"
			      " coalesce(m.first_ack, 0) AS first_ack_s",
			      from, "o.name_ja, o.id", args, n, page, &res);
	json_array_foreach(json_object_get(res, "items"), i, it)
		if (rc == 0)
			rc = member_item(s, id, it, deadline, now);
	if (rc < 0) {
		json_decref(res);
		return cep_error_set(err, rc, NULL, "cannot read the drill's members");
	}
	if (json_object_set_new(res, "drill", json_string(id)) < 0) {
		json_decref(res);
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	}
	*ret = res;
	return 0;
}

/* One channel's cell of the CSV: the state of each target of that channel. */
static int channel_cell(const json_t *channels, const char *channel, int64_t deadline,
			struct cep_buf *cell)
{
	const json_t *c;
	size_t i;
	int rc = 0;

	cell->len = 0;
	if (cell->data)
		cell->data[0] = '\0';
	json_array_foreach(channels, i, c) {
		int64_t a = json_integer_value(json_object_get(c, "acked_s"));
		const char *st = json_string_value(json_object_get(c, "state"));
		const char *word = a				     ? (a <= deadline ? "acked" : "acked-late")
				   : !strcmp(st, "bounced") || !strcmp(st, "failed") ? st
				   : json_is_string(json_object_get(c, "reached_at")) ? "reached"
										  : "pending";

		if (strcmp(json_string_value(json_object_get(c, "channel")), channel))
			continue;
		if (rc == 0)
			rc = cep_buf_printf(cell, "%s%s", cell->len ? " " : "", word);
	}
	if (rc == 0 && !cell->data)
		rc = cep_buf_puts(cell, "");
	return rc;
}

int drill_members_csv(struct store *s, const struct cep_principal *p, const char *id,
		      char **ret, size_t *ret_len, struct cep_error *err)
{
	static const char *const channels[] = { "inbox", "email", "webhook" };
	struct cep_page all = { CEP_PAGE_MAX, 0 };
	struct cep_buf out, cell;
	json_t *page = NULL, *raw = NULL, *it;
	int64_t deadline = 0;
	int rc;

	rc = readable(s, p, id, &deadline, err);
	if (rc < 0)
		return rc;
	cep_buf_init(&out, CSV_MAX);
	cep_buf_init(&cell, 4096);
	rc = cep_buf_puts(&out, "org_code,org_name_ja,org_name_en,result,reached,first_ack_at,"
				"acked_via,bounced,inbox,email,webhook\r\n");
	for (;;) {
		size_t i;

		if (rc == 0)
			rc = drill_members(s, p, id, NULL, &all, &page, err);
		if (rc < 0)
			break;
		json_array_foreach(json_object_get(page, "items"), i, it) {
			const char *fields[8] = {
				json_string_value(json_object_get(it, "org_code")),
				json_string_value(json_object_get(it, "org_name_ja")),
				json_string_value(json_object_get(it, "org_name_en")),
				json_string_value(json_object_get(it, "result")),
				json_is_true(json_object_get(it, "reached")) ? "yes" : "no",
				json_string_value(json_object_get(it, "acked_at")),
				json_string_value(json_object_get(it, "acked_via")),
				json_is_true(json_object_get(it, "bounced")) ? "yes" : "no",
			};

			for (int f = 0; rc == 0 && f < 8; f++) {
				rc = cep_csv_put_field(&out, fields[f] ? fields[f] : "");
				if (rc == 0)
					rc = cep_buf_puts(&out, ",");
			}
			/* the channel cells need each target's acknowledgement in seconds */
			if (rc == 0)
				rc = store_query_all(s, CHANNELS_SQL,
						     (struct store_arg[]){ STORE_TEXT(id),
									   STORE_TEXT(json_string_value(
										   json_object_get(it, "org"))) },
						     2, &raw);
			for (int c = 0; rc == 0 && c < 3; c++) {
				rc = channel_cell(raw, channels[c], deadline, &cell);
				if (rc == 0)
					rc = cep_csv_put_field(&out, cell.data);
				if (rc == 0)
					rc = cep_buf_puts(&out, c < 2 ? "," : "\r\n");
			}
			json_decref(raw);
			raw = NULL;
		}
		all.offset += (int64_t)json_array_size(json_object_get(page, "items"));
		if (json_array_size(json_object_get(page, "items")) < (size_t)all.limit) {
			json_decref(page);
			break;
		}
		json_decref(page);
		page = NULL;
	}
	cep_buf_free(&cell);
	if (rc < 0) {
		cep_buf_free(&out);
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot write the CSV");
	}
	*ret_len = out.len;
	*ret = cep_buf_steal(&out);
	if (!*ret)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	return 0;
}
