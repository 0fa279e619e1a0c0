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

#include "form.h"
#include "model.h"
#include "xalloc.h"
#include "xml.h"

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

/* The form of the repository's schemas/pep.xsd (form.h), or NULL; the
 * caller frees it with pep_form_free(). */
static inline pep_form *test_schema_form(void)
{
	pep_xml_init();
	char *path = pep_xasprintf("%s/schemas/pep.xsd", repo_root());
	char *err = NULL;
	pep_form *f = pep_form_load(path, &err);
	free(path);
	free(err);
	return f;
}

/* Removes a folder and all below it (a test's scratch space): 0 on
 * success. The path is the test's own mkdtemp name, without quotes. */
static inline int test_remove_tree(const char *path)
{
	char *cmd = pep_xasprintf("rm -rf '%s'", path);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

/* The canonical schema (schemas/pep.xsd, with the model's section map), or
 * NULL after printing why it did not load. The caller frees it. */
static inline pep_schema *test_schema_load(void)
{
	char *path = pep_xasprintf("%s/schemas/pep.xsd", repo_root());
	char *err = NULL;
	pep_schema *schema = pep_schema_load(path, pep_sections, &err);
	if (!schema)
		fprintf(stderr, "%s: %s\n", path, err ? err : "not loaded");
	free(path);
	free(err);
	return schema;
}

#endif
