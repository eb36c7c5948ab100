/* cmd_incident.c - `ceptoar incident ...`: large-scale incidents (平時と異なる体制).
 * NISC declares an incident, links reports and alerts to it (a linked alert's
 * acknowledgement deadline is shortened to the incident's ack_hours), reads the
 * situation report per sector, and closes it. Options as in cmd_space.c. */
#include "cli/cli.h"
#include "cli/space.h"

#include "share/share.h"

#include <stdio.h>
#include <string.h>

static void incident_usage(FILE *out)
{
	fprintf(out,
		"Usage: ceptoar --db FILE incident ACTION [OPTIONS]\n"
		"\n"
		"Large-scale incidents (平時と異なる体制): while an incident is open, the alerts\n"
		"linked to it must be acknowledged within its ack_hours, and a situation report\n"
		"per sector (who reported, report states, acknowledgements) is compiled on\n"
		"demand and every sitrep_minutes. NISC declares, links and closes; every user\n"
		"reads (the situation report shows each reader only the reports it may read).\n"
		"\n"
		"Actions:\n"
		"  declare [--as USER] --title T [--description D] [--ack-hours N]\n"
		"          [--sitrep-minutes N] [--json]\n"
		"        declare an incident (NISC)\n"
		"  list [--as USER] [--state open|closed] [--limit N] [--offset N] [--json]\n"
		"        incidents, newest first\n"
		"  show ID [--as USER] [--json]\n"
		"  close ID [--as USER] [--json]\n"
		"        return to normal mode (NISC)\n"
		"  link ID [--as USER] (--report REPORT_ID | --alert ALERT_ID)\n"
		"        link a report or an alert to an open incident (NISC)\n"
		"  sitrep ID [--as USER] [--keep] [--json]\n"
		"        the situation report per sector as USER may see it\n"
		"\n"
		"Options:\n"
		"  --as USER            act as this user; without it the console acts (as NISC)\n"
		"  --title T            (declare) the incident's title (at most 200 characters)\n"
		"  --description D      (declare) what is known\n"
		"  --ack-hours N        (declare) acknowledgement deadline of linked alerts, in\n"
		"                       hours after the alert was sent: 1-72, default 2\n"
		"  --sitrep-minutes N   (declare) a situation report is kept every N minutes:\n"
		"                       10-1440, default 60\n"
		"  --state S            (list) open or closed\n"
		"  --report ID          (link) the report to link\n"
		"  --alert ID           (link) the alert to link\n"
		"  --keep               (sitrep) also keep this situation report (NISC)\n"
		"  --limit N, --offset N  page through the list (limit 1-%d, default %d)\n"
		"  --json               print the JSON result instead of text or a table\n"
		"  -h, --help           show this help\n",
		CEP_PAGE_MAX, CEP_PAGE_DEFAULT);
}

/* The input of declare from the options: a new object (caller json_decref), NULL when
 * out of memory. */
static json_t *declare_input(const struct cli_space_opts *o)
{
	json_t *in = json_pack("{s:s}", "title", o->title);

	if (in && o->description)
		json_object_set_new(in, "description", json_string(o->description));
	if (in && o->ack_hours >= 0)
		json_object_set_new(in, "ack_hours", json_integer(o->ack_hours));
	if (in && o->sitrep_minutes >= 0)
		json_object_set_new(in, "sitrep_minutes", json_integer(o->sitrep_minutes));
	return in;
}

static void print_incident(const json_t *inc)
{
	static const char *const rows[][2] = {
		{ "id", "id" },           { "title", "title" },           { "state", "state" },
		{ "declared by", "declared_by" }, { "declared", "declared_at" },
		{ "closed by", "closed_by" }, { "closed", "closed_at" },
		{ "last sitrep", "last_sitrep_at" }, { NULL, NULL },
	};

	for (size_t i = 0; rows[i][0]; i++)
		printf("%-22s %s\n", rows[i][0], cli_space_str(inc, rows[i][1]));
	printf("%-22s %lld hours\n", "acknowledge within",
	       (long long)json_integer_value(json_object_get(inc, "ack_hours")));
	printf("%-22s every %lld minutes\n", "situation report",
	       (long long)json_integer_value(json_object_get(inc, "sitrep_minutes")));
	printf("%-22s %lld\n", "linked alerts",
	       (long long)json_integer_value(json_object_get(inc, "alerts")));
	cli_print_text("\ndescription", json_string_value(json_object_get(inc, "description")));
}

/* The reporter of a sitrep item as the reader may see it: the org's code, or the
 * anonymous label. Borrowed from it. */
static const char *reporter(const json_t *it)
{
	const char *code = json_string_value(json_object_get(it, "org_code"));

	return code ? code : cli_space_str(it, "reporter_en");
}

