/* listen.c - parsing the --listen address: "127.0.0.1:8080", "[::1]:8080",
 * "localhost:8080". Numeric addresses only (no DNS at start-up). */
#include "http/http.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define HOST_MAX 64

/* Parse the decimal port p (whole string) into *ret. Returns 0 or CEP_EINVAL. */
static int parse_port(const char *p, unsigned *ret)
{
	unsigned v = 0;

	if (!*p || strlen(p) > 5)
		return CEP_EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return CEP_EINVAL;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v > 65535)
		return CEP_EINVAL;
	*ret = v;
	return 0;
}

int http_parse_listen(const char *s, struct sockaddr_storage *ret_addr, socklen_t *ret_len,
		      struct cep_error *err)
{
	struct sockaddr_storage ss;
	char host[HOST_MAX];
	const char *colon, *hs;
	size_t hlen;
	unsigned port = 0;
	bool v6 = false;

	if (!s)
		goto bad;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			goto bad;
		hs = s + 1;
		hlen = (size_t)(close - hs);
		colon = close + 1;
		v6 = true;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			goto bad;
		hs = s;
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(host) || parse_port(colon + 1, &port) < 0)
		goto bad;
	memcpy(host, hs, hlen);
	host[hlen] = '\0';
	memset(&ss, 0, sizeof(ss));
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
		*ret_len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (strcmp(host, "localhost") == 0)
			snprintf(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
		*ret_len = sizeof(*a);
	}
	*ret_addr = ss;
	return 0;
bad:
	return cep_error_set(err, CEP_EINVAL, "listen",
			     "listen address must be IPv4:port or [IPv6]:port, e.g. 127.0.0.1:8080");
}
