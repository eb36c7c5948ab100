/* share.h - the information-sharing system (情報共有体制): IT-failure reports
 * (情報連絡), alerts (情報提供) with their fan-out to one delivery per receiving
 * organisation, the inbox and acknowledgements.
 *
 * Every function takes the acting principal and asks core/policy: single
 * objects through policy_check, lists through policy_clauses turned into the
 * query's WHERE, so lists, totals and searches never see more than the
 * principal may. Reads of reports apply the reporter's scope and TLP; beyond
 * its ministry and NISC the reporter is shown as "a <sector> operator" unless
 * it agreed to be named. Every change is audited in its transaction.
 * Lists return {"items": [...], "total": n, "limit": l, "offset": o}.
 * JSON results belong to the caller (json_decref). Times are RFC 3339. */
#ifndef CEP_SHARE_SHARE_H
#define CEP_SHARE_SHARE_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Caps on what a client controls. */
#define SHARE_TITLE_MAX 200          /* characters */
#define SHARE_TEXT_MAX 20000         /* characters: descriptions, bodies, analyses */
#define SHARE_INDICATORS_MAX 500     /* per report or alert */
#define SHARE_INDICATOR_MAX 2048     /* bytes of one indicator value */
#define SHARE_REFS_MAX 50            /* references of an alert */
#define SHARE_AUDIENCE_MAX 200       /* sector, CEPTOAR and org ids in an audience */
#define SHARE_ATTACHMENT_MAX (10u << 20) /* bytes of one attachment */
#define SHARE_ATTACHMENTS_MAX 20     /* per report */
#define SHARE_ACK_HOURS_MAX (24 * 90)

/* ---- reports (情報連絡) ----
 *
 * Create (operator, for its own org): {"title", "description", "status": "first",
 *   "occurred_at", "detected_at" (RFC 3339), "service_id", "system_id" (the org's own),
 *   "cause_category": "intentional"|"unintentional"|"disaster-illness"|"spillover",
 *   "threat_types": [ids of that category], "service_impact", "verification_breached": bool,
 *   "cause_analysis", "recurrence_prevention",
 *   "indicators": [{"type": "ip"|"domain"|"url"|"hash"|"cve"|"text", "value"}],
 *   "tlp": "CLEAR"|"GREEN"|"AMBER"|"AMBER+STRICT"|"RED" (default AMBER),
 *   "scope": "ministry"|"ceptoar"|"council"|"all" (default ministry),
 *   "show_name": bool (default false), "handling": ["no-copy","no-redistribution","no-export"],
 *   "classification": "none"|"confidential-1"|"confidential-2"|"confidential-3"}.
 * A scope the TLP forbids (RED or AMBER+STRICT beyond the ministry, AMBER to all)
 * is CEP_ESEMANTIC naming "scope". A final report needs cause_analysis and
 * recurrence_prevention. *ret is the report as the creator sees it (201). */
int share_report_create(struct store *s, const struct cep_principal *p, const json_t *in,
			json_t **ret, struct cep_error *err);
/* A new version (the reporter's org only): any member of the create input except
 * that status moves forward only (first -> update -> recovered -> final) and a
 * final report takes no more versions (CEP_EEXIST). Members left out keep their
 * values; "indicators" replaces the list. "version" (the version the client
 * read) is required: a stale one is CEP_EEXIST (409), nothing changes. */
int share_report_update(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err);
/* The current version (version 0) or an earlier one, as p may see it:
 * CEP_ENOTFOUND when absent or not visible to p (one answer for both). */
int share_report_get(struct store *s, const struct cep_principal *p, const char *id,
		     int version, json_t **ret, struct cep_error *err);
/* Filters (each may be NULL): status, sector, cause (category), tlp (label),
 * org (id or code; only what p may see of it), q (text in title, description,
 * indicators; 1 to 200 characters, Japanese 2-character words included). */
struct share_report_filter {
	const char *status, *sector, *cause, *tlp, *org, *q;
	const char *incident; /* linked to this incident */
};
int share_reports(struct store *s, const struct cep_principal *p,
		  const struct share_report_filter *f, const struct cep_page *page, json_t **ret,
		  struct cep_error *err);
