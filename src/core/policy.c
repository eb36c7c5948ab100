/* policy.c - the rule table and its readings. */
#include "core/policy.h"

#include "base/err.h"
#include "core/handling.h"

#include <string.h>

struct rule {
	enum cep_action action;
	enum cep_role role;
	enum cep_rel rel;
	int min_scope; /* enum cep_scope */
	int max_tlp;   /* enum cep_tlp */
};

/* Bounds: any scope and TLP; shared as far as the CEPTOARs (AMBER at most);
 * the council; everyone (CLEAR or GREEN only). */
#define ANY 0, CEP_TLP_RED
#define TO_CEPTOAR CEP_SCOPE_TO_CEPTOAR, CEP_TLP_AMBER
#define TO_COUNCIL CEP_SCOPE_TO_COUNCIL, CEP_TLP_AMBER
#define TO_ALL CEP_SCOPE_TO_ALL, CEP_TLP_GREEN

#define ALL_USERS(act)                                                                        \
	{ act, CEP_ROLE_ADMIN, CEP_REL_ANY, ANY }, { act, CEP_ROLE_NISC, CEP_REL_ANY, ANY },  \
		{ act, CEP_ROLE_MINISTRY, CEP_REL_ANY, ANY },                               \
		{ act, CEP_ROLE_CEPTOAR, CEP_REL_ANY, ANY },                                \
		{ act, CEP_ROLE_OPERATOR, CEP_REL_ANY, ANY },                               \
		{ act, CEP_ROLE_AGENCY, CEP_REL_ANY, ANY },                                 \
		{ act, CEP_ROLE_AUDITOR, CEP_REL_ANY, ANY }

/* A part in an exercise, for every role that has an org (not admin, auditor). */
#define EX_PART(act, rel)                                                                      \
	{ act, CEP_ROLE_NISC, rel, ANY }, { act, CEP_ROLE_MINISTRY, rel, ANY },                \
		{ act, CEP_ROLE_CEPTOAR, rel, ANY }, { act, CEP_ROLE_OPERATOR, rel, ANY },      \
		{ act, CEP_ROLE_AGENCY, rel, ANY }
/* The planning org of an exercise, and NISC over all. */
#define EX_OWNER(act)                                                                          \
	{ act, CEP_ROLE_NISC, CEP_REL_ANY, ANY }, { act, CEP_ROLE_MINISTRY, CEP_REL_OWN_ORG, ANY }, \
		{ act, CEP_ROLE_CEPTOAR, CEP_REL_OWN_ORG, ANY }

/* Everything not listed here is denied. The console (CEP_ROLE_SYSTEM) is the
 * holder of the database file and may do everything. */
