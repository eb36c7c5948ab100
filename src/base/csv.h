/* csv.h - RFC 4180 CSV reader and writer helpers.
 *
 * The reader walks a buffer record by record. Quoted fields may hold commas,
 * doubled quotes and line breaks; CRLF and LF both end records; a UTF-8 BOM at
 * the start is skipped. Every record reports the line on which it starts, so
 * errors can name it. Caps bound the number of fields and each field's size. */
#ifndef CEP_BASE_CSV_H
#define CEP_BASE_CSV_H

#include "base/buf.h"

#include <stddef.h>

struct cep_csv;

/* Create a reader over data[0..len) (not copied: it must outlive the reader).
 * Returns NULL on allocation failure. Free with cep_csv_free. */
struct cep_csv *cep_csv_new(const char *data, size_t len, size_t max_fields, size_t max_field_bytes);
void cep_csv_free(struct cep_csv *c);

/* Read the next record. On success returns 1 and sets *ret_fields (an array of
 * NUL-terminated strings owned by the reader, valid until the next call),
 * *ret_n and *ret_line (1-based line where the record starts); returns 0 at
 * end of input; on a malformed record returns CEP_EPARSE (unterminated quote,
 * text after a closing quote, invalid UTF-8, NUL byte) or CEP_ETOOBIG (caps),
 * with *ret_line set to the offending line and a reason in cep_csv_error(). */
int cep_csv_next(struct cep_csv *c, char ***ret_fields, size_t *ret_n, size_t *ret_line);
/* Human-readable reason for the last failure. Static or reader-owned string. */
const char *cep_csv_error(const struct cep_csv *c);

/* Append s to out as one CSV field (quoted when it holds , " CR or LF, or
 * starts with U+FEFF). A text that a spreadsheet would take for a formula
 * (one that starts with = + - @, TAB or CR and is not a plain decimal
 * number, such as "=HYPERLINK(...)" planted in a name; or such a text after
 * apostrophes of its own) is written with an apostrophe in front, so that it
 * shows as text and is never run (CWE-1236): CSV files are reports people
 * open in spreadsheets unless they say otherwise. A program reading one back
 * gets each text with cep_csv_text. Returns 0, CEP_ETOOBIG or CEP_ENOMEM
 * (out unchanged). */
int cep_csv_put_field(struct cep_buf *out, const char *s);
/* The text of a field written by cep_csv_put_field: without the apostrophe
 * it added, if it did (borrowed from field). */
const char *cep_csv_text(const char *field);
/* The same as cep_csv_put_field without the apostrophe: for files that are
 * data for a later import (models, an MSEL), where it would become part of
 * the text. */
int cep_csv_put_data(struct cep_buf *out, const char *s);

#endif
