/* cmd_share.c - `ceptoar report ...`, `ceptoar alert ...`, `ceptoar inbox ...` and
 * `ceptoar deliver ...`: the information-sharing system (情報共有体制) from the console.
 *
 * The console acts as a user with --as NAME (the user's role and organisation, so the
 * same policy as the API applies), or else as the console principal, who may read
 * everything but belongs to no organisation: it cannot report or have an inbox, and
 * the alerts it sends go out in NISC's name. */
#include "cli/cli.h"

#include "base/alloc.h"
#include "core/page.h"
#include "deliver/deliver.h"
#include "http/http.h"
#include "share/share.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* A JSON input file has the cap of a JSON request body of the API. */
#define INPUT_MAX HTTP_MAX_BODY_DEFAULT

/* Everything the four commands accept. Each action says which options apply. */
struct share_opts {
	const char *as, *file, *status, *sector, *cause, *tlp, *org, *q, *severity, *state;
	const char *incident;
	int version;
	int json;
	struct cep_page page;
	char seen[32];         /* the option letters given, in order */
	const char *args[2];   /* positional arguments after the action */
	int nargs;
};

static const struct option share_long_opts[] = {
	{ "as", required_argument, NULL, 'a' },      { "file", required_argument, NULL, 'f' },
	{ "version", required_argument, NULL, 'v' }, { "json", no_argument, NULL, 'j' },
	{ "status", required_argument, NULL, 's' },  { "sector", required_argument, NULL, 'S' },
	{ "cause", required_argument, NULL, 'c' },   { "tlp", required_argument, NULL, 't' },
	{ "org", required_argument, NULL, 'o' },     { "q", required_argument, NULL, 'q' },
	{ "severity", required_argument, NULL, 'e' }, { "state", required_argument, NULL, 'x' },
	{ "limit", required_argument, NULL, 'L' },   { "offset", required_argument, NULL, 'O' },
	{ "incident", required_argument, NULL, 'I' }, { "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The long name of option letter c (for messages). Static string. */
/* Parse argv (argv[0] the command, argv[1] the action) into *o; the positional
 * arguments after the action go to o->args. With --help, prints help(stdout) and sets
 * *ret_helped. Returns 0, or CLI_USAGE after printing why. The strings in *o are
 * borrowed from argv. */
static int share_parse(const char *cmd, int argc, char **argv, struct share_opts *o,
		       void (*help)(FILE *), bool *ret_helped)
{
	long v;
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->page = cep_page_default();
	*ret_helped = false;
	while ((c = getopt_long(argc - 1, argv + 1, "h", share_long_opts, NULL)) != -1) {
		cli_seen(o->seen, sizeof(o->seen), c);
		switch (c) {
		case 'a': o->as = optarg; break;
		case 'f': o->file = optarg; break;
		case 'j': o->json = 1; break;
		case 's': o->status = optarg; break;
		case 'S': o->sector = optarg; break;
		case 'c': o->cause = optarg; break;
		case 't': o->tlp = optarg; break;
		case 'o': o->org = optarg; break;
		case 'q': o->q = optarg; break;
		case 'e': o->severity = optarg; break;
		case 'x': o->state = optarg; break;
		case 'I': o->incident = optarg; break;
		case 'v':
			if (cli_parse_int(optarg, 1, 1000000000, &v) < 0)
				return cli_usage(cmd, "--version must be a version number (1 or more)");
			o->version = (int)v;
			break;
		case 'L':
		case 'O':
			if ((rc = cli_page_option(cmd, c == 'L', optarg, &o->page)))
				return rc;
			break;
		case 'h':
			help(stdout);
			*ret_helped = true;
			return 0;
		default:
			return cli_usage(cmd, "unknown option");
		}
	}
	for (int i = optind + 1; i < argc; i++) {
		if (o->nargs == 2)
			return cli_usage(cmd, "too many arguments");
		o->args[o->nargs++] = argv[i];
	}
	return 0;
}

/* The frame of the four commands: usage without an action or with --help
 * first, the options parsed into *o, the action (argv[1]) checked against
 * table[0..n). Returns -1 to go on, else the exit status. */
static int share_frame(const char *cmd, int argc, char **argv, void (*usage)(FILE *),
		       const struct cli_action *table, size_t n, struct share_opts *o)
{
	bool helped;
	int rc;

	if ((rc = cli_help_first(argc, argv, usage)) >= 0)
		return rc;
	rc = share_parse(cmd, argc, argv, o, usage, &helped);
	if (rc || helped)
		return rc;
	rc = cli_check_table(cmd, argv[1], table, n, share_long_opts, o->seen, o->nargs);
	return rc ? rc : -1;
}

/* ---- printing ---- */

/* Member key of v as display text into out (size bytes): strings as they are, numbers,
 * yes/no, arrays of strings joined with ", "; "-" when absent or null. */
static const char *text_of(const json_t *v, const char *key, char *out, size_t size)
{
	const json_t *m = json_object_get(v, key);
	size_t i, len = 0;
	json_t *e;

	if (json_is_string(m))
		snprintf(out, size, "%s", json_string_value(m));
	else if (json_is_integer(m))
		snprintf(out, size, "%lld", (long long)json_integer_value(m));
	else if (json_is_boolean(m))
		snprintf(out, size, "%s", json_is_true(m) ? "yes" : "no");
	else if (json_is_array(m) && json_array_size(m) > 0) {
		out[0] = '\0';
		json_array_foreach(m, i, e) {
			const char *t = json_string_value(e);

			if (t && len + strlen(t) + 3 < size)
				len += (size_t)snprintf(out + len, size - len, "%s%s", i ? ", " : "", t);
		}
	} else
		snprintf(out, size, "-");
	return out;
}

/* One "label: value" line per {label, key} pair of rows (NULL-terminated). */
static void print_fields(const json_t *v, const char *const rows[][2])
{
	char buf[1024];

	for (size_t i = 0; rows[i][0]; i++)
		printf("%-22s %s\n", rows[i][0], text_of(v, rows[i][1], buf, sizeof(buf)));
}

/* A multi-line text member under its label after a blank line, indented; nothing
 * when absent or empty. */
static void print_block(const json_t *v, const char *label, const char *key)
{
	char head[64];

	snprintf(head, sizeof(head), "\n%s", label);
	cli_print_text(head, json_string_value(json_object_get(v, key)));
}

/* Add key (a new string member) to every item of res's "items", the reporter as a
 * reader sees it: the org's code, or the anonymous label. */
static void add_reporter(json_t *res)
{
	size_t i;
	json_t *it;

	json_array_foreach(json_object_get(res, "items"), i, it) {
		const json_t *code = json_object_get(it, "org_code");

		json_object_set_new(it, "reporter",
				    json_is_string(code) ? json_incref((json_t *)code)
							 : json_incref(json_object_get(it, "reporter_en")));
	}
}

/* The indicators of a report or alert, one a line. */
static void print_indicators(const json_t *v)
{
	const json_t *a = json_object_get(v, "indicators");
	size_t i;
	json_t *e;

	if (json_array_size(a) == 0)
		return;
	printf("\nindicators:\n");
	json_array_foreach(a, i, e)
		printf("  %-8s %s\n", json_string_value(json_object_get(e, "type")),
		       json_string_value(json_object_get(e, "value")));
}

static void print_report(const json_t *r)
{
	static const char *const head[][2] = {
		{ "id", "id" },
		{ "version", "version" },
		{ "status", "status" },
		{ "title", "title" },
		{ NULL, NULL },
	};
	static const char *const rows[][2] = {
		{ "sector", "sector" },
		{ "ministry", "ministry" },
		{ "ceptoars", "ceptoars" },
		{ "tlp", "tlp" },
		{ "scope", "scope" },
		{ "show name", "show_name" },
		{ "handling", "handling" },
		{ "classification", "classification" },
		{ "occurred at", "occurred_at" },
		{ "detected at", "detected_at" },
		{ "service", "service_name_ja" },
		{ "system", "system_name_ja" },
		{ "cause category", "cause_category" },
		{ "threat types", "threat_types" },
		{ "verification breached", "verification_breached" },
		{ "created", "created_at" },
		{ "updated", "updated_at" },
		{ NULL, NULL },
	};
	const json_t *att = json_object_get(r, "attachments"), *ver = json_object_get(r, "versions");
	size_t i;
	json_t *e;

	print_fields(r, head);
	if (json_is_true(json_object_get(r, "anonymous")))
		printf("%-22s %s (anonymous)\n", "reporter",
		       json_string_value(json_object_get(r, "reporter_ja")));
	else
		printf("%-22s %s (%s)\n", "reporter",
		       json_string_value(json_object_get(r, "org_name_ja")),
		       json_string_value(json_object_get(r, "org_code")));
	print_fields(r, rows);
	if (json_array_size(ver) > 0) {
		printf("%-22s", "versions");
		json_array_foreach(ver, i, e)
			printf(" %lld", (long long)json_integer_value(json_object_get(e, "version")));
		printf("\n");
	}
	print_block(r, "description", "description");
	print_block(r, "service impact", "service_impact");
	print_block(r, "cause analysis", "cause_analysis");
	print_block(r, "recurrence prevention", "recurrence_prevention");
	print_indicators(r);
	if (json_array_size(att) > 0) {
		printf("\nattachments:\n");
		json_array_foreach(att, i, e)
			printf("  %s  %s  %lld bytes  sha256 %s\n",
			       json_string_value(json_object_get(e, "id")),
			       json_string_value(json_object_get(e, "name")),
			       (long long)json_integer_value(json_object_get(e, "size")),
			       json_string_value(json_object_get(e, "sha256")));
	}
}

static void print_alert(const json_t *a)
{
	static const char *const rows[][2] = {
		{ "id", "id" },
		{ "severity", "severity" },
		{ "from", "org_name_ja" },
		{ "title (ja)", "title_ja" },
		{ "title (en)", "title_en" },
		{ "tlp", "tlp" },
		{ "handling", "handling" },
		{ "classification", "classification" },
		{ "acknowledge by", "ack_deadline" },
		{ "fan-out", "fanout" },
		{ "recipients", "recipients" },
		{ "references", "references" },
		{ "created", "created_at" },
		{ NULL, NULL },
	};
	char *aud = json_dumps(json_object_get(a, "audience"), JSON_COMPACT);

	print_fields(a, rows);
	printf("%-22s %s\n", "audience", aud ? aud : "-");
	cep_free(aud); /* jansson allocates through the project's wrappers */
	print_block(a, "body (ja)", "body_ja");
	print_block(a, "body (en)", "body_en");
	print_block(a, "actions", "actions");
	print_indicators(a);
}

/* Add "state" to every inbox item: acked, opened or new. */
static void add_state(json_t *res)
{
	size_t i;
	json_t *it;

	json_array_foreach(json_object_get(res, "items"), i, it) {
		const char *st = "new";

		if (json_is_string(json_object_get(it, "acked_at")))
			st = "acked";
		else if (json_is_string(json_object_get(it, "opened_at")))
			st = "opened";
		json_object_set_new(it, "state", json_string(st));
	}
}

/* ---- report ---- */

static void report_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE report ACTION [OPTIONS]\n"
		"\n"
		"IT-failure reports (IT障害の情報連絡): an operator reports to its ministry, which\n"
		"relays to NISC; the TLP and scope say how far a report may travel beyond them.\n"
		"\n"
		"Actions:\n"
		"  create --as USER --file FILE [--json]\n"
		"        file a report for USER's organisation (an operator). FILE (or - for\n"
		"        standard input) holds one JSON object: title, description, status\n"
		"        (first), occurred_at, detected_at, service_id, system_id, cause_category\n"
		"        (intentional, unintentional, disaster-illness, spillover), threat_types,\n"
		"        service_impact, verification_breached, cause_analysis,\n"
		"        recurrence_prevention, indicators, tlp (CLEAR, GREEN, AMBER (default),\n"
		"        AMBER+STRICT, RED), scope (ministry (default), ceptoar, council, all),\n"
		"        show_name, handling, classification. See src/share/share.h.\n"
		"  update ID --as USER --file FILE [--json]\n"
		"        add a version: FILE holds the members that change and \"version\", the\n"
		"        version you read (a stale one is refused). Status only moves forward\n"
		"        (first, update, recovered, final); a final report takes no more versions.\n"
		"  show ID [--as USER] [--version N] [--json]\n"
		"        the report as USER may see it (the reporter is anonymous beyond its\n"
		"        ministry and NISC unless it agreed to be named); --version N an earlier\n"
		"        version\n"
		"  list [--as USER] [--status S] [--sector ID] [--cause C] [--tlp T] [--org ORG]\n"
		"       [--q TEXT] [--incident ID] [--limit N] [--offset N] [--json]\n"
		"        the reports USER may see, most recently changed first\n"
		"\n"
		"Options:\n"
		"  --as USER        act as this user (its role and organisation); without it the\n"
		"                   console acts, which reads everything but cannot report\n"
		"  --file FILE      the JSON input (- for standard input; at most %zu bytes)\n"
		"  --version N      (show) version N instead of the current one\n"
		"  --status S       (list) first, update, recovered or final\n"
		"  --sector ID      (list) the reporter's sector, e.g. finance, electricity\n"
		"  --cause C        (list) intentional, unintentional, disaster-illness, spillover\n"
		"  --tlp T          (list) CLEAR, GREEN, AMBER, AMBER+STRICT or RED\n"
		"  --org ORG        (list) the reporter's org id or code (only what USER may see\n"
		"                   of who reported)\n"
		"  --q TEXT         (list) text in title, description or indicators (1-200\n"
		"                   characters; two-character Japanese words work)\n"
		"  --incident ID    (list) the reports linked to this large-scale incident\n"
		"  --limit N, --offset N  page through the list (limit 1-%d, default %d)\n"
		"  --json           print the JSON result instead of text or a table\n"
		"  -h, --help       show this help\n",
		(size_t)INPUT_MAX, CEP_PAGE_MAX, CEP_PAGE_DEFAULT);
}

