/* policy.h - THE access policy of ceptoar. Deny by default.
 *
 * One rule table answers "may this principal do this action on this object?"
 * Every read and write path asks it: single objects through policy_check(),
 * lists, counts and exports through policy_scope(), whose answer the store
 * turns into the WHERE clause of the query, so that nothing the principal may
 * not see is ever read, counted or timed. Pure: no I/O, no allocation. */
#ifndef CEP_CORE_POLICY_H
#define CEP_CORE_POLICY_H

#include "core/principal.h"

enum cep_action {
	CEP_ACT_REGISTRY_READ,   /* sectors, ministries, CEPTOARs, agencies, orgs, services, map */
	CEP_ACT_REGISTRY_WRITE,  /* create/update/delete registry entries, CSV import */
	CEP_ACT_SYSTEMS_READ,    /* an operator's critical systems (重要システム) */
	CEP_ACT_USER_READ,       /* list and read user accounts */
	CEP_ACT_USER_WRITE,      /* create, change, disable users; set passwords */
	CEP_ACT_TOKEN_READ,      /* list API tokens (never their secret) */
	CEP_ACT_TOKEN_ISSUE,     /* issue a token for a user */
	CEP_ACT_TOKEN_REVOKE,    /* revoke a token */
	CEP_ACT_AUDIT_READ,      /* read the audit trail */
	CEP_ACT_AUDIT_VERIFY,    /* verify the audit chain */
	CEP_ACT_SELF_READ,       /* one's own account ("me") */
	CEP_ACT_REPORT_CREATE,   /* report an IT failure (情報連絡) for one's own org */
	CEP_ACT_REPORT_READ,     /* read a report (bounded by its scope and TLP) */
	CEP_ACT_REPORT_UPDATE,   /* add a version to a report */
	CEP_ACT_REPORT_IDENTITY, /* see who reported (else "a <sector> operator") */
	CEP_ACT_ALERT_CREATE,    /* provide an alert (情報提供) */
	CEP_ACT_ALERT_READ,      /* read an alert */
	CEP_ACT_ALERT_TRACK,     /* follow an alert's deliveries and acknowledgements */
	CEP_ACT_DELIVERY_ACK,    /* open and acknowledge a delivery to one's org */
	CEP_ACT_CORRELATION_READ,  /* indicators seen in reports of several sectors */
	CEP_ACT_CORRELATION_ADMIN, /* the correlation exclusion list */
	CEP_ACT_COUNCIL_POST,      /* post in the CEPTOAR Council space */
	CEP_ACT_COUNCIL_READ,      /* read the council space (bounded: see the rules) */
	CEP_ACT_INCIDENT_MANAGE,   /* declare and close a large-scale incident */
	CEP_ACT_INCIDENT_READ,     /* read incidents and their situation reports */
	CEP_ACT_ANALYSIS_RUN,      /* upload analysis models and run analysis jobs */
	CEP_ACT_ANALYSIS_READ,     /* read analysis models, jobs and their results */
	CEP_ACT_EXERCISE_CREATE,   /* plan a cross-sector exercise (分野横断的演習) */
	CEP_ACT_EXERCISE_CONTROL,  /* its scenario, members, clock, reveal, deletion */
	CEP_ACT_EXERCISE_EVALUATE, /* its measurements, observations, advice, lessons */
	CEP_ACT_EXERCISE_PLAY,     /* act inside it (its world) */
	CEP_ACT_EXERCISE_READ,     /* see that it exists, its clock and one's part */
	CEP_ACT_DRILL_RUN,         /* start a CEPTOAR drill (セプター訓練) over a CEPTOAR's members */
	CEP_ACT_DRILL_READ,        /* read a drill and its figures */
	CEP_ACT_DRILL_ACK,         /* acknowledge a drill message in one's own org's inbox */
	CEP_ACT_PLAN_READ,         /* plans, measures, grades, summary, indicators (公表) */
	CEP_ACT_PLAN_WRITE,        /* make plans, measures, indicators; fill indicator values */
	CEP_ACT_PLAN_PROGRESS,     /* file half-yearly progress on a measure one's org owns */
	CEP_ACT_PLAN_TRACK,        /* read the progress reports of measures */
	CEP_ACT_PLAN_EVALUATE,     /* the year-end evaluation (grades) of measures */
	CEP_ACT_STATS_READ,        /* IT-failure statistics (counts of breaches of 検証レベル) */
	CEP_ACT_GUIDELINE_READ,    /* the Guideline (指針): editions, items, diff, OSCAL export */
	CEP_ACT_GUIDELINE_WRITE,   /* load or delete a Guideline edition */
	CEP_ACT_STANDARDS_WRITE,   /* a sector's safety-standards documents (安全基準等); also
				    * reading its non-public ones (the object: the sector's ministry) */
	CEP_ACT_SURVEY_MANAGE,     /* a sector's penetration survey (浸透状況調査): create, open,
				    * remind, close, follow who answered */
	CEP_ACT_SURVEY_ANSWER,     /* answer the survey for one's own org, and read those answers */
	CEP_ACT_SURVEY_READ,       /* see a survey and its questionnaire (managers, respondents) */
	CEP_ACT_SURVEY_RESULTS,    /* aggregate results (withheld under the respondent threshold) */
	CEP_ACT__COUNT
};

