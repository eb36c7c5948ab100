/* cmd_drill.c - `ceptoar drill ...`: CEPTOAR drills (セプター訓練) from the
 * console: start one (its fan-out is done at once here; the e-mails and
 * webhooks go out from the server's delivery worker or `ceptoar deliver`),
 * list them, read one drill's figures, its results per member and a CEPTOAR's
 * history. Acts as the console (NISC's rights) or, with --as, as a user. */
#include "cli/cli.h"

#include "base/alloc.h"
#include "base/json.h"
#include "core/page.h"
#include "drill/drill.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

struct drill_opts {
	const char *as, *ceptoar, *title, *message_ja, *message_en, *deadline, *result;
	const char *manual, *outcome, *at, *note;
	long minutes; /* -1: not given */
	int json, csv;
	struct cep_page page;
	char seen[24];
	const char *arg, *target; /* the drill id; record: the target */
	int nargs;
};

static const struct option long_opts[] = {
	{ "as", required_argument, NULL, 'a' },	       { "ceptoar", required_argument, NULL, 'c' },
	{ "title", required_argument, NULL, 'T' },     { "message-ja", required_argument, NULL, 'm' },
	{ "message-en", required_argument, NULL, 'e' }, { "deadline", required_argument, NULL, 'd' },
	{ "minutes", required_argument, NULL, 'M' },   { "result", required_argument, NULL, 'r' },
	{ "csv", no_argument, NULL, 'C' },	       { "json", no_argument, NULL, 'j' },
	{ "limit", required_argument, NULL, 'L' },     { "offset", required_argument, NULL, 'O' },
	{ "manual", required_argument, NULL, 'P' },    { "outcome", required_argument, NULL, 'o' },
	{ "at", required_argument, NULL, 't' },	       { "note", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },	       { NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE drill ACTION [OPTIONS]\n"
		"\n"
		"CEPTOAR drills (セプター訓練): a test message to every member organisation of a\n"
		"CEPTOAR (or of every CEPTOAR) over each of its channels - the web inbox and\n"
		"each e-mail and webhook contact - each with its own acknowledgement link or\n"
		"token, and a deadline; with --manual, their phones and FAX too, called by\n"
		"the secretariat, who records each outcome. The figures say who was reached\n"
		"and who acknowledged on time, late or never, per channel and per member;\n"
		"the history of a CEPTOAR's drills shows whether its reachability improves\n"
		"or decays.\n"
		"Drill messages never appear among alerts, reports or their statistics.\n"
		"\n"
		"Actions:\n"
		"  start --ceptoar ID --title T --message-ja TEXT [--message-en TEXT]\n"
		"        (--minutes N | --deadline TIME) [--manual phone,fax] [--as USER]\n"
		"        [--json]\n"
		"        start a drill (NISC: any CEPTOAR, or all with --ceptoar all;\n"
		"        a secretariat: its own). The e-mails and webhooks are sent by the\n"
		"        running server, or by `ceptoar deliver`\n"
		"  calls ID [--as USER] [--limit N] [--offset N] [--json]\n"
		"        the phone and FAX targets not acknowledged yet, with their ids,\n"
		"        by member name\n"
		"  record ID TARGET --outcome acked|reached|unreachable [--at TIME]\n"
		"        [--note TEXT] [--as USER] [--json]\n"
		"        record a call or FAX: acknowledged, reached (no confirmation yet)\n"
		"        or not reached; --at when it happened (default now)\n"
		"  list [--ceptoar ID|all] [--as USER] [--limit N] [--offset N] [--json]\n"
		"        drills, newest first, with their member figures\n"
		"  show ID [--as USER] [--json]\n"
		"        one drill: members and targets reached, acknowledged on time, late,\n"
		"        never (or still pending before the deadline), bounced, failed;\n"
		"        the same per channel\n"
		"  members ID [--result on_time|late|never|pending|bounced] [--csv]\n"
		"        [--as USER] [--limit N] [--offset N] [--json]\n"
		"        the result of each member organisation and its channels (--csv:\n"
		"        every member as CSV on standard output)\n"
		"  history --ceptoar ID|all [--as USER] [--json]\n"
		"        the rates of each drill of a CEPTOAR, oldest first\n"
		"\n"
		"Options:\n"
		"  --as USER           act as this user; without it the console acts\n"
		"  --ceptoar ID        a CEPTOAR id (see `ceptoar registry ceptoars`); all:\n"
		"                      the members of every CEPTOAR (NISC)\n"
		"  --title T           (start) at most %d characters\n"
		"  --message-ja TEXT   (start) the message in Japanese (at most %d characters)\n"
		"  --message-en TEXT   (start) the message in English\n"
		"  --minutes N         (start) the deadline, N minutes from now (1-%d)\n"
		"  --deadline TIME     (start) the deadline as RFC 3339, e.g.\n"
		"                      2026-04-01T17:00:00+09:00\n"
		"  --manual LIST       (start) phone, fax or phone,fax: drilled by hand too\n"
		"  --outcome O, --at TIME, --note TEXT  (record) what happened, when, a note\n"
		"  --limit N, --offset N  page through a list (limit 1-%d, default %d)\n"
		"  --json              print the JSON result instead of text or a table\n"
		"  -h, --help          show this help\n"
		"\n"
		"Example:\n"
		"  ceptoar --db var/ceptoar.db drill start --ceptoar bank-ceptoar \\\n"
		"      --title '2026年度 第1回 連絡訓練' --message-ja '受領確認をお願いします' \\\n"
		"      --minutes 120\n",
		DRILL_TITLE_MAX, DRILL_MESSAGE_MAX, DRILL_DEADLINE_MAX_MINUTES, CEP_PAGE_MAX,
		CEP_PAGE_DEFAULT);
}