/* The four commands' actions: their options (share_long_opts' letters) and arguments. */
static const struct cli_action report_actions[] = {
	{ "create", "afj", 0, 0, "" },
	{ "update", "afj", 1, 1, "a report ID" },
	{ "show", "avj", 1, 1, "a report ID" },
	{ "list", "asSctoqILOj", 0, 0, "" },
};
static const struct cli_action alert_actions[] = {
	{ "send", "afj", 0, 0, "" },
	{ "list", "aeqLOj", 0, 0, "" },
	{ "show", "aj", 1, 1, "an alert ID" },
	{ "deliveries", "axLOj", 1, 1, "an alert ID" },
};
static const struct cli_action inbox_actions[] = {
	{ "list", "axqLOj", 0, 0, "" },
	{ "show", "aj", 1, 1, "a DELIVERY_ID" },
	{ "ack", "aj", 1, 1, "a DELIVERY_ID" },
};
static const struct cli_action deliver_actions[] = {
	{ "run", "", 0, 0, "" },
};

int cli_cmd_report(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const cols[] = { "id", "version", "status", "tlp", "scope", "sector",
					    "reporter", "title", "updated_at", NULL };
	struct share_report_filter f;
	struct cep_principal p;
	struct share_opts o;
	struct cep_error err;
	const char *action;
	json_t *in = NULL, *res = NULL;
	struct store *s = NULL;
	int rc;

	if ((rc = share_frame("report", argc, argv, report_usage,
			    CLI_ACTIONS(report_actions), &o)) >= 0)
		return rc;
	action = argv[1];
	if ((!strcmp(action, "create") || !strcmp(action, "update")) && !o.file)
		return cli_usage("report", "%s needs --file FILE", action);
	cep_error_init(&err);
	if (o.file && (rc = cli_read_json(o.file, &in, &err)) < 0)
		return cli_fail(&err, rc);
	s = cli_open(cfg, true);
	if (!s) {
		json_decref(in);
		return CLI_FAIL;
	}
	rc = cli_principal(s, o.as, &p, &err);
	if (rc < 0)
		goto out;
	if (!strcmp(action, "create")) {
		rc = share_report_create(s, &p, in, &res, &err);
	} else if (!strcmp(action, "update")) {
		rc = share_report_update(s, &p, o.args[0], in, &res, &err);
	} else if (!strcmp(action, "show")) {
		rc = share_report_get(s, &p, o.args[0], o.version, &res, &err);
	} else {
		f = (struct share_report_filter){ .status = o.status, .sector = o.sector,
						  .cause = o.cause, .tlp = o.tlp, .org = o.org,
						  .q = o.q, .incident = o.incident };
		rc = share_reports(s, &p, &f, &o.page, &res, &err);
	}
out:
	store_close(s);
	json_decref(in);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (!strcmp(action, "list")) {
		if (!o.json)
			add_reporter(res);
		cli_print_list(res, cols, o.json);
	} else if (o.json) {
		cli_print_json(res);
	} else if (!strcmp(action, "show")) {
		print_report(res);
	} else {
		printf("report %s version %lld %s (status %s, TLP %s, scope %s)\n",
		       json_string_value(json_object_get(res, "id")),
		       (long long)json_integer_value(json_object_get(res, "version")),
		       !strcmp(action, "create") ? "created" : "saved",
		       json_string_value(json_object_get(res, "status")),
		       json_string_value(json_object_get(res, "tlp")),
		       json_string_value(json_object_get(res, "scope")));
	}
	json_decref(res);
	return CLI_OK;
}

