/* strbuf.c: growing string buffer. */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void grow(pep_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->s = pep_xrealloc(b->s, cap);
	b->cap = cap;
}

void pep_buf_add(pep_buf *b, const char *s, size_t n)
{
	grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void pep_buf_puts(pep_buf *b, const char *s)
{
	pep_buf_add(b, s, strlen(s));
}

void pep_buf_putc(pep_buf *b, char c)
{
	pep_buf_add(b, &c, 1);
}

void pep_buf_vprintf(pep_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void pep_buf_printf(pep_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pep_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *pep_buf_str(const pep_buf *b)
{
	return b->s ? b->s : "";
}

void pep_buf_clear(pep_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

char *pep_buf_detach(pep_buf *b)
{
	char *s = b->s ? b->s : pep_xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void pep_buf_free(pep_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