static const struct rule rules[] = {
	ALL_USERS(CEP_ACT_REGISTRY_READ),
	{ CEP_ACT_REGISTRY_WRITE, CEP_ROLE_ADMIN, CEP_REL_ANY, ANY },

	/* 重要システム: the operator itself, its sector's ministry, NISC. */
	{ CEP_ACT_SYSTEMS_READ, CEP_ROLE_OPERATOR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_SYSTEMS_READ, CEP_ROLE_MINISTRY, CEP_REL_MINISTRY, ANY },
	{ CEP_ACT_SYSTEMS_READ, CEP_ROLE_NISC, CEP_REL_ANY, ANY },

	{ CEP_ACT_USER_READ, CEP_ROLE_ADMIN, CEP_REL_ANY, ANY },
	{ CEP_ACT_USER_WRITE, CEP_ROLE_ADMIN, CEP_REL_ANY, ANY },
	{ CEP_ACT_TOKEN_READ, CEP_ROLE_ADMIN, CEP_REL_ANY, ANY },
	{ CEP_ACT_TOKEN_ISSUE, CEP_ROLE_ADMIN, CEP_REL_ANY, ANY },
	{ CEP_ACT_TOKEN_REVOKE, CEP_ROLE_ADMIN, CEP_REL_ANY, ANY },

	{ CEP_ACT_AUDIT_READ, CEP_ROLE_ADMIN, CEP_REL_ANY, ANY },
	{ CEP_ACT_AUDIT_READ, CEP_ROLE_AUDITOR, CEP_REL_ANY, ANY },
	{ CEP_ACT_AUDIT_VERIFY, CEP_ROLE_ADMIN, CEP_REL_ANY, ANY },
	{ CEP_ACT_AUDIT_VERIFY, CEP_ROLE_AUDITOR, CEP_REL_ANY, ANY },

	ALL_USERS(CEP_ACT_SELF_READ),

	/* 情報連絡: an operator reports for its own org; the report reaches its
	 * ministry and NISC whatever its TLP, and beyond them only as far as the
	 * reporter's scope and the TLP allow. */
	{ CEP_ACT_REPORT_CREATE, CEP_ROLE_OPERATOR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_REPORT_UPDATE, CEP_ROLE_OPERATOR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_OPERATOR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_MINISTRY, CEP_REL_MINISTRY, ANY },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_CEPTOAR, CEP_REL_SECRETARIAT, TO_CEPTOAR },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_OPERATOR, CEP_REL_SHARED_CEPTOAR, TO_CEPTOAR },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_CEPTOAR, CEP_REL_COUNCIL, TO_COUNCIL },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_MINISTRY, CEP_REL_ANY, TO_ALL },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_CEPTOAR, CEP_REL_ANY, TO_ALL },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_OPERATOR, CEP_REL_ANY, TO_ALL },
	{ CEP_ACT_REPORT_READ, CEP_ROLE_AGENCY, CEP_REL_ANY, TO_ALL },
	/* Beyond the ministry and NISC the reporter is anonymous unless it agreed. */
	{ CEP_ACT_REPORT_IDENTITY, CEP_ROLE_OPERATOR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_REPORT_IDENTITY, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_REPORT_IDENTITY, CEP_ROLE_MINISTRY, CEP_REL_MINISTRY, ANY },

	/* 情報提供: NISC, ministries, agencies and CEPTOAR secretariats (the
	 * service keeps a secretariat's audience within its sector). */
	{ CEP_ACT_ALERT_CREATE, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_ALERT_CREATE, CEP_ROLE_MINISTRY, CEP_REL_ANY, ANY },
	{ CEP_ACT_ALERT_CREATE, CEP_ROLE_AGENCY, CEP_REL_ANY, ANY },
	{ CEP_ACT_ALERT_CREATE, CEP_ROLE_CEPTOAR, CEP_REL_ANY, ANY },
	{ CEP_ACT_ALERT_READ, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_ALERT_READ, CEP_ROLE_MINISTRY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ALERT_READ, CEP_ROLE_AGENCY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ALERT_READ, CEP_ROLE_CEPTOAR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ALERT_READ, CEP_ROLE_MINISTRY, CEP_REL_RECIPIENT, ANY },
	{ CEP_ACT_ALERT_READ, CEP_ROLE_AGENCY, CEP_REL_RECIPIENT, ANY },
	{ CEP_ACT_ALERT_READ, CEP_ROLE_CEPTOAR, CEP_REL_RECIPIENT, ANY },
	{ CEP_ACT_ALERT_READ, CEP_ROLE_OPERATOR, CEP_REL_RECIPIENT, ANY },
	{ CEP_ACT_ALERT_TRACK, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_ALERT_TRACK, CEP_ROLE_MINISTRY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ALERT_TRACK, CEP_ROLE_AGENCY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ALERT_TRACK, CEP_ROLE_CEPTOAR, CEP_REL_OWN_ORG, ANY },
	/* The secretariat follows acknowledgements of its members' deliveries. */
	{ CEP_ACT_ALERT_TRACK, CEP_ROLE_CEPTOAR, CEP_REL_SECRETARIAT, ANY },
	{ CEP_ACT_DELIVERY_ACK, CEP_ROLE_NISC, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_DELIVERY_ACK, CEP_ROLE_MINISTRY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_DELIVERY_ACK, CEP_ROLE_CEPTOAR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_DELIVERY_ACK, CEP_ROLE_OPERATOR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_DELIVERY_ACK, CEP_ROLE_AGENCY, CEP_REL_OWN_ORG, ANY },

	/* 共通脅威: NISC sees correlations over every report, a council
	 * secretariat over what the council may read, anonymised. */
	{ CEP_ACT_CORRELATION_READ, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_CORRELATION_READ, CEP_ROLE_CEPTOAR, CEP_REL_COUNCIL, ANY },
	{ CEP_ACT_CORRELATION_ADMIN, CEP_ROLE_NISC, CEP_REL_ANY, ANY },

	/* セプターカウンシル: independent of government. Secretariats of council
	 * members post and read; government roles read only what the council
	 * shared with them (the service applies "shared"). */
	{ CEP_ACT_COUNCIL_POST, CEP_ROLE_CEPTOAR, CEP_REL_COUNCIL, ANY },
	{ CEP_ACT_COUNCIL_READ, CEP_ROLE_CEPTOAR, CEP_REL_COUNCIL, ANY },
	{ CEP_ACT_COUNCIL_READ, CEP_ROLE_NISC, CEP_REL_ANY, CEP_SCOPE_TO_ALL, CEP_TLP_RED },
	{ CEP_ACT_COUNCIL_READ, CEP_ROLE_MINISTRY, CEP_REL_ANY, CEP_SCOPE_TO_ALL, CEP_TLP_RED },

	/* 平時と異なる体制: NISC declares and closes; every user reads. */
	{ CEP_ACT_INCIDENT_MANAGE, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	ALL_USERS(CEP_ACT_INCIDENT_READ),

	/* 相互依存性解析: the analysts of NISC, the ministries, the agencies and
	 * the CEPTOAR secretariats model facilities and run simulations. A model
	 * names real facilities: it and its jobs stay with the org that made
	 * them; NISC reads them all. */
	{ CEP_ACT_ANALYSIS_RUN, CEP_ROLE_NISC, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ANALYSIS_RUN, CEP_ROLE_MINISTRY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ANALYSIS_RUN, CEP_ROLE_AGENCY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ANALYSIS_RUN, CEP_ROLE_CEPTOAR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ANALYSIS_READ, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_ANALYSIS_READ, CEP_ROLE_MINISTRY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ANALYSIS_READ, CEP_ROLE_AGENCY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_ANALYSIS_READ, CEP_ROLE_CEPTOAR, CEP_REL_OWN_ORG, ANY },

	/* 分野横断的演習: NISC, ministries and CEPTOAR secretariats plan exercises
	 * (the object's org is the planning org, which controls it); users named
	 * as controllers control it too; evaluators and third-party advisers see
	 * its measurements and write their notes; players act in its world.
	 * NISC oversees every exercise. */
	{ CEP_ACT_EXERCISE_CREATE, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_EXERCISE_CREATE, CEP_ROLE_MINISTRY, CEP_REL_ANY, ANY },
	{ CEP_ACT_EXERCISE_CREATE, CEP_ROLE_CEPTOAR, CEP_REL_ANY, ANY },
	EX_PART(CEP_ACT_EXERCISE_CONTROL, CEP_REL_EX_CONTROLLER),
	EX_OWNER(CEP_ACT_EXERCISE_CONTROL),
	EX_PART(CEP_ACT_EXERCISE_EVALUATE, CEP_REL_EX_CONTROLLER),
	EX_PART(CEP_ACT_EXERCISE_EVALUATE, CEP_REL_EX_EVALUATOR),
	EX_PART(CEP_ACT_EXERCISE_EVALUATE, CEP_REL_EX_ADVISER),
	EX_OWNER(CEP_ACT_EXERCISE_EVALUATE),
	EX_PART(CEP_ACT_EXERCISE_PLAY, CEP_REL_EX_PLAYER),
	EX_PART(CEP_ACT_EXERCISE_PLAY, CEP_REL_EX_CONTROLLER),
	EX_OWNER(CEP_ACT_EXERCISE_PLAY),
	EX_PART(CEP_ACT_EXERCISE_READ, CEP_REL_EX_PLAYER),
	EX_PART(CEP_ACT_EXERCISE_READ, CEP_REL_EX_CONTROLLER),
	EX_PART(CEP_ACT_EXERCISE_READ, CEP_REL_EX_EVALUATOR),
	EX_PART(CEP_ACT_EXERCISE_READ, CEP_REL_EX_ADVISER),
	EX_OWNER(CEP_ACT_EXERCISE_READ),
	/* セプター訓練: NISC drills any CEPTOAR or all of them, a secretariat its own
	 * CEPTOAR's members (the object's CEPTOAR; a drill of all has none). A
	 * drill's figures are read by its starter org, NISC, the secretariat of
	 * its CEPTOAR and the ministry overseeing that CEPTOAR's sector. The
	 * members acknowledge in their own org's inbox (or with the token of a
	 * message, which needs no account). */
	{ CEP_ACT_DRILL_RUN, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_DRILL_RUN, CEP_ROLE_CEPTOAR, CEP_REL_SECRETARIAT, ANY },
	{ CEP_ACT_DRILL_READ, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_DRILL_READ, CEP_ROLE_CEPTOAR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_DRILL_READ, CEP_ROLE_CEPTOAR, CEP_REL_SECRETARIAT, ANY },
	{ CEP_ACT_DRILL_READ, CEP_ROLE_MINISTRY, CEP_REL_MINISTRY, ANY },
	{ CEP_ACT_DRILL_ACK, CEP_ROLE_NISC, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_DRILL_ACK, CEP_ROLE_MINISTRY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_DRILL_ACK, CEP_ROLE_CEPTOAR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_DRILL_ACK, CEP_ROLE_OPERATOR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_DRILL_ACK, CEP_ROLE_AGENCY, CEP_REL_OWN_ORG, ANY },

	/* 行動計画・年度計画 (PDCA): plans, their measures, grades and indicators
	 * are published, so every user reads them; NISC makes plans and
	 * evaluates at the year's end; the owners of a measure (the object's org
	 * is the principal's org when it is among the owners) file its
	 * half-yearly progress, which government (NISC, ministries) reads. */
	ALL_USERS(CEP_ACT_PLAN_READ),
	{ CEP_ACT_PLAN_WRITE, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_PLAN_PROGRESS, CEP_ROLE_NISC, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_PLAN_PROGRESS, CEP_ROLE_MINISTRY, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_PLAN_TRACK, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_PLAN_TRACK, CEP_ROLE_MINISTRY, CEP_REL_ANY, ANY },
	{ CEP_ACT_PLAN_EVALUATE, CEP_ROLE_NISC, CEP_REL_ANY, ANY },

	/* IT-failure statistics (breaches of a verification level, per sector,
	 * cause and year): NISC over every sector, a ministry over the sectors
	 * it oversees (the object's ministry: the report's). Counts per sector
	 * still tell which sector failed how often, so nobody else. */
	{ CEP_ACT_STATS_READ, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_STATS_READ, CEP_ROLE_MINISTRY, CEP_REL_MINISTRY, ANY },

	/* 指針 and 安全基準等: every user reads the Guideline and the public
	 * documents; NISC loads editions; a sector's documents are kept (and its
	 * non-public ones read) by the ministry overseeing the sector and NISC. */
	ALL_USERS(CEP_ACT_GUIDELINE_READ),
	{ CEP_ACT_GUIDELINE_WRITE, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_STANDARDS_WRITE, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_STANDARDS_WRITE, CEP_ROLE_MINISTRY, CEP_REL_MINISTRY, ANY },

	/* 浸透状況調査: NISC runs the survey of every sector, a ministry that of
	 * its sectors (the object: the survey's sector's ministry); an operator
	 * asked to answer (a respondent: "recipient") sees the questionnaire and
	 * answers for its own org, and only its own answers are ever shown to
	 * anyone; aggregates go to NISC and the sector's ministry, and the
	 * service withholds them under the respondent threshold. */
	{ CEP_ACT_SURVEY_MANAGE, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_SURVEY_MANAGE, CEP_ROLE_MINISTRY, CEP_REL_MINISTRY, ANY },
	{ CEP_ACT_SURVEY_ANSWER, CEP_ROLE_OPERATOR, CEP_REL_OWN_ORG, ANY },
	{ CEP_ACT_SURVEY_READ, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_SURVEY_READ, CEP_ROLE_MINISTRY, CEP_REL_MINISTRY, ANY },
	{ CEP_ACT_SURVEY_READ, CEP_ROLE_OPERATOR, CEP_REL_RECIPIENT, ANY },
	{ CEP_ACT_SURVEY_RESULTS, CEP_ROLE_NISC, CEP_REL_ANY, ANY },
	{ CEP_ACT_SURVEY_RESULTS, CEP_ROLE_MINISTRY, CEP_REL_MINISTRY, ANY },
};

