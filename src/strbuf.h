/* strbuf.h: a growing, NUL-terminated string buffer.
 *
 * A pep_buf is a value: initialise with PEP_BUF_INIT, free its contents with
 * pep_buf_free() or take them with pep_buf_detach() (the caller then owns the
 * returned string). */
#ifndef PEP_STRBUF_H
#define PEP_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pep_buf {
	char *s;    /* NUL-terminated contents; NULL until something is added */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
} pep_buf;

#define PEP_BUF_INIT {NULL, 0, 0}

void pep_buf_add(pep_buf *b, const char *s, size_t n);
void pep_buf_puts(pep_buf *b, const char *s);
void pep_buf_putc(pep_buf *b, char c);
void pep_buf_printf(pep_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pep_buf_vprintf(pep_buf *b, const char *fmt, va_list ap);
/* The contents, never NULL ("" when empty); borrowed until the next change. */
const char *pep_buf_str(const pep_buf *b);
void pep_buf_clear(pep_buf *b);
/* Hands the contents to the caller (never NULL) and leaves b empty. */
char *pep_buf_detach(pep_buf *b);
void pep_buf_free(pep_buf *b);

#endif
