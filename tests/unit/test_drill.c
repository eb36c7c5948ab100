/* test_drill.c - CEPTOAR drills (drill/): start and its checks, the fan-out to
 * one target per member and channel, the worker's claim (a fresh token whose
 * hash alone is stored) and the outcomes (sent, bounced, retry, failed), the
 * acknowledgements (inbox and token, a second one changing nothing), the
 * figures per channel and per member, who may read what, and allocation
 * failures in start and in the figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "drill/drill.h"
#include "identity/identity.h"
#include "registry/registry.h"
#include "share/share.h"
#include "store/sql.h"

#include "fixture.h"

#include <stdio.h>
#include <string.h>

static struct cep_principal console;

static void add_contact(struct store *s, const char *org, const char *channel, const char *address)
{
	json_t *in = json_pack("{s:s, s:s}", "channel", channel, "address", address), *res = NULL;

	if (!strcmp(channel, "webhook"))
		json_object_set_new(in, "secret", json_string("unit-test-secret-0123456789"));

	assert_int_equal(share_contact_add(s, &console, org, in, &res, NULL), 0);
	json_decref(res);
	json_decref(in);
}

static struct store *fresh(void)
{
	static const char csv[] = "code,name_ja,name_en,sector,ceptoars\r\n"
				  "BANK-A,A銀行,Bank A,finance,bank-ceptoar\r\n"
				  "BANK-B,B銀行,Bank B,finance,bank-ceptoar\r\n"
				  "POWER-C,C電力,Power C,electricity,electricity-ceptoar\r\n";
	struct store *s = fx_store(csv);

	fx_user(s, "opa", "BANK-A", "operator");
	fx_user(s, "opc", "POWER-C", "operator");
	fx_user(s, "banksec", "bank-ceptoar", "ceptoar");
	fx_user(s, "gassec", "gas-ceptoar", "ceptoar");
	fx_user(s, "fsa1", "fsa", "ministry");
	fx_user(s, "meti1", "meti", "ministry");
	fx_user(s, "nisc1", "nisc", "nisc");
	add_contact(s, "BANK-A", "email", "soc@bank-a.example.jp");
	add_contact(s, "BANK-A", "webhook", "https://hooks.bank-a.example.jp/drill");
	add_contact(s, "BANK-B", "email", "soc@bank-b.example.jp");
	add_contact(s, "BANK-B", "fax", "03-0000-0000");
	return s;
}

static json_t *start(struct store *s, const char *user, const char *ceptoar, int minutes, int *ret_rc,
		     struct cep_error *err)
{
	struct cep_principal p = fx_as(s, user);
	json_t *in = json_pack("{s:s, s:s, s:s, s:i}", "title", "連絡訓練", "message_ja", "訓練です",
			       "message_en", "A drill", "deadline_minutes", minutes),
	       *res = NULL;

	if (ceptoar)
		json_object_set_new(in, "ceptoar", json_string(ceptoar));
	*ret_rc = drill_start(s, &p, in, &res, err);
	json_decref(in);
	return res;
}

static json_int_t fig(const json_t *d, const char *group, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(json_object_get(d, "figures"), group), key));
}

static json_int_t channel_fig(const json_t *d, const char *channel, const char *key)
{
	const json_t *it;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(d, "figures"), "per_channel"), i, it)
		if (!strcmp(json_string_value(json_object_get(it, "channel")), channel))
			return json_integer_value(json_object_get(it, key));
	return -1;
}

static void test_drill_lifecycle(void **state)
{
	struct store *s = fresh();
	struct cep_principal opa = fx_as(s, "opa"), sec = fx_as(s, "banksec");
	struct cep_error err;
	json_t *d, *job = NULL, *res = NULL, *in;
	char id[64], token_email[64] = "", hash[CEP_SHA256_HEX + 1];
	int64_t n = -1, now = cep_now();
	int rc, done = -1, claimed = 0;

	(void)state;
	cep_error_init(&err);
	d = start(s, "banksec", "bank-ceptoar", 60, &rc, &err);
	assert_int_equal(rc, 0);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "id")));
	assert_string_equal(json_string_value(json_object_get(d, "fanout")), "pending");
	json_decref(d);

	/* the fan-out: BANK-A (inbox, e-mail, webhook), BANK-B (inbox, e-mail; FAX not drilled) */
	assert_int_equal(drill_fanout_pending(s, 8, &done, NULL), 0);
	assert_int_equal(done, 1);
	assert_int_equal(drill_fanout_pending(s, 8, &done, NULL), 0);
	assert_int_equal(done, 0);
	assert_int_equal(drill_get(s, &sec, id, &d, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(d, "member_count")), 2);
	assert_int_equal(json_integer_value(json_object_get(d, "target_count")), 5);
	assert_int_equal(fig(d, "members", "pending"), 2);
	assert_int_equal(channel_fig(d, "inbox", "reached"), 2);
	json_decref(d);

	/* the worker: without SMTP only the webhook is due; then every e-mail */
	assert_int_equal(drill_send_claim(s, now, 120, 0, &job), 0);
	assert_string_equal(json_string_value(json_object_get(job, "channel")), "webhook");
	assert_int_equal(drill_send_finish(s, json_integer_value(json_object_get(job, "target_id")),
					   (int)json_integer_value(json_object_get(job, "attempt")), NULL, 0, 0),
			 0);
	json_decref(job);
	assert_int_equal(drill_send_claim(s, now, 120, 0, &job), CEP_ENOTFOUND);
	while (drill_send_claim(s, now, 120, 1, &job) == 0) {
		const char *to = json_string_value(json_object_get(job, "address"));
		const char *tok = json_string_value(json_object_get(job, "token"));
		int64_t tid = json_integer_value(json_object_get(job, "target_id"));
		int attempt = (int)json_integer_value(json_object_get(job, "attempt"));

		assert_int_equal(strlen(tok), 32);
		cep_sha256_hex(tok, strlen(tok), hash);
		assert_int_equal(store_query_int(s, "SELECT count(*) FROM drill_tokens WHERE hash = ?",
						 (struct store_arg[]){ STORE_TEXT(hash) }, 1, &n), 0);
		assert_int_equal(n, 1);
		if (strstr(to, "bank-a")) { /* sent */
			snprintf(token_email, sizeof(token_email), "%s", tok);
			assert_int_equal(drill_send_finish(s, tid, attempt, NULL, 0, 0), 0);
		} else if (attempt == 1) { /* a temporary failure, then a bounce */
			assert_int_equal(drill_send_finish(s, tid, attempt, "smtp: busy", 0, now), 0);
		} else {
			/* the server answers in Shift_JIS ("テスト"): kept as valid UTF-8 */
			assert_int_equal(drill_send_finish(s, tid, attempt,
							   "RCPT failed: 550 \x83\x65\x83\x58\x83\x67",
							   1, 0),
					 0);
		}
		json_decref(job);
		assert_true(++claimed < 10);
	}
	assert_int_equal(claimed, 3);
	/* no clear token anywhere in the targets */
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM drill_targets WHERE address LIKE ?"
					    " OR last_error LIKE ?",
					 (struct store_arg[]){ STORE_TEXT(token_email), STORE_TEXT(token_email) },
					 2, &n), 0);
	assert_int_equal(n, 0);

	/* acknowledgements: BANK-A by its e-mail token, then again (nothing changes) */
	in = json_pack("{s:s}", "token", token_email);
	assert_int_equal(drill_ack_token(s, in, &res, NULL), 0);
	assert_true(json_is_false(json_object_get(res, "already")));
	assert_true(json_is_true(json_object_get(res, "on_time")));
	json_decref(res);
	assert_int_equal(drill_ack_token(s, in, &res, NULL), 0);
	assert_true(json_is_true(json_object_get(res, "already")));
	json_decref(res);
	json_decref(in);
	in = json_pack("{s:s}", "token", "unknownTokenUnknownTokenUnknown0");
	cep_error_init(&err);
	assert_int_equal(drill_ack_token(s, in, &res, &err), CEP_ENOTFOUND);
	assert_string_equal(err.field, "token");
	json_decref(in);
	/* ... and BANK-A's user in its inbox */
	assert_int_equal(drill_ack_inbox(s, &opa, id, &res, NULL), 0);
	assert_true(json_is_true(json_object_get(res, "on_time")));
	json_decref(res);

	assert_int_equal(drill_get(s, &sec, id, &d, NULL), 0);
	assert_int_equal(fig(d, "members", "total"), 2);
	assert_int_equal(fig(d, "members", "acked_on_time"), 1);
	assert_int_equal(fig(d, "members", "pending"), 1);
	assert_int_equal(fig(d, "members", "bounced"), 1);
	assert_int_equal(fig(d, "targets", "total"), 5);
	assert_int_equal(fig(d, "targets", "reached"), 4); /* 2 inboxes, A's e-mail and webhook */
	assert_int_equal(fig(d, "targets", "acked_on_time"), 2);
	assert_int_equal(channel_fig(d, "email", "bounced"), 1);
	assert_int_equal(channel_fig(d, "email", "acked_on_time"), 1);
	assert_int_equal(channel_fig(d, "webhook", "reached"), 1);
	json_decref(d);

	/* the members, filtered; and the CSV */
	assert_int_equal(drill_members(s, &sec, id, "bounced", &(struct cep_page){ 50, 0 }, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(res, "items"), 0),
							       "org_code")),
			    "BANK-B");
	{ /* the bounce's answer, as the list shows it */
		json_t *chs = json_object_get(json_array_get(json_object_get(res, "items"), 0),
					      "channels"), *c;
		const char *last = NULL;
		size_t i;

		json_array_foreach(chs, i, c)
			if (!strcmp(json_string_value(json_object_get(c, "state")), "bounced"))
				last = json_string_value(json_object_get(c, "last_error"));
		assert_non_null(last);
		assert_string_equal(last, "RCPT failed: 550 \xEF\xBF\xBD" "e\xEF\xBF\xBD"
					  "X\xEF\xBF\xBD" "g");
	}
	json_decref(res);
	{
		char *csv = NULL;
		size_t len = 0;

		assert_int_equal(drill_members_csv(s, &sec, id, &csv, &len, NULL), 0);
		assert_non_null(strstr(csv, "BANK-A,A銀行,Bank A,on_time,yes,"));
		assert_non_null(strstr(csv, "BANK-B,B銀行,Bank B,pending,yes,,,yes,reached,bounced,,,\r\n"));
		cep_free(csv);
	}
	store_close(s);
}