/* ---- alert ---- */

static void alert_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE alert ACTION [OPTIONS]\n"
		"\n"
		"Alerts (情報提供) from NISC, a ministry, a related agency or a CEPTOAR secretariat\n"
		"to critical-infrastructure operators: one delivery per receiving organisation,\n"
		"each opened and acknowledged in the organisation's inbox.\n"
		"\n"
		"Actions:\n"
		"  send --as USER --file FILE [--json]\n"
		"        send an alert from USER's organisation. FILE (or - for standard input)\n"
		"        holds one JSON object: severity (info, low, medium, high, critical),\n"
		"        title_ja, title_en, body_ja, body_en, actions, references (URLs),\n"
		"        indicators, audience ({\"all\": true} or {\"sectors\": [..], \"ceptoars\":\n"
		"        [..], \"orgs\": [..]}), tlp (default AMBER), handling, classification,\n"
		"        ack_deadline (RFC 3339) or ack_within_hours. See src/share/share.h.\n"
		"        The fan-out to the audience is done before the command returns; it\n"
		"        prints the alert's id and the number of recipients.\n"
		"  list [--as USER] [--severity S] [--q TEXT] [--limit N] [--offset N] [--json]\n"
		"        the alerts USER may read (sent or received by its organisation),\n"
		"        newest first\n"
		"  show ID [--as USER] [--json]\n"
		"  deliveries ID [--as USER] [--state S] [--limit N] [--offset N] [--json]\n"
		"        for the sender, NISC and the secretariats of the CEPTOARs involved:\n"
		"        counts per CEPTOAR, then the organisations that have not acknowledged\n"
		"        (or, with --state, those in that state)\n"
		"  verify FILE [--key HEX]\n"
		"        check the Ed25519 signature of an exported alert: FILE (or - for\n"
		"        standard input) is the alert's JSON as `alert show ID --json` or GET\n"
		"        /api/v1/alerts/{id} give it. Without --key the public key named in the\n"
		"        alert's signature is taken from the database (--db); with --key HEX\n"
		"        (64 hex digits, from `ceptoar keys list` or GET /api/v1/keys) no\n"
		"        database is needed. Prints \"signature valid (key ...)\" and exits 0, or\n"
		"        \"signature INVALID: reason\" and exits 3. See `alert verify --help`.\n"
		"\n"
		"Options:\n"
		"  --as USER        act as this user (its role and organisation); without it the\n"
		"                   console acts: it reads everything and sends in NISC's name\n"
		"  --file FILE      the JSON input (- for standard input; at most %zu bytes)\n"
		"  --severity S     (list) info, low, medium, high or critical\n"
		"  --q TEXT         (list) text in the titles or bodies\n"
		"  --state S        (deliveries) unacked, acked or escalated\n"
		"  --limit N, --offset N  page through a list (limit 1-%d, default %d)\n"
		"  --json           print the JSON result instead of text or a table\n"
		"  -h, --help       show this help\n",
		(size_t)INPUT_MAX, CEP_PAGE_MAX, CEP_PAGE_DEFAULT);
}