static const char *const action_names[CEP_ACT__COUNT] = {
	[CEP_ACT_REGISTRY_READ] = "registry.read", [CEP_ACT_REGISTRY_WRITE] = "registry.write",
	[CEP_ACT_SYSTEMS_READ] = "systems.read",   [CEP_ACT_USER_READ] = "user.read",
	[CEP_ACT_USER_WRITE] = "user.write",       [CEP_ACT_TOKEN_READ] = "token.read",
	[CEP_ACT_TOKEN_ISSUE] = "token.issue",     [CEP_ACT_TOKEN_REVOKE] = "token.revoke",
	[CEP_ACT_AUDIT_READ] = "audit.read",       [CEP_ACT_AUDIT_VERIFY] = "audit.verify",
	[CEP_ACT_SELF_READ] = "self.read",         [CEP_ACT_REPORT_CREATE] = "report.create",
	[CEP_ACT_REPORT_READ] = "report.read",     [CEP_ACT_REPORT_UPDATE] = "report.update",
	[CEP_ACT_REPORT_IDENTITY] = "report.identity", [CEP_ACT_ALERT_CREATE] = "alert.create",
	[CEP_ACT_ALERT_READ] = "alert.read",       [CEP_ACT_ALERT_TRACK] = "alert.track",
	[CEP_ACT_DELIVERY_ACK] = "delivery.ack",   [CEP_ACT_CORRELATION_READ] = "correlation.read",
	[CEP_ACT_CORRELATION_ADMIN] = "correlation.admin", [CEP_ACT_COUNCIL_POST] = "council.post",
	[CEP_ACT_COUNCIL_READ] = "council.read",   [CEP_ACT_INCIDENT_MANAGE] = "incident.manage",
	[CEP_ACT_INCIDENT_READ] = "incident.read",  [CEP_ACT_ANALYSIS_RUN] = "analysis.run",
	[CEP_ACT_ANALYSIS_READ] = "analysis.read", [CEP_ACT_EXERCISE_CREATE] = "exercise.create",
	[CEP_ACT_EXERCISE_CONTROL] = "exercise.control",
	[CEP_ACT_EXERCISE_EVALUATE] = "exercise.evaluate",
	[CEP_ACT_EXERCISE_PLAY] = "exercise.play", [CEP_ACT_EXERCISE_READ] = "exercise.read",
	[CEP_ACT_DRILL_RUN] = "drill.run", [CEP_ACT_DRILL_READ] = "drill.read",
	[CEP_ACT_DRILL_ACK] = "drill.ack",
	[CEP_ACT_PLAN_READ] = "plan.read",         [CEP_ACT_PLAN_WRITE] = "plan.write",
	[CEP_ACT_PLAN_PROGRESS] = "plan.progress", [CEP_ACT_PLAN_TRACK] = "plan.track",
	[CEP_ACT_PLAN_EVALUATE] = "plan.evaluate", [CEP_ACT_STATS_READ] = "stats.read",
	[CEP_ACT_GUIDELINE_READ] = "guideline.read", [CEP_ACT_GUIDELINE_WRITE] = "guideline.write",
	[CEP_ACT_STANDARDS_WRITE] = "standards.write", [CEP_ACT_SURVEY_MANAGE] = "survey.manage",
	[CEP_ACT_SURVEY_ANSWER] = "survey.answer",  [CEP_ACT_SURVEY_READ] = "survey.read",
	[CEP_ACT_SURVEY_RESULTS] = "survey.results",
};

