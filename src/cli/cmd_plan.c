/* cmd_plan.c - `ceptoar plan ...`: the PDCA of the action plan and each
 * year's plan (行動計画・年度計画) from the console, and `ceptoar stats ...`:
 * the IT-failure statistics its evaluation reads. Every action goes through
 * the plan service as the console or --as USER. */
#include "cli/cli.h"

#include "base/alloc.h"
#include "base/err.h"
#include "plan/plan.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void plan_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE plan ACTION [PLAN [MEASURE|INDICATOR]] [OPTIONS]\n"
		"\n"
		"The PDCA of the action plan (行動計画) and of each year's plan (年度計画): plans\n"
		"with pillars (施策の柱) and measures (具体的施策), each with its owners (NISC,\n"
		"ministries), target and deadline; the owners' half-yearly progress reports; the\n"
		"year-end evaluation by NISC with the grades A, A-staffing (「A」: as planned, but\n"
		"staffing must be resolved), B+, B, C and -; the summary (\"116 of 133 measures,\n"
		"87.2%%, as planned\": A and A-staffing of all measures); evaluation indicators\n"
		"(評価指標) per area, filled each year, with their trend.\n"
		"\n"
		"Plan:\n"
		"  samples                        the sample plans compiled in\n"
		"  load-sample [NAME]             load a sample (default plan-2008: the 2008\n"
		"                                 measures of the seed), once\n"
		"  create --file F                a plan as JSON (see docs/plans.md)\n"
		"  list | show PLAN | delete PLAN\n"
		"  measures PLAN [--owner ORG] [--grade G|none]\n"
		"Correct a plan (fields as JSON, as PATCH and POST in docs/api.md):\n"
		"  edit PLAN --file F             the plan's titles, period, source, parent\n"
		"  add-measure PLAN PILLAR --file F   a measure under a pillar (id or code)\n"
		"  edit-measure PLAN MEASURE --file F the fields given: code, titles, owners,\n"
		"                                 targets, deadline, pillar, position (its\n"
		"                                 place in its pillar, 0 first)\n"
		"  delete-measure PLAN MEASURE [--force]  --force: with its progress and grade\n"
		"Do and check:\n"
		"  progress PLAN MEASURE          the measure's progress reports\n"
		"  progress PLAN MEASURE --year Y --half H1|H2 --status S [--note T] [--org ORG]\n"
		"                                 file one (S: not-started, on-track, delayed,\n"
		"                                 completed); the console names the owner (--org),\n"
		"                                 a user (--as) files for its own organisation\n"
		"Act (evaluate):\n"
		"  evaluate PLAN MEASURE --grade A|A-staffing|B+|B|C|- [--comment C]\n"
		"  summary PLAN                   counts by grade and \"N of M, x%%, as planned\"\n"
		"  evaluation PLAN [--csv] [--out DIR]   the evaluation of every measure\n"
		"  indicators PLAN                evaluation indicators with values and trend\n"
		"  indicator PLAN --area A --name-ja N [--name-en N] [--unit U]\n"
		"            [--better higher|lower]\n"
		"  indicator-value PLAN INDICATOR --year Y --value V [--note T]\n"
		"\n"
		"Options:\n"
		"  --as USER   act as this user; without it the console acts (as NISC)\n"
		"  --json      print the JSON result instead of text\n"
		"  --limit N, --offset N  page through a list\n"
		"  -h, --help  show this help\n"
		"Years are fiscal years (年度: April to March); H1 is April-September.\n");
}

