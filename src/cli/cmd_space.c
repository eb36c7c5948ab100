/* cmd_space.c - `ceptoar keys ...`, `ceptoar alert verify ...`, `ceptoar correlations
 * ...` and `ceptoar council ...`: the signing keys and the verification of exported
 * alerts, common threats (共通脅威) and the CEPTOAR Council space (セプターカウンシル);
 * also the option parsing and helpers that cmd_incident.c shares (space.h).
 *
 * As in cmd_share.c, --as NAME acts as that user (its role and organisation, so the
 * API's policy applies); without it the console acts, which may do everything but
 * belongs to no organisation (so it cannot post in the council space). */
#include "cli/cli.h"
#include "cli/space.h"

#include "base/alloc.h"
#include "base/crypto.h"
#include "base/json.h"
#include "core/page.h"
#include "share/share.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* A saved e-mail may carry attachments: read up to this much. */
#define CLI_MAIL_MAX (16u << 20)

static const struct option space_long_opts[] = {
	{ "as", required_argument, NULL, 'a' },          { "file", required_argument, NULL, 'f' },
	{ "json", no_argument, NULL, 'j' },              { "limit", required_argument, NULL, 'L' },
	{ "offset", required_argument, NULL, 'O' },      { "max-records", required_argument, NULL, 'm' },
	{ "type", required_argument, NULL, 't' },        { "value", required_argument, NULL, 'v' },
	{ "reason", required_argument, NULL, 'r' },      { "state", required_argument, NULL, 'x' },
	{ "title", required_argument, NULL, 'T' },       { "description", required_argument, NULL, 'd' },
	{ "ack-hours", required_argument, NULL, 'A' },   { "sitrep-minutes", required_argument, NULL, 'M' },
	{ "report", required_argument, NULL, 'R' },      { "alert", required_argument, NULL, 'E' },
	{ "keep", no_argument, NULL, 'k' },              { "key", required_argument, NULL, 'K' },
	{ "channel", required_argument, NULL, 'C' },     { "address", required_argument, NULL, 'D' },
	{ "label", required_argument, NULL, 'l' },       { "note", required_argument, NULL, 'n' },
	{ "contact", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },              { NULL, 0, NULL, 0 },
};

/* The long name of option letter c (for messages). Static string. */
/* A number given to option c (the service checks its range). */
static int number(const char *cmd, int c, const char *text, long *ret)
{
	if (cli_parse_int(text, 0, INT_MAX, ret) < 0)
		return cli_usage(cmd, "--%s must be a number", cli_opt_name(space_long_opts, c));
	return 0;
}

