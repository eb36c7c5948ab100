/* load.c - facility models from JSON or CSV text, through the builder, with
 * every error located in the text. */
#include "analysis/load.h"

#include "analysis/jfield.h"
#include "base/alloc.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX_FIELDS 16
#define CSV_MAX_FIELD_BYTES 1024

/* Record in err the builder's failure e at a place: "where: message". */
static int relay(struct cep_error *err, const struct cep_error *e, int rc, const char *where)
{
	return cep_error_set(err, rc, e->field, "%s: %s", where, e->message);
}

/* A number: all of s, finite. 0 or -1. */
static int parse_num(const char *s, double *ret)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(x))
		return -1;
	*ret = x;
	return 0;
}

/* need: an integer from 1 to 2^31. 0 or -1. */
static int parse_need(const char *s, uint32_t *ret)
{
	char *end;
	unsigned long x;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoul(s, &end, 10);
	if (*end || errno || x < 1 || x > (1ul << 31))
		return -1;
	*ret = (uint32_t)x;
	return 0;
}

/* ---- JSON ----------------------------------------------------------------- */

static int json_node(struct an_builder *b, const json_t *n, const char *path, const char *file,
		     struct cep_error *err)
{
	static const char *const allowed[] = { "id", "name", "sector", "operator", "region",
					       "kind", "layer", "source", "weight",
					       "repair_hours", NULL };
	struct an_node_spec s = { 0 };
	struct cep_error e;
	char field[CEP_ERR_FIELD_MAX];
	uint32_t ix;
	int rc;

	cep_error_init(&e);
	if (!json_is_object(n))
		return cep_error_set(err, CEP_EINVAL, path, "%s: %s: a node is an object", file, path);
	if ((rc = an_jonly(n, path, allowed, &e)) ||
	    (rc = an_jtext(n, path, "id", AN_MAX_ID_BYTES, 1, &s.id, &e)) ||
	    (rc = an_jtext(n, path, "name", AN_MAX_ID_BYTES, 0, &s.name, &e)) ||
	    (rc = an_jtext(n, path, "sector", AN_MAX_ID_BYTES, 0, &s.sector, &e)) ||
	    (rc = an_jtext(n, path, "operator", AN_MAX_ID_BYTES, 0, &s.operator_id, &e)) ||
	    (rc = an_jtext(n, path, "region", AN_MAX_ID_BYTES, 0, &s.region, &e)) ||
	    (rc = an_jtext(n, path, "kind", AN_MAX_ID_BYTES, 0, &s.kind, &e)) ||
	    (rc = an_jtext(n, path, "layer", AN_MAX_ID_BYTES, 0, &s.layer, &e)) ||
	    (rc = an_jbool(n, path, "source", 0, &s.source, &e)) ||
	    (rc = an_jnum(n, path, "weight", 0, 1e15, 1, &s.weight, &e)) ||
	    (rc = an_jnum(n, path, "repair_hours", 0, AN_MAX_HOURS, 0, &s.repair_hours, &e)))
		return cep_error_set(err, rc, e.field, "%s: %s", file, e.message); /* names the path */
	if (!(rc = an_builder_add_node(b, &s, &ix, &e)))
		return 0;
	an_jpath(field, sizeof(field), path, e.field);
	return cep_error_set(err, rc, field, "%s: %s: %s", file, path, e.message);
}

/* The index of the node named by member key of obj (at path). */
static int json_ref(const struct an_builder *b, const json_t *obj, const char *path,
		    const char *key, const char *file, uint32_t *ret, struct cep_error *err)
{
	struct cep_error e;
	char field[CEP_ERR_FIELD_MAX];
	const char *id;
	int rc;

	cep_error_init(&e);
	an_jpath(field, sizeof(field), path, key);
	if ((rc = an_jtext(obj, path, key, AN_MAX_ID_BYTES, 1, &id, &e)))
		return cep_error_set(err, rc, e.field, "%s: %s", file, e.message);
	if (an_builder_find(b, id, ret))
		return cep_error_set(err, CEP_EINVAL, field, "%s: %s: unknown node %s", file, field,
				     id);
	return 0;
}