static void stats_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE stats it-failures [OPTIONS]\n"
		"\n"
		"IT-failure statistics: the reports that breached their service's verification\n"
		"level (検証レベル), counted per year, sector and cause category, as the action\n"
		"plan's evaluation requires. Reports made in an exercise never count. The year\n"
		"is that of the failure (occurred_at, else the report's creation) in JST.\n"
		"\n"
		"Options:\n"
		"  --year Y       only that year\n"
		"  --sector ID    only that sector (ceptoar registry sectors)\n"
		"  --cause ID     only that cause category (ceptoar registry threats), or none\n"
		"  --calendar     calendar years (default: fiscal years, 年度, April-March)\n"
		"  --csv          CSV (year, sector, sector_name_ja, sector_name_en,\n"
		"                 cause_category, count)\n"
		"  --as USER      count as this user (NISC: all sectors; a ministry: its own)\n"
		"  --json         print the JSON result\n"
		"  -h, --help     show this help\n");
}

static const struct option long_opts[] = {
	{ "as", required_argument, NULL, 'a' },	 { "json", no_argument, NULL, 'j' },
	{ "file", required_argument, NULL, 'f' }, { "owner", required_argument, NULL, 'o' },
	{ "grade", required_argument, NULL, 'g' }, { "year", required_argument, NULL, 'y' },
	{ "half", required_argument, NULL, 'H' }, { "status", required_argument, NULL, 's' },
	{ "note", required_argument, NULL, 'n' }, { "org", required_argument, NULL, 'O' },
	{ "comment", required_argument, NULL, 'c' }, { "csv", no_argument, NULL, 'C' },
	{ "out", required_argument, NULL, 'U' },	 { "area", required_argument, NULL, 'A' },
	{ "name-ja", required_argument, NULL, 'J' }, { "name-en", required_argument, NULL, 'E' },
	{ "unit", required_argument, NULL, 'u' },	 { "better", required_argument, NULL, 'b' },
	{ "value", required_argument, NULL, 'v' }, { "sector", required_argument, NULL, 'S' },
	{ "cause", required_argument, NULL, 'K' }, { "calendar", no_argument, NULL, 'Y' },
	{ "limit", required_argument, NULL, 'L' }, { "offset", required_argument, NULL, 'F' },
	{ "force", no_argument, NULL, 'X' },	 { "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct plan_opts {
	const char *v[128]; /* string options by letter */
	int json, csv, calendar, force;
	long year;
	struct cep_page page;
	char seen[32];
	const char *args[2];
	int nargs;
};

static int parse(const char *cmd, int argc, char **argv, struct plan_opts *o, bool *ret_helped)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->page = cep_page_default();
	*ret_helped = false;
	while ((c = getopt_long(argc - 1, argv + 1, "h", long_opts, NULL)) != -1) {
		cli_seen(o->seen, sizeof(o->seen), c);
		switch (c) {
		case 'j': o->json = 1; break;
		case 'C': o->csv = 1; break;
		case 'Y': o->calendar = 1; break;
		case 'X': o->force = 1; break;
		case 'y':
			if (cli_parse_int(optarg, PLAN_YEAR_MIN, PLAN_YEAR_MAX, &o->year) < 0)
				return cli_usage(cmd, "--year must be %d-%d", PLAN_YEAR_MIN, PLAN_YEAR_MAX);
			break;
		case 'L':
		case 'F':
			if ((rc = cli_page_option(cmd, c == 'L', optarg, &o->page)))
				return rc;
			break;
		case 'h':
			if (!strcmp(cmd, "plan"))
				plan_usage(stdout);
			else
				stats_usage(stdout);
			*ret_helped = true;
			return 0;
		case '?':
			return cli_usage(cmd, "unknown option");
		default:
			o->v[c] = optarg;
		}
	}
	for (int i = optind + 1; i < argc; i++, o->nargs++)
		if (o->nargs < 2)
			o->args[o->nargs] = argv[i];
	return 0;
}

