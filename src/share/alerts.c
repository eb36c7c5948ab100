/* alerts.c - alerts (情報提供): create with an audience, fan-out through the
 * outbox to one delivery per receiving organisation, reading and tracking. */
#include "share/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/log.h"
#include "base/text.h"
#include "core/handling.h"

#include <stdio.h>
#include <string.h>

static int severity_valid(const char *s)
{
	static const char *const severities[] = { "info", "low", "medium", "high", "critical",
						  NULL };

	for (int i = 0; s && severities[i]; i++)
		if (!strcmp(severities[i], s))
			return 1;
	return 0;
}

/* The organisations an alert reaches, from its audience: a row (alert_id,
 * org_id, ceptoar_id) each; the one parameter is the alert's id. The fan-out
 * and the preview both read it. */
#define RECIPIENTS_SQL                                                                        \
	"SELECT a.id AS alert_id, o.id AS org_id, coalesce(o.ceptoar_id, (SELECT"               \
	" min(oc.ceptoar_id) FROM org_ceptoars oc WHERE oc.org_id = o.id)) AS ceptoar_id"        \
	" FROM alerts a JOIN orgs o ON o.id <> a.org_id WHERE a.id = ? AND ("                    \
	"  EXISTS (SELECT 1 FROM alert_audience t WHERE t.alert_id = a.id AND t.kind = 'all')"   \
	"  OR EXISTS (SELECT 1 FROM alert_audience t WHERE t.alert_id = a.id"                    \
	"   AND t.kind = 'org' AND t.target = o.id)"                                             \
	"  OR EXISTS (SELECT 1 FROM alert_audience t JOIN sectors x ON x.id = t.target"          \
	"   WHERE t.alert_id = a.id AND t.kind = 'sector' AND (o.sector_id = x.id"               \
	"   OR (o.kind = 'ministry' AND o.ministry_id = x.ministry_id)))"                        \
	"  OR EXISTS (SELECT 1 FROM alert_audience t WHERE t.alert_id = a.id"                    \
	"   AND t.kind = 'ceptoar' AND (o.ceptoar_id = t.target OR EXISTS (SELECT 1"             \
	"   FROM org_ceptoars oc WHERE oc.org_id = o.id AND oc.ceptoar_id = t.target))))"        \
	/* an exercise's alert reaches its players and its planning org only */               \
	" AND (a.exercise_id IS NULL OR o.id IN (SELECT m.org_id FROM exercise_player_orgs m"   \
	"  WHERE m.exercise_id = a.exercise_id)"                                                \
	"  OR o.id = (SELECT e.org_id FROM exercises e WHERE e.id = a.exercise_id))"

/* Check one audience list (sectors, ceptoars, orgs) against table; insert
 * its targets. A CEPTOAR secretariat's targets must lie in its sector. */
