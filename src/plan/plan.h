/* plan.h - the PDCA of the critical-infrastructure action plan (行動計画) and
 * of each year's plan (年度計画), and the IT-failure statistics its
 * evaluation reads.
 *
 * A plan has pillars (施策の柱) and measures (具体的施策), each measure with
 * its owner organisations (NISC and the sector ministries), a target and a
 * deadline. The owners file half-yearly progress reports (H1, H2 of a fiscal
 * year); NISC evaluates each measure at the year's end with the grades of the
 * policy council's evaluation (seed 003): A, A with a staffing caveat
 * ("A-staffing", the seed's 「A」), B+, B, C and "-"; the summary counts the
 * measures "as planned" (A and A-staffing) against all measures, as the seed
 * does ("116 of 133, 87.2%"). Evaluation indicators (評価指標) are defined per
 * area and filled each year; each answer carries its trend.
 *
 * The statistics count the IT-failure reports of the real world (never an
 * exercise's) that breached their service's verification level (検証レベル,
 * seed 004 note 9), per sector, cause category and year, under the access
 * policy (NISC: every sector; a ministry: the sectors it oversees).
 *
 * Every function takes the acting principal and asks core/policy. JSON
 * results (*ret) belong to the caller (json_decref); inputs are borrowed.
 * On failure *ret is untouched and err (may be NULL) names the field at
 * fault. Every change is one transaction ending in audit_commit. */
#ifndef CEP_PLAN_PLAN_H
#define CEP_PLAN_PLAN_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>

/* Caps on what a client controls. */
#define PLAN_TITLE_MAX 300     /* characters of a title */
#define PLAN_CODE_MAX 32       /* characters of a pillar's or measure's code */
#define PLAN_TEXT_MAX 4000     /* characters of a target, note, comment */
#define PLAN_PILLARS_MAX 50    /* per plan */
#define PLAN_MEASURES_MAX 2000 /* per plan */
#define PLAN_OWNERS_MAX 16     /* per measure */
#define PLAN_INDICATORS_MAX 500 /* per plan */
#define PLAN_YEAR_MIN 2000
#define PLAN_YEAR_MAX 2100

/* ---- plans ----
 * Create (NISC) a plan whole: {"kind": "action-plan"|"yearly", "year" (the
 * fiscal year: required for yearly), "period" (text, e.g. "2009-2013":
 * required for an action plan), "title_ja" (required), "title_en", "parent"
 * (the action plan a yearly plan belongs to), "source", "pillars": [{"code",
 * "title_ja", "title_en", "measures": [{"code", "title_ja", "title_en",
 * "owners": [org id or code of NISC or a ministry, at least one],
 * "target_ja", "target_en", "deadline": "YYYY-MM-DD" or ""}]}]}. All or
 * nothing. *ret is the plan as plan_get answers it. */
int plan_create(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		struct cep_error *err);
/* The sample plans compiled into the binary (data/samples/): {"items":
 * [{"name", "title_ja", "title_en", "source"}]}. */
int plan_samples(json_t **ret);
/* Load the sample named name ("plan-2008": seed 000's measures of 2008) as a
 * plan (NISC). CEP_EEXIST when a plan from that sample exists already. */
int plan_load_sample(struct store *s, const struct cep_principal *p, const char *name,
		     json_t **ret, struct cep_error *err);
/* Plans, newest year first: {"items": [{"id", "kind", "year", "period",
 * "title_ja", "title_en", "parent", "measures", "evaluated"}], "total", ...}. */
int plan_list(struct store *s, const struct cep_principal *p, const struct cep_page *page,
	      json_t **ret, struct cep_error *err);
/* One plan with its "pillars" ([{"id", "code", "title_ja", "title_en",
 * "measures": n}]) and its "summary" (as plan_summary). */
int plan_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
	     struct cep_error *err);
