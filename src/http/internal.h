/* internal.h - shared by the files of src/http/; nothing outside the folder includes it.
 *
 * The life of one request (server.c):
 *   1. headers received: route it (router.c), authenticate (auth.c), check the
 *      Content-Type and the declared length against the route's cap (body.c);
 *      any failure is answered at once, without reading the body;
 *   2. body chunks: appended to r->body up to r->cap; past the cap -> 413;
 *   3. body complete: decode JSON (body.c), borrow a store handle, run the route's
 *      handler (handlers_*.c), give the handle back, queue the response (respond.c);
 *   4. completed: log one line, free the request. */
#ifndef CEP_HTTP_INTERNAL_H
#define CEP_HTTP_INTERNAL_H

#include "http/http.h"

#include "base/buf.h"
#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define HTTP_MAX_PARAMS 2     /* {param} segments in one route pattern */
#define HTTP_PARAM_MAX 200    /* bytes of one path parameter; longer -> 404 */
#define HTTP_MAX_SEGMENTS 8   /* path segments; more -> 404 */
#define HTTP_QUERY_MAX 1000   /* bytes of one query-string filter value */
#define HTTP_LOG_PATH_MAX 160 /* bytes of the path written to the log */
#define HTTP_ALLOW_MAX 64     /* the Allow header of a 405 */

#define HTTP_SESSION_COOKIE "ceptoar_session"
#define HTTP_CSRF_HEADER "X-CSRF-Token"
#define HTTP_EXERCISE_HEADER "X-Ceptoar-Exercise" /* act inside this exercise's world */

/* The Content-Security-Policy of every response: the web UI's scripts, styles,
 * images and requests come from this server only, and nothing inline runs. */
#define HTTP_CSP                                                                            \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " \
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "            \
	"form-action 'self'; frame-ancestors 'none'"

struct deliver; /* deliver/deliver.h: the delivery worker */
struct jobs_worker; /* jobs/jobs.h: the analysis worker */

/* The running server: one per http_serve call, shared read-only by the worker threads
 * (the pool does its own locking; the delivery worker does its own). */
struct http_server {
	struct MHD_Daemon *daemon;
	struct store_pool *pool;
	struct deliver *deliver; /* the delivery worker (owned by http_serve); kicked by handlers */
	struct jobs_worker *jobs; /* the analysis worker (owned by http_serve); kicked by handlers */
	size_t max_body; /* JSON body cap */
	/* TLS seam: MHD serves plain HTTP for now. When TLS is added (MHD_USE_TLS with
	 * MHD_OPTION_HTTPS_MEM_KEY/CERT), set this and cookies gain "; Secure". */
	bool tls;
	atomic_int inflight;  /* requests between their headers and their completion */
	atomic_bool stopping; /* shutting down: responses say "Connection: close" */
};

enum http_body_kind {
	HTTP_BODY_NONE, /* any body is read and ignored (still capped) */
	HTTP_BODY_JSON, /* application/json, an object, capped at server max_body */
	HTTP_BODY_CSV,  /* text/csv, capped at REG_IMPORT_MAX_BYTES */
	HTTP_BODY_RAW,  /* any Content-Type, kept as bytes in r->body, capped at
			 * SHARE_ATTACHMENT_MAX (file uploads) */
	HTTP_BODY_OPT_JSON, /* none, or an application/json object (into r->json, else
			     * NULL) capped at server max_body: actions whose body is optional */
	HTTP_BODY_MODEL, /* application/json kept as bytes in r->body (the service parses
			  * it), capped at JOBS_MODEL_MAX: analysis models */
};

struct http_req;

/* A handler decodes what it needs from r, calls one service with s and r->principal,
 * and sets the response with an http_reply_* function. It returns 0 when it has
 * replied, or a negative CEP_E* code with r->err filled (then the dispatcher answers
 * with the error body). s is borrowed for the duration of the call. */
