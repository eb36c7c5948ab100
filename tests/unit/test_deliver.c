/* test_deliver.c - delivery channels: the RFC 2047 subject encoder (decoded
 * back here), the e-mail and webhook messages (headers, bodies withheld for
 * TLP:RED and AMBER+STRICT), HMAC-SHA-256 against RFC 4231, the retry
 * schedule, address checks, settings, allocation failures, and the send
 * queue in the store: claim under a lease, every attempt kept, escalation
 * with its notices, contacts and manual deliveries under the policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/text.h"
#include "deliver/message.h"
#include "identity/identity.h"
#include "registry/registry.h"
#include "share/share.h"
#include "store/sql.h"

#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cep_principal console;

/* ---- decoders, written here independently of the encoder ---- */

static int b64val(char c)
{
	const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(abc, c) : NULL;

	return p ? (int)(p - abc) : -1;
}

/* Decode base64 src (line breaks skipped) into out; returns the length. */
static size_t b64decode(const char *src, size_t n, char *out)
{
	unsigned acc = 0;
	int bits = 0;
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		int v = b64val(src[i]);

		if (src[i] == '\r' || src[i] == '\n' || src[i] == '=')
			continue;
		assert_true(v >= 0);
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[len++] = (char)(acc >> bits & 0xFF);
		}
	}
	out[len] = '\0';
	return len;
}

/* Decode a folded header value of RFC 2047 words; each word must be at most
 * 75 characters and hold whole UTF-8 characters. */
static void rfc2047_decode(const char *v, char *out)
{
	size_t len = 0;

	out[0] = '\0';
	while (*v) {
		const char *end = strstr(v, "\r\n ");
		size_t wlen = end ? (size_t)(end - v) : strlen(v);
		char word[128], chunk[128];
		size_t n;

		assert_true(wlen <= 75);
		memcpy(word, v, wlen);
		word[wlen] = '\0';
		assert_memory_equal(word, "=?UTF-8?B?", 10);
		assert_string_equal(word + wlen - 2, "?=");
		n = b64decode(word + 10, wlen - 12, chunk);
		assert_true(cep_utf8_valid(chunk, n));
		memcpy(out + len, chunk, n + 1);
		len += n;
		v += wlen + (end ? 3 : 0);
	}
}

static void test_rfc2047(void **state)
{
	const char *cases[] = {
		"【注意喚起】広域停電に伴う重要インフラサービスへの影響について / Power outage advisory",
		"ASCII only, long enough to need more than one encoded word: 0123456789 abcdefghij",
		"絵文字🚨と日本語の混在、改行なし",
		"短い",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cep_buf b;
		char back[1024];

		cep_buf_init(&b, 1 << 16);
		assert_int_equal(deliver_rfc2047(cases[i], &b), 0);
		assert_non_null(b.data);
		rfc2047_decode(b.data, back);
		assert_string_equal(back, cases[i]);
		if (strlen(cases[i]) > DELIVER_WORD_BYTES)
			assert_non_null(strstr(b.data, "\r\n =?UTF-8?B?"));
		cep_buf_free(&b);
	}
}

/* ---- messages ---- */

static struct deliver_settings settings(void)
{
	struct deliver_settings cfg;

	deliver_settings_default(&cfg);
	snprintf(cfg.smtp_url, sizeof(cfg.smtp_url), "smtp://127.0.0.1:2525");
	snprintf(cfg.smtp_from, sizeof(cfg.smtp_from), "alerts@ceptoar.example.jp");
	snprintf(cfg.base_url, sizeof(cfg.base_url), "https://ceptoar.example.jp");
	return cfg;
}

