/* convert.c: locked-down XSLT, converting between formats, and the loss report. */
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
		*err = pep_xasprintf("%s:%d: %s", path, g ? g->line : 0, g ? g->message : "cannot read the stylesheet");
		goto out;
	}
	xsltStylesheetPtr style = xsltParseStylesheetDoc(doc);
	if (!style || style->errors) {
		*err = pep_xasprintf("%s: not a stylesheet pep can apply (%d errors); reinstall pep",
		                 path, style ? style->errors : 1);
		if (style)
			xsltFreeStylesheet(style); /* frees doc too */
		else
			xmlFreeDoc(doc);
		doc = NULL;
		goto out;
	}
	doc = NULL; /* the stylesheet owns it */
	s = pep_xcalloc(1, sizeof *s);
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
	quoted = pep_xcalloc(n + 1, sizeof *quoted);
	for (size_t i = 0; i < n; i++) {
		if (i % 2 == 0) {
			quoted[i] = pep_xstrdup(params[i]);
		} else if (strchr(params[i], '\'')) {
			quoted[i] = pep_xasprintf("\"%s\"", params[i]);
		} else {
			quoted[i] = pep_xasprintf("'%s'", params[i]);
		}
	}
	xmlDocPtr res = NULL;
	xsltTransformContextPtr t = xsltNewTransformContext(s->style, doc);
	if (!t) {
		*err = pep_xstrdup("cannot start the XSLT transformation (out of memory?)");
		goto out;
	}
	if (xsltSetCtxtSecurityPrefs(forbid_all, t) != 0) {
		*err = pep_xstrdup("cannot lock down the XSLT transformation");
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
			*err = pep_xstrdup("the document needs too much work to convert: it is far larger or more repetitive than a PEP");
		else
			*err = pep_xasprintf("the stylesheet stopped: %s", msg.len ? pep_buf_str(&msg) : "no result");
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
	char *copy = pep_xstrndup(text ? (const char *)text : "", (size_t)n);
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
		l->v = pep_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n].path = pep_xstrdup(path);
	l->v[l->n].value = pep_xstrdup(value ? (const char *)value : "");
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
		if (a->ns && (xmlStrEqual(a->ns->href, BAD_CAST XSI_NS) || xmlStrEqual(a->ns->href, BAD_CAST PEP_LINE_NAMESPACE)))
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

/* The first field at path or below it (in path order), or NULL. */
static const leaf *leaf_at_or_below(const leaves *l, const char *path)
{
	size_t lo = 0, hi = l->n, len = strlen(path);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(l->v[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->n && strncmp(l->v[lo].path, path, len) == 0 && (l->v[lo].path[len] == '\0' || l->v[lo].path[len] == '/'))
		return &l->v[lo];
	return NULL;
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
/* Lines through a conversion                                           */
/* ------------------------------------------------------------------ */

/* Gives every element below n the attribute l:line (PEP_LINE_NAMESPACE)
 * holding its line, which the stylesheets to the canonical format copy to
 * the element they make from it. */
static void annotate(xmlNodePtr n, xmlNsPtr ns)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		char v[24];
		snprintf(v, sizeof v, "%ld", xmlGetLineNo(n));
		xmlSetNsProp(n, ns, BAD_CAST "line", BAD_CAST v);
		annotate(n->children, ns);
	}
}

static bool in_line_namespace(xmlAttrPtr a)
{
	return a->ns && a->ns->href && xmlStrEqual(a->ns->href, BAD_CAST PEP_LINE_NAMESPACE);
}

/* Removes the attributes (l:line, and the root's l:unrestored) and the
 * namespace declarations of PEP_LINE_NAMESPACE below n; with set_lines,
 * each element's line becomes its l:line, or its parent's (parent_line) when
 * it has none. Children first: their attributes may use a declaration of
 * their ancestors. */
static void unannotate(xmlNodePtr n, bool set_lines, int parent_line)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		int line = parent_line;
		xmlAttrPtr mine = NULL;
		for (xmlAttrPtr a = n->properties; a && !mine; a = a->next)
			if (in_line_namespace(a) && xmlStrEqual(a->name, BAD_CAST "line"))
				mine = a;
		if (mine) {
			xmlChar *v = xmlNodeListGetString(n->doc, mine->children, 1);
			char *end = NULL;
			long l = v ? strtol((const char *)v, &end, 10) : 0;
			if (v && end && *end == '\0' && l >= 0 && l < 65535)
				line = (int)l;
			xmlFree(v);
		}
		unannotate(n->children, set_lines, line);
		for (xmlAttrPtr a = n->properties, next; a; a = next) {
			next = a->next;
			if (in_line_namespace(a))
				xmlRemoveProp(a);
		}
		for (xmlNsPtr *p = &n->nsDef; *p;) {
			if ((*p)->href && xmlStrEqual((*p)->href, BAD_CAST PEP_LINE_NAMESPACE)) {
				xmlNsPtr dead = *p;
				*p = dead->next;
				dead->next = NULL;
				xmlFreeNs(dead);
			} else {
				p = &(*p)->next;
			}
		}
		if (set_lines)
			n->line = (unsigned short)line; /* 0 past 65,534: libxml2 reads 65535 as "look below" */
	}
}

/* ------------------------------------------------------------------ */
/* Conversions                                                          */
/* ------------------------------------------------------------------ */

typedef struct item {
	pep_convert_item pub;
	char *path;      /* lost: where the field is in the step's input */
	char *unit;      /* lost: the part it belongs to (the stylesheet's unit) */
	char *advice;    /* lost: what to do, or NULL */
	char *why;       /* unrestored: why it is not put back (the stylesheet's verdict), or NULL */
	char *claimed;   /* unrestored: the carried item's path below the canonical root, as the block says ("" unrecognised) */
	bool carried;    /* lost: in the carried block */
	bool unrestored; /* lost: in the input's carried block, and not put back */
	size_t step;     /* 0 or 1: the step of the conversion it comes from */
} item;

typedef struct group {
	pep_convert_group pub;
	char *key;                /* the unit's path without positions ("" for an unrecognised carried item) */
	const char *why;          /* unrestored: its items' verdict (borrowed from the first) */
	char **units;             /* the occurrences' unit paths */
	int *lines;               /* [2 * occurrences] */
	size_t cap;
} group;

struct pep_conversion {
	const pep_format *from, *to;
	char *output;
	size_t output_len;
	item *items;
	size_t n, cap;
	size_t lost, carried;
	size_t restored;   /* values put back from the input's carried block */
	size_t unrestored; /* lost items that are values of the input's carried block not put back */
	group *groups;
	size_t ngroups;
};

const pep_format *pep_conversion_from(const pep_conversion *cv)
{
	return cv->from;
}

