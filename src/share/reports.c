/* reports.c - IT-failure reports (情報連絡): create, versions, read with the
 * reporter's scope and TLP applied, anonymised beyond the ministry and NISC. */
#include "share/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/text.h"
#include "core/handling.h"

#include <stdio.h>
#include <string.h>

static const char *const statuses[] = { "first", "update", "recovered", "final", NULL };

/* Members a client may send (create and update alike, plus "version" on update). */
static const char *const input_keys[] = {
	"title", "description", "status", "occurred_at", "detected_at", "service_id", "system_id",
	"cause_category", "threat_types", "service_impact", "verification_breached",
	"cause_analysis", "recurrence_prevention", "indicators", "tlp", "scope", "show_name",
	"handling", "classification", NULL,
};

static int status_rank(const char *s)
{
	for (int i = 0; statuses[i]; i++)
		if (!strcmp(statuses[i], s))
			return i;
	return -1;
}

/* Validated input; strings borrowed from the input object. */
struct report_in {
	const char *title, *description, *status, *service_id, *system_id, *cause,
		*service_impact, *cause_analysis, *recurrence_prevention, *classification;
	int64_t occurred, detected;
	int has_occurred, has_detected;
	int verification_breached, show_name, tlp, scope;
	unsigned handling;
	char threat_types[1024]; /* comma-separated ids */
	json_t *indicators;      /* owned */
};

static int bool_member(const json_t *in, const char *key, int *ret, struct cep_error *err)
{
	const json_t *v = json_object_get(in, key);

	if (!v || json_is_null(v)) {
		*ret = 0;
		return 0;
	}
	if (!json_is_boolean(v))
		return cep_error_set(err, CEP_EINVAL, key, "%s must be true or false", key);
	*ret = json_is_true(v);
	return 0;
}

/* Does id name a row of table belonging to org? */
static int owned_by(struct store *s, const char *table, const char *id, const char *org,
		    const char *field, struct cep_error *err)
{
	char sql[96];
	int64_t n = 0;
	int rc;

	if (!id)
		return 0;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE id = ? AND org_id = ?", table);
	rc = store_query_int(s, sql, (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(org) }, 2, &n);
	if (rc < 0)
		return cep_error_set(err, rc, field, "cannot read %s", table);
	if (n == 0)
		return cep_error_set(err, CEP_ESEMANTIC, field,
				     "%s is not one of your organisation's %s", field, table);
	return 0;
}

static int threat_fields(struct store *s, const json_t *in, struct report_in *r,
			 struct cep_error *err)
{
	const json_t *types = json_object_get(in, "threat_types");
	size_t i;
	json_t *t;
	int rc = cep_json_text(in, "cause_category", 64, 0, 0, &r->cause, err);

	r->threat_types[0] = '\0';
	if (rc < 0)
		return rc;
	if (r->cause) {
		int64_t n = 0;

		rc = store_query_int(s, "SELECT count(*) FROM threat_categories WHERE id = ?",
				     (struct store_arg[]){ STORE_TEXT(r->cause) }, 1, &n);
		if (rc == 0 && n == 0)
			return cep_error_set(err, CEP_EINVAL, "cause_category",
					     "cause_category must be intentional, unintentional, "
					     "disaster-illness or spillover");
	}
	if (types && !json_is_null(types) && !json_is_array(types))
		return cep_error_set(err, CEP_EINVAL, "threat_types",
				     "threat_types must be an array of threat type ids");
	if (json_array_size(types) && !r->cause)
		return cep_error_set(err, CEP_EINVAL, "cause_category",
				     "threat_types need their cause_category");
	if (json_array_size(types) > 20)
		return cep_error_set(err, CEP_ETOOBIG, "threat_types", "more than 20 threat types");
	json_array_foreach(types, i, t) {
		int64_t n = 0;

		if (!json_is_string(t) || json_string_length(t) > 40)
			return cep_error_set(err, CEP_EINVAL, "threat_types",
					     "threat_types[%zu] must be a threat type id", i);
		rc = store_query_int(s,
				     "SELECT count(*) FROM threat_types WHERE id = ? AND category_id = ?",
				     (struct store_arg[]){ STORE_TEXT(json_string_value(t)),
							   STORE_TEXT(r->cause) },
				     2, &n);
		if (rc < 0)
			return cep_error_set(err, rc, "threat_types", "cannot read threat types");
		if (n == 0)
			return cep_error_set(err, CEP_ESEMANTIC, "threat_types",
					     "%s is not a threat type of %s", json_string_value(t),
					     r->cause);
		if (i)
			strcat(r->threat_types, ",");
		strcat(r->threat_types, json_string_value(t));
	}
	return rc;
}

/* Validate a whole report input (create, or the merged state of an update)
 * for the reporter org. Fills r (r->indicators owned by the caller). */