int cli_space_parse(const char *cmd, int argc, char **argv, struct cli_space_opts *o,
		    void (*help)(FILE *), bool *ret_helped)
{
	int c, rc = 0;

	memset(o, 0, sizeof(*o));
	o->page = cep_page_default();
	o->max_records = o->ack_hours = o->sitrep_minutes = -1;
	*ret_helped = false;
	optind = 0;
	while (rc == 0 && (c = getopt_long(argc - 1, argv + 1, "h", space_long_opts, NULL)) != -1) {
		cli_seen(o->seen, sizeof(o->seen), c);
		switch (c) {
		case 'a': o->as = optarg; break;
		case 'f': o->file = optarg; break;
		case 'j': o->json = 1; break;
		case 't': o->type = optarg; break;
		case 'v': o->value = optarg; break;
		case 'r': o->reason = optarg; break;
		case 'x': o->state = optarg; break;
		case 'T': o->title = optarg; break;
		case 'd': o->description = optarg; break;
		case 'R': o->report = optarg; break;
		case 'E': o->alert = optarg; break;
		case 'k': o->keep = 1; break;
		case 'K': o->key = optarg; break;
		case 'C': o->channel = optarg; break;
		case 'D': o->address = optarg; break;
		case 'l': o->label = optarg; break;
		case 'n': o->note = optarg; break;
		case 'c': o->contact = optarg; break;
		case 'm': rc = number(cmd, c, optarg, &o->max_records); break;
		case 'A': rc = number(cmd, c, optarg, &o->ack_hours); break;
		case 'M': rc = number(cmd, c, optarg, &o->sitrep_minutes); break;
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
	if (rc)
		return rc;
	for (int i = optind + 1; i < argc; i++) {
		if (o->nargs == 2)
			return cli_usage(cmd, "too many arguments");
		o->args[o->nargs++] = argv[i];
	}
	return 0;
}

int cli_space_action(const char *cmd, const char *action, const struct cli_space_opts *o,
		     const struct cli_action *table, size_t n)
{
	return cli_check_table(cmd, action, table, n, space_long_opts, o->seen, o->nargs);
}

int cli_space_frame(const char *cmd, int argc, char **argv, void (*usage)(FILE *),
		    const struct cli_action *table, size_t n, struct cli_space_opts *o)
{
	bool helped;
	int rc;

	if ((rc = cli_help_first(argc, argv, usage)) >= 0)
		return rc;
	rc = cli_space_parse(cmd, argc, argv, o, usage, &helped);
	if (rc || helped)
		return rc;
	rc = cli_space_action(cmd, argv[1], o, table, n);
	return rc ? rc : -1;
}

struct store *cli_space_open(const struct cli_config *cfg, const char *as,
			     struct cep_principal *p, int *ret_rc)
{
	struct cep_error err;
	struct store *s = cli_open(cfg, true);
	int rc;

	if (!s) {
		*ret_rc = CLI_FAIL; /* cli_open said why */
		return NULL;
	}
	cep_error_init(&err);
	rc = cli_principal(s, as, p, &err);
	if (rc < 0) {
		store_close(s);
		*ret_rc = cli_fail(&err, rc);
		return NULL;
	}
	return s;
}

const char *cli_space_str(const json_t *v, const char *key)
{
	const char *t = json_string_value(json_object_get(v, key));

	return t ? t : "-";
}

/* ---- keys ---- */

static void keys_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE keys list [--as USER] [--json]\n"
		"\n"
		"The installation's Ed25519 signing keys: every alert is signed with the active\n"
		"key over its canonical form, so that a receiver can tell it came from this\n"
		"installation unchanged (`ceptoar alert verify FILE --key HEX`). Lists the\n"
		"public keys (never the secret ones) with their id, creation and retirement.\n"
		"\n"
		"Options:\n"
		"  --as USER        act as this user (every user may read the keys)\n"
		"  --json           print the JSON result instead of a table\n"
		"  -h, --help       show this help\n");
}

/* The commands' actions: their options (space_long_opts' letters) and arguments. */
static const struct cli_action keys_actions[] = {
	{ "list", "aj", 0, 0, "" },
};
static const struct cli_action verify_actions[] = {
	{ "verify", "K", 1, 1, "FILE (an exported alert)" },
};
static const struct cli_action correlation_actions[] = {
	{ "list", "amLOj", 0, 0, "" },
	{ "exclusions", "aLOj", 0, 0, "" },
	{ "exclude", "atvr", 0, 0, "" },
};
static const struct cli_action council_actions[] = {
	{ "list", "aLOj", 0, 0, "" },
	{ "show", "aj", 1, 1, "an item ID" },
	{ "post", "afj", 0, 0, "" },
	{ "reply", "afj", 1, 1, "an item ID" },
};

int cli_cmd_keys(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const cols[] = { "id", "alg", "public_key", "created_at", "retired_at",
					    NULL };
	struct cep_principal p;
	struct cli_space_opts o;
	struct cep_error err;
	json_t *res = NULL;
	struct store *s;
	int rc;

	if ((rc = cli_space_frame("keys", argc, argv, keys_usage,
			    CLI_ACTIONS(keys_actions), &o)) >= 0)
		return rc;
	s = cli_space_open(cfg, o.as, &p, &rc);
	if (!s)
		return rc;
	cep_error_init(&err);
	rc = share_keys(s, &p, &res, &err);
	store_close(s);
	if (rc < 0)
		return cli_fail(&err, rc);
	cli_print_list(res, cols, o.json);
	json_decref(res);
	return CLI_OK;
}

/* ---- alert verify ---- */

