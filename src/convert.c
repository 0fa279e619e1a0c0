/* convert.c: PEP formats, locked-down XSLT, and the loss report. */
#include "convert.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libexslt/exslt.h>
#include <libxml/tree.h>
#include <libxml/xmlversion.h>
#include <libxml/xpath.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "model.h"
#include "paths.h"
#include "strbuf.h"
#include "xalloc.h"
#include "xml.h"

/* The most XPath steps one transformation may take. The loss report of a
 * real PEP takes about 20,000; that of a valid but absurd file (200,000
 * repeated elements, all lost) would take minutes, and stops here instead,
 * after a fraction of a second. */
#define PEP_XSLT_OP_LIMIT 20000000UL

/* ------------------------------------------------------------------ */
/* Formats                                                              */
/* ------------------------------------------------------------------ */

/* Sections of Southwark's form, for diagnostics. */
static const pep_section_map southwark_sections[] = {
	{"childDetails", '1'},
	{"meetingSummary", '2'},
	{"schoolInformation", '3'},
	{"schoolUpdate", '3'},
	{"childsView", '4'},
	{NULL, 0},
};

static const struct format_info {
	const char *name, *label, *ns, *schema, *stylesheet; /* the stylesheet from this format */
	const pep_section_map *sections;
} formats[] = {
	[PEP_FORMAT_KENT] = {"kent", "the Kent (canonical) format", PEP_NAMESPACE, "schemas/pep.xsd",
	                     "stylesheets/kent-to-southwark.xsl", pep_sections},
	[PEP_FORMAT_SOUTHWARK] = {"southwark", "Southwark's PEP form", PEP_SOUTHWARK_NAMESPACE, "schemas/southwark.xsd",
	                          "stylesheets/southwark-to-kent.xsl", southwark_sections},
};
#define NFORMATS ((int)(sizeof formats / sizeof formats[0]))

const char *pep_format_name(pep_format f)
{
	return f > PEP_FORMAT_NONE && (int)f < NFORMATS ? formats[f].name : NULL;
}

const char *pep_format_label(pep_format f)
{
	return f > PEP_FORMAT_NONE && (int)f < NFORMATS ? formats[f].label : "an unknown format";
}

pep_format pep_format_from_name(const char *name)
{
	for (int f = 1; f < NFORMATS; f++)
		if (name && strcmp(name, formats[f].name) == 0)
			return (pep_format)f;
	return PEP_FORMAT_NONE;
}

pep_format pep_format_from_namespace(const char *ns)
{
	for (int f = 1; f < NFORMATS; f++)
		if (ns && strcmp(ns, formats[f].ns) == 0)
			return (pep_format)f;
	return PEP_FORMAT_NONE;
}

/* ------------------------------------------------------------------ */
/* libxslt, once per process                                            */
/* ------------------------------------------------------------------ */

static pthread_once_t xslt_once = PTHREAD_ONCE_INIT;
/* Read-only once set: every transformation uses it. */
static xsltSecurityPrefsPtr forbid_all;

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int forbid(xsltSecurityPrefsPtr sec, xsltTransformContextPtr ctxt, const char *value)
{
	(void)sec;
	(void)ctxt;
	(void)value;
	return 0;
}

static void xslt_init(void)
{
	xsltInit();
	exsltRegisterAll(); /* as xsltproc does, so the stylesheets behave the same */
	/* Compilation errors have no context to report to; a stylesheet that
	 * does not compile is reported by its error count. */
	xsltSetGenericErrorFunc(NULL, silent);
	forbid_all = xsltNewSecurityPrefs();
	if (!forbid_all) {
		fprintf(stderr, "pep: out of memory (XSLT security preferences)\n");
		abort();
	}
	static const xsltSecurityOption options[] = {XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE,
	                                             XSLT_SECPREF_CREATE_DIRECTORY, XSLT_SECPREF_READ_NETWORK,
	                                             XSLT_SECPREF_WRITE_NETWORK};
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
		xsltSetSecurityPrefs(forbid_all, options[i], forbid);
	/* Also for xsl:import and xsl:include while compiling. */
	xsltSetDefaultSecurityPrefs(forbid_all);
}