const pep_format *pep_conversion_to(const pep_conversion *cv)
{
	return cv->to;
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

size_t pep_conversion_carried(const pep_conversion *cv)
{
	return cv->carried;
}

size_t pep_conversion_unrestored(const pep_conversion *cv)
{
	return cv->unrestored;
}

size_t pep_conversion_groups(const pep_conversion *cv)
{
	return cv->ngroups;
}

const pep_convert_group *pep_conversion_group(const pep_conversion *cv, size_t i)
{
	return i < cv->ngroups ? &cv->groups[i].pub : NULL;
}

void pep_conversion_free(pep_conversion *cv)
{
	if (!cv)
		return;
	for (size_t i = 0; i < cv->n; i++) {
		item *it = &cv->items[i];
		free((char *)it->pub.section);
		free((char *)it->pub.field);
		free((char *)it->pub.text);
		free((char *)it->pub.label);
		free(it->path);
		free(it->unit);
		free(it->advice);
		free(it->why);
		free(it->claimed);
	}
	for (size_t g = 0; g < cv->ngroups; g++) {
		group *gr = &cv->groups[g];
		free((char *)gr->pub.section);
		free((char *)gr->pub.label);
		free((char *)gr->pub.element);
		free(gr->key);
		for (size_t k = 0; k < gr->pub.occurrences; k++)
			free(gr->units[k]);
		free(gr->units);
		free(gr->lines);
	}
	free(cv->groups);
	free(cv->items);
	free(cv->output);
	free(cv);
}

/* An attribute's value (caller frees): "" when absent, or NULL with or_null. */
static char *attr(xmlNodePtr n, const char *name, bool or_null)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
	char *s = v || !or_null ? pep_xstrdup(v ? (const char *)v : "") : NULL;
	xmlFree(v);
	return s;
}

static item *new_item(pep_conversion *cv)
{
	if (cv->n == cv->cap) {
		cv->cap = cv->cap ? cv->cap * 2 : 32;
		cv->items = pep_xrealloc(cv->items, cv->cap * sizeof *cv->items);
	}
	item *it = &cv->items[cv->n++];
	memset(it, 0, sizeof *it);
	return it;
}

/* Reads the report of one step (its lost items, carried or not, and its
 * missing ones) into cv. Returns false when the report is not one. */
static bool read_report(xmlDocPtr report, pep_conversion *cv, size_t step, bool carried)
{
	xmlNodePtr root = xmlDocGetRootElement(report);
	if (!root || !root->ns || !xmlStrEqual(root->ns->href, BAD_CAST PEP_REPORT_NAMESPACE) ||
	    !xmlStrEqual(root->name, BAD_CAST "conversionReport"))
		return false;
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		bool lost = xmlStrEqual(n->name, BAD_CAST "lost");
		if (!lost && !xmlStrEqual(n->name, BAD_CAST "missing"))
			continue;
		item *it = new_item(cv);
		it->step = step;
		it->pub.kind = lost ? PEP_ITEM_LOST : PEP_ITEM_MISSING;
		it->pub.section = attr(n, "section", false);
		it->pub.field = attr(n, "field", false);
		it->pub.text = attr(n, lost ? "value" : "reason", false);
		if (lost) {
			it->path = attr(n, "path", false);
			it->unit = attr(n, "unit", false);
			it->advice = attr(n, "advice", true);
			it->why = attr(n, "why", true);
			it->claimed = attr(n, "item", false);
			it->unrestored = strcmp(it->pub.section, "carriedBlock") == 0;
			/* What the stylesheet could not put back from a carried block is lost for good. */
			it->carried = carried;
		}
	}
	return true;
}

/* Orders the items: lost ones first (keeping their order), then missing. */
static void lost_first(pep_conversion *cv)
{
	item *v = pep_xcalloc(cv->n ? cv->n : 1, sizeof *v);
	size_t k = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < cv->n; i++)
			if ((cv->items[i].pub.kind == PEP_ITEM_LOST) == (pass == 0))
				v[k++] = cv->items[i];
	free(cv->items);
	cv->items = v;
	cv->cap = cv->n ? cv->n : 1;
	cv->lost = cv->carried = cv->unrestored = 0;
	for (size_t i = 0; i < cv->n; i++)
		if (cv->items[i].pub.kind == PEP_ITEM_LOST) {
			cv->lost++;
			cv->carried += cv->items[i].carried;
			cv->unrestored += cv->items[i].unrestored;
		}
}

/* ------------------------------------------------------------------ */
/* What a carried block could not put back                              */
/* ------------------------------------------------------------------ */

/* What the report says of a carried item pep does not recognise (it is
 * never quoted: it came from a block someone may have edited by hand). */
#define UNRECOGNISED_ADVICE "pep does not write the carried block this way (was it edited by hand?): nothing of it was put back"

static bool ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* True when field ("pepMeeting[1]/targets[1]/target[2]/description[1]/@words")
 * is a path below the canonical root of names the canonical schema
 * declares: a path kent-to-southwark.xsl could have written. */
static bool carried_field_known(const pep_schema *canonical, const char *field)
{
	const char *p = field;
	for (;;) {
		bool is_attr = *p == '@';
		p += is_attr;
		const char *start = p;
		if (!ascii_alpha(*p))
			return false;
		while (ascii_alpha(*p) || ascii_digit(*p))
			p++;
		if (p - start > 64)
			return false;
		char name[80];
		snprintf(name, sizeof name, "%s%.*s", is_attr ? "@" : "", (int)(p - start), start);
		if (!pep_schema_declares(canonical, name))
			return false;
		if (*p == '[' && !is_attr) {
			if (!ascii_digit(*++p))
				return false;
			while (ascii_digit(*p))
				p++;
			if (*p++ != ']')
				return false;
		}
		if (*p == '\0')
			return true;
		if (*p != '/' || is_attr)
			return false;
		p++;
	}
}

/* Each item of the input's carried block that was not put back, named in
 * the canonical format's words: its section is that of the path it names
 * (A-D, header, ...). An item whose path pep would not have written is an
 * unrecognised carried item, with no field: nothing it says is shown. */
static void name_unrestored(pep_conversion *cv, const pep_schema *canonical)
{
	const pep_section_map *sections = pep_format_canonical()->sections;
	for (size_t i = 0; i < cv->n; i++) {
		item *it = &cv->items[i];
		if (!it->unrestored)
			continue;
		if (!it->claimed[0]) {
			free(it->claimed);
			it->claimed = pep_xstrdup(it->pub.field);
		}
		bool known = !(it->why && strcmp(it->why, "unrecognised") == 0) && carried_field_known(canonical, it->claimed) &&
		             carried_field_known(canonical, it->pub.field);
		free((char *)it->pub.section);
		if (!known) {
			it->pub.section = pep_xstrdup("");
			free((char *)it->pub.field);
			it->pub.field = pep_xstrdup("");
			free(it->claimed);
			it->claimed = pep_xstrdup("");
			free(it->advice);
			it->advice = pep_xstrdup(UNRECOGNISED_ADVICE);
			free(it->why);
			it->why = pep_xstrdup("unrecognised");
			continue;
		}
		size_t top = strcspn(it->claimed, "[/");
		it->pub.section = pep_xasprintf("%.*s", (int)top, it->claimed);
		for (const pep_section_map *m = sections; m && m->element; m++)
			if (strlen(m->element) == top && strncmp(m->element, it->claimed, top) == 0) {
				free((char *)it->pub.section);
				it->pub.section = pep_xasprintf("%c", m->section);
				break;
			}
	}
}