static void test_drill_rules(void **state)
{
	struct store *s = fresh();
	struct cep_principal p;
	struct cep_error err;
	json_t *d, *res = NULL;
	int64_t n = 0;
	char id[64];
	int rc;

	(void)state;
	/* who may start */
	cep_error_init(&err);
	assert_null(start(s, "opa", "bank-ceptoar", 60, &rc, &err));
	assert_int_equal(rc, CEP_EPERM);
	cep_error_init(&err);
	assert_null(start(s, "gassec", "bank-ceptoar", 60, &rc, &err));
	assert_int_equal(rc, CEP_EPERM);
	assert_string_equal(err.field, "ceptoar");
	cep_error_init(&err);
	assert_null(start(s, "banksec", NULL, 60, &rc, &err));
	assert_int_equal(rc, CEP_EPERM);
	cep_error_init(&err);
	assert_null(start(s, "nisc1", "no-such", 60, &rc, &err));
	assert_int_equal(rc, CEP_ESEMANTIC);
	assert_string_equal(err.field, "ceptoar");
	cep_error_init(&err);
	assert_null(start(s, "nisc1", "bank-ceptoar", 0, &rc, &err));
	assert_int_equal(rc, CEP_EINVAL);
	assert_string_equal(err.field, "deadline_minutes");
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM drills", NULL, 0, &(int64_t){ 0 }), 0);

	/* NISC drills every CEPTOAR's members */
	d = start(s, "nisc1", NULL, 60, &rc, NULL);
	assert_int_equal(rc, 0);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "id")));
	json_decref(d);
	assert_int_equal(drill_fanout_pending(s, 8, NULL, NULL), 0);
	p = fx_as(s, "nisc1");
	assert_int_equal(drill_get(s, &p, id, &d, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(d, "member_count")), 3);
	json_decref(d);
	/* a drill of every CEPTOAR: not for a secretariat or a ministry */
	p = fx_as(s, "banksec");
	assert_int_equal(drill_get(s, &p, id, &d, NULL), CEP_ENOTFOUND);
	p = fx_as(s, "fsa1");
	assert_int_equal(drill_get(s, &p, id, &d, NULL), CEP_ENOTFOUND);
	/* POWER-C acknowledges in its inbox; it is not in the bank CEPTOAR's next drill */
	p = fx_as(s, "opc");
	assert_int_equal(drill_ack_inbox(s, &p, id, &res, NULL), 0);
	json_decref(res);
	d = start(s, "banksec", "bank-ceptoar", 60, &rc, NULL);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "id")));
	json_decref(d);
	assert_int_equal(drill_fanout_pending(s, 8, NULL, NULL), 0);
	assert_int_equal(drill_ack_inbox(s, &p, id, &res, NULL), CEP_ENOTFOUND);
	/* readers of the bank drill: its secretariat, NISC, the finance ministry */
	p = fx_as(s, "fsa1");
	assert_int_equal(drill_get(s, &p, id, &d, NULL), 0);
	json_decref(d);
	p = fx_as(s, "meti1");
	assert_int_equal(drill_get(s, &p, id, &d, NULL), CEP_ENOTFOUND);
	assert_int_equal(drill_list(s, &p, NULL, &(struct cep_page){ 50, 0 }, &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
	json_decref(res);
	p = fx_as(s, "opa");
	assert_int_equal(drill_list(s, &p, NULL, &(struct cep_page){ 50, 0 }, &res, NULL), CEP_EPERM);
	p = fx_as(s, "banksec");
	assert_int_equal(drill_history(s, &p, "bank-ceptoar", &res, NULL), 0);
	assert_int_equal(json_array_size(json_object_get(res, "items")), 1);
	json_decref(res);

	/* a contact removed after the fan-out: its targets end "failed", nothing is sent */
	assert_int_equal(share_contacts(s, &console, "BANK-A", &res, NULL), 0);
	for (size_t i = 0; i < json_array_size(json_object_get(res, "items")); i++) {
		const json_t *c = json_array_get(json_object_get(res, "items"), i);

		if (!strcmp(json_string_value(json_object_get(c, "channel")), "webhook"))
			assert_int_equal(share_contact_delete(s, &console, "BANK-A",
							      json_string_value(json_object_get(c, "id")), NULL),
					 0);
	}
	json_decref(res);
	assert_int_equal(drill_send_claim(s, cep_now(), 120, 0, &res), CEP_ENOTFOUND);
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM drill_targets WHERE state = 'failed'"
					    " AND last_error = 'the contact was removed'",
					 NULL, 0, &n),
			 0);
	assert_int_equal(n, 2); /* the drill of every CEPTOAR's and the bank drill's */
	store_close(s);
}

