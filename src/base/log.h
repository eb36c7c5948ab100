/* log.h - one-line log records on stderr: "TIME LEVEL message". */
#ifndef CEP_BASE_LOG_H
#define CEP_BASE_LOG_H

enum cep_log_level { CEP_LOG_DEBUG, CEP_LOG_INFO, CEP_LOG_WARN, CEP_LOG_ERROR };

/* Records below level are dropped. Default CEP_LOG_INFO. */
void cep_log_set_level(enum cep_log_level level);
/* Parse "debug", "info", "warn", "error". Returns 0 or CEP_EINVAL. */
int cep_log_parse_level(const char *s, enum cep_log_level *ret_level);
void cep_log(enum cep_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
