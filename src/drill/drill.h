/* drill.h - CEPTOAR drills (セプター訓練): a secretariat (or NISC, for one CEPTOAR
 * or all of them) sends a test message to every member organisation over each
 * of its channels and measures who was reached and who acknowledged by the
 * deadline.
 *
 * A drill has one target per member organisation and channel: the web inbox
 * (always; the org's users acknowledge it signed in) and each active e-mail or
 * webhook contact of the org (the message carries its own acknowledgement
 * token; anyone holding it acknowledges without an account); and, when the
 * drill asks for them ("manual"), each active phone or FAX contact, called or
 * faxed by the secretariat, who records the outcome (drill_record).
 *
 * Start writes the drill only; the fan-out to targets is done off the request
 * thread by the delivery worker (drill_fanout_pending; "fanout": "pending" then
 * "done"), and the worker takes each e-mail/webhook target like an alert's send
 * (drill_send_claim under a lease, drill_send_finish with the outcome; an SMTP
 * 5xx answer makes it "bounced"). Tokens are stored only as their SHA-256.
 *
 * Nothing of a drill is written to or read from the sharing system's tables
 * (alerts, deliveries, sends, reports, indicators, the outbox): a drill cannot
 * show up in alerts, inboxes of alerts, reports, correlations or exports.
 *
 * Every function takes the acting principal and asks core/policy
 * (CEP_ACT_DRILL_RUN, _READ, _ACK); lists are filtered in the query. Changes are
 * audited in their transaction. JSON results belong to the caller (json_decref);
 * times are RFC 3339. */
#ifndef CEP_DRILL_DRILL_H
#define CEP_DRILL_DRILL_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Caps on what a client controls. */
#define DRILL_TITLE_MAX 200          /* characters */
#define DRILL_MESSAGE_MAX 2000       /* characters of each message text */
#define DRILL_DEADLINE_MAX_MINUTES (60 * 24 * 30) /* a deadline at most 30 days ahead */
#define DRILL_TOKEN_MAX 128          /* bytes of a token as sent to POST /drills/ack */
#define DRILL_HISTORY_MAX 200        /* drills in one history answer (the newest) */
#define DRILL_TOKEN_BYTES 24         /* random bytes of a token (32 characters) */
#define DRILL_NOTE_MAX 2000          /* characters of a recorded outcome's note */

/* Start a drill: {"ceptoar": id (omitted or null: the members of every CEPTOAR,
 * NISC only), "title", "message_ja", "message_en", "deadline": RFC 3339 |
 * "deadline_minutes": 1..DRILL_DEADLINE_MAX_MINUTES, "manual": ["phone",
 * "fax"] (optional: the channels also drilled by hand)}. A secretariat may drill
 * only its own CEPTOAR (CEP_EPERM); an unknown CEPTOAR is CEP_ESEMANTIC naming
 * "ceptoar"; a deadline in the past CEP_ESEMANTIC naming "deadline". *ret is
 * the drill with its figures ("fanout": "pending"). */
int drill_start(struct store *s, const struct cep_principal *p, const json_t *in, json_t **ret,
		struct cep_error *err);
/* One drill with its live figures (see docs/drills.md): CEP_ENOTFOUND when absent
 * or not visible to p. */
int drill_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
	      struct cep_error *err);
/* The drills p may read, newest first, each with its member figures. ceptoar
 * (may be NULL) filters: a CEPTOAR id, or "all" for drills of every CEPTOAR. */
int drill_list(struct store *s, const struct cep_principal *p, const char *ceptoar,
	       const struct cep_page *page, json_t **ret, struct cep_error *err);
/* One drill's results per member org, a page ordered by name, each with its
 * channels: {"drill", "items": [{"org","org_code","org_name_ja","org_name_en",
 * "result": "on_time"|"late"|"never"|"pending","reached","acked_at","acked_via",
 * "bounced","channels":[{"channel","address","state","reached_at","acked_at",
 * "acked_via","attempts","last_error"}]}], "total","limit","offset"}. result
 * (may be NULL) filters by result, or "bounced". */
int drill_members(struct store *s, const struct cep_principal *p, const char *id,
		  const char *result, const struct cep_page *page, json_t **ret,
		  struct cep_error *err);
/* The phone and FAX targets of drill id not acknowledged yet — what the
 * secretariat calls or faxes and records (drill_record) — a page ordered by
 * member name, phone before FAX: {"drill", "items": [{"target","channel",
 * "address","state","reached_at","acked_at","acked_via","attempts",
 * "last_error","note","org","org_code","org_name_ja","org_name_en"}],
 * "total","limit","offset"}. For those who may read the drill (a hidden one is
 * CEP_ENOTFOUND). */