static int audience_list(struct store *s, const struct cep_principal *p, const char *alert_id,
			 const json_t *list, const char *kind, const char *table,
			 const char *in_sector_sql, int *count, struct cep_error *err)
{
	size_t i;
	json_t *e;
	int rc = 0;

	if (list && !json_is_array(list))
		return cep_error_set(err, CEP_EINVAL, "audience", "audience.%ss must be an array", kind);
	json_array_foreach(list, i, e) {
		const char *id = json_string_value(e);
		char sql[256];
		int64_t n = 0;

		if (!id || strlen(id) > 64)
			return cep_error_set(err, CEP_EINVAL, "audience",
					     "audience.%ss[%zu] must be an id", kind, i);
		if (++*count > SHARE_AUDIENCE_MAX)
			return cep_error_set(err, CEP_ETOOBIG, "audience",
					     "an audience names at most %d targets", SHARE_AUDIENCE_MAX);
		snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE id = ?%s", table,
			 !strcmp(kind, "org") ? " OR code = ?" : "");
		{
			json_t *row = NULL;

			rc = store_query_one(s, sql, (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(id) },
					     !strcmp(kind, "org") ? 2 : 1, &row);
			if (rc == CEP_ENOTFOUND)
				return cep_error_set(err, CEP_ESEMANTIC, "audience", "unknown %s %s",
						     kind, id);
			if (rc < 0)
				return cep_error_set(err, rc, "audience", "cannot read %s", table);
			if (p->role == CEP_ROLE_CEPTOAR) {
				rc = store_query_int(s, in_sector_sql,
						     (struct store_arg[]){
							     STORE_TEXT(json_string_value(
								     json_object_get(row, "id"))),
							     STORE_TEXT(p->sector_id) },
						     2, &n);
				if (rc == 0 && n == 0)
					rc = cep_error_set(err, CEP_ESEMANTIC, "audience",
							   "a CEPTOAR secretariat alerts within its "
							   "own sector only: %s is outside it", id);
			}
			if (rc == 0)
				rc = store_run(s,
					       "INSERT INTO alert_audience (alert_id, kind, target)"
					       " VALUES (?,?,?) ON CONFLICT DO NOTHING",
					       (struct store_arg[]){ STORE_TEXT(alert_id), STORE_TEXT(kind),
								     STORE_TEXT(json_string_value(
									     json_object_get(row, "id"))) },
					       3);
			json_decref(row);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int audience(struct store *s, const struct cep_principal *p, const char *alert_id,
		    const json_t *aud, int tlp, struct cep_error *err)
{
	static const char *const allowed[] = { "all", "sectors", "ceptoars", "orgs", NULL };
	const json_t *all = json_object_get(aud, "all");
	int count = 0, rc;

	if (!json_is_object(aud))
		return cep_error_set(err, CEP_EINVAL, "audience",
				     "audience must be {\"all\": true} or {\"sectors\", \"ceptoars\", "
				     "\"orgs\"}");
	{
		struct cep_error inner;

		cep_error_init(&inner);
		rc = cep_json_only(aud, allowed, &inner);
		if (rc < 0)
			return cep_error_set(err, rc, "audience",
					     "audience has an unknown member (%s): use all, sectors, "
					     "ceptoars or orgs",
					     inner.field);
	}
	if (all && !json_is_boolean(all))
		return cep_error_set(err, CEP_EINVAL, "audience", "audience.all must be true or false");
	if (json_is_true(all)) {
		if (json_object_size(aud) != 1)
			return cep_error_set(err, CEP_EINVAL, "audience",
					     "audience.all stands alone");
		if (p->role == CEP_ROLE_CEPTOAR)
			return cep_error_set(err, CEP_ESEMANTIC, "audience",
					     "a CEPTOAR secretariat alerts within its own sector only");
		if (tlp == CEP_TLP_RED)
			return cep_error_set(err, CEP_ESEMANTIC, "audience",
					     "TLP:RED goes to named organisations only");
		return store_run(s,
				 "INSERT INTO alert_audience (alert_id, kind, target) VALUES (?, 'all', '')",
				 (struct store_arg[]){ STORE_TEXT(alert_id) }, 1);
	}
	if (tlp == CEP_TLP_RED &&
	    (json_array_size(json_object_get(aud, "sectors")) ||
	     json_array_size(json_object_get(aud, "ceptoars"))))
		return cep_error_set(err, CEP_ESEMANTIC, "audience",
				     "TLP:RED goes to named organisations only");
	rc = audience_list(s, p, alert_id, json_object_get(aud, "sectors"), "sector", "sectors",
			   "SELECT count(*) FROM sectors WHERE id = ? AND id = ?", &count, err);
	if (rc == 0)
		rc = audience_list(s, p, alert_id, json_object_get(aud, "ceptoars"), "ceptoar",
				   "ceptoars",
				   "SELECT count(*) FROM ceptoars WHERE id = ? AND sector_id = ?", &count,
				   err);
	if (rc == 0)
		rc = audience_list(s, p, alert_id, json_object_get(aud, "orgs"), "org", "orgs",
				   "SELECT count(*) FROM orgs WHERE id = ? AND sector_id = ?", &count,
				   err);
	if (rc == 0 && count == 0)
		rc = cep_error_set(err, CEP_EINVAL, "audience", "the audience names no one");
	return rc;
}

/* References: an array of http(s) URLs. */
static int references(const json_t *in, char **ret, struct cep_error *err)
{
	const json_t *refs = json_object_get(in, "references");
	size_t i;
	json_t *e;

	if (refs && !json_is_null(refs) && !json_is_array(refs))
		return cep_error_set(err, CEP_EINVAL, "references", "references must be an array of URLs");
	if (json_array_size(refs) > SHARE_REFS_MAX)
		return cep_error_set(err, CEP_ETOOBIG, "references", "at most %d references",
				     SHARE_REFS_MAX);
	json_array_foreach(refs, i, e) {
		const char *u = json_string_value(e);

		if (!u || strlen(u) > SHARE_INDICATOR_MAX ||
		    (strncmp(u, "https://", 8) && strncmp(u, "http://", 7)) ||
		    cep_text_check(u, SHARE_INDICATOR_MAX, true) < 0 || strchr(u, ' '))
			return cep_error_set(err, CEP_EINVAL, "references",
					     "references[%zu] must be an http(s) URL", i);
	}
	*ret = json_is_array(refs) ? json_dumps(refs, JSON_COMPACT) : cep_strdup("[]");
	return *ret ? 0 : CEP_ENOMEM;
}

int share_alert_load(struct store *s, const char *id, json_t **ret)
{
	json_t *a = NULL, *v;
	int rc = store_query_one(
		s,
		"SELECT a.id, a.org_id AS org, o.name_ja AS org_name_ja, o.name_en AS org_name_en,"
		" a.severity, a.title_ja, a.title_en, a.body_ja, a.body_en, a.actions, a.refs,"
		" a.audience, a.tlp, a.handling, a.classification, a.ack_deadline, a.fanout_state,"
		" a.recipients, a.created_at, a.key_id, a.signature, a.exercise_id AS exercise"
		" FROM alerts a JOIN orgs o ON o.id = a.org_id"
		" WHERE a.id = ?",
		(struct store_arg[]){ STORE_TEXT(id) }, 1, &a);

	if (rc < 0)
		return rc;
	if (json_is_null(json_object_get(a, "exercise"))) /* a real alert: as it always was */
		json_object_del(a, "exercise");
	json_object_set_new(a, "tlp", json_string(cep_tlp_name((enum cep_tlp)json_integer_value(
					      json_object_get(a, "tlp")))));
	json_object_set_new(a, "handling", share_handling_json((unsigned)json_integer_value(
						   json_object_get(a, "handling"))));
	v = json_loads(json_string_value(json_object_get(a, "refs")), 0, NULL);
	json_object_set_new(a, "references", v ? v : json_array());
	json_object_del(a, "refs");
	v = json_loads(json_string_value(json_object_get(a, "audience")), 0, NULL);
	json_object_set_new(a, "audience", v ? v : json_object());
	json_object_set_new(a, "fanout", json_incref(json_object_get(a, "fanout_state")));
	json_object_del(a, "fanout_state");
	if (json_is_string(json_object_get(a, "signature")))
		json_object_set_new(a, "signature",
				    json_pack("{s:s, s:O, s:O}", "alg", "Ed25519", "key_id",
					      json_object_get(a, "key_id"), "value",
					      json_object_get(a, "signature")));
	json_object_del(a, "key_id");
	rc = store_query_all(s,
			     "SELECT type, value FROM indicators WHERE owner_type = 'alert'"
			     " AND owner_id = ? ORDER BY id",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &v);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	json_object_set_new(a, "indicators", v);
	*ret = a;
	return 0;
}

int share_alert_resign(struct store *s, const char *id)
{
	json_t *alert = NULL;
	int rc = share_alert_load(s, id, &alert);

	if (rc == 0)
		rc = share_sign_alert(s, alert);
	json_decref(alert);
	return rc;
}

int share_alert_create(struct store *s, const struct cep_principal *p, const json_t *in,
		       json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = {
		"severity", "title_ja", "title_en", "body_ja", "body_en", "actions", "references",
		"indicators", "audience", "tlp", "handling", "classification", "ack_deadline",
		"ack_within_hours", NULL,
	};
	const char *severity = NULL, *title_ja = NULL, *title_en = NULL, *body_ja = NULL,
		   *body_en = NULL, *actions = NULL, *classification = NULL;
	const json_t *hours = json_object_get(in, "ack_within_hours");
	char id[CEP_UUID_LEN + 1], *refs = NULL, *aud = NULL;
	json_t *indicators = NULL, *res = NULL, *detail = NULL;
	int64_t deadline = 0, now = cep_now();
	int has_deadline = 0, tlp = CEP_TLP_AMBER, rc;
	unsigned handling = 0;

	if (policy_check(p, CEP_ACT_ALERT_CREATE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "alerts are provided by NISC, ministries, agencies and CEPTOAR "
				     "secretariats");
	rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "severity", 16, 1, 0, &severity, err);
	if (rc == 0 && !severity_valid(severity))
		rc = cep_error_set(err, CEP_EINVAL, "severity",
				   "severity must be info, low, medium, high or critical");
	if (rc == 0)
		rc = cep_json_text(in, "title_ja", SHARE_TITLE_MAX, 1, 0, &title_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "title_en", SHARE_TITLE_MAX, 0, 0, &title_en, err);
	if (rc == 0)
		rc = cep_json_text(in, "body_ja", SHARE_TEXT_MAX, 1, 1, &body_ja, err);
	if (rc == 0)
		rc = cep_json_text(in, "body_en", SHARE_TEXT_MAX, 0, 1, &body_en, err);
	if (rc == 0)
		rc = cep_json_text(in, "actions", SHARE_TEXT_MAX, 0, 1, &actions, err);
	if (rc == 0)
		rc = references(in, &refs, err);
	if (rc == 0)
		rc = share_indicators(in, &indicators, err);
	if (rc == 0)
		rc = share_tlp(in, CEP_TLP_AMBER, &tlp, err);
	if (rc == 0)
		rc = share_handling(in, &handling, err);
	if (rc == 0)
		rc = share_classification(in, &classification, err);
	if (rc == 0)
		rc = share_time(in, "ack_deadline", &deadline, &has_deadline, err);
	if (rc == 0 && has_deadline && deadline <= now)
		rc = cep_error_set(err, CEP_ESEMANTIC, "ack_deadline", "ack_deadline is in the past");
	if (rc == 0 && hours && !json_is_null(hours)) {
		if (has_deadline)
			rc = cep_error_set(err, CEP_EINVAL, "ack_within_hours",
					   "give ack_deadline or ack_within_hours, not both");
		else if (!json_is_integer(hours) || json_integer_value(hours) < 1 ||
			 json_integer_value(hours) > SHARE_ACK_HOURS_MAX)
			rc = cep_error_set(err, CEP_EINVAL, "ack_within_hours",
					   "ack_within_hours must be 1 to %d", SHARE_ACK_HOURS_MAX);
		deadline = now + json_integer_value(hours) * 3600;
		has_deadline = 1;
	}
	if (rc == 0 && !json_is_object(json_object_get(in, "audience")))
		rc = cep_error_set(err, CEP_EINVAL, "audience",
				   "audience is required: {\"all\": true} or {\"sectors\", "
				   "\"ceptoars\", \"orgs\"}");
	if (rc == 0) {
		aud = json_dumps(json_object_get(in, "audience"), JSON_COMPACT | JSON_SORT_KEYS);
		if (!aud)
			rc = CEP_ENOMEM;
	}
	if (rc < 0)
		goto out;
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO alerts (id, org_id, created_by, severity, title_ja, title_en,"
			       " body_ja, body_en, actions, refs, audience, tlp, handling,"
			       " classification, ack_deadline, created_at, exercise_id)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       (struct store_arg[]){
				       STORE_TEXT(id), STORE_TEXT(p->org_id[0] ? p->org_id : "nisc"),
				       STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
				       STORE_TEXT(severity), STORE_TEXT(title_ja),
				       STORE_TEXT(title_en ? title_en : ""), STORE_TEXT(body_ja),
				       STORE_TEXT(body_en ? body_en : ""),
				       STORE_TEXT(actions ? actions : ""), STORE_TEXT(refs),
				       STORE_TEXT(aud), STORE_INT(tlp), STORE_INT(handling),
				       STORE_TEXT(classification),
				       has_deadline ? STORE_INT(deadline) : STORE_TEXT(NULL),
				       STORE_INT(now), share_world(p) },
			       17);
	if (rc == 0)
		rc = audience(s, p, id, json_object_get(in, "audience"), tlp, err);
	if (rc == 0)
		rc = share_indicators_store(s, "alert", id, indicators);
	if (rc == 0) /* the fan-out is done off the request thread */
		rc = store_run(s,
			       "INSERT INTO outbox (kind, ref, next_at, created_at)"
			       " VALUES ('fanout', ?, ?, ?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_INT(now), STORE_INT(now) }, 3);
	if (rc == 0)
		rc = share_world_log(s, p, "alert", id, NULL);
	if (rc == 0) { /* signed as stored, before anyone can read it */
		rc = share_alert_load(s, id, &res);
		if (rc == 0)
			rc = share_sign_alert(s, res);
		json_decref(res);
		res = NULL;
	}
	detail = json_pack("{s:s, s:s, s:s}", "severity", severity, "tlp",
			   cep_tlp_name((enum cep_tlp)tlp), "audience", aud);
	rc = audit_commit(s, rc, p, "alert.create", "alert", id, detail, "the alert", err);
	if (rc == 0) {
		rc = share_alert_load(s, id, &res);
		if (rc < 0)
			cep_error_set(err, rc, NULL, "cannot read the alert");
	}
	if (rc == 0)
		*ret = res;
out:
	json_decref(detail);
	json_decref(indicators);
	cep_free(refs);
	cep_free(aud);
	return rc;
}

int share_alert_preview(struct store *s, const struct cep_principal *p, const json_t *in,
			json_t **ret, struct cep_error *err)
{
	char id[CEP_UUID_LEN + 1];
	json_t *per = NULL, *res = NULL;
	int64_t total = 0;
	int tlp = CEP_TLP_AMBER, rc;

	if (policy_check(p, CEP_ACT_ALERT_CREATE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "alerts are provided by NISC, ministries, agencies and CEPTOAR "
				     "secretariats");
	if (!json_is_object(in))
		return cep_error_set(err, CEP_EINVAL, NULL, "the body must be a JSON object");
	rc = share_tlp(in, CEP_TLP_AMBER, &tlp, err);
	if (rc == 0 && !json_is_object(json_object_get(in, "audience")))
		rc = cep_error_set(err, CEP_EINVAL, "audience",
				   "audience is required: {\"all\": true} or {\"sectors\", "
				   "\"ceptoars\", \"orgs\"}");
	if (rc < 0)
		return rc;
	/* the audience is checked and resolved as a real alert's would be, on a
	 * draft that is rolled back: nothing is kept */
	cep_uuid(id);
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = store_run(s,
		       "INSERT INTO alerts (id, org_id, created_by, severity, title_ja, body_ja,"
		       " audience, tlp, created_at, exercise_id) VALUES (?,?,?,'info','','','{}',?,?,?)",
		       (struct store_arg[]){ STORE_TEXT(id),
					     STORE_TEXT(p->org_id[0] ? p->org_id : "nisc"),
					     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
					     STORE_INT(tlp), STORE_INT(cep_now()), share_world(p) },
		       6);
	if (rc == 0)
		rc = audience(s, p, id, json_object_get(in, "audience"), tlp, err);
	if (rc == 0)
		rc = store_query_all(s,
				     "SELECT r.ceptoar_id AS ceptoar, c.name_ja, c.name_en,"
				     " count(*) AS recipients FROM (" RECIPIENTS_SQL ") r"
				     " LEFT JOIN ceptoars c ON c.id = r.ceptoar_id"
				     " GROUP BY r.ceptoar_id ORDER BY r.ceptoar_id IS NULL, r.ceptoar_id",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &per);
	store_rollback(s);
	if (rc < 0) {
		json_decref(per);
		return cep_error_set(err, rc, NULL, "cannot resolve the audience");
	}
	for (size_t i = 0; i < json_array_size(per); i++)
		total += json_integer_value(json_object_get(json_array_get(per, i), "recipients"));
	res = json_pack("{s:I, s:o}", "recipients", (json_int_t)total, "per_ceptoar", per);
	if (!res)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	*ret = res;
	return 0;
}

int share_alerts(struct store *s, const struct cep_principal *p, const char *severity,
		 const char *q, const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	struct share_where w;
	char from[8192];
	json_t *res = NULL;
	size_t i;
	json_t *it;
	int rc;

	if (q && share_query_text(q, err) < 0)
		return err ? err->code : CEP_EINVAL;
	if (severity && !severity_valid(severity))
		return cep_error_set(err, CEP_EINVAL, "severity",
				     "severity must be info, low, medium, high or critical");
	rc = share_where_build(&w, p, CEP_ACT_ALERT_READ, &share_alerts_table);
	if (rc == 0 && severity)
		rc = share_where_and(&w, "a.severity = ?", (struct store_arg[]){ STORE_TEXT(severity) }, 1);
	if (rc == 0 && q && share_query_is_id(q))
		rc = share_where_and(&w, "a.id = lower(?)", (struct store_arg[]){ STORE_TEXT(q) }, 1);
	else if (rc == 0 && q)
		rc = share_where_and(&w,
				     "(instr(lower(a.title_ja || ' ' || a.title_en || ' ' || a.body_ja"
				     " || ' ' || a.body_en), lower(?)) > 0)",
				     (struct store_arg[]){ STORE_TEXT(q) }, 1);
	if (rc < 0) {
		share_where_free(&w);
		return cep_error_set(err, rc, NULL, "out of memory");
	}
	snprintf(from, sizeof(from), "FROM alerts a JOIN orgs o ON o.id = a.org_id WHERE %s",
		 w.sql.data);
	rc = store_query_page_capped(s,
				     "a.id, a.org_id AS org, o.name_ja AS org_name_ja, a.severity,"
				     " a.title_ja, a.title_en, a.tlp, a.ack_deadline,"
				     " a.fanout_state AS fanout, a.recipients, a.created_at",
				     from, "a.created_at DESC, a.rowid DESC", w.args, w.nargs, page,
				     SHARE_COUNT_CAP, &res);
	share_where_free(&w);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read alerts");
	json_array_foreach(json_object_get(res, "items"), i, it)
		json_object_set_new(it, "tlp", json_string(cep_tlp_name(
						       (enum cep_tlp)json_integer_value(json_object_get(it, "tlp")))));
	*ret = res;
	return 0;
}

/* The policy object of an alert for p: its org, and whether p's org received it. */
static int alert_object(struct store *s, const struct cep_principal *p, const char *id,
			struct cep_object *o)
{
	json_t *row = NULL;
	int64_t n = 0;
	int rc;

	memset(o, 0, sizeof(*o));
	if (!id || strlen(id) > 64)
		return CEP_ENOTFOUND;
	rc = store_query_one(s, "SELECT org_id, tlp, exercise_id FROM alerts WHERE id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &row);
	if (rc < 0)
		return rc;
	snprintf(o->org_id, sizeof(o->org_id), "%s", json_string_value(json_object_get(row, "org_id")));
	snprintf(o->exercise_id, sizeof(o->exercise_id), "%s",
		 json_is_string(json_object_get(row, "exercise_id")) ?
			 json_string_value(json_object_get(row, "exercise_id")) :
			 "");
	o->tlp = (int)json_integer_value(json_object_get(row, "tlp"));
	json_decref(row);
	rc = store_query_int(s, "SELECT count(*) FROM deliveries WHERE alert_id = ? AND org_id = ?",
			     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->org_id) }, 2, &n);
	o->recipient = n > 0;
	if (rc == 0 && p->ceptoar_id[0]) {
		rc = store_query_int(s,
				     "SELECT count(*) FROM deliveries WHERE alert_id = ? AND ceptoar_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->ceptoar_id) }, 2,
				     &n);
		if (rc == 0 && n > 0) {
			snprintf(o->ceptoars[0], CEP_ID_MAX, "%s", p->ceptoar_id);
			o->nceptoars = 1;
		}
	}
	return rc;
}

int share_alert_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		    struct cep_error *err)
{
	struct cep_object o;
	int rc = alert_object(s, p, id, &o);

	if (rc == 0 && policy_check(p, CEP_ACT_ALERT_READ, &o) < 0)
		rc = CEP_ENOTFOUND;
	if (rc == 0)
		rc = share_alert_load(s, id, ret);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such alert");
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read the alert") : 0;
}

int share_alert_deliveries(struct store *s, const struct cep_principal *p, const char *id,
			   const char *state, const struct cep_page *page, json_t **ret,
			   struct cep_error *err)
{
	struct cep_object o, sender;
	const char *state_sql = "1";
	json_t *alert = NULL, *counts = NULL, *per = NULL, *res = NULL;
	char from[1024];
	int rc = alert_object(s, p, id, &o), whole;

	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such alert");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the alert");
	/* the sender and NISC follow every delivery; a secretariat its members' */
	sender = o;
	sender.nceptoars = 0;
	whole = policy_check(p, CEP_ACT_ALERT_TRACK, &sender) == 0;
	if (!whole && policy_check(p, CEP_ACT_ALERT_TRACK, &o) < 0)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such alert");
	if (state && !strcmp(state, "unacked"))
		state_sql = "d.acked_at IS NULL";
	else if (state && !strcmp(state, "acked"))
		state_sql = "d.acked_at IS NOT NULL";
	else if (state && !strcmp(state, "escalated"))
		state_sql = "d.escalated_at IS NOT NULL";
	else if (state)
		return cep_error_set(err, CEP_EINVAL, "state", "state must be unacked, acked or escalated");
	snprintf(from, sizeof(from),
		 "FROM deliveries d JOIN orgs o ON o.id = d.org_id WHERE d.alert_id = ?"
		 " AND (? = 1 OR d.ceptoar_id = ?) AND %s",
		 state_sql);
	{
		struct store_arg args[] = { STORE_TEXT(id), STORE_INT(whole), STORE_TEXT(p->ceptoar_id) };

		/* the alert first: once its fan-out reads "done", the deliveries
		 * read after it are complete (the fan-out commits at once) */
		rc = share_alert_load(s, id, &alert);
		if (rc == 0)
			rc = store_query_one(s,
				     "SELECT count(*) AS sent, count(d.opened_at) AS opened,"
				     " count(d.acked_at) AS acked, count(d.escalated_at) AS escalated"
				     " FROM deliveries d WHERE d.alert_id = ? AND (? = 1 OR d.ceptoar_id = ?)",
				     args, 3, &counts);
		if (rc == 0)
			rc = store_query_all(s,
					     "SELECT coalesce(d.ceptoar_id, '') AS ceptoar, count(*) AS recipients,"
					     " count(d.opened_at) AS opened, count(d.acked_at) AS acked"
					     " FROM deliveries d WHERE d.alert_id = ?"
					     " AND (? = 1 OR d.ceptoar_id = ?) GROUP BY d.ceptoar_id"
					     " ORDER BY d.ceptoar_id",
					     args, 3, &per);
		if (rc == 0)
			rc = store_query_page(s,
					      "d.id, d.org_id AS org, o.code AS org_code,"
					      " o.name_ja AS org_name_ja, o.name_en AS org_name_en,"
					      " d.ceptoar_id AS ceptoar, d.sent_at, d.opened_at,"
					      " d.acked_at, d.acked_by, d.escalated_at",
					      from, "o.name_ja, d.id", args, 3, page, &res);
	}
	if (rc < 0) {
		json_decref(alert);
		json_decref(counts);
		json_decref(per);
		json_decref(res);
		return cep_error_set(err, rc, NULL, "cannot read the deliveries");
	}
	json_object_set_new(res, "fanout", json_incref(json_object_get(alert, "fanout")));
	json_object_set_new(res, "recipients", json_incref(json_object_get(counts, "sent")));
	json_object_set_new(res, "counts", counts);
	json_object_set_new(res, "per_ceptoar", per);
	json_object_set_new(res, "alert", alert);
	*ret = res;
	return 0;
}

