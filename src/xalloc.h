/* xalloc.h: allocation that never returns NULL.
 *
 * Running out of memory is handled here and nowhere else: the program prints
 * one line and aborts (as cmark does). Every function returns memory the
 * caller owns and frees with free(). */
#ifndef PEP_XALLOC_H
#define PEP_XALLOC_H

#include <stddef.h>

void *pep_xmalloc(size_t n);
void *pep_xcalloc(size_t count, size_t size);
void *pep_xrealloc(void *p, size_t n);
char *pep_xstrdup(const char *s);
char *pep_xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *pep_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
