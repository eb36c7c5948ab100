/* server.c - the MHD daemon and the life of one request (see internal.h): create
 * the request context when the headers arrive, route and authenticate it, collect the
 * body under its cap, run the handler with a borrowed store handle, queue the
 * response, log one line and free everything when MHD says the request is done.
 * Also http_serve: start (with the delivery and analysis workers), wait for SIGINT/SIGTERM,
 * stop. */
#include "http/internal.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/text.h"
#include "deliver/deliver.h"
#include "jobs/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CONNECTION_LIMIT 512                /* open connections, over all threads */
#define CONNECTION_MEMORY ((size_t)64 << 10) /* per connection: request line + headers */
/* MHD 0.9.x can answer only right after the headers or after the whole body. A body
 * declared (Content-Length) over its cap is refused right after the headers, unread.
 * A chunked body that passes its cap is read on and dropped, and answered 413 when it
 * ends; once the dropped part passes max(cap, DISCARD_MIN), the connection is cut. */
#define DISCARD_MIN ((size_t)4 << 20)
#define SHUTDOWN_GRACE_MS 10000 /* how long requests in flight may take to finish */

/* Free r and everything it owns. Accepts NULL. Request bodies and session secrets
 * may hold passwords and secrets: they are wiped first. */
static void req_free(struct http_req *r)
{
	if (!r)
		return;
	if (r->resp)
		MHD_destroy_response(r->resp);
	json_decref(r->json);
	if (r->body.data)
		explicit_bzero(r->body.data, r->body.len);
	cep_buf_free(&r->body);
	if (r->session) {
		explicit_bzero(r->session, strlen(r->session));
		cep_free(r->session);
	}
	if (r->csrf) {
		explicit_bzero(r->csrf, strlen(r->csrf));
		cep_free(r->csrf);
	}
	cep_free(r->path);
	cep_free(r);
}

/* A new request context for method and url (both borrowed from MHD). Returns NULL
 * on allocation failure; the caller owns the result (req_free). */
static struct http_req *req_new(struct http_server *srv, struct MHD_Connection *conn,
				const char *method, const char *url)
{
	struct http_req *r = cep_calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->start_ms = cep_mono_ms();
	r->srv = srv;
	r->conn = conn;
	/* as one line each, so that what a client sent cannot forge log lines */
	cep_text_line_copy(r->method, sizeof(r->method), method, '?');
	cep_text_line_copy(r->log_path, sizeof(r->log_path), url, '?');
	cep_error_init(&r->err);
	cep_buf_init(&r->body, 0);
	r->path = cep_strdup(url ? url : "");
	if (!r->path) {
		cep_free(r);
		return NULL;
	}
	atomic_fetch_add(&srv->inflight, 1);
	return r;
}

/* Hand r's response to MHD. On success MHD holds the response (our reference is
 * dropped) and r->queued is set; on failure r keeps it. */
static enum MHD_Result req_queue(struct http_req *r)
{
	enum MHD_Result ok;

	if (!r->resp)
		return MHD_NO;
	if (atomic_load(&r->srv->stopping))
		(void)MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ok = MHD_queue_response(r->conn, r->status, r->resp);
	if (ok == MHD_YES) {
		MHD_destroy_response(r->resp);
		r->resp = NULL;
		r->queued = true;
	}
	return ok;
}

/* With the headers: route, authenticate, check the body's type and declared size.
 * Leaves an error response in r->resp when the request is refused. */
static void req_begin(struct http_req *r, const char *method)
{
	char allow[HTTP_ALLOW_MAX];
	struct store *s;
	int rc = http_route_find(r, method, allow);

	r->refused = true; /* until every check has passed */
	if (rc == CEP_EMETHOD) {
		cep_error_set(&r->err, rc, NULL, "%s is not allowed here; allowed: %s", r->method,
			      allow);
		http_reply_error(r, rc, &r->err, NULL);
		if (r->resp)
			http_reply_header(r, MHD_HTTP_HEADER_ALLOW, allow);
		return;
	}
	if (rc < 0) {
		cep_error_set(&r->err, CEP_ENOTFOUND, NULL, "no such path");
		http_reply_error(r, CEP_ENOTFOUND, &r->err, NULL);
		return;
	}
	if (!r->route->public) {
		s = store_pool_get(r->srv->pool);
		rc = http_authenticate(r, s);
		store_pool_put(r->srv->pool, s);
	}
	if (rc == 0)
		rc = http_body_check_headers(r);
	if (rc < 0) {
		http_reply_error(r, rc, &r->err, NULL);
		return;
	}
	r->refused = false;
	cep_buf_init(&r->body, r->cap);
}

