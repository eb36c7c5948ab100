/* crypto.c - libsodium wrappers. */
#include "base/crypto.h"

#include "base/err.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

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
