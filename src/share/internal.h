/* internal.h - shared by the files of src/share/; not for other modules. */
#ifndef CEP_SHARE_INTERNAL_H
#define CEP_SHARE_INTERNAL_H

#include "share/share.h"

#include "base/buf.h"
#include "core/policy.h"
#include "store/sql.h"

/* ---- visibility.c: the policy's clauses as SQL ---- */

/* How a table's rows relate to a principal, in SQL: column expressions, or
 * NULL when the table has no such relationship (the clause then admits nothing). */
struct share_table {
	const char *org;       /* owning org column, e.g. "r.org_id" */
	const char *ministry;  /* overseeing ministry column */
	const char *scope;     /* scope rank column (NULL: unbounded objects) */
	const char *tlp;       /* TLP rank column */
	const char *ceptoars;  /* "EXISTS (... %s ...)" with %s replaced by "ceptoar_id IN (...)" */
	const char *recipient; /* "EXISTS (... org_id = ?)" bound to the principal's org */
	const char *exercise;  /* the row's world column: NULL real, else an exercise id */
};

#define SHARE_WHERE_ARGS 24
#define SHARE_COUNT_CAP 1000 /* totals of report, alert and inbox lists */

/* A WHERE condition and its arguments, built from policy_clauses. */
struct share_where {
	struct cep_buf sql;
	struct store_arg args[SHARE_WHERE_ARGS];
	int nargs;
};

/* Build the condition under which p may do action on rows of t: the OR of
 * the policy's clauses, or "0" when none applies, and the row in p's world. Strings bound are borrowed
 * from p. Free with share_where_free. Returns 0 or CEP_ENOMEM. */
int share_where_build(struct share_where *w, const struct cep_principal *p,
		      enum cep_action action, const struct share_table *t);
/* Append " AND <expr>" with n more arguments. Returns 0, CEP_ENOMEM or CEP_ETOOBIG. */
int share_where_and(struct share_where *w, const char *expr, const struct store_arg *args, int n);
void share_where_free(struct share_where *w);

extern const struct share_table share_reports_table;
extern const struct share_table share_alerts_table;

/* ---- world.c: the real world and exercises (訓練) ----
 *
 * Reports, alerts (with their deliveries) and council posts carry the world
 * they were made in (column exercise_id: NULL for the real one). Every read
 * admits only rows of the reader's world (policy_check for one object,
 * share_where_build and "<col> IS ?" bound to share_world() for lists). */

/* A policy object in p's world with nothing else set: what a check about a
 * kind of object (not one read from the store) asks about. */
void share_object_of_world(const struct cep_principal *p, struct cep_object *o);
/* p's world as a bound value: SQL NULL for the real world, else its exercise id. */
struct store_arg share_world(const struct cep_principal *p);
/* Record what a player did in an exercise (nothing in the real world): kind
 * "report" (a report or a new version, with its cause category), "share" (a
 * report shared beyond its sector: scope council or all; a council post),
 * "ack" (ref = the alert), "alert" (sent), at p->exercise_at. Inside the
 * caller's transaction. */
int share_world_log(struct store *s, const struct cep_principal *p, const char *kind,
		    const char *ref, const char *cause);

/* ---- fields.c: validation shared by reports and alerts ---- */

/* Parse and validate "indicators" of in (absent: an empty array) into a new
 * array of {"type","value","norm"} (*ret, caller owns). CEP_EINVAL/CEP_ETOOBIG
 * naming "indicators" with the index in the message. */
int share_indicators(const json_t *in, json_t **ret, struct cep_error *err);
/* Store indicators for an owner, replacing earlier ones. */
int share_indicators_store(struct store *s, const char *owner_type, const char *owner_id,
			   const json_t *indicators);
/* "handling": array of restriction names -> bits. */
int share_handling(const json_t *in, unsigned *ret, struct cep_error *err);
/* Handling bits -> new JSON array of names. */
json_t *share_handling_json(unsigned bits);
/* "tlp" label (default dflt when absent) -> enum cep_tlp. */
int share_tlp(const json_t *in, int dflt, int *ret, struct cep_error *err);
/* "classification" (default "none"). *ret borrowed from in or static. */
int share_classification(const json_t *in, const char **ret, struct cep_error *err);
/* An optional RFC 3339 member into *ret (epoch), *ret_set whether present. */
int share_time(const json_t *in, const char *key, int64_t *ret, int *ret_set,
	       struct cep_error *err);
/* q of a search: 1..200 characters of text. */
int share_query_text(const char *q, struct cep_error *err);
/* Is q an object's id (a UUID, 8-4-4-4-12 hex digits)? A search for one finds
 * that object, if the principal may see it, rather than texts containing it. */
bool share_query_is_id(const char *q);

/* ---- signing.c ---- */

/* The alert id as exported (GET /api/v1/alerts/{id}), without a policy check.
 * *ret caller owns. CEP_ENOTFOUND or a store error. */
int share_alert_load(struct store *s, const char *id, json_t **ret);
/* Sign the alert (its JSON as share_alert_load gives it) with the active key,
 * creating the key on first use; inside the caller's transaction. */
int share_sign_alert(struct store *s, const json_t *alert);
/* Sign the stored alert id again after a change of a signed member (its
 * deadline, when linked to an incident); inside the caller's transaction. */
int share_alert_resign(struct store *s, const char *id);

#endif