static int report_fields(struct store *s, const json_t *in, const char *org, struct report_in *r,
			 struct cep_error *err)
{
	const char *tlp_scope = NULL;
	enum cep_scope scope = CEP_SCOPE_TO_MINISTRY;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = cep_json_text(in, "title", SHARE_TITLE_MAX, 1, 0, &r->title, err);
	if (rc == 0)
		rc = cep_json_text(in, "description", SHARE_TEXT_MAX, 0, 1, &r->description, err);
	if (rc == 0)
		rc = cep_json_text(in, "status", 16, 0, 0, &r->status, err);
	if (rc == 0 && !r->status)
		r->status = "first";
	if (rc == 0 && status_rank(r->status) < 0)
		rc = cep_error_set(err, CEP_EINVAL, "status",
				   "status must be first, update, recovered or final");
	if (rc == 0)
		rc = share_time(in, "occurred_at", &r->occurred, &r->has_occurred, err);
	if (rc == 0)
		rc = share_time(in, "detected_at", &r->detected, &r->has_detected, err);
	if (rc == 0 && r->has_occurred && r->has_detected && r->detected < r->occurred)
		rc = cep_error_set(err, CEP_ESEMANTIC, "detected_at",
				   "detected_at is before occurred_at");
	if (rc == 0)
		rc = cep_json_text(in, "service_id", 64, 0, 0, &r->service_id, err);
	if (rc == 0)
		rc = cep_json_text(in, "system_id", 64, 0, 0, &r->system_id, err);
	if (rc == 0)
		rc = threat_fields(s, in, r, err);
	if (rc == 0)
		rc = cep_json_text(in, "service_impact", SHARE_TEXT_MAX, 0, 1, &r->service_impact, err);
	if (rc == 0)
		rc = bool_member(in, "verification_breached", &r->verification_breached, err);
	if (rc == 0)
		rc = cep_json_text(in, "cause_analysis", SHARE_TEXT_MAX, 0, 1, &r->cause_analysis, err);
	if (rc == 0)
		rc = cep_json_text(in, "recurrence_prevention", SHARE_TEXT_MAX, 0, 1,
				&r->recurrence_prevention, err);
	if (rc == 0 && !strcmp(r->status, "final") &&
	    (!r->cause_analysis || !*r->cause_analysis))
		rc = cep_error_set(err, CEP_ESEMANTIC, "cause_analysis",
				   "a final report needs its cause analysis");
	if (rc == 0 && !strcmp(r->status, "final") &&
	    (!r->recurrence_prevention || !*r->recurrence_prevention))
		rc = cep_error_set(err, CEP_ESEMANTIC, "recurrence_prevention",
				   "a final report needs its recurrence prevention");
	if (rc == 0)
		rc = share_indicators(in, &r->indicators, err);
	if (rc == 0)
		rc = share_tlp(in, CEP_TLP_AMBER, &r->tlp, err);
	if (rc == 0)
		rc = cep_json_opt_string(in, "scope", &tlp_scope, err);
	if (rc == 0 && tlp_scope && cep_scope_parse(tlp_scope, &scope) < 0)
		rc = cep_error_set(err, CEP_EINVAL, "scope",
				   "scope must be ministry, ceptoar, council or all");
	r->scope = (int)scope;
	if (rc == 0 && !cep_tlp_allows_scope((enum cep_tlp)r->tlp, scope))
		rc = cep_error_set(err, CEP_ESEMANTIC, "scope",
				   "TLP:%s may not be shared with scope %s (RED and AMBER+STRICT "
				   "stay with the ministry and NISC; AMBER does not go to all)",
				   cep_tlp_name((enum cep_tlp)r->tlp), cep_scope_name(scope));
	if (rc == 0)
		rc = bool_member(in, "show_name", &r->show_name, err);
	if (rc == 0)
		rc = share_handling(in, &r->handling, err);
	if (rc == 0)
		rc = share_classification(in, &r->classification, err);
	if (rc == 0)
		rc = owned_by(s, "services", r->service_id, org, "service_id", err);
	if (rc == 0)
		rc = owned_by(s, "systems", r->system_id, org, "system_id", err);
	if (rc < 0) {
		json_decref(r->indicators);
		r->indicators = NULL;
	}
	return rc;
}