/* ------------------------------------------------------------------ */
/* Groups: the lost fields as the form names them                        */
/* ------------------------------------------------------------------ */

/* path without its positions: /pep/header[1]/stateHistory[1] -> /pep/header/stateHistory */
static char *no_positions(const char *path)
{
	pep_buf b = PEP_BUF_INIT;
	for (const char *p = path; *p; p++) {
		if (*p == '[') {
			while (*p && *p != ']')
				p++;
			if (!*p)
				break;
			continue;
		}
		pep_buf_putc(&b, *p);
	}
	return pep_buf_detach(&b);
}

/* The last step of a path without positions (name) and the one before it
 * (parent, "" when none), in buffers of size bytes. */
static void last_steps(const char *path, char *parent, char *name, size_t size)
{
	const char *last = strrchr(path, '/');
	snprintf(name, size, "%s", last ? last + 1 : path);
	parent[0] = '\0';
	if (last && last > path) {
		const char *prev = last - 1;
		while (prev > path && *prev != '/')
			prev--;
		if (*prev == '/')
			prev++;
		snprintf(parent, size, "%.*s", (int)(last - prev), prev);
	}
}

/* The words for a field: its schema label, or its name in plain words
 * ("@words" -> "words"). Caller frees. */
static char *field_label(const pep_schema *s, const char *parent, const char *name)
{
	const char *l = s ? pep_schema_label(s, parent[0] ? parent : NULL, name) : NULL;
	if (l)
		return pep_xstrdup(l);
	char w[256];
	pep_xml_words(name[0] == '@' ? name + 1 : name, w, sizeof w);
	return pep_xstrdup(w);
}

/* Groups the lost items by the kind of part they belong to (the unit's path
 * without positions), in the input's order, with the lines of each part.
 * schemas[step] is the schema of that step's input; what a carried block
 * could not put back is named in the canonical schema's words. */
static void make_groups(pep_conversion *cv, const pep_schema *const *schemas, const pep_schema *canonical)
{
	cv->groups = pep_xcalloc(cv->lost ? cv->lost : 1, sizeof *cv->groups);
	for (size_t i = 0; i < cv->n; i++) {
		item *it = &cv->items[i];
		if (it->pub.kind != PEP_ITEM_LOST)
			continue;
		bool from_block = it->unrestored;
		char *key = from_block ? (it->claimed[0] ? pep_xasprintf("/pep/%s", it->claimed) : pep_xstrdup("")) : pep_xstrdup(it->unit);
		char *bare = no_positions(key);
		free(key);
		key = bare;
		/* The step, carrying and why a carried item is not put back are
		 * part of a group's identity. */
		const char *why = it->why ? it->why : "";
		size_t g = 0;
		while (g < cv->ngroups && !(strcmp(cv->groups[g].key, key) == 0 && cv->groups[g].pub.carried == it->carried &&
		                           strcmp(cv->groups[g].pub.section, it->pub.section) == 0 &&
		                           strcmp(cv->groups[g].why, why) == 0))
			g++;
		group *gr = &cv->groups[g];
		if (g == cv->ngroups) {
			cv->ngroups++;
			gr->key = key;
			key = NULL;
			gr->why = why;
			gr->pub.unrestored = from_block;
			gr->pub.why = it->why;
			gr->pub.section = pep_xstrdup(it->pub.section);
			if (from_block && !gr->key[0]) {
				gr->pub.label = pep_xstrdup("unrecognised carried items");
				gr->pub.element = NULL;
			} else {
				char parent[128], name[128];
				last_steps(gr->key, parent, name, sizeof name);
				gr->pub.label = field_label(from_block ? canonical : schemas[it->step], parent, name);
				const char *below = strchr(gr->key + 1, '/'); /* below the root */
				gr->pub.element = pep_xstrdup(below ? below + 1 : gr->key);
			}
			gr->pub.advice = it->advice;
			gr->pub.carried = it->carried;
		}
		free(key);
		it->pub.group = g;
		gr->pub.values++;
		size_t k = 0;
		while (k < gr->pub.occurrences && strcmp(gr->units[k], it->unit) != 0)
			k++;
		if (k == gr->pub.occurrences) {
			if (k == gr->cap) {
				gr->cap = gr->cap ? gr->cap * 2 : 4;
				gr->units = pep_xrealloc(gr->units, gr->cap * sizeof *gr->units);
				gr->lines = pep_xrealloc(gr->lines, 2 * gr->cap * sizeof *gr->lines);
			}
			gr->units[k] = pep_xstrdup(it->unit);
			gr->lines[2 * k] = gr->lines[2 * k + 1] = 0;
			gr->pub.occurrences++;
		}
		int line = it->pub.line;
		if (line > 0) {
			if (!gr->lines[2 * k] || line < gr->lines[2 * k])
				gr->lines[2 * k] = line;
			if (line > gr->lines[2 * k + 1])
				gr->lines[2 * k + 1] = line;
		}
		gr->pub.lines = gr->lines;
	}
}

/* The label of each missing item, in the words of the form that needs it.
 * sections maps the form's section ids to its elements. */
static void label_missing(pep_conversion *cv, const pep_schema *target, const pep_section_map *sections)
{
	for (size_t i = 0; i < cv->n; i++) {
		item *it = &cv->items[i];
		if (it->pub.kind != PEP_ITEM_MISSING || it->pub.label)
			continue;
		char parent[128], name[128];
		last_steps(it->pub.field, parent, name, sizeof name);
		if (!parent[0]) { /* a field right below its section: the section's element */
			const char *sec = it->pub.section;
			snprintf(parent, sizeof parent, "%s", sec);
			for (const pep_section_map *m = sections; m && m->element && sec[0] && !sec[1]; m++)
				if (m->section == sec[0]) {
					snprintf(parent, sizeof parent, "%s", m->element);
					break;
				}
		}
		it->pub.label = field_label(target, parent, name);
	}
}

/* ------------------------------------------------------------------ */
/* The converter                                                        */
/* ------------------------------------------------------------------ */

/* Indexed by pep_format_index(). */
/* A format's schema and stylesheets. Only the canonical format's are
 * loaded when the converter is made: the others are compiled the first
 * time a document of that format is read or written (a batch of canonical
 * PEPs, the usual case, never pays for them), once, whichever thread asks. */
typedef struct format_parts {
	pep_schema *schema;
	pep_stylesheet *to_canonical;   /* NULL for the canonical format */
	pep_stylesheet *from_canonical;
	char *err;                      /* why they could not be loaded, or NULL */
	bool tried;
} format_parts;

struct pep_converter {
	pthread_mutex_t lock;           /* guards the parts' loading */
	format_parts *parts;            /* one per format, in the table's order */
};

/* The data file rel, or NULL with *err saying where pep looked. */
static char *data_file(const char *rel, char **err)
{
	char *path = pep_data_file(rel);
	if (!path) {
		char *dirs = pep_data_dirs();
		*err = pep_xasprintf("cannot find %s in %s; reinstall pep, or set PEP_DATADIR to the folder that holds it", rel,
		                 dirs);
		free(dirs);
	}
	return path;
}