const char *policy_action_name(enum cep_action action)
{
	if ((int)action < 0 || action >= CEP_ACT__COUNT)
		return "unknown";
	return action_names[action];
}

static int known(const struct cep_principal *p, enum cep_action action)
{
	return p && (int)action >= 0 && action < CEP_ACT__COUNT && p->role > CEP_ROLE_NONE &&
	       p->role < CEP_ROLE__COUNT;
}

/* The principal-side condition of a relationship: without an org, a ministry
 * or a secretariat, the relationship cannot hold for any object. */
static int rel_possible(const struct cep_principal *p, enum cep_rel rel)
{
	switch (rel) {
	case CEP_REL_ANY:
		return 1;
	case CEP_REL_OWN_ORG:
	case CEP_REL_RECIPIENT:
		return p->org_id[0] != '\0';
	case CEP_REL_MINISTRY:
		return p->ministry_id[0] != '\0';
	case CEP_REL_SELF:
		return p->user_id[0] != '\0';
	case CEP_REL_SHARED_CEPTOAR:
		return p->nceptoars > 0;
	case CEP_REL_SECRETARIAT:
		return p->ceptoar_id[0] != '\0';
	case CEP_REL_COUNCIL:
		return p->ceptoar_id[0] != '\0' && p->council;
	case CEP_REL_EX_PLAYER:
	case CEP_REL_EX_CONTROLLER:
	case CEP_REL_EX_EVALUATOR:
	case CEP_REL_EX_ADVISER:
		return p->user_id[0] != '\0';
	}
	return 0;
}

