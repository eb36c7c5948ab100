/* generate.c - scenario generation from the analysis engine: the failures
 * of a finished cascade run (its nodes.csv: every failed facility in order
 * of first failure, with its sector, what took it down and through what)
 * become injects for the players of each affected sector, at the times the
 * facilities failed. */
#include "exercise/internal.h"

#include "audit/audit.h"
#include "base/alloc.h"
#include "base/crypto.h"
#include "base/csv.h"
#include "base/json.h"
#include "jobs/jobs.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUPS_MAX 4096
#define FIELDS_MAX 32 /* of a row of nodes.csv */

/* One group of failed facilities: a sector and a kind of facility in a place
 * (the node's name without its serial number, or its id without it). */
struct group {
	char sector[CEP_ID_MAX];
	char label[160];
	double first_h;
	int count, by_event, via_n;
	char via[32];
};

/* The group label of a node: its name (else id) without a trailing serial. */
static void label_of(const char *name, const char *id, char *out, size_t size)
{
	const char *src = name && *name ? name : id;
	size_t n = strlen(src);

	while (n > 0 && isdigit((unsigned char)src[n - 1]))
		n--;
	while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '/' || src[n - 1] == '-'))
		n--;
	if (n == 0)
		n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(out, src, n);
	out[n] = '\0';
}

/* What a dependency kind is called in Japanese (the engine's names). */
static const char *via_ja(const char *via)
{
	static const struct {
		const char *en, *ja;
	} names[] = {
		{ "power", "電力" },	    { "communications", "通信" }, { "comms", "通信" },
		{ "water", "水" },	    { "fuel", "燃料" },	     { "transport", "輸送" },
		{ "data", "データ連携" }, { "settlement", "決済" },   { "gas", "ガス" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(via, names[i].en, strlen(names[i].en)))
			return names[i].ja;
	return via;
}

/* Read nodes.csv into groups (*ret, n). */
static int read_groups(const char *csv, size_t len, struct group *g, int *ret_n,
		       struct cep_error *err)
{
	struct cep_csv *c = cep_csv_new(csv, len, FIELDS_MAX, 4096);
	const char *t[FIELDS_MAX];
	int col_id = -1, col_name = -1, col_sector = -1, col_first = -1, col_cause = -1,
	    col_via = -1, n = 0, header = 1, rc;
	char **f;
	size_t nf, line;

	if (!c)
		return CEP_ENOMEM;
	while ((rc = cep_csv_next(c, &f, &nf, &line)) == 1) {
		char label[160];
		int k;

		if (header) {
			for (size_t i = 0; i < nf; i++) {
				col_id = !strcmp(f[i], "id") ? (int)i : col_id;
				col_name = !strcmp(f[i], "name") ? (int)i : col_name;
				col_sector = !strcmp(f[i], "sector") ? (int)i : col_sector;
				col_first = !strcmp(f[i], "first_failure_hours") ? (int)i : col_first;
				col_cause = !strcmp(f[i], "cause") ? (int)i : col_cause;
				col_via = !strcmp(f[i], "via") ? (int)i : col_via;
			}
			header = 0;
			if (col_id < 0 || col_sector < 0 || col_first < 0)
				break;
			continue;
		}
		if ((size_t)col_first >= nf || (size_t)col_sector >= nf || (size_t)col_id >= nf)
			continue;
		/* the report's texts, without the mark that keeps a spreadsheet
		 * from running them */
		for (size_t i = 0; i < nf; i++)
			t[i] = cep_csv_text(f[i]);
		label_of(col_name >= 0 && (size_t)col_name < nf ? t[col_name] : "", t[col_id], label,
			 sizeof(label));
		for (k = 0; k < n; k++)
			if (!strcmp(g[k].sector, t[col_sector]) && !strcmp(g[k].label, label))
				break;
		if (k == n) {
			if (n == GROUPS_MAX)
				continue;
			memset(&g[n], 0, sizeof(g[n]));
			snprintf(g[n].sector, sizeof(g[n].sector), "%s", t[col_sector]);
			snprintf(g[n].label, sizeof(g[n].label), "%s", label);
			g[n].first_h = strtod(f[col_first], NULL);
			n++;
		}
		g[k].count++;
		if (col_cause >= 0 && (size_t)col_cause < nf && !strcmp(t[col_cause], "event"))
			g[k].by_event++;
		if (col_via >= 0 && (size_t)col_via < nf && *t[col_via] && !g[k].via[0])
			snprintf(g[k].via, sizeof(g[k].via), "%s", t[col_via]);
		if (strtod(f[col_first], NULL) < g[k].first_h)
			g[k].first_h = strtod(f[col_first], NULL);
	}
	cep_csv_free(c);
	if (header || col_id < 0 || col_sector < 0 || col_first < 0)
		return cep_error_set(err, CEP_EINVAL, "job",
				     "the job's nodes.csv lacks the columns of a cascade run");
	if (rc < 0)
		return cep_error_set(err, CEP_EPARSE, "job", "the job's nodes.csv line %zu: %s", line,
				     cep_csv_error(c));
	*ret_n = n;
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->first_h != y->first_h)
		return x->first_h < y->first_h ? -1 : 1;
	return y->count - x->count;
}

