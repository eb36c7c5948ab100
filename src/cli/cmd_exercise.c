/* cmd_exercise.c - `ceptoar exercise ...`: cross-sector exercises (分野横断的演習)
 * from the console: plan one (by hand, from a built-in template, from an MSEL
 * file, or generated from an analysis job), name its players and staff, run its
 * scenario clock, and read its live status and after-action report. Every
 * action goes through the exercise service as the console or --as USER. */
#include "cli/cli.h"

#include "base/alloc.h"
#include "base/err.h"
#include "exercise/exercise.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void exercise_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE exercise ACTION [ID] [OPTIONS]\n"
		"\n"
		"Cross-sector exercises (分野横断的演習): a scenario of timed injects (the Master\n"
		"Scenario Events List, MSEL) delivered at their scenario time through the real\n"
		"channels to the players, who answer with the normal tools inside the exercise;\n"
		"everything of an exercise is marked 訓練/EXERCISE and kept apart from real data.\n"
		"\n"
		"Plan:\n"
		"  templates                      the built-in scenarios (2006-2013 themes)\n"
		"  create --title T | --template ID [--description D] [--speed N]\n"
		"                                 plan an exercise (NISC, ministries, CEPTOARs)\n"
		"  list | show ID | delete ID      (delete: the exercise and all of its world)\n"
		"  member ID --role R (--org ORG | --user USER) [--team T] [--remove]\n"
		"                                 players are organisations (team: default their\n"
		"                                 sector); controllers, evaluators, advisers users\n"
		"  members ID | injects ID\n"
		"  msel-import ID --file F [--replace]\n"
		"                                 an MSEL as CSV (.csv) or JSON; all or nothing\n"
		"  msel-export ID [--out DIR]     the MSEL as CSV (stdout, or DIR/msel.csv)\n"
		"  generate ID --job JOB [--max N]\n"
		"                                 injects from a finished analysis run (its\n"
		"                                 facilities' failures, in time order)\n"
		"Run:\n"
		"  start ID | pause ID | resume ID | end ID\n"
		"  advance ID (--to T+3h | --by 30m)   move the scenario clock forward\n"
		"  speed ID --speed N             scenario seconds per real second (1-%d)\n"
		"  reveal ID                      tell the players the hidden cause\n"
		"  status ID                      each player's deliveries, acks, reports\n"
		"Evaluate:\n"
		"  note ID --kind observation|advice|lesson --body B [--org ORG]\n"
		"          [--owner O --due D]    (a lesson needs an owner and a due date)\n"
		"  notes ID\n"
		"  report ID [--format json|csv|html] [--out DIR]\n"
		"                                 the after-action report\n"
		"\n"
		"Options:\n"
		"  --as USER   act as this user; without it the console acts (as NISC)\n"
		"  --json      print the JSON result instead of text\n"
		"  --limit N, --offset N  page through a list\n"
		"  -h, --help  show this help\n"
		"Scenario times: T+3h, T+1h30m, 90m, 2d, 03:00 or seconds.\n",
		EX_SPEED_MAX);
}