/* Every allocation of a start and of the figures fails once in turn: an error
 * comes back, nothing is left half-done, nothing leaks (LeakSanitizer). */
/* Recording a phone outcome under allocation failures: the target either
 * keeps its state or has the whole record (attempt, times, note, audit). */
static void test_record_allocation_failures(struct store *s, const struct cep_principal *sec)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:i, s:[s]}", "ceptoar", "bank-ceptoar", "title",
			       "電話訓練", "message_ja", "訓練です", "deadline_minutes", 60, "manual",
			       "phone");
	json_t *rec = json_pack("{s:s, s:s}", "outcome", "acked", "note", "架電"), *d = NULL;
	int64_t target = 0, attempts = 0, audits = 0, audits0 = 0;
	char id[64], tid[32];
	int rc = -1;

	add_contact(s, "BANK-A", "phone", "03-0000-1111");
	assert_int_equal(drill_start(s, sec, in, &d, NULL), 0);
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "id")));
	json_decref(d);
	d = NULL;
	for (int done = 1; done;)
		assert_int_equal(drill_fanout_pending(s, 8, &done, NULL), 0);
	assert_int_equal(store_query_int(s, "SELECT id FROM drill_targets WHERE drill_id = ?"
					 " AND channel = 'phone'",
					 (struct store_arg[]){ STORE_TEXT(id) }, 1, &target), 0);
	snprintf(tid, sizeof(tid), "%lld", (long long)target);
	/* the call list under allocation failures: an error and nothing, or the list */
	for (int n = 0; n < 100000; n++) {
		cep_alloc_fail_after(n);
		rc = drill_calls(s, sec, id, &(struct cep_page){ 50, 0 }, &d, NULL);
		cep_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_null(d);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(json_array_size(json_object_get(d, "items")), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(d, "items"), 0), "target")),
			 target);
	json_decref(d);
	d = NULL;
	assert_int_equal(store_query_int(s, "SELECT count(*) FROM audit WHERE action = 'drill.record'",
					 NULL, 0, &audits0), 0);
	for (int n = 0; n < 100000; n++) {
		cep_alloc_fail_after(n);
		rc = drill_record(s, sec, id, tid, rec, &d, NULL);
		cep_alloc_fail_after(-1);
		assert_int_equal(store_query_int(s, "SELECT attempts FROM drill_targets WHERE id = ?",
						 (struct store_arg[]){ STORE_INT(target) }, 1, &attempts), 0);
		assert_int_equal(store_query_int(s, "SELECT count(*) FROM audit"
						 " WHERE action = 'drill.record'", NULL, 0, &audits), 0);
		assert_int_equal(audits - audits0, attempts); /* the record and its audit, or neither */
		if (rc == 0)
			break;
		assert_null(d);
		if (attempts) /* committed before a later failure: the next record changes nothing */
			break;
	}
	if (rc == 0) {
		assert_true(json_is_true(json_object_get(d, "on_time")));
		json_decref(d);
	}
	assert_int_equal(attempts, 1);
	/* acknowledged: it has left the call list */
	assert_int_equal(drill_calls(s, sec, id, &(struct cep_page){ 50, 0 }, &d, NULL), 0);
	assert_int_equal(json_array_size(json_object_get(d, "items")), 0);
	json_decref(d);
	json_decref(rec);
	json_decref(in);
}