static int in_list(const char *id, const char (*list)[CEP_ID_MAX], int n)
{
	for (int i = 0; i < n && i < CEP_MEMBERSHIPS_MAX; i++)
		if (strcmp(list[i], id) == 0)
			return 1;
	return 0;
}

static int rel_holds(const struct cep_principal *p, enum cep_rel rel, const struct cep_object *o)
{
	if (!rel_possible(p, rel))
		return 0;
	switch (rel) {
	case CEP_REL_ANY:
	case CEP_REL_COUNCIL:
		return 1;
	case CEP_REL_OWN_ORG:
		return o && strcmp(p->org_id, o->org_id) == 0;
	case CEP_REL_MINISTRY:
		return o && strcmp(p->ministry_id, o->ministry_id) == 0;
	case CEP_REL_SELF:
		return o && strcmp(p->user_id, o->user_id) == 0;
	case CEP_REL_SHARED_CEPTOAR:
		for (int i = 0; o && i < p->nceptoars && i < CEP_MEMBERSHIPS_MAX; i++)
			if (in_list(p->ceptoars[i], o->ceptoars, o->nceptoars))
				return 1;
		return 0;
	case CEP_REL_SECRETARIAT:
		return o && in_list(p->ceptoar_id, o->ceptoars, o->nceptoars);
	case CEP_REL_RECIPIENT:
		return o && o->recipient;
	case CEP_REL_EX_PLAYER:
		return o && (o->exercise_parts & CEP_PART_PLAYER);
	case CEP_REL_EX_CONTROLLER:
		return o && (o->exercise_parts & CEP_PART_CONTROLLER);
	case CEP_REL_EX_EVALUATOR:
		return o && (o->exercise_parts & CEP_PART_EVALUATOR);
	case CEP_REL_EX_ADVISER:
		return o && (o->exercise_parts & CEP_PART_ADVISER);
	}
	return 0;
}