static void print_sitrep(const json_t *rep)
{
	const json_t *inc = json_object_get(rep, "incident");
	const char *sector;
	json_t *sec, *it;
	size_t i;

	printf("incident %s: %s (%s), %lld report(s) linked that you may read\n",
	       cli_space_str(inc, "id"), cli_space_str(inc, "title"), cli_space_str(inc, "state"),
	       (long long)json_integer_value(json_object_get(rep, "reports")));
	json_object_foreach((json_t *)json_object_get(rep, "sectors"), sector, sec) {
		printf("\n%s (%s): %lld report(s), %lld recovered, %lld with verification "
		       "breached\n",
		       sector, cli_space_str(sec, "name_ja"),
		       (long long)json_integer_value(json_object_get(sec, "reports")),
		       (long long)json_integer_value(json_object_get(sec, "recovered")),
		       (long long)json_integer_value(json_object_get(sec, "verification_breached")));
		json_array_foreach(json_object_get(sec, "items"), i, it)
			printf("  %s  %-9s %-12s %s  %s\n", cli_space_str(it, "id"),
			       cli_space_str(it, "status"), cli_space_str(it, "tlp"), reporter(it),
			       cli_space_str(it, "title"));
	}
	printf("\nalerts:\n");
	if (json_array_size(json_object_get(rep, "alerts")) == 0)
		printf("  (none)\n");
	json_array_foreach(json_object_get(rep, "alerts"), i, it)
		printf("  %s  %-8s %lld/%lld acknowledged, due %s  %s\n", cli_space_str(it, "id"),
		       cli_space_str(it, "severity"),
		       (long long)json_integer_value(json_object_get(it, "acked")),
		       (long long)json_integer_value(json_object_get(it, "recipients")),
		       cli_space_str(it, "ack_deadline"), cli_space_str(it, "title_ja"));
}

/* The actions: their options (cli_space_action's letters) and arguments. */
static const struct cli_action actions[] = {
	{ "declare", "aTdAMj", 0, 0, "" },
	{ "list", "axLOj", 0, 0, "" },
	{ "show", "aj", 1, 1, "an incident ID" },
	{ "close", "aj", 1, 1, "an incident ID" },
	{ "link", "aRE", 1, 1, "an incident ID" },
	{ "sitrep", "akj", 1, 1, "an incident ID" },
};

int cli_cmd_incident(struct cli_config *cfg, int argc, char **argv)
{
	static const char *const cols[] = { "id", "state", "title", "ack_hours", "declared_by",
					    "declared_at", "closed_at", NULL };
	struct cep_principal p;
	struct cli_space_opts o;
	struct cep_error err;
	const char *action;
	json_t *in = NULL, *res = NULL;
	struct store *s;
	int rc;

	if ((rc = cli_space_frame("incident", argc, argv, incident_usage,
			    CLI_ACTIONS(actions), &o)) >= 0)
		return rc;
	action = argv[1];
	if (!strcmp(action, "declare") && !o.title)
		return cli_usage("incident", "declare needs --title T");
	if (!strcmp(action, "link") && !o.report == !o.alert)
		return cli_usage("incident", "link needs one of --report ID or --alert ID");
	cep_error_init(&err);
	if (!strcmp(action, "declare"))
		in = declare_input(&o);
	else if (!strcmp(action, "link"))
		in = json_pack("{s:s}", o.report ? "report" : "alert", o.report ? o.report : o.alert);
	if ((!strcmp(action, "declare") || !strcmp(action, "link")) && !in)
		return cli_fail(&err, CEP_ENOMEM);
	s = cli_space_open(cfg, o.as, &p, &rc);
	if (!s) {
		json_decref(in);
		return rc;
	}
	if (!strcmp(action, "declare"))
		rc = share_incident_declare(s, &p, in, &res, &err);
	else if (!strcmp(action, "list"))
		rc = share_incidents(s, &p, o.state, &o.page, &res, &err);
	else if (!strcmp(action, "show"))
		rc = share_incident_get(s, &p, o.args[0], &res, &err);
	else if (!strcmp(action, "close"))
		rc = share_incident_close(s, &p, o.args[0], &res, &err);
	else if (!strcmp(action, "link"))
		rc = share_incident_link(s, &p, o.args[0], in, &err);
	else
		rc = share_incident_sitrep(s, &p, o.args[0], o.keep, &res, &err);
	store_close(s);
	json_decref(in);
	if (rc < 0)
		return cli_fail(&err, rc);
	if (!strcmp(action, "list"))
		cli_print_list(res, cols, o.json);
	else if (!strcmp(action, "link"))
		printf("%s %s linked to incident %s\n", o.report ? "report" : "alert",
		       o.report ? o.report : o.alert, o.args[0]);
	else if (o.json)
		cli_print_json(res);
	else if (!strcmp(action, "declare"))
		printf("incident %s declared: %s (acknowledge within %lld h, situation report every "
		       "%lld min)\n",
		       cli_space_str(res, "id"), cli_space_str(res, "title"),
		       (long long)json_integer_value(json_object_get(res, "ack_hours")),
		       (long long)json_integer_value(json_object_get(res, "sitrep_minutes")));
	else if (!strcmp(action, "close"))
		printf("incident %s closed at %s\n", cli_space_str(res, "id"),
		       cli_space_str(res, "closed_at"));
	else if (!strcmp(action, "show"))
		print_incident(res);
	else
		print_sitrep(res);
	json_decref(res);
	return CLI_OK;
}