/* Print the tracking of an alert: totals, a table per CEPTOAR, and the deliveries
 * (the unacknowledged ones unless state was given). */
static void print_deliveries(const json_t *res, const char *state)
{
	static const char *const cep_cols[] = { "ceptoar", "recipients", "opened", "acked", NULL };
	static const char *const org_cols[] = { "id", "org_code", "org_name_ja", "ceptoar",
						"sent_at", "opened_at", "acked_at", "acked_by", NULL };
	const json_t *counts = json_object_get(res, "counts");
	json_t *per = json_pack("{s:O}", "items", json_object_get(res, "per_ceptoar"));
	size_t i;
	json_t *it;

	printf("alert %s: fan-out %s, %lld recipient(s); opened %lld, acknowledged %lld, "
	       "escalated %lld\n\n",
	       json_string_value(json_object_get(json_object_get(res, "alert"), "id")),
	       json_string_value(json_object_get(res, "fanout")),
	       (long long)json_integer_value(json_object_get(counts, "sent")),
	       (long long)json_integer_value(json_object_get(counts, "opened")),
	       (long long)json_integer_value(json_object_get(counts, "acked")),
	       (long long)json_integer_value(json_object_get(counts, "escalated")));
	if (per) {
		/* deliveries outside any CEPTOAR are grouped under "" */
		json_array_foreach(json_object_get(per, "items"), i, it)
			if (!json_string_length(json_object_get(it, "ceptoar")))
				json_object_set_new(it, "ceptoar", json_string("(none)"));
		cli_print_list(per, cep_cols, false);
		json_decref(per);
	}
	printf("\n%s:\n", !state ? "not acknowledged"
		       : !strcmp(state, "acked") ? "acknowledged"
		       : !strcmp(state, "escalated") ? "escalated"
						  : "not acknowledged");
	if (json_array_size(json_object_get(res, "items")) == 0)
		printf("  (none)\n");
	else
		cli_print_list(res, org_cols, false);
}

