/* msel.c - the Master Scenario Events List: injects, checked and stored;
 * imported from and exported to CSV and JSON. */
#include "exercise/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/csv.h"
#include "base/json.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const inject_keys[] = {
	"seq", "at", "type", "method", "from", "to", "title", "description", "expected",
	"expected_action", "respond_within", "objective", "controller", "notes", "sub_scenario",
	"severity", "state", NULL,
};
static const char *const methods[] = { "inbox", "email", "webhook", "phone", "fax", "verbal",
				       NULL };
static const char *const expectations[] = { "report", "ack", "share", "cause", NULL };
static const char *const severities[] = { "info", "low", "medium", "high", "critical", NULL };

static int one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(v, *set))
			return 1;
	return 0;
}

/* A text member: in's when given, else cur's (update), else dflt. */
static int text(const json_t *in, const json_t *cur, const char *key, size_t max, int multiline,
		const char *dflt, const char **ret, struct cep_error *err)
{
	int rc = cep_json_text(in, key, max, 0, multiline, ret, err);

	if (rc == 0 && !*ret)
		*ret = cur && json_is_string(json_object_get(cur, key)) ?
			       json_string_value(json_object_get(cur, key)) :
			       dflt;
	return rc;
}

/* A list member of texts each in set (NULL: any text of at most max_chars):
 * in's when given, else cur's, else dflt (JSON text). *ret: compact JSON text
 * (cep_free). */
static int list(const json_t *in, const json_t *cur, const char *key, const char *const *set,
		size_t max_items, const char *dflt, char **ret, struct cep_error *err)
{
	const json_t *v = json_object_get(in, key), *x;
	size_t i;

	if (!v && cur)
		v = json_object_get(cur, key);
	if (!v || json_is_null(v)) {
		*ret = cep_strdup(dflt);
		return *ret ? 0 : CEP_ENOMEM;
	}
	if (!json_is_array(v) || json_array_size(v) > max_items)
		return cep_error_set(err, CEP_EINVAL, key, "%s must be a list of at most %zu entries",
				     key, max_items);
	json_array_foreach(v, i, x) {
		if (!json_is_string(x) || cep_text_check(json_string_value(x), 64, true) < 0)
			return cep_error_set(err, CEP_EINVAL, key, "%s entry %zu must be a short text",
					     key, i + 1);
		if (set && !one_of(json_string_value(x), set))
			return cep_error_set(err, CEP_EINVAL, key,
					     "%s entry %zu must be one of report, ack, share, cause", key,
					     i + 1);
	}
	*ret = json_dumps(v, JSON_COMPACT);
	return *ret ? 0 : CEP_ENOMEM;
}

