/* cmd_survey.c - `ceptoar survey ...`: the yearly penetration survey
 * (浸透状況調査) from the console: prepare and open a sector's survey, follow
 * who has answered, remind, answer for an operator (--as), read the
 * aggregates and the trends (JSON or CSV). Every action goes through the
 * survey service as the console or --as USER. */
#include "cli/cli.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/err.h"
#include "survey/survey.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void survey_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE survey ACTION [ID] [OPTIONS]\n"
		"\n"
		"The yearly survey of the penetration of safety standards (「安全基準等」の浸透状況\n"
		"等に関する調査): a questionnaire per sector and year generated from the Guideline's\n"
		"marked items (plus a ministry's extra questions), sent to the sector's operators\n"
		"through their inbox, answered per item (implemented, partly, planned, not, na),\n"
		"and aggregated into penetration rates. Answers are read only by the operator that\n"
		"gave them; aggregates are withheld until min_respondents operators have\n"
		"submitted (default %s, %d when unset).\n"
		"\n"
		"Run (NISC; a ministry for its sectors):\n"
		"  create --sector S --year Y --deadline T [--edition E] [--min N] [--remind-days N]\n"
		"         [--questions FILE]      a draft (FILE: [{\"title_ja\", \"title_en\", \"text_ja\"}])\n"
		"  open ID                        open a draft: the operators get it in their inbox\n"
		"  open --sector S --year Y --deadline T [...]   create and open at once\n"
		"  question ID --title-ja T [--title-en T] [--text T]   an extra question (draft)\n"
		"  set ID [--deadline T] [--min N] [--remind-days N]\n"
		"  list [--sector S] [--year Y] [--state draft|open|closed] | show ID\n"
		"  remind ID                      remind the operators that have not submitted\n"
		"  remind-due                     send the reminders due now (the server's worker\n"
		"                                 does this by itself)\n"
		"  close ID\n"
		"Answer (an operator, with --as):\n"
		"  answer ID (--file F | --question Q --status S [--evidence E]) [--submit]\n"
		"                                 F: {\"answers\": [{\"question\", \"status\", \"evidence\"}]}\n"
		"  answers ID                     your own answers\n"
		"Results (NISC; a ministry for its sectors):\n"
		"  results ID [--format json|csv] [--out DIR]\n"
		"  trends [--sector S] [--format json|csv] [--out DIR]\n"
		"\n"
		"Options:\n"
		"  --as USER   act as this user; without it the console acts (as NISC)\n"
		"  --json      print the JSON result instead of text\n"
		"  --limit N, --offset N  page through a list\n"
		"  -h, --help  show this help\n"
		"Times are RFC 3339 (2026-10-31T17:00:00+09:00).\n",
		SURVEY_MIN_ENV, SURVEY_MIN_DEFAULT);
}

static const struct option long_opts[] = {
	{ "as", required_argument, NULL, 'a' },	      { "json", no_argument, NULL, 'j' },
	{ "sector", required_argument, NULL, 's' },     { "year", required_argument, NULL, 'y' },
	{ "deadline", required_argument, NULL, 'd' },   { "edition", required_argument, NULL, 'e' },
	{ "min", required_argument, NULL, 'm' },	      { "remind-days", required_argument, NULL, 'r' },
	{ "questions", required_argument, NULL, 'Q' },  { "title-ja", required_argument, NULL, 'T' },
	{ "title-en", required_argument, NULL, 'E' },   { "text", required_argument, NULL, 'x' },
	{ "state", required_argument, NULL, 't' },      { "file", required_argument, NULL, 'f' },
	{ "question", required_argument, NULL, 'q' },   { "status", required_argument, NULL, 'S' },
	{ "evidence", required_argument, NULL, 'v' },   { "submit", no_argument, NULL, 'u' },
	{ "format", required_argument, NULL, 'F' },     { "out", required_argument, NULL, 'U' },
	{ "limit", required_argument, NULL, 'L' },      { "offset", required_argument, NULL, 'O' },
	{ "help", no_argument, NULL, 'h' },	      { NULL, 0, NULL, 0 },
};