int cli_cmd_alert(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const cols[] = { "id", "severity", "tlp", "org", "title_ja", "fanout",
					    "recipients", "created_at", NULL };
	struct cep_principal p;
	struct share_opts o;
	struct cep_error err;
	const char *action, *state = NULL;
	json_t *in = NULL, *res = NULL, *sent = NULL;
	struct store *s = NULL;
	int rc, fanout_rc = 0, done = 0;

	if (argc >= 2 && !strcmp(argv[1], "verify")) /* its own options (cmd_space.c) */
		return cli_alert_verify(cfg, argc, argv);
	if ((rc = share_frame("alert", argc, argv, alert_usage,
			    CLI_ACTIONS(alert_actions), &o)) >= 0)
		return rc;
	action = argv[1];
	if (!strcmp(action, "send") && !o.file)
		return cli_usage("alert", "send needs --file FILE");
	cep_error_init(&err);
	if (o.file && (rc = cli_read_json(o.file, &in, &err)) < 0)
		return cli_fail(&err, rc);
	s = cli_open(cfg, true);
	if (!s) {
		json_decref(in);
		return CLI_FAIL;
	}
	rc = cli_principal(s, o.as, &p, &err);
	if (rc < 0)
		goto out;
	if (!strcmp(action, "send")) {
		rc = share_alert_create(s, &p, in, &sent, &err);
		if (rc < 0)
			goto out;
		/* the fan-out, here rather than waiting for a server's worker */
		fanout_rc = deliver_run_pending(s, &done, &err);
		if (fanout_rc == 0)
			rc = share_alert_get(s, &p, json_string_value(json_object_get(sent, "id")),
					     &res, &err);
	} else if (!strcmp(action, "list")) {
		rc = share_alerts(s, &p, o.severity, o.q, &o.page, &res, &err);
	} else if (!strcmp(action, "show")) {
		rc = share_alert_get(s, &p, o.args[0], &res, &err);
	} else {
		/* the text view lists who has not acknowledged unless told otherwise */
		state = o.state ? o.state : o.json ? NULL : "unacked";
		rc = share_alert_deliveries(s, &p, o.args[0], state, &o.page, &res, &err);
	}
out:
	store_close(s);
	json_decref(in);
	if (fanout_rc < 0) {
		fprintf(stderr, "ceptoar: alert %s is stored, but its fan-out failed; the server's "
				"worker or `ceptoar deliver run` retries it\n",
			json_string_value(json_object_get(sent, "id")));
		json_decref(sent);
		return cli_fail(&err, fanout_rc);
	}
	json_decref(sent);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (o.json && strcmp(action, "list") != 0)
		cli_print_json(res);
	else if (!strcmp(action, "list"))
		cli_print_list(res, cols, o.json);
	else if (!strcmp(action, "show"))
		print_alert(res);
	else if (!strcmp(action, "deliveries"))
		print_deliveries(res, o.state);
	else
		printf("alert %s sent: %lld recipient(s) (fan-out %s)\n",
		       json_string_value(json_object_get(res, "id")),
		       (long long)json_integer_value(json_object_get(res, "recipients")),
		       json_string_value(json_object_get(res, "fanout")));
	json_decref(res);
	return CLI_OK;
}