static json_t *job(int tlp, const char *reason)
{
	/* ack_deadline 2026-01-01T00:00:00Z = 09:00 JST */
	return json_pack("{s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s,"
			 " s:s, s:s, s:i, s:I, s:s, s:s, s:s}",
			 "send_id", 7, "delivery_id", 42, "attempt", 1, "channel", "email", "reason",
			 reason, "address", "soc@bank.example.jp", "secret", "", "alert", "a-1",
			 "severity", "high", "tlp", tlp, "title_ja", "広域停電に関する注意喚起",
			 "title_en", "Wide-area outage advisory", "body_ja", "非常用電源を確認\nしてください",
			 "body_en", "Check your backup power.", "actions", "発電機の燃料を確認",
			 "refs", "[\"https://www.nisc.go.jp/ref/1\"]", "handling", 1, "ack_deadline",
			 (json_int_t)1767225600, "sender", "nisc", "sender_name_ja", "内閣官房",
			 "sender_name_en", "NISC");
}

/* Split a message into its header block and decoded body; the subject decoded. */
static void open_mail(const char *msg, char *headers, char *subject, char *body)
{
	const char *sep = strstr(msg, "\r\n\r\n"), *s, *e;
	char raw[2048];

	assert_non_null(sep);
	memcpy(headers, msg, (size_t)(sep - msg));
	headers[sep - msg] = '\0';
	b64decode(sep + 4, strlen(sep + 4), body);
	s = strstr(headers, "\r\nSubject: ");
	assert_non_null(s);
	s += 11;
	for (e = s; *e && !(e[0] == '\r' && e[1] == '\n' && e[2] != ' '); e++)
		;
	memcpy(raw, s, (size_t)(e - s));
	raw[e - s] = '\0';
	rfc2047_decode(raw, subject);
	/* every header line within RFC 2047's 76 characters */
	for (s = headers; s; s = strstr(s, "\r\n") ? strstr(s, "\r\n") + 2 : NULL) {
		e = strstr(s, "\r\n");
		assert_true((e ? (size_t)(e - s) : strlen(s)) <= 76);
	}
}