int ex_inject_write(struct store *s, const char *id, const char *iid, const json_t *in,
		    const json_t *cur, struct cep_error *err)
{
	const char *type, *method, *from, *title, *description, *expected_action, *objective,
		*controller, *notes, *sub, *severity;
	const json_t *seq = json_object_get(in, "seq"), *at = json_object_get(in, "at"),
		     *within = json_object_get(in, "respond_within");
	char *to = NULL, *expected = NULL;
	int64_t at_s = json_integer_value(json_object_get(cur, "at_s")), within_s = -1, n = 0,
		seq_v = 0;
	int rc = cep_json_only(in, inject_keys, err);

	if (rc == 0 && json_object_get(in, "state"))
		rc = cep_error_set(err, CEP_EINVAL, "state",
				   "state changes alone: {\"state\": \"skipped\"}");
	if (rc == 0 && (at || !cur))
		rc = at ? ex_duration(at, "at", &at_s, err) :
			  cep_error_set(err, CEP_EINVAL, "at",
					"at (the inject's scenario time, e.g. T+3h) is required");
	if (rc == 0 && within && !json_is_null(within))
		rc = ex_duration(within, "respond_within", &within_s, err);
	else if (rc == 0 && !within && cur && json_is_integer(json_object_get(cur, "respond_within_s")))
		within_s = json_integer_value(json_object_get(cur, "respond_within_s"));
	if (rc == 0)
		rc = text(in, cur, "type", 64, 0, "message", &type, err);
	if (rc == 0)
		rc = text(in, cur, "method", 16, 0, "inbox", &method, err);
	if (rc == 0 && !one_of(method, methods))
		rc = cep_error_set(err, CEP_EINVAL, "method",
				   "method must be inbox, email, webhook, phone, fax or verbal");
	if (rc == 0)
		rc = text(in, cur, "from", EX_TITLE_MAX, 0, "", &from, err);
	if (rc == 0)
		rc = text(in, cur, "title", EX_TITLE_MAX, 0, NULL, &title, err);
	if (rc == 0)
		rc = text(in, cur, "description", EX_TEXT_MAX, 1, "", &description, err);
	if (rc == 0 && !title) { /* an MSEL may give only a description: its first line */
		if (!*description)
			rc = cep_error_set(err, CEP_EINVAL, "title",
					   "an inject needs a title or a description");
		title = description;
	}
	if (rc == 0)
		rc = text(in, cur, "expected_action", EX_FIELD_MAX, 1, "", &expected_action, err);
	if (rc == 0)
		rc = text(in, cur, "objective", EX_FIELD_MAX, 1, "", &objective, err);
	if (rc == 0)
		rc = text(in, cur, "controller", EX_TITLE_MAX, 0, "", &controller, err);
	if (rc == 0)
		rc = text(in, cur, "notes", EX_FIELD_MAX, 1, "", &notes, err);
	if (rc == 0)
		rc = text(in, cur, "sub_scenario", EX_TITLE_MAX, 0, "", &sub, err);
	if (rc == 0)
		rc = text(in, cur, "severity", 16, 0, "high", &severity, err);
	if (rc == 0 && !one_of(severity, severities))
		rc = cep_error_set(err, CEP_EINVAL, "severity",
				   "severity must be info, low, medium, high or critical");
	if (rc == 0)
		rc = list(in, cur, "to", NULL, EX_TARGETS_MAX, "[\"all\"]", &to, err);
	if (rc == 0)
		rc = list(in, cur, "expected", expectations, 4, "[]", &expected, err);
	if (rc == 0 && seq && (!json_is_integer(seq) || json_integer_value(seq) < 1 ||
			       json_integer_value(seq) > 1000000))
		rc = cep_error_set(err, CEP_EINVAL, "seq", "seq must be a number from 1 to 1000000");
	if (rc == 0 && !cur) {
		rc = store_query_int(s, "SELECT count(*) FROM exercise_injects WHERE exercise_id = ?",
				     (struct store_arg[]){ STORE_TEXT(id) }, 1, &n);
		if (rc == 0 && n >= EX_INJECTS_MAX)
			rc = cep_error_set(err, CEP_ETOOBIG, NULL, "an exercise has at most %d injects",
					   EX_INJECTS_MAX);
		if (rc == 0 && !seq)
			rc = store_query_int(s,
					     "SELECT coalesce(max(seq), 0) + 1 FROM exercise_injects"
					     " WHERE exercise_id = ?",
					     (struct store_arg[]){ STORE_TEXT(id) }, 1, &seq_v);
	}
	if (seq)
		seq_v = json_integer_value(seq);
	else if (cur)
		seq_v = json_integer_value(json_object_get(cur, "seq"));
	if (rc == 0 && !cur)
		rc = store_run(s,
			       "INSERT INTO exercise_injects (id, exercise_id, seq, at_s, title)"
			       " VALUES (?,?,?,?,?)",
			       (struct store_arg[]){ STORE_TEXT(iid), STORE_TEXT(id), STORE_INT(seq_v),
						     STORE_INT(at_s), STORE_TEXT(title) },
			       5);
	if (rc == 0)
		rc = store_run(
			s,
			"UPDATE exercise_injects SET seq = ?, at_s = ?, type = ?, method = ?, sender = ?,"
			" targets = ?, title = ?, description = ?, expected = ?, expected_action = ?,"
			" respond_within_s = ?, objective = ?, controller = ?, notes = ?,"
			" sub_scenario = ?, severity = ? WHERE id = ?",
			(struct store_arg[]){ STORE_INT(seq_v), STORE_INT(at_s), STORE_TEXT(type),
					      STORE_TEXT(method), STORE_TEXT(from), STORE_TEXT(to),
					      STORE_TEXT(title), STORE_TEXT(description),
					      STORE_TEXT(expected), STORE_TEXT(expected_action),
					      within_s >= 0 ? STORE_INT(within_s) : STORE_TEXT(NULL),
					      STORE_TEXT(objective), STORE_TEXT(controller),
					      STORE_TEXT(notes), STORE_TEXT(sub), STORE_TEXT(severity),
					      STORE_TEXT(iid) },
			17);
	if (rc == CEP_EEXIST)
		rc = cep_error_set(err, rc, "seq", "another inject has sequence %lld",
				   (long long)seq_v);
	cep_free(to);
	cep_free(expected);
	return rc;
}

