/* worker.c - the delivery worker thread. Each pass: the fan-out jobs of the
 * outbox, escalation of deliveries past their acknowledgement deadline, then
 * the due e-mail/webhook sends one by one, then the CEPTOAR drills' fan-out
 * and sends (drill_worker.c) (share_send_claim marks a send
 * "sending" under a lease in a transaction before it goes on the wire;
 * share_send_finish records the outcome after). A crash between the two
 * leaves the send "sending" until its lease (DELIVER_LEASE) runs out, then it
 * is sent again: at least once on the wire (unavoidable for SMTP), with a
 * Message-ID stable per send so receivers can drop the repeat; in the store
 * every send ends exactly once as "sent" or "failed". */
#include "deliver/deliver.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"
#include "deliver/message.h"
#include "exercise/exercise.h"
#include "share/share.h"
#include "survey/survey.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define BATCH 16          /* fan-out jobs and escalations per step */
#define SENDS_PER_PASS 32 /* sends per pass of the thread, so fan-out keeps its pace */
#define IDLE_SECONDS 1    /* poll interval when nobody kicks */

struct deliver {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int kicked;
	atomic_int stop;
	struct deliver_settings cfg;
	struct store *s; /* owned; used by the thread only */
};

/* Put one claimed send on the wire and record its outcome. */
static void send_one(struct store *s, const struct deliver_settings *cfg, json_t *job,
		     const atomic_int *stop)
{
	const char *channel = json_string_value(json_object_get(job, "channel"));
	const char *address = json_string_value(json_object_get(job, "address"));
	const char *secret = json_string_value(json_object_get(job, "secret"));
	const char *reason = json_string_value(json_object_get(job, "reason"));
	int64_t id = json_integer_value(json_object_get(job, "send_id"));
	int64_t delivery = json_integer_value(json_object_get(job, "delivery_id"));
	int attempt = (int)json_integer_value(json_object_get(job, "attempt"));
	char errmsg[DELIVER_ERR_MAX] = "", *body = NULL;
	int64_t now = cep_now(), retry_at = 0;
	size_t len = 0;
	int rc;

	if (channel && !strcmp(channel, "email")) {
		rc = deliver_mail_build(cfg, job, now, &body, &len);
		if (rc == 0)
			rc = deliver_smtp_send(cfg, address ? address : "", body, len, stop, errmsg,
					       NULL);
	} else {
		rc = deliver_webhook_build(cfg, job, now, &body);
		if (rc == 0)
			rc = deliver_webhook_send(address ? address : "", secret ? secret : "", body,
						  reason && !strcmp(reason, "escalation") ? "escalation"
											   : "alert",
						  delivery, stop, errmsg);
	}
	if (rc < 0 && !errmsg[0])
		snprintf(errmsg, sizeof(errmsg), "%s: cannot build the message: %s",
			 channel ? channel : "?", cep_err_text(rc));
	if (rc < 0 && stop && atomic_load(stop))
		retry_at = now; /* cut short by the stop: take it up again at the next start */
	else if (rc < 0 && attempt < DELIVER_MAX_ATTEMPTS)
		retry_at = now + deliver_backoff(attempt, cfg->retry_base);
	if (rc == 0)
		cep_log(CEP_LOG_INFO, "deliver: send %lld (%s, delivery %lld) sent to %s", (long long)id,
			channel, (long long)delivery, address);
	else if (retry_at)
		cep_log(CEP_LOG_WARN, "deliver: send %lld attempt %d failed (%s); retry in %lld s",
			(long long)id, attempt, errmsg, (long long)(retry_at - now));
	else
		cep_log(CEP_LOG_ERROR, "deliver: send %lld failed after %d attempts: %s", (long long)id,
			attempt, errmsg);
	/* when this cannot be recorded, the lease runs out and the send is taken again */
	rc = share_send_finish(s, id, attempt, rc == 0 ? NULL : errmsg, retry_at);
	if (rc < 0)
		cep_log(CEP_LOG_ERROR, "deliver: cannot record send %lld: %s", (long long)id,
			cep_err_text(rc));
	cep_free(body);
}

/* One pass; stop (may be NULL) ends it early. max_sends < 0: no limit. */
static int pass(struct store *s, const struct deliver_settings *cfg, const atomic_int *stop,
		int max_sends, int *ret_done, int64_t *ret_next_ms,
		struct cep_error *err)
{
	int total = 0, done, rc;