static void test_mail(void **state)
{
	struct deliver_settings cfg = settings();
	char headers[4096], subject[1024], body[16384], *msg = NULL;
	json_t *j = job(2, "alert");
	size_t len = 0;

	(void)state;
	assert_int_equal(deliver_mail_build(&cfg, j, 1767139200, &msg, &len), 0);
	assert_int_equal(len, strlen(msg));
	open_mail(msg, headers, subject, body);
	assert_non_null(strstr(headers, "Date: Wed, 31 Dec 2025 00:00:00 +0000\r\n"));
	assert_non_null(strstr(headers, "From: alerts@ceptoar.example.jp\r\n"));
	assert_non_null(strstr(headers, "To: soc@bank.example.jp\r\n"));
	assert_non_null(strstr(headers, "Message-ID: <ceptoar.send-7.delivery-42@ceptoar.example.jp>\r\n"));
	assert_non_null(strstr(headers, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(headers, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(headers, "Content-Transfer-Encoding: base64\r\n"));
	assert_string_equal(subject, "[CEPTOAR][high][TLP:AMBER] 広域停電に関する注意喚起 / "
				     "Wide-area outage advisory");
	assert_true(cep_utf8_valid(body, strlen(body)));
	assert_non_null(strstr(body, "非常用電源を確認\r\nしてください")); /* CRLF lines */
	assert_non_null(strstr(body, "重要度: 高"));
	assert_non_null(strstr(body, "確認期限: 2026-01-01 09:00 JST"));
	assert_non_null(strstr(body, "取扱制限: 複製禁止 (no-copy)"));
	assert_non_null(strstr(body, "発電機の燃料を確認"));
	assert_non_null(strstr(body, "- https://www.nisc.go.jp/ref/1"));
	assert_non_null(strstr(body, "https://ceptoar.example.jp/api/v1/deliveries/42"));
	assert_true(strstr(body, "非常用電源") < strstr(body, "Check your backup power."));
	assert_null(strstr(body, "Sign in to read"));
	cep_free(msg);
	json_decref(j);

	/* TLP:RED and AMBER+STRICT: no title, no body: sign in to read, with the link */
	for (int tlp = 3; tlp <= 4; tlp++) {
		j = job(tlp, "alert");
		assert_true(deliver_withheld(j));
		assert_int_equal(deliver_mail_build(&cfg, j, 1767139200, &msg, &len), 0);
		open_mail(msg, headers, subject, body);
		assert_string_equal(body, "サインインして読んでください / Sign in to read\r\n"
					  "https://ceptoar.example.jp/api/v1/deliveries/42\r\n");
		assert_null(strstr(subject, "広域停電"));
		assert_null(strstr(msg, "Wide-area"));
		assert_non_null(strstr(subject, tlp == 4 ? "TLP:RED" : "TLP:AMBER+STRICT"));
		cep_free(msg);
		json_decref(j);
	}
	/* a resend at the deadline says so */
	j = job(1, "escalation");
	assert_int_equal(deliver_mail_build(&cfg, j, 1767139200, &msg, &len), 0);
	open_mail(msg, headers, subject, body);
	assert_memory_equal(subject, "【再送 / Reminder】", strlen("【再送 / Reminder】"));
	assert_non_null(strstr(body, "[Reminder]"));
	cep_free(msg);
	json_decref(j);
}

/* A claimed drill target, as drill_send_claim gives it. */
static json_t *drill_job(void)
{
	return json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s,"
			 " s:s, s:s}",
			 "target_id", (json_int_t)77, "attempt", 1, "channel", "email", "address",
			 "soc@bank.example.jp", "token", "tokTOKENtok0123456789-_abcdefghi", "drill",
			 "d-1", "title", "2026年度 第1回 連絡訓練", "message_ja", "受領確認を\nお願いします",
			 "message_en", "Please acknowledge.", "deadline", (json_int_t)1767225600,
			 "org_name_ja", "テスト銀行", "org_name_en", "Test Bank", "sender_name_ja",
			 "銀行等CEPTOAR", "sender_name_en", "Banking CEPTOAR", "ceptoar", "bank-ceptoar",
			 "ceptoar_name_ja", "銀行等CEPTOAR", "ceptoar_name_en", "Banking CEPTOAR");
}

static void test_drill_messages(void **state)
{
	struct deliver_settings cfg = settings();
	char headers[4096], subject[1024], body[16384], *msg = NULL;
	json_t *j = drill_job(), *o;
	size_t len = 0;

	(void)state;
	assert_int_equal(deliver_drill_mail_build(&cfg, j, 1767139200, &msg, &len), 0);
	open_mail(msg, headers, subject, body);
	assert_string_equal(subject, "【セプター訓練】[CEPTOAR DRILL] 2026年度 第1回 連絡訓練");
	assert_non_null(strstr(headers, "Message-ID: <ceptoar.drill-d-1.target-77@ceptoar.example.jp>\r\n"));
	assert_non_null(strstr(body, "これは訓練です"));
	assert_non_null(strstr(body, "受領確認を\r\nお願いします"));
	assert_non_null(strstr(body, "確認期限: 2026-01-01 09:00 JST"));
	assert_non_null(strstr(body, "https://ceptoar.example.jp/#/drill-ack/tokTOKENtok0123456789-_abcdefghi"));
	assert_non_null(strstr(body, "確認トークン: tokTOKENtok0123456789-_abcdefghi"));
	assert_non_null(strstr(body, "[CEPTOAR DRILL] This is a drill"));
	cep_free(msg);
	assert_int_equal(deliver_drill_webhook_build(&cfg, j, 1767139200, &msg), 0);
	o = json_loads(msg, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "event")), "drill");
	assert_true(json_is_true(json_object_get(o, "drill")));
	assert_string_equal(json_string_value(json_object_get(o, "token")), "tokTOKENtok0123456789-_abcdefghi");
	assert_string_equal(json_string_value(json_object_get(o, "ack_url")),
			    "https://ceptoar.example.jp/api/v1/drills/ack");
	assert_string_equal(json_string_value(json_object_get(o, "deadline")), "2026-01-01T00:00:00Z");
	json_decref(o);
	cep_free(msg);
	/* every allocation failing in turn: an error, no leak */
	for (int n = 0; n < 10000; n++) {
		int rc;

		msg = NULL;
		cep_alloc_fail_after(n);
		rc = deliver_drill_mail_build(&cfg, j, 0, &msg, &len);
		cep_alloc_fail_after(-1);
		if (rc == 0) {
			cep_free(msg);
			break;
		}
		assert_int_equal(rc, CEP_ENOMEM);
		assert_null(msg);
	}
	json_decref(j);
}

