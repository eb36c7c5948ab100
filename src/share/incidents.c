/* incidents.c - large-scale incident mode (平時と異なる体制): NISC declares an
 * incident, links reports and alerts to it, shortens acknowledgement
 * deadlines, compiles situation reports per sector, and closes it. */
#include "share/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"

#include <stdio.h>
#include <string.h>

static int may_manage(const struct cep_principal *p, struct cep_error *err)
{
	if (policy_check(p, CEP_ACT_INCIDENT_MANAGE, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "NISC declares and closes incidents");
	return 0;
}

static int int_member(const json_t *in, const char *key, int lo, int hi, int dflt, int *ret,
		      struct cep_error *err)
{
	const json_t *v = json_object_get(in, key);

	if (!v || json_is_null(v)) {
		*ret = dflt;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return cep_error_set(err, CEP_EINVAL, key, "%s must be %d to %d", key, lo, hi);
	*ret = (int)json_integer_value(v);
	return 0;
}

int share_incident_get(struct store *s, const struct cep_principal *p, const char *id,
		       json_t **ret, struct cep_error *err)
{
	json_t *inc = NULL;
	int rc;

	if (policy_check(p, CEP_ACT_INCIDENT_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "reading incidents is not allowed");
	if (!id || strlen(id) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such incident");
	rc = store_query_one(s,
			     "SELECT i.id, i.title, i.description, i.state, i.ack_hours,"
			     " i.sitrep_minutes, i.declared_by, i.declared_at, i.closed_by, i.closed_at,"
			     " (SELECT count(*) FROM alerts a WHERE a.incident_id = i.id) AS alerts,"
			     " (SELECT max(created_at) FROM incident_sitreps x WHERE x.incident_id = i.id)"
			     "   AS last_sitrep_at"
			     " FROM incidents i WHERE i.id = ?",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &inc);
	if (rc < 0)
		return cep_error_set(err, rc, NULL,
				     rc == CEP_ENOTFOUND ? "no such incident" : "cannot read the incident");
	*ret = inc;
	return 0;
}

int share_incident_declare(struct store *s, const struct cep_principal *p, const json_t *in,
			   json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "title", "description", "ack_hours",
					       "sitrep_minutes", NULL };
	const char *title = NULL, *desc = NULL;
	char id[CEP_UUID_LEN + 1];
	int ack = 2, sitrep = 60, rc = may_manage(p, err);
	json_t *detail;

	if (rc == 0)
		rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "title", SHARE_TITLE_MAX, 1, 0, &title, err);
	if (rc == 0)
		rc = cep_json_text(in, "description", SHARE_TEXT_MAX, 0, 1, &desc, err);
	if (rc == 0)
		rc = int_member(in, "ack_hours", 1, 72, 2, &ack, err);
	if (rc == 0)
		rc = int_member(in, "sitrep_minutes", 10, 1440, 60, &sitrep, err);
	if (rc < 0)
		return rc;
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO incidents (id, title, description, state, ack_hours,"
			       " sitrep_minutes, declared_by, declared_at) VALUES (?,?,?,'open',?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(title),
						     STORE_TEXT(desc ? desc : ""), STORE_INT(ack),
						     STORE_INT(sitrep), STORE_TEXT(p->name),
						     STORE_INT(cep_now()) },
			       7);
	detail = json_pack("{s:s}", "title", title);
	rc = audit_commit(s, rc, p, "incident.declare", "incident", id, detail, "the incident", err);
	json_decref(detail);
	return rc < 0 ? rc : share_incident_get(s, p, id, ret, err);
}

int share_incident_close(struct store *s, const struct cep_principal *p, const char *id,
			 json_t **ret, struct cep_error *err)
{
	int rc = may_manage(p, err);

	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc == 0)
		rc = store_run(s,
			       "UPDATE incidents SET state = 'closed', closed_by = ?, closed_at = ?"
			       " WHERE id = ? AND state = 'open'",
			       (struct store_arg[]){ STORE_TEXT(p->name), STORE_INT(cep_now()),
						     STORE_TEXT(id) },
			       3);
	if (rc == 0 && store_changes(s) == 0)
		rc = cep_error_set(err, CEP_ENOTFOUND, NULL, "no open incident %s", id);
	rc = audit_commit(s, rc, p, "incident.close", "incident", id, NULL, "the incident", err);
	return rc < 0 ? rc : share_incident_get(s, p, id, ret, err);
}