static const struct option long_opts[] = {
	{ "as", required_argument, NULL, 'a' },	 { "json", no_argument, NULL, 'j' },
	{ "title", required_argument, NULL, 'T' },	 { "description", required_argument, NULL, 'd' },
	{ "template", required_argument, NULL, 'p' }, { "speed", required_argument, NULL, 's' },
	{ "file", required_argument, NULL, 'f' },	 { "replace", no_argument, NULL, 'r' },
	{ "role", required_argument, NULL, 'R' },	 { "org", required_argument, NULL, 'o' },
	{ "user", required_argument, NULL, 'u' },	 { "team", required_argument, NULL, 't' },
	{ "remove", no_argument, NULL, 'X' },	 { "job", required_argument, NULL, 'J' },
	{ "max", required_argument, NULL, 'm' },	 { "to", required_argument, NULL, 'x' },
	{ "by", required_argument, NULL, 'b' },	 { "kind", required_argument, NULL, 'k' },
	{ "body", required_argument, NULL, 'B' },	 { "owner", required_argument, NULL, 'w' },
	{ "due", required_argument, NULL, 'D' },	 { "format", required_argument, NULL, 'F' },
	{ "out", required_argument, NULL, 'U' },	 { "limit", required_argument, NULL, 'L' },
	{ "offset", required_argument, NULL, 'O' },	 { "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct ex_opts {
	const char *v[128]; /* string options by letter */
	int json, replace, remove;
	long speed, max;
	struct cep_page page;
	char seen[32];
	const char *id;
	int nargs;
};

static int parse(int argc, char **argv, struct ex_opts *o, bool *ret_helped)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->page = cep_page_default();
	o->speed = o->max = -1;
	*ret_helped = false;
	while ((c = getopt_long(argc - 1, argv + 1, "h", long_opts, NULL)) != -1) {
		cli_seen(o->seen, sizeof(o->seen), c);
		switch (c) {
		case 'j': o->json = 1; break;
		case 'r': o->replace = 1; break;
		case 'X': o->remove = 1; break;
		case 's':
			if (cli_parse_int(optarg, 1, EX_SPEED_MAX, &o->speed) < 0)
				return cli_usage("exercise", "--speed must be 1-%d", EX_SPEED_MAX);
			break;
		case 'm':
			if (cli_parse_int(optarg, 1, 200, &o->max) < 0)
				return cli_usage("exercise", "--max must be 1-200");
			break;
		case 'L':
		case 'O':
			if ((rc = cli_page_option("exercise", c == 'L', optarg, &o->page)))
				return rc;
			break;
		case 'h':
			exercise_usage(stdout);
			*ret_helped = true;
			return 0;
		case '?':
			return cli_usage("exercise", "unknown option");
		default:
			o->v[c] = optarg;
		}
	}
	for (int i = optind + 1; i < argc; i++, o->nargs++)
		o->id = argv[i];
	return 0;
}

/* Each action: its option letters and whether it takes an exercise ID. */
static const struct cli_action actions[] = {
	{ "templates", "j", 0, 0, "" },
	{ "create", "aTdpsj", 0, 0, "" },
	{ "list", "aLOj", 0, 0, "" },
	{ "show", "aj", 1, 1, "an exercise ID" },
	{ "delete", "a", 1, 1, "an exercise ID" },
	{ "member", "aRoutX", 1, 1, "an exercise ID" },
	{ "members", "aj", 1, 1, "an exercise ID" },
	{ "injects", "aj", 1, 1, "an exercise ID" },
	{ "msel-import", "afrj", 1, 1, "an exercise ID" },
	{ "msel-export", "aU", 1, 1, "an exercise ID" },
	{ "generate", "aJmj", 1, 1, "an exercise ID" },
	{ "start", "aj", 1, 1, "an exercise ID" },
	{ "pause", "aj", 1, 1, "an exercise ID" },
	{ "resume", "aj", 1, 1, "an exercise ID" },
	{ "end", "aj", 1, 1, "an exercise ID" },
	{ "advance", "axbj", 1, 1, "an exercise ID" },
	{ "speed", "asj", 1, 1, "an exercise ID" },
	{ "reveal", "aj", 1, 1, "an exercise ID" },
	{ "status", "aj", 1, 1, "an exercise ID" },
	{ "note", "akBowDj", 1, 1, "an exercise ID" },
	{ "notes", "aj", 1, 1, "an exercise ID" },
	{ "report", "aFUj", 1, 1, "an exercise ID" },
};

/* The member each string option becomes in a service's input. */
static const char *const members[128] = {
	['T'] = "title", ['d'] = "description", ['p'] = "template", ['R'] = "role", ['o'] = "org",
	['u'] = "user",	 ['t'] = "team",	['J'] = "job",	    ['x'] = "to",   ['b'] = "by",
	['k'] = "kind",	 ['B'] = "body",	['w'] = "owner",    ['D'] = "due",
};

/* A JSON object of the string options given among letters. */
static json_t *input(const struct ex_opts *o, const char *letters)
{
	json_t *in = json_object();

	for (const char *q = letters; in && *q; q++)
		if (o->v[(int)*q])
			json_object_set_new(in, members[(int)*q], json_string(o->v[(int)*q]));
	return in;
}

/* Run action on the store as p; *ret the JSON result (NULL for none), *ret_text a
 * text result (CSV/HTML) and its length. */