/* Each action: its option letters and its positional arguments. */
static const struct cli_action actions[] = {
	{ "samples", "j", 0, 0, "" },
	{ "load-sample", "aj", 0, 1, "a sample NAME" },
	{ "create", "afj", 0, 0, "" },
	{ "list", "aLFj", 0, 0, "" },
	{ "show", "aj", 1, 1, "a PLAN id" },
	{ "delete", "a", 1, 1, "a PLAN id" },
	{ "measures", "aogj", 1, 1, "a PLAN id" },
	{ "edit", "afj", 1, 1, "a PLAN id" },
	{ "add-measure", "afj", 2, 2, "a PLAN and a PILLAR (id or code)" },
	{ "edit-measure", "afj", 2, 2, "a PLAN and a MEASURE id" },
	{ "delete-measure", "aX", 2, 2, "a PLAN and a MEASURE id" },
	{ "progress", "ayHsnOj", 2, 2, "a PLAN and a MEASURE id" },
	{ "evaluate", "agcj", 2, 2, "a PLAN and a MEASURE id" },
	{ "summary", "aj", 1, 1, "a PLAN id" },
	{ "evaluation", "aCUj", 1, 1, "a PLAN id" },
	{ "indicators", "aj", 1, 1, "a PLAN id" },
	{ "indicator", "aAJEubj", 1, 1, "a PLAN id" },
	{ "indicator-value", "ayvnj", 2, 2, "a PLAN and an INDICATOR id" },
};

/* The member each string option becomes in a service's input. */
static const char *const members[128] = {
	['H'] = "half", ['s'] = "status", ['n'] = "note",	 ['O'] = "org",  ['g'] = "grade",
	['c'] = "comment", ['A'] = "area", ['J'] = "name_ja", ['E'] = "name_en", ['u'] = "unit",
	['b'] = "better",
};

static json_t *input(const struct plan_opts *o, const char *letters)
{
	json_t *in = json_object();

	for (const char *q = letters; in && *q; q++)
		if (o->v[(int)*q])
			json_object_set_new(in, members[(int)*q], json_string(o->v[(int)*q]));
	if (in && o->year)
		json_object_set_new(in, "year", json_integer(o->year));
	return in;
}

static int run(struct store *s, const struct cep_principal *p, const char *action,
	       const struct plan_opts *o, json_t **ret, char **ret_text, size_t *ret_len,
	       struct cep_error *err)
{
	const char *id = o->args[0], *sub = o->args[1];
	json_t *in = NULL;
	int rc;

	if (!strcmp(action, "samples"))
		return plan_samples(ret);
	if (!strcmp(action, "load-sample")) {
		rc = plan_load_sample(s, p, id ? id : "plan-2008", ret, err);
	} else if (!strcmp(action, "create")) {
		rc = cli_read_json(o->v['f'], &in, err);
		if (rc == 0)
			rc = plan_create(s, p, in, ret, err);
	} else if (!strcmp(action, "list")) {
		rc = plan_list(s, p, &o->page, ret, err);
	} else if (!strcmp(action, "show")) {
		rc = plan_get(s, p, id, ret, err);
	} else if (!strcmp(action, "delete")) {
		rc = plan_delete(s, p, id, err);
	} else if (!strcmp(action, "edit") || !strcmp(action, "add-measure") ||
		   !strcmp(action, "edit-measure")) {
		rc = cli_read_json(o->v['f'], &in, err);
		if (rc == 0 && !strcmp(action, "edit"))
			rc = plan_update(s, p, id, in, ret, err);
		else if (rc == 0 && !strcmp(action, "add-measure"))
			rc = plan_measure_add(s, p, id, sub, in, ret, err);
		else if (rc == 0)
			rc = plan_measure_update(s, p, id, sub, in, ret, err);
	} else if (!strcmp(action, "delete-measure")) {
		rc = plan_measure_delete(s, p, id, sub, o->force, err);
	} else if (!strcmp(action, "measures")) {
		rc = plan_measures(s, p, id, o->v['o'], o->v['g'], ret, err);
	} else if (!strcmp(action, "progress")) {
		if (!o->v['s']) {
			rc = plan_progress_list(s, p, id, sub, ret, err);
		} else {
			in = input(o, "HsnO");
			rc = in ? plan_progress_add(s, p, id, sub, in, ret, err) : CEP_ENOMEM;
		}
	} else if (!strcmp(action, "evaluate")) {
		in = input(o, "gc");
		rc = in ? plan_evaluate(s, p, id, sub, in, ret, err) : CEP_ENOMEM;
	} else if (!strcmp(action, "summary")) {
		rc = plan_summary(s, p, id, ret, err);
	} else if (!strcmp(action, "evaluation")) {
		rc = o->csv ? plan_evaluation_csv(s, p, id, ret_text, ret_len, err) :
			      plan_measures(s, p, id, NULL, NULL, ret, err);
	} else if (!strcmp(action, "indicators")) {
		rc = plan_indicators(s, p, id, ret, err);
	} else if (!strcmp(action, "indicator")) {
		in = input(o, "AJEub");
		rc = in ? plan_indicator_add(s, p, id, in, ret, err) : CEP_ENOMEM;
	} else { /* indicator-value */
		char *end = NULL;
		double v = o->v['v'] ? strtod(o->v['v'], &end) : 0;

		if (!o->v['v'] || end == o->v['v'] || *end)
			return cep_error_set(err, CEP_EINVAL, "value", "--value must be a number");
		in = input(o, "n");
		if (in)
			json_object_set_new(in, "value", json_real(v));
		rc = in ? plan_indicator_value(s, p, id, sub, in, ret, err) : CEP_ENOMEM;
	}
	json_decref(in);
	return rc;
}