/* Loads format i's parts into p; false with p->err set on failure. */
static bool load_parts(format_parts *p, size_t i)
{
	const pep_format *f = pep_format_at(i);
	p->tried = true;
	char *path = data_file(f->schema, &p->err);
	if (path) {
		p->schema = pep_schema_load(path, f->sections, &p->err);
		if (p->schema && pep_format_is_canonical(f))
			pep_schema_set_hints(p->schema, pep_foreign_formats);
	}
	free(path);
	const char *sheets[2] = {f->to_canonical, f->from_canonical};
	pep_stylesheet **into[2] = {&p->to_canonical, &p->from_canonical};
	for (int k = 0; k < 2 && !p->err; k++) {
		if (!sheets[k])
			continue;
		path = data_file(sheets[k], &p->err);
		if (path)
			*into[k] = pep_stylesheet_load(path, &p->err);
		free(path);
	}
	return !p->err;
}

/* Format f's parts, loaded on first use (the converter is shared read-only
 * by threads; the parts are its cache, filled under its lock). */
static const format_parts *parts_of(const pep_converter *c, const pep_format *f)
{
	pep_converter *w = (pep_converter *)c;
	format_parts *p = &w->parts[pep_format_index(f)];
	pthread_mutex_lock(&w->lock);
	if (!p->tried)
		load_parts(p, pep_format_index(f));
	pthread_mutex_unlock(&w->lock);
	return p;
}

pep_converter *pep_converter_new(char **err)
{
	*err = NULL;
	pep_converter *c = pep_xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	size_t n = pep_format_count();
	c->parts = pep_xcalloc(n, sizeof *c->parts);
	for (size_t i = 0; i < n && !*err; i++) {
		const pep_format *f = pep_format_at(i);
		if (pep_format_is_canonical(f)) {
			if (!load_parts(&c->parts[i], i))
				*err = pep_xstrdup(c->parts[i].err);
			continue;
		}
		/* The others' files must be there now; they compile when needed. */
		const char *files[3] = {f->schema, f->to_canonical, f->from_canonical};
		for (int k = 0; k < 3 && !*err; k++)
			if (files[k])
				free(data_file(files[k], err));
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
	for (size_t i = 0; i < pep_format_count(); i++) {
		format_parts *p = &c->parts[i];
		pep_stylesheet_free(p->to_canonical);
		pep_stylesheet_free(p->from_canonical);
		pep_schema_free(p->schema);
		free(p->err);
	}
	free(c->parts);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

const char *pep_converter_error(const pep_converter *c, const pep_format *f)
{
	return parts_of(c, f)->err;
}

const pep_schema *pep_converter_schema(const pep_converter *c, const pep_format *f)
{
	return parts_of(c, f)->schema;
}

/* The stylesheet of one step (exactly one of from and to is canonical). */
static const pep_stylesheet *step_sheet(const pep_converter *c, const pep_format *from, const pep_format *to)
{
	return pep_format_is_canonical(from) ? parts_of(c, to)->from_canonical : parts_of(c, from)->to_canonical;
}

static const char *step_sheet_name(const pep_format *from, const pep_format *to)
{
	return pep_format_is_canonical(from) ? to->from_canonical : from->to_canonical;
}

/* ------------------------------------------------------------------ */
/* Steps                                                                */
/* ------------------------------------------------------------------ */

/* True when path is in lost[0..n) (sorted). */
static bool listed(char *const *lost, size_t n, const char *path, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(lost[mid], path, len);
		if (c == 0 && lost[mid][len] != '\0')
			c = 1;
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* True when path, or a part it is in (a part reported lost takes all of
 * it), is in lost[0..n) (sorted). */
static bool reported(char *const *lost, size_t n, const char *path)
{
	for (size_t len = strlen(path); len > 1; len--)
		if ((path[len] == '/' || path[len] == '\0') && listed(lost, n, path, len))
			return true;
	return false;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The step of path naming the carried block's item ("/pep/carried[1]/element[3]/..."):
 * its length up to the item's "[", or 0 when path is not in the block. */
static size_t carried_item(const char *path, const char *root)
{
	size_t r = strlen(root);
	if (path[0] != '/' || strncmp(path + 1, root, r) != 0 || strncmp(path + 1 + r, "/carried[1]/", 12) != 0)
		return 0;
	const char *step = path + 1 + r + 12;
	const char *open = strchr(step, '[');
	return open ? (size_t)(open - path) : 0;
}

/* A leaf of the carried block keyed without its item's position, so that
 * items that went back do not shift the others:
 * "/pep/carried[1]/element/qualifiedTeacher[1]\n" "yes". Caller frees. */
static char *carried_key(const leaf *f, size_t cut_at)
{
	const char *close = strchr(f->path + cut_at, ']');
	return pep_xasprintf("%.*s%s\n%s", (int)cut_at, f->path, close ? close + 1 : "", f->value);
}

/* Every field of the step's input with a value must come back, at the same
 * place with the same value, when the step's output is converted back,
 * unless it is reported lost (and not carried). In the carried block of
 * the input, what matters is that each value comes back in some item.
 * Returns the first field that does not (borrowed from in), or NULL. */
static const leaf *unreported_loss(const pep_conversion *cv, size_t step, const char *root, const leaves *in,
                                   const leaves *back)
{
	char **lost = pep_xcalloc(2 * cv->n + 1, sizeof *lost); /* a path and its unit per item */
	size_t n = 0;
	for (size_t i = 0; i < cv->n; i++)
		if (cv->items[i].step == step && cv->items[i].path && !cv->items[i].carried) {
			lost[n++] = cv->items[i].path;
			if (strcmp(cv->items[i].unit, cv->items[i].path) != 0)
				lost[n++] = cv->items[i].unit;
		}
	if (n)
		qsort(lost, n, sizeof *lost, str_cmp);
	/* The carried block of the result, as keys; each used once. */
	char **keys = pep_xcalloc(back->n + 1, sizeof *keys);
	size_t nkeys = 0;
	size_t r = strlen(root);
	for (size_t i = 0; i < back->n; i++) {
		size_t cut_at = carried_item(back->v[i].path, root);
		if (cut_at)
			keys[nkeys++] = carried_key(&back->v[i], cut_at);
	}
	if (nkeys)
		qsort(keys, nkeys, sizeof *keys, str_cmp);
	bool *used = pep_xcalloc(nkeys + 1, sizeof *used);
	const leaf *bad = NULL;
	for (size_t i = 0; i < in->n && !bad; i++) {
		const leaf *f = &in->v[i];
		if (reported(lost, n, f->path))
			continue;
		/* The block's own attributes (its format, the digest of the form)
		 * and its absent paths are bookkeeping, not values. */
		if (f->path[0] == '/' && strncmp(f->path + 1, root, r) == 0 &&
		    (strncmp(f->path + 1 + r, "/carried[1]/@", 13) == 0 || strncmp(f->path + 1 + r, "/carried[1]/absent[", 19) == 0))
			continue;
		size_t cut_at = carried_item(f->path, root);
		if (cut_at) {
			char *key = carried_key(f, cut_at);
			char **hit = nkeys ? bsearch(&key, keys, nkeys, sizeof *keys, str_cmp) : NULL;
			size_t k = hit ? (size_t)(hit - keys) : nkeys;
			while (k < nkeys && k > 0 && strcmp(keys[k - 1], key) == 0)
				k--;
			while (k < nkeys && used[k] && strcmp(keys[k], key) == 0)
				k++;
			if (k < nkeys && !used[k] && strcmp(keys[k], key) == 0)
				used[k] = true;
			else
				bad = f;
			free(key);
			continue;
		}
		const leaf *b = leaf_find(back, f->path);
		if (!b || strcmp(b->value, f->value) != 0)
			bad = f;
	}
	free(used);
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	free(lost);
	return bad;
}

/* Adds each diagnostic of from to d as "the <target> made from it ..." with
 * no line (the lines are the result's, which nobody sees). */
static void add_output_diags(pep_diags *d, const pep_diags *from, const pep_format *to)
{
	for (size_t i = 0; i < pep_diags_count(from); i++) {
		const pep_diag *g = pep_diags_at(from, i);
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "the PEP in %s made from this file would not be valid, so nothing is written: %s",
		              to->label, g->message);
	}
}

/* One step of a conversion: in (in format from) to *out (in format to),
 * with its report added to cv (lines from in). Returns false with a CONV
 * diagnostic when the stylesheet fails. */
static bool run_step(const pep_converter *c, pep_conversion *cv, size_t step, const pep_format *from,
                     const pep_format *to, xmlDocPtr in, bool carry, pep_diags *d, xmlDocPtr *out)
{
	char *err = NULL;
	xmlDocPtr report = NULL;
	leaves lin = {0};
	size_t first = cv->n;
	const pep_stylesheet *sheet = step_sheet(c, from, to);
	const char *const params[] = {"carry", carry ? "yes" : "no", NULL};
	const char *const report_params[] = {"report", "losses", NULL};
	/* The report first: it is the more work, and an absurd document stops
	 * there soonest. */
	report = pep_stylesheet_apply(sheet, in, report_params, &err);
	if (report)
		*out = pep_stylesheet_apply(sheet, in, params, &err);
	if (!*out || !report) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "%s", err);
		goto fail;
	}
	/* A step from the canonical format carries what it reports lost, unless
	 * told not to; a step to it cannot (the canonical schema has no carried
	 * block). */
	if (!read_report(report, cv, step, carry && pep_format_is_canonical(from))) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "%s gave no loss report; reinstall pep", step_sheet_name(from, to));
		goto fail;
	}
	leaves_of(in, &lin);
	size_t unrestored = 0;
	for (size_t i = first; i < cv->n; i++) {
		const leaf *f = cv->items[i].path ? leaf_find(&lin, cv->items[i].path) : NULL;
		/* An item without a field at its path: the line of what it holds. */
		if (!f && cv->items[i].path)
			f = leaf_at_or_below(&lin, cv->items[i].path);
		cv->items[i].pub.line = f ? f->line : 0;
		unrestored += cv->items[i].path && cv->items[i].unrestored;
	}
	/* The values of the input's carried block: an item's text, or the
	 * fields of what it holds (not the item's own attributes). */
	xmlNodePtr root = xmlDocGetRootElement(in);
	size_t values = 0;
	for (size_t i = 0; root && pep_format_is_canonical(to) && i < lin.n; i++) {
		size_t cut_at = carried_item(lin.v[i].path, (const char *)root->name);
		const char *rest = cut_at ? strchr(lin.v[i].path + cut_at, ']') : NULL;
		values += rest && (rest[1] == '\0' || (rest[1] == '/' && rest[2] != '@'));
	}
	cv->restored += values > unrestored ? values - unrestored : 0;
	leaves_free(&lin);
	pep_xml_free(report);
	return true;