/* With the whole body: decode it, run the handler with a borrowed store handle, and
 * leave the response in r->resp. */
static void req_dispatch(struct http_req *r)
{
	struct store *s;
	int rc = 0;

	if (r->too_big) {
		http_reply_error(r, r->err.code, &r->err, NULL);
		return;
	}
	if (r->route->body == HTTP_BODY_JSON ||
	    (r->route->body == HTTP_BODY_OPT_JSON && r->body.len > 0))
		rc = http_body_json(r);
	if (rc == 0) {
		s = store_pool_get(r->srv->pool);
		rc = http_enter_world(r, s); /* at the scenario time of this request */
		if (rc == 0)
			rc = r->route->fn(r, s);
		store_pool_put(r->srv->pool, s);
	}
	if (rc < 0 || !r->resp)
		http_reply_error(r, rc, &r->err, NULL);
}

/* How much of a refused or oversized body is read and dropped before giving up. */
static size_t discard_limit(const struct http_req *r)
{
	return r->cap > DISCARD_MIN ? r->cap : DISCARD_MIN;
}

/* True when the request announces a body (a non-zero Content-Length, or chunks). */
static bool has_body(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return true;
	return cl && strspn(cl, "0 \t") != strlen(cl);
}

/* MHD's access handler: called once with the headers, once per body chunk, and once
 * more when the body is complete. *con_cls holds our struct http_req (owned by MHD's
 * connection until on_completed frees it). */
static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version,
				 const char *upload_data, size_t *upload_data_size,
				 void **con_cls)
{
	struct http_req *r = *con_cls;

	(void)version;
	if (!r) {
		r = req_new(cls, conn, method, url);
		if (!r)
			return MHD_NO;
		*con_cls = r;
		req_begin(r, method);
		/* Refused with a body on its way: answer now, and MHD closes the connection
		 * rather than read the body. Without a body, answer in the last call, which
		 * keeps the connection alive. */
		return r->resp && has_body(conn) ? req_queue(r) : MHD_YES;
	}
	if (r->queued) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (!r->refused && !r->resp) {
			http_body_take(r, upload_data, n);
			if (!r->too_big)
				return MHD_YES;
			http_reply_error(r, r->err.code, &r->err, NULL);
			/* Answer at once where MHD allows it (newer versions); else at the end. */
			if (req_queue(r) == MHD_YES)
				return MHD_YES;
		} else {
			r->discarded += n; /* refused already; the answer waits for the end */
		}
		return r->discarded > discard_limit(r) ? MHD_NO : MHD_YES;
	}
	if (r->refused && !r->resp)
		return MHD_NO; /* refused, and not even the fallback answer could be made */
	if (!r->resp)
		req_dispatch(r);
	return req_queue(r);
}

/* MHD's completion callback: log the request and free it. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_req *r = *con_cls;

	(void)cls;
	(void)conn;
	if (!r)
		return;
	cep_log(CEP_LOG_INFO, "http: %s %s %u %.1fms%s", r->method, r->log_path, r->status,
		cep_mono_ms() - r->start_ms,
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection closed early)");
	atomic_fetch_sub(&r->srv->inflight, 1);
	req_free(r);
	*con_cls = NULL;
}

/* MHD's own error messages, into our log. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	cep_log(CEP_LOG_WARN, "http: libmicrohttpd: %s", line);
}

/* Wait for SIGINT or SIGTERM (blocked in set by the caller). Returns the signal. */
static int wait_for_stop(const sigset_t *set)
{
	int sig = 0;

	while (sigwait(set, &sig) != 0)
		;
	return sig;
}

/* Stop accepting connections, give the requests in flight up to SHUTDOWN_GRACE_MS to
 * be answered, then stop the daemon (closing idle keep-alive connections) and close
 * the listening socket, which MHD_quiesce_daemon hands to us. */
