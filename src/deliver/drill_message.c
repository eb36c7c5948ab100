/* drill_message.c - what a drill's e-mail and webhook say (a claimed drill
 * target, drill_send_claim's JSON): clearly marked as a drill
 * (【セプター訓練】 / [CEPTOAR DRILL]), the message in Japanese and English,
 * the deadline, and the target's own acknowledgement link
 * <base_url>/#/drill-ack/<token> with the token itself. Pure. */
#include "deliver/message.h"

#include "base/alloc.h"
#include "base/clock.h"

#include <stdio.h>
#include <string.h>

#define MAIL_MAX (1u << 20) /* bytes of one message: the drill's texts are capped well below */

static const char *str(const json_t *job, const char *key)
{
	const char *v = json_string_value(json_object_get(job, key));

	return v ? v : "";
}

/* Either name, the Japanese one when there is no English. */
static const char *en(const json_t *job, const char *key_en, const char *key_ja)
{
	return *str(job, key_en) ? str(job, key_en) : str(job, key_ja);
}

void deliver_drill_link(const struct deliver_settings *cfg, const json_t *job, char *out,
			size_t size)
{
	snprintf(out, size, "%s/#/drill-ack/%s", cfg->base_url, str(job, "token"));
}

/* Append user text with every line ending made CRLF. */
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

static int drill_text(const struct deliver_settings *cfg, const json_t *job, struct cep_buf *b)
{
	char link[DELIVER_URL_MAX + 128], dl_jst[CEP_TS_MAX], dl_utc[CEP_TS_MAX];
	int64_t deadline = json_integer_value(json_object_get(job, "deadline"));
	int rc;

	deliver_drill_link(cfg, job, link, sizeof(link));
	cep_ts_jst(deadline, dl_jst);
	cep_ts_utc(deadline, dl_utc);
	rc = cep_buf_printf(b,
			    "【セプター訓練】これは訓練です。実際の情報提供ではありません。\r\n"
			    "訓練名: %s\r\n実施: %s%s%s\r\n宛先: %s\r\n確認期限: %s\r\n\r\n",
			    str(job, "title"), str(job, "sender_name_ja"),
			    *str(job, "ceptoar_name_ja") ? " / " : "", str(job, "ceptoar_name_ja"),
			    str(job, "org_name_ja"), dl_jst);
	if (rc == 0)
		rc = put_text(b, str(job, "message_ja"));
	if (rc == 0)
		rc = cep_buf_printf(b,
				    "\r\n\r\n受領確認は次のリンクを開いてください (期限までに):\r\n%s\r\n"
				    "確認トークン: %s\r\n\r\n---- English ----\r\n"
				    "[CEPTOAR DRILL] This is a drill, not a real alert.\r\n"
				    "Drill: %s\r\nFrom: %s%s%s\r\nTo: %s\r\nAcknowledge by: %s\r\n\r\n",
				    link, str(job, "token"), str(job, "title"),
				    en(job, "sender_name_en", "sender_name_ja"),
				    *str(job, "ceptoar") ? " / " : "",
				    en(job, "ceptoar_name_en", "ceptoar_name_ja"),
				    en(job, "org_name_en", "org_name_ja"), dl_utc);
	if (rc == 0)
		rc = put_text(b, *str(job, "message_en") ? str(job, "message_en")
							 : "(No English text: see the Japanese above.)");
	if (rc == 0)
		rc = cep_buf_printf(b,
				    "\r\n\r\nTo acknowledge, open this link before the deadline:\r\n%s\r\n"
				    "Acknowledgement token: %s\r\n",
				    link, str(job, "token"));
	return rc;
}

int deliver_drill_mail_build(const struct deliver_settings *cfg, const json_t *job, int64_t now,
			     char **ret, size_t *ret_len)
{
	long long target = (long long)json_integer_value(json_object_get(job, "target_id"));
	struct cep_buf subject, text;
	char id[128], extra[256];
	int rc;

	cep_buf_init(&subject, MAIL_MAX);
	cep_buf_init(&text, MAIL_MAX);
	rc = cep_buf_printf(&subject, "【セプター訓練】[CEPTOAR DRILL] %s", str(job, "title"));
	if (rc == 0)
		rc = drill_text(cfg, job, &text);
	/* stable per target, so a receiver can drop a repeated one */
	snprintf(id, sizeof(id), "ceptoar.drill-%s.target-%lld", str(job, "drill"), target);
	snprintf(extra, sizeof(extra), "X-Ceptoar-Drill: %s\r\nX-Ceptoar-Drill-Target: %lld\r\n",
		 str(job, "drill"), target);
	if (rc == 0)
		rc = deliver_mail_assemble(cfg, str(job, "address"), subject.data, id, extra, &text, now,
					   ret, ret_len);
	cep_buf_free(&subject);
	cep_buf_free(&text);
	return rc < 0 ? CEP_ENOMEM : 0;
}

int deliver_drill_webhook_build(const struct deliver_settings *cfg, const json_t *job,
				int64_t now, char **ret)
{
	char link[DELIVER_URL_MAX + 128], ts[CEP_TS_MAX], dl[CEP_TS_MAX], ack[DELIVER_URL_MAX + 32];
	json_t *o;
	char *out;

	deliver_drill_link(cfg, job, link, sizeof(link));
	snprintf(ack, sizeof(ack), "%s/api/v1/drills/ack", cfg->base_url);
	cep_ts_utc(now, ts);
	cep_ts_utc(json_integer_value(json_object_get(job, "deadline")), dl);
	o = json_pack("{s:s, s:b, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
		      " s:{s:s, s:s}, s:s?}",
		      "event", "drill", "drill", 1, "drill_id", str(job, "drill"), "target_id",
		      (json_int_t)json_integer_value(json_object_get(job, "target_id")), "title",
		      str(job, "title"), "message_ja", str(job, "message_ja"), "message_en",
		      str(job, "message_en"), "deadline", dl, "sent_at", ts, "token", str(job, "token"),
		      "ack_link", link, "ack_url", ack, "org_name_ja", str(job, "org_name_ja"),
		      "sender_name_ja", str(job, "sender_name_ja"), "ack", "method", "POST", "body",
		      "{\"token\": \"<token>\"}", "ceptoar", json_string_value(json_object_get(job, "ceptoar")));
	out = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	if (!out)
		return CEP_ENOMEM;
	*ret = out;
	return 0;
}