fail:
	pep_xml_free(*out);
	*out = NULL;
	pep_xml_free(report);
	free(err);
	return false;
}

/* Converting a step's output back must give every field of its input not
 * reported lost. Returns false with a CONV diagnostic when it does not. */
static bool check_step(const pep_converter *c, const pep_conversion *cv, size_t step, const pep_format *from,
                       const pep_format *to, xmlDocPtr in, xmlDocPtr out, pep_diags *d)
{
	char *err = NULL;
	xmlDocPtr back = pep_stylesheet_apply(step_sheet(c, to, from), out, NULL, &err);
	if (!back) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "converting the result back to check it failed: %s", err);
		free(err);
		return false;
	}
	leaves lin = {0}, lback = {0};
	leaves_of(in, &lin);
	leaves_of(back, &lback);
	xmlNodePtr root = xmlDocGetRootElement(in);
	const leaf *bad = unreported_loss(cv, step, root ? (const char *)root->name : "", &lin, &lback);
	if (bad)
		pep_diags_add(d, "CONV", PEP_ERROR, 0, bad->line,
		              "the conversion would lose %s without reporting it, so nothing is written; this is a fault in %s: "
		              "please report it",
		              bad->path, step_sheet_name(from, to));
	leaves_free(&lin);
	leaves_free(&lback);
	pep_xml_free(back);
	return !bad;
}

/* "pep converts the Kent (canonical) format, namespace "...", and ..." */
static void unknown_format(pep_diags *d, xmlDocPtr in)
{
	xmlNodePtr root = xmlDocGetRootElement(in);
	const char *ns = pep_xml_root_namespace(in);
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < pep_format_count(); i++) {
		const pep_format *f = pep_format_at(i);
		if (i)
			pep_buf_puts(&b, i + 1 == pep_format_count() ? " and " : ", ");
		pep_buf_printf(&b, "%s, namespace \"%s\"", f->label, f->ns);
	}
	pep_diags_add(d, "XSD", PEP_ERROR, 0, root ? (int)xmlGetLineNo(root) : 0,
	              "the root element <%s> is in %s%s%s: pep converts %s; check the xmlns declaration",
	              root ? (const char *)root->name : "?", *ns ? "namespace \"" : "no namespace", ns, *ns ? "\"" : "",
	              pep_buf_str(&b));
	pep_buf_free(&b);
}

pep_convert_status pep_convert_file(const pep_converter *c, const char *path, const pep_format *to, int flags,
                                    pep_diags *d, pep_conversion **out)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	pep_load_status ls = pep_read_file(path, d, &buf, &len);
	if (ls != PEP_LOAD_OK)
		return ls == PEP_LOAD_UNREADABLE ? PEP_CONVERT_UNREADABLE : PEP_CONVERT_INVALID;
	pep_convert_status st = pep_convert_memory(c, path, buf, len, to, flags, d, out);
	free(buf);
	return st;
}