typedef int (*http_handler_fn)(struct http_req *r, struct store *s);

struct http_route {
	const char *method;       /* "GET", "POST", ... (HEAD is served by GET routes) */
	const char *pattern;      /* "/api/v1/orgs/{id}/services/{sid}" */
	enum http_body_kind body;
	bool public;              /* true: no credentials needed */
	http_handler_fn fn;
};

/* One request. Created when its headers arrive, freed by the completion callback. */
struct http_req {
	struct http_server *srv;     /* borrowed */
	struct MHD_Connection *conn; /* borrowed from MHD, valid until completion */
	char method[16];             /* for the log (truncated) */
	char log_path[HTTP_LOG_PATH_MAX]; /* for the log: truncated, control bytes replaced */
	char *path;                  /* owned: copy of the decoded path; split by the router */
	bool refused;                /* answered with the headers (404, 405, 401, 415, 413) */
	const struct http_route *route;       /* borrowed from the route table */
	const char *params[HTTP_MAX_PARAMS];  /* borrowed from path */

	struct cep_principal principal; /* who is acting (when authed) */
	bool authed;
	char *session; /* owned: the session cookie secret, when signed in by cookie */
	char *csrf;    /* owned: that session's CSRF token (GET /me gives it to the web UI) */

	struct cep_buf body; /* owned: the request body so far */
	size_t cap;          /* the route's body cap */
	size_t discarded;    /* bytes read past the cap or on a body-less route */
	bool too_big;
	json_t *json;        /* owned: the decoded body of JSON routes */

	struct cep_error err;        /* what went wrong, for the error body */
	struct MHD_Response *resp;   /* owned until queued (then also destroyed by us) */
	unsigned status;             /* the status of resp; 0 until set */
	bool queued;
	double start_ms;             /* cep_mono_ms() at the headers */
};

/* ---- limit.c: sign-in and public token attempts ---- */

#define HTTP_LOGIN_WINDOW 900 /* seconds */
#define HTTP_LOGIN_MAX_NAME 5 /* failures per account name in the window */
#define HTTP_LOGIN_MAX_ADDR 30 /* failures per client address in the window */
#define HTTP_TOKEN_MAX_ADDR 60 /* unknown public tokens per client address in the window */
#define HTTP_LOGIN_SLOTS 4096

/* May r sign in as name now? 0, or CEP_ELIMIT with r->err filled and *ret_wait
 * the seconds to wait. */
int http_login_allowed(struct http_req *r, const char *name, long *ret_wait);
/* Count a sign-in as name that failed (ok false) or clear the name's count. */
void http_login_result(struct http_req *r, const char *name, bool ok);
/* May r present a public token (a drill acknowledgement's) now? 0, or
 * CEP_ELIMIT with r->err filled and *ret_wait the seconds to wait. */
int http_token_allowed(struct http_req *r, long *ret_wait);
/* Count a public token of r that matched nothing. */
void http_token_failed(struct http_req *r);
/* Reply to r refused by a limit: the error, and Retry-After: wait. 0 or an
 * error code. */
int http_reply_limited(struct http_req *r, long wait);

/* ---- respond.c ---- */

/* THE mapping from CEP_E* codes to HTTP statuses (docs/api.md). */
unsigned http_status_for(int cep_err_code);
/* Set r's response to v encoded as JSON with the given status. v is borrowed.
 * Returns 0 or CEP_ENOMEM (r's response unchanged). */
int http_reply_json(struct http_req *r, unsigned status, const json_t *v);
/* The common end of a handler: when rc is 0, reply v (owned, freed here in every case)
 * as JSON with status; otherwise return rc (r->err already filled by the service).
 * Returns 0 or a negative code. */
int http_reply_result(struct http_req *r, unsigned status, int rc, json_t *v);
/* Set r's response to a CSV download. Takes ownership of data (cep_free) in every case.
 * filename is the attachment name. Returns 0 or CEP_ENOMEM. */