/* Delete a plan with everything of it (NISC). */
int plan_delete(struct store *s, const struct cep_principal *p, const char *id,
		struct cep_error *err);

/* ---- editing a plan after it was made (NISC; edit.c) ----
 * Each takes the fields to change (at least one; an unknown one is
 * CEP_EINVAL naming it), checks the result as plan_create would and writes
 * it in one transaction with its audit entry; nothing is changed on failure.
 * CEP_ENOTFOUND for an unknown plan, or a pillar or measure not of this plan.
 * The plan: {"title_ja", "title_en", "period", "source", "parent" (an action
 * plan's id, or null)}; kind and year are fixed (CEP_EINVAL naming them).
 * *ret is the plan as plan_get answers it. */
int plan_update(struct store *s, const struct cep_principal *p, const char *id, const json_t *in,
		json_t **ret, struct cep_error *err);
/* A pillar {"code", "title_ja", "title_en", "position"}: added (at the end,
 * or at "position"; at most PLAN_PILLARS_MAX: CEP_ETOOBIG) or changed; a code
 * the plan has already is CEP_EEXIST. "position" (0 first; past the last:
 * last) puts it at that place among the plan's pillars; not a whole number
 * from 0 to PLAN_PILLARS_MAX is CEP_EINVAL naming it. plid is the pillar's id
 * or code. *ret is the pillar as plan_get lists it. Deleting a pillar that
 * still has measures is CEP_EEXIST. */
int plan_pillar_add(struct store *s, const struct cep_principal *p, const char *id,
		    const json_t *in, json_t **ret, struct cep_error *err);
int plan_pillar_update(struct store *s, const struct cep_principal *p, const char *id,
		       const char *plid, const json_t *in, json_t **ret, struct cep_error *err);
int plan_pillar_delete(struct store *s, const struct cep_principal *p, const char *id,
		       const char *plid, struct cep_error *err);
/* A measure under pillar plid, as in plan_create (at most PLAN_MEASURES_MAX:
 * CEP_ETOOBIG), or changed: any of its fields, "owners" replacing the list,
 * "pillar" (id or code; another plan's or none: CEP_ESEMANTIC) moving it to
 * the end of that pillar, "position" (0 first, as a pillar's) putting it at
 * that place among its pillar's measures. Its grade and progress reports
 * stay. Deleting a
 * measure with progress reports or a grade is CEP_EEXIST unless force, which
 * deletes them with it. *ret is the measure as plan_measures shows it. */
int plan_measure_add(struct store *s, const struct cep_principal *p, const char *id,
		     const char *plid, const json_t *in, json_t **ret, struct cep_error *err);
int plan_measure_update(struct store *s, const struct cep_principal *p, const char *id,
			const char *mid, const json_t *in, json_t **ret, struct cep_error *err);
int plan_measure_delete(struct store *s, const struct cep_principal *p, const char *id,
			const char *mid, int force, struct cep_error *err);

/* ---- measures, progress, evaluation ----
 * The measures of a plan in order: {"items": [{"id", "code", "pillar",
 * "pillar_title_ja", "pillar_title_en", "title_ja", "title_en", "target_ja",
 * "target_en", "deadline", "owners": [{"id", "code", "name_ja", "name_en"}],
 * "grade", "grade_label_ja", "grade_label_en", "grade_comment",
 * "evaluated_at", "mine" (the caller's org owns it), and, for those who may
 * read progress (NISC, ministries), "progress": [the reports, newest
 * first]}], "total"}. owner (id or code) and grade filter; NULL for all. */
int plan_measures(struct store *s, const struct cep_principal *p, const char *id,
		  const char *owner, const char *grade, json_t **ret, struct cep_error *err);
/* File a half-yearly progress report on a measure the caller's org owns:
 * {"year" (fiscal year), "half": "H1"|"H2", "status": "not-started"|
 * "on-track"|"delayed"|"completed", "note", "org" (the console only: the
 * owner it files for)}. A second report for the same org, year and half
 * replaces the first. *ret is the report. */