/* Each action: its option letters and whether it takes a survey ID. */
static const struct cli_action actions[] = {
	{ "create", "ajsydemrQ", 0, 0, "" },
	{ "open", "ajsydemrQ", 0, 1, "a survey ID" },
	{ "question", "ajTEx", 1, 1, "a survey ID" },
	{ "set", "ajdmr", 1, 1, "a survey ID" },
	{ "list", "ajsytLO", 0, 0, "" },
	{ "show", "aj", 1, 1, "a survey ID" },
	{ "remind", "aj", 1, 1, "a survey ID" },
	{ "remind-due", "a", 0, 0, "" },
	{ "close", "aj", 1, 1, "a survey ID" },
	{ "answer", "ajfqSvu", 1, 1, "a survey ID" },
	{ "answers", "aj", 1, 1, "a survey ID" },
	{ "results", "aFU", 1, 1, "a survey ID" },
	{ "trends", "asFU", 0, 0, "" },
};

/* {"sector", "year", "deadline", ...} from the options of create/open. */
static int create_input(const char *const *v, json_t **ret, struct cep_error *err)
{
	json_t *in = json_object();
	long n;

	if (!in)
		return CEP_ENOMEM;
	if (v['s'])
		json_object_set_new(in, "sector", json_string(v['s']));
	if (v['d'])
		json_object_set_new(in, "deadline", json_string(v['d']));
	if (v['e'])
		json_object_set_new(in, "edition", json_string(v['e']));
	if (v['y']) {
		if (cli_parse_int(v['y'], 2000, 2100, &n) < 0)
			goto bad_year;
		json_object_set_new(in, "year", json_integer(n));
	}
	if (v['m']) {
		if (cli_parse_int(v['m'], SURVEY_MIN_FLOOR, SURVEY_MIN_MAX, &n) < 0) {
			json_decref(in);
			return cep_error_set(err, CEP_EINVAL, "min", "--min must be %d-%d",
					     SURVEY_MIN_FLOOR, SURVEY_MIN_MAX);
		}
		json_object_set_new(in, "min_respondents", json_integer(n));
	}
	if (v['r']) {
		if (cli_parse_int(v['r'], 0, SURVEY_REMIND_DAYS_MAX, &n) < 0) {
			json_decref(in);
			return cep_error_set(err, CEP_EINVAL, "remind-days", "--remind-days must be 0-%d",
					     SURVEY_REMIND_DAYS_MAX);
		}
		json_object_set_new(in, "remind_days", json_integer(n));
	}
	if (v['Q']) {
		json_t *qs = NULL;
		char *data = NULL;
		size_t len = 0;
		int rc = cli_read_file(v['Q'], 1u << 20, &data, &len, err);

		if (rc == 0 && !(qs = json_loadb(data, len, 0, NULL)))
			rc = cep_error_set(err, CEP_EPARSE, "questions", "%s is not JSON", v['Q']);
		cep_free(data);
		if (rc < 0) {
			json_decref(in);
			return rc;
		}
		json_object_set_new(in, "questions", qs);
	}
	*ret = in;
	return 0;
bad_year:
	json_decref(in);
	return cep_error_set(err, CEP_EINVAL, "year", "--year must be 2000-2100");
}

static int run(struct store *s, const struct cep_principal *p, const char *action, const char *id,
	       const char *const *v, int submit, const struct cep_page *page, json_t **ret,
	       struct cep_error *err)
{
	json_t *in = NULL;
	int rc = 0;