/* ---- fan-out ---- */

/* Resolve the alert's audience to orgs and insert one delivery each. */
static int fanout_one(struct store *s, int64_t job, const char *alert_id)
{
	struct cep_principal worker;
	json_t *detail = NULL;
	int64_t n = 0, now = cep_now();
	int rc;

	cep_principal_system(&worker);
	rc = store_run(s,
		       "INSERT INTO deliveries (alert_id, org_id, ceptoar_id, sent_at, exercise_id)"
		       " SELECT r.alert_id, r.org_id, r.ceptoar_id, ?,"
		       " (SELECT exercise_id FROM alerts WHERE id = r.alert_id) FROM (" RECIPIENTS_SQL ") r"
		       " WHERE 1 ON CONFLICT DO NOTHING",
		       (struct store_arg[]){ STORE_INT(now), STORE_TEXT(alert_id) }, 2);
	if (rc == 0) /* one e-mail/webhook send per delivery and contact (contacts.c) */
		rc = store_run(s,
			       "INSERT INTO sends (delivery_id, contact_id, channel, reason, next_at,"
			       " created_at) SELECT d.id, c.id, c.channel, 'alert', ?, ? FROM deliveries d"
			       " JOIN contacts c ON c.org_id = d.org_id AND c.active = 1"
			       " AND c.channel IN ('email','webhook') WHERE d.alert_id = ?"
			       " ON CONFLICT DO NOTHING",
			       (struct store_arg[]){ STORE_INT(now), STORE_INT(now), STORE_TEXT(alert_id) },
			       3);
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM deliveries WHERE alert_id = ?",
				     (struct store_arg[]){ STORE_TEXT(alert_id) }, 1, &n);
	if (rc == 0)
		rc = store_run(s, "UPDATE alerts SET fanout_state = 'done', recipients = ? WHERE id = ?",
			       (struct store_arg[]){ STORE_INT(n), STORE_TEXT(alert_id) }, 2);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE outbox SET state = 'done', attempts = attempts + 1, done_at = ?"
			       " WHERE id = ? AND state = 'pending'",
			       (struct store_arg[]){ STORE_INT(now), STORE_INT(job) }, 2);
	if (rc == 0 && store_changes(s) == 0)
		rc = CEP_EBUSY; /* taken by another worker meanwhile */
	if (rc == 0) {
		detail = json_pack("{s:I}", "recipients", (json_int_t)n);
		rc = audit_append(s, &worker, "alert.fanout", "alert", alert_id, detail);
		json_decref(detail);
	}
	return rc;
}