static void stop_daemon(struct http_server *srv)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	MHD_socket fd;

	atomic_store(&srv->stopping, true);
	fd = MHD_quiesce_daemon(srv->daemon);
	for (int waited = 0; atomic_load(&srv->inflight) > 0 && waited < SHUTDOWN_GRACE_MS;
	     waited += 20)
		nanosleep(&tick, NULL);
	MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

/* Drop any SIGINT/SIGTERM still pending (a second Ctrl-C during shutdown), so that
 * restoring the caller's mask does not deliver it. */
static void drain_signals(const sigset_t *set)
{
	struct timespec zero = { 0, 0 };

	while (sigtimedwait(set, NULL, &zero) > 0)
		;
}

int http_serve(const struct http_config *cfg, struct cep_error *err)
{
	struct http_server srv;
	struct sockaddr_storage addr;
	socklen_t addr_len = 0;
	const union MHD_DaemonInfo *info;
	const char *addr_text;
	sigset_t set, old;
	bool masked = false;
	unsigned threads, timeout, flags;
	int rc, sig;

	memset(&srv, 0, sizeof(srv));
	atomic_init(&srv.inflight, 0);
	atomic_init(&srv.stopping, false);
	if (!cfg || !cfg->db_path || !*cfg->db_path)
		return cep_error_set(err, CEP_EINVAL, "db", "no database path given");
	addr_text = cfg->listen && *cfg->listen ? cfg->listen : HTTP_LISTEN_DEFAULT;
	rc = http_parse_listen(addr_text, &addr, &addr_len, err);
	if (rc < 0)
		return rc;
	threads = cfg->threads ? cfg->threads : HTTP_THREADS_DEFAULT;
	if (threads > HTTP_THREADS_MAX)
		return cep_error_set(err, CEP_EINVAL, "threads", "threads must be from 1 to %d",
				     HTTP_THREADS_MAX);
	timeout = cfg->timeout_s > 0 ? (unsigned)cfg->timeout_s : HTTP_TIMEOUT_DEFAULT;
	srv.max_body = cfg->max_body ? cfg->max_body : HTTP_MAX_BODY_DEFAULT;
	srv.tls = false;

	/* Block the stop signals before any thread starts, so that the server's threads
	 * inherit the mask and only sigwait below receives them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &set, &old) != 0) {
		rc = cep_error_set(err, CEP_EIO, NULL, "cannot block signals");
		goto out;
	}
	masked = true;

	/* the request threads and the delivery worker commit in groups */
	store_group_commit(1);
	rc = store_pool_open(cfg->db_path, threads, &srv.pool, err);
	if (rc < 0)
		goto out;
	/* The delivery worker: started after the mask (its thread inherits it) and before
	 * the daemon, so every alert handler finds it to kick; it also takes up the jobs
	 * left in the outbox by an earlier run. */
	rc = deliver_start(cfg->db_path, &srv.deliver, err);
	if (rc == 0) /* the analysis worker likewise; it queues again what a stop interrupted */
		rc = jobs_start(cfg->db_path, &srv.jobs, err);
	if (rc < 0)
		goto out;

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL
									 : MHD_USE_POLL;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	errno = 0;
	srv.daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_access, &srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log,
		&srv, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, &srv, MHD_OPTION_END);
	if (!srv.daemon) {
		rc = cep_error_set(err, CEP_EIO, "listen", "cannot listen on %s: %s", addr_text,
				   errno ? strerror(errno) : "the HTTP server did not start");
		goto out;
	}
	info = MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
	cep_log(CEP_LOG_INFO, "http: listening on %s (port %u), %u threads, schema %d", addr_text,
		info ? (unsigned)info->port : 0u, threads, store_schema_version());

	sig = wait_for_stop(&set);
	cep_log(CEP_LOG_INFO, "http: %s received, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	rc = 0;
out:
	if (srv.daemon)
		stop_daemon(&srv);
	/* After the daemon: no handler can kick it any more. The job in progress finishes. */
	deliver_stop(srv.deliver);
	srv.deliver = NULL;
	jobs_stop(srv.jobs); /* a running job stops at its next progress report */
	srv.jobs = NULL;
	store_pool_close(srv.pool);
	if (masked) {
		drain_signals(&set);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (rc == 0)
		cep_log(CEP_LOG_INFO, "http: stopped");
	return rc;
}
