/* test_share_space.c - common-threat correlation (bounded, with exclusions,
 * filtered by what the reader may see), the CEPTOAR Council space (closed to
 * government unless shared), large-scale incident mode and its sitrep. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/crypto.h"
#include "identity/identity.h"
#include "registry/registry.h"
#include "share/share.h"
#include "store/sql.h"

#include "fixture.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static struct cep_principal console;

static struct store *fresh(void)
{
	static const char csv[] = "code,name_ja,sector,ceptoars\r\n"
				  "BANK-A,A銀行,finance,bank-ceptoar\r\n"
				  "POWER-C,C電力,electricity,electricity-ceptoar\r\n"
				  "GAS-D,Dガス,gas,gas-ceptoar\r\n";
	struct store *s = fx_store(csv);

	fx_user(s, "opa", "BANK-A", "operator");
	fx_user(s, "opc", "POWER-C", "operator");
	fx_user(s, "opd", "GAS-D", "operator");
	fx_user(s, "nisc1", "nisc", "nisc");
	fx_user(s, "fsa1", "fsa", "ministry");
	fx_user(s, "banksec", "bank-ceptoar", "ceptoar");
	fx_user(s, "gassec", "gas-ceptoar", "ceptoar");
	return s;
}

static char *report(struct store *s, const char *user, const char *ip, const char *tlp,
		    const char *scope)
{
	struct cep_principal p = fx_as(s, user);
	json_t *in = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}]}", "title", "不審な通信", "tlp", tlp,
			       "scope", scope, "indicators", "type", "ip", "value", ip);
	json_t *res = NULL;
	char *id;

	assert_int_equal(share_report_create(s, &p, in, &res, NULL), 0);
	id = cep_strdup(json_string_value(json_object_get(res, "id")));
	json_decref(res);
	json_decref(in);
	return id;
}

static json_t *correlations(struct store *s, const char *user, int max, int expect_rc)
{
	struct cep_principal p = fx_as(s, user);
	struct cep_page page = { 100, 0 };
	json_t *res = NULL;

	assert_int_equal(share_correlations(s, &p, max, &page, &res, NULL), expect_rc);
	return res;
}

static void test_correlation(void **state)
{
	struct store *s = fresh();
	struct cep_principal nisc = fx_as(s, "nisc1");
	json_t *res, *in;

	(void)state;
	/* 198.51.100.7 in three sectors; 203.0.113.9 in one; one RED report */
	cep_free(report(s, "opa", "198.51.100.7", "AMBER", "council"));
	cep_free(report(s, "opc", "198.51.100.7", "AMBER", "council"));
	cep_free(report(s, "opd", "198.51.100.7", "RED", "ministry"));
	cep_free(report(s, "opa", "203.0.113.9", "AMBER", "council"));
	cep_free(report(s, "opa", "203.0.113.9", "AMBER", "council"));
	res = correlations(s, "nisc1", 50, 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
	{
		json_t *c = json_array_get(json_object_get(res, "items"), 0);

		assert_string_equal(json_string_value(json_object_get(c, "value")), "198.51.100.7");
		assert_int_equal(json_integer_value(json_object_get(c, "sector_count")), 3);
		assert_int_equal(json_array_size(json_object_get(c, "report_ids")), 3);
	}
	json_decref(res);
	/* a council secretariat: only what the council may read (the RED
	 * report does not count), and no report ids */
	res = correlations(s, "gassec", 50, 0);
	{
		json_t *c = json_array_get(json_object_get(res, "items"), 0);

		assert_int_equal(json_integer_value(json_object_get(c, "sector_count")), 2);
		assert_null(json_object_get(c, "report_ids"));
	}
	json_decref(res);
	/* operators and ministries see none; bounded values stop correlating */
	assert_null(correlations(s, "opa", 50, CEP_EPERM));
	assert_null(correlations(s, "fsa1", 50, CEP_EPERM));
	res = correlations(s, "nisc1", 2, 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
	json_decref(res);
	assert_null(correlations(s, "nisc1", 1, CEP_EINVAL));
	/* excluded values never correlate */
	in = json_pack("{s:s, s:s, s:s}", "type", "ip", "value", "198.51.100.7", "reason",
		       "shared resolver");
	assert_int_equal(share_correlation_exclude(s, &nisc, in, NULL), 0);
	json_decref(in);
	res = correlations(s, "nisc1", 50, 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
	json_decref(res);
	store_close(s);
}

static void test_council(void **state)
{
	struct store *s = fresh();
	struct cep_principal bank = fx_as(s, "banksec"), gas = fx_as(s, "gassec"), nisc = fx_as(s, "nisc1"),
			     fsa = fx_as(s, "fsa1"), opa = fx_as(s, "opa");
	struct cep_page page = { 50, 0 };
	json_t *in, *item = NULL, *res = NULL;
	const char *id;

	(void)state;
	assert_true(bank.council);
	in = json_pack("{s:s, s:s}", "title", "停電時の互助", "body", "非常用発電機の燃料融通について");
	assert_int_equal(share_council_post(s, &bank, NULL, in, &item, NULL), 0);
	json_decref(in);
	id = json_string_value(json_object_get(item, "id"));
	in = json_pack("{s:s}", "body", "ガス分野からも協力可能");
	assert_int_equal(share_council_post(s, &gas, id, in, &res, NULL), 0);
	assert_int_equal(json_array_size(json_object_get(res, "replies")), 1);
	json_decref(res);
	json_decref(in);
	/* government and operators neither read nor post council-only items */
	assert_int_equal(share_council_items(s, &nisc, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
	json_decref(res);
	assert_int_equal(share_council_item(s, &fsa, id, &res, NULL), CEP_ENOTFOUND);
	assert_int_equal(share_council_items(s, &opa, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
	json_decref(res);
	in = json_pack("{s:s, s:s}", "title", "x", "body", "y");
	assert_int_equal(share_council_post(s, &nisc, NULL, in, &res, NULL), CEP_EPERM);
	json_decref(in);
	/* an item the council shares with government is readable by them */
	in = json_pack("{s:s, s:s, s:b}", "title", "共有事項", "body", "政府にも共有", "shared_with_government", 1);
	assert_int_equal(share_council_post(s, &gas, NULL, in, &res, NULL), 0);
	json_decref(res);
	json_decref(in);
	assert_int_equal(share_council_items(s, &nisc, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
	json_decref(res);
	assert_int_equal(share_council_items(s, &bank, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 2);
	json_decref(res);
	/* RED has no place in a shared space */
	in = json_pack("{s:s, s:s, s:s}", "title", "x", "body", "y", "tlp", "RED");
	assert_int_equal(share_council_post(s, &bank, NULL, in, &res, NULL), CEP_ESEMANTIC);
	json_decref(in);
	json_decref(item);
	store_close(s);
}

static void test_incident(void **state)
{
	struct store *s = fresh();
	struct cep_principal nisc = fx_as(s, "nisc1"), opa = fx_as(s, "opa"), opc = fx_as(s, "opc");
	json_t *in, *inc = NULL, *alert = NULL, *rep = NULL, *sitrep = NULL, *link;
	char *rid;
	int64_t n = 0;

	(void)state;
	in = json_pack("{s:s, s:i}", "title", "関東広域停電", "ack_hours", 1);
	assert_int_equal(share_incident_declare(s, &opa, in, &inc, NULL), CEP_EPERM);
	assert_int_equal(share_incident_declare(s, &nisc, in, &inc, NULL), 0);
	json_decref(in);
	rid = report(s, "opa", "192.0.2.1", "AMBER", "ministry");
	link = json_pack("{s:s}", "report", rid);
	assert_int_equal(share_incident_link(s, &nisc, json_string_value(json_object_get(inc, "id")),
					     link, NULL),
			 0);
	json_decref(link);
	in = json_pack("{s:s, s:s, s:s, s:{s:[s]}, s:i}", "severity", "critical", "title_ja", "停電",
		       "body_ja", "b", "audience", "sectors", "finance", "ack_within_hours", 48);
	assert_int_equal(share_alert_create(s, &nisc, in, &alert, NULL), 0);
	json_decref(in);
	link = json_pack("{s:s}", "alert", json_string_value(json_object_get(alert, "id")));
	assert_int_equal(share_incident_link(s, &nisc, json_string_value(json_object_get(inc, "id")),
					     link, NULL),
			 0);
	json_decref(link);
	/* the deadline shortened to the incident's 1 hour */
	assert_int_equal(store_query_int(s, "SELECT ack_deadline - created_at FROM alerts", NULL, 0, &n), 0);
	assert_int_equal(n, 3600);
	/* NISC's sitrep lists the report under finance with the reporter named;
	 * another operator's sitrep does not show the AMBER/ministry report */
	assert_int_equal(share_incident_sitrep(s, &nisc, json_string_value(json_object_get(inc, "id")), 1,
					       &sitrep, NULL),
			 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(sitrep, "sectors"),
									     "finance"),
							     "reports")),
			 1);
	json_decref(sitrep);
	assert_int_equal(share_incident_sitrep(s, &opc, json_string_value(json_object_get(inc, "id")), 0,
					       &sitrep, NULL),
			 0);
	assert_int_equal(json_integer_value(json_object_get(sitrep, "reports")), 0);
	json_decref(sitrep);
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM incident_sitreps", NULL, 0, &n), 0);
	assert_int_equal(n, 1);
	/* the schedule: nothing due right after a sitrep, one due sitrep_minutes later */
	{
		int done = -1;

		assert_int_equal(share_sitreps_due(s, time(NULL), &done, NULL), 0);
		assert_int_equal(done, 0);
		assert_int_equal(share_sitreps_due(s, time(NULL) + 61 * 60, &done, NULL), 0);
		assert_int_equal(done, 1);
		assert_int_equal(store_query_int(s, "SELECT count(*) FROM incident_sitreps", NULL, 0, &n), 0);
		assert_int_equal(n, 2);
	}
	/* closing returns to normal mode; linking afterwards is refused */
	assert_int_equal(share_incident_close(s, &nisc, json_string_value(json_object_get(inc, "id")), &rep,
					      NULL),
			 0);
	assert_string_equal(json_string_value(json_object_get(rep, "state")), "closed");
	link = json_pack("{s:s}", "report", rid);
	assert_int_equal(share_incident_link(s, &nisc, json_string_value(json_object_get(inc, "id")),
					     link, NULL),
			 CEP_ENOTFOUND);
	json_decref(link);
	json_decref(rep);
	json_decref(alert);
	json_decref(inc);
	cep_free(rid);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_correlation),
		cmocka_unit_test(test_council),
		cmocka_unit_test(test_incident),
	};

	cep_alloc_install();
	cep_crypto_init();
	cep_principal_system(&console);
	return cmocka_run_group_tests_name("share_space", tests, NULL, NULL);
}
