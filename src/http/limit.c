/* limit.c - sign-in attempts, limited: after HTTP_LOGIN_MAX_NAME failed
 * sign-ins for one account name, or HTTP_LOGIN_MAX_ADDR from one client
 * address, within HTTP_LOGIN_WINDOW seconds, further sign-ins for that name
 * or from that address are refused (429) until the window has passed, without
 * the password being checked. A successful sign-in clears its name's count.
 * Public tokens (a drill message's acknowledgement link) likewise: after
 * HTTP_TOKEN_MAX_ADDR tokens from one address that matched nothing, that
 * address's tokens are refused without being looked up until the window has
 * passed. (Tokens are 192-bit random: guessing is hopeless; the limit keeps
 * a flood of guesses from costing the store a look-up each.)
 *
 * The counts live in memory, in a fixed table of HTTP_LOGIN_SLOTS entries
 * (keys are hashed; when the table is full the stalest entry gives way), so a
 * flood of names cannot grow it; a restart forgets them. */
#include "http/internal.h"

#include "base/crypto.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PROBE 8 /* slots looked at for one key */

struct login_slot {
	uint64_t key;   /* 0: empty */
	uint32_t fails; /* failures in the window */
	time_t since;   /* the window's start */
};

struct http_limiter {
	pthread_mutex_t lock;
	struct login_slot slot[HTTP_LOGIN_SLOTS];
};

static struct http_limiter limiter = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* A non-zero key for kind ('n' name, 'a' address) and the bytes of v:
 * keyed, so that no client can aim its names at another's slot. */
static uint64_t key_of(char kind, const void *v, size_t n)
{
	unsigned char buf[1 + 256];
	uint64_t k;

	if (n > sizeof(buf) - 1)
		n = sizeof(buf) - 1; /* names are shorter; a longer one is refused anyway */
	buf[0] = (unsigned char)kind;
	memcpy(buf + 1, v, n);
	k = cep_keyed_hash64(buf, n + 1);
	return k ? k : 1;
}

/* How readily a slot gives way: empty, then past its window, then the oldest. */
static int worth(const struct login_slot *s, time_t now)
{
	return s->key == 0 ? 0 : now - s->since >= HTTP_LOGIN_WINDOW ? 1 : 2;
}

/* The slot of key; when it has none and create is set, the slot of its probe
 * window that gives way most readily, taken over. Called with the lock held. */
static struct login_slot *slot_of(uint64_t key, time_t now, int create)
{
	struct login_slot *victim = NULL;

	for (int i = 0; i < PROBE; i++) {
		struct login_slot *s = &limiter.slot[(key + (uint64_t)i) % HTTP_LOGIN_SLOTS];

		if (s->key == key)
			return s;
		if (!victim || worth(s, now) < worth(victim, now) ||
		    (worth(s, now) == worth(victim, now) && s->since < victim->since))
			victim = s;
	}
	if (!create)
		return NULL;
	victim->key = key;
	victim->fails = 0;
	victim->since = now;
	return victim;
}

/* Seconds until key may try again (0: now). Called with the lock held. */
static long blocked_for(uint64_t key, uint32_t max, time_t now)
{
	struct login_slot *s = slot_of(key, now, 0);

	if (!s || now - s->since >= HTTP_LOGIN_WINDOW || s->fails < max)
		return 0;
	return (long)(s->since + HTTP_LOGIN_WINDOW - now);
}

static void count_failure(uint64_t key, time_t now)
{
	struct login_slot *s = slot_of(key, now, 1);

	if (now - s->since >= HTTP_LOGIN_WINDOW) {
		s->fails = 0;
		s->since = now;
	}
	s->fails++;
}

/* The client address of r as bytes (NULL when MHD does not say). */
static const void *client_addr(const struct http_req *r, size_t *ret_n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	if (!sa)
		return NULL;
	if (sa->sa_family == AF_INET) {
		*ret_n = 4;
		return &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	}
	if (sa->sa_family == AF_INET6) {
		*ret_n = 16;
		return &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	}
	return NULL;
}

int http_login_allowed(struct http_req *r, const char *name, long *ret_wait)
{
	time_t now = time(NULL);
	size_t an = 0;
	const void *addr = client_addr(r, &an);
	long wait_name, wait_addr = 0;

	pthread_mutex_lock(&limiter.lock);
	wait_name = blocked_for(key_of('n', name, strlen(name)), HTTP_LOGIN_MAX_NAME, now);
	if (addr)
		wait_addr = blocked_for(key_of('a', addr, an), HTTP_LOGIN_MAX_ADDR, now);
	pthread_mutex_unlock(&limiter.lock);
	*ret_wait = wait_name > wait_addr ? wait_name : wait_addr;
	if (!*ret_wait)
		return 0;
	return cep_error_set(&r->err, CEP_ELIMIT, NULL,
			     "too many failed sign-ins %s; try again in %ld minute(s)",
			     wait_name ? "for this account" : "from this address",
			     (*ret_wait + 59) / 60);
}

void http_login_result(struct http_req *r, const char *name, bool ok)
{
	time_t now = time(NULL);
	uint64_t kn = key_of('n', name, strlen(name));
	size_t an = 0;
	const void *addr = client_addr(r, &an);

	pthread_mutex_lock(&limiter.lock);
	if (ok) {
		struct login_slot *s = slot_of(kn, now, 0);

		if (s)
			s->fails = 0;
	} else {
		count_failure(kn, now);
		if (addr)
			count_failure(key_of('a', addr, an), now);
	}
	pthread_mutex_unlock(&limiter.lock);
}

int http_token_allowed(struct http_req *r, long *ret_wait)
{
	time_t now = time(NULL);
	size_t an = 0;
	const void *addr = client_addr(r, &an);

	*ret_wait = 0;
	if (addr) {
		pthread_mutex_lock(&limiter.lock);
		*ret_wait = blocked_for(key_of('t', addr, an), HTTP_TOKEN_MAX_ADDR, now);
		pthread_mutex_unlock(&limiter.lock);
	}
	if (!*ret_wait)
		return 0;
	return cep_error_set(&r->err, CEP_ELIMIT, NULL,
			     "too many unknown tokens from this address; try again in %ld "
			     "minute(s)", (*ret_wait + 59) / 60);
}

void http_token_failed(struct http_req *r)
{
	size_t an = 0;
	const void *addr = client_addr(r, &an);

	if (!addr)
		return;
	pthread_mutex_lock(&limiter.lock);
	count_failure(key_of('t', addr, an), time(NULL));
	pthread_mutex_unlock(&limiter.lock);
}

int http_reply_limited(struct http_req *r, long wait)
{
	char after[24];

	snprintf(after, sizeof(after), "%ld", wait);
	http_reply_error(r, CEP_ELIMIT, &r->err, NULL);
	return http_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, after) < 0 ? CEP_ENOMEM : 0;
}