static void print_text(const char *action, const json_t *res)
{
	static const char *const plan_cols[] = { "id", "kind", "year", "measures", "evaluated",
						 "title_ja", NULL };
	static const char *const m_cols[] = { "id", "code", "deadline", "grade", "title_ja", NULL };
	static const char *const p_cols[] = { "year", "half", "org_code", "status", "note", NULL };
	static const char *const i_cols[] = { "id", "area", "unit", "trend", "assessment",
					      "name_ja", NULL };

	if (!strcmp(action, "list")) {
		cli_print_list(res, plan_cols, false);
	} else if (!strcmp(action, "measures") || !strcmp(action, "evaluation")) {
		cli_print_list(res, m_cols, false);
	} else if (!strcmp(action, "progress") && json_object_get(res, "items")) {
		cli_print_list(res, p_cols, false);
	} else if (!strcmp(action, "indicators")) {
		cli_print_list(res, i_cols, false);
	} else if (!strcmp(action, "summary")) {
		const json_t *by = json_object_get(res, "by_grade");
		const char *k;
		json_t *v;

		printf("%s\n%s\n", json_string_value(json_object_get(res, "text_ja")),
		       json_string_value(json_object_get(res, "text_en")));
		json_object_foreach((json_t *)by, k, v)
			printf("  %-11s %lld\n", k, (long long)json_integer_value(v));
		printf("  evaluated   %lld of %lld\n",
		       (long long)json_integer_value(json_object_get(res, "evaluated")),
		       (long long)json_integer_value(json_object_get(res, "measures")));
	} else if (json_object_get(res, "summary") && json_object_get(res, "title_ja")) {
		printf("%s  %s  (%s)\n%s\n", json_string_value(json_object_get(res, "id")),
		       json_string_value(json_object_get(res, "title_ja")),
		       json_string_value(json_object_get(res, "kind")),
		       json_string_value(json_object_get(json_object_get(res, "summary"), "text_en")));
	} else {
		cli_print_json(res);
	}
}

