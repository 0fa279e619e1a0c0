/* check.c: the check pipeline shared by every command that reads a PEP. */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "calendar.h"
#include "paths.h"
#include "strbuf.h"
#include "xalloc.h"

struct pep_checker {
	pep_check_config cfg;
	pep_converter *conv; /* every format's schema and stylesheets */
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
	pep_checker *c = pep_xcalloc(1, sizeof *c);
	c->cfg = *cfg;
	c->conv = pep_converter_new(err);
	if (!c->conv) {
		pep_checker_free(c);
		return NULL;
	}
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
		*err = pep_xasprintf("unknown LA '%s': the known codes are %s (an LA without its own rules or calendar is "
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
	pep_converter_free(c->conv);
	pep_calendars_free(c->cals);
	free(c);
}

const pep_check_config *pep_checker_config(const pep_checker *c)
{
	return &c->cfg;
}

const pep_schema *pep_checker_schema(const pep_checker *c)
{
	return pep_converter_schema(c->conv, pep_format_canonical());
}

const pep_converter *pep_checker_converter(const pep_checker *c)
{
	return c->conv;
}

const pep_calendars *pep_checker_calendars(const pep_checker *c)
{
	return c->cals;
}

void pep_checker_env(const pep_checker *c, pep_rules_env *env)
{
	*env = (pep_rules_env){c->cals, c->cfg.stage, c->cfg.as_of, c->cfg.la, c->cfg.redact, NULL, false};
}

pep_xml_loader *pep_checker_loader(const pep_checker *c)
{
	pep_xml_loader *l = pep_xml_loader_new(pep_checker_schema(c));
	pep_xml_loader_set_redact(l, c->cfg.redact);
	pep_xml_loader_set_max_size(l, c->cfg.max_size);
	return l;
}

/* Where a file in another format came from: its format, and where each
 * section of its form starts, to give the rules' diagnostics the file's own
 * sections; and the canonical fields its form has no place for. */
#define MAX_ABSENT 16
typedef struct source {
	const pep_format *format;
	struct {
		int line;
		char section; /* 0: a part without a section (the form, the carried block) */
	} parts[16];
	size_t nparts;
	const char *absent[MAX_ABSENT + 1]; /* NULL-terminated, from the format table */
} source;

/* True when n, or an element below it, holds a value: text that is not
 * only white space, or an attribute. */
static bool holds_value(const xmlNode *n)
{
	if (n->properties)
		return true;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && holds_value(c))
			return true;
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			for (const xmlChar *p = c->content; *p; p++)
				if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
					return true;
	}
	return false;
}

/* True when an element at path (local names, '/'-separated) below n holds
 * a value. */
static bool value_at(const xmlNode *n, const char *path)
{
	const char *slash = strchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : strlen(path);
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strlen((const char *)c->name) == len &&
		    memcmp(c->name, path, len) == 0 && (slash ? value_at(c, slash + 1) : holds_value(c)))
			return true;
	return false;
}

/* The canonical fields the form of the file (root: its root element) has
 * no place for, and canon (what it was converted to) holds no value for:
 * none was carried from another form. */
static void source_absent(source *src, const char *root, xmlDocPtr canon)
{
	size_t n = 0;
	const pep_format_form *form = pep_format_form_of(src->format, root);
	const char *const *lists[2] = {src->format->absent, form ? form->absent : NULL};
	xmlNodePtr top = xmlDocGetRootElement(canon);
	for (size_t k = 0; k < 2; k++)
		for (const char *const *a = lists[k]; a && *a && n < MAX_ABSENT; a++)
			if (!top || !value_at(top, *a))
				src->absent[n++] = *a;
	src->absent[n] = NULL;
}

static void source_parts(source *src, xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	src->nparts = 0;
	for (xmlNodePtr n = root ? root->children : NULL; n && src->nparts < 16; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		char sec = 0;
		for (const pep_section_map *m = src->format->sections; m && m->element; m++)
			if (xmlStrEqual(n->name, BAD_CAST m->element))
				sec = m->section;
		src->parts[src->nparts].line = (int)xmlGetLineNo(n);
		src->parts[src->nparts].section = sec;
		src->nparts++;
	}
}

/* The section of the file's form that holds line (0 when none). */
static char source_section(const source *src, int line)
{
	char sec = 0;
	for (size_t i = 0; line > 0 && i < src->nparts && src->parts[i].line <= line; i++)
		sec = src->parts[i].section;
	return sec;
}