int share_incidents(struct store *s, const struct cep_principal *p, const char *state,
		    const struct cep_page *page, json_t **ret, struct cep_error *err)
{
	int rc;

	if (policy_check(p, CEP_ACT_INCIDENT_READ, NULL) < 0)
		return cep_error_set(err, CEP_EPERM, NULL, "reading incidents is not allowed");
	if (state && strcmp(state, "open") && strcmp(state, "closed"))
		return cep_error_set(err, CEP_EINVAL, "state", "state must be open or closed");
	rc = store_query_page(s,
			      "id, title, state, ack_hours, sitrep_minutes, declared_by, declared_at,"
			      " closed_at",
			      "FROM incidents WHERE (? IS NULL OR state = ?)", "declared_at DESC, id",
			      (struct store_arg[]){ STORE_TEXT(state), STORE_TEXT(state) }, 2, page, ret);
	return rc < 0 ? cep_error_set(err, rc, NULL, "cannot read incidents") : 0;
}

int share_incident_link(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, struct cep_error *err)
{
	static const char *const allowed[] = { "report", "alert", NULL };
	const char *report = NULL, *alert = NULL;
	json_t *inc = NULL, *detail;
	int rc = may_manage(p, err);

	if (rc == 0)
		rc = cep_json_only(in, allowed, err);
	if (rc == 0)
		rc = cep_json_text(in, "report", 64, 0, 0, &report, err);
	if (rc == 0)
		rc = cep_json_text(in, "alert", 64, 0, 0, &alert, err);
	if (rc == 0 && !report == !alert)
		rc = cep_error_set(err, CEP_EINVAL, "report", "give one of report or alert");
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc == 0) {
		rc = store_query_one(s, "SELECT ack_hours FROM incidents WHERE id = ? AND state = 'open'",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &inc);
		if (rc == CEP_ENOTFOUND)
			rc = cep_error_set(err, rc, NULL, "no open incident %s", id);
	}
	if (rc == 0 && report)
		rc = store_run(s, "UPDATE reports SET incident_id = ? WHERE id = ?"
				  " AND exercise_id IS NULL",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(report) }, 2);
	if (rc == 0 && alert) /* in incident mode, acknowledgements are due sooner */
		rc = store_run(s,
			       "UPDATE alerts SET incident_id = ?, ack_deadline = min(coalesce(ack_deadline,"
			       " created_at + ? * 3600), created_at + ? * 3600) WHERE id = ?"
			       " AND exercise_id IS NULL",
			       (struct store_arg[]){ STORE_TEXT(id),
						     STORE_INT(json_integer_value(json_object_get(inc, "ack_hours"))),
						     STORE_INT(json_integer_value(json_object_get(inc, "ack_hours"))),
						     STORE_TEXT(alert) },
			       4);
	if (rc == 0 && store_changes(s) == 0)
		rc = cep_error_set(err, CEP_ESEMANTIC, report ? "report" : "alert", "no such %s",
				   report ? "report" : "alert");
	if (rc == 0 && alert) /* the deadline is signed: sign the alert again */
		rc = share_alert_resign(s, alert);
	json_decref(inc);
	detail = json_pack("{s:s?, s:s?}", "report", report, "alert", alert);
	rc = audit_commit(s, rc, p, "incident.link", "incident", id, detail, "the link", err);
	json_decref(detail);
	return rc;
}