static void test_webhook_body(void **state)
{
	struct deliver_settings cfg = settings();
	json_t *j = job(1, "alert"), *o;
	char *body = NULL;

	(void)state;
	assert_int_equal(deliver_webhook_build(&cfg, j, 1767139200, &body), 0);
	o = json_loads(body, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "event")), "alert");
	assert_int_equal(json_integer_value(json_object_get(o, "delivery_id")), 42);
	assert_string_equal(json_string_value(json_object_get(o, "body_ja")), "非常用電源を確認\nしてください");
	assert_string_equal(json_string_value(json_object_get(o, "ack_deadline")), "2026-01-01T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(o, "link")),
			    "https://ceptoar.example.jp/api/v1/deliveries/42");
	assert_int_equal(json_array_size(json_object_get(o, "references")), 1);
	json_decref(o);
	cep_free(body);
	json_decref(j);
	j = job(4, "escalation");
	assert_int_equal(deliver_webhook_build(&cfg, j, 1767139200, &body), 0);
	o = json_loads(body, 0, NULL);
	assert_true(json_is_true(json_object_get(o, "withheld")));
	assert_string_equal(json_string_value(json_object_get(o, "event")), "escalation");
	assert_null(json_object_get(o, "body_ja"));
	assert_null(json_object_get(o, "title_ja"));
	assert_null(strstr(body, "広域停電"));
	json_decref(o);
	cep_free(body);
	json_decref(j);
}

