/* cmd_init.c - `ceptoar init` and `ceptoar serve`. */
#include "cli/cli.h"

#include "base/log.h"
#include "http/http.h"
#include "identity/identity.h"
#include "registry/registry.h"
#include "standards/standards.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void init_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE init [--admin NAME] [--credentials FILE]\n"
		"\n"
		"Create the database FILE, or migrate it to this version's schema, and load the\n"
		"reference data (10 sectors, 5 ministries, 15 CEPTOARs, related agencies, the\n"
		"Guideline for safety standards (3rd edition), and\n"
		"an organisation for NISC, each ministry, CEPTOAR secretariat and agency).\n"
		"When no administrator exists yet, create one and write its one-time password\n"
		"and API token to a file readable only by you. Running init again changes nothing.\n"
		"A database written by a newer ceptoar is refused.\n"
		"\n"
		"Options:\n"
		"  --admin NAME        name of the first administrator (default: admin)\n"
		"  --credentials FILE  where to write its credentials (default: FILE.admin-credentials)\n"
		"  --no-admin          do not create a first administrator\n"
		"  -h, --help          show this help\n");
}

int cli_cmd_init(struct cli_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "admin", required_argument, NULL, 'a' },
		{ "credentials", required_argument, NULL, 'c' },
		{ "no-admin", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *admin = "admin";
	char cred[1100] = "";
	struct cep_principal console;
	struct cep_error err;
	struct store *s;
	int c, rc, from = 0, to = 0, inserted = 0, no_admin = 0;
	bool created = false;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			admin = optarg;
			break;
		case 'c':
			snprintf(cred, sizeof(cred), "%s", optarg);
			break;
		case 'n':
			no_admin = 1;
			break;
		case 'h':
			init_usage(stdout);
			return CLI_OK;
		default:
			return cli_usage("init", "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage("init", "unexpected argument %s", argv[optind]);
	s = cli_open(cfg, false);
	if (!s)
		return CLI_FAIL;
	cep_error_init(&err);
	cep_principal_system(&console);
	rc = store_migrate(s, &from, &to, &err);
	if (rc == 0)
		rc = reg_load_reference(s, &console, &inserted, &err);
	if (rc == 0) { /* the Guideline's 3rd edition (指針 第3版) */
		int items = 0;

		rc = std_load_builtin(s, &console, &items, &err);
		inserted += items;
	}
	if (rc == 0 && !no_admin) {
		if (!cred[0])
			snprintf(cred, sizeof(cred), "%s.admin-credentials", cfg->db);
		rc = idn_bootstrap_admin(s, admin, cred, &created, &err);
	}
	store_close(s);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (from != to)
		printf("schema: version %d -> %d\n", from, to);
	else
		printf("schema: version %d (up to date)\n", to);
	printf("reference data: %d row(s) added\n", inserted);
	if (created)
		printf("first administrator \"%s\" created; its one-time password and API token are in\n"
		       "  %s\n(readable only by you: sign in, change the password, then delete the file)\n",
		       admin, cred);
	return CLI_OK;
}

static void serve_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE serve [--listen ADDR:PORT] [--threads N]\n"
		"\n"
		"Serve the JSON API under /api/v1/ and GET /healthz until SIGINT or SIGTERM.\n"
		"The database must have been created with `ceptoar init`.\n"
		"\n"
		"Options:\n"
		"  --listen ADDR:PORT  address to listen on (env CEPTOAR_LISTEN; config `listen`;\n"
		"                      default 127.0.0.1:8080; IPv6 as [::1]:8080)\n"
		"  --threads N         worker threads, 1-256 (env CEPTOAR_THREADS; default 16):\n"
		"                      writes waiting together share one durable commit, so\n"
		"                      more threads than cores let concurrent writers share fsyncs\n"
		"  -h, --help          show this help\n");
}

int cli_cmd_serve(struct cli_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct http_config hc;
	struct cep_error err;
	struct store *s;
	long t;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			snprintf(cfg->listen, sizeof(cfg->listen), "%s", optarg);
			break;
		case 't':
			if (cli_parse_int(optarg, 1, 256, &t) < 0)
				return cli_usage("serve", "--threads must be a number from 1 to 256");
			cfg->threads = (unsigned)t;
			break;
		case 'h':
			serve_usage(stdout);
			return CLI_OK;
		default:
			return cli_usage("serve", "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage("serve", "unexpected argument %s", argv[optind]);
	s = cli_open(cfg, true); /* refuse early, with a clear message */
	if (!s)
		return CLI_FAIL;
	store_close(s);
	memset(&hc, 0, sizeof(hc));
	hc.db_path = cfg->db;
	hc.listen = cfg->listen;
	hc.threads = cfg->threads;
	cep_error_init(&err);
	rc = http_serve(&hc, &err);
	if (rc < 0)
		return cli_fail(&err, rc);
	return CLI_OK;
}