/* The full report (as its reporter sees it) from the store; caller owns. */
static int report_full(struct store *s, const char *id, json_t **ret)
{
	json_t *r = NULL, *v;
	int rc = store_query_one(
		s,
		"SELECT r.id, r.version, r.status, r.title, r.description, r.occurred_at,"
		" r.detected_at, r.service_id, sv.name_ja AS service_name_ja, r.system_id,"
		" sy.name_ja AS system_name_ja, r.cause_category, r.threat_types, r.service_impact,"
		" r.verification_breached, r.cause_analysis, r.recurrence_prevention, r.scope, r.tlp,"
		" r.handling, r.classification, r.show_name, r.sector_id AS sector,"
		" x.name_ja AS sector_name_ja, x.name_en AS sector_name_en, r.ministry_id AS ministry,"
		" r.org_id AS org, o.code AS org_code, o.name_ja AS org_name_ja,"
		" o.name_en AS org_name_en, r.created_by, r.updated_by, r.created_at, r.updated_at,"
		" r.exercise_id AS exercise,"
		" (SELECT group_concat(ceptoar_id, ',') FROM report_ceptoars WHERE report_id = r.id)"
		"   AS ceptoars"
		" FROM reports r JOIN orgs o ON o.id = r.org_id JOIN sectors x ON x.id = r.sector_id"
		" LEFT JOIN services sv ON sv.id = r.service_id"
		" LEFT JOIN systems sy ON sy.id = r.system_id WHERE r.id = ?",
		(struct store_arg[]){ STORE_TEXT(id) }, 1, &r);

	if (rc < 0)
		return rc;
	{ /* stored ranks and bits as the labels clients use */
		int64_t tlp = json_integer_value(json_object_get(r, "tlp"));
		int64_t scope = json_integer_value(json_object_get(r, "scope"));

		json_object_set_new(r, "tlp", json_string(cep_tlp_name((enum cep_tlp)tlp)));
		json_object_set_new(r, "scope", json_string(cep_scope_name((enum cep_scope)scope)));
		json_object_set_new(r, "handling",
				    share_handling_json((unsigned)json_integer_value(
					    json_object_get(r, "handling"))));
		json_object_set_new(r, "verification_breached",
				    json_boolean(json_integer_value(
					    json_object_get(r, "verification_breached"))));
		json_object_set_new(r, "show_name", json_boolean(json_integer_value(
								json_object_get(r, "show_name"))));
		cep_json_split(r, "threat_types");
		cep_json_split(r, "ceptoars");
	}
	rc = store_query_all(s,
			     "SELECT type, value FROM indicators WHERE owner_type = 'report'"
			     " AND owner_id = ? ORDER BY id",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &v);
	if (rc == 0) {
		json_object_set_new(r, "indicators", v);
		rc = store_query_all(s,
				     "SELECT id, name, content_type, size, sha256, created_at"
				     " FROM attachments WHERE report_id = ? ORDER BY created_at, id",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &v);
	}
	if (rc == 0)
		json_object_set_new(r, "attachments", v);
	if (rc < 0) {
		json_decref(r);
		return rc;
	}
	*ret = r;
	return 0;
}

/* The policy object of a report (full form). */
static void report_object(const json_t *r, struct cep_object *o)
{
	enum cep_tlp tlp = CEP_TLP_RED;
	enum cep_scope scope = CEP_SCOPE_TO_MINISTRY;
	size_t i;
	json_t *c;

	memset(o, 0, sizeof(*o));
	snprintf(o->org_id, sizeof(o->org_id), "%s", json_string_value(json_object_get(r, "org")));
	snprintf(o->ministry_id, sizeof(o->ministry_id), "%s",
		 json_string_value(json_object_get(r, "ministry")));
	cep_tlp_parse(json_string_value(json_object_get(r, "tlp")), &tlp);
	cep_scope_parse(json_string_value(json_object_get(r, "scope")), &scope);
	o->tlp = (int)tlp;
	o->scope = (int)scope;
	snprintf(o->exercise_id, sizeof(o->exercise_id), "%s",
		 json_is_string(json_object_get(r, "exercise")) ?
			 json_string_value(json_object_get(r, "exercise")) :
			 "");
	json_array_foreach(json_object_get(r, "ceptoars"), i, c)
		if (o->nceptoars < CEP_MEMBERSHIPS_MAX)
			snprintf(o->ceptoars[o->nceptoars++], CEP_ID_MAX, "%s", json_string_value(c));
}

/* Apply anonymisation for p to a report or list item r (in place): when p may
 * not see who reported and the reporter did not agree to be named, every
 * member that names or points at the reporter is removed and a label put in
 * its place. */
static void for_viewer(const struct cep_principal *p, json_t *r)
{
	static const char *const identifying[] = {
		"org", "org_code", "org_name_ja", "org_name_en", "service_id", "service_name_ja",
		"system_id", "system_name_ja", "created_by", "updated_by", NULL,
	};
	struct cep_object o;
	char ja[160], en[160];

	report_object(r, &o);
	if (json_is_true(json_object_get(r, "show_name")) ||
	    policy_check(p, CEP_ACT_REPORT_IDENTITY, &o) == 0) {
		json_object_set_new(r, "anonymous", json_false());
		return;
	}
	for (const char *const *k = identifying; *k; k++)
		json_object_del(r, *k);
	snprintf(ja, sizeof(ja), "%sの事業者", json_string_value(json_object_get(r, "sector_name_ja")));
	{
		const char *name = json_string_value(json_object_get(r, "sector_name_en"));

		snprintf(en, sizeof(en), "%s %s operator",
			 name && strchr("AEIOUaeiou", name[0]) ? "an" : "a", name ? name : "");
	}
	json_object_set_new(r, "anonymous", json_true());
	json_object_set_new(r, "reporter_ja", json_string(ja));
	json_object_set_new(r, "reporter_en", json_string(en));
}

/* The reporter org's sector and ministry; CEP_ESEMANTIC when it has none. */
static int reporter_facts(struct store *s, const struct cep_principal *p, char sector[CEP_ID_MAX],
			  char ministry[CEP_ID_MAX], struct cep_error *err)
{
	json_t *row = NULL;
	int rc = store_query_one(s,
				 "SELECT o.sector_id, x.ministry_id FROM orgs o JOIN sectors x"
				 " ON x.id = o.sector_id WHERE o.id = ? AND o.kind = 'operator'",
				 (struct store_arg[]){ STORE_TEXT(p->org_id) }, 1, &row);

	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "only an operator organisation with a sector reports IT failures");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read your organisation");
	snprintf(sector, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "sector_id")));
	snprintf(ministry, CEP_ID_MAX, "%s", json_string_value(json_object_get(row, "ministry_id")));
	json_decref(row);
	return 0;
}

