/* log.c - stderr logging; one write per record so lines from threads do not mix. */
#include "base/log.h"

#include "base/clock.h"
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum cep_log_level min_level = CEP_LOG_INFO;
static const char *level_names[] = { "debug", "info", "warn", "error" };

void cep_log_set_level(enum cep_log_level level)
{
	min_level = level;
}

int cep_log_parse_level(const char *s, enum cep_log_level *ret_level)
{
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*ret_level = (enum cep_log_level)i;
			return 0;
		}
	}
	return CEP_EINVAL;
}

void cep_log(enum cep_log_level level, const char *fmt, ...)
{
	char line[2048], ts[CEP_TS_MAX];
	va_list ap;
	int n;

	if (level < min_level)
		return;
	cep_ts_utc(cep_now(), ts);
	n = snprintf(line, sizeof(line), "%s %s ", ts, level_names[level]);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}
