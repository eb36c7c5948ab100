/* message.h - inside deliver/ (and its unit test): the settings of the
 * channels, the retry schedule, and what goes on the wire for one claimed
 * send (share_send_claim's JSON): an e-mail (RFC 5322, a UTF-8 text body in
 * base64, an RFC 2047 subject) or a webhook's JSON body; and the two senders
 * over libcurl (channels.c). Not for other modules. */
#ifndef CEP_DELIVER_MESSAGE_H
#define CEP_DELIVER_MESSAGE_H

#include "base/buf.h"
#include "base/err.h"
#include "share/share.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DELIVER_MAX_ATTEMPTS 8      /* then a send is "failed" */
#define DELIVER_BACKOFF_CAP 3600    /* seconds: the longest wait between attempts */
#define DELIVER_RETRY_BASE 30       /* seconds: the first wait (CEPTOAR_RETRY_BASE_SECONDS) */
#define DELIVER_LEASE 120           /* seconds a send stays "sending" before another take */
#define DELIVER_WORD_BYTES 39       /* UTF-8 bytes per encoded word: 12 + 52 = 64 characters */
#define DELIVER_URL_MAX 512
#define DELIVER_ERR_MAX 512

/* Read from the environment by deliver_start (and deliver_run_pending):
 * CEPTOAR_SMTP_URL (smtp:// or smtps://; unset: e-mail sends wait),
 * CEPTOAR_SMTP_FROM (default ceptoar@localhost), CEPTOAR_SMTP_STARTTLS
 * (1/true/yes/on: require STARTTLS), CEPTOAR_BASE_URL (for links; default
 * http://localhost:8080), CEPTOAR_RETRY_BASE_SECONDS (1..3600, default 30). */
struct deliver_settings {
	char smtp_url[DELIVER_URL_MAX]; /* "" when e-mail is not configured */
	char smtp_from[SHARE_EMAIL_MAX + 1];
	bool starttls;
	char base_url[DELIVER_URL_MAX]; /* without a trailing '/' */
	int retry_base;
};

/* The defaults above into *ret. */
void deliver_settings_default(struct deliver_settings *ret);
/* The defaults overridden by the environment. A bad value is logged and its
 * default kept (a bad CEPTOAR_SMTP_URL leaves e-mail unconfigured). */
void deliver_settings_from_env(struct deliver_settings *ret);

/* Seconds to wait after the attempt-th failed attempt (1-based): base * 2^(attempt-1),
 * at most DELIVER_BACKOFF_CAP. */
int64_t deliver_backoff(int attempt, int base);

/* Append text (valid UTF-8) as RFC 2047 encoded words "=?UTF-8?B?...?=",
 * each holding whole characters of at most DELIVER_WORD_BYTES bytes (so each
 * is at most 64 <= 75 characters), separated by "\r\n " (folded header
 * lines). Returns 0, CEP_ENOMEM or CEP_ETOOBIG (the buffer's cap). */
int deliver_rfc2047(const char *text, struct cep_buf *out);
/* Append base64 of data[0..len) (standard alphabet, padded), broken into
 * lines of line_len characters ending in "\r\n" (line_len 0: one line, no
 * line end). Returns as cep_buf_append. */
int deliver_base64(const void *data, size_t len, size_t line_len, struct cep_buf *out);

/* Whether the job's alert body must be withheld (TLP RED, AMBER+STRICT). */
bool deliver_withheld(const json_t *job);
/* The acknowledgement link of the job's delivery: <base_url>/api/v1/deliveries/<id>. */
void deliver_link(const struct deliver_settings *cfg, const json_t *job, char *out, size_t size);
/* The whole e-mail for job at time now (headers, blank line, base64 body).
 * *ret (caller frees with cep_free) and *ret_len. Returns 0 or CEP_ENOMEM. */
int deliver_mail_build(const struct deliver_settings *cfg, const json_t *job, int64_t now,
		       char **ret, size_t *ret_len);
/* The webhook's JSON body for job (compact, sorted keys). *ret (caller frees
 * with cep_free). Returns 0 or CEP_ENOMEM. */
int deliver_webhook_build(const struct deliver_settings *cfg, const json_t *job, int64_t now,
			  char **ret);

/* An RFC 5322 Date of t (UTC) into out. */
void deliver_rfc5322_date(int64_t t, char out[64]);
/* One whole e-mail from cfg's sender to `to` at now: Date, From, To, Subject
 * (subject, RFC 2047), Message-ID <message_id@the sender's domain>, a UTF-8
 * text/plain part in base64, Auto-Submitted, then the extra header lines
 * (each ending in CRLF; "" for none), and text. *ret (caller frees with
 * cep_free) and *ret_len. 0 or CEP_ENOMEM. */
int deliver_mail_assemble(const struct deliver_settings *cfg, const char *to, const char *subject,
			  const char *message_id, const char *extra, const struct cep_buf *text,
			  int64_t now, char **ret, size_t *ret_len);

/* ---- drill_message.c: a claimed drill target (drill_send_claim's JSON) ---- */

/* Its acknowledgement link: <base_url>/#/drill-ack/<token>. */
void deliver_drill_link(const struct deliver_settings *cfg, const json_t *job, char *out,
			size_t size);
/* The whole drill e-mail (subject marked 【セプター訓練】[CEPTOAR DRILL], the
 * message, deadline, link and token). *ret (caller frees with cep_free) and
 * *ret_len. Returns 0 or CEP_ENOMEM. */
int deliver_drill_mail_build(const struct deliver_settings *cfg, const json_t *job, int64_t now,
			     char **ret, size_t *ret_len);
/* The drill webhook's JSON body ("event": "drill", the token, the link and the
 * URL of POST /api/v1/drills/ack). *ret (caller frees with cep_free). Returns 0
 * or CEP_ENOMEM. */
int deliver_drill_webhook_build(const struct deliver_settings *cfg, const json_t *job,
				int64_t now, char **ret);

/* ---- drill_worker.c ---- */

/* The drills' part of a pass: fan-out of new drills, then up to max_sends (< 0:
 * no limit) due drill targets. *ret_done (may be NULL) counts what was done. */
int deliver_drill_step(struct store *s, const struct deliver_settings *cfg,
		       const atomic_int *stop, int max_sends, int *ret_done, struct cep_error *err);

/* ---- channels.c: libcurl ---- */

/* curl_global_init / curl_global_cleanup (reference-counted by libcurl).
 * Returns 0 or CEP_EIO. */
int deliver_curl_init(void);
void deliver_curl_cleanup(void);
/* Send msg[0..len) to one recipient over SMTP (cfg's URL, sender and
 * STARTTLS). stop (may be NULL) aborts a transfer under way when it becomes
 * non-zero. Returns 0 or CEP_EIO with the reason in errmsg; *ret_permanent (may
 * be NULL) is set when the server refused for good (a 5xx answer, e.g. 550 to
 * RCPT: a bounce), cleared otherwise. */
int deliver_smtp_send(const struct deliver_settings *cfg, const char *to, const char *msg,
		      size_t len, const atomic_int *stop, char errmsg[DELIVER_ERR_MAX],
		      bool *ret_permanent);
/* POST body (JSON) to url with X-Ceptoar-Signature: sha256=<hex HMAC-SHA-256
 * of the body under secret>, X-Ceptoar-Event and X-Ceptoar-Delivery. A 2xx
 * answer is success. Returns 0 or CEP_EIO with the reason in errmsg. */
int deliver_webhook_send(const char *url, const char *secret, const char *body, const char *event,
			 int64_t delivery_id, const atomic_int *stop, char errmsg[DELIVER_ERR_MAX]);

#endif
