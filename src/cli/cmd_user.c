/* cmd_user.c - `ceptoar user ...` and `ceptoar token ...`. */
#include "cli/cli.h"

#include "base/alloc.h"
#include "core/page.h"
#include "identity/identity.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void user_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE user ACTION [OPTIONS]\n"
		"\n"
		"Actions:\n"
		"  add --name NAME --org ORG --role ROLE [--display-name TEXT] [--email ADDR]\n"
		"      [--password-stdin]\n"
		"        create a user. ORG is an organisation id or code (e.g. nisc, fsa,\n"
		"        t-ceptoar, jpcert-cc, or an operator's code). ROLE is one of admin, nisc,\n"
		"        ministry, ceptoar, operator, agency, auditor. With --password-stdin the\n"
		"        password (12-256 characters) is read from the first line of standard input;\n"
		"        without it the user signs in with API tokens only.\n"
		"  list [--org ORG] [--role ROLE] [--limit N] [--offset N] [--json]\n"
		"  show NAME [--json]\n"
		"  set NAME [--role ROLE] [--display-name TEXT] [--email ADDR] [--password-stdin]\n"
		"  disable NAME      disable the user: its tokens and sessions stop working\n"
		"  enable NAME\n"
		"\n"
		"Options:\n"
		"  -h, --help        show this help\n");
}

static const char *const user_cols[] = { "name", "role", "org_code", "org_name_ja", "disabled",
					  "id", NULL };

/* Read one line from stdin as a password; strips the newline. */
static int read_password(char *out, size_t size)
{
	size_t n;

	if (!fgets(out, (int)size, stdin))
		return CEP_EINVAL;
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return 0;
}

int cli_cmd_user(struct cli_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },    { "org", required_argument, NULL, 'o' },
		{ "role", required_argument, NULL, 'r' },    { "display-name", required_argument, NULL, 'd' },
		{ "email", required_argument, NULL, 'e' },   { "password-stdin", no_argument, NULL, 'p' },
		{ "limit", required_argument, NULL, 'L' },   { "offset", required_argument, NULL, 'O' },
		{ "json", no_argument, NULL, 'j' },          { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *action, *name = NULL, *org = NULL, *role = NULL, *display = NULL, *email = NULL;
	struct cep_page page = cep_page_default();
	char password[IDN_PASSWORD_MAX + 2] = "";
	int c, rc = 0, json_out = 0, pw = 0;
	struct cep_principal console;
	struct cep_error err;
	json_t *in = NULL, *res = NULL;
	struct store *s;

	if ((rc = cli_help_first(argc, argv, user_usage)) >= 0)
		return rc;
	action = argv[1];
	while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'o': org = optarg; break;
		case 'r': role = optarg; break;
		case 'd': display = optarg; break;
		case 'e': email = optarg; break;
		case 'p': pw = 1; break;
		case 'j': json_out = 1; break;
		case 'L':
		case 'O':
			if ((rc = cli_page_option("user", c == 'L', optarg, &page)))
				return rc;
			break;
		case 'h': user_usage(stdout); return CLI_OK;
		default: return cli_usage("user", "unknown option");
		}
	}
	/* positional NAME for show/set/disable/enable */
	if (!name && optind + 1 < argc)
		name = argv[optind + 1];
	if (pw && read_password(password, sizeof(password)) < 0)
		return cli_usage("user", "--password-stdin: no password on standard input");
	cep_error_init(&err);
	cep_principal_system(&console);
	if (!strcmp(action, "add")) {
		if (!name || !org || !role)
			return cli_usage("user", "add needs --name, --org and --role");
		in = json_pack("{s:s, s:s, s:s}", "name", name, "org", org, "role", role);
	} else if (!strcmp(action, "set") || !strcmp(action, "disable") || !strcmp(action, "enable")) {
		if (!name)
			return cli_usage("user", "%s needs a user NAME", action);
		in = json_object();
		if (in && role)
			json_object_set_new(in, "role", json_string(role));
		if (in && !strcmp(action, "disable"))
			json_object_set_new(in, "disabled", json_true());
		if (in && !strcmp(action, "enable"))
			json_object_set_new(in, "disabled", json_false());
	} else if (!strcmp(action, "show")) {
		if (!name)
			return cli_usage("user", "show needs a user NAME");
	} else if (strcmp(action, "list") != 0) {
		return cli_usage("user", "unknown action %s", action);
	}
	if (in) {
		if (display)
			json_object_set_new(in, "display_name", json_string(display));
		if (email)
			json_object_set_new(in, "email", json_string(email));
		if (pw)
			json_object_set_new(in, "password", json_string(password));
	}
	s = cli_open(cfg, true);
	if (!s) {
		json_decref(in);
		return CLI_FAIL;
	}
	if (!strcmp(action, "add"))
		rc = idn_user_add(s, &console, in, &res, &err);
	else if (!strcmp(action, "list"))
		rc = idn_users(s, &console, org, role, &page, &res, &err);
	else if (!strcmp(action, "show"))
		rc = idn_user_get(s, &console, name, &res, &err);
	else
		rc = idn_user_update(s, &console, name, in, &res, &err);
	store_close(s);
	json_decref(in);
	memset(password, 0, sizeof(password));
	if (rc < 0)
		return cli_fail(&err, rc);
	if (!strcmp(action, "list"))
		cli_print_list(res, user_cols, json_out);
	else if (json_out || !strcmp(action, "show"))
		cli_print_json(res);
	else
		printf("user %s (%s) %s\n", json_string_value(json_object_get(res, "name")),
		       json_string_value(json_object_get(res, "role")),
		       !strcmp(action, "add") ? "created" : "updated");
	json_decref(res);
	return CLI_OK;
}