static int json_dep(struct an_builder *b, const json_t *d, const char *path, const char *file,
		    struct cep_error *err)
{
	static const char *const allowed[] = { "supplier", "dependent", "kind", "buffer_hours",
					       "group", "need", NULL };
	const char *kind, *group;
	double buffer, need;
	uint32_t s, t;
	struct cep_error e;
	char field[CEP_ERR_FIELD_MAX];
	int rc;

	cep_error_init(&e);
	if (!json_is_object(d))
		return cep_error_set(err, CEP_EINVAL, path, "%s: %s: a dependency is an object", file,
				     path);
	if ((rc = json_ref(b, d, path, "supplier", file, &s, err)) ||
	    (rc = json_ref(b, d, path, "dependent", file, &t, err)))
		return rc;
	if ((rc = an_jonly(d, path, allowed, &e)) ||
	    (rc = an_jtext(d, path, "kind", AN_MAX_ID_BYTES, 0, &kind, &e)) ||
	    (rc = an_jtext(d, path, "group", AN_MAX_ID_BYTES, 0, &group, &e)) ||
	    (rc = an_jnum(d, path, "buffer_hours", 0, AN_MAX_HOURS, 0, &buffer, &e)) ||
	    (rc = an_jnum(d, path, "need", 1, 2147483648.0, 1, &need, &e)))
		return cep_error_set(err, rc, e.field, "%s: %s", file, e.message);
	if (need != floor(need)) {
		an_jpath(field, sizeof(field), path, "need");
		return cep_error_set(err, CEP_EINVAL, field, "%s: %s must be a whole number", file,
				     field);
	}
	if ((rc = an_builder_add_dep(b, s, t, kind, buffer, group, (uint32_t)need, &e))) {
		an_jpath(field, sizeof(field), path, e.field);
		return cep_error_set(err, rc, field, "%s: %s: %s", file, path, e.message);
	}
	return 0;
}

static int json_link(struct an_builder *b, const json_t *l, const char *path, const char *file,
		     struct cep_error *err)
{
	uint32_t ends[2];
	struct cep_error e;
	int rc;

	if (!json_is_array(l) || json_array_size(l) != 2)
		return cep_error_set(err, CEP_EINVAL, path, "%s: %s: a link is [\"a\", \"b\"]", file,
				     path);
	for (int i = 0; i < 2; i++) {
		const json_t *x = json_array_get(l, (size_t)i);
		char field[CEP_ERR_FIELD_MAX + 4]; /* path and "[i]" (the error keeps what fits) */

		snprintf(field, sizeof(field), "%s[%d]", path, i);
		if (!json_is_string(x))
			return cep_error_set(err, CEP_EINVAL, field, "%s: %s must be a node id", file,
					     field);
		if (an_builder_find(b, json_string_value(x), &ends[i]))
			return cep_error_set(err, CEP_EINVAL, field, "%s: %s: unknown node %s", file,
					     field, json_string_value(x));
	}
	cep_error_init(&e);
	if ((rc = an_builder_add_link(b, ends[0], ends[1], &e)))
		return cep_error_set(err, rc, path, "%s: %s: %s", file, path, e.message);
	return 0;
}

/* Apply fn to every element of the array member key of root (absent: none). */
static int json_each(struct an_builder *b, const json_t *root, const char *key, int required,
		     const char *file,
		     int (*fn)(struct an_builder *, const json_t *, const char *, const char *,
			       struct cep_error *),
		     struct cep_error *err)
{
	const json_t *arr = json_object_get(root, key);
	char path[CEP_ERR_FIELD_MAX];
	size_t i;
	json_t *x;
	int rc;

	if (!arr || json_is_null(arr)) {
		if (required)
			return cep_error_set(err, CEP_EINVAL, key, "%s: %s is required", file, key);
		return 0;
	}
	if (!json_is_array(arr))
		return cep_error_set(err, CEP_EINVAL, key, "%s: %s must be an array", file, key);
	json_array_foreach(arr, i, x) {
		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		if ((rc = fn(b, x, path, file, err)))
			return rc;
	}
	return 0;
}

int an_load_json(const char *text, size_t len, const char *name, struct an_model **ret,
		 struct cep_error *err)
{
	static const char *const allowed[] = { "name", "nodes", "dependencies", "links", NULL };
	struct an_builder *b = NULL;
	json_t *root = NULL;
	struct cep_error e;
	const char *title;
	int rc;