/* Attachments: add (the reporter's org; at most SHARE_ATTACHMENTS_MAX of at most
 * SHARE_ATTACHMENT_MAX bytes each; name 1..200 characters) and fetch (whoever
 * may read the report). *ret describes the attachment (id, name, size, sha256). */
int share_attachment_add(struct store *s, const struct cep_principal *p, const char *report_id,
			 const char *name, const char *content_type, const void *data, size_t len,
			 json_t **ret, struct cep_error *err);
/* *ret_data (caller frees with cep_free) and *ret_meta. */
int share_attachment_get(struct store *s, const struct cep_principal *p, const char *report_id,
			 const char *attachment_id, void **ret_data, size_t *ret_len,
			 json_t **ret_meta, struct cep_error *err);

/* ---- alerts (情報提供) ----
 *
 * Create (NISC, ministry, agency, CEPTOAR secretariat): {"severity":
 *   "info"|"low"|"medium"|"high"|"critical", "title_ja", "title_en", "body_ja", "body_en",
 *   "actions", "references": [URLs], "indicators": [...as reports],
 *   "audience": {"all": true} | {"sectors": [...], "ceptoars": [...], "orgs": [...]},
 *   "tlp" (default AMBER), "handling", "classification",
 *   "ack_deadline": RFC 3339 | "ack_within_hours": 1..SHARE_ACK_HOURS_MAX}.
 * A CEPTOAR secretariat's audience must lie within its sector; a RED alert
 * goes to named orgs only (CEP_ESEMANTIC naming "audience"). The alert is
 * stored with a fan-out job in the outbox and returned at once with
 * "fanout": "pending"; share_fanout_pending does the fan-out. */
int share_alert_create(struct store *s, const struct cep_principal *p, const json_t *in,
		       json_t **ret, struct cep_error *err);
/* Who an alert with this audience and TLP would reach, before it is sent:
 * in is an alert draft (only "audience" and "tlp" are read; the audience is
 * checked as share_alert_create checks it). *ret: {"recipients": N,
 * "per_ceptoar": [{"ceptoar" (null: in no CEPTOAR), "name_ja", "name_en",
 * "recipients"}]}. Nothing is stored. Same errors as share_alert_create. */
int share_alert_preview(struct store *s, const struct cep_principal *p, const json_t *in,
			json_t **ret, struct cep_error *err);
/* Alerts p may read (sent by its org, received by its org, or all for NISC),
 * newest first. Filters may be NULL: severity, q (title/body text). */
int share_alerts(struct store *s, const struct cep_principal *p, const char *severity,
		 const char *q, const struct cep_page *page, json_t **ret, struct cep_error *err);
int share_alert_get(struct store *s, const struct cep_principal *p, const char *id, json_t **ret,
		    struct cep_error *err);
/* For the sender (its org), NISC, and the secretariats of the CEPTOARs
 * involved (their members only): {"alert", "fanout", "recipients", "counts":
 * {"sent","opened","acked","escalated"}, "per_ceptoar": [{"ceptoar", "recipients",
 * "opened", "acked"}], "items": [per-org delivery state], "total", "limit",
 * "offset"}. state filters items: "unacked", "acked", "escalated" (NULL: all). */
int share_alert_deliveries(struct store *s, const struct cep_principal *p, const char *id,
			   const char *state, const struct cep_page *page, json_t **ret,
			   struct cep_error *err);

/* ---- inbox ----
 *
 * The deliveries to p's org, newest first, each with its alert (title,
 * severity, TLP, deadline, body) and state. Filters: state ("unacked",
 * "acked"), q. */
int share_inbox(struct store *s, const struct cep_principal *p, const char *state, const char *q,
		const struct cep_page *page, json_t **ret, struct cep_error *err);
/* Mark a delivery to p's org opened (first time only) and return it with its alert. */
int share_delivery_open(struct store *s, const struct cep_principal *p, int64_t delivery_id,
			json_t **ret, struct cep_error *err);
/* Acknowledge a delivery to p's org (records who and when; a second
 * acknowledgement changes nothing and answers the first one). Someone else's
 * delivery is CEP_ENOTFOUND. */
int share_delivery_ack(struct store *s, const struct cep_principal *p, int64_t delivery_id,
		       json_t **ret, struct cep_error *err);

