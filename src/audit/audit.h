/* audit.h - the tamper-evident audit trail.
 *
 * Each entry holds hash = SHA-256(prev_hash "\n" seq "\n" ts "\n" actor "\n"
 * action "\n" object_type "\n" object_id "\n" detail), where prev_hash is the
 * previous entry's hash (64 zeros for the first) and detail is compact JSON
 * with sorted keys. The head (last seq and hash) is also kept in meta, so that
 * deleting the newest entries is detected too; recording the head elsewhere
 * (audit verify prints it) anchors the chain against a rewrite of it all. */
#ifndef CEP_AUDIT_AUDIT_H
#define CEP_AUDIT_AUDIT_H

#include "base/err.h"
#include "core/page.h"
#include "core/principal.h"
#include "store/store.h"

#include <jansson.h>

/* Append an entry inside the caller's open transaction (so the change and
 * its record commit together). detail is borrowed and may be NULL.
 * Returns 0 or a store error. */
int audit_append(struct store *s, const struct cep_principal *actor, const char *action,
		 const char *object_type, const char *object_id, const json_t *detail);

/* Finish a write transaction: when rc is 0, append the audit entry and
 * commit; otherwise (or when either fails) roll back. Returns 0 or the
 * failure, described in err ("<what> conflicts with an existing one" for
 * CEP_EEXIST, "cannot store <what>" otherwise) unless err already holds a cause. */
int audit_commit(struct store *s, int rc, const struct cep_principal *actor, const char *action,
		 const char *object_type, const char *object_id, const json_t *detail,
		 const char *what, struct cep_error *err);

/* Entries, newest first, under the policy (admin, auditor). Filters may be NULL:
 * actor, action (prefix match "user." works), object_type.
 * *ret = {"items": [...], "total": n, "limit": .., "offset": ..}; caller owns. */
int audit_list(struct store *s, const struct cep_principal *p, const char *actor,
	       const char *action, const char *object_type, const struct cep_page *page,
	       json_t **ret, struct cep_error *err);

/* Walk the whole chain. *ret = {"ok": bool, "entries": n, "head_seq": n,
 * "head_hash": "...", "problems": [{"seq": n, "problem": "..."}]} (caller owns),
 * and the return is 0 when intact, CEP_ETAMPER when not (with *ret still set),
 * CEP_EPERM or a store error otherwise. */
int audit_verify(struct store *s, const struct cep_principal *p, json_t **ret,
		 struct cep_error *err);

/* "user:NAME" or "console" for a principal, into out. */
void audit_actor(const struct cep_principal *p, char *out, size_t size);

#endif