/* ------------------------------------------------------------------ */
/* Stylesheets                                                          */
/* ------------------------------------------------------------------ */

struct pep_stylesheet {
	xsltStylesheetPtr style; /* owns the stylesheet's document */
};

pep_stylesheet *pep_stylesheet_load(const char *path, char **err)
{
	pthread_once(&xslt_once, xslt_init);
	*err = NULL;
	char *buf = NULL;
	size_t len = 0;
	xmlDocPtr doc = NULL;
	pep_stylesheet *s = NULL;
	pep_diags *d = pep_diags_new(path);

	if (pep_read_file(path, d, &buf, &len) != PEP_LOAD_OK || pep_xml_parse(path, buf, len, d, &doc) != PEP_LOAD_OK) {
		const pep_diag *g = pep_diags_at(d, 0);
		*err = xasprintf("%s:%d: %s", path, g ? g->line : 0, g ? g->message : "cannot read the stylesheet");
		goto out;
	}
	xsltStylesheetPtr style = xsltParseStylesheetDoc(doc);
	if (!style || style->errors) {
		*err = xasprintf("%s: not a stylesheet pep can apply (%d errors); reinstall pep",
		                 path, style ? style->errors : 1);
		if (style)
			xsltFreeStylesheet(style); /* frees doc too */
		else
			xmlFreeDoc(doc);
		doc = NULL;
		goto out;
	}
	doc = NULL; /* the stylesheet owns it */
	s = xcalloc(1, sizeof *s);
	s->style = style;
out:
	xmlFreeDoc(doc);
	free(buf);
	pep_diags_free(d);
	return s;
}

void pep_stylesheet_free(pep_stylesheet *s)
{
	if (!s)
		return;
	xsltFreeStylesheet(s->style);
	free(s);
}

/* The first error of a transformation, kept in its buffer. */
static void on_transform_error(void *ctx, const char *msg, ...)
{
	pep_buf *b = ctx;
	if (b->len)
		return;
	va_list ap;
	va_start(ap, msg);
	pep_buf_vprintf(b, msg, ap);
	va_end(ap);
	while (b->len && (b->s[b->len - 1] == '\n' || b->s[b->len - 1] == ' ' || b->s[b->len - 1] == '.'))
		b->s[--b->len] = '\0';
	for (size_t i = 0; i < b->len; i++)
		if ((unsigned char)b->s[i] < 0x20)
			b->s[i] = ' ';
}

struct _xmlDoc *pep_stylesheet_apply(const pep_stylesheet *s, struct _xmlDoc *doc, const char *const *params,
                                     char **err)
{
	*err = NULL;
	pep_buf msg = PEP_BUF_INIT;
	const char **quoted = NULL;
	size_t n = 0;
	while (params && params[n])
		n++;
	/* libxslt takes XPath expressions: quote each value as a string. */
	quoted = xcalloc(n + 1, sizeof *quoted);
	for (size_t i = 0; i < n; i++) {
		if (i % 2 == 0) {
			quoted[i] = xstrdup(params[i]);
		} else if (strchr(params[i], '\'')) {
			quoted[i] = xasprintf("\"%s\"", params[i]);
		} else {
			quoted[i] = xasprintf("'%s'", params[i]);
		}
	}
	xmlDocPtr res = NULL;
	xsltTransformContextPtr t = xsltNewTransformContext(s->style, doc);
	if (!t) {
		*err = xstrdup("cannot start the XSLT transformation (out of memory?)");
		goto out;
	}
	if (xsltSetCtxtSecurityPrefs(forbid_all, t) != 0) {
		*err = xstrdup("cannot lock down the XSLT transformation");
		goto out;
	}
	xsltSetTransformErrorFunc(t, &msg, on_transform_error);
#if LIBXML_VERSION >= 20911
	if (t->xpathCtxt) {
		t->xpathCtxt->opLimit = PEP_XSLT_OP_LIMIT;
		t->xpathCtxt->opCount = 0;
	}
#endif
	res = xsltApplyStylesheetUser(s->style, doc, quoted, NULL, NULL, t);
	bool too_much = false;
#if LIBXML_VERSION >= 20911
	too_much = t->xpathCtxt && t->xpathCtxt->opCount >= t->xpathCtxt->opLimit;
#endif
	if (!res || t->state != XSLT_STATE_OK || msg.len || too_much) {
		if (too_much)
			*err = xstrdup("the document needs too much work to convert: it is far larger or more repetitive than a PEP");
		else
			*err = xasprintf("the stylesheet stopped: %s", msg.len ? pep_buf_str(&msg) : "no result");
		xmlFreeDoc(res);
		res = NULL;
	}
out:
	if (t)
		xsltFreeTransformContext(t);
	for (size_t i = 0; i < n; i++)
		free((char *)quoted[i]);
	free(quoted);
	pep_buf_free(&msg);
	return res;
}