/* ---- signed alerts ----
 *
 * Every alert is signed at creation with the installation's Ed25519 key over
 * its canonical form (share_alert_canonical: the content members, compact
 * JSON, sorted keys, ASCII-escaped); alerts carry "signature": {"alg",
 * "key_id", "value"}. The public keys are readable by every user. */
/* Caller frees with cep_free; NULL on ENOMEM. */
char *share_alert_canonical(const json_t *alert);
/* {"items": [{"id", "alg", "public_key", "created_at", "retired_at"}], "total"}. */
int share_keys(struct store *s, const struct cep_principal *p, json_t **ret, struct cep_error *err);
/* 0 when alert's signature is public_key's (hex) over its canonical form;
 * CEP_ETAMPER when not; CEP_EINVAL when it carries none. */
int share_alert_verify(const json_t *alert, const char *public_key, struct cep_error *err);
/* The same with the key named by the alert's signature, from the store. */
int share_alert_verify_stored(struct store *s, const json_t *alert, struct cep_error *err);

/* An e-mail of an alert whose body is not withheld ends in a signature block:
 * the signed members and "signature" of the alert as compact JSON, in base64
 * between these two lines. */
#define SHARE_MAIL_SIG_BEGIN "-----BEGIN CEPTOAR SIGNED ALERT-----"
#define SHARE_MAIL_SIG_END "-----END CEPTOAR SIGNED ALERT-----"
/* The signed part of an exported alert: its signed members and "signature".
 * New reference (caller owns); NULL on ENOMEM. */
json_t *share_alert_signed_part(const json_t *alert);
/* The alert of an e-mail's signature block, for share_alert_verify*: mail is
 * the message as saved (RFC 5322 with a base64 or 8bit text body) or its text
 * as copied. *ret (caller owns) is the block's alert. CEP_EINVAL (field
 * "signature") when the mail has no block, CEP_EPARSE when the block is not
 * base64 JSON, CEP_ETAMPER when the mail's text does not show the signed
 * title (a genuine block under someone else's words), CEP_ENOMEM. */
int share_alert_from_mail(const char *mail, size_t len, json_t **ret, struct cep_error *err);

/* ---- common threats (共通脅威) ----
 *
 * Identical indicators (type and normal form) seen in reports of two or more
 * sectors, over the reports p may read: NISC sees all with report ids; a
 * council secretariat sees what the council may read, without report ids
 * (sectors and counts only). A value seen in more than max_records reports
 * (2..SHARE_CORRELATION_MAX) stops correlating; excluded values never do.
 * Items: {"type", "value", "reports", "sector_count", "sectors", "report_ids"
 * (NISC), "first_seen_at", "last_seen_at"}. */
#define SHARE_CORRELATION_MAX 10000
#define SHARE_CORRELATION_DEFAULT 50
int share_correlations(struct store *s, const struct cep_principal *p, int max_records,
		       const struct cep_page *page, json_t **ret, struct cep_error *err);
/* Exclude a value from correlation (NISC): {"type", "value", "reason"}. */
int share_correlation_exclude(struct store *s, const struct cep_principal *p, const json_t *in,
			      struct cep_error *err);
int share_correlation_exclusions(struct store *s, const struct cep_principal *p,
				 const struct cep_page *page, json_t **ret, struct cep_error *err);

/* ---- the CEPTOAR Council space (セプターカウンシル) ----
 *
 * Secretariats of council-member CEPTOARs post items and replies; the
 * council is independent of government: NISC and ministries read only items
 * the council shared with them ("shared_with_government": true, settable by
 * the poster). Post: {"title" (items; replies have none), "body", "tlp"
 * (default AMBER; not RED), "shared_with_government"}; reply: same with
 * parent_id. Items list newest first with their reply counts. */
int share_council_post(struct store *s, const struct cep_principal *p, const char *parent_id,
		       const json_t *in, json_t **ret, struct cep_error *err);
int share_council_items(struct store *s, const struct cep_principal *p,
			const struct cep_page *page, json_t **ret, struct cep_error *err);
/* One item with its replies. CEP_ENOTFOUND when absent or not visible. */
int share_council_item(struct store *s, const struct cep_principal *p, const char *id,
		       json_t **ret, struct cep_error *err);