static int bounds_hold(const struct rule *r, const struct cep_object *o)
{
	if (r->min_scope == 0 && r->max_tlp == CEP_TLP_RED)
		return 1;
	return o && o->scope >= r->min_scope && o->tlp <= r->max_tlp;
}

/* Is action one on the objects of the sharing system, which live in a world? */
static int worldly(enum cep_action action)
{
	switch (action) {
	case CEP_ACT_REPORT_READ:
	case CEP_ACT_REPORT_UPDATE:
	case CEP_ACT_REPORT_IDENTITY:
	case CEP_ACT_ALERT_READ:
	case CEP_ACT_ALERT_TRACK:
	case CEP_ACT_DELIVERY_ACK:
	case CEP_ACT_COUNCIL_READ:
	case CEP_ACT_COUNCIL_POST:
		return 1;
	default:
		return 0;
	}
}

int policy_check(const struct cep_principal *p, enum cep_action action, const struct cep_object *obj)
{
	if (!known(p, action))
		return CEP_EPERM;
	if (obj && worldly(action) && strcmp(p->exercise_id, obj->exercise_id) != 0)
		return CEP_EPERM;
	/* large-scale incidents are the real world's: an exercise plays its own */
	if (p->exercise_id[0] &&
	    (action == CEP_ACT_INCIDENT_MANAGE || action == CEP_ACT_INCIDENT_READ ||
	     action == CEP_ACT_STATS_READ))
		return CEP_EPERM;
	if (p->role == CEP_ROLE_SYSTEM)
		return 0;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].action == action && rules[i].role == p->role &&
		    rel_holds(p, rules[i].rel, obj) && bounds_hold(&rules[i], obj))
			return 0;
	return CEP_EPERM;
}