char *pep_stylesheet_serialize(const pep_stylesheet *s, struct _xmlDoc *result, size_t *len)
{
	xmlChar *text = NULL;
	int n = 0;
	if (xsltSaveResultToString(&text, &n, result, s->style) != 0 || n < 0)
		n = 0;
	char *copy = xstrndup(text ? (const char *)text : "", (size_t)n);
	xmlFree(text);
	*len = (size_t)n;
	return copy;
}

/* ------------------------------------------------------------------ */
/* Leaves: the fields of a document, by path                            */
/* ------------------------------------------------------------------ */

/* A field with a value: an element without child elements, or an
 * attribute, whose text is not only white space. The path numbers every
 * step below the root as the stylesheets' reports do:
 * /pep/essentialInformation[1]/care[1]/placement[1], .../description[1]/@words */
typedef struct leaf {
	char *path;
	char *value;
	int line;
} leaf;

typedef struct leaves {
	leaf *v;
	size_t n, cap;
} leaves;

#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

static bool blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static void leaf_add(leaves *l, const char *path, xmlChar *value, int line)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n].path = xstrdup(path);
	l->v[l->n].value = xstrdup(value ? (const char *)value : "");
	l->v[l->n].line = line;
	l->n++;
}

/* Cuts b back to its first len bytes. */
static void cut(pep_buf *b, size_t len)
{
	b->len = len;
	b->s[len] = '\0';
}

static void collect(xmlNodePtr e, pep_buf *path, leaves *l)
{
	int line = (int)xmlGetLineNo(e);
	for (xmlAttrPtr a = e->properties; a; a = a->next) {
		if (a->ns && xmlStrEqual(a->ns->href, BAD_CAST XSI_NS))
			continue;
		xmlChar *v = xmlNodeListGetString(e->doc, a->children, 1);
		if (!blank(v)) {
			size_t keep = path->len;
			pep_buf_printf(path, "/@%s", (const char *)a->name);
			leaf_add(l, pep_buf_str(path), v, line);
			cut(path, keep);
		}
		xmlFree(v);
	}
	bool has_elements = false;
	/* Positions among same-named siblings: a schema-valid element has few
	 * distinct child names, so a short table is enough. */
	struct {
		const xmlChar *name;
		int count;
	} seen[64];
	int nseen = 0;
	for (xmlNodePtr c = e->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		has_elements = true;
		int k = 0;
		while (k < nseen && !xmlStrEqual(seen[k].name, c->name))
			k++;
		if (k == nseen) {
			if (nseen == 64) {
				k = 63; /* cannot happen in a valid document; numbering goes wrong, not memory */
			} else {
				seen[nseen].name = c->name;
				seen[nseen].count = 0;
				nseen++;
			}
		}
		seen[k].count++;
		size_t keep = path->len;
		pep_buf_printf(path, "/%s[%d]", (const char *)c->name, seen[k].count);
		collect(c, path, l);
		cut(path, keep);
	}
	if (!has_elements) {
		xmlChar *v = xmlNodeGetContent(e);
		if (!blank(v))
			leaf_add(l, pep_buf_str(path), v, line);
		xmlFree(v);
	}
}

static int leaf_cmp(const void *a, const void *b)
{
	return strcmp(((const leaf *)a)->path, ((const leaf *)b)->path);
}

/* Every field of doc with a value, sorted by path. */
static void leaves_of(xmlDocPtr doc, leaves *l)
{
	memset(l, 0, sizeof *l);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!root)
		return;
	pep_buf path = PEP_BUF_INIT;
	pep_buf_printf(&path, "/%s", (const char *)root->name);
	collect(root, &path, l);
	pep_buf_free(&path);
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, leaf_cmp);
}

