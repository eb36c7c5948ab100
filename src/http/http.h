/* http.h - the HTTP API server (docs/api.md). The only public face of src/http/;
 * the rest of the layer (and <microhttpd.h>) stays inside the folder.
 *
 *   struct http_config cfg = { .db_path = "var/ceptoar.db", .listen = "127.0.0.1:8080" };
 *   rc = http_serve(&cfg, &err);   // blocks until SIGINT or SIGTERM
 */
#ifndef CEP_HTTP_HTTP_H
#define CEP_HTTP_HTTP_H

#include "base/err.h"

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

#define HTTP_LISTEN_DEFAULT "127.0.0.1:8080"
#define HTTP_THREADS_DEFAULT 16
#define HTTP_THREADS_MAX 256
#define HTTP_MAX_BODY_DEFAULT ((size_t)1 << 20) /* JSON bodies; CSV imports have their own cap */
#define HTTP_TIMEOUT_DEFAULT 30                  /* seconds of inactivity before a client is dropped */

/* What `ceptoar serve` starts. Zero/NULL members take the defaults above. Borrowed by
 * http_serve for the duration of the call. */
struct http_config {
	const char *db_path; /* required: the database, initialised by `ceptoar init` */
	const char *listen;  /* "127.0.0.1:8080" or "[::1]:8080"; port 0 picks a free port (logged) */
	unsigned threads;    /* worker threads, also the number of open database handles */
	size_t max_body;     /* cap on JSON request bodies in bytes */
	int timeout_s;       /* connection inactivity timeout */
};

/* Serve the API until the process receives SIGINT or SIGTERM, then stop accepting,
 * let the requests in flight be answered (up to 10 s), close the remaining connections
 * and the database handles, and return 0.
 * Blocks SIGINT and SIGTERM in the calling thread while it runs (and in the server's
 * threads, which inherit the mask); the previous mask is restored before returning.
 * Fails with CEP_EINVAL (bad cfg, err names the field), CEP_EIO (cannot open the database
 * or listen), CEP_EVERSION/CEP_ESEMANTIC (database from another schema version), or
 * CEP_ENOMEM; err (may be NULL) says why. Nothing is left running on failure. */
int http_serve(const struct http_config *cfg, struct cep_error *err);

/* Parse "IPv4:port" or "[IPv6]:port" (numeric addresses only; port 0..65535) into
 * *ret_addr and *ret_len. Returns 0 or CEP_EINVAL (err names field "listen");
 * the out-parameters are untouched on failure. */
int http_parse_listen(const char *s, struct sockaddr_storage *ret_addr, socklen_t *ret_len,
		      struct cep_error *err);

#endif