/* Parse argv (argv[1] the action). 0, CLI_USAGE, or -1 after --help. */
static int parse(int argc, char **argv, struct drill_opts *o)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->minutes = -1;
	o->page = cep_page_default();
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "h", long_opts, NULL)) != -1) {
		cli_seen(o->seen, sizeof(o->seen), c);
		switch (c) {
		case 'a': o->as = optarg; break;
		case 'c': o->ceptoar = optarg; break;
		case 'T': o->title = optarg; break;
		case 'm': o->message_ja = optarg; break;
		case 'e': o->message_en = optarg; break;
		case 'd': o->deadline = optarg; break;
		case 'r': o->result = optarg; break;
		case 'P': o->manual = optarg; break;
		case 'o': o->outcome = optarg; break;
		case 't': o->at = optarg; break;
		case 'n': o->note = optarg; break;
		case 'C': o->csv = 1; break;
		case 'j': o->json = 1; break;
		case 'M':
			if (cli_parse_int(optarg, 1, DRILL_DEADLINE_MAX_MINUTES, &o->minutes) < 0)
				return cli_usage("drill", "--minutes must be 1-%d",
						 DRILL_DEADLINE_MAX_MINUTES);
			break;
		case 'L':
		case 'O':
			if ((rc = cli_page_option("drill", c == 'L', optarg, &o->page)))
				return rc;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			return cli_usage("drill", "unknown option");
		}
	}
	for (int i = optind + 1; i < argc; i++) {
		if (o->nargs == 2)
			return cli_usage("drill", "too many arguments");
		*(o->nargs ? &o->target : &o->arg) = argv[i];
		o->nargs++;
	}
	return 0;
}

/* The input of start from the options (caller json_decref); NULL: out of memory. */
static json_t *start_input(const struct drill_opts *o)
{
	json_t *in = json_pack("{s:s, s:s}", "title", o->title, "message_ja", o->message_ja);

	if (in && o->ceptoar && strcmp(o->ceptoar, "all"))
		json_object_set_new(in, "ceptoar", json_string(o->ceptoar));
	if (in && o->message_en)
		json_object_set_new(in, "message_en", json_string(o->message_en));
	if (in && o->deadline)
		json_object_set_new(in, "deadline", json_string(o->deadline));
	if (in && o->minutes >= 0)
		json_object_set_new(in, "deadline_minutes", json_integer(o->minutes));
	/* "phone,fax" -> ["phone", "fax"]: the service checks the names */
	if (in && o->manual &&
	    (json_object_set_new(in, "manual", json_string(o->manual)) < 0 ||
	     cep_json_split(in, "manual") < 0)) {
		json_decref(in);
		return NULL;
	}
	return in;
}

