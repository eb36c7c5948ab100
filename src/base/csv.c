/* csv.c - RFC 4180 reader and field writer. */
#include "base/csv.h"

#include "base/alloc.h"
#include "base/err.h"
#include "base/text.h"

#include <stdbool.h>
#include <string.h>

struct cep_csv {
	const char *p, *end;
	size_t line;
	size_t max_fields, max_field_bytes;
	char **fields;   /* max_fields pointers into text */
	struct cep_buf text;
	size_t *offsets;
	const char *error;
};

struct cep_csv *cep_csv_new(const char *data, size_t len, size_t max_fields, size_t max_field_bytes)
{
	struct cep_csv *c = cep_calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fields = cep_calloc(max_fields, sizeof(char *));
	c->offsets = cep_calloc(max_fields, sizeof(size_t));
	if (!c->fields || !c->offsets) {
		cep_csv_free(c);
		return NULL;
	}
	c->p = data;
	c->end = data + len;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
	c->line = 1;
	c->max_fields = max_fields;
	c->max_field_bytes = max_field_bytes;
	cep_buf_init(&c->text, max_fields * (max_field_bytes + 1));
	c->error = "";
	return c;
}

void cep_csv_free(struct cep_csv *c)
{
	if (!c)
		return;
	cep_free(c->fields);
	cep_free(c->offsets);
	cep_buf_free(&c->text);
	cep_free(c);
}

const char *cep_csv_error(const struct cep_csv *c)
{
	return c->error;
}

/* What a byte is to an unquoted field: B_END ends it (a comma, a line
 * break, or a quote, which is an error there); B_CHECK asks for the field to
 * be checked (NUL, or part of a multi-byte UTF-8 sequence). A field of
 * ASCII alone, the common case, is valid as it is. */
enum { B_END = 1, B_CHECK = 2 };
static const unsigned char BYTE_CLASS[256] = {
	[0] = B_CHECK, [','] = B_END, ['\n'] = B_END, ['\r'] = B_END, ['"'] = B_END,
	[0x80 ... 0xff] = B_CHECK,
};

static int fail(struct cep_csv *c, int code, const char *why)
{
	c->error = why;
	return code;
}

int cep_csv_next(struct cep_csv *c, char ***ret_fields, size_t *ret_n, size_t *ret_line)
{
	size_t n = 0, start_line = c->line, field_start;
	int rc, checked;

	if (c->p >= c->end)
		return 0;
	c->text.len = 0;
	*ret_line = start_line;
	for (;;) {
		/* one field */
		if (n == c->max_fields)
			return fail(c, CEP_ETOOBIG, "too many fields");
		field_start = c->text.len;
		c->offsets[n] = field_start;
		checked = 0;
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end)
					return fail(c, CEP_EPARSE, "unterminated quoted field");
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						rc = cep_buf_append(&c->text, "\"", 1);
						c->p += 2;
					} else {
						c->p++;
						break;
					}
				} else {
					if (*c->p == '\n')
						c->line++;
					rc = cep_buf_append(&c->text, c->p, 1);
					c->p++;
				}
				if (rc < 0)
					return fail(c, rc, "field too large");
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
				return fail(c, CEP_EPARSE, "text after a closing quote");
		} else {
			const unsigned char *q = (const unsigned char *)c->p;
			const unsigned char *end = (const unsigned char *)c->end;
			unsigned seen = 0;

			/* to the end of the field, noting what is more than ASCII */
			for (; q < end && !(BYTE_CLASS[*q] & B_END); q++)
				seen |= BYTE_CLASS[*q];
			if (q < end && *q == '"')
				return fail(c, CEP_EPARSE, "quote inside an unquoted field");
			rc = cep_buf_append(&c->text, c->p, (size_t)(q - (const unsigned char *)c->p));
			if (rc < 0)
				return fail(c, rc, "field too large");
			c->p = (const char *)q;
			checked = !(seen & B_CHECK);
		}
		if (c->text.len - field_start > c->max_field_bytes)
			return fail(c, CEP_ETOOBIG, "field too large");
		if (!checked) {
			const char *f = c->text.data ? c->text.data + field_start : "";
			size_t flen = c->text.len - field_start;

			if (memchr(f, '\0', flen))
				return fail(c, CEP_EPARSE, "NUL byte in field");
			if (!cep_utf8_valid(f, flen))
				return fail(c, CEP_EPARSE, "invalid UTF-8");
		}
		rc = cep_buf_append(&c->text, "", 1); /* field terminator */
		if (rc < 0)
			return fail(c, rc, "record too large");
		n++;
		if (c->p >= c->end)
			break;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
		break;
	}
	for (size_t i = 0; i < n; i++)
		c->fields[i] = c->text.data + c->offsets[i];
	*ret_fields = c->fields;
	*ret_n = n;
	return 1;
}

/* Append lead (text that needs no quoting) and s as one field, quoted when
 * s holds , " CR or LF, or when the field would start with U+FEFF: at the
 * start of a file the reader would take it for a BOM and drop it. All or
 * nothing: on failure out is as it was. */
static int put(struct cep_buf *out, const char *lead, const char *s)
{
	size_t len0 = out->len;
	int rc;

	if (!strpbrk(s, ",\"\r\n") && (*lead || strncmp(s, "\xEF\xBB\xBF", 3) != 0)) {
		rc = cep_buf_puts(out, lead);
		if (rc == 0)
			rc = cep_buf_puts(out, s);
	} else {
		rc = cep_buf_append(out, "\"", 1);
		if (rc == 0)
			rc = cep_buf_puts(out, lead);
		for (const char *p = s; rc == 0 && *p; p++)
			rc = *p == '"' ? cep_buf_append(out, "\"\"", 2) : cep_buf_append(out, p, 1);
		if (rc == 0)
			rc = cep_buf_append(out, "\"", 1);
	}
	if (rc < 0 && out->data) {
		out->len = len0;
		out->data[len0] = '\0';
	}
	return rc;
}

int cep_csv_put_data(struct cep_buf *out, const char *s)
{
	return put(out, "", s);
}

/* Is s a plain decimal number: [+-]digits[.digits][(e|E)[+-]digits]? */
static bool plain_number(const char *s)
{
	const char *p = s + (*s == '+' || *s == '-');
	const char *d = p;

	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9';)
			p++;
	if (p == d || (p == d + 1 && *d == '.'))
		return false; /* no digit */
	if (*p == 'e' || *p == 'E') {
		const char *x = p + 1 + (p[1] == '+' || p[1] == '-');

		for (p = x; *p >= '0' && *p <= '9';)
			p++;
		if (p == x)
			return false;
	}
	return *p == '\0';
}

/* Does s need the apostrophe: after any apostrophes it starts with, would a
 * spreadsheet take it for a formula? (The apostrophes count, so that
 * cep_csv_text can tell the one added from the text's own.) */
static bool needs_mark(const char *s)
{
	while (*s == '\'')
		s++;
	return *s && strchr("=+-@\t\r", *s) && !plain_number(s);
}

int cep_csv_put_field(struct cep_buf *out, const char *s)
{
	return put(out, needs_mark(s) ? "'" : "", s);
}

const char *cep_csv_text(const char *field)
{
	return field[0] == '\'' && needs_mark(field + 1) ? field + 1 : field;
}
