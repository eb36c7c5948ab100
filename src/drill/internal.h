/* internal.h - shared by the files of src/drill/; nothing outside the folder
 * includes it. */
#ifndef CEP_DRILL_INTERNAL_H
#define CEP_DRILL_INTERNAL_H

#include "drill/drill.h"

#include "core/policy.h"
#include "store/sql.h"

#include <stdbool.h>

/* The columns of a drill as the API shows it (table alias d). */
#define DRILL_COLS                                                                          \
	"d.id, d.ceptoar_id AS ceptoar, c.name_ja AS ceptoar_name_ja,"                      \
	" c.name_en AS ceptoar_name_en, d.org_id AS org, o.name_ja AS org_name_ja,"          \
	" o.name_en AS org_name_en, d.started_by, d.title, d.message_ja, d.message_en,"      \
	" d.deadline_at, d.fanout_state AS fanout, d.members AS member_count,"               \
	" d.targets AS target_count, d.created_at, d.fanout_at, d.manual"
/* Whether a target's acknowledgement came by the deadline (aliases t, d):
 * NULL while not acknowledged, else 1 or 0 (drill_on_time makes it a
 * boolean). */
#define DRILL_ON_TIME_SQL                                                                   \
	"CASE WHEN t.acked_at IS NULL THEN NULL WHEN t.acked_at <= d.deadline_at THEN 1"      \
	" ELSE 0 END AS on_time"

/* The order of channels in lists and figures. */
#define DRILL_CHANNEL_ORDER                                                                 \
	"CASE channel WHEN 'inbox' THEN 0 WHEN 'email' THEN 1 WHEN 'webhook' THEN 2"          \
	" WHEN 'phone' THEN 3 ELSE 4 END"
#define DRILL_FROM                                                                          \
	"FROM drills d LEFT JOIN ceptoars c ON c.id = d.ceptoar_id"                          \
	" JOIN orgs o ON o.id = d.org_id"

/* ---- common.c ---- */

/* The stored facts of drill id (ret_row: caller owns, with "org_id",
 * "ministry_id", "ceptoar_id", "deadline_at" as integer seconds) and whether p
 * may do action on it. CEP_ENOTFOUND when absent; CEP_EPERM when p may not. */
int drill_load_checked(struct store *s, const struct cep_principal *p, enum cep_action action,
		       const char *id, json_t **ret_row);
/* Whether p may read drill id (a hidden drill is CEP_ENOTFOUND, "no such
 * drill", as an absent one), and its deadline in seconds into *ret_deadline. */
int drill_readable(struct store *s, const struct cep_principal *p, const char *id,
		   int64_t *ret_deadline, struct cep_error *err);
/* The WHERE condition (over alias d) under which p may read drills into sql
 * (size bytes) with its arguments into args (at most 4) and *ret_n. "0" when
 * nothing. */
void drill_read_where(const struct cep_principal *p, char *sql, size_t size,
		      struct store_arg args[4], int *ret_n);
/* The drill (as DRILL_COLS, deadline_at in seconds) id with "state" and
 * "figures" added, computed at now. Caller owns *ret. */
int drill_describe(struct store *s, const char *id, int64_t now, json_t **ret);
/* The figures of drill id at now, deadline in seconds: {"members": {...},
 * "targets": {...}, "per_channel": [...]}. Caller owns *ret. */
int drill_figures(struct store *s, const char *id, int64_t deadline, int64_t now, json_t **ret);
/* The member on_time of it (see DRILL_ON_TIME_SQL) as a JSON boolean, or
 * null. 0 or CEP_ENOMEM. */
int drill_on_time(json_t *it);
/* A principal to record acts done with a token (no account) in the audit trail. */
void drill_token_principal(struct cep_principal *ret);

#endif