static int by_count(const void *a, const void *b)
{
	return ((const struct group *)b)->count - ((const struct group *)a)->count;
}

int exercise_generate(struct store *s, const struct cep_principal *p, const char *id,
		      const json_t *in, json_t **ret, struct cep_error *err)
{
	static const char *const allowed[] = { "job", "max_injects", "per_sector", NULL };
	const json_t *max_in = json_object_get(in, "max_injects"),
		     *per_in = json_object_get(in, "per_sector");
	const char *job_id = NULL, *type = NULL;
	json_t *job = NULL, *sectors = json_object(), *row = NULL, *injects = NULL;
	struct cep_error why = { 0 }; /* the jobs service's answer, told in our terms */
	struct group *g = NULL;
	char *csv = NULL;
	size_t len = 0;
	int rc = cep_json_only(in, allowed, err), n = 0, max = 20, per = 3, added = 0, begun = 0;

	if (rc == 0)
		rc = cep_json_text(in, "job", 64, 1, 0, &job_id, err);
	if (rc == 0 && max_in && (!json_is_integer(max_in) || json_integer_value(max_in) < 1 ||
				  json_integer_value(max_in) > 200))
		rc = cep_error_set(err, CEP_EINVAL, "max_injects", "max_injects must be 1 to 200");
	if (rc == 0 && per_in && (!json_is_integer(per_in) || json_integer_value(per_in) < 1 ||
				  json_integer_value(per_in) > 20))
		rc = cep_error_set(err, CEP_EINVAL, "per_sector", "per_sector must be 1 to 20");
	if (rc == 0 && max_in)
		max = (int)json_integer_value(max_in);
	if (rc == 0 && per_in)
		per = (int)json_integer_value(per_in);
	if (rc == 0)
		rc = ex_require(s, p, id, CEP_ACT_EXERCISE_CONTROL, &row, err);
	/* the job as p may read it: its org's, or any for NISC */
	if (rc == 0 && jobs_get(s, p, job_id, &job, &why) < 0)
		rc = cep_error_set(err, CEP_EINVAL, "job", "no such analysis job: %s", job_id);
	if (rc == 0 && (strcmp(json_string_value(json_object_get(job, "kind")), "run") ||
			strcmp(json_string_value(json_object_get(job, "state")), "done")))
		rc = cep_error_set(err, CEP_ESEMANTIC, "job",
				   "the job must be a finished cascade run (kind run, state done)");
	if (rc == 0 && jobs_file(s, p, job_id, "nodes.csv", &csv, &len, &type, &why) < 0)
		rc = cep_error_set(err, CEP_ESEMANTIC, "job",
				   "the job has no nodes.csv: run it as one trial");
	g = rc == 0 ? cep_calloc(GROUPS_MAX, sizeof(*g)) : NULL;
	if (rc == 0 && !g)
		rc = CEP_ENOMEM;
	if (rc == 0)
		rc = read_groups(csv, len, g, &n, err);
	if (rc == 0 && n == 0)
		rc = cep_error_set(err, CEP_ESEMANTIC, "job",
				   "nothing failed in that run: no injects to make");
	if (rc == 0) {
		/* per sector its largest groups, then all in order of time */
		int kept = 0;

		qsort(g, (size_t)n, sizeof(*g), by_count);
		for (int i = 0; i < n && kept < max; i++) {
			json_t *c = json_object_get(sectors, g[i].sector);
			int have = c ? (int)json_integer_value(c) : 0;

			if (have >= per)
				continue;
			json_object_set_new(sectors, g[i].sector, json_integer(have + 1));
			g[kept++] = g[i];
		}
		n = kept;
		qsort(g, (size_t)n, sizeof(*g), by_time);
	}
	if (rc == 0) {
		rc = store_begin(s);
		begun = rc == 0;
	}
	json_object_clear(sectors);
	for (int i = 0; i < n && rc == 0; i++) {
		char iid[CEP_UUID_LEN + 1], title[300], desc[1200], t[32], sector_to[CEP_ID_MAX + 8];
		int64_t at = (int64_t)llround(g[i].first_h * 3600.0);
		int first_of_sector = !json_object_get(sectors, g[i].sector);
		json_t *inj;

		json_object_set_new(sectors, g[i].sector, json_true());
		ex_format_t(at, t);
		snprintf(title, sizeof(title), "%s %d か所が停止", g[i].label, g[i].count);
		if (g[i].by_event == g[i].count)
			snprintf(desc, sizeof(desc),
				 "%s: %s の %d か所が停止しました (初期事象)。"
				 " / %s: %d facilities (%s) are down: the initial event.",
				 t, g[i].label, g[i].count, t, g[i].count, g[i].label);
		else
			snprintf(desc, sizeof(desc),
				 "%s: %s の %d か所が%sの途絶により停止しました (予備電源・蓄電池の枯渇を含む)。"
				 " / %s: %d facilities (%s) are down after losing %s.",
				 t, g[i].label, g[i].count, via_ja(g[i].via[0] ? g[i].via : "power"), t,
				 g[i].count, g[i].label, g[i].via[0] ? g[i].via : "their supply");
		snprintf(sector_to, sizeof(sector_to), "sector:%s", g[i].sector);
		inj = json_pack("{s:I, s:[s], s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "at",
				(json_int_t)at, "to", sector_to, "type", "situation", "from",
				"統制 (相互依存性解析)", "title", title, "description", desc, "objective",
				first_of_sector ? "波及の早期把握と分野横断的な共有" : "波及の把握",
				"expected",
				first_of_sector ? json_pack("[s,s,s]", "ack", "report", "share") :
						  json_pack("[s,s]", "ack", "report"),
				"notes", job_id, "sub_scenario", g[i].sector);
		if (!inj) {
			rc = CEP_ENOMEM;
			break;
		}
		cep_uuid(iid);
		rc = ex_inject_write(s, id, iid, inj, NULL, err);
		json_decref(inj);
		added += rc == 0;
	}
	if (begun) { /* all or nothing */
		json_t *detail = json_pack("{s:s, s:i}", "job", job_id, "injects", added);

		rc = audit_commit(s, rc, p, "exercise.generate", "exercise", id, detail, "the injects",
				  err);
		json_decref(detail);
	}
	if (rc == 0)
		rc = exercise_injects(s, p, id, &injects, err);
	if (rc == 0)
		*ret = json_pack("{s:i, s:O}", "added", added, "injects",
				 json_object_get(injects, "items"));
	cep_free(g);
	cep_free(csv);
	json_decref(job);
	json_decref(row);
	json_decref(sectors);
	json_decref(injects);
	return rc;
}