static int run(struct store *s, const struct cep_principal *p, const char *action,
	       const struct ex_opts *o, json_t **ret, char **ret_text, size_t *ret_len,
	       struct cep_error *err)
{
	const char *id = o->id;
	json_t *in = NULL;
	int rc;

	if (!strcmp(action, "templates"))
		return exercise_templates(ret);
	if (!strcmp(action, "create")) {
		in = input(o, "Tdp");
		if (in && o->speed > 0)
			json_object_set_new(in, "speed", json_integer(o->speed));
		rc = in ? exercise_create(s, p, in, ret, err) : CEP_ENOMEM;
	} else if (!strcmp(action, "list")) {
		rc = exercise_list(s, p, &o->page, ret, err);
	} else if (!strcmp(action, "show")) {
		rc = exercise_get(s, p, id, ret, err);
	} else if (!strcmp(action, "delete")) {
		rc = exercise_delete(s, p, id, err);
	} else if (!strcmp(action, "member")) {
		in = input(o, o->remove ? "Rou" : "Rout");
		rc = !in ? CEP_ENOMEM :
		     o->remove ? exercise_member_remove(s, p, id, in, err) :
				 exercise_member_add(s, p, id, in, ret, err);
	} else if (!strcmp(action, "members")) {
		rc = exercise_members(s, p, id, ret, err);
	} else if (!strcmp(action, "injects")) {
		rc = exercise_injects(s, p, id, ret, err);
	} else if (!strcmp(action, "msel-import")) {
		char *data = NULL;
		size_t len = 0;
		const char *f = o->v['f'];
		int csv = f && strlen(f) > 4 && !strcmp(f + strlen(f) - 4, ".csv");
		json_t *errors = NULL;

		rc = cli_read_file(f, EX_MSEL_MAX_BYTES, &data, &len, err);
		if (rc == 0)
			rc = exercise_msel_import(s, p, id, data, len, csv, o->replace, ret, &errors,
						  err);
		if (rc < 0 && errors) {
			size_t i;
			json_t *e;

			json_array_foreach(errors, i, e)
				fprintf(stderr, "  %s %lld: %s: %s\n",
					json_object_get(e, "line") ? "line" : "inject",
					(long long)json_integer_value(json_object_get(
						e, json_object_get(e, "line") ? "line" : "index")),
					json_string_value(json_object_get(e, "field")),
					json_string_value(json_object_get(e, "message")));
		}
		json_decref(errors);
		cep_free(data);
	} else if (!strcmp(action, "msel-export")) {
		rc = exercise_msel_csv(s, p, id, ret_text, ret_len, err);
	} else if (!strcmp(action, "generate")) {
		in = input(o, "J");
		if (in && o->max > 0)
			json_object_set_new(in, "max_injects", json_integer(o->max));
		rc = in ? exercise_generate(s, p, id, in, ret, err) : CEP_ENOMEM;
	} else if (!strcmp(action, "advance") || !strcmp(action, "speed") ||
		   !strcmp(action, "start") || !strcmp(action, "pause") ||
		   !strcmp(action, "resume") || !strcmp(action, "end")) {
		in = input(o, "xb");
		if (in)
			json_object_set_new(in, "action", json_string(action));
		if (in && o->speed > 0)
			json_object_set_new(in, "speed", json_integer(o->speed));
		rc = in ? exercise_clock(s, p, id, in, ret, err) : CEP_ENOMEM;
	} else if (!strcmp(action, "reveal")) {
		rc = exercise_reveal(s, p, id, ret, err);
	} else if (!strcmp(action, "status")) {
		rc = exercise_status(s, p, id, ret, err);
	} else if (!strcmp(action, "note")) {
		in = input(o, "kBowD");
		rc = in ? exercise_note_add(s, p, id, in, ret, err) : CEP_ENOMEM;
	} else if (!strcmp(action, "notes")) {
		rc = exercise_notes(s, p, id, ret, err);
	} else { /* report */
		const char *fmt = o->v['F'] ? o->v['F'] : "json";

		if (strcmp(fmt, "json") && strcmp(fmt, "csv") && strcmp(fmt, "html"))
			return cep_error_set(err, CEP_EINVAL, "format", "--format must be json, csv or html");
		rc = exercise_report(s, p, id, ret, err);
		if (rc == 0 && strcmp(fmt, "json")) {
			rc = !strcmp(fmt, "csv") ? exercise_report_csv(*ret, ret_text, ret_len) :
						   exercise_report_html(*ret, ret_text, ret_len);
			json_decref(*ret);
			*ret = NULL;
		}
	}
	json_decref(in);
	return rc;
}