/* How a principal relates to an object. */
enum cep_rel {
	CEP_REL_ANY,            /* no relationship needed */
	CEP_REL_OWN_ORG,        /* the object's org is the principal's org */
	CEP_REL_MINISTRY,       /* the principal's ministry oversees the object's sector */
	CEP_REL_SELF,           /* the object belongs to the principal's user */
	CEP_REL_SHARED_CEPTOAR, /* the principal's org is a member of one of the object's CEPTOARs */
	CEP_REL_SECRETARIAT,    /* the principal is the secretariat of one of the object's CEPTOARs */
	CEP_REL_COUNCIL,        /* the principal is the secretariat of a council-member CEPTOAR */
	CEP_REL_RECIPIENT,      /* the principal's org received the object (an alert delivery) */
	/* the principal's part in an exercise (the object's exercise_parts) */
	CEP_REL_EX_PLAYER,      /* its org plays in it, or the user does */
	CEP_REL_EX_CONTROLLER,  /* the user controls it (統制) */
	CEP_REL_EX_EVALUATOR,   /* the user evaluates it (評価) */
	CEP_REL_EX_ADVISER,     /* the user advises it as a third party (第三者による助言) */
};

/* Bits of struct cep_object.exercise_parts. */
enum {
	CEP_PART_PLAYER = 1,
	CEP_PART_CONTROLLER = 2,
	CEP_PART_EVALUATOR = 4,
	CEP_PART_ADVISER = 8,
};

/* One way to be allowed: a relationship, and bounds on the object's sharing
 * scope (enum cep_scope, at least min_scope) and TLP (enum cep_tlp, at most max_tlp). */
struct policy_clause {
	enum cep_rel rel;
	int min_scope;
	int max_tlp;
};
#define POLICY_CLAUSES_MAX 8

/* Facts about the object that relationship rules need. Unset fields are "". */
struct cep_object {
	char org_id[CEP_ID_MAX];        /* the owning organisation */
	char ministry_id[CEP_ID_MAX];   /* the ministry overseeing the owner's sector */
	char user_id[CEP_ID_MAX];       /* the owning user (tokens, sessions) */
	int scope;                      /* enum cep_scope: how far it may travel (reports) */
	int tlp;                        /* enum cep_tlp */
	char ceptoars[CEP_MEMBERSHIPS_MAX][CEP_ID_MAX]; /* the CEPTOARs it was shared through */
	int nceptoars;
	bool recipient;                 /* the principal's org received it */
	char exercise_id[CEP_ID_MAX];   /* the world of a sharing object: "" real, else an exercise */
	unsigned exercise_parts;        /* an exercise: the principal's parts in it (CEP_PART_*) */
};

/* Scope bits for list queries. 0 means the principal sees nothing. */
enum {
	CEP_SCOPE_ALL = 1,       /* every object */
	CEP_SCOPE_OWN_ORG = 2,   /* objects whose org_id is the principal's org */
	CEP_SCOPE_MINISTRY = 4,  /* objects whose sector the principal's ministry oversees */
	CEP_SCOPE_SELF = 8,      /* objects owned by the principal's user */
};

/* 0 when p may do action on obj (obj may be NULL for actions with no object),
 * CEP_EPERM otherwise (and for unknown actions or roles). Objects of the
 * sharing system (reports, alerts, deliveries, council posts) live in one
 * world, the real one or one exercise: p may touch such an object only in
 * its own world (p->exercise_id equal to obj->exercise_id), whatever its role,
 * the console included. Lists apply the same rule (share/visibility.c).
 * Large-scale incidents belong to the real world only. */
int policy_check(const struct cep_principal *p, enum cep_action action, const struct cep_object *obj);
/* The CEP_SCOPE_* bits under which p may do action on objects in a list. */
unsigned policy_scope(const struct cep_principal *p, enum cep_action action);
/* The clauses under which p may do action, for lists: the service turns each
 * into a condition of its query's WHERE (OR-ed), so lists, counts and searches
 * see exactly what policy_check admits. Clauses whose principal-side condition
 * fails (no org, no ministry, not a council secretariat) are left out. Returns
 * the number written to out (at most POLICY_CLAUSES_MAX); 0 means nothing. */
int policy_clauses(const struct cep_principal *p, enum cep_action action,
		   struct policy_clause out[POLICY_CLAUSES_MAX]);
/* Action name for logs and tests ("registry.read", ...). */
const char *policy_action_name(enum cep_action action);

#endif