static pep_load_status load(const pep_checker *c, pep_xml_loader *l, const char *name, const char *buf, size_t len,
                            bool keep_xml, pep_diags *d, pep_doc **out, source *src)
{
	xmlDocPtr x = NULL;
	pep_xml_commented commented[PEP_MODEL_COMMENTED];
	size_t ncommented = 0;
	*out = NULL;
	src->format = NULL;
	src->absent[0] = NULL;
	/* The model reads values only: a document not kept is read without
	 * blank text (xml.h). */
	pep_xml_loader_set_drop_blanks(l, !keep_xml);
	if (pep_xml_loader_parse(l, name, buf, len, d, &x) != PEP_LOAD_OK)
		return PEP_LOAD_INVALID;
	const pep_format *f = pep_format_of_namespace(pep_xml_root_namespace(x));
	pep_diags_set_format(d, f ? f->name : NULL);
	if (!f || pep_format_is_canonical(f)) {
		/* An unknown namespace: the canonical schema says what is expected. */
		if (!pep_xml_loader_validate(l, name, buf, len, &x, d)) {
			pep_xml_free(x);
			return PEP_LOAD_INVALID;
		}
		ncommented = pep_xml_commented_values(x, pep_checker_schema(c), commented, PEP_MODEL_COMMENTED);
	} else {
		if (!keep_xml) {
			/* Another format is transformed: read it as it is. */
			pep_xml_free(x);
			x = NULL;
			pep_xml_loader_set_drop_blanks(l, false);
			if (pep_xml_loader_parse(l, name, buf, len, d, &x) != PEP_LOAD_OK)
				return PEP_LOAD_INVALID;
		}
		if (pep_converter_error(c->conv, f)) {
			/* The installation's fault, not the file's: not checked, as a file
			 * that cannot be read (validate exits 2; check reports it and goes on). */
			pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "pep cannot read %s: %s", f->label, pep_converter_error(c->conv, f));
			pep_diags_set_unchecked(d, true);
			pep_xml_free(x);
			return PEP_LOAD_UNREADABLE;
		}
		pep_xml_loader *own = pep_xml_loader_new(pep_converter_schema(c->conv, f));
		pep_xml_loader_set_redact(own, c->cfg.redact);
		bool valid = pep_xml_validate(own, x, d);
		pep_xml_loader_free(own);
		xmlDocPtr canon = valid ? pep_convert_to_canonical(c->conv, f, x, l, d) : NULL;
		src->format = f;
		source_parts(src, x);
		if (canon) {
			source_absent(src, (const char *)xmlDocGetRootElement(x)->name, canon);
			/* The comments are the file's: the canonical document has none. */
			ncommented = pep_xml_commented_values(x, pep_converter_schema(c->conv, f), commented, PEP_MODEL_COMMENTED);
		}
		pep_xml_free(x);
		if (!canon)
			return PEP_LOAD_INVALID;
		x = canon;
	}
	*out = pep_doc_from_xml(x, keep_xml);
	pep_doc_set_commented(*out, commented, ncommented);
	return PEP_LOAD_OK;
}

pep_load_status pep_checker_load_memory(const pep_checker *c, pep_xml_loader *l, const char *name, const char *buf,
                                        size_t len, bool keep_xml, pep_diags *d, pep_doc **out)
{
	source src;
	return load(c, l, name, buf, len, keep_xml, d, out, &src);
}

pep_load_status pep_checker_load(const pep_checker *c, pep_xml_loader *l, const char *path, bool keep_xml,
                                 pep_diags *d, pep_doc **out)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	pep_load_status st = pep_read_file_max(path, pep_xml_loader_max_size(l), d, &buf, &len);
	if (st == PEP_LOAD_OK)
		st = pep_checker_load_memory(c, l, path, buf, len, keep_xml, d, out);
	free(buf);
	return st;
}

/* Runs the rules on the loaded document. A file in another format gets
 * them in its own sections, saying which form it is on. */
static void judge(const pep_checker *c, const pep_doc *doc, const source *src, pep_diags *d)
{
	const pep_model *m = pep_doc_model(doc);
	if (!c->cfg.la && m->header.la.code.s)
		pep_diags_set_la(d, m->header.la.code.s);
	pep_rules_env env;
	pep_checker_env(c, &env);
	env.absent = src->absent;
	env.field_words = src->format != NULL; /* the form's paths are not the canonical format's */
	if (!src->format) {
		pep_rules_run(m, &env, d);
	} else {
		pep_diags *r = pep_diags_new(pep_diags_file(d));
		pep_rules_run(m, &env, r);
		for (size_t i = 0; i < pep_diags_count(r); i++) {
			const pep_diag *g = pep_diags_at(r, i);
			char sec = source_section(src, g->line);
			if (sec)
				pep_diags_add(d, g->rule, g->severity, sec, g->line, "%s (on %s, section %c)", g->message,
				              src->format->label, sec);
			else
				pep_diags_add(d, g->rule, g->severity, 0, g->line, "%s (on %s)", g->message, src->format->label);
		}
		pep_diags_free(r);
	}
	pep_diags_sort(d);
}

static pep_load_status check(const pep_checker *c, pep_xml_loader *l, const char *name, const char *buf, size_t len,
                             pep_diags *d, pep_doc **keep)
{
	pep_doc *doc = NULL;
	source src;
	pep_load_status st = load(c, l, name, buf, len, false, d, &doc, &src);
	if (st != PEP_LOAD_OK)
		return st;
	judge(c, doc, &src, d);
	if (keep)
		*keep = doc;
	else
		pep_doc_free(doc);
	return st;
}

/* The LA and stage every check reports. */
static void start(const pep_checker *c, pep_diags *d, pep_doc **keep)
{
	if (keep)
		*keep = NULL;
	pep_diags_set_stage(d, pep_stage_names[c->cfg.stage]);
	if (c->cfg.la)
		pep_diags_set_la(d, c->cfg.la);
}

pep_load_status pep_check_memory(const pep_checker *c, pep_xml_loader *l, const char *name, const char *buf,
                                 size_t len, pep_diags *d, pep_doc **keep)
{
	start(c, d, keep);
	return check(c, l, name, buf, len, d, keep);
}

pep_load_status pep_check_file(const pep_checker *c, pep_xml_loader *l, const char *path, pep_diags *d,
                               pep_doc **keep)
{
	start(c, d, keep);
	char *buf = NULL;
	size_t len = 0;
	pep_load_status st = pep_read_file_max(path, pep_xml_loader_max_size(l), d, &buf, &len);
	if (st == PEP_LOAD_UNREADABLE)
		pep_diags_set_unchecked(d, true);
	if (st == PEP_LOAD_OK)
		st = check(c, l, path, buf, len, d, keep);
	free(buf);
	return st;
}