/* The text form of a result. */
static void print_text(const char *action, const json_t *res)
{
	static const char *const ex_cols[] = { "id", "state", "scenario_s", "title", NULL };
	static const char *const inj_cols[] = { "seq", "at_s", "state", "to", "title", NULL };
	static const char *const pl_cols[] = { "org_code", "team", "delivered", "acked", "reports",
					       "shares", "last_action_s", NULL };

	if (!strcmp(action, "list")) {
		cli_print_list(res, ex_cols, false);
	} else if (!strcmp(action, "injects")) {
		cli_print_list(res, inj_cols, false);
	} else if (!strcmp(action, "status")) {
		json_t *l = json_pack("{s:O}", "items", json_object_get(res, "players"));

		printf("state %s, scenario clock at %lld s\n",
		       json_string_value(json_object_get(res, "state")),
		       (long long)json_integer_value(json_object_get(res, "scenario_s")));
		cli_print_list(l, pl_cols, false);
		json_decref(l);
	} else if (json_object_get(res, "id") && json_object_get(res, "state")) {
		printf("%s  %s  %s, scenario clock at %lld s\n",
		       json_string_value(json_object_get(res, "id")),
		       json_string_value(json_object_get(res, "title")),
		       json_string_value(json_object_get(res, "state")),
		       (long long)json_integer_value(json_object_get(res, "scenario_s")));
	} else {
		cli_print_json(res);
	}
}

int cli_cmd_exercise(struct cli_config *cfg, int argc, char **argv)
{
	struct cep_principal p;
	struct cep_error err;
	struct ex_opts o;
	json_t *res = NULL;
	char *text = NULL;
	size_t len = 0;
	struct store *s;
	bool helped;
	int rc;

	if ((rc = cli_help_first(argc, argv, exercise_usage)) >= 0)
		return rc;
	rc = parse(argc, argv, &o, &helped);
	if (rc || helped)
		return rc;
	rc = cli_check_table("exercise", argv[1], CLI_ACTIONS(actions), long_opts, o.seen, o.nargs);
	if (rc)
		return rc;
	if (!strcmp(argv[1], "create") && !o.v['T'] && !o.v['p'])
		return cli_usage("exercise", "create needs --title T or --template ID");
	if (!strcmp(argv[1], "msel-import") && !o.v['f'])
		return cli_usage("exercise", "msel-import needs --file F");
	if (!strcmp(argv[1], "generate") && !o.v['J'])
		return cli_usage("exercise", "generate needs --job JOB");
	cep_error_init(&err);
	s = cli_open(cfg, true);
	if (!s)
		return CLI_FAIL;
	rc = cli_principal(s, o.v['a'], &p, &err);
	if (rc == 0)
		rc = run(s, &p, argv[1], &o, &res, &text, &len, &err);
	store_close(s);
	if (rc < 0) {
		json_decref(res);
		cep_free(text);
		return cli_fail(&err, rc);
	}
	if (text && o.v['U']) {
		char name[64];

		snprintf(name, sizeof(name), "%s.%s", !strcmp(argv[1], "report") ? "after-action" : "msel",
			 !strcmp(argv[1], "report") && o.v['F'] ? o.v['F'] : "csv");
		rc = cli_make_dir(o.v['U'], &err);
		if (rc == 0)
			rc = cli_write_out(o.v['U'], name, text, len, &err);
	} else if (text) {
		fwrite(text, 1, len, stdout);
	} else if (res && o.json) {
		cli_print_json(res);
	} else if (res) {
		print_text(argv[1], res);
	} else {
		printf("done\n");
	}
	json_decref(res);
	cep_free(text);
	return rc < 0 ? cli_fail(&err, rc) : CLI_OK;
}