/* The input of record from the options (caller json_decref); NULL: out of memory. */
static json_t *record_input(const struct drill_opts *o)
{
	json_t *in = json_pack("{s:s}", "outcome", o->outcome);

	if (in && o->at)
		json_object_set_new(in, "at", json_string(o->at));
	if (in && o->note)
		json_object_set_new(in, "note", json_string(o->note));
	return in;
}

static const char *str(const json_t *v, const char *key)
{
	const char *t = json_string_value(json_object_get(v, key));

	return t ? t : "-";
}

static void print_counts(const char *label, const json_t *c)
{
	const json_t *r = json_object_get(c, "rates");

	printf("%-10s %6lld  reached %6lld (%5.1f%%)  on time %6lld (%5.1f%%)  late %5lld  "
	       "never %5lld  pending %5lld  bounced %4lld  failed %4lld\n",
	       label, (long long)json_integer_value(json_object_get(c, "total")),
	       (long long)json_integer_value(json_object_get(c, "reached")),
	       100 * json_real_value(json_object_get(r, "reached")),
	       (long long)json_integer_value(json_object_get(c, "acked_on_time")),
	       100 * json_real_value(json_object_get(r, "acked_on_time")),
	       (long long)json_integer_value(json_object_get(c, "late")),
	       (long long)json_integer_value(json_object_get(c, "never")),
	       (long long)json_integer_value(json_object_get(c, "pending")),
	       (long long)json_integer_value(json_object_get(c, "bounced")),
	       (long long)json_integer_value(json_object_get(c, "failed")));
}

static void print_drill(const json_t *d)
{
	const json_t *fig = json_object_get(d, "figures"), *c;
	size_t i;

	printf("%-12s %s\n%-12s %s\n%-12s %s\n%-12s %s (%s)\n%-12s %s\n%-12s %s\n%-12s %s\n\n",
	       "drill", str(d, "id"), "title", str(d, "title"), "ceptoar",
	       json_is_string(json_object_get(d, "ceptoar")) ? str(d, "ceptoar") : "(all)",
	       "started by", str(d, "started_by"), str(d, "org_name_ja"), "started",
	       str(d, "created_at"), "deadline", str(d, "deadline_at"), "state", str(d, "state"));
	printf("fan-out %s\n", str(d, "fanout"));
	print_counts("members", json_object_get(fig, "members"));
	print_counts("targets", json_object_get(fig, "targets"));
	json_array_foreach(json_object_get(fig, "per_channel"), i, c)
		print_counts(str(c, "channel"), c);
}

/* Each action: its option letters and positional arguments. */
static const struct cli_action actions[] = {
	{ "start", "acTmedMPj", 0, 0, "" },
	{ "calls", "aLOj", 1, 1, "a drill ID" },
	{ "record", "aotnj", 2, 2, "a drill ID and a TARGET id (see `drill calls`)" },
	{ "list", "acLOj", 0, 0, "" },
	{ "show", "aj", 1, 1, "a drill ID" },
	{ "members", "arCLOj", 1, 1, "a drill ID" },
	{ "history", "acj", 0, 0, "" },
};

