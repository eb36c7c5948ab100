/* text.c - UTF-8 and user-text checks. */
#include "base/text.h"

#include "base/err.h"

#include <string.h>

/* The length of the well-formed UTF-8 character at s[0..avail) (avail > 0):
 * 1 to 4, or 0 when it is malformed, overlong, a surrogate, above U+10FFFF
 * or cut short. */
static size_t utf8_char(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	unsigned cp;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail <= n)
		return 0;
	for (size_t k = 1; k <= n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n + 1;
}

bool cep_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0, n; i < len; i += n)
		if (!(n = utf8_char(s + i, len - i)))
			return false;
	return true;
}

void cep_text_line_copy(char *out, size_t size, const char *str, char ctl)
{
	static const char bad[] = "\xEF\xBF\xBD"; /* U+FFFD REPLACEMENT CHARACTER */
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t len = strlen((const char *)s), o = 0;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_char(s + i, len - i);
		const char *put = (const char *)s + i;
		size_t k = n;

		if (n == 1 && (s[i] < 0x20 || s[i] == 0x7F)) {
			put = &ctl; /* one byte for one */
		} else if (n == 0) {
			put = bad; /* three bytes for one */
			k = 3;
			n = 1;
		}
		if (o + k >= size)
			break;
		memcpy(out + o, put, k);
		o += k;
		i += n;
	}
	out[o] = '\0';
}

size_t cep_utf8_count(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

bool cep_text_has_control(const char *s, size_t len, bool allow_newlines)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0x7F)
			return true;
		if (c >= 0x20)
			continue;
		if (allow_newlines && (c == '\n' || c == '\r' || c == '\t'))
			continue;
		return true;
	}
	return false;
}

bool cep_slug_valid(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len == 0 || len > max)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (i > 0 && (c == '-' || c == '_'));
		if (!ok)
			return false;
	}
	return true;
}

static int text_check(const char *s, size_t max_chars, bool required, bool multiline)
{
	size_t len;

	if (!s)
		return required ? CEP_EINVAL : 0;
	len = strlen(s);
	if (len == 0)
		return required ? CEP_EINVAL : 0;
	if (!cep_utf8_valid(s, len) || cep_text_has_control(s, len, multiline))
		return CEP_EINVAL;
	if (cep_utf8_count(s, len) > max_chars)
		return CEP_ETOOBIG;
	return 0;
}

int cep_text_check(const char *s, size_t max_chars, bool required)
{
	return text_check(s, max_chars, required, false);
}

int cep_text_check_multiline(const char *s, size_t max_chars, bool required)
{
	return text_check(s, max_chars, required, true);
}