int drill_calls(struct store *s, const struct cep_principal *p, const char *id,
		const struct cep_page *page, json_t **ret, struct cep_error *err);
/* The same for every member, as CSV (one row per member; *ret caller frees with
 * cep_free, *ret_len its bytes). */
int drill_members_csv(struct store *s, const struct cep_principal *p, const char *id,
		      char **ret, size_t *ret_len, struct cep_error *err);
/* The figures of the drills of one CEPTOAR ("all": drills of every CEPTOAR) that
 * p may read, oldest first (the newest DRILL_HISTORY_MAX): {"ceptoar",
 * "items": [{"id","title","created_at","deadline","members","rates"...}]}.
 * ceptoar is required (CEP_EINVAL naming "ceptoar"). */
int drill_history(struct store *s, const struct cep_principal *p, const char *ceptoar,
		  json_t **ret, struct cep_error *err);

/* The drill messages of p's org's inbox, newest first; state (may be NULL):
 * "pending" (not acknowledged) or "acked". */
int drill_inbox(struct store *s, const struct cep_principal *p, const char *state,
		const struct cep_page *page, json_t **ret, struct cep_error *err);
/* Acknowledge drill id in p's org's inbox. A second acknowledgement changes
 * nothing and answers the first. *ret is the inbox item. CEP_ENOTFOUND when p's
 * org is not a target of the drill. */
int drill_ack_inbox(struct store *s, const struct cep_principal *p, const char *id,
		    json_t **ret, struct cep_error *err);
/* Acknowledge with a message's token (no account): {"token": "..."}. Unknown
 * token: CEP_ENOTFOUND. A second acknowledgement changes nothing. *ret =
 * {"drill","title","org_name_ja","org_name_en","channel","acked_at","on_time",
 * "already"}. */
int drill_ack_token(struct store *s, const json_t *in, json_t **ret, struct cep_error *err);

/* Record by hand the outcome of a phone or FAX target (an id of
 * drill_members' channels) of drill id: {"outcome": "acked" | "reached" |
 * "unreachable", "at": RFC 3339 (optional: when it happened, from the drill's
 * start to now; default now), "note" (optional, DRILL_NOTE_MAX)}. By those who
 * run the drill (CEP_EPERM; a drill p may not read is CEP_ENOTFOUND, as an
 * unknown target). Another channel's target is CEP_ESEMANTIC naming
 * "target"; "unreachable" after an acknowledgement CEP_EEXIST. Once the
 * target is acknowledged, a record changes nothing ("already": true). *ret is
 * the target:
 * {"id","org","channel","address","state","reached_at","acked_at","acked_via",
 * "acked_by","attempts","note","last_error","on_time","already"}. */
int drill_record(struct store *s, const struct cep_principal *p, const char *id,
		 const char *target_id, const json_t *in, json_t **ret, struct cep_error *err);

/* ---- the delivery worker's side (deliver/), as the system ---- */

/* Fan out up to max drills whose fan-out is pending: one target per member org
 * and channel, in one transaction per drill. *ret_done (may be NULL) counts them. */
int drill_fanout_pending(struct store *s, int max, int *ret_done, struct cep_error *err);
/* Take one due e-mail/webhook target (pending and due, or "sending" with its
 * lease run out) and mark it "sending" until now + lease_s; email_ready 0 leaves
 * e-mail targets waiting. A fresh token is made for this attempt (its hash kept;
 * the earlier ones stay valid). *ret = {"target_id","attempt","channel",
 * "address","secret","token","drill","title","message_ja","message_en",
 * "deadline_at","org_name_ja","org_name_en","sender_name_ja","sender_name_en",
 * "ceptoar","ceptoar_name_ja","ceptoar_name_en"} (caller owns). CEP_ENOTFOUND
 * when nothing is due. */
int drill_send_claim(struct store *s, int64_t now, int lease_s, int email_ready, json_t **ret);
/* Outcome of one attempt: error NULL when it went out ("sent", reached); else
 * retry_at > 0 puts it back "pending" until then, 0 ends it "failed", and
 * bounced ends it "bounced" (the address was refused for good). */
int drill_send_finish(struct store *s, int64_t target_id, int attempt, const char *error,
		      int bounced, int64_t retry_at);

#endif
