/* assets.h - the web UI's files (ui/, built by `make`), compiled into the
 * binary by tools/bin2c so that the server needs nothing beside itself. */
#ifndef CEP_HTTP_ASSETS_H
#define CEP_HTTP_ASSETS_H

#include <stddef.h>

struct http_asset {
	const char *name; /* file name, e.g. "app.js" */
	const char *data; /* its bytes, NUL-terminated */
	size_t size;
};

/* Ends with { NULL, NULL, 0 }. */
extern const struct http_asset http_assets[];

#endif
