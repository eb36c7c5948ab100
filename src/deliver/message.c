/* message.c - settings, the retry schedule, and the e-mail and webhook
 * bodies built from a claimed send. Pure but for reading the environment. */
#include "deliver/message.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/text.h"
#include "core/handling.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAIL_MAX (1u << 20) /* bytes of one message: the alert's texts are capped well below */

/* ---- settings ---- */

void deliver_settings_default(struct deliver_settings *ret)
{
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->smtp_from, sizeof(ret->smtp_from), "ceptoar@localhost");
	snprintf(ret->base_url, sizeof(ret->base_url), "http://localhost:8080");
	ret->retry_base = DELIVER_RETRY_BASE;
}

/* A URL setting: printable ASCII, one of the schemes, fits. */
static int url_setting(const char *name, const char *v, const char *const *schemes, char *out,
		       size_t size)
{
	int ok = 0;

	for (int i = 0; schemes[i]; i++)
		ok |= !strncmp(v, schemes[i], strlen(schemes[i])) && v[strlen(schemes[i])];
	for (const char *p = v; ok && *p; p++)
		ok = (unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f;
	if (!ok || strlen(v) >= size) {
		cep_log(CEP_LOG_ERROR, "deliver: %s is not a usable URL; ignored", name);
		return CEP_EINVAL;
	}
	snprintf(out, size, "%s", v);
	return 0;
}

void deliver_settings_from_env(struct deliver_settings *ret)
{
	static const char *const smtp[] = { "smtp://", "smtps://", NULL };
	static const char *const web[] = { "http://", "https://", NULL };
	const char *v;

	deliver_settings_default(ret);
	v = getenv("CEPTOAR_SMTP_URL");
	if (v && *v)
		url_setting("CEPTOAR_SMTP_URL", v, smtp, ret->smtp_url, sizeof(ret->smtp_url));
	v = getenv("CEPTOAR_SMTP_FROM");
	if (v && *v) {
		if (share_contact_address_check("email", v, NULL) == 0)
			snprintf(ret->smtp_from, sizeof(ret->smtp_from), "%s", v);
		else
			cep_log(CEP_LOG_ERROR, "deliver: CEPTOAR_SMTP_FROM is not an e-mail address;"
					       " using %s", ret->smtp_from);
	}
	v = getenv("CEPTOAR_SMTP_STARTTLS");
	ret->starttls = v && (!strcasecmp(v, "1") || !strcasecmp(v, "true") ||
			      !strcasecmp(v, "yes") || !strcasecmp(v, "on"));
	v = getenv("CEPTOAR_BASE_URL");
	if (v && *v && url_setting("CEPTOAR_BASE_URL", v, web, ret->base_url,
				   sizeof(ret->base_url)) == 0) {
		size_t n = strlen(ret->base_url);

		while (n > 0 && ret->base_url[n - 1] == '/')
			ret->base_url[--n] = '\0';
	}
	v = getenv("CEPTOAR_RETRY_BASE_SECONDS");
	if (v && *v) {
		char *end = NULL;
		long n = strtol(v, &end, 10);

		if (*end || n < 1 || n > DELIVER_BACKOFF_CAP)
			cep_log(CEP_LOG_ERROR, "deliver: CEPTOAR_RETRY_BASE_SECONDS must be 1 to %d;"
					       " using %d", DELIVER_BACKOFF_CAP, ret->retry_base);
		else
			ret->retry_base = (int)n;
	}
}

int64_t deliver_backoff(int attempt, int base)
{
	int64_t wait = base > 0 ? base : DELIVER_RETRY_BASE;

	for (int i = 1; i < attempt && wait < DELIVER_BACKOFF_CAP; i++)
		wait *= 2;
	return wait < DELIVER_BACKOFF_CAP ? wait : DELIVER_BACKOFF_CAP;
}

/* ---- encodings ---- */

int deliver_base64(const void *data, size_t len, size_t line_len, struct cep_buf *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *d = data;
	size_t col = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < len; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (i + 1 < len ? (unsigned)d[i + 1] << 8 : 0) |
			     (i + 2 < len ? d[i + 2] : 0);
		char q[4] = { abc[v >> 18 & 63], abc[v >> 12 & 63],
			      i + 1 < len ? abc[v >> 6 & 63] : '=', i + 2 < len ? abc[v & 63] : '=' };

		rc = cep_buf_append(out, q, 4);
		col += 4;
		if (rc == 0 && line_len && (col >= line_len || i + 3 >= len)) {
			rc = cep_buf_puts(out, "\r\n");
			col = 0;
		}
	}
	return rc;
}

