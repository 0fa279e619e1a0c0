/* format.c: the table of PEP formats. */
#include "format.h"

#include <string.h>

#include "model.h" /* PEP_NAMESPACE, pep_sections */
#include "strbuf.h"

/* A section map written in a row: PEP_SECTIONS({"childDetails", '1'}, ...).
 * A compound literal outside a function has static storage. */
#define PEP_SECTIONS(...) ((const pep_section_map[]){__VA_ARGS__, {NULL, 0}})
#define PEP_FIELDS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define PEP_FORMS(...) ((const pep_format_form[]){__VA_ARGS__, {NULL, NULL, NULL}})

static const pep_format formats[] = {
#define PEP_FORMAT(name, label, ns, schema, to, from, sections, absent, forms) \
	{name, label, ns, schema, to, from, sections, absent, forms},
#include "format_list.h"
#undef PEP_FORMAT
};
#define NFORMATS (sizeof formats / sizeof formats[0])

static const char *const names[] = {
#define PEP_FORMAT(name, label, ns, schema, to, from, sections, absent, forms) name,
#include "format_list.h"
#undef PEP_FORMAT
	NULL,
};

size_t pep_format_count(void)
{
	return NFORMATS;
}

const pep_format *pep_format_at(size_t i)
{
	return i < NFORMATS ? &formats[i] : NULL;
}

size_t pep_format_index(const pep_format *f)
{
	return (size_t)(f - formats);
}

const pep_format *pep_format_canonical(void)
{
	return &formats[0];
}

bool pep_format_is_canonical(const pep_format *f)
{
	return f == &formats[0];
}

const pep_format *pep_format_named(const char *name)
{
	for (size_t i = 0; name && i < NFORMATS; i++)
		if (strcmp(name, formats[i].name) == 0)
			return &formats[i];
	return NULL;
}

const pep_format *pep_format_of_namespace(const char *ns)
{
	for (size_t i = 0; ns && i < NFORMATS; i++)
		if (strcmp(ns, formats[i].ns) == 0)
			return &formats[i];
	return NULL;
}

const pep_format_form *pep_format_form_of(const pep_format *f, const char *root)
{
	for (const pep_format_form *v = f && root ? f->forms : NULL; v && v->root; v++)
		if (strcmp(v->root, root) == 0)
			return v;
	return NULL;
}

static bool listed(const char *const *list, const char *path)
{
	for (; list && *list; list++)
		if (strcmp(*list, path) == 0)
			return true;
	return false;
}

bool pep_format_lacks(const pep_format *f, const char *root, const char *path)
{
	const pep_format_form *v = pep_format_form_of(f, root);
	return f && (listed(f->absent, path) || (v && listed(v->absent, path)));
}

const char *const *pep_format_names(void)
{
	return names;
}

char *pep_format_name_list(const char *prefix)
{
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < NFORMATS; i++) {
		if (i)
			pep_buf_puts(&b, i + 1 == NFORMATS ? " or " : ", ");
		pep_buf_printf(&b, "%s%s", prefix ? prefix : "", formats[i].name);
	}
	return pep_buf_detach(&b);
}