static const leaf *leaf_find(const leaves *l, const char *path)
{
	leaf key = {(char *)path, NULL, 0};
	return l->n ? bsearch(&key, l->v, l->n, sizeof *l->v, leaf_cmp) : NULL;
}

static void leaves_free(leaves *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------------ */
/* Conversions                                                          */
/* ------------------------------------------------------------------ */

typedef struct item {
	pep_convert_item pub;
	char *path; /* lost: where the field is in the input */
} item;

struct pep_conversion {
	pep_format from;
	char *output;
	size_t output_len;
	item *items;
	size_t n, cap;
	size_t lost;
};

pep_format pep_conversion_from(const pep_conversion *cv)
{
	return cv->from;
}

const char *pep_conversion_output(const pep_conversion *cv, size_t *len)
{
	if (len)
		*len = cv->output ? cv->output_len : 0;
	return cv->output;
}

size_t pep_conversion_count(const pep_conversion *cv)
{
	return cv->n;
}

const pep_convert_item *pep_conversion_item(const pep_conversion *cv, size_t i)
{
	return i < cv->n ? &cv->items[i].pub : NULL;
}

size_t pep_conversion_lost(const pep_conversion *cv)
{
	return cv->lost;
}

void pep_conversion_free(pep_conversion *cv)
{
	if (!cv)
		return;
	for (size_t i = 0; i < cv->n; i++) {
		free((char *)cv->items[i].pub.section);
		free((char *)cv->items[i].pub.field);
		free((char *)cv->items[i].pub.text);
		free(cv->items[i].path);
	}
	free(cv->items);
	free(cv->output);
	free(cv);
}

/* An attribute's value (caller frees), "" when absent. */
static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
	char *s = xstrdup(v ? (const char *)v : "");
	xmlFree(v);
	return s;
}

/* Reads the report's lost and missing items into cv, lost ones first.
 * Returns false when the report is not one. */
static bool read_report(xmlDocPtr report, pep_conversion *cv)
{
	xmlNodePtr root = xmlDocGetRootElement(report);
	if (!root || !root->ns || !xmlStrEqual(root->ns->href, BAD_CAST PEP_REPORT_NAMESPACE) ||
	    !xmlStrEqual(root->name, BAD_CAST "conversionReport"))
		return false;
	for (int pass = 0; pass < 2; pass++) {
		const char *want = pass == 0 ? "lost" : "missing";
		for (xmlNodePtr n = root->children; n; n = n->next) {
			if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST want))
				continue;
			if (cv->n == cv->cap) {
				cv->cap = cv->cap ? cv->cap * 2 : 32;
				cv->items = xrealloc(cv->items, cv->cap * sizeof *cv->items);
			}
			item *it = &cv->items[cv->n++];
			memset(it, 0, sizeof *it);
			it->pub.kind = pass == 0 ? PEP_ITEM_LOST : PEP_ITEM_MISSING;
			it->pub.section = attr(n, "section");
			it->pub.field = attr(n, "field");
			it->pub.text = attr(n, pass == 0 ? "value" : "reason");
			it->path = pass == 0 ? attr(n, "path") : NULL;
			if (pass == 0)
				cv->lost++;
		}
	}
	return true;
}

struct pep_converter {
	pep_schema *schema[NFORMATS];
	pep_xml_loader *loader[NFORMATS];
	pep_stylesheet *sheet[NFORMATS]; /* indexed by the format converted from */
};

pep_converter *pep_converter_new(char **err)
{
	*err = NULL;
	pep_converter *c = xcalloc(1, sizeof *c);
	for (int f = 1; f < NFORMATS && !*err; f++) {
		const char *need[2] = {formats[f].schema, formats[f].stylesheet};
		char *path[2] = {NULL, NULL};
		for (int i = 0; i < 2 && !*err; i++) {
			path[i] = pep_data_file(need[i]);
			if (!path[i]) {
				char *dirs = pep_data_dirs();
				*err = xasprintf("cannot find %s in %s; reinstall pep, or set PEP_DATADIR to the folder that holds it",
				                 need[i], dirs);
				free(dirs);
			}
		}
		if (!*err) {
			c->schema[f] = pep_schema_load(path[0], formats[f].sections, err);
			if (c->schema[f]) {
				c->loader[f] = pep_xml_loader_new(c->schema[f]);
				c->sheet[f] = pep_stylesheet_load(path[1], err);
			}
		}
		free(path[0]);
		free(path[1]);
	}
	if (*err) {
		pep_converter_free(c);
		return NULL;
	}
	return c;
}