static void token_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE token ACTION [OPTIONS]\n"
		"\n"
		"Actions:\n"
		"  issue --user NAME [--label TEXT] [--days N]\n"
		"        issue an API token for the user and print it on standard output. It is\n"
		"        shown this once and stored only as a hash. Valid N days (default %d,\n"
		"        at most %d). Use it as `Authorization: Bearer TOKEN`.\n"
		"  list [--user NAME] [--limit N] [--offset N] [--json]\n"
		"        tokens with their state (active, expired, revoked); never their secret\n"
		"  revoke ID        revoke the token with this id (from `token list`)\n"
		"\n"
		"Options:\n"
		"  -h, --help       show this help\n",
		IDN_TOKEN_DAYS_DEFAULT, IDN_TOKEN_DAYS_MAX);
}

int cli_cmd_token(struct cli_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },  { "label", required_argument, NULL, 'l' },
		{ "days", required_argument, NULL, 'd' },  { "limit", required_argument, NULL, 'L' },
		{ "offset", required_argument, NULL, 'O' }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 },
	};
	static const char *const cols[] = { "id", "user_name", "label", "state", "expires_at", NULL };
	struct cep_page page = cep_page_default();
	const char *action, *user = NULL, *label = NULL;
	struct cep_principal console;
	struct cep_error err;
	json_t *res = NULL;
	char *secret = NULL;
	int c, rc, json_out = 0;
	long days = 0;
	struct store *s;

	if ((rc = cli_help_first(argc, argv, token_usage)) >= 0)
		return rc;
	action = argv[1];
	while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'u': user = optarg; break;
		case 'l': label = optarg; break;
		case 'j': json_out = 1; break;
		case 'd':
			if (cli_parse_int(optarg, 1, IDN_TOKEN_DAYS_MAX, &days) < 0)
				return cli_usage("token", "--days must be 1-%d", IDN_TOKEN_DAYS_MAX);
			break;
		case 'L':
		case 'O':
			if ((rc = cli_page_option("token", c == 'L', optarg, &page)))
				return rc;
			break;
		case 'h': token_usage(stdout); return CLI_OK;
		default: return cli_usage("token", "unknown option");
		}
	}
	if (!strcmp(action, "issue") && !user)
		return cli_usage("token", "issue needs --user NAME");
	if (!strcmp(action, "revoke") && optind + 1 >= argc)
		return cli_usage("token", "revoke needs a token ID");
	if (strcmp(action, "issue") && strcmp(action, "list") && strcmp(action, "revoke"))
		return cli_usage("token", "unknown action %s", action);
	s = cli_open(cfg, true);
	if (!s)
		return CLI_FAIL;
	cep_error_init(&err);
	cep_principal_system(&console);
	if (!strcmp(action, "issue"))
		rc = idn_token_issue(s, &console, user, label, (int)days, &secret, &res, &err);
	else if (!strcmp(action, "list"))
		rc = idn_tokens(s, &console, user, &page, &res, &err);
	else
		rc = idn_token_revoke(s, &console, argv[optind + 1], &err);
	store_close(s);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (!strcmp(action, "issue")) {
		printf("%s\n", secret);
		fprintf(stderr, "token %s for %s, valid until %s; it is not shown again\n",
			json_string_value(json_object_get(res, "id")), user,
			json_string_value(json_object_get(res, "expires_at")));
	} else if (!strcmp(action, "list")) {
		cli_print_list(res, cols, json_out);
	} else {
		printf("token %s revoked\n", argv[optind + 1]);
	}
	cep_free(secret);
	json_decref(res);
	return CLI_OK;
}