int policy_clauses(const struct cep_principal *p, enum cep_action action,
		   struct policy_clause out[POLICY_CLAUSES_MAX])
{
	int n = 0;

	if (!known(p, action))
		return 0;
	if (p->role == CEP_ROLE_SYSTEM) {
		out[0] = (struct policy_clause){ CEP_REL_ANY, 0, CEP_TLP_RED };
		return 1;
	}
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]) && n < POLICY_CLAUSES_MAX; i++)
		if (rules[i].action == action && rules[i].role == p->role &&
		    rel_possible(p, rules[i].rel))
			out[n++] = (struct policy_clause){ rules[i].rel, rules[i].min_scope,
							   rules[i].max_tlp };
	return n;
}

unsigned policy_scope(const struct cep_principal *p, enum cep_action action)
{
	struct policy_clause c[POLICY_CLAUSES_MAX];
	int n = policy_clauses(p, action, c);
	unsigned scope = 0;

	for (int i = 0; i < n; i++) {
		int unbounded = c[i].min_scope == 0 && c[i].max_tlp == CEP_TLP_RED;

		if (c[i].rel == CEP_REL_ANY && unbounded)
			return CEP_SCOPE_ALL;
		if (c[i].rel == CEP_REL_OWN_ORG)
			scope |= CEP_SCOPE_OWN_ORG;
		else if (c[i].rel == CEP_REL_MINISTRY)
			scope |= CEP_SCOPE_MINISTRY;
		else if (c[i].rel == CEP_REL_SELF)
			scope |= CEP_SCOPE_SELF;
	}
	return scope;
}