static void test_hmac_rfc4231(void **state)
{
	unsigned char key1[20], key6[131];
	char out[CEP_SHA256_HEX + 1];

	(void)state;
	memset(key1, 0x0b, sizeof(key1));
	memset(key6, 0xaa, sizeof(key6));
	cep_hmac_sha256_hex(key1, sizeof(key1), "Hi There", 8, out);
	assert_string_equal(out, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* test case 2 */
	cep_hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28, out);
	assert_string_equal(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* test case 6: a key longer than the block */
	cep_hmac_sha256_hex(key6, sizeof(key6), "Test Using Larger Than Block-Size Key - Hash Key First",
			    54, out);
	assert_string_equal(out, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void test_backoff(void **state)
{
	static const int64_t want30[] = { 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600 };

	(void)state;
	for (int i = 0; i < 10; i++)
		assert_int_equal(deliver_backoff(i + 1, 30), want30[i]);
	assert_int_equal(deliver_backoff(1, 1), 1);
	assert_int_equal(deliver_backoff(3, 1), 4);
	assert_int_equal(deliver_backoff(1000, 1), DELIVER_BACKOFF_CAP);
	assert_int_equal(deliver_backoff(1, 0), DELIVER_RETRY_BASE);
}

static void test_addresses(void **state)
{
	static const struct {
		const char *channel, *address, *field;
		int code;
	} cases[] = {
		{ "email", "soc@bank.example.jp", NULL, 0 },
		{ "email", "first.last+alerts@sub.example.co.jp", NULL, 0 },
		{ "email", "no-at.example.jp", "address", CEP_EINVAL },
		{ "email", "a@b@example.jp", "address", CEP_EINVAL },
		{ "email", "a b@example.jp", "address", CEP_EINVAL },
		{ "email", "a@example.jp\r\nBcc: x@evil", "address", CEP_EINVAL },
		{ "email", "<a@example.jp>", "address", CEP_EINVAL },
		{ "email", "@example.jp", "address", CEP_EINVAL },
		{ "email", "a@", "address", CEP_EINVAL },
		{ "email", "a@exa..mple.jp", "address", CEP_EINVAL },
		{ "email", "a@例え.jp", "address", CEP_EINVAL },
		{ "webhook", "https://hooks.example.jp/ceptoar?x=1", NULL, 0 },
		{ "webhook", "http://127.0.0.1:8081/hook", NULL, 0 },
		{ "webhook", "ftp://example.jp/hook", "address", CEP_EINVAL },
		{ "webhook", "https://", "address", CEP_EINVAL },
		{ "webhook", "https://example.jp/a b", "address", CEP_EINVAL },
		{ "webhook", "https://example.jp/\x01", "address", CEP_EINVAL },
		{ "phone", "+81-3-1234-5678", NULL, 0 },
		{ "fax", "03 (1234) 5678", NULL, 0 },
		{ "phone", "03-1234-5678 ext", "address", CEP_EINVAL },
		{ "phone", "12", "address", CEP_EINVAL },
		{ "pigeon", "x", "channel", CEP_EINVAL },
		{ "email", "", "address", CEP_EINVAL },
	};
	char longmail[300], longurl[2100];
	struct cep_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cep_error_init(&err);
		assert_int_equal(share_contact_address_check(cases[i].channel, cases[i].address, &err),
				 cases[i].code);
		if (cases[i].field)
			assert_string_equal(err.field, cases[i].field);
	}
	memset(longmail, 'a', sizeof(longmail) - 1);
	longmail[sizeof(longmail) - 1] = '\0';
	memcpy(longmail + 60, "@example.jp", 11);
	cep_error_init(&err);
	assert_int_equal(share_contact_address_check("email", longmail, &err), CEP_ETOOBIG);
	assert_string_equal(err.field, "address");
	memset(longurl, 'a', sizeof(longurl) - 1);
	longurl[sizeof(longurl) - 1] = '\0';
	memcpy(longurl, "https://", 8);
	assert_int_equal(share_contact_address_check("webhook", longurl, NULL), CEP_ETOOBIG);
}

static void test_settings(void **state)
{
	struct deliver_settings cfg;

	(void)state;
	setenv("CEPTOAR_SMTP_URL", "smtp://127.0.0.1:2525", 1);
	setenv("CEPTOAR_SMTP_FROM", "ceptoar@nisc.example.jp", 1);
	setenv("CEPTOAR_SMTP_STARTTLS", "yes", 1);
	setenv("CEPTOAR_BASE_URL", "https://ceptoar.example.jp//", 1);
	setenv("CEPTOAR_RETRY_BASE_SECONDS", "2", 1);
	deliver_settings_from_env(&cfg);
	assert_string_equal(cfg.smtp_url, "smtp://127.0.0.1:2525");
	assert_string_equal(cfg.smtp_from, "ceptoar@nisc.example.jp");
	assert_true(cfg.starttls);
	assert_string_equal(cfg.base_url, "https://ceptoar.example.jp");
	assert_int_equal(cfg.retry_base, 2);
	/* bad values keep the defaults */
	setenv("CEPTOAR_SMTP_URL", "http://not-smtp", 1);
	setenv("CEPTOAR_SMTP_FROM", "not an address", 1);
	setenv("CEPTOAR_SMTP_STARTTLS", "0", 1);
	setenv("CEPTOAR_RETRY_BASE_SECONDS", "0", 1);
	deliver_settings_from_env(&cfg);
	assert_string_equal(cfg.smtp_url, "");
	assert_string_equal(cfg.smtp_from, "ceptoar@localhost");
	assert_false(cfg.starttls);
	assert_int_equal(cfg.retry_base, DELIVER_RETRY_BASE);
	unsetenv("CEPTOAR_SMTP_URL");
	unsetenv("CEPTOAR_SMTP_FROM");
	unsetenv("CEPTOAR_SMTP_STARTTLS");
	unsetenv("CEPTOAR_BASE_URL");
	unsetenv("CEPTOAR_RETRY_BASE_SECONDS");
}

static void test_alloc_failures(void **state)
{
	struct deliver_settings cfg = settings();
	json_t *j = job(2, "alert");
	int done_mail = 0, done_hook = 0;

	(void)state;
	for (long n = 0; n < 10000 && !(done_mail && done_hook); n++) {
		char *msg = NULL, *body = NULL;
		size_t len = 0;
		int rc1, rc2;

		cep_alloc_fail_after(n);
		rc1 = done_mail ? 0 : deliver_mail_build(&cfg, j, 0, &msg, &len);
		cep_alloc_fail_after(n);
		rc2 = done_hook ? 0 : deliver_webhook_build(&cfg, j, 0, &body);
		cep_alloc_fail_after(-1);
		assert_true(rc1 == 0 || rc1 == CEP_ENOMEM);
		assert_true(rc2 == 0 || rc2 == CEP_ENOMEM);
		done_mail |= rc1 == 0 && msg;
		done_hook |= rc2 == 0 && body;
		cep_free(msg);
		cep_free(body);
	}
	assert_true(done_mail && done_hook);
	json_decref(j);
}

/* ---- the send queue in the store ---- */

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int(s, sql, NULL, 0, &n), 0);
	return n;
}