	if (!strcmp(action, "create") || (!strcmp(action, "open") && !id)) {
		rc = create_input(v, &in, err);
		if (rc == 0 && !strcmp(action, "open"))
			json_object_set_new(in, "open", json_true());
		if (rc == 0)
			rc = survey_create(s, p, in, ret, err);
	} else if (!strcmp(action, "open")) {
		rc = survey_open(s, p, id, ret, err);
	} else if (!strcmp(action, "question")) {
		in = json_object();
		if (v['T'])
			json_object_set_new(in, "title_ja", json_string(v['T']));
		if (v['E'])
			json_object_set_new(in, "title_en", json_string(v['E']));
		if (v['x'])
			json_object_set_new(in, "text_ja", json_string(v['x']));
		rc = survey_question_add(s, p, id, in, ret, err);
	} else if (!strcmp(action, "set")) {
		rc = create_input(v, &in, err);
		if (rc == 0)
			rc = survey_update(s, p, id, in, ret, err);
	} else if (!strcmp(action, "list")) {
		long year = 0;

		if (v['y'] && cli_parse_int(v['y'], 2000, 2100, &year) < 0)
			return cep_error_set(err, CEP_EINVAL, "year", "--year must be 2000-2100");
		rc = survey_list(s, p, v['s'], (int)year, v['t'], page, ret, err);
	} else if (!strcmp(action, "show")) {
		rc = survey_get(s, p, id, ret, err);
	} else if (!strcmp(action, "remind")) {
		rc = survey_remind(s, p, id, ret, err);
	} else if (!strcmp(action, "remind-due")) {
		int done = 0;

		rc = survey_remind_due(s, cep_now(), &done, err);
		if (rc == 0)
			printf("%d survey(s) reminded\n", done);
	} else if (!strcmp(action, "close")) {
		rc = survey_close(s, p, id, ret, err);
	} else if (!strcmp(action, "answer")) {
		if (v['f']) {
			rc = cli_read_json(v['f'], &in, err);
		} else if (v['q']) {
			in = json_pack("{s:[{s:s, s:s, s:s}]}", "answers", "question", v['q'], "status",
				       v['S'] ? v['S'] : "", "evidence", v['v'] ? v['v'] : "");
			rc = in ? 0 : CEP_ENOMEM;
		} else {
			in = json_object();
		}
		if (rc == 0 && submit)
			json_object_set_new(in, "submit", json_true());
		if (rc == 0)
			rc = survey_answer(s, p, id, in, ret, err);
	} else if (!strcmp(action, "answers")) {
		rc = survey_answers(s, p, id, NULL, ret, err);
	} else if (!strcmp(action, "results")) {
		rc = survey_results(s, p, id, ret, err);
	} else {
		rc = survey_trends(s, p, v['s'], ret, err);
	}
	json_decref(in);
	return rc;
}

static void print_text(const char *action, const json_t *res)
{
	static const char *const list_cols[] = { "id", "sector", "year", "state", "deadline_at",
						 "submitted", "invited", "my_state", NULL };
	static const char *const resp_cols[] = { "code", "name_ja", "submitted_at", "reminded_at", NULL };
	static const char *const item_cols[] = { "question", "mark", "rate", "rate_with_partly",
						  "applicable", "title_ja", NULL };
	static const char *const trend_cols[] = { "sector", "year", "state", "respondents", "withheld",
						  "rate", "rate_must", "stage", NULL };
	static const char *const ans_cols[] = { "question", "status", "evidence", NULL };

	if (!strcmp(action, "list")) {
		cli_print_list(res, list_cols, false);
	} else if (!strcmp(action, "trends")) {
		cli_print_list(res, trend_cols, false);
	} else if (!strcmp(action, "answers") || !strcmp(action, "answer")) {
		json_t *l = json_pack("{s:O}", "items", json_object_get(res, "answers"));

		printf("answers of %s, submitted: %s\n", json_string_value(json_object_get(res, "org")),
		       json_is_string(json_object_get(res, "submitted_at")) ?
			       json_string_value(json_object_get(res, "submitted_at")) : "not yet");
		cli_print_list(l, ans_cols, false);
		json_decref(l);
	} else if (!strcmp(action, "results")) {
		const json_t *o = json_object_get(res, "overall");
		json_t *l;

		printf("%s: %lld of %lld operators submitted (at least %lld needed)\n",
		       json_string_value(json_object_get(json_object_get(res, "survey"), "title_ja")),
		       (long long)json_integer_value(json_object_get(res, "respondents")),
		       (long long)json_integer_value(json_object_get(res, "invited")),
		       (long long)json_integer_value(json_object_get(res, "min_respondents")));
		if (json_is_true(json_object_get(res, "withheld"))) {
			printf("aggregates withheld: %s\n",
			       json_string_value(json_object_get(res, "withheld_reason")));
			return;
		}
		printf("penetration: %.1f%% overall, %.1f%% of must-consider items; stage %lld (%s)\n",
		       json_real_value(json_object_get(o, "rate")) * 100,
		       json_real_value(json_object_get(o, "rate_must")) * 100,
		       (long long)json_integer_value(json_object_get(json_object_get(res, "maturity"), "stage")),
		       json_string_value(json_object_get(json_object_get(res, "maturity"), "name_ja")));
		l = json_pack("{s:O}", "items", json_object_get(res, "items"));
		cli_print_list(l, item_cols, false);
		json_decref(l);
	} else if (json_object_get(res, "reminded")) {
		printf("reminded %lld operator(s)\n",
		       (long long)json_integer_value(json_object_get(res, "reminded")));
	} else if (json_object_get(res, "questions")) {
		printf("%s  %s\n%s, year %lld, state %s, deadline %s, %zu questions\n",
		       json_string_value(json_object_get(res, "id")),
		       json_string_value(json_object_get(res, "title_ja")),
		       json_string_value(json_object_get(res, "sector")),
		       (long long)json_integer_value(json_object_get(res, "year")),
		       json_string_value(json_object_get(res, "state")),
		       json_string_value(json_object_get(res, "deadline_at")),
		       json_array_size(json_object_get(res, "questions")));
		if (json_object_get(res, "respondents")) {
			json_t *l = json_pack("{s:O}", "items", json_object_get(res, "respondents"));

			cli_print_list(l, resp_cols, false);
			json_decref(l);
		}
	} else {
		cli_print_json(res);
	}
}

