/* handlers_health.c - GET /healthz: no authentication, for load balancers and tests. */
#include "http/internal.h"

/* {"status":"ok","schema":N}. The pool was opened only after the schema was checked,
 * so a running server always has this build's schema. s is unused. */
int http_h_healthz(struct http_req *r, struct store *s)
{
	(void)s;
	return http_reply_result(r, MHD_HTTP_OK, 0,
				 json_pack("{s:s, s:i}", "status", "ok", "schema",
					   store_schema_version()));
}