/* Bytes of the UTF-8 sequence that starts with c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

int deliver_rfc2047(const char *text, struct cep_buf *out)
{
	size_t len = strlen(text), i = 0;
	int rc = 0;

	while (rc == 0 && i < len) {
		size_t n = 0;

		/* whole characters only (RFC 2047 section 5) */
		while (i + n < len) {
			size_t l = utf8_len((unsigned char)text[i + n]);

			if (l > len - i - n)
				l = len - i - n;
			if (n + l > DELIVER_WORD_BYTES)
				break;
			n += l;
		}
		rc = cep_buf_puts(out, i ? "\r\n =?UTF-8?B?" : "=?UTF-8?B?");
		if (rc == 0)
			rc = deliver_base64(text + i, n, 0, out);
		if (rc == 0)
			rc = cep_buf_puts(out, "?=");
		i += n;
	}
	return rc;
}

/* ---- what a send says ---- */

static const char *str(const json_t *job, const char *key)
{
	const char *v = json_string_value(json_object_get(job, key));

	return v ? v : "";
}

static int tlp_of(const json_t *job)
{
	json_int_t t = json_integer_value(json_object_get(job, "tlp"));

	return t >= 0 && t < CEP_TLP__COUNT ? (int)t : CEP_TLP_RED;
}

bool deliver_withheld(const json_t *job)
{
	return !cep_tlp_may_email((enum cep_tlp)tlp_of(job));
}

void deliver_link(const struct deliver_settings *cfg, const json_t *job, char *out, size_t size)
{
	snprintf(out, size, "%s/api/v1/deliveries/%lld", cfg->base_url,
		 (long long)json_integer_value(json_object_get(job, "delivery_id")));
}

static bool escalation(const json_t *job)
{
	return !strcmp(str(job, "reason"), "escalation");
}

/* A message of an exercise (訓練): marked in its subject, first line and headers. */
static bool exercise(const json_t *job)
{
	return *str(job, "exercise") != '\0';
}
#define EXERCISE_MARK "【訓練 / EXERCISE】"

static const char *severity_ja(const char *s)
{
	static const char *const map[][2] = { { "info", "情報" },  { "low", "低" },
					      { "medium", "中" },  { "high", "高" },
					      { "critical", "緊急" } };

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], s))
			return map[i][1];
	return s;
}

/* Append user text with every line ending made CRLF (MIME's canonical form). */
static int put_text(struct cep_buf *b, const char *s)
{
	int rc = 0;

	for (; rc == 0 && *s; s++) {
		if (*s == '\r')
			continue;
		rc = *s == '\n' ? cep_buf_puts(b, "\r\n") : cep_buf_append(b, s, 1);
	}
	return rc;
}

static void deadline_text(const json_t *job, char out[CEP_TS_MAX], const char *none)
{
	const json_t *d = json_object_get(job, "ack_deadline");

	if (json_is_integer(d))
		cep_ts_jst(json_integer_value(d), out);
	else
		snprintf(out, CEP_TS_MAX, "%s", none);
}

/* The signature block: the signed part of the alert as compact JSON in base64,
 * between SHARE_MAIL_SIG_BEGIN and _END, for `ceptoar alert verify MAIL`. */
static int signature_block(const json_t *job, struct cep_buf *b)
{
	const json_t *part = json_object_get(job, "signed");
	char *signed_json;
	int rc;

	if (!part) /* a job claimed without its alert's signed part: no block */
		return 0;
	signed_json = json_dumps(part, JSON_COMPACT);
	if (!signed_json)
		return CEP_ENOMEM;
	rc = cep_buf_printf(b,
			    "\r\n---- 署名 / Signature ----\r\n"
			    "この情報提供は送信元の鍵で署名されています (Ed25519)。"
			    "`ceptoar alert verify` でこのメールを検証できます。\r\n"
			    "This alert is signed (Ed25519); check this mail with "
			    "`ceptoar alert verify`.\r\n%s\r\n",
			    SHARE_MAIL_SIG_BEGIN);
	if (rc == 0)
		rc = deliver_base64(signed_json, strlen(signed_json), 76, b);
	if (rc == 0)
		rc = cep_buf_printf(b, "%s\r\n", SHARE_MAIL_SIG_END);
	cep_free(signed_json);
	return rc;
}

/* The text/plain body: Japanese, then English, then the signature block; or only
 * the sign-in line. */