#define INJECT_COLS                                                                           \
	"id, seq, at_s, type, method, sender AS \"from\", targets AS \"to\", title, description," \
	" expected, expected_action, respond_within_s, objective, controller, notes,"            \
	" sub_scenario, severity, state, delivered_at, alert_id AS alert"

/* Lists stored as JSON text, as arrays. */
static void shape_injects(json_t *rows)
{
	size_t i;
	json_t *it;

	json_array_foreach(rows, i, it) {
		for (const char *const *k = (const char *const[]){ "to", "expected", NULL }; *k; k++) {
			json_t *v = json_loads(json_string_value(json_object_get(it, *k)), 0, NULL);

			json_object_set_new(it, *k, v ? v : json_array());
		}
	}
}

static int read_injects(struct store *s, const char *id, json_t **ret)
{
	int rc = store_query_all(s,
				 "SELECT " INJECT_COLS " FROM exercise_injects WHERE exercise_id = ?"
				 " ORDER BY at_s, seq",
				 (struct store_arg[]){ STORE_TEXT(id) }, 1, ret);

	if (rc == 0)
		shape_injects(*ret);
	return rc;
}

int exercise_injects(struct store *s, const struct cep_principal *p, const char *id,
		     json_t **ret, struct cep_error *err)
{
	json_t *rows = NULL;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_EVALUATE, NULL, err);

	if (rc == 0)
		rc = read_injects(s, id, &rows);
	if (rc < 0)
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot read the MSEL");
	*ret = json_pack("{s:o, s:I}", "items", rows, "total", (json_int_t)json_array_size(rows));
	return *ret ? 0 : CEP_ENOMEM;
}

/* One inject of exercise id (*ret, caller owns). */
static int one_inject(struct store *s, const char *id, const char *iid, json_t **ret)
{
	json_t *row = NULL, *a;
	int rc = store_query_one(s,
				 "SELECT " INJECT_COLS " FROM exercise_injects WHERE id = ?"
				 " AND exercise_id = ?",
				 (struct store_arg[]){ STORE_TEXT(iid), STORE_TEXT(id) }, 2, &row);

	if (rc < 0)
		return rc;
	a = json_pack("[O]", row);
	shape_injects(a);
	json_decref(a);
	*ret = row;
	return 0;
}

int exercise_inject_add(struct store *s, const struct cep_principal *p, const char *id,
			const json_t *in, json_t **ret, struct cep_error *err)
{
	char iid[CEP_UUID_LEN + 1];
	int rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_CONTROL, 1, NULL, err);

	if (rc < 0)
		return rc;
	cep_uuid(iid);
	rc = ex_inject_write(s, id, iid, in, NULL, err);
	rc = audit_commit(s, rc, p, "exercise.inject.add", "exercise", id, NULL, "the inject", err);
	if (rc == 0)
		rc = one_inject(s, id, iid, ret);
	return rc;
}

int exercise_inject_update(struct store *s, const struct cep_principal *p, const char *id,
			   const char *inject_id, const json_t *in, json_t **ret,
			   struct cep_error *err)
{
	const json_t *state = json_object_get(in, "state");
	json_t *cur = NULL;
	int rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_CONTROL, 1, NULL, err);

	if (rc < 0)
		return rc;
	rc = one_inject(s, id, inject_id, &cur);
	if (rc == CEP_ENOTFOUND)
		rc = cep_error_set(err, rc, NULL, "no such inject");
	if (rc == 0 && strcmp(json_string_value(json_object_get(cur, "state")), "pending"))
		rc = cep_error_set(err, CEP_ESEMANTIC, "state",
				   "only a pending inject changes (this one is %s)",
				   json_string_value(json_object_get(cur, "state")));
	if (rc == 0 && state) {
		if (json_object_size(in) != 1 || !json_is_string(state) ||
		    strcmp(json_string_value(state), "skipped"))
			rc = cep_error_set(err, CEP_EINVAL, "state",
					   "state changes alone, to \"skipped\"");
		else
			rc = store_run(s, "UPDATE exercise_injects SET state = 'skipped' WHERE id = ?",
				       (struct store_arg[]){ STORE_TEXT(inject_id) }, 1);
	} else if (rc == 0) {
		rc = ex_inject_write(s, id, inject_id, in, cur, err);
	}
	json_decref(cur);
	rc = audit_commit(s, rc, p, "exercise.inject.update", "exercise", id, NULL, "the inject",
			  err);
	return rc < 0 ? rc : one_inject(s, id, inject_id, ret);
}