/* ---- large-scale incidents (平時と異なる体制) ----
 *
 * NISC declares an incident {"title", "description", "ack_hours" (1..72,
 * default 2: the acknowledgement deadline of alerts linked to it),
 * "sitrep_minutes" (10..1440, default 60)}; reports and alerts are linked to
 * it (share_incident_link); a situation report per sector (who reported —
 * as each reader may see it —, report states, affected services) is compiled
 * on demand and kept; closing returns to normal mode. Every user reads. */
int share_incident_declare(struct store *s, const struct cep_principal *p, const json_t *in,
			   json_t **ret, struct cep_error *err);
int share_incident_close(struct store *s, const struct cep_principal *p, const char *id,
			 json_t **ret, struct cep_error *err);
int share_incidents(struct store *s, const struct cep_principal *p, const char *state,
		    const struct cep_page *page, json_t **ret, struct cep_error *err);
int share_incident_get(struct store *s, const struct cep_principal *p, const char *id,
		       json_t **ret, struct cep_error *err);
/* Link a report or an alert ({"report": id} or {"alert": id}) to an open
 * incident (NISC). A linked alert without a deadline gets now + ack_hours. */
int share_incident_link(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, struct cep_error *err);
/* The situation report for p: per sector, the reports linked to the
 * incident that p may read (state, TLP, verification breached, reporter as p
 * may see it), and the alerts' acknowledgement counts. Kept as a sitrep when
 * p is NISC (keep != 0). */
int share_incident_sitrep(struct store *s, const struct cep_principal *p, const char *id,
			  int keep, json_t **ret, struct cep_error *err);
/* The scheduled situation reports: for every open incident whose last kept
 * sitrep (or declaration) is sitrep_minutes old at now, compile and keep one
 * (NISC's full view). The delivery worker calls it on every pass.
 * *ret_done (may be NULL) counts sitreps kept. */
int share_sitreps_due(struct store *s, int64_t now, int *ret_done, struct cep_error *err);

/* ---- exercises (訓練) ----
 *
 * A principal acting in an exercise (p->exercise_id, set by the exercise
 * service) makes reports, alerts, acknowledgements and council posts with the
 * functions above; they are stored in the exercise's world and invisible in
 * every other (lists, searches, counts, correlations, incidents, sends are
 * marked). Delete every object of an exercise's world, inside the caller's
 * transaction (the exercise service deletes the exercise in the same one).
 * CEP_EINVAL for an empty id: the real world is never deleted. */
int share_world_delete(struct store *s, const char *exercise_id);

/* ---- work off the request thread ----
 *
 * Run up to max pending fan-out jobs of the outbox, each in its own
 * transaction: resolve the audience to orgs and insert one delivery per org
 * (web inbox), mark the alert "done". Safe to run from several processes:
 * a job is taken inside the transaction that does it. *ret_done (may be NULL)
 * counts jobs done. */
int share_fanout_pending(struct store *s, int max, int *ret_done, struct cep_error *err);

/* ==== delivery channels (contacts.c, sends.c) ==========================
 *
 * Besides the web inbox, a delivery reaches its organisation through the
 * org's contacts: "email" (an address), "webhook" (an http(s) URL; the body
 * is signed with the contact's secret), "phone" and "fax" (numbers, used by
 * hand: a CEPTOAR secretariat logs each such delivery). At fan-out one send
 * per delivery and active e-mail/webhook contact is queued (reason "alert");
 * the delivery worker (deliver/) takes them with share_send_claim and records
 * each attempt with share_send_finish, so every send ends "sent" or "failed"
 * and no record is ever deleted. At the alert's ack_deadline an unacknowledged
 * delivery is escalated (share_escalate_due): escalated_at is set, the sends
 * are queued again (reason "escalation") and a notice goes to the sender org
 * and to the secretariat of the delivery's CEPTOAR. */
#define SHARE_EMAIL_MAX 254      /* bytes of an e-mail address (RFC 5321) */
#define SHARE_URL_MAX 2048       /* bytes of a webhook URL */
#define SHARE_PHONE_MAX 32       /* bytes of a phone/FAX number */
#define SHARE_SECRET_MIN 16      /* bytes of a webhook secret given by a client */
#define SHARE_SECRET_MAX 256
#define SHARE_CONTACTS_MAX 20    /* active contacts per organisation */
#define SHARE_NOTE_MAX 2000      /* characters of a manual delivery's note */