pep_convert_status pep_convert_memory(const pep_converter *c, const char *path, const char *buf, size_t len,
                                      const pep_format *to, int flags, pep_diags *d, pep_conversion **out)
{
	pep_convert_status st = PEP_CONVERT_INVALID;
	char *bytes = NULL;
	size_t nbytes = 0;
	xmlDocPtr in = NULL, mid = NULL, result = NULL, written = NULL;
	pep_xml_loader *lfrom = NULL, *lcanon = NULL, *lto = NULL;
	pep_conversion *cv = NULL;
	pep_diags *od = NULL;
	const pep_format *canon = pep_format_canonical();
	bool carry = !(flags & PEP_CONVERT_STRICT_FORM);
	bool redact = !(flags & PEP_CONVERT_SHOW_VALUES);
	*out = NULL;

	/* Every loader quotes values only when asked (the parse included). */
	lfrom = pep_xml_loader_new(pep_converter_schema(c, canon));
	pep_xml_loader_set_redact(lfrom, redact);
	pep_load_status parsed = pep_xml_loader_parse(lfrom, path, buf, len, d, &in);
	pep_xml_loader_free(lfrom);
	lfrom = NULL;
	if (parsed != PEP_LOAD_OK)
		goto out;
	const pep_format *from = pep_format_of_namespace(pep_xml_root_namespace(in));
	if (!from) {
		unknown_format(d, in);
		goto out;
	}
	if (from == to) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "the file is already in %s (namespace \"%s\"): there is nothing to convert",
		              from->label, from->ns);
		st = PEP_CONVERT_SAME_FORMAT;
		goto out;
	}
	const char *unusable = pep_converter_error(c, from) ? pep_converter_error(c, from) : pep_converter_error(c, to);
	if (unusable) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "pep cannot convert between %s and %s: %s", from->label, to->label,
		              unusable);
		st = PEP_CONVERT_FAILED;
		goto out;
	}
	lfrom = pep_xml_loader_new(pep_converter_schema(c, from));
	pep_xml_loader_set_redact(lfrom, redact);
	if (!pep_xml_validate(lfrom, in, d))
		goto out;

	/* One step, or two through the canonical format. */
	st = PEP_CONVERT_FAILED;
	cv = pep_xcalloc(1, sizeof *cv);
	cv->from = from;
	cv->to = to;
	const pep_format *steps[3] = {from, NULL, NULL};
	size_t nsteps = 0;
	if (!pep_format_is_canonical(from) && !pep_format_is_canonical(to)) {
		steps[1] = canon;
		steps[2] = to;
		nsteps = 2;
	} else {
		steps[1] = to;
		nsteps = 1;
	}
	const pep_schema *schemas[2] = {pep_converter_schema(c, steps[0]), pep_converter_schema(c, steps[1])};
	xmlDocPtr docs[3] = {in, NULL, NULL};
	for (size_t s = 0; s < nsteps; s++) {
		/* Through the canonical format, its lines are the file's. */
		bool lines = nsteps == 2 && s == 0;
		xmlNsPtr ns = NULL;
		if (lines) {
			ns = xmlNewNs(xmlDocGetRootElement(in), BAD_CAST PEP_LINE_NAMESPACE, BAD_CAST "pepline");
			annotate(xmlDocGetRootElement(in), ns);
		}
		bool ok = run_step(c, cv, s, steps[s], steps[s + 1], docs[s], carry, d, &docs[s + 1]);
		if (lines) {
			unannotate(xmlDocGetRootElement(in), false, 0);
			if (docs[1])
				unannotate(xmlDocGetRootElement(docs[1]), true, 0);
		}
		if (!ok)
			goto out;
		if (s + 1 < nsteps) {
			mid = docs[1];
			lcanon = pep_xml_loader_new(pep_converter_schema(c, canon));
			pep_xml_loader_set_redact(lcanon, redact);
			od = pep_diags_new(path);
			if (!pep_xml_validate(lcanon, mid, od)) {
				add_output_diags(d, od, canon);
				st = PEP_CONVERT_OUTPUT_INVALID;
				goto report;
			}
			pep_diags_free(od);
			od = NULL;
		}
	}
	result = docs[nsteps];

	/* What is written is what was validated: the bytes themselves. */
	bytes = pep_stylesheet_serialize(step_sheet(c, steps[nsteps - 1], to), result, &nbytes);
	lto = pep_xml_loader_new(pep_converter_schema(c, to));
	pep_xml_loader_set_redact(lto, redact);
	od = pep_diags_new(path);
	if (pep_xml_load(lto, path, bytes, nbytes, od, &written) != PEP_LOAD_OK) {
		add_output_diags(d, od, to);
		st = PEP_CONVERT_OUTPUT_INVALID;
		goto report;
	}
	/* Each step converted back gives every field not reported lost. */
	for (size_t s = 0; s < nsteps; s++)
		if (!check_step(c, cv, s, steps[s], steps[s + 1], docs[s], s + 1 == nsteps ? written : docs[s + 1], d))
			goto out;
	cv->output = bytes;
	cv->output_len = nbytes;
	bytes = NULL;
	st = PEP_CONVERT_OK;
report:
	lost_first(cv);
	name_unrestored(cv, pep_converter_schema(c, canon));
	make_groups(cv, schemas, pep_converter_schema(c, canon));
	label_missing(cv, pep_converter_schema(c, to), to->sections);
	*out = cv;
	cv = NULL;
out:
	pep_diags_free(od);
	pep_conversion_free(cv);
	pep_xml_free(written);
	if (result != mid)
		pep_xml_free(result);
	pep_xml_free(mid);
	pep_xml_free(in);
	pep_xml_loader_free(lfrom);
	pep_xml_loader_free(lcanon);
	pep_xml_loader_free(lto);
	free(bytes);
	return st;
}

/* ------------------------------------------------------------------ */
/* Reading any format as the canonical one                              */
/* ------------------------------------------------------------------ */

