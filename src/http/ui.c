/* ui.c - the web UI's files: GET / answers index.html and GET /ui/{file} the
 * other files compiled in (assets.h), each with its type, an ETag (SHA-256 of
 * its bytes, computed once) and "Cache-Control: no-cache": a browser asks
 * again each time and gets 304 when nothing changed. A file that has a
 * gzip-compressed twin (app.js.gz) is sent compressed to browsers that accept
 * it. Public: the UI signs in through the API like any client. */
#include "http/internal.h"

#include "http/assets.h"

#include "base/crypto.h"

#include <pthread.h>
#include <string.h>

#define ASSETS_MAX 64

static char etags[ASSETS_MAX][CEP_SHA256_HEX + 3]; /* "\"<hex>\"" */
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void make_etags(void)
{
	for (size_t i = 0; http_assets[i].name && i < ASSETS_MAX; i++) {
		char hex[CEP_SHA256_HEX + 1];

		cep_sha256_hex(http_assets[i].data, http_assets[i].size, hex);
		etags[i][0] = '"';
		memcpy(etags[i] + 1, hex, CEP_SHA256_HEX);
		etags[i][CEP_SHA256_HEX + 1] = '"';
		etags[i][CEP_SHA256_HEX + 2] = '\0';
	}
}

/* The index of the asset called name, or -1. */
static int find(const char *name)
{
	for (int i = 0; http_assets[i].name && i < ASSETS_MAX; i++)
		if (strcmp(http_assets[i].name, name) == 0)
			return i;
	return -1;
}

static const char *type_of(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Does the client accept gzip? (A plain token search: "gzip;q=0" is not sent by
 * browsers.) */
static bool accepts_gzip(const struct http_req *r)
{
	const char *ae = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_ACCEPT_ENCODING);

	return ae && strstr(ae, "gzip") != NULL;
}

static int serve(struct http_req *r, const char *name)
{
	char gz[HTTP_PARAM_MAX + 4];
	const char *inm;
	int i = find(name), z = -1;

	if (i < 0 || strstr(name, ".gz")) {
		cep_error_set(&r->err, CEP_ENOTFOUND, NULL, "no such file");
		return CEP_ENOTFOUND;
	}
	pthread_once(&etags_once, make_etags);
	inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm && strcmp(inm, etags[i]) == 0) {
		if (http_reply_static(r, MHD_HTTP_NOT_MODIFIED, "", 0, NULL) < 0)
			return CEP_ENOMEM;
	} else {
		if (strlen(name) + 4 <= sizeof(gz) && accepts_gzip(r)) {
			strcpy(gz, name);
			strcat(gz, ".gz");
			z = find(gz);
		}
		if (http_reply_static(r, MHD_HTTP_OK, http_assets[z >= 0 ? z : i].data,
				      http_assets[z >= 0 ? z : i].size, type_of(name)) < 0 ||
		    (z >= 0 && http_reply_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip") < 0))
			return CEP_ENOMEM;
	}
	if (http_reply_header(r, MHD_HTTP_HEADER_ETAG, etags[i]) < 0 ||
	    http_reply_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache") < 0 ||
	    http_reply_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding") < 0)
		return CEP_ENOMEM;
	return 0;
}

/* GET / */
int http_h_ui_index(struct http_req *r, struct store *s)
{
	(void)s;
	return serve(r, "index.html");
}

/* GET /ui/{file} */
int http_h_ui_file(struct http_req *r, struct store *s)
{
	(void)s;
	return serve(r, r->params[0]);
}
