/* crypto.c - libsodium wrappers. */
#include "base/crypto.h"

#include "base/alloc.h"
#include "base/err.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char shorthash_key_bytes[crypto_shorthash_KEYBYTES];

static void shorthash_key(void)
{
	if (sodium_init() < 0)
		abort(); /* no random numbers: nothing in ceptoar can be trusted */
	randombytes_buf(shorthash_key_bytes, sizeof(shorthash_key_bytes));
}

int cep_crypto_init(void)
{
	return sodium_init() < 0 ? CEP_EIO : 0;
}

void cep_uuid(char out[CEP_UUID_LEN + 1])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, CEP_UUID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
		 b[15]);
}

void cep_random_b64(char *out, size_t out_size, size_t n)
{
	unsigned char b[64];

	if (n > sizeof(b))
		n = sizeof(b);
	randombytes_buf(b, n);
	sodium_bin2base64(out, out_size, b, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof(b));
}

uint64_t cep_keyed_hash64(const void *data, size_t len)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	pthread_once(&once, shorthash_key);
	crypto_shorthash(h, data, len, shorthash_key_bytes);
	memcpy(&v, h, sizeof(v));
	return v;
}

void cep_sha256_hex(const void *data, size_t len, char out[CEP_SHA256_HEX + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, CEP_SHA256_HEX + 1, h, sizeof(h));
}

bool cep_streq_ct(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

int cep_password_hash(const char *password, char out[CEP_PWHASH_MAX])
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return CEP_ENOMEM;
	return 0;
}

bool cep_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void cep_sign_keypair(char pk[CEP_SIGN_PK_HEX + 1], char sk[CEP_SIGN_SK_HEX + 1])
{
	unsigned char bpk[crypto_sign_PUBLICKEYBYTES], bsk[crypto_sign_SECRETKEYBYTES];

	crypto_sign_keypair(bpk, bsk);
	sodium_bin2hex(pk, CEP_SIGN_PK_HEX + 1, bpk, sizeof(bpk));
	sodium_bin2hex(sk, CEP_SIGN_SK_HEX + 1, bsk, sizeof(bsk));
	sodium_memzero(bsk, sizeof(bsk));
}

/* Decode exactly n bytes of hex. */
static int unhex(const char *hex, unsigned char *out, size_t n)
{
	size_t len = 0;

	if (!hex || strlen(hex) != 2 * n)
		return CEP_EINVAL;
	if (sodium_hex2bin(out, n, hex, 2 * n, NULL, &len, NULL) != 0 || len != n)
		return CEP_EINVAL;
	return 0;
}

int cep_sign(const char *sk, const void *msg, size_t len, char sig[CEP_SIGN_SIG_HEX + 1])
{
	unsigned char bsk[crypto_sign_SECRETKEYBYTES], bsig[crypto_sign_BYTES];

	if (unhex(sk, bsk, sizeof(bsk)) < 0)
		return CEP_EINVAL;
	crypto_sign_detached(bsig, NULL, msg, len, bsk);
	sodium_memzero(bsk, sizeof(bsk));
	sodium_bin2hex(sig, CEP_SIGN_SIG_HEX + 1, bsig, sizeof(bsig));
	return 0;
}

bool cep_sign_verify(const char *pk, const void *msg, size_t len, const char *sig)
{
	unsigned char bpk[crypto_sign_PUBLICKEYBYTES], bsig[crypto_sign_BYTES];

	if (unhex(pk, bpk, sizeof(bpk)) < 0 || unhex(sig, bsig, sizeof(bsig)) < 0)
		return false;
	return crypto_sign_verify_detached(bsig, msg, len, bpk) == 0;
}

void cep_hmac_sha256_hex(const void *key, size_t keylen, const void *msg, size_t len,
			 char out[CEP_SHA256_HEX + 1])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, msg, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, CEP_SHA256_HEX + 1, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
}

int cep_base64_decode(const char *b64, size_t len, char **ret, size_t *ret_len)
{
	size_t max = len / 4 * 3 + 3, n = 0;
	const char *end = NULL;
	char *out = cep_malloc(max + 1);

	if (!out)
		return CEP_ENOMEM;
	if (sodium_base642bin((unsigned char *)out, max, b64, len, " \t\r\n", &n, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + len) {
		cep_free(out);
		return CEP_EPARSE;
	}
	out[n] = '\0';
	*ret = out;
	*ret_len = n;
	return 0;
}