static void test_send_queue(void **state)
{
	static const char csv[] = "code,name_ja,name_en,sector,ceptoars\r\n"
				  "BANK-A,A銀行,Bank A,finance,bank-ceptoar\r\n"
				  "POWER-C,C電力,Power C,electricity,electricity-ceptoar\r\n";
	struct store *s = NULL;
	struct cep_principal opa, opc, nisc, banksec, root;
	struct cep_page page = { 50, 0 };
	struct cep_error err;
	json_t *res = NULL, *in, *j1 = NULL, *j2 = NULL;
	int64_t now, did, sid;
	int done = 0;

	(void)state;
	s = fx_store(csv);
	fx_user(s, "opa", "BANK-A", "operator");
	fx_user(s, "opc", "POWER-C", "operator");
	fx_user(s, "nisc1", "nisc", "nisc");
	fx_user(s, "banksec", "bank-ceptoar", "ceptoar");
	fx_user(s, "root", "nisc", "admin");
	opa = fx_as(s, "opa"), opc = fx_as(s, "opc"), nisc = fx_as(s, "nisc1");
	banksec = fx_as(s, "banksec"), root = fx_as(s, "root");

	/* contacts: the org itself or admin write; NISC reads; others neither */
	in = json_pack("{s:s, s:s}", "channel", "email", "address", "soc@bank-a.example.jp");
	assert_int_equal(share_contact_add(s, &opc, "BANK-A", in, &res, NULL), CEP_EPERM);
	assert_int_equal(share_contact_add(s, &nisc, "BANK-A", in, &res, NULL), CEP_EPERM);
	assert_int_equal(share_contact_add(s, &opa, "BANK-A", in, &res, NULL), 0);
	json_decref(res);
	cep_error_init(&err);
	assert_int_equal(share_contact_add(s, &opa, "BANK-A", in, &res, &err), CEP_EEXIST);
	json_decref(in);
	in = json_pack("{s:s, s:s}", "channel", "webhook", "address", "http://127.0.0.1:9/hook");
	assert_int_equal(share_contact_add(s, &root, "BANK-A", in, &res, NULL), 0);
	assert_int_equal(strlen(json_string_value(json_object_get(res, "secret"))), 43); /* shown once */
	json_decref(res);
	json_decref(in);
	in = json_pack("{s:s, s:s, s:s}", "channel", "email", "address", "x@example.jp", "secret",
		       "0123456789abcdef");
	cep_error_init(&err);
	assert_int_equal(share_contact_add(s, &opa, "BANK-A", in, &res, &err), CEP_EINVAL);
	assert_string_equal(err.field, "secret");
	json_decref(in);
	in = json_pack("{s:s, s:s}", "channel", "phone", "address", "03-1234-5678");
	assert_int_equal(share_contact_add(s, &opa, "BANK-A", in, &res, NULL), 0);
	json_decref(res);
	json_decref(in);
	assert_int_equal(share_contacts(s, &opc, "BANK-A", &res, NULL), CEP_EPERM);
	assert_int_equal(share_contacts(s, &nisc, "BANK-A", &res, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 3);
	for (size_t i = 0; i < 3; i++)
		assert_null(json_object_get(json_array_get(json_object_get(res, "items"), i), "secret"));
	json_decref(res);

	/* an alert to finance: one send per e-mail/webhook contact of BANK-A */
	in = json_pack("{s:s, s:s, s:s, s:{s:[s]}, s:s, s:i}", "severity", "high", "title_ja",
		       "注意喚起", "body_ja", "本文", "audience", "sectors", "finance", "tlp", "GREEN",
		       "ack_within_hours", 1);
	assert_int_equal(share_alert_create(s, &nisc, in, &res, NULL), 0);
	json_decref(res);
	json_decref(in);
	assert_int_equal(share_fanout_pending(s, 10, &done, NULL), 0);
	assert_int_equal(count(s, "SELECT count(*) FROM sends WHERE state = 'pending'"), 2);
	now = cep_now();
	/* without e-mail configured only the webhook is taken */
	assert_int_equal(share_send_claim(s, now, 120, 0, &j1), 0);
	assert_string_equal(json_string_value(json_object_get(j1, "channel")), "webhook");
	assert_int_equal(json_integer_value(json_object_get(j1, "attempt")), 1);
	assert_int_equal(share_send_claim(s, now, 120, 0, &j2), CEP_ENOTFOUND); /* leased */
	sid = json_integer_value(json_object_get(j1, "send_id"));
	did = json_integer_value(json_object_get(j1, "delivery_id"));
	/* a failed attempt: pending again later, the error kept */
	assert_int_equal(share_send_finish(s, sid, 1, "webhook: HTTP 500", now + 30), 0);
	assert_int_equal(share_send_claim(s, now + 29, 120, 0, &j2), CEP_ENOTFOUND);
	assert_int_equal(share_send_claim(s, now + 30, 120, 0, &j2), 0);
	assert_int_equal(json_integer_value(json_object_get(j2, "attempt")), 2);
	/* the worker died: after the lease the send is taken again */
	json_decref(j2);
	assert_int_equal(share_send_claim(s, now + 100, 120, 0, &j2), CEP_ENOTFOUND);
	assert_int_equal(share_send_claim(s, now + 151, 120, 0, &j2), 0);
	assert_int_equal(json_integer_value(json_object_get(j2, "attempt")), 3);
	/* the late finish of attempt 2 cannot undo attempt 3; attempt 3 sends */
	assert_int_equal(share_send_finish(s, sid, 2, "smtp: timeout", now + 200), 0);
	assert_int_equal(count(s, "SELECT count(*) FROM sends WHERE state = 'sending'"), 1);
	assert_int_equal(share_send_finish(s, sid, 3, NULL, 0), 0);
	assert_int_equal(count(s, "SELECT count(*) FROM sends WHERE state = 'sent'"), 1);
	assert_int_equal(count(s, "SELECT count(*) FROM send_attempts"), 3);
	assert_int_equal(count(s, "SELECT count(*) FROM send_attempts WHERE attempt = 2"
				  " AND error LIKE 'interrupted%'"),
			 1);
	assert_int_equal(count(s, "SELECT count(*) FROM send_attempts WHERE ok = 1"), 1);
	assert_int_equal(count(s, "SELECT count(*) FROM audit WHERE action = 'send.sent'"), 1);
	/* e-mail: give up after the last attempt. The server's answer, kept as
	 * the error, is in Shift_JIS over two lines ("テスト"): it is kept as one
	 * line of valid UTF-8 (each byte that is not, U+FFFD), or every list
	 * showing it would fail */
	assert_int_equal(share_send_claim(s, now, 120, 1, &res), 0);
	assert_string_equal(json_string_value(json_object_get(res, "channel")), "email");
	assert_int_equal(share_send_finish(s, json_integer_value(json_object_get(res, "send_id")), 1,
					   "smtp: 550 \x83\x65\x83\x58\x83\x67\r\nrefused", 0),
			 0);
	json_decref(res);
	assert_int_equal(count(s, "SELECT count(*) FROM sends WHERE state = 'failed'"
				  " AND last_error = 'smtp: 550 \xEF\xBF\xBD" "e\xEF\xBF\xBD" "X\xEF\xBF\xBD" "g  refused'"),
			 1);
	assert_int_equal(count(s, "SELECT count(*) FROM audit WHERE action = 'send.failed'"
				  " AND detail LIKE '%\xEF\xBF\xBD" "e\xEF\xBF\xBD" "X\xEF\xBF\xBD" "g  refused%'"),
			 1);
	json_decref(j1);
	json_decref(j2);

	/* the channel record: for the sender, not for another operator */
	assert_int_equal(share_delivery_channels(s, &opc, did, &res, NULL), CEP_ENOTFOUND);
	assert_int_equal(share_delivery_channels(s, &nisc, did, &res, NULL), 0);
	assert_int_equal(json_array_size(json_object_get(res, "sends")), 2);
	json_decref(res);
	/* phone by hand: the secretariat of the delivery's CEPTOAR or NISC */
	in = json_pack("{s:s, s:s}", "channel", "phone", "note", "担当者に口頭で伝達");
	assert_int_equal(share_manual_delivery_log(s, &opc, did, in, &res, NULL), CEP_ENOTFOUND);
	assert_int_equal(share_manual_delivery_log(s, &banksec, did, in, &res, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(res, "logged_by")), "banksec");
	json_decref(res);
	json_decref(in);
	in = json_pack("{s:s}", "channel", "email");
	cep_error_init(&err);
	assert_int_equal(share_manual_delivery_log(s, &nisc, did, in, &res, &err), CEP_EINVAL);
	assert_string_equal(err.field, "channel");
	json_decref(in);

	/* escalation at the deadline: flagged, resent, notices for sender and secretariat */
	assert_int_equal(share_escalate_due(s, now + 1800, 10, &done, NULL), 0);
	assert_int_equal(done, 0);
	assert_int_equal(share_escalate_due(s, now + 3700, 10, &done, NULL), 0);
	assert_true(done >= 1);
	assert_int_equal(share_escalate_due(s, now + 3700, 10, &done, NULL), 0);
	assert_int_equal(done, 0);
	assert_int_equal(count(s, "SELECT count(*) FROM sends WHERE reason = 'escalation'"), 2);
	assert_int_equal(share_notices(s, &nisc, &page, &res, NULL), 0);
	assert_true(json_integer_value(json_object_get(res, "total")) >= 1);
	json_decref(res);
	assert_int_equal(share_notices(s, &banksec, &page, &res, NULL), 0);
	assert_true(json_integer_value(json_object_get(res, "total")) >= 1);
	json_decref(res);
	assert_int_equal(share_notices(s, &opa, &page, &res, NULL), CEP_EPERM);
	/* removing a contact ends its pending sends, keeps their records */
	assert_int_equal(share_contacts(s, &opa, "BANK-A", &res, NULL), 0);
	for (size_t i = 0; i < 3; i++) {
		json_t *c = json_array_get(json_object_get(res, "items"), i);

		if (!strcmp(json_string_value(json_object_get(c, "channel")), "webhook"))
			assert_int_equal(share_contact_delete(s, &opa, "BANK-A",
							      json_string_value(json_object_get(c, "id")),
							      NULL),
					 0);
	}
	json_decref(res);
	assert_int_equal(count(s, "SELECT count(*) FROM sends WHERE channel = 'webhook'"), 2);
	assert_int_equal(count(s, "SELECT count(*) FROM sends WHERE state = 'failed'"
				  " AND last_error = 'the contact was removed'"),
			 1);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc2047),	    cmocka_unit_test(test_mail),
		cmocka_unit_test(test_webhook_body), cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_backoff),	    cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_settings),     cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_send_queue),  cmocka_unit_test(test_drill_messages),
	};

	cep_alloc_install();
	cep_crypto_init();
	cep_principal_system(&console);
	return cmocka_run_group_tests_name("deliver", tests, NULL, NULL);
}
