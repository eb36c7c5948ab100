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

/* ---- work off the request thread ----
 *
 * Run up to max pending fan-out jobs of the outbox, each in its own
 * transaction: resolve the audience to orgs and insert one delivery per org
 * (web inbox), mark the alert "done". Safe to run from several processes:
 * a job is taken inside the transaction that does it. *ret_done (may be NULL)
 * counts jobs done. */
int share_fanout_pending(struct store *s, int max, int *ret_done, struct cep_error *err);

#endif