int http_reply_csv(struct http_req *r, unsigned status, char *data, size_t len,
		   const char *filename);
/* The same for any file: content_type (borrowed) and filename (an attachment name
 * of safe characters: the caller checks it), with a CSP that lets nothing in it run. */
int http_reply_file(struct http_req *r, unsigned status, char *data, size_t len,
		    const char *content_type, const char *filename);
/* Set r's response to data (borrowed: it outlives the server, like a compiled-in
 * file) with the security headers and content_type; no Cache-Control (the caller
 * says). Returns 0 or CEP_ENOMEM. */
int http_reply_static(struct http_req *r, unsigned status, const void *data, size_t len,
		      const char *content_type);
/* Set r's response to an empty body (204, ...). Returns 0 or CEP_ENOMEM. */
int http_reply_empty(struct http_req *r, unsigned status);
/* Set r's response to the error body for err (borrowed; may be NULL or code 0, then
 * code is used). extra (borrowed, may be NULL) is an object whose members are added
 * next to "error" (the audit verification report). Always leaves some response unless
 * even a static fallback cannot be created (then r->resp is NULL and the connection
 * is closed). */
void http_reply_error(struct http_req *r, int code, const struct cep_error *err,
		      const json_t *extra);
/* Add a header to r's response (set before). Returns 0 or CEP_ENOMEM. */
int http_reply_header(struct http_req *r, const char *name, const char *value);

/* ---- router.c ---- */

/* Find the route for method and r->path (splitting r->path in place). Returns 0 with
 * r->route and r->params set; CEP_ENOTFOUND; or CEP_EMETHOD with the methods the path
 * does allow written into allow (HTTP_ALLOW_MAX bytes, "GET, HEAD, POST"). */
int http_route_find(struct http_req *r, const char *method, char allow[HTTP_ALLOW_MAX]);

/* ---- auth.c ---- */

/* Authenticate r with a bearer token or the session cookie (checking the CSRF header
 * on changes), using s for the lookups. Returns 0 with r->principal set, or CEP_EAUTH,
 * CEP_EPERM (CSRF), CEP_ENOMEM, a store error; r->err filled. */
int http_authenticate(struct http_req *r, struct store *s);
/* When the request names an exercise (X-Ceptoar-Exercise), make r's principal
 * act inside that exercise's world at its scenario clock now (exercise_enter).
 * Returns 0 (also without the header), or an error with r->err filled. */
int http_enter_world(struct http_req *r, struct store *s);
/* The Set-Cookie value for a new session secret, or (secret NULL) for clearing the
 * cookie, into out. Returns 0 or CEP_ETOOBIG. */
int http_session_cookie(const struct http_req *r, const char *secret, char *out, size_t size);

/* ---- body.c ---- */

/* Check Content-Type and Content-Length against r->route (called with the headers).
 * Sets r->cap. Returns 0, or CEP_ETYPE / CEP_ETOOBIG with r->err filled. */
int http_body_check_headers(struct http_req *r);
/* Take one chunk of the body. Sets r->too_big and fills r->err once past the cap. */
void http_body_take(struct http_req *r, const char *data, size_t len);
/* Decode r->body as a JSON object into r->json. Returns 0, CEP_EPARSE, CEP_EINVAL
 * (not an object), CEP_ETOOBIG (too deep) or CEP_ENOMEM with r->err filled. */
int http_body_json(struct http_req *r);

/* ---- query.c ---- */

/* limit and offset into *ret (defaults when absent). CEP_EINVAL naming the parameter. */
int http_query_page(struct http_req *r, struct cep_page *ret);
/* An optional integer parameter in [min, max] into *ret: dflt when absent. Present
 * but empty, not decimal digits, or out of range: CEP_EINVAL naming the parameter
 * ("name must be an integer from min to max"). */