static void verify_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar [--db FILE] alert verify FILE [--key HEX]\n"
		"\n"
		"Check the signature of an exported alert. Every alert is signed at creation\n"
		"with the installation's Ed25519 key over its canonical form (its content\n"
		"members as compact JSON with sorted keys); the alert carries \"signature\":\n"
		"{\"alg\", \"key_id\", \"value\"}. FILE (or - for standard input) is the alert's\n"
		"JSON as `ceptoar alert show ID --json` or GET /api/v1/alerts/{id} give it,\n"
		"or an e-mail of the alert (the message as saved, .eml, or its text as copied):\n"
		"its signature block (" SHARE_MAIL_SIG_BEGIN ") holds the signed alert.\n"
		"For an e-mail the signed alert's title must also be the mail's, and the\n"
		"signed alert is printed so you can compare it with what the mail says.\n"
		"\n"
		"Options:\n"
		"  --key HEX        verify against this public key (64 hex digits, from\n"
		"                   `ceptoar keys list` or GET /api/v1/keys): no database is\n"
		"                   needed. Without it the key named by the alert's key_id is\n"
		"                   read from the database given by --db.\n"
		"  -h, --help       show this help\n"
		"\n"
		"Prints \"signature valid (key ID)\" and exits 0, or \"signature INVALID: reason\"\n"
		"and exits 3 (altered, signed by another key, or a block under another mail's\n"
		"words). An alert or mail without a signature, or an unreadable file, exits 1;\n"
		"a usage error exits 2.\n");
}

/* True when key is 64 hex digits. */
static bool hex_key(const char *key)
{
	size_t n = strlen(key);

	if (n != CEP_SIGN_PK_HEX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", key[i]))
			return false;
	return true;
}

/* The alert in path: an exported alert (JSON), or an e-mail of one (as saved, or
 * its text) whose signature block holds it (*ret_mail set). *ret caller owns. */
static int read_alert(const char *path, json_t **ret, bool *ret_mail, struct cep_error *err)
{
	char *data = NULL;
	size_t len = 0, i = 0;
	int rc = cli_read_file(path, CLI_MAIL_MAX, &data, &len, err);

	if (rc < 0)
		return rc;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	*ret_mail = i == len || data[i] != '{';
	if (*ret_mail)
		rc = share_alert_from_mail(data, len, ret, err);
	else
		rc = cep_json_parse(data, len, CEP_JSON_MAX_DEPTH, ret, err);
	if (rc == 0 && !json_is_object(*ret)) {
		json_decref(*ret);
		rc = cep_error_set(err, CEP_EINVAL, NULL, "%s is not a JSON object", path);
	}
	cep_free(data);
	return rc;
}

int cli_alert_verify(struct cli_config *cfg, int argc, char **argv)
{
	bool from_mail = false;
	struct cli_space_opts o;
	struct cep_error err;
	json_t *alert = NULL;
	struct store *s = NULL;
	const char *kid;
	char key[CEP_SIGN_PK_HEX + 1];
	bool helped;
	int rc;

	rc = cli_space_parse("alert verify", argc, argv, &o, verify_usage, &helped);
	if (rc || helped)
		return rc;
	if ((rc = cli_space_action("alert verify", "verify", &o, CLI_ACTIONS(verify_actions))))
		return rc;
	if (o.key && !hex_key(o.key))
		return cli_usage("alert verify", "--key must be a public key of 64 hex digits");
	cep_error_init(&err);
	rc = read_alert(o.args[0], &alert, &from_mail, &err);
	if (rc == CEP_ETAMPER) {
		printf("signature INVALID: %s\n", err.message);
		return CLI_TAMPERED;
	}
	if (rc < 0)
		return cli_fail(&err, rc);
	if (o.key) {
		/* the signatures' hex is lower-case */
		for (size_t i = 0; i <= CEP_SIGN_PK_HEX; i++)
			key[i] = (char)(o.key[i] >= 'A' && o.key[i] <= 'F' ? o.key[i] + 32 : o.key[i]);
		rc = share_alert_verify(alert, key, &err);
	} else {
		s = cli_open(cfg, true);
		if (!s) {
			json_decref(alert);
			return CLI_FAIL;
		}
		rc = share_alert_verify_stored(s, alert, &err);
		store_close(s);
	}
	kid = json_string_value(json_object_get(json_object_get(alert, "signature"), "key_id"));
	if (rc == 0)
		printf("signature valid (key %s)\n", o.key ? o.key : kid ? kid : "-");
	if (rc == 0 && from_mail) /* what the signature vouches for, to compare with the mail */
		printf("signed alert %s from %s, %s:\n  %s\n", cli_space_str(alert, "id"),
		       cli_space_str(alert, "org"), cli_space_str(alert, "created_at"),
		       cli_space_str(alert, "title_ja"));
	else if (rc == CEP_ETAMPER)
		printf("signature INVALID: %s\n", err.message);
	json_decref(alert);
	if (rc == CEP_ETAMPER)
		return CLI_TAMPERED;
	return rc < 0 ? cli_fail(&err, rc) : CLI_OK;
}

/* ---- correlations ---- */

static void correlations_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE correlations ACTION [OPTIONS]\n"
		"\n"
		"Common threats (共通脅威): the same indicator (IP address, domain, URL, hash,\n"
		"CVE, text) seen in IT-failure reports of two or more sectors, over the reports\n"
		"the acting user may read. NISC sees every correlation with the report ids; a\n"
		"secretariat of a council-member CEPTOAR sees what the council may read, with\n"
		"sectors and counts only; others may not.\n"
		"\n"
		"Actions:\n"
		"  list [--as USER] [--max-records N] [--limit N] [--offset N] [--json]\n"
		"        the correlations, most sectors first\n"
		"  exclusions [--as USER] [--limit N] [--offset N] [--json]\n"
		"        the values kept out of correlation\n"
		"  exclude [--as USER] --type T --value V [--reason R]\n"
		"        keep a value out of correlation (NISC): a sinkhole, a public resolver…\n"
		"\n"
		"Options:\n"
		"  --as USER          act as this user; without it the console acts (as NISC)\n"
		"  --max-records N    (list) a value seen in more than N reports stops\n"
		"                     correlating (noise); 2-%d, default %d\n"
		"  --type T           (exclude) ip, domain, url, hash, cve or text\n"
		"  --value V          (exclude) the indicator value (kept in its normal form)\n"
		"  --reason R         (exclude) why, for the list (at most 500 characters)\n"
		"  --limit N, --offset N  page through a list (limit 1-%d, default %d)\n"
		"  --json             print the JSON result instead of a table\n"
		"  -h, --help         show this help\n",
		SHARE_CORRELATION_MAX, SHARE_CORRELATION_DEFAULT, CEP_PAGE_MAX, CEP_PAGE_DEFAULT);
}