int exercise_inject_delete(struct store *s, const struct cep_principal *p, const char *id,
			   const char *inject_id, struct cep_error *err)
{
	int rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_CONTROL, 1, NULL, err);

	if (rc < 0)
		return rc;
	rc = store_run(s,
		       "DELETE FROM exercise_injects WHERE id = ? AND exercise_id = ?"
		       " AND state <> 'delivered'",
		       (struct store_arg[]){ STORE_TEXT(inject_id), STORE_TEXT(id) }, 2);
	if (rc == 0 && store_changes(s) == 0)
		rc = cep_error_set(err, CEP_ENOTFOUND, NULL,
				   "no such inject, or it was delivered (delivered injects stay)");
	return audit_commit(s, rc, p, "exercise.inject.delete", "exercise", id, NULL,
			    "the deletion", err);
}

/* ---- CSV and JSON ---- */

/* The CSV columns, in order, and the inject member each becomes. */
static const struct {
	const char *column, *member;
	int list; /* ';'-separated list */
} columns[] = {
	{ "sequence", "seq", 0 },
	{ "scenario_time", "at", 0 },
	{ "inject_type", "type", 0 },
	{ "delivery_method", "method", 0 },
	{ "from", "from", 0 },
	{ "to", "to", 1 },
	{ "title", "title", 0 },
	{ "description", "description", 0 },
	{ "expected_action", "expected_action", 0 },
	{ "expected", "expected", 1 },
	{ "respond_within", "respond_within", 0 },
	{ "objective", "objective", 0 },
	{ "controller", "controller", 0 },
	{ "notes", "notes", 0 },
	{ "sub_scenario", "sub_scenario", 0 },
	{ "severity", "severity", 0 },
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* A CSV row as an inject input (header maps column index -> columns[] index). */
static json_t *row_input(char **f, size_t n, const int *map)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < n; i++) {
		int c = map[i];

		if (c < 0 || !*f[i])
			continue;
		if (!strcmp(columns[c].member, "seq")) {
			char *end;
			long v = strtol(f[i], &end, 10);

			json_object_set_new(o, "seq", *end ? json_string(f[i]) : json_integer(v));
		} else if (columns[c].list) {
			json_t *a = json_array();
			char *save = NULL, *copy = cep_strdup(f[i]);

			for (char *t = copy ? strtok_r(copy, ";", &save) : NULL; t;
			     t = strtok_r(NULL, ";", &save)) {
				while (*t == ' ')
					t++;
				if (*t)
					json_array_append_new(a, json_string(t));
			}
			cep_free(copy);
			json_object_set_new(o, columns[c].member, a);
		} else {
			json_object_set_new(o, columns[c].member, json_string(f[i]));
		}
	}
	return o;
}

/* Parse the CSV into inject inputs (*ret array); bad structure is reported
 * into errors with its line. */
static int parse_csv(const char *data, size_t len, json_t *inputs, json_t *errors,
		     struct cep_error *err)
{
	struct cep_csv *c = cep_csv_new(data, len, 64, EX_TEXT_MAX * 4);
	int map[64], header = 1, rc;
	char **f;
	size_t n, line;

