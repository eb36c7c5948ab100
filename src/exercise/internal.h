/* internal.h - shared by the files of src/exercise/; not for other modules. */
#ifndef CEP_EXERCISE_INTERNAL_H
#define CEP_EXERCISE_INTERNAL_H

#include "exercise/exercise.h"

#include "core/policy.h"
#include "store/sql.h"

/* The exercise's row (*ret_row, caller owns; may be NULL) if p may do action
 * on it. CEP_ENOTFOUND (one answer for absent and unseen) when p may not even
 * read it, CEP_EPERM when it may read but not do action; err filled. */
int ex_require(struct store *s, const struct cep_principal *p, const char *id,
	       enum cep_action action, json_t **ret_row, struct cep_error *err);
/* Begin a write transaction on exercise id for p doing action (ex_require);
 * open_only refuses an ended exercise (CEP_ESEMANTIC naming "state"). On a
 * failure the transaction is rolled back and err filled. *ret_row may be NULL. */
int ex_begin(struct store *s, const struct cep_principal *p, const char *id,
	     enum cep_action action, int open_only, json_t **ret_row, struct cep_error *err);
/* p's parts in the exercise of row (CEP_PART_* bits), and the policy object. */
unsigned ex_parts(struct store *s, const struct cep_principal *p, const json_t *row);
void ex_object(const json_t *row, unsigned parts, struct cep_object *o);
/* ["owner","controller",...] */
json_t *ex_parts_json(const struct cep_principal *p, const json_t *row, unsigned parts);
/* The scenario clock of row at real time now_ms, in seconds from the start. */
int64_t ex_scenario_now(const json_t *row, int64_t now_ms);
/* A scenario time or duration: a non-negative integer (seconds) or text
 * "T+3h", "T+1h30m", "90m", "45s", "2d", "01:30" (h:mm), "3600". CEP_EINVAL
 * naming field otherwise; beyond EX_SCENARIO_MAX is CEP_ETOOBIG. */
int ex_duration(const json_t *v, const char *field, int64_t *ret, struct cep_error *err);
int ex_duration_text(const char *s, const char *field, int64_t *ret, struct cep_error *err);
/* "T+hh:mm" (or "T+Nd hh:mm") into out. */
void ex_format_t(int64_t s, char out[32]);

/* msel.c: validate an inject input (in; update: only the members given, over
 * cur) and write it as inject iid of exercise id (insert or update), inside
 * the caller's transaction. */
int ex_inject_write(struct store *s, const char *id, const char *iid, const json_t *in,
		    const json_t *cur, struct cep_error *err);

/* clock.c: deliver the pending injects of exercise row due by scenario time
 * upto (at their scenario times), each in its own transaction. Not inside a
 * transaction. *ret_done (may be NULL) counts them. */
int ex_deliver_upto(struct store *s, const json_t *row, int64_t upto, int *ret_done);
/* An alert of the exercise's world from its controlling org to the given
 * player orgs (JSON array of ids), at scenario time at_s; *ret_alert gets
 * its id. Its own transaction (the sharing service's). */
int ex_send(struct store *s, const json_t *row, int64_t at_s, const json_t *orgs,
	    const char *severity, const char *title, const char *body, char ret_alert[64]);

/* templates.c: the template id's exercise (title, theme, injects...) or NULL. */
const json_t *ex_template(const char *id);

#endif
