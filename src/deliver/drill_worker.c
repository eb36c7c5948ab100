/* drill_worker.c - the drills' part of each pass of the delivery worker: the
 * fan-out of drills just started, then their due e-mail/webhook targets one by
 * one, as the alerts' sends are done (drill_send_claim marks a target
 * "sending" under a lease before it goes on the wire; drill_send_finish
 * records the outcome). An SMTP 5xx answer is a bounce: no retry. */
#include "deliver/message.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"
#include "drill/drill.h"

#include <string.h>

#define FANOUT_BATCH 4 /* drills fanned out per pass */

static void drill_send_one(struct store *s, const struct deliver_settings *cfg, json_t *job,
			   const atomic_int *stop)
{
	const char *channel = json_string_value(json_object_get(job, "channel"));
	const char *address = json_string_value(json_object_get(job, "address"));
	const char *secret = json_string_value(json_object_get(job, "secret"));
	int64_t id = json_integer_value(json_object_get(job, "target_id"));
	int attempt = (int)json_integer_value(json_object_get(job, "attempt"));
	char errmsg[DELIVER_ERR_MAX] = "", *body = NULL;
	int64_t now = cep_now(), retry_at = 0;
	bool bounced = false;
	size_t len = 0;
	int rc;

	if (channel && !strcmp(channel, "email")) {
		rc = deliver_drill_mail_build(cfg, job, now, &body, &len);
		if (rc == 0)
			rc = deliver_smtp_send(cfg, address ? address : "", body, len, stop, errmsg,
					       &bounced);
	} else {
		rc = deliver_drill_webhook_build(cfg, job, now, &body);
		if (rc == 0)
			rc = deliver_webhook_send(address ? address : "", secret ? secret : "", body,
						  "drill", id, stop, errmsg);
	}
	if (rc < 0 && !errmsg[0])
		snprintf(errmsg, sizeof(errmsg), "%s: cannot build the message: %s",
			 channel ? channel : "?", cep_err_text(rc));
	if (rc < 0 && stop && atomic_load(stop))
		retry_at = now; /* cut short by the stop: take it up again at the next start */
	else if (rc < 0 && !bounced && attempt < DELIVER_MAX_ATTEMPTS)
		retry_at = now + deliver_backoff(attempt, cfg->retry_base);
	if (rc == 0)
		cep_log(CEP_LOG_INFO, "deliver: drill target %lld (%s) sent to %s", (long long)id,
			channel, address);
	else if (bounced)
		cep_log(CEP_LOG_WARN, "deliver: drill target %lld bounced: %s", (long long)id, errmsg);
	else
		cep_log(CEP_LOG_WARN, "deliver: drill target %lld attempt %d failed (%s)%s",
			(long long)id, attempt, errmsg, retry_at ? "; will retry" : "");
	rc = drill_send_finish(s, id, attempt, rc == 0 ? NULL : errmsg, rc < 0 && bounced, retry_at);
	if (rc < 0)
		cep_log(CEP_LOG_ERROR, "deliver: cannot record drill target %lld: %s", (long long)id,
			cep_err_text(rc));
	cep_free(body);
}

int deliver_drill_step(struct store *s, const struct deliver_settings *cfg,
		       const atomic_int *stop, int max_sends, int *ret_done, struct cep_error *err)
{
	int total = 0, done = 0, rc;

	do {
		done = 0;
		rc = drill_fanout_pending(s, FANOUT_BATCH, &done, err);
		total += done;
	} while (rc == 0 && done == FANOUT_BATCH && !(stop && atomic_load(stop)));
	for (int n = 0; rc == 0 && (max_sends < 0 || n < max_sends); n++) {
		json_t *job = NULL;
		int c;

		if (stop && atomic_load(stop))
			break; /* no send starts after deliver_stop */
		c = drill_send_claim(s, cep_now(), DELIVER_LEASE, cfg->smtp_url[0] != '\0', &job);
		if (c == CEP_ENOTFOUND)
			break;
		if (c < 0) {
			rc = cep_error_set(err, c, NULL, "cannot take a drill send: %s", cep_err_text(c));
			break;
		}
		drill_send_one(s, cfg, job, stop);
		json_decref(job);
		total++;
	}
	if (rc == 0 && ret_done)
		*ret_done = total;
	return rc;
}
