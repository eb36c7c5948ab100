/* worker.c - the delivery worker thread. */
#include "deliver/deliver.h"

#include "base/alloc.h"
#include "base/log.h"
#include "share/share.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#define BATCH 16          /* jobs per pass */
#define IDLE_SECONDS 1    /* poll interval when nobody kicks */

struct deliver {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop, kicked;
	struct store *s; /* owned; used by the thread only */
};

int deliver_run_pending(struct store *s, int *ret_done, struct cep_error *err)
{
	int total = 0, done, rc;

	do {
		done = 0;
		rc = share_fanout_pending(s, BATCH, &done, err);
		total += done;
	} while (rc == 0 && done == BATCH);
	if (rc == 0 && ret_done)
		*ret_done = total;
	return rc;
}

static void *worker(void *arg)
{
	struct deliver *d = arg;

	for (;;) {
		struct cep_error err;
		struct timespec until;
		int done = 0;

		cep_error_init(&err);
		if (deliver_run_pending(d->s, &done, &err) < 0)
			cep_log(CEP_LOG_ERROR, "deliver: %s", err.message);
		else if (done)
			cep_log(CEP_LOG_DEBUG, "deliver: %d job(s) done", done);
		pthread_mutex_lock(&d->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += IDLE_SECONDS;
		while (!d->stop && !d->kicked)
			if (pthread_cond_timedwait(&d->cv, &d->mu, &until) != 0)
				break;
		d->kicked = 0;
		if (d->stop) {
			pthread_mutex_unlock(&d->mu);
			break;
		}
		pthread_mutex_unlock(&d->mu);
	}
	return NULL;
}

int deliver_start(const char *db_path, struct deliver **ret, struct cep_error *err)
{
	struct deliver *d = cep_calloc(1, sizeof(*d));
	int rc;

	if (!d)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	rc = store_open(db_path, &d->s, err);
	if (rc == 0)
		rc = store_check_version(d->s, err);
	if (rc < 0) {
		store_close(d->s);
		cep_free(d);
		return rc;
	}
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	if (pthread_create(&d->thread, NULL, worker, d) != 0) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		store_close(d->s);
		cep_free(d);
		return cep_error_set(err, CEP_EIO, NULL, "cannot start the delivery worker");
	}
	*ret = d;
	return 0;
}

void deliver_kick(struct deliver *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->kicked = 1;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

void deliver_stop(struct deliver *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = 1;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	store_close(d->s);
	cep_free(d);
}
