/* err.h - the one error convention of ceptoar.
 *
 * Every fallible function returns int: 0 on success or a negative CEP_E* code.
 * Out-parameters are named ret_* and are left untouched on failure.
 * Where a caller needs to tell a user what went wrong, the function takes an
 * optional `struct cep_error *err` (may be NULL) and fills a message and the
 * name of the field at fault. HTTP statuses are derived from the code in
 * exactly one place (http/respond.c, http_status_for()).
 */
#ifndef CEP_BASE_ERR_H
#define CEP_BASE_ERR_H

#include <stddef.h>

enum cep_err {
	CEP_OK = 0,
	CEP_EINVAL = -1,    /* a field is missing, malformed or out of range */
	CEP_ENOMEM = -2,    /* allocation failed */
	CEP_ENOTFOUND = -3, /* the object does not exist (or may not be seen) */
	CEP_EEXIST = -4,    /* conflicts with an existing object */
	CEP_EPERM = -5,     /* the principal may not do this */
	CEP_EAUTH = -6,     /* no, invalid, expired or revoked credentials */
	CEP_ETOOBIG = -7,   /* a size cap was exceeded */
	CEP_ETYPE = -8,     /* wrong content type */
	CEP_ESEMANTIC = -9, /* well-formed but not acceptable (e.g. refers to a missing object) */
	CEP_EIO = -10,      /* storage or system error */
	CEP_EBUSY = -11,    /* temporarily unavailable; retry */
	CEP_EVERSION = -12, /* the database is from a newer ceptoar */
	CEP_ETAMPER = -13,  /* integrity check failed (audit chain) */
	CEP_EPARSE = -14,   /* malformed input syntax (JSON, CSV) */
	CEP_EMETHOD = -15,  /* HTTP method not allowed on this path */
	CEP_ELIMIT = -16,   /* too many attempts: wait and try again */
};

#define CEP_ERR_FIELD_MAX 64
#define CEP_ERR_MSG_MAX 512

/* Detail of a failure, for the user. Owned by the caller (usually on its stack). */
struct cep_error {
	int code;
	char field[CEP_ERR_FIELD_MAX];  /* "" when no single field is at fault */
	char message[CEP_ERR_MSG_MAX];
};

/* Initialise an error detail to "no error". err may be NULL. */
void cep_error_init(struct cep_error *err);

/* Record a failure in err (may be NULL; then only the code is returned).
 * field may be NULL. Returns code, so callers can `return cep_error_set(...)`.
 * An already recorded failure is not overwritten: the first cause wins. */
int cep_error_set(struct cep_error *err, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Short machine-readable name of a code ("invalid", "not_found", ...). Static string. */
const char *cep_err_name(int code);

/* A generic English message for a code. Static string. */
const char *cep_err_text(int code);

#endif
