/* check.c: the check pipeline shared by validate, check and render. */
#include "check.h"

#include <stdlib.h>

#include <string.h>

#include "calendar.h"
#include "paths.h"
#include "strbuf.h"
#include "xalloc.h"

struct pep_checker {
	pep_check_config cfg;
	pep_schema *schema;
	pep_calendars *cals;
};

/* "FILE:LINE: message" for every problem in the calendars (caller frees). */
static char *calendar_errors(pep_diags **errs, size_t n)
{
	pep_buf b = PEP_BUF_INIT;
	pep_buf_puts(&b, "a calendar file cannot be used:");
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < pep_diags_count(errs[i]); k++) {
			const pep_diag *g = pep_diags_at(errs[i], k);
			char *file = pep_path_shown(pep_diags_file(errs[i]));
			pep_buf_printf(&b, "\n  %s", file);
			free(file);
			if (g->line)
				pep_buf_printf(&b, ":%d", g->line);
			pep_buf_printf(&b, ": [%s] %s", g->rule, g->message);
		}
		pep_diags_free(errs[i]);
	}
	free(errs);
	pep_buf_puts(&b, "\n  (check a calendar with 'pep calendar check FILE'; docs/calendars.md explains the format)");
	return pep_buf_detach(&b);
}

char *pep_known_las(const pep_calendars *cals)
{
	const char *v[64];
	size_t n = cals ? pep_cal_las(cals, v, sizeof v / sizeof v[0] - pep_profiles_count) : 0;
	/* Then the LAs with rules of their own but no calendar; the default
	 * profile (which is last) stands for every other LA. */
	for (size_t p = 0; p < pep_profiles_count; p++) {
		bool seen = false;
		for (size_t i = 0; i < n; i++)
			seen |= strcmp(v[i], pep_profiles[p].code) == 0;
		if (!seen)
			v[n++] = pep_profiles[p].code;
	}
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		pep_buf_printf(&b, "%s%s", i ? ", " : "", v[i]);
	return pep_buf_detach(&b);
}

bool pep_la_known(const pep_calendars *cals, const char *la)
{
	char *known = pep_known_las(cals);
	bool found = false;
	char *save = NULL;
	for (char *t = strtok_r(known, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
		found |= strcmp(t, la) == 0;
	free(known);
	return found;
}

const char *pep_la_name(const pep_calendars *cals, const char *la)
{
	int years[16];
	size_t n = pep_cal_start_years(cals, la, NULL, years, 16);
	pep_cal_info info;
	if (n && pep_cal_info_for(cals, la, NULL, years[n - 1], &info) && info.owner)
		return info.owner;
	return "";
}

pep_checker *pep_checker_new(const pep_check_config *cfg, char **err)
{
	*err = NULL;
	char *xsd = pep_data_file_needed("schemas/pep.xsd", err);
	if (!xsd)
		return NULL;
	pep_checker *c = xcalloc(1, sizeof *c);
	c->cfg = *cfg;
	c->schema = pep_schema_load(xsd, pep_sections, err);
	free(xsd);
	if (!c->schema) {
		pep_checker_free(c);
		return NULL;
	}
	pep_schema_set_hints(c->schema, pep_foreign_formats);
	pep_diags **errs = NULL;
	size_t nerrs = 0;
	c->cals = pep_calendars_load(cfg->calendars, cfg->ncalendars, &errs, &nerrs);
	if (!c->cals) {
		*err = calendar_errors(errs, nerrs);
		pep_checker_free(c);
		return NULL;
	}
	if (cfg->la && !pep_la_known(c->cals, cfg->la)) {
		char *known = pep_known_las(c->cals);
		*err = xasprintf("unknown LA '%s': the known codes are %s (an LA without its own rules or calendar is "
		                 "checked with --la default, or with the code in its documents)",
		                 cfg->la, known);
		free(known);
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
	pep_calendars_free(c->cals);
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

const pep_calendars *pep_checker_calendars(const pep_checker *c)
{
	return c->cals;
}

pep_xml_loader *pep_checker_loader(const pep_checker *c)
{
	pep_xml_loader *l = pep_xml_loader_new(c->schema);
	pep_xml_loader_set_redact(l, c->cfg.redact);
	pep_xml_loader_set_max_size(l, c->cfg.max_size);
	return l;
}

/* The stage and LA every report of c carries. */
static void label(const pep_checker *c, pep_diags *d)
{
	pep_diags_set_stage(d, pep_stage_names[c->cfg.stage]);
	if (c->cfg.la)
		pep_diags_set_la(d, c->cfg.la);
}

pep_load_status pep_check_memory(const pep_checker *c, pep_xml_loader *l, const char *name, const char *buf,
                                 size_t len, pep_diags *d, pep_doc **keep)
{
	pep_doc *doc = NULL;
	if (keep)
		*keep = NULL;
	label(c, d);
	pep_load_status st = pep_doc_load_memory(l, name, buf, len, false, d, &doc);
	if (st != PEP_LOAD_OK)
		return st;
	const pep_model *m = pep_doc_model(doc);
	if (!c->cfg.la && m->header.la.code.s)
		pep_diags_set_la(d, m->header.la.code.s);
	pep_rules_env env = {c->cals, c->cfg.stage, c->cfg.as_of, c->cfg.la, c->cfg.redact};
	pep_rules_run(m, &env, d);
	pep_diags_sort(d);
	if (keep)
		*keep = doc;
	else
		pep_doc_free(doc);
	return st;
}

pep_load_status pep_check_file(const pep_checker *c, pep_xml_loader *l, const char *path, pep_diags *d,
                               pep_doc **keep)
{
	char *buf = NULL;
	size_t len = 0;
	if (keep)
		*keep = NULL;
	label(c, d);
	pep_load_status st = pep_read_file_max(path, pep_xml_loader_max_size(l), d, &buf, &len);
	if (st == PEP_LOAD_UNREADABLE)
		pep_diags_set_unchecked(d, true);
	if (st == PEP_LOAD_OK)
		st = pep_check_memory(c, l, path, buf, len, d, keep);
	free(buf);
	return st;
}