int http_query_int(struct http_req *r, const char *name, int min, int max, int dflt, int *ret);
/* An optional text parameter: *ret = NULL when absent or empty, else the value
 * (borrowed from MHD, valid during the request). CEP_EINVAL when longer than
 * HTTP_QUERY_MAX, not UTF-8, or holding control characters. */
int http_query_str(struct http_req *r, const char *name, const char **ret);
/* A delivery id from the path (text borrowed) into *ret. Deliveries are numbered
 * from 1; anything else (sign, blanks, zero, leading zeros, too long) names no
 * delivery: CEP_ENOTFOUND with r->err filled. */
int http_path_delivery(struct http_req *r, const char *text, int64_t *ret);
/* An optional flag: absent, "", 0, false -> false; "?name" alone, 1, true -> true;
 * anything else CEP_EINVAL naming the parameter. */
int http_query_bool(struct http_req *r, const char *name, bool *ret);

/* ---- handlers ---- */

/* handlers_health.c */
int http_h_healthz(struct http_req *r, struct store *s);

/* handlers_exercise.c */
int http_h_exercises(struct http_req *r, struct store *s);
int http_h_exercise_templates(struct http_req *r, struct store *s);
int http_h_exercise_create(struct http_req *r, struct store *s);
int http_h_exercise_get(struct http_req *r, struct store *s);
int http_h_exercise_update(struct http_req *r, struct store *s);
int http_h_exercise_delete(struct http_req *r, struct store *s);
int http_h_exercise_members(struct http_req *r, struct store *s);
int http_h_exercise_member_add(struct http_req *r, struct store *s);
int http_h_exercise_member_remove(struct http_req *r, struct store *s);
int http_h_exercise_injects(struct http_req *r, struct store *s);
int http_h_exercise_inject_add(struct http_req *r, struct store *s);
int http_h_exercise_inject_update(struct http_req *r, struct store *s);
int http_h_exercise_inject_delete(struct http_req *r, struct store *s);
int http_h_exercise_msel(struct http_req *r, struct store *s);
int http_h_exercise_msel_import(struct http_req *r, struct store *s);
int http_h_exercise_generate(struct http_req *r, struct store *s);
int http_h_exercise_clock(struct http_req *r, struct store *s);
int http_h_exercise_reveal(struct http_req *r, struct store *s);
int http_h_exercise_status(struct http_req *r, struct store *s);
int http_h_exercise_player(struct http_req *r, struct store *s);
int http_h_exercise_notes(struct http_req *r, struct store *s);
int http_h_exercise_note_add(struct http_req *r, struct store *s);
int http_h_exercise_report(struct http_req *r, struct store *s);
int http_h_guideline_editions(struct http_req *r, struct store *s);
int http_h_guideline_import(struct http_req *r, struct store *s);
int http_h_guideline_edition(struct http_req *r, struct store *s);
int http_h_guideline_delete(struct http_req *r, struct store *s);
int http_h_guideline_item(struct http_req *r, struct store *s);
int http_h_guideline_oscal(struct http_req *r, struct store *s);
int http_h_guideline_diff(struct http_req *r, struct store *s);
int http_h_guideline_coverage(struct http_req *r, struct store *s);
int http_h_std_documents(struct http_req *r, struct store *s);
int http_h_std_document_create(struct http_req *r, struct store *s);
int http_h_std_document(struct http_req *r, struct store *s);
int http_h_std_document_update(struct http_req *r, struct store *s);
int http_h_std_document_delete(struct http_req *r, struct store *s);
int http_h_surveys(struct http_req *r, struct store *s);
int http_h_survey_create(struct http_req *r, struct store *s);
int http_h_survey_get(struct http_req *r, struct store *s);
int http_h_survey_update(struct http_req *r, struct store *s);
int http_h_survey_question_add(struct http_req *r, struct store *s);
int http_h_survey_open(struct http_req *r, struct store *s);
int http_h_survey_close(struct http_req *r, struct store *s);
int http_h_survey_remind(struct http_req *r, struct store *s);
int http_h_survey_answers(struct http_req *r, struct store *s);
int http_h_survey_answer(struct http_req *r, struct store *s);
int http_h_survey_results(struct http_req *r, struct store *s);
int http_h_survey_trends(struct http_req *r, struct store *s);
int http_h_ui_index(struct http_req *r, struct store *s);
int http_h_alert_preview(struct http_req *r, struct store *s);
int http_h_ui_file(struct http_req *r, struct store *s);

