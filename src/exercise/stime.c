/* stime.c - scenario times as people write them in an MSEL: "T+3h",
 * "T+1h30m", "90m", "2d", "T+03:00" (h:mm), or plain seconds. */
#include "exercise/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* "hh:mm" or "hh:mm:ss" at s: seconds, or -1. */
static int64_t clock_form(const char *s)
{
	int h = 0, m = 0, sec = 0, n = 0;

	if (sscanf(s, "%d:%2d:%2d%n", &h, &m, &sec, &n) == 3 && s[n] == '\0')
		return h >= 0 && m < 60 && sec < 60 ? (int64_t)h * 3600 + m * 60 + sec : -1;
	n = 0;
	if (sscanf(s, "%d:%2d%n", &h, &m, &n) == 2 && s[n] == '\0')
		return h >= 0 && m >= 0 && m < 60 ? (int64_t)h * 3600 + m * 60 : -1;
	return -1;
}

int ex_duration_text(const char *s, const char *field, int64_t *ret, struct cep_error *err)
{
	int64_t total = 0, v;
	int units = 0;
	const char *p = s;

	if (!s || !*s || strlen(s) > 32)
		goto bad;
	if ((p[0] == 'T' || p[0] == 't') && p[1] == '+')
		p += 2;
	if (!*p)
		goto bad;
	if (strchr(p, ':')) {
		total = clock_form(p);
		if (total < 0)
			goto bad;
		goto done;
	}
	while (*p) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		v = 0;
		while (isdigit((unsigned char)*p)) {
			v = v * 10 + (*p++ - '0');
			if (v > EX_SCENARIO_MAX)
				goto big;
		}
		switch (*p) {
		case 'd': v *= 86400; p++; break;
		case 'h': v *= 3600; p++; break;
		case 'm': v *= 60; p++; break;
		case 's': p++; break;
		case '\0':
			if (units) /* "1h30" */
				goto bad;
			break;
		default:
			goto bad;
		}
		units++;
		total += v;
		if (total > EX_SCENARIO_MAX)
			goto big;
	}
done:
	if (total > EX_SCENARIO_MAX)
		goto big;
	*ret = total;
	return 0;
big:
	return cep_error_set(err, CEP_ETOOBIG, field, "%s is beyond the longest scenario (%d days)",
			     field, EX_SCENARIO_MAX / 86400);
bad:
	return cep_error_set(err, CEP_EINVAL, field,
			     "%s must be a scenario time such as T+3h, T+1h30m, 90m, 2d, 03:00 "
			     "or seconds",
			     field);
}

int ex_duration(const json_t *v, const char *field, int64_t *ret, struct cep_error *err)
{
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return cep_error_set(err, CEP_EINVAL, field, "%s must not be negative", field);
		if (json_integer_value(v) > EX_SCENARIO_MAX)
			return cep_error_set(err, CEP_ETOOBIG, field,
					     "%s is beyond the longest scenario (%d days)", field,
					     EX_SCENARIO_MAX / 86400);
		*ret = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v))
		return ex_duration_text(json_string_value(v), field, ret, err);
	return cep_error_set(err, CEP_EINVAL, field,
			     "%s must be a scenario time such as \"T+3h\" or seconds", field);
}

void ex_format_t(int64_t s, char out[32])
{
	if (s < 0)
		s = 0;
	/* hours beyond a day stay hours (T+26:00), so that the text reads back */
	if (s % 60)
		snprintf(out, 32, "T+%02lld:%02lld:%02lld", (long long)(s / 3600),
			 (long long)(s % 3600 / 60), (long long)(s % 60));
	else
		snprintf(out, 32, "T+%02lld:%02lld", (long long)(s / 3600), (long long)(s % 3600 / 60));
}
