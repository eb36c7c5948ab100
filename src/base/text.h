/* text.h - checks on user-supplied text: UTF-8 validity, length in characters,
 * control characters, identifiers. Pure functions; no allocation. */
#ifndef CEP_BASE_TEXT_H
#define CEP_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool cep_utf8_valid(const char *s, size_t len);
/* Copy str (NULL: "") into out (size >= 1 bytes) as one line of well-formed
 * UTF-8: each C0 control character and DEL becomes ctl, each byte that does
 * not start a well-formed character becomes U+FFFD (the replacement
 * character), and the text is cut at a character's boundary to fit. For text
 * from outside (a server's answer, a client's header) on its way to a log
 * line, the store or JSON. */
void cep_text_line_copy(char *out, size_t size, const char *str, char ctl);
/* Number of code points in valid UTF-8 s[0..len). */
size_t cep_utf8_count(const char *s, size_t len);
/* True when s contains a C0 control character other than TAB, LF, CR, or DEL. */
bool cep_text_has_control(const char *s, size_t len, bool allow_newlines);
/* True when s is a slug: 1..max chars of [a-z0-9], '-' or '_' not at the start. */
bool cep_slug_valid(const char *s, size_t max);
/* Check a single-line user text: valid UTF-8, 1..max_chars code points (0 allowed when
 * !required; NULL counts as empty), no control characters. Returns 0, CEP_EINVAL
 * (missing, malformed or control characters) or CEP_ETOOBIG (more than max_chars). */
int cep_text_check(const char *s, size_t max_chars, bool required);
/* Like cep_text_check but newlines and tabs are allowed (multi-line descriptions). */
int cep_text_check_multiline(const char *s, size_t max_chars, bool required);

#endif