/* handlers_registry.c */
int http_h_sectors(struct http_req *r, struct store *s);
int http_h_sector_get(struct http_req *r, struct store *s);
int http_h_sector_add(struct http_req *r, struct store *s);
int http_h_ministries(struct http_req *r, struct store *s);
int http_h_ministry_get(struct http_req *r, struct store *s);
int http_h_ceptoars(struct http_req *r, struct store *s);
int http_h_ceptoar_get(struct http_req *r, struct store *s);
int http_h_agencies(struct http_req *r, struct store *s);
int http_h_channels(struct http_req *r, struct store *s);
int http_h_ceptoar_map(struct http_req *r, struct store *s);
int http_h_threats(struct http_req *r, struct store *s);

/* handlers_orgs.c */
int http_h_orgs(struct http_req *r, struct store *s);
int http_h_org_get(struct http_req *r, struct store *s);
int http_h_org_create(struct http_req *r, struct store *s);
int http_h_org_update(struct http_req *r, struct store *s);
int http_h_org_delete(struct http_req *r, struct store *s);
int http_h_service_add(struct http_req *r, struct store *s);
int http_h_service_delete(struct http_req *r, struct store *s);
int http_h_systems(struct http_req *r, struct store *s);
int http_h_system_add(struct http_req *r, struct store *s);
int http_h_system_delete(struct http_req *r, struct store *s);
int http_h_org_import(struct http_req *r, struct store *s);

/* handlers_identity.c */
int http_h_users(struct http_req *r, struct store *s);
int http_h_user_add(struct http_req *r, struct store *s);
int http_h_user_get(struct http_req *r, struct store *s);
int http_h_user_update(struct http_req *r, struct store *s);
int http_h_tokens(struct http_req *r, struct store *s);
int http_h_token_issue(struct http_req *r, struct store *s);
int http_h_token_revoke(struct http_req *r, struct store *s);
int http_h_me(struct http_req *r, struct store *s);
int http_h_login(struct http_req *r, struct store *s);
int http_h_logout(struct http_req *r, struct store *s);

/* handlers_share.c */
int http_h_reports(struct http_req *r, struct store *s);
int http_h_report_create(struct http_req *r, struct store *s);
int http_h_report_get(struct http_req *r, struct store *s);
int http_h_report_update(struct http_req *r, struct store *s);
int http_h_attachment_add(struct http_req *r, struct store *s);
int http_h_attachment_get(struct http_req *r, struct store *s);
int http_h_alerts(struct http_req *r, struct store *s);
int http_h_alert_create(struct http_req *r, struct store *s);
int http_h_alert_get(struct http_req *r, struct store *s);
int http_h_alert_deliveries(struct http_req *r, struct store *s);
int http_h_inbox(struct http_req *r, struct store *s);
int http_h_delivery_open(struct http_req *r, struct store *s);
int http_h_delivery_ack(struct http_req *r, struct store *s);

/* handlers_channels.c */
int http_h_contacts(struct http_req *r, struct store *s);
int http_h_contact_add(struct http_req *r, struct store *s);
int http_h_contact_delete(struct http_req *r, struct store *s);
int http_h_delivery_channels(struct http_req *r, struct store *s);
int http_h_delivery_manual(struct http_req *r, struct store *s);
int http_h_notices(struct http_req *r, struct store *s);

