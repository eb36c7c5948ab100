/* test_share.c - reports (create, versions, visibility and anonymity in lists
 * and totals), alerts (audience, fan-out, inbox, acknowledgement, tracking). */
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

static struct cep_principal console;

static struct store *fresh(void)
{
	static const char csv[] = "code,name_ja,name_en,sector,ceptoars,service_ja,system_ja\r\n"
				  "BANK-A,A銀行,Bank A,finance,bank-ceptoar,預金,勘定系\r\n"
				  "BANK-B,B銀行,Bank B,finance,bank-ceptoar,,\r\n"
				  "POWER-C,C電力,Power C,electricity,electricity-ceptoar,,\r\n";
	struct store *s = fx_store(csv);

	fx_user(s, "opa", "BANK-A", "operator");
	fx_user(s, "opb", "BANK-B", "operator");
	fx_user(s, "opc", "POWER-C", "operator");
	fx_user(s, "fsa1", "fsa", "ministry");
	fx_user(s, "meti1", "meti", "ministry");
	fx_user(s, "nisc1", "nisc", "nisc");
	fx_user(s, "banksec", "bank-ceptoar", "ceptoar");
	fx_user(s, "gassec", "gas-ceptoar", "ceptoar");
	fx_user(s, "jpcert", "jpcert-cc", "agency");
	fx_user(s, "root", "nisc", "admin");
	return s;
}

static json_t *report(struct store *s, const char *user, const char *title, const char *tlp,
		      const char *scope, int *ret_rc, struct cep_error *err)
{
	struct cep_principal p = fx_as(s, user);
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}]}", "title", title,
			       "description", "広域停電で勘定系が停止した", "tlp", tlp, "scope", scope,
			       "cause_category", "spillover", "indicators", "type", "domain", "value",
			       "Evil.Example.COM");
	json_t *res = NULL;

	*ret_rc = share_report_create(s, &p, in, &res, err);
	json_decref(in);
	return res;
}

static int64_t visible_total(struct store *s, const char *user, const char *q)
{
	struct cep_principal p = fx_as(s, user);
	struct share_report_filter f = { .q = q };
	struct cep_page page = { 500, 0 };
	json_t *res = NULL;
	int64_t n;

	assert_int_equal(share_reports(s, &p, &f, &page, &res, NULL), 0);
	n = json_integer_value(json_object_get(res, "total"));
	assert_int_equal((size_t)n, json_array_size(json_object_get(res, "items")));
	json_decref(res);
	return n;
}

static void test_report_visibility_and_totals(void **state)
{
	struct store *s = fresh();
	json_t *r;
	int rc;

	(void)state;
	r = report(s, "opa", "停電 RED", "RED", "ministry", &rc, NULL);
	assert_int_equal(rc, 0);
	json_decref(r);
	r = report(s, "opa", "停電 AMBER ceptoar", "AMBER", "ceptoar", &rc, NULL);
	assert_int_equal(rc, 0);
	json_decref(r);
	r = report(s, "opa", "停電 AMBER council", "AMBER", "council", &rc, NULL);
	assert_int_equal(rc, 0);
	json_decref(r);
	r = report(s, "opa", "停電 GREEN all", "GREEN", "all", &rc, NULL);
	assert_int_equal(rc, 0);
	json_decref(r);
	/* who sees how many: the reporter, its ministry and NISC all four; a
	 * fellow member and its secretariat the AMBER ones and GREEN; a council
	 * secretariat the council and GREEN ones; everyone else GREEN only */
	assert_int_equal(visible_total(s, "opa", NULL), 4);
	assert_int_equal(visible_total(s, "fsa1", NULL), 4);
	assert_int_equal(visible_total(s, "nisc1", NULL), 4);
	assert_int_equal(visible_total(s, "opb", NULL), 3);
	assert_int_equal(visible_total(s, "banksec", NULL), 3);
	assert_int_equal(visible_total(s, "gassec", NULL), 2);
	assert_int_equal(visible_total(s, "opc", NULL), 1);
	assert_int_equal(visible_total(s, "meti1", NULL), 1);
	assert_int_equal(visible_total(s, "jpcert", NULL), 1);
	/* search is filtered the same way; two-character Japanese words match */
	assert_int_equal(visible_total(s, "opc", "停電"), 1);
	assert_int_equal(visible_total(s, "opb", "停電"), 3);
	assert_int_equal(visible_total(s, "opb", "amber"), 2);
	assert_int_equal(visible_total(s, "opb", "evil.example.com"), 3);
	/* admin and auditor-like roles read no reports at all */
	{
		struct cep_principal p = fx_as(s, "root");
		struct cep_page page = { 10, 0 };
		json_t *res = NULL;

		assert_int_equal(share_reports(s, &p, NULL, &page, &res, NULL), 0);
		assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
		json_decref(res);
	}
	store_close(s);
}

