/* common.c - what the files of drill/ share: a drill's policy object, the
 * list condition of the policy, and the figures (reached, acknowledged on
 * time, late, never, pending, bounced, failed; per channel and per member). */
#include "drill/internal.h"

#include "base/json.h"

#include <stdio.h>
#include <string.h>

int drill_load_checked(struct store *s, const struct cep_principal *p, enum cep_action action,
		       const char *id, json_t **ret_row)
{
	struct cep_object o;
	json_t *row = NULL;
	const char *v;
	int rc;

	if (!id || strlen(id) > 64)
		return CEP_ENOTFOUND;
	rc = store_query_one(s,
			     "SELECT id, org_id, coalesce(ministry_id, '') AS ministry_id,"
			     " coalesce(ceptoar_id, '') AS ceptoar_id, deadline_at + 0 AS deadline"
			     " FROM drills WHERE id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &row);
	if (rc < 0)
		return rc;
	memset(&o, 0, sizeof(o));
	snprintf(o.org_id, sizeof(o.org_id), "%s", json_string_value(json_object_get(row, "org_id")));
	snprintf(o.ministry_id, sizeof(o.ministry_id), "%s",
		 json_string_value(json_object_get(row, "ministry_id")));
	v = json_string_value(json_object_get(row, "ceptoar_id"));
	if (v && *v) {
		snprintf(o.ceptoars[0], CEP_ID_MAX, "%s", v);
		o.nceptoars = 1;
	}
	if (policy_check(p, action, &o) < 0) {
		json_decref(row);
		return CEP_EPERM;
	}
	*ret_row = row;
	return 0;
}

void drill_read_where(const struct cep_principal *p, char *sql, size_t size,
		      struct store_arg args[4], int *ret_n)
{
	struct policy_clause c[POLICY_CLAUSES_MAX];
	int n = policy_clauses(p, CEP_ACT_DRILL_READ, c), nargs = 0;
	size_t used = 0;

	snprintf(sql, size, "0");
	for (int i = 0; i < n && nargs < 4; i++) {
		const char *expr = NULL, *arg = NULL;

		switch (c[i].rel) {
		case CEP_REL_ANY:
			snprintf(sql, size, "1");
			*ret_n = 0;
			return;
		case CEP_REL_OWN_ORG:
			expr = "d.org_id = ?";
			arg = p->org_id;
			break;
		case CEP_REL_SECRETARIAT:
			expr = "d.ceptoar_id = ?";
			arg = p->ceptoar_id;
			break;
		case CEP_REL_MINISTRY:
			expr = "d.ministry_id = ?";
			arg = p->ministry_id;
			break;
		default: /* no other relationship reads drills */
			continue;
		}
		used += (size_t)snprintf(sql + used, size - used, "%s%s", used ? " OR " : "", expr);
		if (used >= size) { /* cannot happen with these few clauses; deny */
			snprintf(sql, size, "0");
			*ret_n = 0;
			return;
		}
		args[nargs++] = STORE_TEXT(arg);
	}
	*ret_n = nargs;
}

/* Add "rates" to counts: each count of keys over total (0 when total is 0).
 * Returns 0 or CEP_ENOMEM. */
static int add_rates(json_t *counts)
{
	static const char *const keys[] = { "reached", "acked_on_time", "late", "never", "pending",
					    "bounced", "failed", NULL };
	json_int_t total = json_integer_value(json_object_get(counts, "total"));
	json_t *rates = json_object();
	int rc = rates ? 0 : CEP_ENOMEM;

	for (int i = 0; rc == 0 && keys[i]; i++) {
		json_t *v = json_object_get(counts, keys[i]);

		if (v && json_object_set_new(rates, keys[i],
					     json_real(total ? (double)json_integer_value(v) / (double)total
							     : 0.0)) < 0)
			rc = CEP_ENOMEM;
	}
	if (rc < 0) {
		json_decref(rates);
		return rc;
	}
	return json_object_set_new(counts, "rates", rates) < 0 ? CEP_ENOMEM : 0;
}

/* The counts over targets: per channel, then summed. */
#define TARGET_COUNTS                                                                      \
	"count(*) AS total,"                                                                \
	" coalesce(sum(reached_at IS NOT NULL OR acked_at IS NOT NULL), 0) AS reached,"     \
	" coalesce(sum(acked_at IS NOT NULL AND acked_at <= ?1), 0) AS acked_on_time,"      \
	" coalesce(sum(acked_at IS NOT NULL AND acked_at > ?1), 0) AS late,"                \
	" coalesce(sum(acked_at IS NULL AND ?2 > ?1), 0) AS never,"                         \
	" coalesce(sum(acked_at IS NULL AND ?2 <= ?1), 0) AS pending,"                      \
	" coalesce(sum(state = 'bounced'), 0) AS bounced,"                                  \
	" coalesce(sum(state = 'failed'), 0) AS failed"

int drill_figures(struct store *s, const char *id, int64_t deadline, int64_t now, json_t **ret)
{
	struct store_arg args[] = { STORE_INT(deadline), STORE_INT(now), STORE_TEXT(id) };
	json_t *members = NULL, *targets = NULL, *per = NULL, *res = NULL, *it;
	size_t i;
	int rc;

	rc = store_query_all(s,
			     "SELECT channel, " TARGET_COUNTS " FROM drill_targets WHERE drill_id = ?3"
			     " GROUP BY channel ORDER BY " DRILL_CHANNEL_ORDER,
			     args, 3, &per);
	if (rc == 0)
		rc = store_query_one(s,
				     "SELECT " TARGET_COUNTS " FROM drill_targets WHERE drill_id = ?3",
				     args, 3, &targets);
	/* a member counts once: reached by any channel, acknowledged when its
	 * first acknowledgement came (on time or late), bounced when any address
	 * bounced */
	if (rc == 0)
		rc = store_query_one(
			s,
			"SELECT count(*) AS total, coalesce(sum(reached), 0) AS reached,"
			" coalesce(sum(first_ack <= ?1), 0) AS acked_on_time,"
			" coalesce(sum(first_ack > ?1), 0) AS late,"
			" coalesce(sum(first_ack IS NULL AND ?2 > ?1), 0) AS never,"
			" coalesce(sum(first_ack IS NULL AND ?2 <= ?1), 0) AS pending,"
			" coalesce(sum(bounced > 0), 0) AS bounced, coalesce(sum(failed > 0), 0) AS failed"
			" FROM (SELECT org_id,"
			" max(reached_at IS NOT NULL OR acked_at IS NOT NULL) AS reached,"
			" min(acked_at) AS first_ack, sum(state = 'bounced') AS bounced,"
			" sum(state = 'failed') AS failed"
			" FROM drill_targets WHERE drill_id = ?3 GROUP BY org_id)",
			args, 3, &members);
	if (rc < 0)
		goto out;
	json_array_foreach(per, i, it)
		if (rc == 0)
			rc = add_rates(it);
	if (rc == 0)
		rc = add_rates(targets);
	if (rc == 0)
		rc = add_rates(members);
	if (rc < 0)
		goto out;
	res = json_object();
	if (!res || json_object_set(res, "members", members) < 0 ||
	    json_object_set(res, "targets", targets) < 0 || json_object_set(res, "per_channel", per) < 0) {
		json_decref(res);
		rc = CEP_ENOMEM;
	} else {
		*ret = res;
	}
out:
	json_decref(members);
	json_decref(targets);
	json_decref(per);
	return rc;
}

int drill_describe(struct store *s, const char *id, int64_t now, json_t **ret)
{
	json_t *d = NULL, *fig = NULL;
	int64_t deadline = 0;
	int rc = store_query_one(s, "SELECT " DRILL_COLS ", d.deadline_at + 0 AS deadline_s "
				 DRILL_FROM " WHERE d.id = ?",
				 (struct store_arg[]){ STORE_TEXT(id) }, 1, &d);

	if (rc < 0)
		return rc;
	deadline = json_integer_value(json_object_get(d, "deadline_s"));
	json_object_del(d, "deadline_s");
	rc = cep_json_split(d, "manual");
	if (rc == 0)
		rc = drill_figures(s, id, deadline, now, &fig);
	if (rc < 0) {
		json_decref(d);
		return rc;
	}
	rc = json_object_set_new(d, "state", json_string(now <= deadline ? "running" : "finished"));
	if (json_object_set_new(d, "figures", fig) < 0 || rc < 0) { /* fig is d's, or freed */
		json_decref(d);
		return CEP_ENOMEM;
	}
	*ret = d;
	return 0;
}

int drill_on_time(json_t *it)
{
	json_t *v = json_object_get(it, "on_time");

	if (json_is_integer(v) &&
	    json_object_set_new(it, "on_time", json_boolean(json_integer_value(v))) < 0)
		return CEP_ENOMEM;
	return 0;
}

void drill_token_principal(struct cep_principal *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->role = CEP_ROLE_NONE;
	snprintf(ret->name, sizeof(ret->name), "drill-token");
}

/* The drill id if p may read it: its deadline in seconds into *ret_deadline. */
int drill_readable(struct store *s, const struct cep_principal *p, const char *id,
		    int64_t *ret_deadline, struct cep_error *err)
{
	json_t *row = NULL;
	int rc = drill_load_checked(s, p, CEP_ACT_DRILL_READ, id, &row);

	if (rc == CEP_ENOTFOUND || rc == CEP_EPERM) /* a hidden drill looks absent */
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such drill");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the drill");
	*ret_deadline = json_integer_value(json_object_get(row, "deadline"));
	json_decref(row);
	return 0;
}