struct _xmlDoc *pep_convert_to_canonical(const pep_converter *c, const pep_format *from, struct _xmlDoc *doc,
                                         pep_xml_loader *canonical, pep_diags *d)
{
	char *err = NULL;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (pep_converter_error(c, from)) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "pep cannot read %s: %s", from->label, pep_converter_error(c, from));
		return NULL;
	}
	const pep_stylesheet *sheet = parts_of(c, from)->to_canonical;
	if (!root || !sheet)
		return NULL;
	xmlNsPtr ns = xmlNewNs(root, BAD_CAST PEP_LINE_NAMESPACE, BAD_CAST "pepline");
	annotate(root, ns);
	xmlDocPtr out = pep_stylesheet_apply(sheet, doc, NULL, &err);
	unannotate(root, false, 0);
	if (!out) {
		pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "cannot read this PEP on %s as the canonical format: %s", from->label,
		              err);
		free(err);
		return NULL;
	}
	/* What the file's carried block held and the form no longer vouches
	 * for (format.h): said, since nothing else would say it. */
	xmlChar *kept_out = xmlGetNsProp(xmlDocGetRootElement(out), BAD_CAST "unrestored", BAD_CAST PEP_LINE_NAMESPACE);
	long unrestored = kept_out ? strtol((const char *)kept_out, NULL, 10) : 0;
	xmlFree(kept_out);
	if (unrestored > 0) {
		int block = 0;
		for (xmlNodePtr k = root->children; k; k = k->next)
			if (k->type == XML_ELEMENT_NODE && k->ns && xmlStrEqual(k->ns->href, BAD_CAST PEP_CARRIED_NAMESPACE))
				block = (int)xmlGetLineNo(k);
		pep_diags_add(d, "CONV", PEP_WARNING, 0, block,
		              "%ld of the parts carried at the end of this file %s not put back, because the form has changed "
		              "where %s since it was converted (a sign-off, quality assurance or workflow history certifies the "
		              "PEP as it was) or pep did not write %s; pep convert --to %s lists %s and says what to do",
		              unrestored, unrestored == 1 ? "is" : "are", unrestored == 1 ? "it belongs" : "they belong",
		              unrestored == 1 ? "it" : "them", pep_format_canonical()->name, unrestored == 1 ? "it" : "them");
	}
	unannotate(xmlDocGetRootElement(out), true, (int)xmlGetLineNo(root));
	pep_diags *od = pep_diags_new(pep_diags_file(d));
	if (pep_xml_validate(canonical, out, od)) {
		pep_diags_free(od);
		return out;
	}
	pep_xml_free(out);
	out = NULL;
	/* Why: what the form lacks that the canonical format needs, where the
	 * stylesheet's report says so (a missing item whose path the schema's
	 * message names), else the schema's words. */
	const char *const report_params[] = {"report", "losses", NULL};
	xmlDocPtr report = pep_stylesheet_apply(sheet, doc, report_params, &err);
	pep_conversion *cv = pep_xcalloc(1, sizeof *cv);
	if (report && read_report(report, cv, 0, false))
		label_missing(cv, pep_converter_schema(c, pep_format_canonical()), pep_format_canonical()->sections);
	for (size_t i = 0; i < pep_diags_count(od); i++) {
		const pep_diag *g = pep_diags_at(od, i);
		bool explained = false;
		for (size_t k = 0; k < cv->n; k++) {
			const pep_convert_item *it = &cv->items[k].pub;
			if (it->kind != PEP_ITEM_MISSING)
				continue;
			const char *top = it->section;
			for (const pep_section_map *m = pep_format_canonical()->sections; m && m->element; m++)
				if (top[0] && !top[1] && m->section == top[0])
					top = m->element;
			char *where = pep_xasprintf("(%s/%s)", top, it->field);
			if (strstr(g->message, where)) {
				pep_diags_add(d, "CONV", PEP_ERROR, 0, g->line, "%s does not give the %s, which the canonical format needs: %s",
				              from->label, it->label, it->text);
				explained = true;
			}
			free(where);
		}
		if (!explained)
			pep_diags_add(d, "CONV", PEP_ERROR, 0, g->line, "this PEP on %s cannot be read as the canonical format: %s",
			              from->label, g->message);
	}
	pep_conversion_free(cv);
	pep_xml_free(report);
	pep_diags_free(od);
	free(err);
	return NULL;
}

char *pep_convert_to_form(const pep_converter *c, const pep_format *to, struct _xmlDoc *doc, size_t *len, char **err)
{
	const pep_format *canon = pep_format_canonical();
	const pep_stylesheet *sheet = step_sheet(c, canon, to);
	const char *const params[] = {"carry", "yes", NULL};
	*err = NULL;
	if (pep_converter_error(c, to)) {
		*err = pep_xasprintf("pep cannot write %s: %s", to->label, pep_converter_error(c, to));
		return NULL;
	}
	xmlDocPtr out = pep_stylesheet_apply(sheet, doc, params, err);
	if (!out)
		return NULL;
	char *text = pep_stylesheet_serialize(sheet, out, len);
	pep_xml_free(out);
	return text;
}

/* ------------------------------------------------------------------ */
/* The report for people                                                */
/* ------------------------------------------------------------------ */

/* s as pep prints text from outside (diag.h): control, separator and
 * bidirectional characters and bytes that are not UTF-8 shown as '?'. */
static void put_clean(pep_buf *b, const char *s)
{
	char *shown = pep_path_shown(s);
	pep_buf_puts(b, shown);
	free(shown);
}

/* "section A", or a sectionless part in words ("header", "scanned documents"). */
static void put_section(pep_buf *b, const char *section)
{
	if (section[0] && !section[1]) {
		pep_buf_printf(b, "section %c", section[0]);
		return;
	}
	char w[128];
	pep_xml_words(section, w, sizeof w);
	put_clean(b, w);
}

/* "line 12", "lines 11-28", "lines 324, 341, 351", "lines 360-372, 373-385"; "" when none known. */
static void put_lines(pep_buf *b, const pep_convert_group *g)
{
	size_t known = 0;
	for (size_t k = 0; k < g->occurrences; k++)
		known += g->lines[2 * k] > 0;
	if (!known)
		return;
	bool one = known == 1 && g->lines[0] == g->lines[1];
	pep_buf_puts(b, one ? "line " : "lines ");
	bool first = true;
	for (size_t k = 0; k < g->occurrences; k++) {
		int a = g->lines[2 * k], z = g->lines[2 * k + 1];
		if (!a)
			continue;
		if (!first)
			pep_buf_puts(b, ", ");
		first = false;
		if (a == z)
			pep_buf_printf(b, "%d", a);
		else
			pep_buf_printf(b, "%d-%d", a, z);
	}
}

static void push_line(char ***lines, size_t *n, size_t *cap, pep_buf *b)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*lines = pep_xrealloc(*lines, *cap * sizeof **lines);
	}
	(*lines)[(*n)++] = pep_buf_detach(b);
}

/* "workflow history (12), whose words the target is in (3)": the groups
 * (unrestored ones, or the others) by label, with their numbers of values. */
static void put_group_counts(pep_buf *b, const pep_conversion *cv, bool unrestored)
{
	bool *done = pep_xcalloc(cv->ngroups + 1, sizeof *done);
	bool first = true;
	for (size_t g = 0; g < cv->ngroups; g++) {
		if (done[g] || cv->groups[g].pub.unrestored != unrestored)
			continue;
		size_t count = 0;
		for (size_t h = g; h < cv->ngroups; h++)
			if (cv->groups[h].pub.unrestored == unrestored && strcmp(cv->groups[h].pub.label, cv->groups[g].pub.label) == 0) {
				count += cv->groups[h].pub.values;
				done[h] = true;
			}
		if (!first)
			pep_buf_puts(b, ", ");
		first = false;
		put_clean(b, cv->groups[g].pub.label);
		pep_buf_printf(b, " (%zu)", count);
	}
	free(done);
}

