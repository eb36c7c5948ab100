/* router.c - the table of every endpoint of docs/api.md, and matching a request's
 * method and path against it. Patterns are literal segments and {param} segments;
 * earlier rows win, so literal paths are listed before the {param} rows they overlap. */
#include "http/internal.h"

#include "base/text.h"

#include <stdio.h>
#include <string.h>

static const struct http_route routes[] = {
	{ "GET", "/healthz", HTTP_BODY_NONE, true, http_h_healthz },

	/* the web UI (ui.c) */
	{ "GET", "/", HTTP_BODY_NONE, true, http_h_ui_index },
	{ "GET", "/ui/{file}", HTTP_BODY_NONE, true, http_h_ui_file },

	/* registry */
	{ "GET", "/api/v1/sectors", HTTP_BODY_NONE, false, http_h_sectors },
	{ "POST", "/api/v1/sectors", HTTP_BODY_JSON, false, http_h_sector_add },
	{ "GET", "/api/v1/sectors/{id}", HTTP_BODY_NONE, false, http_h_sector_get },
	{ "GET", "/api/v1/ministries", HTTP_BODY_NONE, false, http_h_ministries },
	{ "GET", "/api/v1/ministries/{id}", HTTP_BODY_NONE, false, http_h_ministry_get },
	{ "GET", "/api/v1/ceptoars", HTTP_BODY_NONE, false, http_h_ceptoars },
	{ "GET", "/api/v1/ceptoars/{id}", HTTP_BODY_NONE, false, http_h_ceptoar_get },
	{ "GET", "/api/v1/agencies", HTTP_BODY_NONE, false, http_h_agencies },
	{ "GET", "/api/v1/channels", HTTP_BODY_NONE, false, http_h_channels },
	{ "GET", "/api/v1/ceptoar-map", HTTP_BODY_NONE, false, http_h_ceptoar_map },
	{ "GET", "/api/v1/threats", HTTP_BODY_NONE, false, http_h_threats },

	/* organisations */
	{ "GET", "/api/v1/orgs", HTTP_BODY_NONE, false, http_h_orgs },
	{ "POST", "/api/v1/orgs", HTTP_BODY_JSON, false, http_h_org_create },
	{ "POST", "/api/v1/orgs/import", HTTP_BODY_CSV, false, http_h_org_import },
	{ "GET", "/api/v1/orgs/{id}", HTTP_BODY_NONE, false, http_h_org_get },
	{ "PATCH", "/api/v1/orgs/{id}", HTTP_BODY_JSON, false, http_h_org_update },
	{ "DELETE", "/api/v1/orgs/{id}", HTTP_BODY_NONE, false, http_h_org_delete },
	{ "POST", "/api/v1/orgs/{id}/services", HTTP_BODY_JSON, false, http_h_service_add },
	{ "DELETE", "/api/v1/orgs/{id}/services/{sid}", HTTP_BODY_NONE, false,
	  http_h_service_delete },
	{ "GET", "/api/v1/orgs/{id}/contacts", HTTP_BODY_NONE, false, http_h_contacts },
	{ "POST", "/api/v1/orgs/{id}/contacts", HTTP_BODY_JSON, false, http_h_contact_add },
	{ "DELETE", "/api/v1/orgs/{id}/contacts/{cid}", HTTP_BODY_NONE, false,
	  http_h_contact_delete },
	{ "GET", "/api/v1/orgs/{id}/systems", HTTP_BODY_NONE, false, http_h_systems },
	{ "POST", "/api/v1/orgs/{id}/systems", HTTP_BODY_JSON, false, http_h_system_add },
	{ "DELETE", "/api/v1/orgs/{id}/systems/{sid}", HTTP_BODY_NONE, false,
	  http_h_system_delete },

	/* identities */
	{ "GET", "/api/v1/users", HTTP_BODY_NONE, false, http_h_users },
	{ "POST", "/api/v1/users", HTTP_BODY_JSON, false, http_h_user_add },
	{ "GET", "/api/v1/users/{id}", HTTP_BODY_NONE, false, http_h_user_get },
	{ "PATCH", "/api/v1/users/{id}", HTTP_BODY_JSON, false, http_h_user_update },
	{ "GET", "/api/v1/tokens", HTTP_BODY_NONE, false, http_h_tokens },
	{ "POST", "/api/v1/tokens", HTTP_BODY_JSON, false, http_h_token_issue },
	{ "DELETE", "/api/v1/tokens/{id}", HTTP_BODY_NONE, false, http_h_token_revoke },
	{ "GET", "/api/v1/me", HTTP_BODY_NONE, false, http_h_me },
	{ "POST", "/api/v1/sessions", HTTP_BODY_JSON, true, http_h_login },
	{ "DELETE", "/api/v1/sessions", HTTP_BODY_NONE, false, http_h_logout },

	/* information sharing: reports, alerts, deliveries */
	{ "GET", "/api/v1/reports", HTTP_BODY_NONE, false, http_h_reports },
	{ "POST", "/api/v1/reports", HTTP_BODY_JSON, false, http_h_report_create },
	{ "GET", "/api/v1/reports/{id}", HTTP_BODY_NONE, false, http_h_report_get },
	{ "PATCH", "/api/v1/reports/{id}", HTTP_BODY_JSON, false, http_h_report_update },
	{ "POST", "/api/v1/reports/{id}/attachments", HTTP_BODY_RAW, false,
	  http_h_attachment_add },
	{ "GET", "/api/v1/reports/{id}/attachments/{aid}", HTTP_BODY_NONE, false,
	  http_h_attachment_get },
	{ "GET", "/api/v1/alerts", HTTP_BODY_NONE, false, http_h_alerts },
	{ "POST", "/api/v1/alerts", HTTP_BODY_JSON, false, http_h_alert_create },
	{ "POST", "/api/v1/alerts/verify", HTTP_BODY_JSON, false, http_h_alert_verify },
	{ "POST", "/api/v1/alerts/preview", HTTP_BODY_JSON, false, http_h_alert_preview },
	{ "GET", "/api/v1/alerts/{id}", HTTP_BODY_NONE, false, http_h_alert_get },
	{ "GET", "/api/v1/alerts/{id}/deliveries", HTTP_BODY_NONE, false,
	  http_h_alert_deliveries },
	{ "GET", "/api/v1/inbox", HTTP_BODY_NONE, false, http_h_inbox },
	{ "GET", "/api/v1/deliveries/{id}", HTTP_BODY_NONE, false, http_h_delivery_open },
	{ "GET", "/api/v1/deliveries/{id}/channels", HTTP_BODY_NONE, false,
	  http_h_delivery_channels },
	{ "POST", "/api/v1/deliveries/{id}/manual", HTTP_BODY_JSON, false, http_h_delivery_manual },
	{ "GET", "/api/v1/notices", HTTP_BODY_NONE, false, http_h_notices },
	{ "POST", "/api/v1/deliveries/{id}/ack", HTTP_BODY_OPT_JSON, false,
	  http_h_delivery_ack },

	/* signing keys, common threats, the CEPTOAR Council space, large-scale incidents */
	{ "GET", "/api/v1/keys", HTTP_BODY_NONE, false, http_h_keys },
	{ "GET", "/api/v1/correlations", HTTP_BODY_NONE, false, http_h_correlations },
	{ "GET", "/api/v1/correlations/exclusions", HTTP_BODY_NONE, false,
	  http_h_correlation_exclusions },
	{ "POST", "/api/v1/correlations/exclusions", HTTP_BODY_JSON, false,
	  http_h_correlation_exclude },
	/* exercises (handlers_exercise.c); literal paths before {id} */
	{ "GET", "/api/v1/exercises", HTTP_BODY_NONE, false, http_h_exercises },
	{ "POST", "/api/v1/exercises", HTTP_BODY_JSON, false, http_h_exercise_create },
	{ "GET", "/api/v1/exercises/templates", HTTP_BODY_NONE, false, http_h_exercise_templates },
	{ "GET", "/api/v1/exercises/{id}", HTTP_BODY_NONE, false, http_h_exercise_get },
	{ "PATCH", "/api/v1/exercises/{id}", HTTP_BODY_JSON, false, http_h_exercise_update },
	{ "DELETE", "/api/v1/exercises/{id}", HTTP_BODY_NONE, false, http_h_exercise_delete },
	{ "GET", "/api/v1/exercises/{id}/members", HTTP_BODY_NONE, false, http_h_exercise_members },
	{ "POST", "/api/v1/exercises/{id}/members", HTTP_BODY_JSON, false,
	  http_h_exercise_member_add },
	{ "POST", "/api/v1/exercises/{id}/members/remove", HTTP_BODY_JSON, false,
	  http_h_exercise_member_remove },
	{ "GET", "/api/v1/exercises/{id}/injects", HTTP_BODY_NONE, false, http_h_exercise_injects },
	{ "POST", "/api/v1/exercises/{id}/injects", HTTP_BODY_JSON, false,
	  http_h_exercise_inject_add },
	{ "PATCH", "/api/v1/exercises/{id}/injects/{iid}", HTTP_BODY_JSON, false,
	  http_h_exercise_inject_update },
	{ "DELETE", "/api/v1/exercises/{id}/injects/{iid}", HTTP_BODY_NONE, false,
	  http_h_exercise_inject_delete },
	{ "GET", "/api/v1/exercises/{id}/msel", HTTP_BODY_NONE, false, http_h_exercise_msel },
	{ "POST", "/api/v1/exercises/{id}/msel", HTTP_BODY_RAW, false, http_h_exercise_msel_import },
	{ "POST", "/api/v1/exercises/{id}/generate", HTTP_BODY_JSON, false,
	  http_h_exercise_generate },
	{ "POST", "/api/v1/exercises/{id}/clock", HTTP_BODY_JSON, false, http_h_exercise_clock },
	{ "POST", "/api/v1/exercises/{id}/reveal", HTTP_BODY_OPT_JSON, false,
	  http_h_exercise_reveal },
	{ "GET", "/api/v1/exercises/{id}/status", HTTP_BODY_NONE, false, http_h_exercise_status },
	{ "GET", "/api/v1/exercises/{id}/player", HTTP_BODY_NONE, false, http_h_exercise_player },
	{ "GET", "/api/v1/exercises/{id}/notes", HTTP_BODY_NONE, false, http_h_exercise_notes },
	{ "POST", "/api/v1/exercises/{id}/notes", HTTP_BODY_JSON, false, http_h_exercise_note_add },
	{ "GET", "/api/v1/exercises/{id}/report", HTTP_BODY_NONE, false, http_h_exercise_report },

	/* the PDCA of the action plan (handlers_plan.c); literal paths before {id} */
	{ "GET", "/api/v1/plans", HTTP_BODY_NONE, false, http_h_plans },
	{ "POST", "/api/v1/plans", HTTP_BODY_JSON, false, http_h_plan_create },
	{ "GET", "/api/v1/plans/samples", HTTP_BODY_NONE, false, http_h_plan_samples },
	{ "POST", "/api/v1/plans/samples/{name}", HTTP_BODY_OPT_JSON, false,
	  http_h_plan_sample_load },
	{ "GET", "/api/v1/plans/{id}", HTTP_BODY_NONE, false, http_h_plan_get },
	{ "DELETE", "/api/v1/plans/{id}", HTTP_BODY_NONE, false, http_h_plan_delete },
	{ "PATCH", "/api/v1/plans/{id}", HTTP_BODY_JSON, false, http_h_plan_update },
	{ "POST", "/api/v1/plans/{id}/pillars", HTTP_BODY_JSON, false, http_h_plan_pillar_add },
	{ "PATCH", "/api/v1/plans/{id}/pillars/{pid}", HTTP_BODY_JSON, false,
	  http_h_plan_pillar_update },
	{ "DELETE", "/api/v1/plans/{id}/pillars/{pid}", HTTP_BODY_NONE, false,
	  http_h_plan_pillar_delete },
	{ "POST", "/api/v1/plans/{id}/pillars/{pid}/measures", HTTP_BODY_JSON, false,
	  http_h_plan_measure_add },
	{ "PATCH", "/api/v1/plans/{id}/measures/{mid}", HTTP_BODY_JSON, false,
	  http_h_plan_measure_update },
	{ "DELETE", "/api/v1/plans/{id}/measures/{mid}", HTTP_BODY_NONE, false,
	  http_h_plan_measure_delete },
	{ "GET", "/api/v1/plans/{id}/measures", HTTP_BODY_NONE, false, http_h_plan_measures },
	{ "GET", "/api/v1/plans/{id}/measures/{mid}/progress", HTTP_BODY_NONE, false,
	  http_h_plan_progress },
	{ "POST", "/api/v1/plans/{id}/measures/{mid}/progress", HTTP_BODY_JSON, false,
	  http_h_plan_progress_add },
	{ "POST", "/api/v1/plans/{id}/measures/{mid}/evaluation", HTTP_BODY_JSON, false,
	  http_h_plan_evaluate },
	{ "GET", "/api/v1/plans/{id}/summary", HTTP_BODY_NONE, false, http_h_plan_summary },
	{ "GET", "/api/v1/plans/{id}/evaluation", HTTP_BODY_NONE, false, http_h_plan_evaluation },
	{ "GET", "/api/v1/plans/{id}/indicators", HTTP_BODY_NONE, false, http_h_plan_indicators },
	{ "POST", "/api/v1/plans/{id}/indicators", HTTP_BODY_JSON, false,
	  http_h_plan_indicator_add },
	{ "POST", "/api/v1/plans/{id}/indicators/{iid}/values", HTTP_BODY_JSON, false,
	  http_h_plan_indicator_value },
	{ "GET", "/api/v1/statistics/it-failures", HTTP_BODY_NONE, false, http_h_stats_it_failures },
	/* the Guideline and the sectors' standards (handlers_standards.c); literal paths
	 * before {edition} */
	{ "GET", "/api/v1/guideline", HTTP_BODY_NONE, false, http_h_guideline_editions },
	{ "POST", "/api/v1/guideline", HTTP_BODY_JSON, false, http_h_guideline_import },
	{ "GET", "/api/v1/guideline/diff", HTTP_BODY_NONE, false, http_h_guideline_diff },
	{ "GET", "/api/v1/guideline/coverage", HTTP_BODY_NONE, false, http_h_guideline_coverage },
	{ "GET", "/api/v1/guideline/documents", HTTP_BODY_NONE, false, http_h_std_documents },
	{ "POST", "/api/v1/guideline/documents", HTTP_BODY_JSON, false, http_h_std_document_create },
	{ "GET", "/api/v1/guideline/documents/{id}", HTTP_BODY_NONE, false, http_h_std_document },
	{ "PATCH", "/api/v1/guideline/documents/{id}", HTTP_BODY_JSON, false,
	  http_h_std_document_update },
	{ "DELETE", "/api/v1/guideline/documents/{id}", HTTP_BODY_NONE, false,
	  http_h_std_document_delete },
	{ "GET", "/api/v1/guideline/{edition}", HTTP_BODY_NONE, false, http_h_guideline_edition },
	{ "DELETE", "/api/v1/guideline/{edition}", HTTP_BODY_NONE, false, http_h_guideline_delete },
	{ "GET", "/api/v1/guideline/{edition}/oscal", HTTP_BODY_NONE, false, http_h_guideline_oscal },
	{ "GET", "/api/v1/guideline/{edition}/items/{id}", HTTP_BODY_NONE, false,
	  http_h_guideline_item },

	/* the penetration survey (handlers_survey.c) */
	{ "GET", "/api/v1/surveys", HTTP_BODY_NONE, false, http_h_surveys },
	{ "POST", "/api/v1/surveys", HTTP_BODY_JSON, false, http_h_survey_create },
	{ "GET", "/api/v1/surveys/trends", HTTP_BODY_NONE, false, http_h_survey_trends },
	{ "GET", "/api/v1/surveys/{id}", HTTP_BODY_NONE, false, http_h_survey_get },
	{ "PATCH", "/api/v1/surveys/{id}", HTTP_BODY_JSON, false, http_h_survey_update },
	{ "POST", "/api/v1/surveys/{id}/questions", HTTP_BODY_JSON, false,
	  http_h_survey_question_add },
	{ "POST", "/api/v1/surveys/{id}/open", HTTP_BODY_OPT_JSON, false, http_h_survey_open },
	{ "POST", "/api/v1/surveys/{id}/close", HTTP_BODY_OPT_JSON, false, http_h_survey_close },
	{ "POST", "/api/v1/surveys/{id}/remind", HTTP_BODY_OPT_JSON, false, http_h_survey_remind },
	{ "GET", "/api/v1/surveys/{id}/answers", HTTP_BODY_NONE, false, http_h_survey_answers },
	{ "POST", "/api/v1/surveys/{id}/answers", HTTP_BODY_JSON, false, http_h_survey_answer },
	{ "GET", "/api/v1/surveys/{id}/answers/{org}", HTTP_BODY_NONE, false, http_h_survey_answers },
	{ "GET", "/api/v1/surveys/{id}/results", HTTP_BODY_NONE, false, http_h_survey_results },

	{ "GET", "/api/v1/council", HTTP_BODY_NONE, false, http_h_council_items },
	{ "POST", "/api/v1/council", HTTP_BODY_JSON, false, http_h_council_post },
	{ "GET", "/api/v1/council/{id}", HTTP_BODY_NONE, false, http_h_council_item },
	{ "POST", "/api/v1/council/{id}/replies", HTTP_BODY_JSON, false, http_h_council_reply },
	{ "GET", "/api/v1/incidents", HTTP_BODY_NONE, false, http_h_incidents },
	{ "POST", "/api/v1/incidents", HTTP_BODY_JSON, false, http_h_incident_declare },
	{ "GET", "/api/v1/incidents/{id}", HTTP_BODY_NONE, false, http_h_incident_get },
	{ "POST", "/api/v1/incidents/{id}/close", HTTP_BODY_OPT_JSON, false,
	  http_h_incident_close },
	{ "POST", "/api/v1/incidents/{id}/links", HTTP_BODY_JSON, false, http_h_incident_link },
	{ "GET", "/api/v1/incidents/{id}/sitrep", HTTP_BODY_NONE, false, http_h_incident_sitrep },

	/* interdependency analysis: models and jobs */
	{ "GET", "/api/v1/analysis/models", HTTP_BODY_NONE, false, http_h_models },
	{ "POST", "/api/v1/analysis/models", HTTP_BODY_MODEL, false, http_h_model_add },
	{ "GET", "/api/v1/analysis/models/{id}", HTTP_BODY_NONE, false, http_h_model_get },
	{ "DELETE", "/api/v1/analysis/models/{id}", HTTP_BODY_NONE, false, http_h_model_delete },
	{ "GET", "/api/v1/analysis/jobs", HTTP_BODY_NONE, false, http_h_jobs },
	{ "POST", "/api/v1/analysis/jobs", HTTP_BODY_JSON, false, http_h_job_submit },
	{ "GET", "/api/v1/analysis/jobs/{id}", HTTP_BODY_NONE, false, http_h_job_get },
	{ "POST", "/api/v1/analysis/jobs/{id}/cancel", HTTP_BODY_OPT_JSON, false, http_h_job_cancel },
	{ "GET", "/api/v1/analysis/jobs/{id}/files/{name}", HTTP_BODY_NONE, false, http_h_job_file },

	/* CEPTOAR drills (セプター訓練); the token acknowledgement needs no account */
	{ "GET", "/api/v1/drills", HTTP_BODY_NONE, false, http_h_drills },
	{ "POST", "/api/v1/drills", HTTP_BODY_JSON, false, http_h_drill_start },
	{ "GET", "/api/v1/drills/inbox", HTTP_BODY_NONE, false, http_h_drill_inbox },
	{ "GET", "/api/v1/drills/history", HTTP_BODY_NONE, false, http_h_drill_history },
	{ "POST", "/api/v1/drills/ack", HTTP_BODY_JSON, true, http_h_drill_ack_token },
	{ "GET", "/api/v1/drills/{id}", HTTP_BODY_NONE, false, http_h_drill_get },
	{ "GET", "/api/v1/drills/{id}/members", HTTP_BODY_NONE, false, http_h_drill_members },
	{ "GET", "/api/v1/drills/{id}/calls", HTTP_BODY_NONE, false, http_h_drill_calls },
	{ "POST", "/api/v1/drills/{id}/ack", HTTP_BODY_OPT_JSON, false, http_h_drill_ack },
	{ "POST", "/api/v1/drills/{id}/targets/{target}/record", HTTP_BODY_JSON, false,
	  http_h_drill_record },

	/* audit */
	{ "GET", "/api/v1/audit", HTTP_BODY_NONE, false, http_h_audit },
	{ "GET", "/api/v1/audit/verify", HTTP_BODY_NONE, false, http_h_audit_verify },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* True when seg may be a path parameter: 1..HTTP_PARAM_MAX bytes of UTF-8 without
 * control characters (anything else cannot name an object, so it is "not found"). */
static bool param_ok(const char *seg)
{
	size_t n = strlen(seg);

	return n > 0 && n <= HTTP_PARAM_MAX && cep_utf8_valid(seg, n) &&
	       !cep_text_has_control(seg, n, false);
}

/* Match pattern against the path segments segs[0..nsegs). On a match, fills
 * params (HTTP_MAX_PARAMS, borrowed from segs) and returns true. Borrows all. */
static bool match(const char *pattern, char *const *segs, size_t nsegs,
		  const char *params[HTTP_MAX_PARAMS])
{
	const char *found[HTTP_MAX_PARAMS] = { NULL };
	const char *p = pattern;
	size_t i = 0, np = 0;

	while (*p == '/') {
		const char *end;
		size_t plen;

		p++;
		end = strchr(p, '/');
		plen = end ? (size_t)(end - p) : strlen(p);
		if (i >= nsegs)
			return false;
		if (plen > 0 && p[0] == '{') {
			if (np >= HTTP_MAX_PARAMS || !param_ok(segs[i]))
				return false;
			found[np++] = segs[i];
		} else if (strlen(segs[i]) != plen || memcmp(segs[i], p, plen) != 0) {
			return false;
		}
		i++;
		p += plen;
	}
	if (i != nsegs)
		return false;
	memcpy(params, found, sizeof(found));
	return true;
}

/* Append method to the Allow list in allow (HTTP_ALLOW_MAX) unless already there. */
static void allow_add(char allow[HTTP_ALLOW_MAX], const char *method)
{
	size_t n = strlen(allow), m = strlen(method);
	const char *p = allow;

	while ((p = strstr(p, method)) != NULL) {
		if ((p == allow || p[-1] == ' ') && (p[m] == ',' || p[m] == '\0'))
			return;
		p += m;
	}
	snprintf(allow + n, HTTP_ALLOW_MAX - n, "%s%s", n ? ", " : "", method);
}

int http_route_find(struct http_req *r, const char *method, char allow[HTTP_ALLOW_MAX])
{
	char *segs[HTTP_MAX_SEGMENTS];
	const char *params[HTTP_MAX_PARAMS];
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	size_t nsegs = 0;
	bool path_known = false;
	char *p;

	allow[0] = '\0';
	if (!r->path || r->path[0] != '/')
		return CEP_ENOTFOUND;
	/* Split "/a/b/c" into "a", "b", "c" in place. */
	p = r->path + 1;
	for (;;) {
		char *slash = strchr(p, '/');

		if (nsegs == HTTP_MAX_SEGMENTS)
			return CEP_ENOTFOUND;
		segs[nsegs++] = p;
		if (!slash)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	for (size_t i = 0; i < NROUTES; i++) {
		if (!match(routes[i].pattern, segs, nsegs, params))
			continue;
		if (strcmp(routes[i].method, want) == 0) {
			r->route = &routes[i];
			memcpy(r->params, params, sizeof(params));
			return 0;
		}
		path_known = true;
		allow_add(allow, routes[i].method);
		if (strcmp(routes[i].method, "GET") == 0)
			allow_add(allow, "HEAD");
	}
	return path_known ? CEP_EMETHOD : CEP_ENOTFOUND;
}
