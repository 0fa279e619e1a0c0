/* test.h: what every unit test includes (cmocka needs these first). */
#ifndef PEP_TEST_H
#define PEP_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Captures what a function writes to a FILE: open, call, then read s. */
typedef struct capture_file {
	FILE *f;
	char *s;
	size_t len;
} capture_file;

static inline void capture_open(capture_file *c)
{
	c->s = NULL;
	c->len = 0;
	c->f = open_memstream(&c->s, &c->len);
	assert_non_null(c->f);
}

static inline const char *capture_text(capture_file *c)
{
	fflush(c->f);
	return c->s ? c->s : "";
}

static inline void capture_close(capture_file *c)
{
	fclose(c->f);
	free(c->s);
	c->s = NULL;
}

/* The repository root (make check sets PEP_DATADIR to it). */
static inline const char *repo_root(void)
{
	const char *r = getenv("PEP_DATADIR");
	return r && *r ? r : ".";
}

#endif