	if (!c)
		return CEP_ENOMEM;
	while ((rc = cep_csv_next(c, &f, &n, &line)) == 1) {
		if (header) {
			int have_time = 0;

			for (size_t i = 0; i < n && i < 64; i++) {
				const char *h = f[i];

				if (!strncmp(h, "\xEF\xBB\xBF", 3))
					h += 3;
				map[i] = -1;
				for (size_t k = 0; k < NCOLUMNS; k++)
					if (!strcmp(h, columns[k].column))
						map[i] = (int)k;
				if (map[i] < 0) { /* h is the reader's: told before it is freed */
					rc = cep_error_set(err, CEP_EINVAL, "columns",
							   "line 1: unknown column \"%s\" (columns: "
							   "sequence, scenario_time, inject_type, "
							   "delivery_method, from, to, description, "
							   "expected_action, objective, controller, notes, "
							   "title, expected, respond_within, sub_scenario, "
							   "severity)",
							   h);
					cep_csv_free(c);
					return rc;
				}
				have_time |= map[i] == 1;
			}
			if (!have_time) {
				cep_csv_free(c);
				return cep_error_set(err, CEP_EINVAL, "columns",
						     "line 1: the header needs a scenario_time column");
			}
			header = 0;
			continue;
		}
		if (n == 1 && !*f[0])
			continue; /* a blank line */
		{
			json_t *o = row_input(f, n < 64 ? n : 64, map);

			if (!o)
				break;
			json_object_set_new(o, "_line", json_integer((json_int_t)line));
			json_array_append_new(inputs, o);
		}
		if (json_array_size(inputs) > EX_INJECTS_MAX) {
			cep_csv_free(c);
			return cep_error_set(err, CEP_ETOOBIG, NULL, "an MSEL has at most %d injects",
					     EX_INJECTS_MAX);
		}
	}
	if (rc < 0) {
		json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line,
							"field", "csv", "message", cep_csv_error(c)));
		cep_error_set(err, CEP_EINVAL, "csv", "line %zu: %s", line, cep_csv_error(c));
		cep_csv_free(c);
		return CEP_EINVAL;
	}
	cep_csv_free(c);
	if (header)
		return cep_error_set(err, CEP_EINVAL, "csv", "the MSEL is empty: no header row");
	return 0;
}

int exercise_msel_import(struct store *s, const struct cep_principal *p, const char *id,
			 const char *data, size_t len, int is_csv, int replace, json_t **ret,
			 json_t **ret_errors, struct cep_error *err)
{
	json_t *inputs = NULL, *errors = json_array(), *doc = NULL, *it, *rows = NULL;
	size_t i;
	int rc = 0, begun = 0;

	if (!errors)
		return CEP_ENOMEM;
	if (len > EX_MSEL_MAX_BYTES)
		rc = cep_error_set(err, CEP_ETOOBIG, NULL, "an MSEL is at most %u bytes",
				   EX_MSEL_MAX_BYTES);
	else if (is_csv) {
		inputs = json_array();
		rc = inputs ? parse_csv(data, len, inputs, errors, err) : CEP_ENOMEM;
	} else {
		rc = cep_json_parse(data, len, CEP_JSON_MAX_DEPTH, &doc, err);
		if (rc == 0 && (!json_is_array(json_object_get(doc, "injects")) ||
				json_object_size(doc) != 1))
			rc = cep_error_set(err, CEP_EINVAL, "injects",
					   "the body must be {\"injects\": [...]}");
		if (rc == 0 && json_array_size(json_object_get(doc, "injects")) > EX_INJECTS_MAX)
			rc = cep_error_set(err, CEP_ETOOBIG, "injects",
					   "an MSEL has at most %d injects", EX_INJECTS_MAX);
		if (rc == 0)
			inputs = json_incref(json_object_get(doc, "injects"));
	}
	if (rc == 0)
		rc = ex_begin(s, p, id, CEP_ACT_EXERCISE_CONTROL, 1, NULL, err);
	begun = rc == 0;
	if (rc == 0 && replace)
		rc = store_run(s, "DELETE FROM exercise_injects WHERE exercise_id = ? AND state = 'pending'",
			       (struct store_arg[]){ STORE_TEXT(id) }, 1);
	/* every row is checked, so that all the bad ones are reported at once */
	json_array_foreach(rc == 0 ? inputs : NULL, i, it) {
		struct cep_error one = { 0 };
		char iid[CEP_UUID_LEN + 1];
		json_int_t line = json_integer_value(json_object_get(it, "_line"));
		int r;

		if (!json_is_object(it)) {
			json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "index", (json_int_t)i,
								"field", "injects", "message",
								"an inject is a JSON object"));
			continue;
		}
		json_object_del(it, "_line");
		cep_uuid(iid);
		r = ex_inject_write(s, id, iid, it, NULL, &one);
		if (r == CEP_EINVAL || r == CEP_ETOOBIG || r == CEP_EEXIST) {
			if (json_array_size(errors) < 100)
				json_array_append_new(
					errors, json_pack("{s:I, s:s, s:s}", is_csv ? "line" : "index",
							  is_csv ? line : (json_int_t)i, "field",
							  one.field[0] ? one.field : "", "message",
							  one.message));
		} else if (r < 0) {
			rc = cep_error_set(err, r, NULL, "cannot store the MSEL");
			break;
		}
	}
	if (rc == 0 && json_array_size(errors)) {
		json_t *e0 = json_array_get(errors, 0);
		int by_line = json_object_get(e0, "line") != NULL;

		rc = cep_error_set(err, CEP_EINVAL, json_string_value(json_object_get(e0, "field")),
				   "%s %lld: %s (%zu bad rows; nothing was imported)",
				   by_line ? "line" : "inject",
				   (long long)json_integer_value(json_object_get(e0, by_line ? "line" :
											   "index")),
				   json_string_value(json_object_get(e0, "message")),
				   json_array_size(errors));
	}
	if (begun) { /* all or nothing: audit_commit rolls back on a failure */
		json_t *detail = json_pack("{s:I, s:b}", "injects", (json_int_t)json_array_size(inputs),
					   "replace", replace);

		rc = audit_commit(s, rc, p, "exercise.msel.import", "exercise", id, detail, "the MSEL",
				  err);
		json_decref(detail);
	}
	if (rc == 0)
		rc = read_injects(s, id, &rows);
	if (rc == 0)
		*ret = json_pack("{s:I, s:o}", "added", (json_int_t)json_array_size(inputs), "injects",
				 rows);
	if (ret_errors && json_array_size(errors))
		*ret_errors = json_incref(errors);
	json_decref(errors);
	json_decref(inputs);
	json_decref(doc);
	return rc;
}