int cli_cmd_drill(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const list_cols[] = { "id", "ceptoar", "title", "state", "deadline_at",
						 "member_count", NULL };
	static const char *const member_cols[] = { "org_code", "org_name_ja", "result", "acked_at",
						   "acked_via", NULL };
	static const char *const call_cols[] = { "target", "org_code", "channel", "address",
						 "state", "attempts", "org_name_ja", NULL };
	struct cep_principal p;
	struct drill_opts o;
	struct cep_error err;
	const char *action;
	json_t *in = NULL, *res = NULL;
	char *csv = NULL;
	size_t csv_len = 0;
	struct store *s;
	int rc;

	if ((rc = cli_help_first(argc, argv, usage)) >= 0)
		return rc;
	action = argv[1];
	rc = parse(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	rc = cli_check_table("drill", action, CLI_ACTIONS(actions), long_opts, o.seen, o.nargs);
	if (rc)
		return rc;
	if (!strcmp(action, "start") && (!o.ceptoar || !o.title || !o.message_ja))
		return cli_usage("drill", "start needs --ceptoar ID|all, --title and --message-ja");
	if (!strcmp(action, "history") && !o.ceptoar)
		return cli_usage("drill", "history needs --ceptoar ID|all");
	if (!strcmp(action, "record") && !o.outcome)
		return cli_usage("drill", "record needs --outcome acked|reached|unreachable");
	cep_error_init(&err);
	if ((!strcmp(action, "start") && !(in = start_input(&o))) ||
	    (!strcmp(action, "record") && !(in = record_input(&o))))
		return cli_fail(&err, CEP_ENOMEM);
	s = cli_open(cfg, true);
	if (!s) {
		json_decref(in);
		return CLI_FAIL;
	}
	rc = cli_principal(s, o.as, &p, &err);
	if (rc == 0 && !strcmp(action, "start")) {
		rc = drill_start(s, &p, in, &res, &err);
		if (rc == 0) { /* the targets at once; the server's worker would do it too */
			json_decref(res);
			res = NULL;
			rc = drill_fanout_pending(s, 16, NULL, &err);
		}
		if (rc == 0)
			rc = drill_list(s, &p, NULL, &(struct cep_page){ 1, 0 }, &res, &err);
		if (rc == 0) {
			json_t *first = json_incref(json_array_get(json_object_get(res, "items"), 0));

			json_decref(res);
			res = NULL;
			rc = first ? drill_get(s, &p, str(first, "id"), &res, &err) : CEP_ENOTFOUND;
			json_decref(first);
		}
	} else if (rc == 0 && !strcmp(action, "list")) {
		rc = drill_list(s, &p, o.ceptoar, &o.page, &res, &err);
	} else if (rc == 0 && !strcmp(action, "show")) {
		rc = drill_get(s, &p, o.arg, &res, &err);
	} else if (rc == 0 && !strcmp(action, "calls")) {
		rc = drill_calls(s, &p, o.arg, &o.page, &res, &err);
	} else if (rc == 0 && !strcmp(action, "record")) {
		rc = drill_record(s, &p, o.arg, o.target, in, &res, &err);
	} else if (rc == 0 && !strcmp(action, "members") && o.csv) {
		rc = drill_members_csv(s, &p, o.arg, &csv, &csv_len, &err);
	} else if (rc == 0 && !strcmp(action, "members")) {
		rc = drill_members(s, &p, o.arg, o.result, &o.page, &res, &err);
	} else if (rc == 0) {
		rc = drill_history(s, &p, o.ceptoar, &res, &err);
	}
	store_close(s);
	json_decref(in);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (csv) {
		fwrite(csv, 1, csv_len, stdout);
		cep_free(csv);
	} else if (o.json) {
		cli_print_json(res);
	} else if (!strcmp(action, "start") || !strcmp(action, "show")) {
		print_drill(res);
	} else if (!strcmp(action, "list")) {
		cli_print_list(res, list_cols, false);
	} else if (!strcmp(action, "members")) {
		cli_print_list(res, member_cols, false);
	} else if (!strcmp(action, "calls")) {
		cli_print_list(res, call_cols, false);
	} else if (!strcmp(action, "record")) {
		printf("target %s (%s %s): %s, reached %s, acknowledged %s, attempts %lld%s\n",
		       o.target, str(res, "channel"), str(res, "address"), str(res, "state"),
		       str(res, "reached_at"), str(res, "acked_at"),
		       (long long)json_integer_value(json_object_get(res, "attempts")),
		       json_is_true(json_object_get(res, "already")) ? " (already acknowledged)" : "");
	} else {
		json_t *it;
		size_t i;

		json_array_foreach(json_object_get(res, "items"), i, it) {
			const json_t *m = json_object_get(it, "members");

			printf("%s  %s  ", str(it, "created_at"), str(it, "id"));
			print_counts(str(it, "state"), m);
		}
	}
	json_decref(res);
	return CLI_OK;
}
