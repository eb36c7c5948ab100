/* clock.h - time stamps: RFC 3339 UTC for storage and exports, JST for display. */
#ifndef CEP_BASE_CLOCK_H
#define CEP_BASE_CLOCK_H

#include <stdint.h>
#include <time.h>

#define CEP_TS_MAX 32

/* Seconds since the epoch, now. */
int64_t cep_now(void);
/* Milliseconds since the epoch, now (wall clock). */
int64_t cep_now_ms(void);
/* Format t as "YYYY-MM-DDThh:mm:ssZ" into out (CEP_TS_MAX bytes). */
void cep_ts_utc(int64_t t, char out[CEP_TS_MAX]);
/* Format t in Japan Standard Time (UTC+9, no DST) as "YYYY-MM-DD hh:mm JST". */
void cep_ts_jst(int64_t t, char out[CEP_TS_MAX]);
/* Milliseconds on a monotonic clock, for measuring durations. */
double cep_mono_ms(void);
/* Parse RFC 3339 ("2026-01-02T03:04:05Z", "...+09:00", optional fraction)
 * into seconds since the epoch. Returns 0 or CEP_EINVAL; *ret_t untouched on failure. */
int cep_ts_parse(const char *s, int64_t *ret_t);

#endif