void pep_converter_free(pep_converter *c)
{
	if (!c)
		return;
	for (int f = 0; f < NFORMATS; f++) {
		pep_stylesheet_free(c->sheet[f]);
		pep_xml_loader_free(c->loader[f]);
		pep_schema_free(c->schema[f]);
	}
	free(c);
}

/* "lost: ... (line N)": the line of each lost field, from its path. */
static void find_lines(pep_conversion *cv, const leaves *in)
{
	for (size_t i = 0; i < cv->n; i++) {
		item *it = &cv->items[i];
		const leaf *f = it->path ? leaf_find(in, it->path) : NULL;
		it->pub.line = f ? f->line : 0;
	}
}

/* True when path is reported lost. lost[0..n) is sorted. */
static bool reported(char *const *lost, size_t n, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(lost[mid], path);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every field of the input with a value must come back, at the same place
 * with the same value, from the target format, unless it is reported lost.
 * Returns the first field that does not (borrowed from in), or NULL. */
static const leaf *unreported_loss(const pep_conversion *cv, const leaves *in, const leaves *back)
{
	char **lost = xcalloc(cv->lost + 1, sizeof *lost);
	size_t n = 0;
	for (size_t i = 0; i < cv->n; i++)
		if (cv->items[i].path)
			lost[n++] = cv->items[i].path;
	if (n)
		qsort(lost, n, sizeof *lost, str_cmp);
	const leaf *bad = NULL;
	for (size_t i = 0; i < in->n && !bad; i++) {
		const leaf *b = leaf_find(back, in->v[i].path);
		if ((!b || strcmp(b->value, in->v[i].value) != 0) && !reported(lost, n, in->v[i].path))
			bad = &in->v[i];
	}
	free(lost);
	return bad;
}

/* Adds each diagnostic of from to d as "the <target> made from it ..." with
 * no line (the lines are the result's, which nobody sees). */
static void add_output_diags(pep_diags *d, const pep_diags *from, pep_format to)
{
	for (size_t i = 0; i < pep_diags_count(from); i++) {
		const pep_diag *g = pep_diags_at(from, i);
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "the PEP in %s made from this file would not be valid, so nothing is written: %s",
		              pep_format_label(to), g->message);
	}
}

pep_convert_status pep_convert_file(pep_converter *c, const char *path, pep_format to, pep_diags *d,
                                    pep_conversion **out)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	pep_load_status ls = pep_read_file(path, d, &buf, &len);
	if (ls != PEP_LOAD_OK)
		return ls == PEP_LOAD_UNREADABLE ? PEP_CONVERT_UNREADABLE : PEP_CONVERT_INVALID;
	pep_convert_status st = pep_convert_memory(c, path, buf, len, to, d, out);
	free(buf);
	return st;
}