/* Write the validated fields into the report row id (insert or update). */
static int write_row(struct store *s, int insert, const char *id, const struct cep_principal *p,
		     const char *sector, const char *ministry, int version, const struct report_in *r)
{
	int64_t now = cep_now();
	const char *user = p->user_id[0] ? p->user_id : "console";
	struct store_arg a[] = {
		STORE_INT(version),
		STORE_TEXT(r->status),
		STORE_TEXT(r->title),
		STORE_TEXT(r->description ? r->description : ""),
		r->has_occurred ? STORE_INT(r->occurred) : STORE_TEXT(NULL),
		r->has_detected ? STORE_INT(r->detected) : STORE_TEXT(NULL),
		STORE_TEXT(r->service_id),
		STORE_TEXT(r->system_id),
		STORE_TEXT(r->cause),
		STORE_TEXT(r->threat_types),
		STORE_TEXT(r->service_impact ? r->service_impact : ""),
		STORE_INT(r->verification_breached),
		STORE_TEXT(r->cause_analysis ? r->cause_analysis : ""),
		STORE_TEXT(r->recurrence_prevention ? r->recurrence_prevention : ""),
		STORE_INT(r->scope),
		STORE_INT(r->tlp),
		STORE_INT(r->handling),
		STORE_TEXT(r->classification),
		STORE_INT(r->show_name),
		STORE_TEXT(user),
		STORE_INT(now),
		STORE_TEXT(id),
		/* insert only */
		STORE_TEXT(p->org_id),
		STORE_TEXT(sector),
		STORE_TEXT(ministry),
		STORE_TEXT(user),
		STORE_INT(now),
		share_world(p),
	};

	if (insert)
		return store_run(s,
				 "INSERT INTO reports (version, status, title, description, occurred_at,"
				 " detected_at, service_id, system_id, cause_category, threat_types,"
				 " service_impact, verification_breached, cause_analysis,"
				 " recurrence_prevention, scope, tlp, handling, classification,"
				 " show_name, updated_by, updated_at, id, org_id, sector_id,"
				 " ministry_id, created_by, created_at, exercise_id)"
				 " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
				 a, 28);
	return store_run(s,
			 "UPDATE reports SET version = ?, status = ?, title = ?, description = ?,"
			 " occurred_at = ?, detected_at = ?, service_id = ?, system_id = ?,"
			 " cause_category = ?, threat_types = ?, service_impact = ?,"
			 " verification_breached = ?, cause_analysis = ?, recurrence_prevention = ?,"
			 " scope = ?, tlp = ?, handling = ?, classification = ?, show_name = ?,"
			 " updated_by = ?, updated_at = ? WHERE id = ?",
			 a, 22);
}

/* Put the report's current text and indicator values into the search index, in
 * place of what it held (call after its indicators are stored). */
static int index_report(struct store *s, const char *id)
{
	int rc = store_run(s, "DELETE FROM reports_fts WHERE rowid = (SELECT rowid FROM reports"
			      " WHERE id = ?)",
			   (struct store_arg[]){ STORE_TEXT(id) }, 1);

	if (rc == 0)
		rc = store_run(s,
			       "INSERT INTO reports_fts (rowid, title, description, indicators)"
			       " SELECT r.rowid, r.title, r.description, coalesce((SELECT"
			       " group_concat(i.norm, ' ') FROM indicators i WHERE i.owner_type ="
			       " 'report' AND i.owner_id = r.id), '') FROM reports r WHERE r.id = ?",
			       (struct store_arg[]){ STORE_TEXT(id) }, 1);
	return rc;
}

/* Record the version's full body. */
static int keep_version(struct store *s, const char *id, int version, const struct cep_principal *p,
			json_t **ret_full)
{
	json_t *full = NULL;
	char *body;
	int rc = report_full(s, id, &full);

	if (rc < 0)
		return rc;
	body = json_dumps(full, JSON_COMPACT);
	if (!body) {
		json_decref(full);
		return CEP_ENOMEM;
	}
	rc = store_run(s,
		       "INSERT INTO report_versions (report_id, version, body, created_by, created_at)"
		       " VALUES (?,?,?,?,?)",
		       (struct store_arg[]){ STORE_TEXT(id), STORE_INT(version), STORE_TEXT(body),
					     STORE_TEXT(p->user_id[0] ? p->user_id : "console"),
					     STORE_INT(cep_now()) },
		       5);
	cep_free(body);
	if (rc < 0) {
		json_decref(full);
		return rc;
	}
	*ret_full = full;
	return 0;
}

/* In an exercise, what the report (a new one or a version) tells the
 * measurements: a report, with its cause category, and a sharing beyond
 * the sector when its scope reaches the council or everyone. */
static int log_exercise(struct store *s, const struct cep_principal *p, const char *id,
			const struct report_in *r)
{
	int rc = share_world_log(s, p, "report", id, r->cause);

	if (rc == 0 && r->scope >= CEP_SCOPE_TO_COUNCIL)
		rc = share_world_log(s, p, "share", id, NULL);
	return rc;
}