int cli_cmd_correlations(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const cols[] = { "type", "value", "reports", "sector_count", "sectors",
					    "report_ids", "last_seen_at", NULL };
	static const char *const ex_cols[] = { "type", "value", "reason", "created_by",
					       "created_at", NULL };
	struct cep_principal p;
	struct cli_space_opts o;
	struct cep_error err;
	const char *action;
	json_t *in = NULL, *res = NULL;
	struct store *s;
	int rc;

	if ((rc = cli_space_frame("correlations", argc, argv, correlations_usage,
			    CLI_ACTIONS(correlation_actions), &o)) >= 0)
		return rc;
	action = argv[1];
	if (!strcmp(action, "exclude") && (!o.type || !o.value))
		return cli_usage("correlations", "exclude needs --type T and --value V");
	s = cli_space_open(cfg, o.as, &p, &rc);
	if (!s)
		return rc;
	cep_error_init(&err);
	if (!strcmp(action, "list")) {
		rc = share_correlations(s, &p,
					o.max_records < 0 ? SHARE_CORRELATION_DEFAULT
							  : (int)o.max_records,
					&o.page, &res, &err);
	} else if (!strcmp(action, "exclusions")) {
		rc = share_correlation_exclusions(s, &p, &o.page, &res, &err);
	} else {
		in = json_pack("{s:s, s:s, s:s}", "type", o.type, "value", o.value, "reason",
			       o.reason ? o.reason : "");
		rc = in ? share_correlation_exclude(s, &p, in, &err)
			: cep_error_set(&err, CEP_ENOMEM, NULL, "out of memory");
		json_decref(in);
	}
	store_close(s);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (!strcmp(action, "exclude"))
		printf("%s %s is excluded from correlation\n", o.type, o.value);
	else
		cli_print_list(res, !strcmp(action, "list") ? cols : ex_cols, o.json);
	json_decref(res);
	return CLI_OK;
}

/* ---- council ---- */