pep_convert_status pep_convert_memory(pep_converter *c, const char *path, const char *buf, size_t len, pep_format to,
                                      pep_diags *d, pep_conversion **out)
{
	pep_convert_status st = PEP_CONVERT_INVALID;
	char *err = NULL, *bytes = NULL;
	size_t nbytes = 0;
	xmlDocPtr in = NULL, result = NULL, report = NULL, written = NULL, back = NULL;
	pep_conversion *cv = NULL;
	pep_diags *od = NULL;
	leaves lin = {0}, lback = {0};
	*out = NULL;

	if (pep_xml_parse(path, buf, len, d, &in) != PEP_LOAD_OK)
		goto out;
	xmlNodePtr root = xmlDocGetRootElement(in);
	const char *ns = pep_xml_root_namespace(in);
	pep_format from = pep_format_from_namespace(ns);
	if (from == PEP_FORMAT_NONE) {
		pep_diags_add(d, "XSD", PEP_ERROR, 0, root ? (int)xmlGetLineNo(root) : 0,
		              "the root element <%s> is in %s%s%s: pep converts the Kent (canonical) format, namespace \"%s\", "
		              "and Southwark's PEP form, namespace \"%s\"; check the xmlns declaration",
		              root ? (const char *)root->name : "?", *ns ? "namespace \"" : "no namespace", ns, *ns ? "\"" : "",
		              PEP_NAMESPACE, PEP_SOUTHWARK_NAMESPACE);
		goto out;
	}
	if (from == to) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "the file is already in %s (namespace \"%s\"): there is nothing to convert",
		              pep_format_label(from), ns);
		st = PEP_CONVERT_SAME_FORMAT;
		goto out;
	}
	if (!pep_xml_validate(c->loader[from], in, d))
		goto out;

	/* The conversion, and the report from the same stylesheet. */
	st = PEP_CONVERT_FAILED;
	const pep_stylesheet *sheet = c->sheet[from];
	const char *const report_params[] = {"report", "losses", NULL};
	result = pep_stylesheet_apply(sheet, in, NULL, &err);
	if (result)
		report = pep_stylesheet_apply(sheet, in, report_params, &err);
	if (!result || !report) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "%s", err);
		goto out;
	}
	cv = xcalloc(1, sizeof *cv);
	cv->from = from;
	if (!read_report(report, cv)) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "%s gave no loss report; reinstall pep", formats[from].stylesheet);
		goto out;
	}
	leaves_of(in, &lin);
	find_lines(cv, &lin);

	/* What is written is what was validated: the bytes themselves. */
	bytes = pep_stylesheet_serialize(sheet, result, &nbytes);
	od = pep_diags_new(path);
	if (pep_xml_load(c->loader[to], path, bytes, nbytes, od, &written) != PEP_LOAD_OK) {
		add_output_diags(d, od, to);
		st = PEP_CONVERT_OUTPUT_INVALID;
		*out = cv;
		cv = NULL;
		goto out;
	}

	/* Converting back must give every field not reported lost. */
	back = pep_stylesheet_apply(c->sheet[to], written, NULL, &err);
	if (!back) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "converting the result back to check it failed: %s", err);
		goto out;
	}
	leaves_of(back, &lback);
	const leaf *bad = unreported_loss(cv, &lin, &lback);
	if (bad) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, bad->line,
		              "the conversion would lose %s without reporting it, so nothing is written; this is a fault in %s: please report it",
		              bad->path, formats[from].stylesheet);
		goto out;
	}
	cv->output = bytes;
	cv->output_len = nbytes;
	bytes = NULL;
	*out = cv;
	cv = NULL;
	st = PEP_CONVERT_OK;
out:
	leaves_free(&lin);
	leaves_free(&lback);
	pep_diags_free(od);
	pep_conversion_free(cv);
	pep_xml_free(back);
	pep_xml_free(written);
	pep_xml_free(report);
	pep_xml_free(result);
	pep_xml_free(in);
	free(bytes);
	free(err);
	return st;
}

/* ------------------------------------------------------------------ */
/* Report lines                                                         */
/* ------------------------------------------------------------------ */

/* s with control characters (C0, DEL and C1, which a terminal may obey)
 * shown as '?'. */
static void put_clean(pep_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			pep_buf_putc(b, '?');
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			pep_buf_putc(b, '?');
			p++;
		} else
			pep_buf_putc(b, (char)*p);
	}
}

char *pep_convert_item_line(const pep_convert_item *it)
{
	pep_buf b = PEP_BUF_INIT;
	pep_buf_puts(&b, it->kind == PEP_ITEM_LOST ? "lost: " : "missing: ");
	put_clean(&b, it->section);
	pep_buf_putc(&b, ' ');
	put_clean(&b, it->field);
	if (it->kind == PEP_ITEM_LOST) {
		if (it->line > 0)
			pep_buf_printf(&b, " (line %d)", it->line);
		pep_buf_puts(&b, ": \"");
		put_clean(&b, it->text);
		pep_buf_putc(&b, '"');
	} else {
		pep_buf_puts(&b, ": ");
		put_clean(&b, it->text);
	}
	return pep_buf_detach(&b);
}