int share_report_create(struct store *s, const struct cep_principal *p, const json_t *in,
			json_t **ret, struct cep_error *err)
{
	char id[CEP_UUID_LEN + 1], sector[CEP_ID_MAX], ministry[CEP_ID_MAX];
	struct cep_object own = { 0 };
	struct report_in r = { 0 };
	json_t *full = NULL;
	int rc;

	snprintf(own.org_id, sizeof(own.org_id), "%s", p->org_id);
	if (policy_check(p, CEP_ACT_REPORT_CREATE, &own) < 0)
		return cep_error_set(err, CEP_EPERM, NULL,
				     "only an operator reports IT failures, for its own organisation");
	rc = cep_json_only(in, input_keys, err);
	if (rc < 0)
		return rc;
	cep_uuid(id);
	rc = store_begin(s);
	if (rc == 0)
		rc = reporter_facts(s, p, sector, ministry, err);
	if (rc == 0)
		rc = report_fields(s, in, p->org_id, &r, err);
	if (rc == 0)
		rc = write_row(s, 1, id, p, sector, ministry, 1, &r);
	if (rc == 0) /* it travels through the CEPTOARs its org belongs to now */
		rc = store_run(s,
			       "INSERT INTO report_ceptoars (report_id, ceptoar_id)"
			       " SELECT ?, ceptoar_id FROM org_ceptoars WHERE org_id = ?",
			       (struct store_arg[]){ STORE_TEXT(id), STORE_TEXT(p->org_id) }, 2);
	if (rc == 0)
		rc = share_indicators_store(s, "report", id, r.indicators);
	if (rc == 0)
		rc = index_report(s, id);
	if (rc == 0)
		rc = keep_version(s, id, 1, p, &full);
	if (rc == 0)
		rc = log_exercise(s, p, id, &r);
	rc = audit_commit(s, rc, p, "report.create", "report", id, NULL, "the report", err);
	json_decref(r.indicators);
	if (rc < 0) {
		json_decref(full);
		return rc;
	}
	for_viewer(p, full);
	*ret = full;
	return 0;
}

/* Read the current report if p may: CEP_ENOTFOUND for absent and hidden alike. */
static int visible_report(struct store *s, const struct cep_principal *p, const char *id,
			  json_t **ret, struct cep_error *err)
{
	struct cep_object o;
	json_t *full = NULL;
	int rc;

	if (!id || strlen(id) > 64)
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such report");
	rc = report_full(s, id, &full);
	if (rc == CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "no such report");
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the report");
	report_object(full, &o);
	if (policy_check(p, CEP_ACT_REPORT_READ, &o) < 0) {
		json_decref(full);
		return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such report");
	}
	*ret = full;
	return 0;
}

int share_report_get(struct store *s, const struct cep_principal *p, const char *id,
		     int version, json_t **ret, struct cep_error *err)
{
	json_t *full = NULL, *old = NULL, *versions = NULL;
	struct cep_object o;
	int rc = visible_report(s, p, id, &full, err);

	if (rc < 0)
		return rc;
	if (version > 0 && version != json_integer_value(json_object_get(full, "version"))) {
		json_t *row = NULL;

		rc = store_query_one(s,
				     "SELECT body FROM report_versions WHERE report_id = ? AND version = ?",
				     (struct store_arg[]){ STORE_TEXT(id), STORE_INT(version) }, 2, &row);
		if (rc == 0)
			old = json_loads(json_string_value(json_object_get(row, "body")), 0, NULL);
		json_decref(row);
		json_decref(full);
		full = NULL;
		if (rc == CEP_ENOTFOUND)
			return cep_error_set(err, rc, "version", "the report has no version %d", version);
		if (rc < 0 || !old)
			return cep_error_set(err, rc < 0 ? rc : CEP_EIO, NULL, "cannot read the version");
		/* an old version is shown only if its own handling allowed it too */
		report_object(old, &o);
		if (policy_check(p, CEP_ACT_REPORT_READ, &o) < 0) {
			json_decref(old);
			return cep_error_set(err, CEP_ENOTFOUND, NULL, "no such report");
		}
		full = old;
	}
	rc = store_query_all(s,
			     "SELECT version, created_at FROM report_versions WHERE report_id = ?"
			     " ORDER BY version",
			     (struct store_arg[]){ STORE_TEXT(id) }, 1, &versions);
	if (rc < 0) {
		json_decref(full);
		return cep_error_set(err, rc, NULL, "cannot read the versions");
	}
	json_object_set_new(full, "versions", versions);
	for_viewer(p, full);
	*ret = full;
	return 0;
}

/* The update's merged input: the current values overlaid with in's. */
static json_t *merged_input(const json_t *cur, const json_t *in)
{
	json_t *m = json_object();

	for (const char *const *k = input_keys; m && *k; k++) {
		json_t *v = json_object_get(in, *k);

		if (!v)
			v = json_object_get(cur, *k);
		if (v && !json_is_null(v))
			json_object_set(m, *k, v);
	}
	/* stored indicators are {type, value}; attachments are not input */
	return m;
}

