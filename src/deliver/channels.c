/* channels.c - the wire: SMTP and webhook POSTs over libcurl, the only user
 * of libcurl. Every transfer has a time limit (CURLOPT_TIMEOUT 20 s, connect
 * 10 s), uses no signals, follows no redirects, speaks only its protocols,
 * and is aborted when the worker is asked to stop. */
#include "deliver/message.h"

#include "base/crypto.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#define TIMEOUT_S 20L
#define CONNECT_TIMEOUT_S 10L

/* Only the channel's own protocols (no file://, no redirect elsewhere). */
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
#define PROTOCOLS(c, str, bits) curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, str)
#else
#define PROTOCOLS(c, str, bits) curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(bits))
#endif

int deliver_curl_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : CEP_EIO;
}

void deliver_curl_cleanup(void)
{
	curl_global_cleanup();
}

struct upload {
	const char *data;
	size_t len, off;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems;

	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(buf, u->data + u->off, n);
	u->off += n;
	return n;
}

/* The answer's body is not needed. */
static size_t discard_cb(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* Non-zero aborts the transfer: the worker is stopping. */
static int progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	const atomic_int *stop = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return stop && atomic_load(stop) ? 1 : 0;
}

static void common(CURL *c, const atomic_int *stop, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)stop);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
}

static void describe(const char *what, CURLcode res, const char *errbuf,
		     char errmsg[DELIVER_ERR_MAX])
{
	snprintf(errmsg, DELIVER_ERR_MAX, "%s: %s", what,
		 res == CURLE_ABORTED_BY_CALLBACK ? "stopped"
		 : errbuf[0]			  ? errbuf
						  : curl_easy_strerror(res));
}

int deliver_smtp_send(const struct deliver_settings *cfg, const char *to, const char *msg,
		      size_t len, const atomic_int *stop, char errmsg[DELIVER_ERR_MAX],
		      bool *ret_permanent)
{
	long code = 0;
	char errbuf[CURL_ERROR_SIZE] = "", from[SHARE_EMAIL_MAX + 3], rcpt_to[SHARE_EMAIL_MAX + 3];
	struct upload u = { msg, len, 0 };
	struct curl_slist *rcpt = NULL;
	CURL *c = curl_easy_init();
	CURLcode res = CURLE_OUT_OF_MEMORY;

	snprintf(from, sizeof(from), "<%s>", cfg->smtp_from);
	snprintf(rcpt_to, sizeof(rcpt_to), "<%s>", to);
	rcpt = curl_slist_append(NULL, rcpt_to);
	if (c && rcpt) {
		common(c, stop, errbuf);
		curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
		PROTOCOLS(c, "smtp,smtps", CURLPROTO_SMTP | CURLPROTO_SMTPS);
		curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
		curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(c, CURLOPT_READDATA, &u);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
		if (cfg->starttls)
			curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
		res = curl_easy_perform(c);
	}
	if (res != CURLE_OK)
		describe("smtp", res, errbuf, errmsg);
	/* the server's last answer: 5xx is permanent (RFC 5321 4.2.1) */
	if (c && res != CURLE_OK && res != CURLE_ABORTED_BY_CALLBACK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (ret_permanent)
		*ret_permanent = code >= 500 && code <= 599;
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return res == CURLE_OK ? 0 : CEP_EIO;
}

/* Append line to h; on failure h stays as it was and *failed is set. */
static struct curl_slist *header(struct curl_slist *h, const char *line, int *failed)
{
	struct curl_slist *t = *failed ? NULL : curl_slist_append(h, line);

	if (!t)
		*failed = 1;
	return t ? t : h;
}

int deliver_webhook_send(const char *url, const char *secret, const char *body, const char *event,
			 int64_t delivery_id, const atomic_int *stop, char errmsg[DELIVER_ERR_MAX])
{
	char errbuf[CURL_ERROR_SIZE] = "", mac[CEP_SHA256_HEX + 1], line[128];
	struct curl_slist *h = NULL;
	CURL *c = curl_easy_init();
	CURLcode res = CURLE_OUT_OF_MEMORY;
	long status = 0;
	int failed = 0;

	cep_hmac_sha256_hex(secret, strlen(secret), body, strlen(body), mac);
	snprintf(line, sizeof(line), "X-Ceptoar-Signature: sha256=%s", mac);
	h = header(h, line, &failed);
	snprintf(line, sizeof(line), "X-Ceptoar-Event: %s", event);
	h = header(h, line, &failed);
	snprintf(line, sizeof(line), "X-Ceptoar-Delivery: %lld", (long long)delivery_id);
	h = header(h, line, &failed);
	h = header(h, "Content-Type: application/json; charset=utf-8", &failed);
	h = header(h, "Expect:", &failed); /* no 100-continue round trip */
	if (c && !failed) {
		common(c, stop, errbuf);
		curl_easy_setopt(c, CURLOPT_URL, url);
		PROTOCOLS(c, "http,https", CURLPROTO_HTTP | CURLPROTO_HTTPS);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "ceptoar");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
		res = curl_easy_perform(c);
	}
	if (res == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status < 200 || status > 299)
			snprintf(errmsg, DELIVER_ERR_MAX, "webhook: HTTP %ld", status);
	} else {
		describe("webhook", res, errbuf, errmsg);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return res == CURLE_OK && status >= 200 && status <= 299 ? 0 : CEP_EIO;
}