static void test_anonymity(void **state)
{
	struct store *s = fresh();
	struct cep_principal opb = fx_as(s, "opb"), fsa = fx_as(s, "fsa1");
	json_t *r, *seen = NULL;
	char *text;
	int rc;

	(void)state;
	r = report(s, "opa", "障害", "GREEN", "all", &rc, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(share_report_get(s, &opb, json_string_value(json_object_get(r, "id")), 0,
					  &seen, NULL),
			 0);
	text = json_dumps(seen, 0);
	assert_null(strstr(text, "BANK-A"));
	assert_null(strstr(text, "A銀行"));
	assert_null(strstr(text, json_string_value(json_object_get(r, "org"))));
	assert_non_null(strstr(text, "金融の事業者"));
	free(text);
	json_decref(seen);
	seen = NULL;
	assert_int_equal(share_report_get(s, &fsa, json_string_value(json_object_get(r, "id")), 0,
					  &seen, NULL),
			 0);
	assert_string_equal(json_string_value(json_object_get(seen, "org_name_ja")), "A銀行");
	json_decref(seen);
	/* filtering by reporter does not unmask anonymous reports */
	{
		struct share_report_filter f = { .org = "BANK-A" };
		struct cep_page page = { 50, 0 };
		json_t *res = NULL;

		assert_int_equal(share_reports(s, &opb, &f, &page, &res, NULL), 0);
		assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
		json_decref(res);
		assert_int_equal(share_reports(s, &fsa, &f, &page, &res, NULL), 0);
		assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
		json_decref(res);
	}
	json_decref(r);
	store_close(s);
}

static void test_report_rules_and_versions(void **state)
{
	struct store *s = fresh();
	struct cep_principal opa = fx_as(s, "opa"), opb = fx_as(s, "opb");
	struct cep_error err;
	json_t *r, *upd, *res = NULL;
	const char *id;
	int rc;

	(void)state;
	cep_error_init(&err);
	r = report(s, "opa", "x", "RED", "ceptoar", &rc, &err);
	assert_int_equal(rc, CEP_ESEMANTIC);
	assert_string_equal(err.field, "scope");
	cep_error_init(&err);
	r = report(s, "opa", "x", "AMBER", "all", &rc, &err);
	assert_int_equal(rc, CEP_ESEMANTIC);
	cep_error_init(&err);
	r = report(s, "nisc1", "x", "GREEN", "all", &rc, &err);
	assert_int_equal(rc, CEP_EPERM);
	assert_int_equal(visible_total(s, "nisc1", NULL), 0);

	r = report(s, "opa", "版1", "AMBER", "ceptoar", &rc, NULL);
	assert_int_equal(rc, 0);
	id = json_string_value(json_object_get(r, "id"));
	upd = json_pack("{s:i, s:s, s:s}", "version", 1, "title", "版2", "status", "recovered");
	assert_int_equal(share_report_update(s, &opa, id, upd, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(res, "title")), "版2");
	/* the indicator list survived an update that did not mention it */
	assert_int_equal(json_array_size(json_object_get(res, "indicators")), 1);
	json_decref(res);
	/* stale version: 409, nothing changes */
	cep_error_init(&err);
	assert_int_equal(share_report_update(s, &opa, id, upd, &res, &err), CEP_EEXIST);
	json_decref(upd);
	/* status backwards */
	upd = json_pack("{s:i, s:s}", "version", 2, "status", "first");
	cep_error_init(&err);
	assert_int_equal(share_report_update(s, &opa, id, upd, &res, &err), CEP_ESEMANTIC);
	assert_string_equal(err.field, "status");
	json_decref(upd);
	/* final needs its analysis */
	upd = json_pack("{s:i, s:s}", "version", 2, "status", "final");
	cep_error_init(&err);
	assert_int_equal(share_report_update(s, &opa, id, upd, &res, &err), CEP_ESEMANTIC);
	json_decref(upd);
	/* another operator, even a fellow member who can read it, cannot update */
	upd = json_pack("{s:i, s:s}", "version", 2, "title", "hijack");
	cep_error_init(&err);
	assert_int_equal(share_report_update(s, &opb, id, upd, &res, &err), CEP_EPERM);
	json_decref(upd);
	/* version 1 is kept */
	assert_int_equal(share_report_get(s, &opa, id, 1, &res, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(res, "title")), "版1");
	json_decref(res);
	assert_int_equal(share_report_get(s, &opa, id, 0, &res, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(res, "title")), "版2");
	assert_int_equal(json_array_size(json_object_get(res, "versions")), 2);
	json_decref(res);
	json_decref(r);
	store_close(s);
}

static void test_alert_fanout_inbox_ack(void **state)
{
	struct store *s = fresh();
	struct cep_principal nisc = fx_as(s, "nisc1"), opb = fx_as(s, "opb"), opc = fx_as(s, "opc"),
			     banksec = fx_as(s, "banksec"), opa = fx_as(s, "opa");
	struct cep_page page = { 50, 0 };
	struct cep_error err;
	json_t *in, *alert = NULL, *res = NULL, *d;
	const char *id;
	int done = 0;
	int64_t did;

	(void)state;
	in = json_pack("{s:s, s:s, s:s, s:{s:[s]}, s:s, s:i}", "severity", "high", "title_ja",
		       "広域停電に関する注意喚起", "body_ja", "非常用電源を確認してください", "audience",
		       "sectors", "finance", "tlp", "GREEN", "ack_within_hours", 4);
	assert_int_equal(share_alert_create(s, &nisc, in, &alert, NULL), 0);
	json_decref(in);
	id = json_string_value(json_object_get(alert, "id"));
	assert_string_equal(json_string_value(json_object_get(alert, "fanout")), "pending");
	assert_int_equal(share_fanout_pending(s, 10, &done, NULL), 0);
	assert_int_equal(done, 1);
	/* finance: BANK-A, BANK-B, the 4 financial CEPTOAR secretariats, fsa */
	assert_int_equal(share_alert_deliveries(s, &nisc, id, NULL, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "recipients")), 7);
	assert_string_equal(json_string_value(json_object_get(res, "fanout")), "done");
	json_decref(res);
	/* a second run does nothing */
	assert_int_equal(share_fanout_pending(s, 10, &done, NULL), 0);
	assert_int_equal(done, 0);
	/* opb's inbox has it; opc's has nothing and cannot read the alert */
	assert_int_equal(share_inbox(s, &opb, "unacked", NULL, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
	d = json_array_get(json_object_get(res, "items"), 0);
	did = json_integer_value(json_object_get(d, "id"));
	json_decref(res);
	assert_int_equal(share_inbox(s, &opc, NULL, NULL, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
	json_decref(res);
	assert_int_equal(share_alert_get(s, &opc, id, &res, NULL), CEP_ENOTFOUND);
	/* someone else's delivery cannot be acknowledged */
	assert_int_equal(share_delivery_ack(s, &opc, did, &res, NULL), CEP_ENOTFOUND);
	assert_int_equal(share_delivery_ack(s, &opa, did, &res, NULL), CEP_ENOTFOUND);
	/* ack, twice: the first answer stands */
	assert_int_equal(share_delivery_ack(s, &opb, did, &res, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(res, "acked_by")), "opb");
	{
		json_t *again = NULL;

		assert_int_equal(share_delivery_ack(s, &opb, did, &again, NULL), 0);
		assert_true(json_equal(json_object_get(res, "acked_at"), json_object_get(again, "acked_at")));
		json_decref(again);
	}
	json_decref(res);
	/* the sender sees the count change and who has not acknowledged */
	assert_int_equal(share_alert_deliveries(s, &nisc, id, "unacked", &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "counts"), "acked")), 1);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 6);
	json_decref(res);
	/* the bank CEPTOAR secretariat follows its members only; operators not at all */
	assert_int_equal(share_alert_deliveries(s, &banksec, id, NULL, &page, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 3);
	json_decref(res);
	cep_error_init(&err);
	assert_int_equal(share_alert_deliveries(s, &opb, id, NULL, &page, &res, &err), CEP_ENOTFOUND);
	json_decref(alert);
	store_close(s);
}

static void test_alert_rules(void **state)
{
	static const struct {
		const char *sender, *json;
		int code;
		const char *field;
	} cases[] = {
		{ "opa", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"audience\":{\"all\":true}}", CEP_EPERM, "" },
		{ "nisc1", "{\"severity\":\"huge\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"audience\":{\"all\":true}}", CEP_EINVAL, "severity" },
		{ "nisc1", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"audience\":{}}", CEP_EINVAL, "audience" },
		{ "nisc1", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\"}", CEP_EINVAL, "audience" },
		{ "nisc1", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"audience\":{\"sectors\":[\"moon\"]}}", CEP_ESEMANTIC, "audience" },
		{ "nisc1", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"tlp\":\"RED\",\"audience\":{\"sectors\":[\"finance\"]}}", CEP_ESEMANTIC, "audience" },
		{ "banksec", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"audience\":{\"ceptoars\":[\"electricity-ceptoar\"]}}", CEP_ESEMANTIC, "audience" },
		{ "banksec", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"audience\":{\"all\":true}}", CEP_ESEMANTIC, "audience" },
		{ "nisc1", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"audience\":{\"all\":true},\"ack_within_hours\":0}", CEP_EINVAL, "ack_within_hours" },
		{ "nisc1", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"audience\":{\"all\":true},\"references\":[\"javascript:x\"]}", CEP_EINVAL, "references" },
		{ "nisc1", "{\"severity\":\"high\",\"title_ja\":\"t\",\"body_ja\":\"b\",\"audience\":{\"all\":true},\"indicators\":[{\"type\":\"ip\",\"value\":\"999.1.1.1\"}]}", CEP_EINVAL, "indicators" },
	};
	struct store *s = fresh();
	int64_t n = -1;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cep_principal p = fx_as(s, cases[i].sender);
		json_t *in = json_loads(cases[i].json, 0, NULL), *res = NULL;
		struct cep_error err;

		cep_error_init(&err);
		assert_int_equal(share_alert_create(s, &p, in, &res, &err), cases[i].code);
		assert_string_equal(err.field, cases[i].field);
		json_decref(in);
	}
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM alerts", NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM outbox", NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	/* the secretariat may alert its own CEPTOAR */
	{
		struct cep_principal p = fx_as(s, "banksec");
		json_t *in = json_pack("{s:s, s:s, s:s, s:{s:[s]}}", "severity", "low", "title_ja", "t",
				       "body_ja", "b", "audience", "ceptoars", "bank-ceptoar");
		json_t *res = NULL;

		assert_int_equal(share_alert_create(s, &p, in, &res, NULL), 0);
		json_decref(res);
		json_decref(in);
	}
	store_close(s);
}

static void test_alert_signature(void **state)
{
	struct store *s = fresh();
	struct cep_principal nisc = fx_as(s, "nisc1"), opb = fx_as(s, "opb");
	json_t *in, *alert = NULL, *keys = NULL, *copy;
	struct cep_error err;
	const char *pk;

	(void)state;
	in = json_pack("{s:s, s:s, s:s, s:{s:b}}", "severity", "critical", "title_ja",
		       "政府を騙るメールに注意", "body_ja", "本文", "audience", "all", 1);
	assert_int_equal(share_alert_create(s, &nisc, in, &alert, NULL), 0);
	json_decref(in);
	assert_string_equal(json_string_value(json_object_get(json_object_get(alert, "signature"), "alg")),
			    "Ed25519");
	assert_int_equal(share_keys(s, &opb, &keys, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(keys, "total")), 1);
	pk = json_string_value(json_object_get(json_array_get(json_object_get(keys, "items"), 0),
					       "public_key"));
	/* the alert as exported verifies, with the published key or the stored one */
	assert_int_equal(share_alert_verify(alert, pk, NULL), 0);
	assert_int_equal(share_alert_verify_stored(s, alert, NULL), 0);
	/* fan-out and display fields are not covered; content is */
	copy = json_deep_copy(alert);
	json_object_set_new(copy, "fanout", json_string("done"));
	json_object_set_new(copy, "recipients", json_integer(99));
	assert_int_equal(share_alert_verify(copy, pk, NULL), 0);
	json_object_set_new(copy, "body_ja", json_string("本文(改ざん)"));
	cep_error_init(&err);
	assert_int_equal(share_alert_verify(copy, pk, &err), CEP_ETAMPER);
	json_decref(copy);
	/* a second alert is signed by the same key */
	in = json_pack("{s:s, s:s, s:s, s:{s:[s]}}", "severity", "low", "title_ja", "二件目",
		       "body_ja", "b", "audience", "sectors", "gas");
	json_decref(alert);
	assert_int_equal(share_alert_create(s, &nisc, in, &alert, NULL), 0);
	assert_int_equal(share_alert_verify(alert, pk, NULL), 0);
	json_decref(in);
	json_decref(alert);
	json_decref(keys);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_visibility_and_totals),
		cmocka_unit_test(test_anonymity),
		cmocka_unit_test(test_report_rules_and_versions),
		cmocka_unit_test(test_alert_fanout_inbox_ack),
		cmocka_unit_test(test_alert_rules),
		cmocka_unit_test(test_alert_signature),
	};

	cep_alloc_install();
	cep_crypto_init();
	cep_principal_system(&console);
	return cmocka_run_group_tests_name("share", tests, NULL, NULL);
}