int share_report_update(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = {
		"version", "title", "description", "status", "occurred_at", "detected_at",
		"service_id", "system_id", "cause_category", "threat_types", "service_impact",
		"verification_breached", "cause_analysis", "recurrence_prevention", "indicators",
		"tlp", "scope", "show_name", "handling", "classification", NULL,
	};
	const json_t *ver = json_object_get(in, "version");
	json_t *cur = NULL, *merged = NULL, *full = NULL, *detail;
	struct report_in r = { 0 };
	struct cep_object o;
	int rc, version;

	rc = cep_json_only(in, allowed, err);
	if (rc < 0)
		return rc;
	if (!json_is_integer(ver) || json_integer_value(ver) < 1)
		return cep_error_set(err, CEP_EINVAL, "version",
				     "version (the version you read) is required");
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = visible_report(s, p, id, &cur, err);
	if (rc == 0) {
		report_object(cur, &o);
		if (policy_check(p, CEP_ACT_REPORT_UPDATE, &o) < 0)
			rc = cep_error_set(err, CEP_EPERM, NULL,
					   "only the reporting organisation updates its report");
	}
	version = (int)json_integer_value(json_object_get(cur, "version"));
	if (rc == 0 && json_integer_value(ver) != version)
		rc = cep_error_set(err, CEP_EEXIST, "version",
				   "the report is at version %d: read it again and reapply", version);
	if (rc == 0 && !strcmp(json_string_value(json_object_get(cur, "status")), "final"))
		rc = cep_error_set(err, CEP_EEXIST, "status", "a final report takes no more versions");
	if (rc == 0) {
		merged = merged_input(cur, in);
		rc = merged ? report_fields(s, merged, json_string_value(json_object_get(cur, "org")),
					    &r, err) :
			      CEP_ENOMEM;
	}
	if (rc == 0 && status_rank(r.status) <
			       status_rank(json_string_value(json_object_get(cur, "status"))))
		rc = cep_error_set(err, CEP_ESEMANTIC, "status",
				   "status moves forward only: first, update, recovered, final");
	if (rc == 0)
		rc = write_row(s, 0, id, p, NULL, NULL, version + 1, &r);
	if (rc == 0 && json_object_get(in, "indicators"))
		rc = share_indicators_store(s, "report", id, r.indicators);
	if (rc == 0)
		rc = index_report(s, id);
	if (rc == 0)
		rc = keep_version(s, id, version + 1, p, &full);
	if (rc == 0)
		rc = log_exercise(s, p, id, &r);
	detail = json_pack("{s:i}", "version", version + 1);
	rc = audit_commit(s, rc, p, "report.update", "report", id, detail, "the report", err);
	json_decref(detail);
	json_decref(r.indicators);
	json_decref(merged);
	json_decref(cur);
	if (rc < 0) {
		json_decref(full);
		return rc;
	}
	for_viewer(p, full);
	*ret = full;
	return 0;
}

/* Post-process list rows into the shape of a report (labels, arrays) and
 * anonymise them for p. */
static int list_items(struct store *s, const struct cep_principal *p, json_t *items)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it) {
		int64_t tlp = json_integer_value(json_object_get(it, "tlp"));
		int64_t scope = json_integer_value(json_object_get(it, "scope"));
		json_t *more = NULL;
		int rc = store_query_one(
			s,
			"SELECT x.name_ja AS sector_name_ja, x.name_en AS sector_name_en,"
			" o.code AS org_code, o.name_ja AS org_name_ja, o.name_en AS org_name_en,"
			" (SELECT group_concat(ceptoar_id, ',') FROM report_ceptoars WHERE report_id = ?)"
			"   AS ceptoars"
			" FROM sectors x, orgs o WHERE x.id = ? AND o.id = ?",
			(struct store_arg[]){ STORE_TEXT(json_string_value(json_object_get(it, "id"))),
					      STORE_TEXT(json_string_value(json_object_get(it, "sector"))),
					      STORE_TEXT(json_string_value(json_object_get(it, "org"))) },
			3, &more);

		if (rc < 0)
			return rc;
		json_object_update(it, more);
		json_decref(more);

		if (cep_json_split(it, "ceptoars") < 0)
			return CEP_ENOMEM;
		json_object_set_new(it, "tlp", json_string(cep_tlp_name((enum cep_tlp)tlp)));
		json_object_set_new(it, "scope", json_string(cep_scope_name((enum cep_scope)scope)));
		json_object_set_new(it, "show_name", json_boolean(json_integer_value(
								 json_object_get(it, "show_name"))));
		json_object_set_new(it, "verification_breached",
				    json_boolean(json_integer_value(
					    json_object_get(it, "verification_breached"))));
		for_viewer(p, it);
	}
	return 0;
}

/* q as one FTS5 phrase: in double quotes, inner quotes doubled. */
static int fts_phrase(const char *q, char *out, size_t size)
{
	size_t n = 0;

	if (size < 3)
		return CEP_ETOOBIG;
	out[n++] = '"';
	for (const char *c = q; *c; c++) {
		if (n + 3 >= size)
			return CEP_ETOOBIG;
		if (*c == '"')
			out[n++] = '"';
		out[n++] = *c;
	}
	out[n++] = '"';
	out[n] = '\0';
	return 0;
}

int share_reports(struct store *s, const struct cep_principal *p,
		  const struct share_report_filter *f, const struct cep_page *page, json_t **ret,
		  struct cep_error *err)
{
	struct share_report_filter none = { 0 };
	struct share_where w, ident;
	json_t *res = NULL;
	char from[12288], phrase[1024] = ""; /* phrase is bound: it lives as long as w */
	enum cep_tlp tlp;
	int rc;