/* Check an address for a channel: "email" (one @, no spaces or control
 * characters, nothing SMTP would misread, <= 254 bytes), "webhook" (an
 * http:// or https:// URL with a host, <= 2048 bytes, printable ASCII),
 * "phone"/"fax" (an optional +, digits, '-', ' ', parentheses). Returns 0 or
 * CEP_EINVAL/CEP_ETOOBIG naming field "address" (or "channel"). */
int share_contact_address_check(const char *channel, const char *address, struct cep_error *err);
/* The active contacts of org (id or code), for admin, the org's own users and
 * NISC: {"items": [{"id","org","channel","address","label","active",
 * "secret_set","secret_hint","created_by","created_at"}], "total"}. The
 * secret is never returned. Another org's contacts: CEP_ENOTFOUND. */
int share_contacts(struct store *s, const struct cep_principal *p, const char *org,
		   json_t **ret, struct cep_error *err);
/* Add a contact to org (admin, or a user of that org): {"channel", "address",
 * "label", "secret" (webhook only; 16..256 printable bytes; generated when
 * absent)}. *ret is the contact; it holds "secret" only when the service
 * generated it (the one time it is shown). Audited. */
int share_contact_add(struct store *s, const struct cep_principal *p, const char *org,
		      const json_t *in, json_t **ret, struct cep_error *err);
/* Deactivate a contact (kept for the send history); its pending sends are
 * marked failed ("the contact was removed"). Audited. */
int share_contact_delete(struct store *s, const struct cep_principal *p, const char *org,
			 const char *contact_id, struct cep_error *err);
/* Log a phone/FAX delivery made by hand: {"channel": "phone"|"fax",
 * "contact": id of a phone/FAX contact of the receiving org (optional),
 * "note"}. For NISC and the secretariat of the delivery's CEPTOAR.
 * *ret is the entry. Audited. */
int share_manual_delivery_log(struct store *s, const struct cep_principal *p, int64_t delivery_id,
			      const json_t *in, json_t **ret, struct cep_error *err);
/* A delivery's channel record for those who track it (the sender, NISC, the
 * secretariat of its CEPTOAR): {"delivery", "sends": [{"id","channel",
 * "address","reason","state","attempts","next_at","last_error","sent_at",
 * "attempt_log": [{"attempt","at","ok","error"}]}], "manual": [...]}. */
int share_delivery_channels(struct store *s, const struct cep_principal *p, int64_t delivery_id,
			    json_t **ret, struct cep_error *err);
/* The notices (escalation flags) of p's org, newest first: {"items": [{"id",
 * "kind","alert","title_ja","title_en","severity","delivery","org",
 * "org_name_ja","org_name_en","ack_deadline","escalated_at","acked_at",
 * "created_at"}], "total","limit","offset"}. */
int share_notices(struct store *s, const struct cep_principal *p, const struct cep_page *page,
		  json_t **ret, struct cep_error *err);

/* For the delivery worker. Take the next due send (pending with next_at <= now,
 * or "sending" whose lease ran out), e-mail ones only when email_ready: mark
 * it "sending" under a lease of lease_s seconds and count the attempt, in one
 * transaction. *ret (caller owns) = {"send_id","delivery_id","attempt",
 * "channel","reason","address","secret","alert","severity","tlp" (rank),
 * "title_ja","title_en","body_ja","body_en","actions","refs" (JSON text),
 * "handling","ack_deadline","created_at","sender","sender_name_ja",
 * "sender_name_en","org_name_ja","signed" (share_alert_signed_part of the
 * alert)} (times as seconds). CEP_ENOTFOUND when nothing is due. */
int share_send_claim(struct store *s, int64_t now, int lease_s, int email_ready, json_t **ret);
/* Record the outcome of attempt `attempt` of a send: error NULL means sent;
 * otherwise retry at retry_at, or (retry_at 0) give up: "failed", with the
 * error kept. Every attempt is kept in send_attempts. Sent and failed are audited. */
int share_send_finish(struct store *s, int64_t send_id, int attempt, const char *error,
		      int64_t retry_at);
/* Escalate up to max deliveries whose alert's ack_deadline is past, not
 * acknowledged nor escalated yet, one transaction each. *ret_done (may be
 * NULL) counts them. */
int share_escalate_due(struct store *s, int64_t now, int max, int *ret_done,
		       struct cep_error *err);

#endif
