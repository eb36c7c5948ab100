/* internal.h - shared by the identity module's files. */
#ifndef CEP_IDENTITY_INTERNAL_H
#define CEP_IDENTITY_INTERNAL_H

#include "identity/identity.h"

#include "core/policy.h"
#include "store/sql.h"

/* Resolve a user by id or name to its id (and role, disabled) inside the
 * current transaction. CEP_ENOTFOUND naming field when absent. */
int idn_user_resolve(struct store *s, const char *id_or_name, const char *field,
		     char ret_id[CEP_ID_MAX], struct cep_error *err);
/* Fill a principal from the user row with this id (must be enabled):
 * CEP_EAUTH when unknown or disabled. */
int idn_principal_load(struct store *s, const char *user_id, struct cep_principal *ret);
/* Check a password against the rules: CEP_EINVAL naming "password". */
int idn_password_check(const char *pw, struct cep_error *err);

#endif