/* The totals line. */
static void put_totals(pep_buf *b, const pep_conversion *cv)
{
	size_t missing = cv->n - cv->lost;
	size_t from_form = cv->lost - cv->unrestored; /* values of the input's form */
	if (!from_form) {
		pep_buf_printf(b, "every value has a place in %s", cv->to->label);
	} else {
		pep_buf_printf(b, "%zu value%s no place in %s: ", from_form, from_form == 1 ? " has" : "s have", cv->to->label);
		put_group_counts(b, cv, false);
		size_t lost = from_form - cv->carried;
		if (!lost)
			pep_buf_puts(b, cv->carried == 1 ? "; it is carried in the file and restored when it is converted back"
			                                 : "; they are carried in the file and restored when it is converted back");
		else if (!cv->carried)
			pep_buf_printf(b, "; %s left out: enter %s again by hand if the PEP is converted back",
			               lost == 1 ? "it is" : "they are", lost == 1 ? "it" : "them");
		else
			pep_buf_printf(b, "; %zu %s carried in the file and restored when it is converted back, %zu left out",
			               cv->carried, cv->carried == 1 ? "is" : "are", lost);
	}
	if (cv->restored)
		pep_buf_printf(b, "; %zu carried value%s put back", cv->restored, cv->restored == 1 ? " is" : "s are");
	if (cv->unrestored) {
		pep_buf_printf(b, "; %zu carried value%s not put back: ", cv->unrestored, cv->unrestored == 1 ? " is" : "s are");
		put_group_counts(b, cv, true);
		pep_buf_puts(b, " (the lines below say why, and what to do)");
	}
	if (missing)
		pep_buf_printf(b, "; %s needs %zu field%s the file does not have", cv->to->label, missing,
		               missing == 1 ? "" : "s");
}

size_t pep_conversion_report(const pep_conversion *cv, bool show_values, char ***lines)
{
	size_t n = 0, cap = 0;
	*lines = NULL;
	pep_buf b = PEP_BUF_INIT;
	put_totals(&b, cv);
	push_line(lines, &n, &cap, &b);
	for (size_t g = 0; g < cv->ngroups; g++) {
		const pep_convert_group *gr = &cv->groups[g].pub;
		if (gr->unrestored && !gr->element) {
			/* Nothing of what it says is shown: only where it is. */
			pep_buf_puts(&b, gr->occurrences == 1 ? "not restored: an unrecognised carried item" : "not restored: ");
			if (gr->occurrences != 1)
				put_clean(&b, gr->label);
			size_t mark = b.len;
			pep_buf_puts(&b, " on ");
			put_lines(&b, gr);
			if (b.len == mark + 4)
				b.s[b.len = mark] = '\0';
		} else {
			pep_buf_puts(&b, gr->unrestored ? "not restored: " : gr->carried ? "carried: " : "lost: ");
			put_section(&b, gr->section);
			pep_buf_puts(&b, ", ");
			put_clean(&b, gr->label);
			size_t mark = b.len;
			pep_buf_puts(&b, " (");
			put_lines(&b, gr);
			if (b.len == mark + 2)
				b.s[b.len = mark] = '\0';
			else
				pep_buf_putc(&b, ')');
		}
		if (gr->values > 1)
			pep_buf_printf(&b, ": %zu values", gr->values);
		if (gr->advice) {
			pep_buf_puts(&b, "; ");
			put_clean(&b, gr->advice);
		}
		push_line(lines, &n, &cap, &b);
		for (size_t i = 0; show_values && i < cv->n; i++) {
			const pep_convert_item *it = &cv->items[i].pub;
			if (it->kind != PEP_ITEM_LOST || it->group != g)
				continue;
			pep_buf_puts(&b, "  ");
			if (it->line > 0)
				pep_buf_printf(&b, "line %d: ", it->line);
			pep_buf_putc(&b, '"');
			put_clean(&b, it->text);
			pep_buf_putc(&b, '"');
			push_line(lines, &n, &cap, &b);
		}
	}
	for (size_t i = 0; i < cv->n; i++) {
		const pep_convert_item *it = &cv->items[i].pub;
		if (it->kind != PEP_ITEM_MISSING)
			continue;
		pep_buf_puts(&b, "missing: ");
		put_section(&b, it->section);
		pep_buf_puts(&b, ", ");
		put_clean(&b, it->label ? it->label : it->field);
		pep_buf_puts(&b, ": ");
		put_clean(&b, it->text);
		push_line(lines, &n, &cap, &b);
	}
	pep_buf_free(&b);
	return n;
}

void pep_conversion_write_json(const pep_conversion *cv, bool show_values, pep_jw *w)
{
	pep_buf b = PEP_BUF_INIT;
	pep_jw_kv_string(w, "from", cv->from->name);
	pep_jw_kv_string(w, "to", cv->to->name);
	put_totals(&b, cv);
	pep_jw_kv_string(w, "summary", pep_buf_str(&b));
	pep_buf_free(&b);
	pep_jw_kv_int(w, "values", (long long)cv->lost);
	pep_jw_kv_int(w, "carried", (long long)cv->carried);
	pep_jw_kv_int(w, "restored", (long long)cv->restored);
	pep_jw_kv_int(w, "unrestored", (long long)cv->unrestored);
	pep_jw_kv_array_begin(w, "groups");
	for (size_t g = 0; g < cv->ngroups; g++) {
		const pep_convert_group *gr = &cv->groups[g].pub;
		pep_jw_object_begin(w);
		pep_jw_kv_string(w, "section", gr->section);
		pep_jw_kv_string(w, "label", gr->label);
		pep_jw_kv_string(w, "element", gr->element);
		pep_jw_kv_bool(w, "carried", gr->carried);
		pep_jw_kv_bool(w, "unrestored", gr->unrestored);
		pep_jw_kv_string(w, "why", gr->why);
		pep_jw_kv_int(w, "values", (long long)gr->values);
		pep_jw_kv_array_begin(w, "lines");
		for (size_t k = 0; k < gr->occurrences; k++) {
			pep_jw_array_begin(w);
			pep_jw_int(w, gr->lines[2 * k]);
			pep_jw_int(w, gr->lines[2 * k + 1]);
			pep_jw_end(w);
		}
		pep_jw_end(w);
		pep_jw_kv_string(w, "advice", gr->advice);
		if (show_values) {
			pep_jw_kv_array_begin(w, "fields");
			for (size_t i = 0; i < cv->n; i++) {
				const pep_convert_item *it = &cv->items[i].pub;
				if (it->kind != PEP_ITEM_LOST || it->group != g)
					continue;
				pep_jw_object_begin(w);
				pep_jw_kv_string(w, "field", it->field[0] ? it->field : NULL);
				if (it->line > 0)
					pep_jw_kv_int(w, "line", it->line);
				else
					pep_jw_kv_null(w, "line");
				pep_jw_kv_string(w, "value", it->text);
				pep_jw_end(w);
			}
			pep_jw_end(w);
		}
		pep_jw_end(w);
	}
	pep_jw_end(w);
	pep_jw_kv_array_begin(w, "missing");
	for (size_t i = 0; i < cv->n; i++) {
		const pep_convert_item *it = &cv->items[i].pub;
		if (it->kind != PEP_ITEM_MISSING)
			continue;
		pep_jw_object_begin(w);
		pep_jw_kv_string(w, "section", it->section);
		pep_jw_kv_string(w, "field", it->field);
		pep_jw_kv_string(w, "label", it->label);
		pep_jw_kv_string(w, "reason", it->text);
		pep_jw_end(w);
	}
	pep_jw_end(w);
}
