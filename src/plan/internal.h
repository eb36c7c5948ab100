/* internal.h - shared by the files of src/plan/; not for other modules. */
#ifndef CEP_PLAN_INTERNAL_H
#define CEP_PLAN_INTERNAL_H

#include "plan/plan.h"

#include "core/policy.h"
#include "store/sql.h"

/* The plan's row (*ret_row, caller owns; may be NULL) when p may do action
 * (PLAN_READ, PLAN_WRITE, PLAN_EVALUATE...) on plans. CEP_ENOTFOUND for no
 * such plan (also when p may not read plans), CEP_EPERM when p may read
 * but not do action; err filled. */
int plan_require(struct store *s, const struct cep_principal *p, const char *id,
		 enum cep_action action, json_t **ret_row, struct cep_error *err);
/* The measure mid of plan id (*ret_row, caller owns) after plan_require(READ).
 * CEP_ENOTFOUND when the plan has no such measure. */
int plan_measure_row(struct store *s, const struct cep_principal *p, const char *id,
		     const char *mid, json_t **ret_row, struct cep_error *err);
/* The labels of a grade (static strings), NULL for an unknown one. */
const char *plan_grade_label(const char *grade, int en);
/* Does p's org own measure mid? */
int plan_owns(struct store *s, const struct cep_principal *p, const char *mid);
/* Validate one measure (in: {"code", "title_ja", "title_en", "owners",
 * "target_ja", "target_en", "deadline"}; at: "pillar P, measure M" for
 * messages) and write it as measure id under pillar plid of plan pid at
 * position pos, inside the caller's transaction: a new row, or (update) the
 * row id rewritten with its owners replaced. As plan_create validates. */
int plan_measure_write(struct store *s, const char *pid, const char *plid, int pos,
		       const json_t *in, const char *at, const char *id, int update,
		       struct cep_error *err);
/* One measure as plan_measures shows it (*ret, caller owns). */
int plan_measure_get(struct store *s, const struct cep_principal *p, const char *mid,
		     json_t **ret, struct cep_error *err);
/* A fiscal or calendar year argument: PLAN_YEAR_MIN..PLAN_YEAR_MAX. */
int plan_year_check(const json_t *v, const char *field, int required, int *ret,
		    struct cep_error *err);

#endif