static void test_drill_allocation_failures(void **state)
{
	struct store *s = fresh();
	struct cep_principal sec = fx_as(s, "banksec");
	json_t *in = json_pack("{s:s, s:s, s:s, s:i}", "ceptoar", "bank-ceptoar", "title", "連絡訓練",
			       "message_ja", "訓練です", "deadline_minutes", 60);
	int64_t before = 0, after = 0;
	json_t *d = NULL;
	char id[64] = "";
	int rc = -1;

	(void)state;
	for (int n = 0; n < 100000; n++) {
		assert_int_equal(store_query_int(s, "SELECT count(*) FROM drills", NULL, 0, &before), 0);
		cep_alloc_fail_after(n);
		rc = drill_start(s, &sec, in, &d, NULL);
		cep_alloc_fail_after(-1);
		if (rc == 0) {
			snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "id")));
			json_decref(d);
			d = NULL;
			break;
		}
		assert_null(d);
		/* a failure after the commit still leaves one drill, never half of one */
		assert_int_equal(store_query_int(s, "SELECT count(*) FROM drills", NULL, 0, &after), 0);
		assert_true(after == before || after == before + 1);
	}
	assert_int_equal(rc, 0);
	for (int done = 1; done;) /* every drill a failure after its commit left */
		assert_int_equal(drill_fanout_pending(s, 8, &done, NULL), 0);
	for (int n = 0; n < 100000; n++) {
		cep_alloc_fail_after(n);
		rc = drill_get(s, &sec, id, &d, NULL);
		cep_alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_null(d);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(fig(d, "members", "total"), 2);
	json_decref(d);
	json_decref(in);
	test_record_allocation_failures(s, &sec);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drill_lifecycle),
		cmocka_unit_test(test_drill_rules),
		cmocka_unit_test(test_drill_allocation_failures),
	};

	cep_alloc_install();
	cep_crypto_init();
	cep_principal_system(&console);
	return cmocka_run_group_tests_name("drill", tests, NULL, NULL);
}
