/* survey.h - the yearly penetration survey (「安全基準等」の浸透状況等に関する
 * 調査, seeds 000, 002, 003 and 004 §III.4): a campaign per sector and year
 * whose questionnaire is generated from the Guideline's marked items (plus
 * the extra questions a ministry adds), sent to the sector's operators
 * through their inbox (an alert), answered per question (implemented,
 * partly, planned, not, not applicable, with evidence), reminded before the
 * deadline, and aggregated into penetration rates per item, pillar, sector
 * and year, the items furthest behind and a maturity stage for the growth
 * model (段階的導入・成長モデル, seed 001).
 *
 * Who may do what (core/policy): NISC runs the survey of every sector, a
 * ministry those of its sectors (SURVEY_MANAGE) and both read their
 * aggregates (SURVEY_RESULTS); an operator asked to answer sees the survey
 * (SURVEY_READ) and answers for its own org (SURVEY_ANSWER). Answers are
 * shown only to the org that gave them: to anyone else they do not exist.
 * Every aggregate is withheld while fewer operators have submitted than the
 * survey's min_respondents (at least SURVEY_MIN_FLOOR), so that no single
 * operator's answers can be read from it; this holds for every reader.
 * JSON results belong to the caller (json_decref); inputs are borrowed. */
#ifndef CEP_SURVEY_SURVEY_H
#define CEP_SURVEY_SURVEY_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define SURVEY_EXTRA_MAX 50          /* extra questions per survey */
#define SURVEY_TITLE_MAX 400         /* characters */
#define SURVEY_TEXT_MAX 4000         /* characters of a question's text, an answer's evidence */
#define SURVEY_RESPONDENTS_MAX 5000  /* operators asked in one survey */
#define SURVEY_MIN_FLOOR 2           /* the least min_respondents: one respondent is exposed */
#define SURVEY_MIN_MAX 1000
#define SURVEY_MIN_DEFAULT 3
#define SURVEY_REMIND_DAYS_MAX 60
/* The environment setting of the default min_respondents of a new survey. */
#define SURVEY_MIN_ENV "CEPTOAR_SURVEY_MIN_RESPONDENTS"

/* The installation's default min_respondents: SURVEY_MIN_ENV when it holds a
 * number from SURVEY_MIN_FLOOR to SURVEY_MIN_MAX, else SURVEY_MIN_DEFAULT. */
int survey_min_default(void);

/* ---- campaigns ----
 * Create (NISC; the sector's ministry): {"sector", "year" (2000-2100),
 * "deadline" (RFC 3339, in the future), "edition" (default "3"), "title_ja",
 * "title_en" (default: the survey's name with year and sector),
 * "remind_days" (0-60, default 7: the reminder goes out this many days
 * before the deadline; 0: none by the worker), "min_respondents"
 * (SURVEY_MIN_FLOOR-1000, default survey_min_default()), "questions":
 * [{"title_ja", "title_en", "text_ja"}] (extra questions), "open": bool
 * (open at once)}. The questionnaire is the edition's marked items. One
 * survey per sector and year (CEP_EEXIST). *ret as survey_get. */
int survey_create(struct store *s, const struct cep_principal *p, const json_t *in,
		  json_t **ret, struct cep_error *err);
/* The surveys p may see, newest year first: {"items": [{"id", "sector",
 * "year", "edition", "title_ja", "title_en", "state", "deadline_at", "invited",
 * "submitted" (managers), "my_state" (respondents: "submitted"|"pending")}],
 * "total", ...}. Filters may be NULL; year 0 is any. */
int survey_list(struct store *s, const struct cep_principal *p, const char *sector, int year,
		const char *state, const struct cep_page *page, json_t **ret,
		struct cep_error *err);