/* ---- inbox ---- */

static void inbox_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE inbox ACTION --as USER [OPTIONS]\n"
		"\n"
		"The alerts delivered to USER's organisation (受信した情報提供).\n"
		"\n"
		"Actions:\n"
		"  list --as USER [--state S] [--q TEXT] [--limit N] [--offset N] [--json]\n"
		"        the deliveries, newest first, with their state (new, opened, acked)\n"
		"  show DELIVERY_ID --as USER [--json]\n"
		"        one delivery with its alert; the first read marks it opened\n"
		"  ack DELIVERY_ID --as USER [--json]\n"
		"        acknowledge a delivery (records who and when; acknowledging again\n"
		"        changes nothing)\n"
		"\n"
		"Options:\n"
		"  --as USER        the user whose organisation's inbox this is (required)\n"
		"  --state S        (list) unacked or acked\n"
		"  --q TEXT         (list) text in the alerts' titles or bodies\n"
		"  --limit N, --offset N  page through the list (limit 1-%d, default %d)\n"
		"  --json           print the JSON result instead of text or a table\n"
		"  -h, --help       show this help\n",
		CEP_PAGE_MAX, CEP_PAGE_DEFAULT);
}

/* A delivery id: a positive integer. Returns 0 or CEP_EINVAL. */
static int parse_delivery(const char *text, int64_t *ret)
{
	long v;

	if (cli_parse_int(text, 1, 0x7fffffffL, &v) < 0)
		return CEP_EINVAL;
	*ret = v;
	return 0;
}

