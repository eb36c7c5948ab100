/* internal.h - shared by the files of jobs/. Not for other modules. */
#ifndef CEP_JOBS_INTERNAL_H
#define CEP_JOBS_INTERNAL_H

#include "jobs/jobs.h"

#include "core/policy.h"
#include "store/sql.h"

/* 0 when p may do action (CEP_ACT_ANALYSIS_*) on an object of org_id. */
int jobs_allowed(const struct cep_principal *p, enum cep_action action, const char *org_id);
/* The list condition on column (an org id) for p's reads into out, with its one
 * argument in *ret_arg (borrowed from p). CEP_EPERM when p reads none. */
int jobs_where(const struct cep_principal *p, const char *column, char *out, size_t size,
	       struct store_arg *ret_arg);

/* The description of model id for p (caller owns). CEP_ENOTFOUND when p may not
 * read it. */
int jobs_model_row(struct store *s, const struct cep_principal *p, const char *id, json_t **ret);

/* ---- for the worker (run.c) ---- */

/* Take the oldest queued job: mark it running, in one transaction. *ret (caller
 * owns) = {"id","kind","options" (object),"model_data" (string or null)}; the
 * model's bytes are in *ret_model (caller owns, cep_free; NULL without a model)
 * and *ret_model_len. CEP_ENOTFOUND when none is queued. */
int jobs_claim(struct store *s, json_t **ret, char **ret_model, size_t *ret_model_len);
/* Record a running job's progress; *ret_cancel set when someone asked it to stop. */
int jobs_progress(struct store *s, const char *id, unsigned long done, unsigned long total,
		  int *ret_cancel);
/* Finish a job: state (done, failed or cancelled), error (failed), summary and
 * files (done; files may be NULL). */
struct an_files;
int jobs_finish(struct store *s, const char *id, const char *state, const char *error,
		const json_t *summary, const struct an_files *files);
/* Queue again the jobs left running by a process that stopped. */
int jobs_requeue(struct store *s);

#endif
