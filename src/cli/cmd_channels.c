/* cmd_channels.c - `ceptoar contact ...`, `ceptoar delivery ...` and `ceptoar notices`:
 * how a delivery reaches an organisation besides the web inbox. An organisation's
 * contacts (e-mail, webhook, phone, FAX); the channel record of a delivery (every
 * send and attempt) and the phone/FAX deliveries a CEPTOAR secretariat logs by
 * hand; the escalation notices of an organisation. Options as in cmd_space.c. */
#include "cli/cli.h"
#include "cli/space.h"

#include "share/share.h"

#include <stdio.h>
#include <string.h>

static void contact_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE contact ACTION ORG [OPTIONS]\n"
		"\n"
		"The contacts of organisation ORG (id or code) through which its deliveries\n"
		"reach it besides the web inbox: e-mail and webhooks are sent by the delivery\n"
		"worker; phone and FAX numbers are for the CEPTOAR secretariat, who logs each\n"
		"call with `ceptoar delivery manual`.\n"
		"\n"
		"Actions:\n"
		"  list ORG [--as USER] [--json]\n"
		"        the active contacts (the org itself, NISC, the secretariats of its\n"
		"        CEPTOARs, administrators); webhook secrets are never shown again\n"
		"  add ORG [--as USER] --channel email|webhook|phone|fax --address A\n"
		"      [--label L] [--json]\n"
		"  add ORG [--as USER] --file CONTACT.json [--json]\n"
		"        add a contact (the org itself, administrators). A webhook's secret is\n"
		"        generated and printed once, unless CONTACT.json gives \"secret\"\n"
		"  remove ORG CONTACT_ID [--as USER]\n"
		"        deactivate a contact (kept for the history of its sends)\n"
		"\n"
		"Options:\n"
		"  --as USER        act as this user; without it the console acts\n"
		"  --channel C      email, webhook, phone or fax\n"
		"  --address A      an e-mail address, an http(s) URL, or a phone/FAX number\n"
		"  --label L        a name for people (\"24h desk\")\n"
		"  --file F         the contact as JSON: {\"channel\",\"address\",\"label\",\"secret\"}\n"
		"  --json           print the JSON result\n"
		"  -h, --help       show this help\n");
}

static void delivery_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE delivery ACTION DELIVERY_ID [OPTIONS]\n"
		"\n"
		"The channels of one delivery of an alert, for those who follow it (the\n"
		"sender's organisation, NISC, the secretariat of the delivery's CEPTOAR).\n"
		"\n"
		"Actions:\n"
		"  channels DELIVERY_ID [--as USER] [--json]\n"
		"        every e-mail and webhook send with each attempt, and the phone/FAX\n"
		"        deliveries logged by hand\n"
		"  manual DELIVERY_ID [--as USER] --channel phone|fax [--contact CONTACT_ID]\n"
		"         [--note TEXT] [--json]\n"
		"        log a delivery made by phone or FAX (NISC, the delivery's secretariat)\n"
		"\n"
		"Options:\n"
		"  --as USER        act as this user; without it the console acts\n"
		"  --channel C      (manual) phone or fax\n"
		"  --contact ID     (manual) the receiving org's phone/FAX contact that was used\n"
		"  --note TEXT      (manual) who was reached, what was said (at most %d characters)\n"
		"  --json           print the JSON result\n"
		"  -h, --help       show this help\n",
		SHARE_NOTE_MAX);
}

static void notices_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE notices list --as USER [--limit N] [--offset N] [--json]\n"
		"\n"
		"The escalation notices of USER's organisation, newest first: a delivery that\n"
		"passed its acknowledgement deadline unacknowledged is flagged to the alert's\n"
		"sender and to the secretariat of the delivery's CEPTOAR.\n");
}

/* The contact to add, from --file or the options (--channel and --address given).
 * *ret caller owns. */
static int contact_input(const struct cli_space_opts *o, json_t **ret, struct cep_error *err)
{
	if (o->file)
		return cli_read_json(o->file, ret, err);
	*ret = json_pack("{s:s, s:s, s:s}", "channel", o->channel, "address", o->address, "label",
			 o->label ? o->label : "");
	return *ret ? 0 : cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
}

int cli_cmd_contact(struct cli_config *cfg, int argc, char **argv)
{
	static const struct cli_action rules[] = {
		{ "list", "aj", 1, 1, "an ORG" },
		{ "add", "aCDlfj", 1, 1, "an ORG" },
		{ "remove", "a", 2, 2, "an ORG and a CONTACT_ID" },
	};
	static const char *const cols[] = { "id", "channel", "address", "label", "secret_set",
					    "created_by", "created_at", NULL };
	struct cli_space_opts o;
	struct cep_principal p;
	struct cep_error err;
	json_t *in = NULL, *res = NULL;
	struct store *s;
	int rc = cli_space_frame("contact", argc, argv, contact_usage, CLI_ACTIONS(rules), &o);

	if (rc >= 0)
		return rc;
	cep_error_init(&err);
	if (!strcmp(argv[1], "add") && (o.file != NULL) == (o.channel || o.address || o.label))
		return cli_usage("contact", "add takes either --file or --channel/--address/--label");
	if (!strcmp(argv[1], "add") && !o.file && (!o.channel || !o.address))
		return cli_usage("contact", "add needs --channel and --address (or --file)");
	if (!strcmp(argv[1], "add") && contact_input(&o, &in, &err) < 0)
		return cli_fail(&err, err.code);
	s = cli_space_open(cfg, o.as, &p, &rc);
	if (!s) {
		json_decref(in);
		return rc;
	}
	if (!strcmp(argv[1], "list"))
		rc = share_contacts(s, &p, o.args[0], &res, &err);
	else if (!strcmp(argv[1], "add"))
		rc = share_contact_add(s, &p, o.args[0], in, &res, &err);
	else
		rc = share_contact_delete(s, &p, o.args[0], o.args[1], &err);
	store_close(s);
	json_decref(in);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (!strcmp(argv[1], "list")) {
		cli_print_list(res, cols, o.json);
	} else if (!strcmp(argv[1], "remove")) {
		printf("contact %s removed\n", o.args[1]);
	} else if (o.json) {
		cli_print_json(res);
	} else {
		printf("contact %s added: %s %s\n", cli_space_str(res, "id"),
		       cli_space_str(res, "channel"), cli_space_str(res, "address"));
		if (json_is_string(json_object_get(res, "secret")))
			printf("webhook secret (shown once, keep it with the receiver): %s\n",
			       cli_space_str(res, "secret"));
	}
	json_decref(res);
	return CLI_OK;
}

