/* check.c: the check pipeline shared by validate, check and render. */
#include "check.h"

#include <stdlib.h>

#include "paths.h"
#include "xalloc.h"

const char *const pep_stage_names[] = {"draft", "signoff", "upload", NULL};

struct pep_checker {
	pep_check_config cfg;
	pep_schema *schema;
};

pep_checker *pep_checker_new(const pep_check_config *cfg, char **err)
{
	*err = NULL;
	char *xsd = pep_data_file("schemas/pep.xsd");
	if (!xsd) {
		char *dirs = pep_data_dirs();
		*err = xasprintf("cannot find schemas/pep.xsd in %s; reinstall pep, or set PEP_DATADIR to the folder that holds schemas/",
		                 dirs);
		free(dirs);
		return NULL;
	}
	pep_checker *c = xcalloc(1, sizeof *c);
	c->cfg = *cfg;
	c->schema = pep_schema_load(xsd, pep_sections, err);
	free(xsd);
	if (!c->schema) {
		pep_checker_free(c);
		return NULL;
	}
	return c;
}

void pep_checker_free(pep_checker *c)
{
	if (!c)
		return;
	pep_schema_free(c->schema);
	free(c);
}

const pep_check_config *pep_checker_config(const pep_checker *c)
{
	return &c->cfg;
}

const pep_schema *pep_checker_schema(const pep_checker *c)
{
	return c->schema;
}

pep_xml_loader *pep_checker_loader(const pep_checker *c)
{
	return pep_xml_loader_new(c->schema);
}

pep_load_status pep_check_file(const pep_checker *c, pep_xml_loader *l, const char *path, pep_diags *d,
                               pep_doc **keep)
{
	pep_doc *doc = NULL;
	if (keep)
		*keep = NULL;
	pep_diags_set_stage(d, pep_stage_names[c->cfg.stage]);
	if (c->cfg.la)
		pep_diags_set_la(d, c->cfg.la);
	pep_load_status st = pep_doc_load(l, path, false, d, &doc);
	if (st == PEP_LOAD_UNREADABLE)
		pep_diags_set_unchecked(d, true);
	if (st != PEP_LOAD_OK)
		return st;
	const pep_model *m = pep_doc_model(doc);
	if (!c->cfg.la && m->header.la.code.s)
		pep_diags_set_la(d, m->header.la.code.s);
	pep_diags_sort(d);
	if (keep)
		*keep = doc;
	else
		pep_doc_free(doc);
	return st;
}
