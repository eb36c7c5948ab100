/* jobs.h - interdependency analysis (相互依存性解析) in the server: facility
 * models uploaded by analysts, and analysis jobs run on them by a worker
 * thread, never on the request threads. A job is queued (202), then running
 * with its progress (done/total) in the store, then done (its summary and the
 * files it wrote: JSON, CSV, SVG), failed (with the reason) or cancelled. A job
 * interrupted by a restart is queued again.
 *
 * Who: the analysts of NISC, ministries, agencies and CEPTOAR secretariats
 * (CEP_ACT_ANALYSIS_RUN) for their own organisation; a model names real
 * facilities, so models and jobs are read by their organisation and NISC
 * (CEP_ACT_ANALYSIS_READ); anyone else gets "not found". */
#ifndef CEP_JOBS_JOBS_H
#define CEP_JOBS_JOBS_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>

#define JOBS_MODEL_MAX (64u << 20)     /* bytes of an uploaded model (JSON) */
#define JOBS_NAME_MAX 200              /* characters of a model's name */
#define JOBS_ACTIVE_MAX 16             /* queued and running jobs of the installation */
#define JOBS_ORG_ACTIVE_MAX 4          /* of one organisation */
#define JOBS_RESULT_MAX (256u << 20)   /* bytes of all files of one job */
#define JOBS_PROGRESS_MS 500           /* how often a running job writes its progress */

/* ---- models ---- */

/* Store the model data[0..len) (JSON, checked whole by the engine's loader)
 * under name for p's organisation. *ret = {"id","name","org","size","sha256",
 * "nodes","dependencies","links","created_by","created_at"}. Audited. */
int jobs_model_add(struct store *s, const struct cep_principal *p, const char *name,
		   const char *data, size_t len, json_t **ret, struct cep_error *err);
/* The models p may read, newest first: {"items","total","limit","offset"}. */
int jobs_models(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		json_t **ret, struct cep_error *err);
/* One model's description (as jobs_model_add answers). CEP_ENOTFOUND. */
int jobs_model_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		   struct cep_error *err);
/* Delete a model (its jobs stay, without it). Audited. */
int jobs_model_delete(struct store *s, const struct cep_principal *p, const char *id,
		      struct cep_error *err);

/* ---- jobs ---- */

/* Queue a job: {"kind": "iim"|"diim"|"run"|"sweep"|"rank", "model": id (run,
 * sweep, rank), "options": {...}} (options as the engine's action.h). *ret is
 * the job (state "queued"). CEP_EBUSY when JOBS_ACTIVE_MAX or
 * JOBS_ORG_ACTIVE_MAX jobs are queued or running. Audited. */
int jobs_submit(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		struct cep_error *err);
/* The jobs p may read, newest first, optionally in one state. */
int jobs_list(struct store *s, const struct cep_principal *p, const char *state,
	      const struct cep_page *page, json_t **ret, struct cep_error *err);
/* One job: {"id","kind","model","org","options","state","progress":{"done",
 * "total"},"error","summary","files":[{"name","type","size"}],"created_by",
 * "created_at","started_at","finished_at"}. */
int jobs_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
	     struct cep_error *err);
/* Ask a queued or running job to stop (a queued one is cancelled at once).
 * A finished job: CEP_ESEMANTIC. *ret is the job. Audited. */
int jobs_cancel(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		struct cep_error *err);
/* One file of a finished job: *ret_data (caller owns, cep_free), its length and
 * media type (static). CEP_ENOTFOUND. */
int jobs_file(struct store *s, const struct cep_principal *p, const char *id, const char *name,
	      char **ret_data, size_t *ret_len, const char **ret_type, struct cep_error *err);

/* ---- the worker ---- */

struct jobs_worker;

/* Start the worker thread on the database at db_path (copied); jobs left
 * "running" by a previous process are queued again. *ret owned by the caller:
 * jobs_stop. Returns 0, CEP_EIO, CEP_ENOMEM. */
int jobs_start(const char *db_path, struct jobs_worker **ret, struct cep_error *err);
/* Wake the worker: a job was queued. Accepts NULL. Thread-safe. */
void jobs_kick(struct jobs_worker *w);
/* Stop: a running job is cancelled (it is queued again at the next start),
 * the thread joined, all freed. Accepts NULL. */
void jobs_stop(struct jobs_worker *w);
/* Run every queued job now, in the calling thread (the CLI, tests). */
int jobs_run_pending(struct store *s, int *ret_done, struct cep_error *err);

#endif