	/* injects of running exercises due by now: alerts of their worlds,
	 * fanned out just below */
	rc = exercise_deliver_due(s, cep_now_ms(), &done, ret_next_ms, err);
	total += done;
	if (rc == 0) { /* reminders of penetration surveys whose deadline nears */
		done = 0;
		rc = survey_remind_due(s, cep_now(), &done, err);
		total += done;
	}
	do {
		done = 0;
		if (rc == 0)
			rc = share_fanout_pending(s, BATCH, &done, err);
		total += done;
	} while (rc == 0 && done == BATCH && !(stop && atomic_load(stop)));
	do {
		done = 0;
		if (rc == 0)
			rc = share_escalate_due(s, cep_now(), BATCH, &done, err);
		total += done;
	} while (rc == 0 && done == BATCH && !(stop && atomic_load(stop)));
	if (rc == 0) { /* situation reports of declared incidents, on their schedule */
		done = 0;
		rc = share_sitreps_due(s, cep_now(), &done, err);
		total += done;
	}
	for (int n = 0; rc == 0 && (max_sends < 0 || n < max_sends); n++) {
		json_t *job = NULL;
		int c;

		if (stop && atomic_load(stop))
			break; /* no send starts after deliver_stop */
		c = share_send_claim(s, cep_now(), DELIVER_LEASE, cfg->smtp_url[0] != '\0', &job);
		if (c == CEP_ENOTFOUND)
			break;
		if (c < 0) {
			rc = cep_error_set(err, c, NULL, "cannot take a send: %s", cep_err_text(c));
			break;
		}
		send_one(s, cfg, job, stop);
		json_decref(job);
		total++;
	}
	if (rc == 0) { /* CEPTOAR drills: their fan-out and sends (drill_worker.c) */
		done = 0;
		rc = deliver_drill_step(s, cfg, stop, max_sends, &done, err);
		total += done;
	}
	if (rc == 0 && ret_done)
		*ret_done = total;
	return rc;
}

int deliver_run_pending(struct store *s, int *ret_done, struct cep_error *err)
{
	struct deliver_settings cfg;
	int rc;

	deliver_settings_from_env(&cfg);
	if (deliver_curl_init() < 0)
		return cep_error_set(err, CEP_EIO, NULL, "cannot initialise libcurl");
	rc = pass(s, &cfg, NULL, -1, ret_done, NULL, err);
	deliver_curl_cleanup();
	return rc;
}

static void *worker(void *arg)
{
	struct deliver *d = arg;

	for (;;) {
		struct cep_error err;
		struct timespec until;
		int64_t next_ms = 0;
		int done = 0;

		cep_error_init(&err);
		if (pass(d->s, &d->cfg, &d->stop, SENDS_PER_PASS, &done, &next_ms, &err) < 0)
			cep_log(CEP_LOG_ERROR, "deliver: %s", err.message);
		else if (done)
			cep_log(CEP_LOG_DEBUG, "deliver: %d job(s) done", done);
		pthread_mutex_lock(&d->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += IDLE_SECONDS;
		/* an exercise's next inject sooner than that: wake for it */
		if (next_ms > 0 && next_ms < (int64_t)until.tv_sec * 1000 + until.tv_nsec / 1000000) {
			int64_t at = next_ms > cep_now_ms() ? next_ms : cep_now_ms();

			until.tv_sec = (time_t)(at / 1000);
			until.tv_nsec = (long)(at % 1000) * 1000000;
		}
		/* a pass that used up its sends goes on at once */
		while (!atomic_load(&d->stop) && !d->kicked && done < SENDS_PER_PASS)
			if (pthread_cond_timedwait(&d->cv, &d->mu, &until) != 0)
				break;
		d->kicked = 0;
		if (atomic_load(&d->stop)) {
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
	atomic_init(&d->stop, 0);
	deliver_settings_from_env(&d->cfg);
	if (deliver_curl_init() < 0) {
		cep_free(d);
		return cep_error_set(err, CEP_EIO, NULL, "cannot initialise libcurl");
	}
	rc = store_open(db_path, &d->s, err);
	if (rc == 0)
		rc = store_check_version(d->s, err);
	if (rc < 0) {
		store_close(d->s);
		deliver_curl_cleanup();
		cep_free(d);
		return rc;
	}
	if (!d->cfg.smtp_url[0])
		cep_log(CEP_LOG_INFO, "deliver: CEPTOAR_SMTP_URL is not set: e-mail sends wait, "
				      "pending, until it is");
	else
		cep_log(CEP_LOG_INFO, "deliver: e-mail through %s%s from %s; links to %s",
			d->cfg.smtp_url, d->cfg.starttls ? " (STARTTLS required)" : "",
			d->cfg.smtp_from, d->cfg.base_url);
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	if (pthread_create(&d->thread, NULL, worker, d) != 0) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		store_close(d->s);
		deliver_curl_cleanup();
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
	atomic_store(&d->stop, 1);
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	store_close(d->s);
	deliver_curl_cleanup();
	cep_free(d);
}