/* One survey with its "questions" [{"id", "item", "label", "title_ja",
 * "title_en", "text_ja", "mark", "pillar", "extra"}]; for managers also
 * "respondents" [{"org", "code", "name_ja", "name_en", "submitted_at",
 * "reminded_at"}]; for a respondent "my_state" and "submitted_at".
 * CEP_ENOTFOUND when p may not see it. */
int survey_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
	       struct cep_error *err);
/* Change (managers): any of deadline, remind_days, min_respondents, title_ja, title_en. */
int survey_update(struct store *s, const struct cep_principal *p, const char *id,
		  const json_t *in, json_t **ret, struct cep_error *err);
/* Add an extra question to a draft survey (managers): {"title_ja", "title_en", "text_ja"}. */
int survey_question_add(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err);
/* draft -> open: the sector's operators become the respondents and each gets
 * the survey in its inbox (an alert 【浸透状況調査】 from p's org). */
int survey_open(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		struct cep_error *err);
/* open -> closed: no more answers. */
int survey_close(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		 struct cep_error *err);
/* Remind the respondents that have not submitted (an alert to them).
 * *ret: {"reminded": n}. */
int survey_remind(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		  struct cep_error *err);
/* For the delivery worker: remind once the open surveys whose deadline is
 * at most remind_days away at now (seconds). *ret_done counts surveys. */
int survey_remind_due(struct store *s, int64_t now, int *ret_done, struct cep_error *err);

/* ---- answers ----
 * {"answers": [{"question": id, "status": "implemented"|"partly"|"planned"|
 * "not"|"na", "evidence": text}], "submit": bool} for p's own org (an
 * operator asked to answer), while the survey is open and before its
 * deadline; answers may change until then. Submitting needs an answer to
 * every question. *ret as survey_answers. */
int survey_answer(struct store *s, const struct cep_principal *p, const char *id,
		  const json_t *in, json_t **ret, struct cep_error *err);
/* The answers of org (NULL: p's own): {"survey", "org", "submitted_at",
 * "answers": [{"question", "status", "evidence", "answered_at"}], "own":
 * {"rate_must", "rate_reference", "stage", "name_ja", "name_en"}} (the org's
 * own standing in the growth model, from its own answers only). Only the
 * org itself reads them (else CEP_ENOTFOUND). */
int survey_answers(struct store *s, const struct cep_principal *p, const char *id,
		   const char *org, json_t **ret, struct cep_error *err);

/* ---- results ----
 * One survey's aggregate: {"survey": {...}, "invited", "respondents",
 * "min_respondents", "withheld": bool, "withheld_reason"} and, when not
 * withheld, "items" [{"question", "item", "label", "title_ja", "title_en",
 * "mark", "pillar", "counts": {"implemented","partly","planned","not","na"},
 * "applicable", "rate", "rate_with_partly"}], "pillars" [{"pillar",
 * "title_ja", "title_en", "questions", "rate", "rate_with_partly"}],
 * "overall" {"rate", "rate_must", "rate_reference", "rate_with_partly"},
 * "behind" (the 5 items with the lowest rate), "maturity" {"stage",
 * "name_ja", "name_en", "distribution": [{"stage", "name_ja", "name_en",
 * "operators"}]}. rate = implemented / applicable (answers other than na);
 * rate_with_partly counts partly as implemented. */
int survey_results(struct store *s, const struct cep_principal *p, const char *id,
		   json_t **ret, struct cep_error *err);
/* Trends across years for the surveys p may aggregate (sector may be NULL):
 * {"items": [{"survey", "sector", "year", "state", "respondents", "withheld",
 * "rate", "rate_must", "stage", "pillars": {"<pillar>": rate}}]} by sector, year. */
int survey_trends(struct store *s, const struct cep_principal *p, const char *sector,
		  json_t **ret, struct cep_error *err);
/* Results (survey_results) or trends (survey_trends) as CSV (*ret: cep_free). */
int survey_results_csv(const json_t *results, char **ret, size_t *ret_len);
int survey_trends_csv(const json_t *trends, char **ret, size_t *ret_len);

#endif
