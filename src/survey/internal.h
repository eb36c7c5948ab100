/* internal.h - shared by the files of src/survey/; not for other modules. */
#ifndef CEP_SURVEY_INTERNAL_H
#define CEP_SURVEY_INTERNAL_H

#include "survey/survey.h"

#include "core/policy.h"
#include "store/sql.h"

#define SV_COLS                                                                                 \
	"v.id, v.sector_id AS sector, v.year, v.edition, v.title_ja, v.title_en, v.org_id AS org," \
	" v.state, v.deadline_at, v.deadline_at AS deadline_s, v.remind_days, v.min_respondents, v.alert_id, v.reminders,"    \
	" v.reminded_at, v.created_by, v.created_at, v.opened_at, v.closed_at,"                   \
	" s.ministry_id AS ministry"

/* The survey's row (*ret_row, caller owns; may be NULL) when p may do action
 * on it. CEP_ENOTFOUND (one answer for absent and unseen) when p may not
 * even see it (SURVEY_READ), CEP_EPERM when it may see it but not do action. */
int sv_require(struct store *s, const struct cep_principal *p, const char *id,
	       enum cep_action action, json_t **ret_row, struct cep_error *err);
/* The policy object of a survey row for p (its ministry; p's org a respondent). */
void sv_object(struct store *s, const struct cep_principal *p, const json_t *row,
	       struct cep_object *o);

/* notify.c: an alert from the survey's org (p, or the console for NULL) to
 * orgs (a JSON array of org ids; at most SHARE_AUDIENCE_MAX per alert), the
 * opening one or a reminder; *ret_alert (may be NULL) gets the first alert's
 * id. Each alert in the sharing service's own transaction: not inside one. */
int sv_send(struct store *s, const struct cep_principal *p, const json_t *row, const json_t *orgs,
	    int reminder, char ret_alert[64]);

/* results.c: the growth model's stage (1-4) for the shares of must-consider
 * and reference items implemented, and its names. */
int sv_stage(double must, double reference);
const char *sv_stage_name(int stage, int english);

#endif