int plan_progress_add(struct store *s, const struct cep_principal *p, const char *id,
		      const char *mid, const json_t *in, json_t **ret, struct cep_error *err);
/* The progress reports of a measure, newest period first (NISC, ministries). */
int plan_progress_list(struct store *s, const struct cep_principal *p, const char *id,
		       const char *mid, json_t **ret, struct cep_error *err);
/* The year-end evaluation of a measure (NISC): {"grade": "A"|"A-staffing"|
 * "B+"|"B"|"C"|"-", "comment"}. *ret is the measure. */
int plan_evaluate(struct store *s, const struct cep_principal *p, const char *id,
		  const char *mid, const json_t *in, json_t **ret, struct cep_error *err);
/* The summary: {"plan", "measures" (all), "evaluated", "by_grade": {"A": n,
 * "A-staffing": n, "B+": n, "B": n, "C": n, "-": n}, "as_planned" (A and
 * A-staffing), "percent" (as_planned of all measures, one decimal),
 * "text_ja", "text_en", "grades": [{"grade", "label_ja", "label_en"}]}. */
int plan_summary(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		 struct cep_error *err);
/* The evaluation as CSV (*ret_csv, caller frees with cep_free): one row per
 * measure with the columns pillar, code, title_ja, title_en, owners,
 * deadline, grade, grade_label_ja, grade_label_en, comment. */
int plan_evaluation_csv(struct store *s, const struct cep_principal *p, const char *id,
			char **ret_csv, size_t *ret_len, struct cep_error *err);
/* "A", "A-staffing", ... : 0 when grade is one, else CEP_EINVAL. */
int plan_grade_check(const char *grade);

/* ---- evaluation indicators (評価指標) ----
 * Define one (NISC): {"area" (e.g. a pillar's code or an area such as
 * 重要インフラ), "name_ja", "name_en", "unit", "better": "higher"|"lower"}.
 * Fill a year (NISC): {"year", "value" (a number), "note"}; filling a year
 * again replaces its value. The list: {"items": [{"id", "area", "name_ja",
 * "name_en", "unit", "better", "values": [{"year", "value", "note"}] (by
 * year), "trend": "up"|"down"|"flat"|null (the last year against the one
 * before), "change" (their difference), "assessment": "improving"|
 * "worsening"|"unchanged"|null}]}. */
int plan_indicator_add(struct store *s, const struct cep_principal *p, const char *id,
		       const json_t *in, json_t **ret, struct cep_error *err);
int plan_indicator_value(struct store *s, const struct cep_principal *p, const char *id,
			 const char *iid, const json_t *in, json_t **ret, struct cep_error *err);
int plan_indicators(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err);

/* ---- IT-failure statistics ---- */
struct plan_stats_query {
	int year;            /* 0: every year */
	const char *sector;  /* NULL: every sector the caller may see */
	const char *cause;   /* NULL: every cause category; "none" for reports without one */
	int fiscal;          /* 1: fiscal years (April-March, 年度); 0: calendar years; in JST */
};
/* Count the breaches of a verification level: the reports of the real world
 * with verification_breached, per year (of occurred_at, else created_at, in
 * JST), sector and cause category, under the policy (STATS_READ):
 * {"basis": "fiscal"|"calendar", "items": [{"year", "sector",
 * "sector_name_ja", "sector_name_en", "cause_category", "count"}], "total"}.
 * CEP_EPERM for whoever may not read statistics and inside an exercise. */
int plan_stats_it_failures(struct store *s, const struct cep_principal *p,
			   const struct plan_stats_query *q, json_t **ret, struct cep_error *err);
/* The same as CSV (year, sector, sector_name_ja, sector_name_en,
 * cause_category, count); *ret_csv owned by the caller (cep_free). */
int plan_stats_csv(const json_t *stats, char **ret_csv, size_t *ret_len);

#endif