int share_fanout_pending(struct store *s, int max, int *ret_done, struct cep_error *err)
{
	json_t *jobs = NULL, *job;
	size_t i;
	int done = 0, rc;

	rc = store_query_all(s,
			     "SELECT id, ref FROM outbox WHERE kind = 'fanout' AND state = 'pending'"
			     " AND next_at <= ? ORDER BY id LIMIT ?",
			     (struct store_arg[]){ STORE_INT(cep_now()), STORE_INT(max) }, 2, &jobs);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the outbox");
	json_array_foreach(jobs, i, job) {
		int64_t id = json_integer_value(json_object_get(job, "id"));
		const char *alert = json_string_value(json_object_get(job, "ref"));

		double t0 = cep_mono_ms();

		rc = store_begin(s);
		if (rc == 0)
			rc = fanout_one(s, id, alert);
		if (rc == 0)
			rc = store_commit(s);
		if (rc == 0) {
			cep_log(CEP_LOG_INFO, "share: fan-out of alert %s committed in %.1f ms", alert,
				cep_mono_ms() - t0);
			done++;
			continue;
		}
		store_rollback(s);
		if (rc == CEP_EBUSY)
			continue;
		/* keep the job; count the attempt and retry later with backoff */
		cep_error_set(err, rc, NULL, "fan-out of alert %s failed", alert);
		store_run(s,
			  "UPDATE outbox SET attempts = attempts + 1, next_at = ? + (60 << min(attempts, 6)),"
			  " last_error = ?, state = CASE WHEN attempts >= 9 THEN 'failed' ELSE state END"
			  " WHERE id = ?",
			  (struct store_arg[]){ STORE_INT(cep_now()), STORE_TEXT(store_errmsg(s)),
						STORE_INT(id) },
			  3);
		break;
	}
	json_decref(jobs);
	if (ret_done)
		*ret_done = done;
	return rc == CEP_EBUSY ? 0 : rc;
}
