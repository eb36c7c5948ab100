/* crypto.h - the small set of primitives ceptoar needs, over libsodium:
 * random ids and tokens, SHA-256, constant-time comparison, argon2id. */
#ifndef CEP_BASE_CRYPTO_H
#define CEP_BASE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CEP_UUID_LEN 36      /* without NUL */
#define CEP_SHA256_HEX 64    /* without NUL */
#define CEP_PWHASH_MAX 128   /* argon2id encoded string incl. NUL */

/* Initialise libsodium. Returns 0 or CEP_EIO. Safe to call more than once. */
int cep_crypto_init(void);
/* Random UUID version 4 into out (37 bytes). */
void cep_uuid(char out[CEP_UUID_LEN + 1]);
/* n random bytes, URL-safe base64 without padding, into out (size >= 4*n/3+2). */
void cep_random_b64(char *out, size_t out_size, size_t n);
/* A 64-bit keyed hash (SipHash) of data under a key drawn at random once per
 * process: table slots that a client cannot aim at. Thread-safe. */
uint64_t cep_keyed_hash64(const void *data, size_t len);
/* Lower-case hex SHA-256 of data into out (65 bytes). */
void cep_sha256_hex(const void *data, size_t len, char out[CEP_SHA256_HEX + 1]);
/* Constant-time equality of two NUL-terminated strings of the same length. */
bool cep_streq_ct(const char *a, const char *b);
/* argon2id hash of password into out (CEP_PWHASH_MAX). Returns 0, CEP_ENOMEM. */
int cep_password_hash(const char *password, char out[CEP_PWHASH_MAX]);
/* True when password matches the argon2id string hash. */
bool cep_password_verify(const char *hash, const char *password);

/* Ed25519 (libsodium crypto_sign): keys and signatures as lower-case hex. */
#define CEP_SIGN_PK_HEX 64   /* without NUL */
#define CEP_SIGN_SK_HEX 128  /* without NUL */
#define CEP_SIGN_SIG_HEX 128 /* without NUL */
/* A new key pair into pk and sk. */
void cep_sign_keypair(char pk[CEP_SIGN_PK_HEX + 1], char sk[CEP_SIGN_SK_HEX + 1]);
/* Sign msg[0..len) with sk (hex) into sig. Returns 0 or CEP_EINVAL (bad key). */
int cep_sign(const char *sk, const void *msg, size_t len, char sig[CEP_SIGN_SIG_HEX + 1]);
/* True when sig (hex) is pk's (hex) signature of msg[0..len). */
bool cep_sign_verify(const char *pk, const void *msg, size_t len, const char *sig);

/* Decode standard base64 (padded) of b64[0..len), skipping spaces, tabs and line
 * ends, into *ret (caller owns, cep_free; NUL-terminated after *ret_len bytes).
 * Returns 0, CEP_EPARSE (not base64) or CEP_ENOMEM. */
int cep_base64_decode(const char *b64, size_t len, char **ret, size_t *ret_len);

/* HMAC-SHA-256 (libsodium crypto_auth_hmacsha256, any key length) of
 * msg[0..len) under key[0..keylen), as lower-case hex into out (65 bytes).
 * Used to sign webhook bodies (X-Ceptoar-Signature). */
void cep_hmac_sha256_hex(const void *key, size_t keylen, const void *msg, size_t len,
			 char out[CEP_SHA256_HEX + 1]);

#endif