	if (!f)
		f = &none;
	if (f->q && share_query_text(f->q, err) < 0)
		return err ? err->code : CEP_EINVAL;
	if (f->status && status_rank(f->status) < 0)
		return cep_error_set(err, CEP_EINVAL, "status",
				     "status must be first, update, recovered or final");
	if (f->tlp && cep_tlp_parse(f->tlp, &tlp) < 0)
		return cep_error_set(err, CEP_EINVAL, "tlp",
				     "tlp must be CLEAR, GREEN, AMBER, AMBER+STRICT or RED");
	rc = share_where_build(&w, p, CEP_ACT_REPORT_READ, &share_reports_table);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "out of memory");
	if (f->status)
		rc = share_where_and(&w, "r.status = ?", (struct store_arg[]){ STORE_TEXT(f->status) }, 1);
	if (rc == 0 && f->sector)
		rc = share_where_and(&w, "r.sector_id = ?", (struct store_arg[]){ STORE_TEXT(f->sector) }, 1);
	if (rc == 0 && f->cause)
		rc = share_where_and(&w, "r.cause_category = ?",
				     (struct store_arg[]){ STORE_TEXT(f->cause) }, 1);
	if (rc == 0 && f->tlp)
		rc = share_where_and(&w, "r.tlp = ?", (struct store_arg[]){ STORE_INT((int64_t)tlp) }, 1);
	if (rc == 0 && f->incident)
		rc = share_where_and(&w, "r.incident_id = ?",
				     (struct store_arg[]){ STORE_TEXT(f->incident) }, 1);
	if (rc == 0 && f->org) {
		/* filtering by reporter must not unmask anonymous reports: only
		 * reports whose reporter p may see, or that agreed to be named */
		rc = share_where_build(&ident, p, CEP_ACT_REPORT_IDENTITY, &share_reports_table);
		if (rc == 0) {
			char expr[4096];

			snprintf(expr, sizeof(expr),
				 "r.org_id = (SELECT id FROM orgs WHERE id = ? OR code = ? LIMIT 1)"
				 " AND (r.show_name <> 0 OR %s)",
				 ident.sql.data);
			struct store_arg args[SHARE_WHERE_ARGS] = { STORE_TEXT(f->org), STORE_TEXT(f->org) };

			for (int i = 0; i < ident.nargs && i + 2 < SHARE_WHERE_ARGS; i++)
				args[i + 2] = ident.args[i];
			rc = share_where_and(&w, expr, args, ident.nargs + 2);
			share_where_free(&ident);
		}
	}
	if (rc == 0 && f->q && share_query_is_id(f->q)) {
		rc = share_where_and(&w, "r.id = lower(?)", (struct store_arg[]){ STORE_TEXT(f->q) }, 1);
	} else if (rc == 0 && f->q) {
		/* three characters and more: the trigram index over title,
		 * description and indicator values; fewer (停電, 障害): a scan of what
		 * the principal may see anyway, which the trigram index cannot answer */
		if (cep_utf8_count(f->q, strlen(f->q)) >= 3 && fts_phrase(f->q, phrase, sizeof(phrase)) == 0)
			rc = share_where_and(&w, "reports_fts MATCH ?",
					     (struct store_arg[]){ STORE_TEXT(phrase) }, 1);
		else
			rc = share_where_and(
				&w,
				"(instr(lower(r.title), lower(?)) > 0 OR instr(lower(r.description), lower(?)) > 0"
				" OR r.rowid IN (SELECT x.rowid FROM indicators i JOIN reports x ON x.id = i.owner_id"
				" WHERE i.type IN ('ip','domain','url','hash','cve','text') AND i.norm = lower(?)"
				" AND +i.owner_type = 'report'))",
				(struct store_arg[]){ STORE_TEXT(f->q), STORE_TEXT(f->q), STORE_TEXT(f->q) }, 3);
	}
	if (rc < 0) {
		share_where_free(&w);
		return cep_error_set(err, rc, NULL, "the query is too complex");
	}
	/* no joins in the counted part (names come per listed row), but for a text
	 * search of three characters and more, which the index drives: its matches
	 * come newest first (by rowid), so a page and a capped total stop early
	 * however frequent the term */
	snprintf(from, sizeof(from),
		 phrase[0] ? "FROM reports_fts JOIN reports r ON r.rowid = reports_fts.rowid WHERE %s"
			   : "FROM reports r WHERE %s",
		 w.sql.data);
	rc = store_query_page_capped(
		s,
		/* plain columns only: SQLite computes every result column before it
		 * sorts, so names and memberships are looked up per listed row after */
		"r.id, r.version, r.status, r.title, r.tlp, r.scope, r.sector_id AS sector,"
		" r.ministry_id AS ministry, r.org_id AS org, r.show_name, r.cause_category,"
		" r.verification_breached, r.occurred_at, r.detected_at, r.created_at, r.updated_at,"
		" r.exercise_id AS exercise",
		/* a text search lists by recency of the report (its rowid): ordering
		 * a frequent term's matches by last change would sort them all */
		from, phrase[0] ? "reports_fts.rowid DESC" : "r.updated_at DESC, r.rowid DESC", w.args,
		w.nargs,
		page, SHARE_COUNT_CAP, &res);
	share_where_free(&w);
	if (rc == 0)
		rc = list_items(s, p, json_object_get(res, "items"));
	if (rc < 0) {
		json_decref(res);
		return cep_error_set(err, rc, NULL, "cannot read reports");
	}
	*ret = res;
	return 0;
}

