/* fuzz_csv.c - libFuzzer target for base/csv.
 *
 * Walks every record of the input with cep_csv_next and checks what the
 * import relies on: fields within the caps, valid UTF-8 without NUL, line
 * numbers that follow the input, errors that are CEP_EPARSE or CEP_ETOOBIG
 * with a reason. Each record is re-encoded with cep_csv_put_data, and
 * reading the re-encoded record must give the same fields back; and again as
 * a report's text (cep_csv_put_field), whose fields never start a formula and
 * give the text back through cep_csv_text. */
#include "base/alloc.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 16
#define MAX_FIELD_BYTES 256

#define CHECK(cond)                                                                 \
	do {                                                                        \
		if (!(cond)) {                                                      \
			fprintf(stderr, "fuzz_csv: check failed at line %d: %s\n", \
				__LINE__, #cond);                                   \
			abort();                                                    \
		}                                                                   \
	} while (0)

/* Would a spreadsheet take field (as read) for a formula? */
static int formula(const char *s)
{
	char *end;

	if (!*s || !strchr("=+-@\t\r", *s))
		return 0;
	(void)strtod(s, &end); /* a number is not run (strtod is looser: a check, not the rule) */
	return *end != '\0';
}

/* Re-encode the record's fields (as data, or as a report's text with
 * cep_csv_put_field) and read them back: the same fields; a report's fields
 * never start a formula, and cep_csv_text gives each text back. */
static void check_round_trip(char **fields, size_t n, int text)
{
	struct cep_buf b;
	struct cep_csv *c;
	char **f;
	size_t nf, line;

	cep_buf_init(&b, 1 << 20);
	for (size_t i = 0; i < n; i++) {
		if (i)
			CHECK(cep_buf_puts(&b, ",") == 0);
		CHECK((text ? cep_csv_put_field(&b, fields[i]) : cep_csv_put_data(&b, fields[i])) == 0);
	}
	CHECK(cep_buf_puts(&b, "\r\n") == 0);

	c = cep_csv_new(b.data, b.len, MAX_FIELDS, MAX_FIELD_BYTES + 1);
	CHECK(c != NULL);
	if (cep_csv_next(c, &f, &nf, &line) != 1) {
		fprintf(stderr, "fuzz_csv: re-encoded record refused: %s\n", cep_csv_error(c));
		abort();
	}
	CHECK(line == 1);
	CHECK(nf == n);
	for (size_t i = 0; i < n; i++) {
		if (!text) {
			CHECK(strcmp(f[i], fields[i]) == 0);
			continue;
		}
		CHECK(!formula(f[i]));
		CHECK(strcmp(cep_csv_text(f[i]), fields[i]) == 0);
	}
	CHECK(cep_csv_next(c, &f, &nf, &line) == 0);
	cep_csv_free(c);
	cep_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cep_csv *c = cep_csv_new((const char *)data, size, MAX_FIELDS, MAX_FIELD_BYTES);
	size_t expect_line = 1, records = 0;
	char **f;
	size_t n, line;
	int rc;

	CHECK(c != NULL);
	while ((rc = cep_csv_next(c, &f, &n, &line)) == 1) {
		size_t newlines = 0;

		records++;
		CHECK(records <= size + 1);
		/* Each record starts where the previous one's lines end. */
		CHECK(line == expect_line);
		CHECK(n >= 1 && n <= MAX_FIELDS);
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(f[i]);

			CHECK(len <= MAX_FIELD_BYTES);
			CHECK(cep_utf8_valid(f[i], len));
			for (size_t k = 0; k < len; k++)
				newlines += f[i][k] == '\n';
		}
		expect_line = line + newlines + 1;
		check_round_trip(f, n, 0);
		check_round_trip(f, n, 1);
	}
	if (rc == 0) {
		CHECK(cep_csv_next(c, &f, &n, &line) == 0);
	} else {
		CHECK(rc == CEP_EPARSE || rc == CEP_ETOOBIG);
		CHECK(cep_csv_error(c)[0] != '\0');
		CHECK(line == expect_line);
	}
	cep_csv_free(c);
	return 0;
}