int cli_cmd_inbox(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const cols[] = { "id", "state", "severity", "tlp", "sender",
					    "title_ja", "sent_at", "ack_deadline", NULL };
	struct cep_principal p;
	struct share_opts o;
	struct cep_error err;
	const char *action;
	json_t *res = NULL;
	struct store *s = NULL;
	int64_t id = 0;
	int rc;

	if ((rc = share_frame("inbox", argc, argv, inbox_usage,
			    CLI_ACTIONS(inbox_actions), &o)) >= 0)
		return rc;
	action = argv[1];
	if (!o.as)
		return cli_usage("inbox", "%s needs --as USER: the inbox is an organisation's",
				 action);
	if (o.nargs && parse_delivery(o.args[0], &id) < 0)
		return cli_usage("inbox", "DELIVERY_ID must be a positive number (from `inbox list`)");
	s = cli_open(cfg, true);
	if (!s)
		return CLI_FAIL;
	cep_error_init(&err);
	rc = cli_principal(s, o.as, &p, &err);
	if (rc == 0 && !strcmp(action, "list"))
		rc = share_inbox(s, &p, o.state, o.q, &o.page, &res, &err);
	else if (rc == 0 && !strcmp(action, "show"))
		rc = share_delivery_open(s, &p, id, &res, &err);
	else if (rc == 0)
		rc = share_delivery_ack(s, &p, id, &res, &err);
	store_close(s);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (!strcmp(action, "list")) {
		if (!o.json)
			add_state(res);
		cli_print_list(res, cols, o.json);
	} else if (o.json) {
		cli_print_json(res);
	} else if (!strcmp(action, "show")) {
		static const char *const rows[][2] = {
			{ "delivery", "id" },       { "alert", "alert" },
			{ "severity", "severity" }, { "tlp", "tlp" },
			{ "from", "sender_name_ja" }, { "title (ja)", "title_ja" },
			{ "title (en)", "title_en" }, { "acknowledge by", "ack_deadline" },
			{ "sent", "sent_at" },      { "opened", "opened_at" },
			{ "opened by", "opened_by" }, { "acknowledged", "acked_at" },
			{ "acknowledged by", "acked_by" }, { NULL, NULL },
		};

		print_fields(res, rows);
		print_block(res, "body (ja)", "body_ja");
		print_block(res, "body (en)", "body_en");
		print_block(res, "actions", "actions");
	} else {
		printf("delivery %lld acknowledged at %s by %s\n", (long long)id,
		       json_string_value(json_object_get(res, "acked_at")),
		       json_string_value(json_object_get(res, "acked_by")));
	}
	json_decref(res);
	return CLI_OK;
}