/* handlers_analysis.c */
int http_h_models(struct http_req *r, struct store *s);
int http_h_model_add(struct http_req *r, struct store *s);
int http_h_model_get(struct http_req *r, struct store *s);
int http_h_model_delete(struct http_req *r, struct store *s);
int http_h_jobs(struct http_req *r, struct store *s);
int http_h_job_submit(struct http_req *r, struct store *s);
int http_h_job_get(struct http_req *r, struct store *s);
int http_h_job_cancel(struct http_req *r, struct store *s);
int http_h_job_file(struct http_req *r, struct store *s);

/* handlers_space.c */
int http_h_keys(struct http_req *r, struct store *s);
int http_h_alert_verify(struct http_req *r, struct store *s);
int http_h_correlations(struct http_req *r, struct store *s);
int http_h_correlation_exclusions(struct http_req *r, struct store *s);
int http_h_correlation_exclude(struct http_req *r, struct store *s);
int http_h_council_items(struct http_req *r, struct store *s);
int http_h_council_post(struct http_req *r, struct store *s);
int http_h_council_item(struct http_req *r, struct store *s);
int http_h_council_reply(struct http_req *r, struct store *s);
int http_h_incidents(struct http_req *r, struct store *s);
int http_h_incident_declare(struct http_req *r, struct store *s);
int http_h_incident_get(struct http_req *r, struct store *s);
int http_h_incident_close(struct http_req *r, struct store *s);
int http_h_incident_link(struct http_req *r, struct store *s);
int http_h_incident_sitrep(struct http_req *r, struct store *s);

/* handlers_drill.c */
int http_h_drills(struct http_req *r, struct store *s);
int http_h_drill_start(struct http_req *r, struct store *s);
int http_h_drill_record(struct http_req *r, struct store *s);
int http_h_drill_get(struct http_req *r, struct store *s);
int http_h_drill_members(struct http_req *r, struct store *s);
int http_h_drill_calls(struct http_req *r, struct store *s);
int http_h_drill_history(struct http_req *r, struct store *s);
int http_h_drill_inbox(struct http_req *r, struct store *s);
int http_h_drill_ack(struct http_req *r, struct store *s);
int http_h_drill_ack_token(struct http_req *r, struct store *s);
/* handlers_plan.c */
int http_h_plans(struct http_req *r, struct store *s);
int http_h_plan_create(struct http_req *r, struct store *s);
int http_h_plan_samples(struct http_req *r, struct store *s);
int http_h_plan_sample_load(struct http_req *r, struct store *s);
int http_h_plan_get(struct http_req *r, struct store *s);
int http_h_plan_delete(struct http_req *r, struct store *s);
int http_h_plan_update(struct http_req *r, struct store *s);
int http_h_plan_pillar_add(struct http_req *r, struct store *s);
int http_h_plan_pillar_update(struct http_req *r, struct store *s);
int http_h_plan_pillar_delete(struct http_req *r, struct store *s);
int http_h_plan_measure_add(struct http_req *r, struct store *s);
int http_h_plan_measure_update(struct http_req *r, struct store *s);
int http_h_plan_measure_delete(struct http_req *r, struct store *s);
int http_h_plan_measures(struct http_req *r, struct store *s);
int http_h_plan_progress(struct http_req *r, struct store *s);
int http_h_plan_progress_add(struct http_req *r, struct store *s);
int http_h_plan_evaluate(struct http_req *r, struct store *s);
int http_h_plan_summary(struct http_req *r, struct store *s);
int http_h_plan_evaluation(struct http_req *r, struct store *s);
int http_h_plan_indicators(struct http_req *r, struct store *s);
int http_h_plan_indicator_add(struct http_req *r, struct store *s);
int http_h_plan_indicator_value(struct http_req *r, struct store *s);
int http_h_stats_it_failures(struct http_req *r, struct store *s);

/* handlers_audit.c */
int http_h_audit(struct http_req *r, struct store *s);
int http_h_audit_verify(struct http_req *r, struct store *s);

#endif
