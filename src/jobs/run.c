/* run.c - the analysis worker: a thread with its own database handle that takes
 * queued jobs one at a time and runs them through the engine (analysis/action.h),
 * which spreads a job over the cores itself (OpenMP). Progress goes to the store
 * every JOBS_PROGRESS_MS, and with it the worker learns whether someone asked
 * the job to stop. */
#include "jobs/internal.h"

#include "analysis/action.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define IDLE_SECONDS 2 /* poll interval when nobody kicks */

struct jobs_worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int kicked;
	atomic_int stop;
	struct store *s; /* owned; used by the thread only */
};

/* What the engine's progress callback needs. */
struct tracker {
	struct store *s;
	const char *id;
	int64_t last_ms;
	atomic_int cancel;          /* the job's own cancel, read by the engine */
	const atomic_int *stop;     /* the worker's, may be NULL */
};

static void report(void *ctx, unsigned long done, unsigned long total)
{
	struct tracker *t = ctx;
	int64_t now = cep_mono_ms();
	int cancel = 0;

	if (t->stop && atomic_load(t->stop))
		atomic_store(&t->cancel, 1);
	if (now - t->last_ms < JOBS_PROGRESS_MS && done < total)
		return;
	t->last_ms = now;
	if (jobs_progress(t->s, t->id, done, total, &cancel) == 0 && cancel)
		atomic_store(&t->cancel, 1);
}

/* Take and run one queued job. CEP_ENOTFOUND when none is queued. */
static int run_one(struct store *s, const atomic_int *stop)
{
	struct an_files files = { 0 };
	struct tracker t = { .s = s, .stop = stop };
	struct an_progress progress = { .report = report, .ctx = &t, .cancel = &t.cancel };
	struct cep_error err;
	json_t *job = NULL, *summary = NULL;
	char *model = NULL;
	size_t len = 0, total = 0;
	const char *kind;
	int rc = jobs_claim(s, &job, &model, &len);

	if (rc == CEP_EBUSY) /* a job whose model was deleted failed: look again */
		return 0;
	if (rc < 0)
		return rc;
	atomic_init(&t.cancel, 0);
	t.id = json_string_value(json_object_get(job, "id"));
	t.last_ms = cep_mono_ms();
	kind = json_string_value(json_object_get(job, "kind"));
	cep_log(CEP_LOG_INFO, "jobs: %s job %s started", kind, t.id);
	cep_error_init(&err);
	{
		json_t *options = json_loads(json_string_value(json_object_get(job, "options")), 0, NULL);

		rc = options ? an_action_run(kind, options, model, len, &progress, &summary, &files, &err)
			     : cep_error_set(&err, CEP_ENOMEM, NULL, "out of memory");
		json_decref(options);
	}
	for (size_t i = 0; rc == 0 && i < files.n; i++)
		total += files.items[i].len;
	if (rc == 0 && total > JOBS_RESULT_MAX)
		rc = cep_error_set(&err, CEP_ETOOBIG, NULL,
				   "the results are larger than %u bytes: run a smaller model or fewer "
				   "trials", JOBS_RESULT_MAX);
	if (rc == CEP_EBUSY && stop && atomic_load(stop)) {
		/* the server stops: the job stays "running" and is queued again at the
		 * next start */
		cep_log(CEP_LOG_INFO, "jobs: %s job %s interrupted by the stop", kind, t.id);
		rc = 0;
	} else if (rc == CEP_EBUSY) {
		rc = jobs_finish(s, t.id, "cancelled", NULL, NULL, NULL);
	} else if (rc < 0) {
		cep_log(CEP_LOG_INFO, "jobs: %s job %s failed: %s", kind, t.id, err.message);
		rc = jobs_finish(s, t.id, "failed", err.message[0] ? err.message : cep_err_text(rc),
				 NULL, NULL);
	} else {
		rc = jobs_finish(s, t.id, "done", NULL, summary, &files);
		if (rc < 0) /* the results could not be stored: the job says so */
			rc = jobs_finish(s, t.id, "failed", "cannot store the results", NULL, NULL);
		cep_log(CEP_LOG_INFO, "jobs: %s job %s done", kind, t.id);
	}
	an_files_free(&files);
	json_decref(summary);
	json_decref(job);
	cep_free(model);
	return rc;
}

int jobs_run_pending(struct store *s, int *ret_done, struct cep_error *err)
{
	int rc, done = 0;

	while ((rc = run_one(s, NULL)) == 0)
		done++;
	if (rc != CEP_ENOTFOUND)
		return cep_error_set(err, rc, NULL, "cannot run the analysis jobs");
	if (ret_done)
		*ret_done = done;
	return 0;
}

static void *worker(void *arg)
{
	struct jobs_worker *w = arg;

	while (!atomic_load(&w->stop)) {
		int rc = run_one(w->s, &w->stop);
		struct timespec until;

		if (rc == 0)
			continue;
		if (rc != CEP_ENOTFOUND)
			cep_log(CEP_LOG_WARN, "jobs: %s", cep_err_text(rc));
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += IDLE_SECONDS;
		pthread_mutex_lock(&w->mu);
		while (!w->kicked && !atomic_load(&w->stop))
			if (pthread_cond_timedwait(&w->cv, &w->mu, &until) != 0)
				break;
		w->kicked = 0;
		pthread_mutex_unlock(&w->mu);
	}
	return NULL;
}

int jobs_start(const char *db_path, struct jobs_worker **ret, struct cep_error *err)
{
	struct jobs_worker *w = cep_calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	atomic_init(&w->stop, 0);
	rc = store_open(db_path, &w->s, err);
	if (rc == 0)
		rc = store_check_version(w->s, err);
	if (rc == 0 && jobs_requeue(w->s) < 0)
		rc = cep_error_set(err, CEP_EIO, NULL, "cannot queue the interrupted analysis jobs");
	if (rc < 0) {
		store_close(w->s);
		cep_free(w);
		return rc;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, worker, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		store_close(w->s);
		cep_free(w);
		return cep_error_set(err, CEP_EIO, NULL, "cannot start the analysis worker");
	}
	*ret = w;
	return 0;
}

void jobs_kick(struct jobs_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->kicked = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void jobs_stop(struct jobs_worker *w)
{
	if (!w)
		return;
	atomic_store(&w->stop, 1);
	jobs_kick(w);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	store_close(w->s);
	cep_free(w);
}
