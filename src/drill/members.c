/* members.c - a drill's results per member organisation: a page (with each
 * member's channels), or every member as CSV, and the phone and FAX targets
 * that wait for a record, for those who may read the drill. */
#include "drill/internal.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/csv.h"

#include <stdio.h>
#include <string.h>

#define CSV_MAX (64u << 20) /* bytes of one export */

/* The members of drill ?1 with their first acknowledgement, whether any channel
 * reached them and whether any address bounced (alias m). */
#define MEMBERS_FROM                                                                        \
	"FROM (SELECT org_id, min(acked_at) AS first_ack,"                                   \
	" max(reached_at IS NOT NULL OR acked_at IS NOT NULL) AS reached,"                    \
	" sum(state = 'bounced') AS bounced FROM drill_targets WHERE drill_id = ?"            \
	" GROUP BY org_id) m JOIN orgs o ON o.id = m.org_id"
#define CHANNELS_SQL                                                                        \
	"SELECT id AS target, channel, address, state, reached_at, acked_at, acked_via,"      \
	" attempts, last_error, note, acked_at + 0 AS acked_s FROM drill_targets"             \
	" WHERE drill_id = ? AND org_id = ? ORDER BY " DRILL_CHANNEL_ORDER ", id"

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

	rc = drill_readable(s, p, id, &deadline, err);
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

int drill_calls(struct store *s, const struct cep_principal *p, const char *id,
		const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	json_t *res = NULL;
	int64_t deadline = 0;
	int rc = drill_readable(s, p, id, &deadline, err);

	if (rc < 0)
		return rc;
	rc = store_query_page(s,
			      "t.id AS target, t.channel, t.address, t.state, t.reached_at,"
			      " t.acked_at, t.acked_via, t.attempts, t.last_error, t.note,"
			      " t.org_id AS org, o.code AS org_code, o.name_ja AS org_name_ja,"
			      " o.name_en AS org_name_en",
			      "FROM drill_targets t JOIN orgs o ON o.id = t.org_id WHERE"
			      " t.drill_id = ? AND t.channel IN ('phone', 'fax') AND t.acked_at IS NULL",
			      "o.name_ja, o.id, t.channel DESC, t.id", /* phone before fax */
			      (struct store_arg[]){ STORE_TEXT(id) }, 1, page, &res);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the drill's calls");
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
	static const char *const channels[] = { "inbox", "email", "webhook", "phone", "fax" };
	const int nch = (int)(sizeof(channels) / sizeof(channels[0]));
	struct cep_page all = { CEP_PAGE_MAX, 0 };
	struct cep_buf out, cell;
	json_t *page = NULL, *raw = NULL, *it;
	int64_t deadline = 0;
	int rc;

	rc = drill_readable(s, p, id, &deadline, err);
	if (rc < 0)
		return rc;
	cep_buf_init(&out, CSV_MAX);
	cep_buf_init(&cell, 4096);
	rc = cep_buf_puts(&out, "org_code,org_name_ja,org_name_en,result,reached,first_ack_at,"
				"acked_via,bounced,inbox,email,webhook,phone,fax\r\n");
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
			for (int c = 0; rc == 0 && c < nch; c++) {
				rc = channel_cell(raw, channels[c], deadline, &cell);
				if (rc == 0)
					rc = cep_csv_put_field(&out, cell.data);
				if (rc == 0)
					rc = cep_buf_puts(&out, c < nch - 1 ? "," : "\r\n");
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