static void council_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE council ACTION [OPTIONS]\n"
		"\n"
		"The CEPTOAR Council space (セプターカウンシル): items and replies among the\n"
		"secretariats of council-member CEPTOARs, across sectors. The council is\n"
		"independent of government: NISC and the ministries read only the items the\n"
		"council shared with them (\"shared_with_government\": true); operators and\n"
		"others read nothing.\n"
		"\n"
		"Actions:\n"
		"  list [--as USER] [--limit N] [--offset N] [--json]\n"
		"        the items USER may read, newest first, with their reply counts\n"
		"  show ID [--as USER] [--json]\n"
		"        one item with its replies\n"
		"  post --as USER --file FILE [--json]\n"
		"        post an item as USER's secretariat. FILE (or - for standard input)\n"
		"        holds one JSON object: title, body, tlp (CLEAR, GREEN, AMBER (default),\n"
		"        AMBER+STRICT; not RED), shared_with_government (true/false)\n"
		"  reply ID --as USER --file FILE [--json]\n"
		"        reply to item ID: FILE holds body, tlp, shared_with_government (no title)\n"
		"\n"
		"Options:\n"
		"  --as USER        act as this user; without it the console reads everything\n"
		"                   (it belongs to no secretariat, so it cannot post)\n"
		"  --file FILE      the JSON input (- for standard input)\n"
		"  --limit N, --offset N  page through the list (limit 1-%d, default %d)\n"
		"  --json           print the JSON result instead of text or a table\n"
		"  -h, --help       show this help\n",
		CEP_PAGE_MAX, CEP_PAGE_DEFAULT);
}

static void print_post(const json_t *it, const char *indent)
{
	printf("%s%s  %s (%s)  TLP:%s%s\n", indent, cli_space_str(it, "created_at"), cli_space_str(it, "org_name_ja"),
	       cli_space_str(it, "created_by"), cli_space_str(it, "tlp"),
	       json_is_true(json_object_get(it, "shared_with_government")) ?
		       "  shared with government" : "");
}

static void print_council_item(const json_t *item)
{
	const json_t *replies = json_object_get(item, "replies");
	size_t i;
	json_t *r;

	printf("%s  %s\n", cli_space_str(item, "id"), cli_space_str(item, "title"));
	print_post(item, "");
	cli_print_text("body", cli_space_str(item, "body"));
	printf("\n%zu repl%s\n", json_array_size(replies), json_array_size(replies) == 1 ? "y" : "ies");
	json_array_foreach(replies, i, r) {
		print_post(r, "  ");
		printf("    %s\n", cli_space_str(r, "body"));
	}
}

int cli_cmd_council(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const cols[] = { "id", "tlp", "shared_with_government", "org_name_ja",
					    "title", "replies", "created_at", NULL };
	struct cep_principal p;
	struct cli_space_opts o;
	struct cep_error err;
	const char *action;
	json_t *in = NULL, *res = NULL;
	struct store *s;
	bool posting;
	int rc;

	if ((rc = cli_space_frame("council", argc, argv, council_usage,
			    CLI_ACTIONS(council_actions), &o)) >= 0)
		return rc;
	action = argv[1];
	posting = !strcmp(action, "post") || !strcmp(action, "reply");
	if (posting && (!o.as || !o.file))
		return cli_usage("council", "%s needs --as USER (a council secretariat's user) and "
					    "--file FILE", action);
	cep_error_init(&err);
	if (o.file && (rc = cli_read_json(o.file, &in, &err)) < 0)
		return cli_fail(&err, rc);
	s = cli_space_open(cfg, o.as, &p, &rc);
	if (!s) {
		json_decref(in);
		return rc;
	}
	if (!strcmp(action, "list"))
		rc = share_council_items(s, &p, &o.page, &res, &err);
	else if (!strcmp(action, "show"))
		rc = share_council_item(s, &p, o.args[0], &res, &err);
	else
		rc = share_council_post(s, &p, o.nargs ? o.args[0] : NULL, in, &res, &err);
	store_close(s);
	json_decref(in);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (!strcmp(action, "list"))
		cli_print_list(res, cols, o.json);
	else if (o.json)
		cli_print_json(res);
	else if (!strcmp(action, "show"))
		print_council_item(res);
	else if (!strcmp(action, "post"))
		printf("council item %s posted (TLP:%s%s)\n", cli_space_str(res, "id"), cli_space_str(res, "tlp"),
		       json_is_true(json_object_get(res, "shared_with_government")) ?
			       ", shared with government" : ", council only");
	else
		printf("reply posted to council item %s (%zu repl%s)\n", cli_space_str(res, "id"),
		       json_array_size(json_object_get(res, "replies")),
		       json_array_size(json_object_get(res, "replies")) == 1 ? "y" : "ies");
	json_decref(res);
	return CLI_OK;
}