	cep_error_init(&e);
	if (len > AN_LOAD_MAX_JSON_BYTES)
		return cep_error_set(err, CEP_ETOOBIG, NULL, "%s: a JSON model is at most %zu MiB; "
				     "use CSV files for larger ones", name,
				     AN_LOAD_MAX_JSON_BYTES >> 20);
	if ((rc = cep_json_parse(text, len, CEP_JSON_MAX_DEPTH, &root, &e)))
		return cep_error_set(err, rc, NULL, "%s: %s", name, e.message);
	if (!json_is_object(root)) {
		rc = cep_error_set(err, CEP_EINVAL, NULL, "%s: a model is a JSON object", name);
		goto out;
	}
	if ((rc = an_jonly(root, "", allowed, &e)) ||
	    (rc = an_jtext(root, "", "name", 256, 0, &title, &e))) {
		rc = cep_error_set(err, rc, e.field, "%s: %s", name, e.message);
		goto out;
	}
	if (!(b = an_builder_new())) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = json_each(b, root, "nodes", 1, name, json_node, err)) ||
	    (rc = json_each(b, root, "dependencies", 0, name, json_dep, err)) ||
	    (rc = json_each(b, root, "links", 0, name, json_link, err)))
		goto out;
	rc = an_builder_finish(b, ret, &e);
	b = NULL;
	if (rc)
		rc = relay(err, &e, rc, name);
out:
	an_builder_free(b);
	json_decref(root);
	return rc;
}

/* ---- CSV ------------------------------------------------------------------ */

enum { NC_ID, NC_NAME, NC_SECTOR, NC_OPERATOR, NC_REGION, NC_KIND, NC_LAYER, NC_SOURCE,
       NC_WEIGHT, NC_REPAIR, NC_N };
static const char *const node_cols[NC_N] = { "id", "name", "sector", "operator", "region",
					     "kind", "layer", "source", "weight",
					     "repair_hours" };

enum { EC_TYPE, EC_FROM, EC_TO, EC_KIND, EC_BUFFER, EC_GROUP, EC_NEED, EC_N };
static const char *const edge_cols[EC_N] = { "type", "from", "to", "kind", "buffer_hours",
					     "group", "need" };

/* A CSV file being read: its header's columns (pos[c]: field index or -1). */
struct csvf {
	const char *name;
	struct cep_csv *csv;
	const char *const *cols;
	int ncols;
	int pos[16];
	size_t nfields, line;
	char **f;
	const char *text, *end; /* the whole text, for a scan ahead of the reader */
};

static int csv_fail(struct csvf *c, struct cep_error *err, int code, int col, const char *fmt,
		    ...) __attribute__((format(printf, 5, 6)));