/* ---- deliver ---- */

static void deliver_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE deliver run\n"
		"\n"
		"Do the work waiting in the outbox now, in this process, and print how many\n"
		"jobs were done: the fan-out of alerts to their recipients, and whatever else\n"
		"the delivery worker does (escalation past an acknowledgement deadline, due\n"
		"e-mail and webhook sends, the fan-out and sends of CEPTOAR drills; settings\n"
		"from the environment, see docs/architecture.md). The server does this by\n"
		"itself in its delivery worker; this is for operators and tests.\n"
		"\n"
		"Options:\n"
		"  -h, --help       show this help\n");
}

int cli_cmd_deliver(struct cli_config *cfg, int argc, char **argv)
{
	struct share_opts o;
	struct cep_error err;
	struct store *s;
	int rc, done = 0;

	if ((rc = share_frame("deliver", argc, argv, deliver_usage, CLI_ACTIONS(deliver_actions),
			      &o)) >= 0)
		return rc;
	s = cli_open(cfg, true);
	if (!s)
		return CLI_FAIL;
	cep_error_init(&err);
	rc = deliver_run_pending(s, &done, &err);
	store_close(s);
	if (rc < 0)
		return cli_fail(&err, rc);
	printf("%d job(s) done\n", done);
	return CLI_OK;
}
