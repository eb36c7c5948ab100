/* buf.c - growable byte buffer with a cap. */
#include "base/buf.h"

#include "base/alloc.h"
#include "base/err.h"

#include <stdio.h>
#include <string.h>

void cep_buf_init(struct cep_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

int cep_buf_reserve(struct cep_buf *b, size_t extra)
{
	size_t need, n;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return CEP_ETOOBIG;
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 256;
	while (n < need)
		n *= 2;
	p = cep_realloc(b->data, n);
	if (!p)
		return CEP_ENOMEM;
	b->data = p;
	b->alloc = n;
	return 0;
}

int cep_buf_append(struct cep_buf *b, const void *p, size_t n)
{
	int rc = cep_buf_reserve(b, n);

	if (rc < 0)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int cep_buf_puts(struct cep_buf *b, const char *s)
{
	return cep_buf_append(b, s, strlen(s));
}

int cep_buf_printf(struct cep_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CEP_EINVAL;
	rc = cep_buf_reserve(b, (size_t)n);
	if (rc < 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *cep_buf_steal(struct cep_buf *b)
{
	char *p = b->data;

	if (!p)
		p = cep_strdup("");
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	return p;
}

void cep_buf_free(struct cep_buf *b)
{
	if (!b)
		return;
	cep_free(b->data);
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
}