static void print_channels(const json_t *res)
{
	const json_t *it, *log, *at;
	size_t i, j;

	printf("delivery %lld\n", (long long)json_integer_value(json_object_get(res, "delivery")));
	json_array_foreach(json_object_get(res, "sends"), i, it) {
		printf("  send %s  %s %s  (%s)  %s, %lld attempt(s)\n", cli_space_str(it, "id"),
		       cli_space_str(it, "channel"), cli_space_str(it, "address"),
		       cli_space_str(it, "reason"), cli_space_str(it, "state"),
		       (long long)json_integer_value(json_object_get(it, "attempts")));
		log = json_object_get(it, "attempt_log");
		json_array_foreach(log, j, at)
			printf("    #%lld %s %s %s\n",
			       (long long)json_integer_value(json_object_get(at, "attempt")),
			       cli_space_str(at, "at"),
			       json_is_true(json_object_get(at, "ok")) ? "ok" : "failed:",
			       json_is_true(json_object_get(at, "ok")) ? "" : cli_space_str(at, "error"));
	}
	json_array_foreach(json_object_get(res, "manual"), i, it)
		printf("  %s by hand at %s by %s: %s\n", cli_space_str(it, "channel"),
		       cli_space_str(it, "logged_at"), cli_space_str(it, "logged_by"),
		       cli_space_str(it, "note"));
	if (!json_array_size(json_object_get(res, "sends")) &&
	    !json_array_size(json_object_get(res, "manual")))
		printf("  web inbox only: no e-mail, webhook or phone/FAX record\n");
}

int cli_cmd_delivery(struct cli_config *cfg, int argc, char **argv)
{
	static const struct cli_action rules[] = {
		{ "channels", "aj", 1, 1, "a DELIVERY_ID" },
		{ "manual", "aCcnj", 1, 1, "a DELIVERY_ID" },
	};
	struct cli_space_opts o;
	struct cep_principal p;
	struct cep_error err;
	json_t *in = NULL, *res = NULL;
	struct store *s;
	long id;
	int rc = cli_space_frame("delivery", argc, argv, delivery_usage, CLI_ACTIONS(rules), &o);

	if (rc >= 0)
		return rc;
	if (cli_parse_int(o.args[0], 1, 0x7fffffffL, &id) < 0)
		return cli_usage("delivery", "DELIVERY_ID must be a positive number");
	cep_error_init(&err);
	if (!strcmp(argv[1], "manual")) {
		if (!o.channel)
			return cli_usage("delivery", "manual needs --channel phone or --channel fax");
		in = json_pack("{s:s, s:s*, s:s*}", "channel", o.channel, "contact", o.contact,
			       "note", o.note);
		if (!in)
			return cli_fail(&err, CEP_ENOMEM);
	}
	s = cli_space_open(cfg, o.as, &p, &rc);
	if (!s) {
		json_decref(in);
		return rc;
	}
	if (!strcmp(argv[1], "channels"))
		rc = share_delivery_channels(s, &p, id, &res, &err);
	else
		rc = share_manual_delivery_log(s, &p, id, in, &res, &err);
	store_close(s);
	json_decref(in);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (o.json)
		cli_print_json(res);
	else if (!strcmp(argv[1], "channels"))
		print_channels(res);
	else
		printf("%s delivery logged for delivery %ld at %s\n", cli_space_str(res, "channel"),
		       id, cli_space_str(res, "logged_at"));
	json_decref(res);
	return CLI_OK;
}

int cli_cmd_notices(struct cli_config *cfg, int argc, char **argv)
{
	static const struct cli_action rules[] = {
		{ "list", "aLOj", 0, 0, "" },
	};
	static const char *const cols[] = { "id", "kind", "alert", "severity", "org_name_ja",
					    "ack_deadline", "escalated_at", "acked_at", NULL };
	struct cli_space_opts o;
	struct cep_principal p;
	struct cep_error err;
	json_t *res = NULL;
	struct store *s;
	int rc = cli_space_frame("notices", argc, argv, notices_usage, CLI_ACTIONS(rules), &o);

	if (rc >= 0)
		return rc;
	if (!o.as)
		return cli_usage("notices", "list needs --as USER: notices are an organisation's");
	cep_error_init(&err);
	s = cli_space_open(cfg, o.as, &p, &rc);
	if (!s)
		return rc;
	rc = share_notices(s, &p, &o.page, &res, &err);
	store_close(s);
	if (rc < 0)
		return cli_fail(&err, rc);
	cli_print_list(res, cols, o.json);
	json_decref(res);
	return CLI_OK;
}