int cli_cmd_plan(struct cli_config *cfg, int argc, char **argv)
{
	struct cep_principal p;
	struct cep_error err;
	struct plan_opts o;
	json_t *res = NULL;
	char *text = NULL;
	size_t len = 0;
	struct store *s;
	bool helped;
	int rc;

	if ((rc = cli_help_first(argc, argv, plan_usage)) >= 0)
		return rc;
	rc = parse("plan", argc, argv, &o, &helped);
	if (rc || helped)
		return rc;
	rc = cli_check_table("plan", argv[1], CLI_ACTIONS(actions), long_opts, o.seen, o.nargs);
	if (rc)
		return rc;
	if ((!strcmp(argv[1], "create") || !strcmp(argv[1], "edit") ||
	     !strcmp(argv[1], "add-measure") || !strcmp(argv[1], "edit-measure")) && !o.v['f'])
		return cli_usage("plan", "%s needs --file F", argv[1]);
	if (!strcmp(argv[1], "evaluate") && !o.v['g'])
		return cli_usage("plan", "evaluate needs --grade G");
	if (!strcmp(argv[1], "indicator-value") && (!o.year || !o.v['v']))
		return cli_usage("plan", "indicator-value needs --year Y and --value V");
	if (!strcmp(argv[1], "evaluation") && o.v['U'] && !o.csv)
		return cli_usage("plan", "--out writes the CSV: add --csv");
	cep_error_init(&err);
	s = cli_open(cfg, true);
	if (!s)
		return CLI_FAIL;
	rc = cli_principal(s, o.v['a'], &p, &err);
	if (rc == 0)
		rc = run(s, &p, argv[1], &o, &res, &text, &len, &err);
	store_close(s);
	if (rc == 0 && text && o.v['U']) {
		rc = cli_make_dir(o.v['U'], &err);
		if (rc == 0)
			rc = cli_write_out(o.v['U'], "evaluation.csv", text, len, &err);
	} else if (rc == 0 && text) {
		fwrite(text, 1, len, stdout);
	} else if (rc == 0 && res && o.json) {
		cli_print_json(res);
	} else if (rc == 0 && res) {
		print_text(argv[1], res);
	} else if (rc == 0) {
		printf("done\n");
	}
	json_decref(res);
	cep_free(text);
	return rc < 0 ? cli_fail(&err, rc) : CLI_OK;
}

/* The statistics' one action. */
static const struct cli_action stats_actions[] = {
	{ "it-failures", "aySKYCj", 0, 0, "" },
};

int cli_cmd_stats(struct cli_config *cfg, int argc, char **argv)
{
	struct plan_stats_query q = { 0 };
	struct cep_principal p;
	struct cep_error err;
	struct plan_opts o;
	json_t *res = NULL;
	char *text = NULL;
	size_t len = 0;
	struct store *s;
	bool helped;
	int rc;

	if ((rc = cli_help_first(argc, argv, stats_usage)) >= 0)
		return rc;
	rc = parse("stats", argc, argv, &o, &helped);
	if (rc || helped)
		return rc;
	rc = cli_check_table("stats", argv[1], CLI_ACTIONS(stats_actions), long_opts, o.seen, o.nargs);
	if (rc)
		return rc;
	q.year = (int)o.year;
	q.sector = o.v['S'];
	q.cause = o.v['K'];
	q.fiscal = !o.calendar;
	cep_error_init(&err);
	s = cli_open(cfg, true);
	if (!s)
		return CLI_FAIL;
	rc = cli_principal(s, o.v['a'], &p, &err);
	if (rc == 0)
		rc = plan_stats_it_failures(s, &p, &q, &res, &err);
	store_close(s);
	if (rc == 0 && o.csv) {
		rc = plan_stats_csv(res, &text, &len);
		if (rc == 0)
			fwrite(text, 1, len, stdout);
		else
			cep_error_set(&err, rc, NULL, "cannot write the statistics");
	} else if (rc == 0 && o.json) {
		cli_print_json(res);
	} else if (rc == 0) {
		static const char *const cols[] = { "year", "sector", "cause_category", "count", NULL };

		cli_print_list(res, cols, false);
		printf("total %lld (%s years)\n",
		       (long long)json_integer_value(json_object_get(res, "total")),
		       json_string_value(json_object_get(res, "basis")));
	}
	json_decref(res);
	cep_free(text);
	return rc < 0 ? cli_fail(&err, rc) : CLI_OK;
}
