/* err.c - error detail helpers. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cep_error_init(struct cep_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->field[0] = '\0';
	err->message[0] = '\0';
}

int cep_error_set(struct cep_error *err, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != 0)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

static const struct {
	int code;
	const char *name;
	const char *text;
} err_table[] = {
	{ CEP_OK, "ok", "success" },
	{ CEP_EINVAL, "invalid", "invalid input" },
	{ CEP_ENOMEM, "no_memory", "out of memory" },
	{ CEP_ENOTFOUND, "not_found", "not found" },
	{ CEP_EEXIST, "conflict", "conflicts with an existing object" },
	{ CEP_EPERM, "forbidden", "not allowed" },
	{ CEP_EAUTH, "unauthorized", "authentication required" },
	{ CEP_ETOOBIG, "too_large", "too large" },
	{ CEP_ETYPE, "unsupported_media_type", "unsupported content type" },
	{ CEP_ESEMANTIC, "unprocessable", "request cannot be processed" },
	{ CEP_EIO, "internal", "internal storage error" },
	{ CEP_EBUSY, "busy", "temporarily unavailable" },
	{ CEP_EVERSION, "version", "database is from a newer version of ceptoar" },
	{ CEP_ETAMPER, "tampered", "integrity check failed" },
	{ CEP_EPARSE, "parse", "malformed input" },
	{ CEP_EMETHOD, "method_not_allowed", "method not allowed" },
	{ CEP_ELIMIT, "too_many_requests", "too many attempts" },
};

const char *cep_err_name(int code)
{
	for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].code == code)
			return err_table[i].name;
	return "internal";
}

const char *cep_err_text(int code)
{
	for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].code == code)
			return err_table[i].text;
	return "internal error";
}