static int mail_text(const struct deliver_settings *cfg, const json_t *job, struct cep_buf *b)
{
	static const char *const handling_ja[] = { "複製禁止", "再配付禁止", "持出禁止" };
	unsigned handling = (unsigned)json_integer_value(json_object_get(job, "handling"));
	const char *tlp = cep_tlp_name((enum cep_tlp)tlp_of(job));
	char link[DELIVER_URL_MAX + 64], dl_ja[CEP_TS_MAX], dl_en[CEP_TS_MAX];
	json_t *refs = json_loads(str(job, "refs"), 0, NULL), *r;
	size_t i;
	int rc = 0;

	deliver_link(cfg, job, link, sizeof(link));
	deadline_text(job, dl_ja, "なし");
	deadline_text(job, dl_en, "none");
	if (exercise(job))
		rc = cep_buf_puts(b, EXERCISE_MARK " これは訓練のメッセージです。実際の事象ではありません。\r\n"
				     "This message is part of an exercise. It is not a real event.\r\n\r\n");
	if (rc == 0 && escalation(job))
		rc = cep_buf_printf(b, "【再送】確認期限 (%s) を過ぎても受領確認がありません。\r\n"
				       "[Reminder] Not acknowledged by the deadline (%s).\r\n\r\n",
				    dl_ja, dl_en);
	if (rc == 0 && deliver_withheld(job)) {
		rc = cep_buf_printf(b, "サインインして読んでください / Sign in to read\r\n%s\r\n", link);
		goto out;
	}
	if (!refs) /* the stored references are valid JSON: out of memory */
		rc = CEP_ENOMEM;
	if (rc == 0)
		rc = cep_buf_printf(b,
				    "【情報提供】%s\r\n送信元: %s\r\n重要度: %s\r\nTLP: %s\r\n"
				    "確認期限: %s\r\n",
				    str(job, "title_ja"), str(job, "sender_name_ja"),
				    severity_ja(str(job, "severity")), tlp, dl_ja);
	for (unsigned bit = 1, k = 0; rc == 0 && k < 3; bit <<= 1, k++)
		if (handling & bit)
			rc = cep_buf_printf(b, "取扱制限: %s (%s)\r\n", handling_ja[k],
					    cep_handling_name(bit));
	if (rc == 0)
		rc = cep_buf_puts(b, "\r\n");
	if (rc == 0)
		rc = put_text(b, str(job, "body_ja"));
	if (rc == 0 && *str(job, "actions"))
		rc = cep_buf_puts(b, "\r\n\r\n■ 対処 / Actions\r\n");
	if (rc == 0 && *str(job, "actions"))
		rc = put_text(b, str(job, "actions"));
	if (rc == 0 && json_array_size(refs))
		rc = cep_buf_puts(b, "\r\n\r\n■ 参考 / References");
	json_array_foreach(refs, i, r)
		if (rc == 0)
			rc = cep_buf_printf(b, "\r\n- %s", json_string_value(r) ? json_string_value(r) : "");
	if (rc == 0)
		rc = cep_buf_printf(b, "\r\n\r\n受領確認: %s\r\n\r\n---- English ----\r\n"
				       "[Alert] %s\r\nFrom: %s\r\nSeverity: %s\r\nTLP: %s\r\n"
				       "Acknowledge by: %s\r\n\r\n",
				    link, *str(job, "title_en") ? str(job, "title_en") : str(job, "title_ja"),
				    *str(job, "sender_name_en") ? str(job, "sender_name_en")
							       : str(job, "sender_name_ja"),
				    str(job, "severity"), tlp, dl_en);
	if (rc == 0)
		rc = put_text(b, *str(job, "body_en") ? str(job, "body_en")
						      : "(No English text: see the Japanese above.)");
	if (rc == 0)
		rc = cep_buf_printf(b, "\r\n\r\nAcknowledge: %s\r\n", link);
	if (rc == 0)
		rc = signature_block(job, b);
out:
	json_decref(refs);
	return rc;
}

void deliver_rfc5322_date(int64_t t, char out[64])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
		 months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int deliver_mail_assemble(const struct deliver_settings *cfg, const char *to, const char *subject,
			  const char *message_id, const char *extra, const struct cep_buf *text,
			  int64_t now, char **ret, size_t *ret_len)
{
	const char *domain = strchr(cfg->smtp_from, '@');
	struct cep_buf mail;
	char date[64];
	int rc;

	cep_buf_init(&mail, MAIL_MAX);
	deliver_rfc5322_date(now, date);
	rc = cep_buf_printf(&mail, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: ", date, cfg->smtp_from,
			    to);
	if (rc == 0)
		rc = deliver_rfc2047(subject, &mail);
	if (rc == 0)
		rc = cep_buf_printf(&mail,
				    "\r\nMessage-ID: <%s@%s>\r\n"
				    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
				    "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n"
				    "%s\r\n",
				    message_id, domain && domain[1] ? domain + 1 : "ceptoar.invalid", extra);
	if (rc == 0)
		rc = deliver_base64(text->data ? text->data : "", text->len, 76, &mail);
	if (rc == 0) {
		*ret_len = mail.len;
		*ret = cep_buf_steal(&mail);
		if (!*ret)
			rc = CEP_ENOMEM;
	}
	cep_buf_free(&mail);
	return rc < 0 ? CEP_ENOMEM : 0;
}