int exercise_msel_csv(struct store *s, const struct cep_principal *p, const char *id,
		      char **ret_csv, size_t *ret_len, struct cep_error *err)
{
	struct cep_buf b;
	json_t *rows = NULL, *it;
	size_t i;
	int rc = ex_require(s, p, id, CEP_ACT_EXERCISE_EVALUATE, NULL, err);

	if (rc == 0)
		rc = read_injects(s, id, &rows);
	if (rc < 0)
		return err && err->code ? rc : cep_error_set(err, rc, NULL, "cannot read the MSEL");
	cep_buf_init(&b, EX_MSEL_MAX_BYTES * 2);
	for (size_t k = 0; k < NCOLUMNS && rc == 0; k++)
		rc = cep_buf_printf(&b, "%s%s", k ? "," : "", columns[k].column);
	if (rc == 0)
		rc = cep_buf_puts(&b, "\r\n");
	json_array_foreach(rows, i, it) {
		for (size_t k = 0; k < NCOLUMNS && rc == 0; k++) {
			const char *m = columns[k].member;
			const json_t *v = json_object_get(it, !strcmp(m, "at") ? "at_s" :
							      !strcmp(m, "respond_within") ?
								      "respond_within_s" :
								      m);
			char cell[64];

			rc = k ? cep_buf_puts(&b, ",") : 0;
			if (rc < 0)
				break;
			if (columns[k].list) {
				struct cep_buf l;
				size_t j;
				json_t *x;

				cep_buf_init(&l, EX_TEXT_MAX);
				json_array_foreach(v, j, x)
					if (rc == 0)
						rc = cep_buf_printf(&l, "%s%s", j ? ";" : "",
								    json_string_value(x));
				if (rc == 0)
					rc = cep_csv_put_data(&b, l.data ? l.data : "");
				cep_buf_free(&l);
			} else if (!strcmp(m, "at") || (!strcmp(m, "respond_within") && json_is_integer(v))) {
				ex_format_t(json_integer_value(v), cell);
				rc = cep_csv_put_data(&b, cell);
			} else if (json_is_integer(v)) {
				snprintf(cell, sizeof(cell), "%lld", (long long)json_integer_value(v));
				rc = cep_buf_puts(&b, cell);
			} else {
				rc = cep_csv_put_data(&b, json_is_string(v) ? json_string_value(v) : "");
			}
		}
		if (rc == 0)
			rc = cep_buf_puts(&b, "\r\n");
	}
	json_decref(rows);
	if (rc < 0) {
		cep_buf_free(&b);
		return cep_error_set(err, rc, NULL, "cannot write the MSEL");
	}
	*ret_len = b.len;
	*ret_csv = cep_buf_steal(&b);
	return *ret_csv ? 0 : CEP_ENOMEM;
}