int share_attachment_add(struct store *s, const struct cep_principal *p, const char *report_id,
			 const char *name, const char *content_type, const void *data, size_t len,
			 json_t **ret, struct cep_error *err)
{
	char id[CEP_UUID_LEN + 1], sha[CEP_SHA256_HEX + 1];
	json_t *cur = NULL, *detail = NULL;
	struct cep_object o;
	int64_t n = 0;
	int rc;

	if (cep_text_check(name, 200, true) < 0 || strchr(name, '/') || strchr(name, '\\'))
		return cep_error_set(err, CEP_EINVAL, "name",
				     "name must be a file name of 1 to 200 characters");
	if (!content_type || cep_text_check(content_type, 100, true) < 0)
		content_type = "application/octet-stream";
	if (len > SHARE_ATTACHMENT_MAX)
		return cep_error_set(err, CEP_ETOOBIG, NULL, "an attachment is at most %u bytes",
				     SHARE_ATTACHMENT_MAX);
	rc = store_begin(s);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot start a transaction");
	rc = visible_report(s, p, report_id, &cur, err);
	if (rc == 0) {
		report_object(cur, &o);
		if (policy_check(p, CEP_ACT_REPORT_UPDATE, &o) < 0)
			rc = cep_error_set(err, CEP_EPERM, NULL,
					   "only the reporting organisation adds attachments");
	}
	if (rc == 0)
		rc = store_query_int(s, "SELECT count(*) FROM attachments WHERE report_id = ?",
				     (struct store_arg[]){ STORE_TEXT(report_id) }, 1, &n);
	if (rc == 0 && n >= SHARE_ATTACHMENTS_MAX)
		rc = cep_error_set(err, CEP_ETOOBIG, NULL, "a report has at most %d attachments",
				   SHARE_ATTACHMENTS_MAX);
	cep_uuid(id);
	cep_sha256_hex(data, len, sha);
	if (rc == 0) {
		struct store_stmt *st = NULL;

		rc = store_prepare(s,
				   "INSERT INTO attachments (id, report_id, name, content_type, size,"
				   " sha256, data, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
				   &st);
		if (rc == 0) {
			store_bind_text(st, 1, id);
			store_bind_text(st, 2, report_id);
			store_bind_text(st, 3, name);
			store_bind_text(st, 4, content_type);
			store_bind_int(st, 5, (int64_t)len);
			store_bind_text(st, 6, sha);
			rc = store_bind_blob(st, 7, data, len);
			store_bind_text(st, 8, p->user_id[0] ? p->user_id : "console");
			store_bind_int(st, 9, cep_now());
			if (rc == 0)
				rc = store_step(st);
			store_finalize(st);
		}
	}
	detail = json_pack("{s:s, s:s, s:I, s:s}", "report", report_id, "name", name, "size",
			   (json_int_t)len, "sha256", sha);
	rc = audit_commit(s, rc < 0 ? rc : 0, p, "attachment.add", "attachment", id, detail,
			  "the attachment", err);
	json_decref(detail);
	json_decref(cur);
	if (rc < 0)
		return rc;
	*ret = json_pack("{s:s, s:s, s:s, s:I, s:s}", "id", id, "name", name, "content_type",
			 content_type, "size", (json_int_t)len, "sha256", sha);
	return *ret ? 0 : cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
}

int share_attachment_get(struct store *s, const struct cep_principal *p, const char *report_id,
			 const char *attachment_id, void **ret_data, size_t *ret_len,
			 json_t **ret_meta, struct cep_error *err)
{
	struct store_stmt *st = NULL;
	json_t *cur = NULL, *meta = NULL;
	void *data = NULL;
	size_t len = 0;
	int rc = visible_report(s, p, report_id, &cur, err);

	if (rc < 0)
		return rc;
	json_decref(cur);
	rc = store_prepare(s,
			   "SELECT id, name, content_type, size, sha256, created_at, data"
			   " FROM attachments WHERE id = ? AND report_id = ?",
			   &st);
	if (rc < 0)
		return cep_error_set(err, rc, NULL, "cannot read the attachment");
	store_bind_text(st, 1, attachment_id);
	store_bind_text(st, 2, report_id);
	rc = store_step(st);
	if (rc == 1) {
		len = store_col_bytes(st, 6);
		data = cep_malloc(len ? len : 1);
		meta = json_pack("{s:s, s:s, s:s, s:I, s:s}", "id", store_col_text(st, 0), "name",
				 store_col_text(st, 1), "content_type", store_col_text(st, 2), "size",
				 (json_int_t)store_col_int(st, 3), "sha256", store_col_text(st, 4));
		if (!data || !meta) {
			rc = CEP_ENOMEM;
		} else {
			if (len)
				memcpy(data, store_col_blob(st, 6), len);
			rc = 0;
		}
	} else if (rc == 0) {
		rc = CEP_ENOTFOUND;
	}
	store_finalize(st);
	if (rc < 0) {
		cep_free(data);
		json_decref(meta);
		return cep_error_set(err, rc, NULL,
				     rc == CEP_ENOTFOUND ? "no such attachment" :
							   "cannot read the attachment");
	}
	*ret_data = data;
	*ret_len = len;
	*ret_meta = meta;
	return 0;
}