int deliver_mail_build(const struct deliver_settings *cfg, const json_t *job, int64_t now,
		       char **ret, size_t *ret_len)
{
	const char *tlp = cep_tlp_name((enum cep_tlp)tlp_of(job));
	json_int_t delivery = json_integer_value(json_object_get(job, "delivery_id"));
	struct cep_buf subject, text, extra;
	char id[96];
	int rc;

	cep_buf_init(&subject, MAIL_MAX);
	cep_buf_init(&text, MAIL_MAX);
	cep_buf_init(&extra, 1024);
	rc = cep_buf_printf(&subject, "%s%s[CEPTOAR][%s][TLP:%s] ", exercise(job) ? EXERCISE_MARK : "",
			    escalation(job) ? "【再送 / Reminder】" : "", str(job, "severity"), tlp);
	if (rc == 0 && deliver_withheld(job))
		rc = cep_buf_puts(&subject, "新しい情報提供 (サインインして読んでください) / "
					    "New alert (sign in to read)");
	else if (rc == 0)
		rc = cep_buf_printf(&subject, "%s%s%s", str(job, "title_ja"),
				    *str(job, "title_en") ? " / " : "", str(job, "title_en"));
	if (rc == 0)
		rc = mail_text(cfg, job, &text);
	if (rc == 0)
		rc = cep_buf_printf(&extra, "X-Ceptoar-Delivery: %lld\r\nX-Ceptoar-Alert: %s\r\n"
					    "X-Ceptoar-TLP: %s\r\n",
				    (long long)delivery, str(job, "alert"), tlp);
	if (rc == 0 && exercise(job))
		rc = cep_buf_printf(&extra, "X-Ceptoar-Exercise: %s\r\n", str(job, "exercise"));
	/* stable per send, so a receiver can drop a repeated one */
	snprintf(id, sizeof(id), "ceptoar.send-%lld.delivery-%lld",
		 (long long)json_integer_value(json_object_get(job, "send_id")), (long long)delivery);
	if (rc == 0)
		rc = deliver_mail_assemble(cfg, str(job, "address"), subject.data, id, extra.data, &text,
					   now, ret, ret_len);
	cep_buf_free(&subject);
	cep_buf_free(&text);
	cep_buf_free(&extra);
	return rc < 0 ? CEP_ENOMEM : 0;
}

int deliver_webhook_build(const struct deliver_settings *cfg, const json_t *job, int64_t now,
			  char **ret)
{
	char link[DELIVER_URL_MAX + 64], ts[CEP_TS_MAX], dl[CEP_TS_MAX];
	const json_t *deadline = json_object_get(job, "ack_deadline");
	const char *event = escalation(job) ? "escalation" : "alert";
	const char *tlp = cep_tlp_name((enum cep_tlp)tlp_of(job));
	json_int_t send = json_integer_value(json_object_get(job, "send_id"));
	json_int_t delivery = json_integer_value(json_object_get(job, "delivery_id"));
	json_t *o = NULL, *refs;
	char *out;

	deliver_link(cfg, job, link, sizeof(link));
	cep_ts_utc(now, ts);
	if (json_is_integer(deadline))
		cep_ts_utc(json_integer_value(deadline), dl);
	if (deliver_withheld(job)) { /* ids and the link only */
		o = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:b, s:s}", "event", event,
			      "send_id", send, "delivery_id", delivery, "alert_id", str(job, "alert"),
			      "tlp", tlp, "link", link, "ack_deadline",
			      json_is_integer(deadline) ? dl : NULL, "sent_at", ts, "withheld", 1,
			      "message", "サインインして読んでください / Sign in to read");
	} else if ((refs = json_loads(str(job, "refs"), 0, NULL))) {
		o = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:{s:s, s:s, s:s},"
			      " s:s, s:s, s:s, s:s, s:s, s:o}",
			      "event", event, "send_id", send, "delivery_id", delivery, "alert_id",
			      str(job, "alert"), "tlp", tlp, "link", link, "ack_deadline",
			      json_is_integer(deadline) ? dl : NULL, "sent_at", ts, "severity",
			      str(job, "severity"), "sender", "org", str(job, "sender"), "name_ja",
			      str(job, "sender_name_ja"), "name_en", str(job, "sender_name_en"),
			      "title_ja", str(job, "title_ja"), "title_en", str(job, "title_en"),
			      "body_ja", str(job, "body_ja"), "body_en", str(job, "body_en"),
			      "actions", str(job, "actions"), "references", refs);
		if (o && json_object_get(job, "signed") &&
		    json_object_set(o, "signed_alert", json_object_get(job, "signed")) < 0) {
			json_decref(o);
			o = NULL;
		}
	}
	if (o && exercise(job) &&
	    json_object_set_new(o, "exercise", json_string(str(job, "exercise"))) < 0) {
		json_decref(o);
		o = NULL;
	}
	out = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	if (!out)
		return CEP_ENOMEM;
	*ret = out;
	return 0;
}