/* "file:line:column: message" naming column col (an enum index, or -1). */
static int csv_fail(struct csvf *c, struct cep_error *err, int code, int col, const char *fmt,
		    ...)
{
	char msg[CEP_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (col >= 0 && c->pos[col] >= 0)
		return cep_error_set(err, code, c->cols[col], "%s:%zu:%d: %s", c->name, c->line,
				     c->pos[col] + 1, msg);
	return cep_error_set(err, code, col >= 0 ? c->cols[col] : NULL, "%s:%zu: %s", c->name,
			     c->line, msg);
}

/* Read the next record: 1, 0 at the end, or an error (recorded). */
static int csv_next(struct csvf *c, struct cep_error *err)
{
	int rc = cep_csv_next(c->csv, &c->f, &c->nfields, &c->line);

	if (rc < 0)
		return cep_error_set(err, rc, NULL, "%s:%zu: %s", c->name, c->line,
				     cep_csv_error(c->csv));
	return rc;
}

/* Open a CSV text and read its header. required: columns that must be there. */
static int csv_open(struct csvf *c, const char *text, size_t len, const char *name,
		    const char *const *cols, int ncols, const int *required, int nreq,
		    struct cep_error *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->text = text;
	c->end = text + len;
	c->cols = cols;
	c->ncols = ncols;
	for (int i = 0; i < ncols; i++)
		c->pos[i] = -1;
	if (len > AN_LOAD_MAX_CSV_BYTES)
		return cep_error_set(err, CEP_ETOOBIG, NULL, "%s: a CSV file of a model is at most "
				     "%zu MiB", name, AN_LOAD_MAX_CSV_BYTES >> 20);
	if (!(c->csv = cep_csv_new(text, len, CSV_MAX_FIELDS, CSV_MAX_FIELD_BYTES)))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	if ((rc = csv_next(c, err)) <= 0)
		return rc ? rc : cep_error_set(err, CEP_EINVAL, NULL, "%s: empty file (no header)",
					       name);
	for (size_t i = 0; i < c->nfields; i++) {
		int k = 0;

		while (k < ncols && strcmp(cols[k], c->f[i]) != 0)
			k++;
		if (k == ncols)
			return cep_error_set(err, CEP_EINVAL, c->f[i][0] ? c->f[i] : NULL,
					     "%s:%zu:%zu: unknown column \"%.64s\"", name, c->line,
					     i + 1, c->f[i]);
		if (c->pos[k] >= 0)
			return cep_error_set(err, CEP_EINVAL, cols[k], "%s:%zu:%zu: column %s twice",
					     name, c->line, i + 1, cols[k]);
		c->pos[k] = (int)i;
	}
	for (int i = 0; i < nreq; i++)
		if (c->pos[required[i]] < 0)
			return cep_error_set(err, CEP_EINVAL, cols[required[i]],
					     "%s:%zu: the header has no column %s", name, c->line,
					     cols[required[i]]);
	return 0;
}

/* The next data record (1), the end (0) or an error. */
static int csv_row(struct csvf *c, struct cep_error *err)
{
	int rc = csv_next(c, err);
	size_t want = 0;

	for (int i = 0; i < c->ncols; i++)
		want += c->pos[i] >= 0;
	if (rc == 1 && c->nfields != want)
		return csv_fail(c, err, CEP_EINVAL, -1, "%zu fields where the header has %zu",
				c->nfields, want);
	return rc;
}

/* Field of column col in the current record; NULL when the column is absent
 * or the field empty. */
static const char *csv_get(const struct csvf *c, int col)
{
	const char *s = c->pos[col] >= 0 ? c->f[c->pos[col]] : NULL;

	return s && *s ? s : NULL;
}

static int csv_num(struct csvf *c, int col, double def, double *ret, struct cep_error *err)
{
	const char *s = csv_get(c, col);

	*ret = def;
	if (s && parse_num(s, ret))
		return csv_fail(c, err, CEP_EINVAL, col, "%s: \"%.64s\" is not a number",
				c->cols[col], s);
	return 0;
}

/* The column that a builder's field is in. */
static int col_of(const struct csvf *c, const char *field, const char *const *aliases)
{
	for (int i = 0; aliases && aliases[i]; i += 2)
		if (strcmp(aliases[i], field) == 0)
			field = aliases[i + 1];
	for (int i = 0; i < c->ncols; i++)
		if (strcmp(c->cols[i], field) == 0)
			return i;
	return -1;
}

static int csv_nodes(struct an_builder *b, struct csvf *c, struct cep_error *err)
{
	int rc;

	while ((rc = csv_row(c, err)) == 1) {
		struct an_node_spec s = { .id = csv_get(c, NC_ID), .name = csv_get(c, NC_NAME),
					  .sector = csv_get(c, NC_SECTOR),
					  .operator_id = csv_get(c, NC_OPERATOR),
					  .region = csv_get(c, NC_REGION),
					  .kind = csv_get(c, NC_KIND),
					  .layer = csv_get(c, NC_LAYER) };
		const char *src = csv_get(c, NC_SOURCE);
		struct cep_error e;
		uint32_t ix;

		if (src && strcmp(src, "0") != 0 && strcmp(src, "1") != 0)
			return csv_fail(c, err, CEP_EINVAL, NC_SOURCE, "source must be 0 or 1");
		s.source = src && *src == '1';
		if ((rc = csv_num(c, NC_WEIGHT, 1, &s.weight, err)) ||
		    (rc = csv_num(c, NC_REPAIR, 0, &s.repair_hours, err)))
			return rc;
		cep_error_init(&e);
		if ((rc = an_builder_add_node(b, &s, &ix, &e)))
			return csv_fail(c, err, rc, col_of(c, e.field, NULL), "%s", e.message);
	}
	return rc;
}

/* How many rows ahead of the reader the edges' dependents are asked for
 * (an_builder_hint_*): the first step HINT_AHEAD rows ahead, the second half
 * as many, the third a quarter. */
#define HINT_AHEAD 16

/* A scan of the raw rows ahead of the reader, for hints alone: a row is read
 * as the fields between its commas up to its line break. It stops at the
 * first quote, after which a record may span lines and the rows it counts
 * would not be the reader's. */
struct ahead {
	const char *p, *end; /* the next row's text; p NULL: stopped */
	int to_col;          /* the field of `to` in a row */
	int group_col;       /* the field of `group` (-1: none) */
	struct an_hint h[HINT_AHEAD];
	uint8_t on[HINT_AHEAD]; /* h[k] holds a row's first step */
};

/* Start the scan at the first row after the header (none when the header
 * holds a quote, or has no `to`). */
static void ahead_start(struct ahead *a, const struct csvf *c)
{
	const char *p = c->text, *eol;

	memset(a, 0, sizeof(*a));
	if (c->end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	eol = memchr(p, '\n', (size_t)(c->end - p));
	if (!eol || memchr(p, '"', (size_t)(eol - p)) || c->pos[EC_TO] < 0)
		return;
	a->p = eol + 1;
	a->end = c->end;
	a->to_col = c->pos[EC_TO];
	a->group_col = c->pos[EC_GROUP];
}

/* Field col of the row at f (up to eol) into out (NUL-terminated, at most
 * size - 1 bytes, a CR at the line's end left out): 1, or 0 when there is
 * no such field, it is empty or too long. */
static int ahead_field(const char *f, const char *eol, int col, char *out, size_t size)
{
	const char *comma;
	size_t n;

	for (int k = 0; k < col; k++) {
		if (!(comma = memchr(f, ',', (size_t)(eol - f))))
			return 0;
		f = comma + 1;
	}
	comma = memchr(f, ',', (size_t)(eol - f));
	n = (size_t)((comma ? comma : eol) - f);
	if (n && f[n - 1] == '\r')
		n--;
	if (!n || n >= size)
		return 0;
	memcpy(out, f, n);
	out[n] = '\0';
	return 1;
}

/* Scan the next row into the hints' slot k: the first step for its `to`. */
static void ahead_row(const struct an_builder *b, struct ahead *a, uint32_t k)
{
	const char *f = a->p, *eol;
	char id[AN_MAX_ID_BYTES + 1], group[AN_MAX_ID_BYTES + 1];

	a->on[k] = 0;
	if (!f || f >= a->end)
		return;
	eol = memchr(f, '\n', (size_t)(a->end - f));
	if (!eol)
		eol = a->end;
	if (memchr(f, '"', (size_t)(eol - f))) {
		a->p = NULL;
		return;
	}
	a->p = eol + 1;
	if (!ahead_field(f, eol, a->to_col, id, sizeof(id)))
		return;
	an_builder_hint_id(b, id,
			   a->group_col >= 0 && ahead_field(f, eol, a->group_col, group,
							    sizeof(group)) ? group : NULL,
			   &a->h[k]);
	a->on[k] = 1;
}

/* The reader is at data row r: the third step for row r + HINT_AHEAD / 4,
 * the second for r + HINT_AHEAD / 2, the first for r + HINT_AHEAD (in the
 * slot of row r, which is done with). */
static void ahead_step(const struct an_builder *b, struct ahead *a, uint64_t r)
{
	uint32_t k3 = (uint32_t)((r + HINT_AHEAD / 4) % HINT_AHEAD);
	uint32_t k2 = (uint32_t)((r + HINT_AHEAD / 2) % HINT_AHEAD);

	if (r == 0)
		for (uint32_t k = 0; k < HINT_AHEAD; k++)
			ahead_row(b, a, k);
	if (a->on[k3])
		an_builder_hint_text(b, &a->h[k3]);
	if (a->on[k2])
		an_builder_hint_slot(b, &a->h[k2]);
	ahead_row(b, a, (uint32_t)(r % HINT_AHEAD));
}

static int csv_edges(struct an_builder *b, struct csvf *c, struct cep_error *err)
{
	static const char *const dep_alias[] = { "supplier", "from", "dependent", "to", NULL };
	static const char *const link_alias[] = { "a", "from", "b", "to", "layer", "to", NULL };
	char last[AN_MAX_ID_BYTES + 1] = ""; /* the last row's from, found at last_index */
	uint32_t last_index = 0;
	struct ahead a;
	uint64_t r = 0;
	int rc;

	ahead_start(&a, c);
	while ((rc = csv_row(c, err)) == 1) {
		const char *type = csv_get(c, EC_TYPE), *from = csv_get(c, EC_FROM),
			   *to = csv_get(c, EC_TO), *need_s = csv_get(c, EC_NEED);
		struct cep_error e;
		uint32_t s, t, need = 1;
		double buffer;
		int is_dep = type && strcmp(type, "dep") == 0;

		ahead_step(b, &a, r++);

		if (!is_dep && !(type && strcmp(type, "link") == 0))
			return csv_fail(c, err, CEP_EINVAL, EC_TYPE, "type must be dep or link");
		if (!from)
			return csv_fail(c, err, CEP_EINVAL, EC_FROM, "from is required");
		if (!to)
			return csv_fail(c, err, CEP_EINVAL, EC_TO, "to is required");
		if (strcmp(from, last) == 0)
			s = last_index; /* edges come by supplier, mostly */
		else if (an_builder_find(b, from, &s))
			return csv_fail(c, err, CEP_EINVAL, EC_FROM, "unknown node %.128s", from);
		else if (strlen(from) < sizeof(last)) {
			strcpy(last, from);
			last_index = s;
		}
		if (an_builder_find(b, to, &t))
			return csv_fail(c, err, CEP_EINVAL, EC_TO, "unknown node %.128s", to);
		cep_error_init(&e);
		if (!is_dep) {
			for (int k = EC_KIND; k < EC_N; k++)
				if (csv_get(c, k))
					return csv_fail(c, err, CEP_EINVAL, k,
							"a link has no %s (leave it empty)",
							edge_cols[k]);
			if ((rc = an_builder_add_link(b, s, t, &e)))
				return csv_fail(c, err, rc, col_of(c, e.field, link_alias), "%s",
						e.message);
			continue;
		}
		if ((rc = csv_num(c, EC_BUFFER, 0, &buffer, err)))
			return rc;
		if (need_s && parse_need(need_s, &need))
			return csv_fail(c, err, CEP_EINVAL, EC_NEED,
					"need: \"%.64s\" is not a whole number from 1", need_s);
		if ((rc = an_builder_add_dep(b, s, t, csv_get(c, EC_KIND), buffer,
					     csv_get(c, EC_GROUP), need, &e)))
			return csv_fail(c, err, rc, col_of(c, e.field, dep_alias), "%s", e.message);
	}
	return rc;
}

int an_load_csv(const char *nodes, size_t nodes_len, const char *nodes_name, const char *edges,
		size_t edges_len, const char *edges_name, struct an_model **ret,
		struct cep_error *err)
{
	static const int node_req[] = { NC_ID };
	static const int edge_req[] = { EC_TYPE, EC_FROM, EC_TO };
	struct an_builder *b = an_builder_new();
	struct csvf nc = { 0 }, ec = { 0 };
	struct cep_error e;
	int rc;

	if (!b)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	if ((rc = csv_open(&nc, nodes, nodes_len, nodes_name, node_cols, NC_N, node_req, 1, err)) ||
	    (rc = csv_nodes(b, &nc, err)))
		goto out;
	if (edges && ((rc = csv_open(&ec, edges, edges_len, edges_name, edge_cols, EC_N, edge_req,
				     3, err)) ||
		      (rc = csv_edges(b, &ec, err))))
		goto out;
	cep_error_init(&e);
	rc = an_builder_finish(b, ret, &e);
	b = NULL;
	if (rc)
		rc = relay(err, &e, rc, edges ? edges_name : nodes_name);
out:
	an_builder_free(b);
	cep_csv_free(nc.csv);
	cep_csv_free(ec.csv);
	return rc;
}