int cli_cmd_survey(struct cli_config *cfg, int argc, char **argv)
{
	const char *v[128] = { NULL }, *id = NULL, *action;
	struct cep_page page = cep_page_default();
	struct cep_principal p;
	struct cep_error err;
	char seen[32] = "";
	json_t *res = NULL;
	int json_out = 0, submit = 0, nargs = 0, c, rc;
	struct store *s;

	if ((rc = cli_help_first(argc, argv, survey_usage)) >= 0)
		return rc;
	while ((c = getopt_long(argc - 1, argv + 1, "h", long_opts, NULL)) != -1) {
		cli_seen(seen, sizeof(seen), c);
		if (c == 'h') {
			survey_usage(stdout);
			return CLI_OK;
		}
		if (c == '?')
			return cli_usage("survey", "unknown option");
		if (c == 'j')
			json_out = 1;
		else if (c == 'u')
			submit = 1;
		else if (c == 'L' || c == 'O') {
			if ((rc = cli_page_option("survey", c == 'L', optarg, &page)))
				return rc;
		} else
			v[c] = optarg;
	}
	for (int i = optind + 1; i < argc; i++, nargs++)
		id = argv[i];
	action = argv[1];
	rc = cli_check_table("survey", action, CLI_ACTIONS(actions), long_opts, seen, nargs);
	if (rc)
		return rc;
	if ((!strcmp(action, "create") || (!strcmp(action, "open") && !id)) &&
	    (!v['s'] || !v['y'] || !v['d']))
		return cli_usage("survey", "%s needs --sector, --year and --deadline", action);
	if (!strcmp(action, "question") && !v['T'])
		return cli_usage("survey", "question needs --title-ja");
	if (!strcmp(action, "answer") && !v['f'] && !v['q'] && !submit)
		return cli_usage("survey", "answer needs --file F, or --question Q --status S, or --submit");
	if (v['F'] && strcmp(v['F'], "json") && strcmp(v['F'], "csv"))
		return cli_usage("survey", "--format must be json or csv");
	cep_error_init(&err);
	s = cli_open(cfg, true);
	if (!s)
		return CLI_FAIL;
	rc = cli_principal(s, v['a'], &p, &err);
	if (rc == 0)
		rc = run(s, &p, action, id, v, submit, &page, &res, &err);
	store_close(s);
	if (rc < 0) {
		json_decref(res);
		return cli_fail(&err, rc);
	}
	if (res && v['F'] && !strcmp(v['F'], "csv")) {
		char *csv = NULL;
		size_t len = 0;

		rc = !strcmp(action, "results") ? survey_results_csv(res, &csv, &len) :
						  survey_trends_csv(res, &csv, &len);
		if (rc == 0 && v['U']) {
			rc = cli_make_dir(v['U'], &err);
			if (rc == 0)
				rc = cli_write_out(v['U'], !strcmp(action, "results") ? "results.csv" :
											 "trends.csv",
						   csv, len, &err);
		} else if (rc == 0) {
			fwrite(csv, 1, len, stdout);
		}
		cep_free(csv);
	} else if (res && v['U']) {
		char *text = json_dumps(res, JSON_INDENT(2));

		rc = cli_make_dir(v['U'], &err);
		if (rc == 0 && text)
			rc = cli_write_out(v['U'], !strcmp(action, "results") ? "results.json" : "trends.json",
					   text, strlen(text), &err);
		cep_free(text);
	} else if (res && (json_out || (v['F'] && !strcmp(v['F'], "json")))) {
		cli_print_json(res);
	} else if (res) {
		print_text(action, res);
	} else if (strcmp(action, "remind-due")) {
		printf("done\n");
	}
	json_decref(res);
	return rc < 0 ? cli_fail(&err, rc) : CLI_OK;
}
