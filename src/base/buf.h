/* buf.h - growable byte buffer with a hard cap on its size. */
#ifndef CEP_BASE_BUF_H
#define CEP_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct cep_buf {
	char *data;  /* always NUL-terminated when non-NULL */
	size_t len;
	size_t alloc;
	size_t max;  /* appends that would make len exceed max fail with CEP_ETOOBIG */
};

/* Initialise an empty buffer that may grow to max bytes. Allocates nothing. */
void cep_buf_init(struct cep_buf *b, size_t max);
/* Make room for extra more bytes (and the NUL) without appending any, so
 * that appends up to that size move nothing. Returns 0, CEP_ETOOBIG or
 * CEP_ENOMEM (the buffer unchanged either way). */
int cep_buf_reserve(struct cep_buf *b, size_t extra);
/* Append n bytes. Returns 0, CEP_ETOOBIG (buffer unchanged) or CEP_ENOMEM. */
int cep_buf_append(struct cep_buf *b, const void *p, size_t n);
/* Append a NUL-terminated string. Same returns as cep_buf_append. */
int cep_buf_puts(struct cep_buf *b, const char *s);
/* Append formatted text. Same returns as cep_buf_append. */
int cep_buf_printf(struct cep_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the data to the caller (who frees it with cep_free); the buffer becomes empty.
 * Returns an allocated empty string for an empty buffer, NULL on allocation failure. */
char *cep_buf_steal(struct cep_buf *b);
/* Free the data; the buffer becomes empty. Accepts a NULL b. */
void cep_buf_free(struct cep_buf *b);

#endif