int share_incident_sitrep(struct store *s, const struct cep_principal *p, const char *id,
			  int keep, json_t **ret, struct cep_error *err)
{
	struct share_report_filter f = { .incident = id };
	struct cep_page page = { CEP_PAGE_MAX, 0 };
	json_t *inc = NULL, *reports = NULL, *sectors = NULL, *alerts = NULL, *sitrep = NULL, *it;
	size_t i;
	int rc = share_incident_get(s, p, id, &inc, err);

	if (rc < 0)
		return rc;
	/* the reports linked to it, as p may read them (visibility and anonymity) */
	rc = share_reports(s, p, &f, &page, &reports, err);
	if (rc < 0)
		goto out;
	sectors = json_object();
	json_array_foreach(json_object_get(reports, "items"), i, it) {
		const char *sec = json_string_value(json_object_get(it, "sector"));
		json_t *entry = json_object_get(sectors, sec);

		if (!entry) {
			entry = json_pack("{s:O, s:O, s:i, s:i, s:i, s:[]}", "name_ja",
					  json_object_get(it, "sector_name_ja"), "name_en",
					  json_object_get(it, "sector_name_en"), "reports", 0,
					  "verification_breached", 0, "recovered", 0, "items");
			json_object_set_new(sectors, sec, entry);
		}
		json_object_set_new(entry, "reports",
				    json_integer(json_integer_value(json_object_get(entry, "reports")) + 1));
		if (json_is_true(json_object_get(it, "verification_breached")))
			json_object_set_new(entry, "verification_breached",
					    json_integer(json_integer_value(json_object_get(
								 entry, "verification_breached")) + 1));
		if (!strcmp(json_string_value(json_object_get(it, "status")), "recovered") ||
		    !strcmp(json_string_value(json_object_get(it, "status")), "final"))
			json_object_set_new(entry, "recovered",
					    json_integer(json_integer_value(json_object_get(entry, "recovered")) + 1));
		json_array_append(json_object_get(entry, "items"), it);
	}
	{
		/* the alerts p may read (alert.read: NISC all, a sender its own, a
		 * recipient what it received), with acknowledgement counts only
		 * where p may follow them (alert.track) */
		struct cep_object own = { 0 }, other = { 0 }, got = { .recipient = true };
		int all, mine, received, track_all, track_mine;
		size_t k;
		json_t *a;

		snprintf(own.org_id, sizeof(own.org_id), "%s", p->org_id);
		all = policy_check(p, CEP_ACT_ALERT_READ, &other) == 0;
		mine = p->org_id[0] && policy_check(p, CEP_ACT_ALERT_READ, &own) == 0;
		received = p->org_id[0] && policy_check(p, CEP_ACT_ALERT_READ, &got) == 0;
		track_all = policy_check(p, CEP_ACT_ALERT_TRACK, &other) == 0;
		track_mine = p->org_id[0] && policy_check(p, CEP_ACT_ALERT_TRACK, &own) == 0;
		rc = store_query_all(s,
				     "SELECT a.id, a.org_id AS org, a.title_ja, a.title_en, a.severity, a.ack_deadline,"
				     " count(d.id) AS recipients, count(d.acked_at) AS acked FROM alerts a"
				     " LEFT JOIN deliveries d ON d.alert_id = a.id WHERE a.incident_id = ?"
				     " AND (? = 1 OR (? = 1 AND a.org_id = ?) OR (? = 1 AND EXISTS (SELECT 1"
				     " FROM deliveries x WHERE x.alert_id = a.id AND x.org_id = ?)))"
				     " GROUP BY a.id ORDER BY a.created_at, a.rowid",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_INT(all), STORE_INT(mine),
							   STORE_TEXT(p->org_id), STORE_INT(received),
							   STORE_TEXT(p->org_id) },
				     6, &alerts);
		json_array_foreach(alerts, k, a) {
			if (track_all || (track_mine && !strcmp(json_string_value(json_object_get(a, "org")),
								 p->org_id)))
				continue;
			json_object_del(a, "recipients");
			json_object_del(a, "acked");
		}
	}
	if (rc < 0)
		goto out;
	sitrep = json_pack("{s:O, s:o, s:o, s:I}", "incident", inc, "sectors", sectors, "alerts",
			   alerts, "reports", (json_int_t)json_integer_value(json_object_get(reports, "total")));
	sectors = alerts = NULL;
	if (!sitrep) {
		rc = CEP_ENOMEM;
		goto out;
	}
	if (keep && (p->role == CEP_ROLE_NISC || p->role == CEP_ROLE_SYSTEM)) {
		char *body = json_dumps(sitrep, JSON_COMPACT);

		rc = body ? store_begin(s) : CEP_ENOMEM;
		if (rc == 0) {
			rc = store_run(s,
				       "INSERT INTO incident_sitreps (incident_id, body, created_at)"
				       " VALUES (?,?,?)",
				       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(body),
							     STORE_INT(cep_now()) },
				       3);
			rc = audit_commit(s, rc, p, "incident.sitrep", "incident", id, NULL,
					  "the situation report", err);
		}
		cep_free(body);
		if (rc < 0)
			goto out;
	}
	*ret = sitrep;
	sitrep = NULL;
out:
	json_decref(inc);
	json_decref(reports);
	json_decref(sectors);
	json_decref(alerts);
	json_decref(sitrep);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot compile the situation report");
	return 0;
}

int share_sitreps_due(struct store *s, int64_t now, int *ret_done, struct cep_error *err)
{
	struct cep_principal worker;
	json_t *due = NULL, *it, *sitrep;
	size_t i;
	int done = 0, rc;

	cep_principal_system(&worker);
	rc = store_query_all(s,
			     "SELECT i.id FROM incidents i WHERE i.state = 'open' AND coalesce((SELECT"
			     " max(x.created_at) FROM incident_sitreps x WHERE x.incident_id = i.id),"
			     " i.declared_at) + i.sitrep_minutes * 60 <= ? ORDER BY i.declared_at",
			     (struct store_arg[]){ STORE_INT(now) }, 1, &due);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read incidents");
	json_array_foreach(due, i, it) {
		sitrep = NULL;
		rc = share_incident_sitrep(s, &worker, json_string_value(json_object_get(it, "id")), 1,
					   &sitrep, err);
		json_decref(sitrep);
		if (rc < 0)
			break;
		done++;
	}
	json_decref(due);
	if (rc == 0 && ret_done)
		*ret_done = done;
	return rc;
}
