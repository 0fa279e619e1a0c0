/* xml.c: safe parsing, XSD validation, and messages people can act on. */
#include "xml.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/encoding.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "strbuf.h"
#include "xalloc.h"

/* No network, no DTD loading, no entity substitution, no XInclude, CDATA as
 * text, and line numbers past 65,535. XML_PARSE_HUGE is never set, so
 * libxml2's depth (256) and size limits stay on. */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_NOXINCNODE | XML_PARSE_COMPACT)

#define XS_NS "http://www.w3.org/2001/XMLSchema"

/* ------------------------------------------------------------------ */
/* Process set-up                                                       */
/* ------------------------------------------------------------------ */

/* Every external resource (entity, DTD, schema import) is refused: pep reads
 * only the files it is given, and reads them itself. */
static xmlParserInputPtr refuse_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void silent_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

/* libxml2 keeps its default error handlers per thread: silence them in the
 * calling thread, so that nothing is ever printed behind our back. */
static void quiet_this_thread(void)
{
	xmlSetGenericErrorFunc(NULL, silent_generic);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
}

void pep_xml_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_external);
	quiet_this_thread();
}

/* ------------------------------------------------------------------ */
/* Reading files                                                        */
/* ------------------------------------------------------------------ */

pep_load_status pep_read_file(const char *path, pep_diags *d, char **buf, size_t *len)
{
	return pep_read_file_max(path, 0, d, buf, len);
}

/* "8 MB", "512 KB": a limit in words. */
static void size_words(size_t n, char out[32])
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		snprintf(out, 32, "%zu MB", n / (1024 * 1024));
	else
		snprintf(out, 32, "%zu KB", (n + 1023) / 1024);
}

pep_load_status pep_read_file_max(const char *path, size_t max, pep_diags *d, char **buf, size_t *len)
{
	return pep_read_file_as(path, max, NULL, d, buf, len);
}

pep_load_status pep_read_file_as(const char *path, size_t max, const char *what, pep_diags *d, char **buf,
                                 size_t *len)
{
	if (!max)
		max = PEP_MAX_FILE_SIZE;
	char limit[32];
	size_words(max, limit);
	*buf = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		const char *fix = e == ENOENT ? "check the path and the spelling of the file name"
		                  : e == EACCES ? "ask for read permission, or copy the file somewhere you can read it"
		                                : "check the file";
		pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "cannot read the file: %s; %s", strerror(e), fix);
		return PEP_LOAD_UNREADABLE;
	}
	struct stat st;
	pep_load_status status = PEP_LOAD_UNREADABLE;
	char *data = NULL;
	if (fstat(fd, &st) != 0) {
		pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "cannot read the file: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		if (what)
			pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "this is a folder, not %s; give the file itself", what);
		else
			pep_diags_add(d, "IO", PEP_ERROR, 0, 0,
			              "this is a folder, not a PEP file; give a file, or use 'pep check FOLDER' to check every "
			              "PEP in a folder");
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		/* (never read: a pipe could hold it forever, a device give anything) */
		pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "this is not a regular file (a device, pipe or socket); give %s",
		              what ? what : "a PEP file");
		goto out;
	}
	if ((unsigned long long)st.st_size > max) {
		if (what)
			pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "the file is %.1f MB, larger than the %s %s can be",
			              (double)st.st_size / (1024.0 * 1024.0), limit, what);
		else
			pep_diags_add(d, "XML", PEP_ERROR, 0, 0,
			              "the file is %.1f MB, larger than the %s a PEP can be (one is usually 20 to 60 KB): is "
			              "this the right file? (--max-size raises the limit)",
			              (double)st.st_size / (1024.0 * 1024.0), limit);
		status = PEP_LOAD_INVALID;
		goto out;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	data = pep_xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			/* The file grew while we read it: allow up to the limit. */
			if (cap > max) {
				pep_diags_add(d, what ? "IO" : "XML", PEP_ERROR, 0, 0, "the file grew past the %s %s can be while it was read",
				              limit, what ? what : "a PEP");
				status = PEP_LOAD_INVALID;
				goto out;
			}
			cap *= 2;
			data = pep_xrealloc(data, cap + 1);
		}
		ssize_t r = read(fd, data + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "cannot read the file: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	data[n] = '\0';
	*buf = data;
	*len = n;
	data = NULL;
	status = PEP_LOAD_OK;
out:
	free(data);
	close(fd);
	return status;
}

/* ------------------------------------------------------------------ */
/* Small helpers on names and values                                     */
/* ------------------------------------------------------------------ */

static const char *const acronyms[] = {"sdq", "upn", "urn", "iro", "la", "ehc", "sen", "neet", "dt", "pp", "yp", "id", NULL};

void pep_xml_words(const char *name, char *out, size_t size)
{
	static const struct { const char *name, *words; } special[] = {
		{"ppPlus", "PP+ funding"},
		{"plan14to19", "14-19+ plan"},
		{"laChildId", "LA child id"},
		{"iro", "independent reviewing officer"},
		{"sdq", "SDQ"},
		{NULL, NULL},
	};
	for (int i = 0; special[i].name; i++)
		if (strcmp(name, special[i].name) == 0) {
			snprintf(out, size, "%s", special[i].words);
			return;
		}
	pep_buf b = PEP_BUF_INIT;
	const char *p = name;
	while (*p) {
		const char *start = p;
		if (isdigit((unsigned char)*p)) {
			while (isdigit((unsigned char)*p))
				p++;
		} else {
			p++;
			while (*p && islower((unsigned char)*p))
				p++;
		}
		char word[64];
		size_t n = (size_t)(p - start) < sizeof word - 1 ? (size_t)(p - start) : sizeof word - 1;
		for (size_t i = 0; i < n; i++)
			word[i] = (char)tolower((unsigned char)start[i]);
		word[n] = '\0';
		bool acronym = false;
		for (int i = 0; acronyms[i]; i++)
			if (strcmp(word, acronyms[i]) == 0)
				acronym = true;
		if (n == 1 && isupper((unsigned char)start[0]))
			acronym = true; /* "sectionA" -> "section A" */
		if (acronym)
			for (size_t i = 0; i < n; i++)
				word[i] = (char)toupper((unsigned char)word[i]);
		if (b.len)
			pep_buf_putc(&b, ' ');
		pep_buf_puts(&b, word);
	}
	snprintf(out, size, "%s", pep_buf_str(&b));
	pep_buf_free(&b);
}

/* Names too general to stand alone: "date" reads better as "SDQ date". */
static bool generic_name(const char *n)
{
	static const char *const g[] = {"name", "email", "phone", "date", "by", "time", "score", "kind",
	                                "reason", "from", "to", "status", "role", "area", "description",
	                                "outcome", "comment", "amount", "team", "relationship", "grade",
	                                "system", "next", "held", "since", "current", "expected", "target",
	                                "progress", "days", "considered", "awarded", "notes", "completedBy",
	                                "state", "ref", "urn", "yearGroup", "hoursPerWeek", "details",
	                                "decision", "change", NULL};
	for (int i = 0; g[i]; i++)
		if (strcmp(n, g[i]) == 0)
			return true;
	return false;
}

/* A value quoted for a message: at most 60 bytes, cut at a character
 * boundary, shown as diag.h shows any text from outside (a tab or a line
 * break as a space; any other control, a line separator or a
 * bidirectional character as '?'), with a '"' or '\\' in it written \" or
 * \\, so that where the value ends is never in doubt (edit_words.c skips
 * the value whole). */
static void put_value(pep_buf *b, const char *v, bool redact)
{
	if (redact) {
		pep_buf_puts(b, "(value not shown)");
		return;
	}
	pep_buf_putc(b, '"');
	size_t n = strlen(v);
	size_t cut = n > 60 ? 60 : n;
	while (cut < n && cut > 0 && ((unsigned char)v[cut] & 0xc0) == 0x80)
		cut--;
	for (size_t i = 0, from = 0; i <= cut; i++)
		if (i == cut || v[i] == '"' || v[i] == '\\') {
			pep_shown_add(b, v + from, i - from, true);
			if (i < cut) {
				pep_buf_putc(b, '\\');
				pep_buf_putc(b, v[i]);
			}
			from = i + 1;
		}
	if (cut < n)
		pep_buf_puts(b, "...");
	pep_buf_putc(b, '"');
}

/* Copies the text between the first occurrence of open and the following
 * close, after start. Returns NULL (nothing copied) when absent. */
static char *between(const char *s, const char *open, const char *close)
{
	const char *a = strstr(s, open);
	if (!a)
		return NULL;
	a += strlen(open);
	const char *z = strstr(a, close);
	if (!z)
		return NULL;
	return pep_xstrndup(a, (size_t)(z - a));
}

/* "{ns}name" -> "name" (in place). */
static void strip_ns(char *s)
{
	char *r = strchr(s, '}');
	if (s[0] == '{' && r)
		memmove(s, r + 1, strlen(r + 1) + 1);
}

/* ------------------------------------------------------------------ */
/* Schemas                                                              */
/* ------------------------------------------------------------------ */

typedef struct kv {
	char *key, *val; /* val NULL when several declarations disagree */
} kv;

typedef struct kvlist {
	kv *v;
	size_t n, cap;
} kvlist;

static void kv_put(kvlist *l, const char *key, const char *val)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0) {
			if (l->v[i].val && (!val || strcmp(l->v[i].val, val) != 0)) {
				free(l->v[i].val);
				l->v[i].val = NULL;
			}
			return;
		}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = pep_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n].key = pep_xstrdup(key);
	l->v[l->n].val = val ? pep_xstrdup(val) : NULL;
	l->n++;
}

static const kv *kv_get(const kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return &l->v[i];
	return NULL;
}

static void kv_free(kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].val);
	}
	free(l->v);
}

struct pep_schema {
	xmlDocPtr xsd;        /* the schema document, kept while the schema lives */
	xmlSchemaPtr schema;  /* compiled once; read-only, shared by threads */
	char *ns;
	const pep_section_map *sections;
	const pep_ns_hint *hints;
	kvlist type_docs;     /* simple type name -> what values it allows */
	kvlist pattern_docs;  /* pattern -> the documentation of its type */
	kvlist element_docs;  /* element name -> first sentence of its documentation */
	kvlist labels;        /* "name", "parent/name", "@attr", "parent/@attr" -> its label for people */
	kvlist examples;      /* elements with a value that its documentation shows ("<x a="1">v</x>",
	                         white space collapsed) -> NULL: comments pep new writes hold them;
	                         collected on first use (schema_examples), since only a document
	                         whose comments hold values needs them */
	pthread_once_t examples_once;
};

bool pep_xsd_is(const struct _xmlNode *n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST XS_NS) &&
	       xmlStrEqual(n->name, BAD_CAST local);
}

/* p[0..end) with its white space collapsed to single spaces, none at
 * either end (caller frees). */
static char *collapsed_span(const char *p, const char *end)
{
	pep_buf b = PEP_BUF_INIT;
	bool space = false;
	for (; p < end; p++) {
		if (isspace((unsigned char)*p)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			pep_buf_putc(&b, ' ');
		space = false;
		pep_buf_putc(&b, *p);
	}
	return pep_buf_detach(&b);
}

/* The text of n with white space collapsed to single spaces (caller frees). */
static char *collapsed_text(const xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	const char *text = t ? (const char *)t : "";
	char *s = collapsed_span(text, text + strlen(text));
	xmlFree(t);
	return s;
}

char *pep_xsd_documentation(const struct _xmlNode *n)
{
	for (xmlNodePtr a = n->children; a; a = a->next) {
		if (!pep_xsd_is(a, "annotation"))
			continue;
		for (xmlNodePtr d = a->children; d; d = d->next)
			if (pep_xsd_is(d, "documentation"))
				return collapsed_text(d);
	}
	return NULL;
}

/* Drops a final full stop (messages have none). */
static void drop_full_stop(char *s)
{
	size_t n = strlen(s);
	if (n && s[n - 1] == '.')
		s[n - 1] = '\0';
}

/* The first sentence of a documentation text (in place). */
static void first_sentence(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '.' && (p[1] == ' ' || p[1] == '\0')) {
			p[0] = '\0';
			return;
		}
}

char *pep_xsd_label(const xmlNode *n)
{
	for (xmlNodePtr a = n->children; a; a = a->next) {
		if (!pep_xsd_is(a, "annotation"))
			continue;
		for (xmlNodePtr i = a->children; i; i = i->next) {
			if (!pep_xsd_is(i, "appinfo"))
				continue;
			for (xmlNodePtr l = i->children; l; l = l->next)
				if (l->type == XML_ELEMENT_NODE && l->ns && xmlStrEqual(l->ns->href, BAD_CAST PEP_DOC_NAMESPACE) &&
				    xmlStrEqual(l->name, BAD_CAST "label"))
					return collapsed_text(l);
		}
	}
	return NULL;
}

/* Records the label of component n (named name; attributes as "@name")
 * under its name and under parent/name; a declaration without one too, so
 * that a name whose declarations differ has none. */
static void collect_label(pep_schema *s, xmlNodePtr n, const char *parent, const char *name)
{
	char *label = pep_xsd_label(n);
	kv_put(&s->labels, name, label);
	if (parent) {
		char *key = pep_xasprintf("%s/%s", parent, name);
		kv_put(&s->labels, key, label);
		free(key);
	}
	free(label);
}

static void collect_docs(pep_schema *s, xmlNodePtr n, const char *parent)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		xmlChar *name = xmlGetProp(n, BAD_CAST "name");
		if (name && pep_xsd_is(n, "attribute")) {
			char *at = pep_xasprintf("@%s", (const char *)name);
			collect_label(s, n, parent, at);
			free(at);
		}
		if (name && pep_xsd_is(n, "simpleType")) {
			char *doc = pep_xsd_documentation(n);
			if (doc) {
				drop_full_stop(doc);
				kv_put(&s->type_docs, (const char *)name, doc);
				/* Patterns of this type, for pattern-facet messages. */
				for (xmlNodePtr r = n->children; r; r = r->next)
					if (pep_xsd_is(r, "restriction"))
						for (xmlNodePtr f = r->children; f; f = f->next)
							if (pep_xsd_is(f, "pattern")) {
								xmlChar *v = xmlGetProp(f, BAD_CAST "value");
								if (v)
									kv_put(&s->pattern_docs, (const char *)v, doc);
								xmlFree(v);
							}
				free(doc);
			}
		} else if (name && pep_xsd_is(n, "element")) {
			char *doc = pep_xsd_documentation(n);
			if (doc)
				first_sentence(doc);
			kv_put(&s->element_docs, (const char *)name, doc);
			if (parent) {
				/* "header/kind": unambiguous where "kind" alone is not. */
				char *key = pep_xasprintf("%s/%s", parent, (const char *)name);
				kv_put(&s->element_docs, key, doc);
				free(key);
			}
			free(doc);
			collect_label(s, n, parent, (const char *)name);
			collect_docs(s, n->children, (const char *)name);
			xmlFree(name);
			continue;
		}
		xmlFree(name);
		collect_docs(s, n->children, parent);
	}
}

static size_t element_in_text(const char *p, const char *end, const char **value);

/* Records every element with a value written in the documentation of the
 * schema (xs:documentation at any depth): the examples that pep new's
 * comments repeat, which no one typed (pep_xml_commented_values). */
static void collect_examples(pep_schema *s, xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!pep_xsd_is(n, "documentation")) {
			collect_examples(s, n->children);
			continue;
		}
		char *text = collapsed_text(n);
		const char *end = text + strlen(text);
		for (const char *p = text; (p = strchr(p, '<')) != NULL;) {
			const char *value = NULL;
			size_t len = element_in_text(p, end, &value);
			if (!len) {
				p++;
				continue;
			}
			if (value) {
				char *example = pep_xstrndup(p, len);
				kv_put(&s->examples, example, NULL);
				free(example);
			}
			p += len;
		}
		free(text);
	}
}

/* The schema being completed by schema_examples(): pthread_once's
 * function takes no argument, so each thread names its schema here first. */
static _Thread_local pep_schema *examples_for;

static void collect_examples_once(void)
{
	collect_examples(examples_for, xmlDocGetRootElement(examples_for->xsd));
}

/* The schema's documentation examples, collected once whichever thread
 * asks first (the schema is otherwise read-only and shared). */
static const kvlist *schema_examples(const pep_schema *s)
{
	pep_schema *w = (pep_schema *)s; /* a cache filled once under pthread_once */
	examples_for = w;
	pthread_once(&w->examples_once, collect_examples_once);
	return &w->examples;
}

static void collect_schema_error(void *ctx, xmlErrorPtr e)
{
	pep_buf *b = ctx;
	if (e->level < XML_ERR_ERROR || b->len)
		return;
	pep_buf_printf(b, "line %d: %s", e->line, e->message ? e->message : "schema error");
	while (b->len && (b->s[b->len - 1] == '\n'))
		b->s[--b->len] = '\0';
}

pep_schema *pep_schema_load(const char *path, const pep_section_map *sections, char **err)
{
	pep_schema *s = NULL;
	char *buf = NULL;
	size_t len = 0;
	xmlSchemaParserCtxtPtr pctx = NULL;
	pep_diags *d = pep_diags_new(path);
	pep_buf msg = PEP_BUF_INIT;
	*err = NULL;

	if (pep_read_file(path, d, &buf, &len) != PEP_LOAD_OK)
		goto fail;
	s = pep_xcalloc(1, sizeof *s);
	s->sections = sections;
	if (pep_xml_parse(path, buf, len, d, &s->xsd) != PEP_LOAD_OK)
		goto fail;
	xmlNodePtr root = xmlDocGetRootElement(s->xsd);
	if (!root || !pep_xsd_is(root, "schema")) {
		pep_buf_puts(&msg, "not an XML Schema (the root is not xs:schema)");
		goto fail;
	}
	xmlChar *tns = xmlGetProp(root, BAD_CAST "targetNamespace");
	s->ns = pep_xstrdup(tns ? (const char *)tns : "");
	xmlFree(tns);
	collect_docs(s, root->children, NULL);
	s->examples_once = (pthread_once_t)PTHREAD_ONCE_INIT;

	/* xmlSchemaNewDocParserCtxt may modify the document it is given: give it
	 * a copy, and keep ours for the annotations. */
	xmlDocPtr copy = xmlCopyDoc(s->xsd, 1);
	pctx = xmlSchemaNewDocParserCtxt(copy);
	xmlSchemaSetParserStructuredErrors(pctx, collect_schema_error, &msg);
	s->schema = xmlSchemaParse(pctx);
	xmlSchemaFreeParserCtxt(pctx);
	xmlFreeDoc(copy);
	if (!s->schema) {
		if (!msg.len)
			pep_buf_puts(&msg, "the schema does not compile");
		goto fail;
	}
	pep_diags_free(d);
	pep_buf_free(&msg);
	free(buf);
	return s;
fail:
	if (!msg.len && pep_diags_count(d)) {
		const pep_diag *g = pep_diags_at(d, 0);
		if (g->line)
			pep_buf_printf(&msg, "line %d: ", g->line);
		pep_buf_puts(&msg, g->message);
	}
	*err = pep_xasprintf("%s: %s", path, msg.len ? pep_buf_str(&msg) : "cannot load the schema");
	pep_buf_free(&msg);
	pep_diags_free(d);
	free(buf);
	pep_schema_free(s);
	return NULL;
}

void pep_schema_free(pep_schema *s)
{
	if (!s)
		return;
	if (s->schema)
		xmlSchemaFree(s->schema);
	if (s->xsd)
		xmlFreeDoc(s->xsd);
	kv_free(&s->type_docs);
	kv_free(&s->pattern_docs);
	kv_free(&s->element_docs);
	kv_free(&s->labels);
	kv_free(&s->examples);
	free(s->ns);
	free(s);
}

void pep_schema_set_hints(pep_schema *s, const pep_ns_hint *hints)
{
	s->hints = hints;
}

const char *pep_schema_namespace(const pep_schema *s)
{
	return s->ns;
}

const char *pep_schema_label(const pep_schema *s, const char *parent, const char *name)
{
	const kv *l = NULL;
	if (parent) {
		char *key = pep_xasprintf("%s/%s", parent, name);
		l = kv_get(&s->labels, key);
		free(key);
	}
	if (!l || !l->val)
		l = kv_get(&s->labels, name);
	return l ? l->val : NULL;
}

bool pep_schema_declares(const pep_schema *s, const char *name)
{
	return kv_get(&s->labels, name) != NULL;
}

/* ------------------------------------------------------------------ */
/* Capturing and rewording errors                                        */
/* ------------------------------------------------------------------ */

/* The last element asked about at one depth of the element paths. */
typedef struct path_step {
	const struct _xmlNode *node;
	int index, count; /* its position among its namesakes, and their number */
} path_step;
#define PATH_CACHE 64

typedef struct capture {
	pep_diags *d;
	const pep_schema *s;     /* NULL when only parsing */
	bool parse_error;        /* the first parse error is kept, the cascade is not */
	bool doctype;            /* a <!DOCTYPE> was refused */
	const void *last_node;   /* the node of the last validity error */
	bool redact;             /* never quote values from the document */
	size_t added;            /* diagnostics added by this load */
	size_t max_size;         /* the largest document read (0: PEP_MAX_FILE_SIZE) */
	bool drop_blanks;        /* no text nodes of white space between elements */
	size_t nodes;            /* elements, comments and PIs parsed so far */
	bool too_many;           /* ... past PEP_MAX_NODES: parsing stopped */
	path_step path[PATH_CACHE]; /* element_path's memory, depth by depth */
} capture;

static void add(capture *c, const char *rule, char section, int line, const char *msg)
{
	pep_diags_add(c->d, rule, PEP_ERROR, section, line, "%s", msg);
	c->added++;
}

static void addf(capture *c, const char *rule, char section, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void addf(capture *c, const char *rule, char section, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pep_diags_addv(c->d, rule, PEP_ERROR, section, line, fmt, ap);
	va_end(ap);
	c->added++;
}

/* What a well-formedness error is, in words that quote nothing from the
 * file: for reports that must not show its content (pep check), and for
 * any error without a rewording of its own. NULL when the code is not
 * one of these. */
static const char *parse_error_kind(int code)
{
	static const struct { int code; const char *words; } kinds[] = {
		{XML_ERR_DOCUMENT_EMPTY, "no element here: the file holds no XML document (is it cut short, or the right file?)"},
		{XML_ERR_TAG_NAME_MISMATCH, "an element is closed by an end tag of another name: check for a missing or misspelt end tag"},
		{XML_ERR_TAG_NOT_FINISHED, "the file ends before an element is closed: it may be cut short; add the missing end tags"},
		{XML_ERR_UNDECLARED_ENTITY, "an entity reference (&name;) that XML does not know: type the character itself, or write & as &amp;"},
		{XML_ERR_ATTRIBUTE_REDEFINED, "an element has the same attribute twice: keep one"},
		{XML_NS_ERR_ATTRIBUTE_REDEFINED, "an element has the same attribute twice: keep one"},
		{XML_ERR_LT_IN_ATTRIBUTE, "a '<' inside an attribute value: write it as &lt;"},
		{XML_ERR_ATTRIBUTE_NOT_STARTED, "an attribute's value is not in quotes: write name=\"value\""},
		{XML_ERR_ATTRIBUTE_WITHOUT_VALUE, "an attribute has no value: write name=\"value\""},
		{XML_ERR_GT_REQUIRED, "a tag is not closed with '>'"},
		{XML_ERR_LTSLASH_REQUIRED, "an end tag is missing or malformed"},
		{XML_ERR_NAME_REQUIRED, "a '<' or '&' that does not start a tag or an entity: write them as &lt; and &amp;"},
		{XML_ERR_ENTITYREF_SEMICOL_MISSING, "a bare & in the text: write it as &amp;"},
		{XML_NS_ERR_UNDEFINED_NAMESPACE, "a namespace prefix that is not declared: declare it with xmlns:prefix, or remove the prefix"},
		{XML_NS_ERR_QNAME, "a name with a malformed namespace prefix"},
		{XML_NS_ERR_XML_NAMESPACE, "the xml prefix or its namespace used the wrong way"},
		{XML_NS_ERR_EMPTY, "an empty namespace name given to a prefix"},
		{XML_NS_ERR_COLON, "a name with more than one ':'"},
		{XML_WAR_NS_URI, "a namespace name that is not a valid URI"},
		{XML_WAR_NS_URI_RELATIVE, "a namespace name that is a relative URI"},
		{XML_ERR_ATTRIBUTE_NOT_FINISHED, "an attribute value is not closed: check its quotes"},
		{XML_ERR_STRING_NOT_CLOSED, "a quoted value is not closed: check its quotes"},
		{XML_ERR_EQUAL_REQUIRED, "an attribute without '=' before its value"},
		{XML_ERR_SPACE_REQUIRED, "a space is needed between two attributes"},
		{XML_ERR_NAME_TOO_LONG, "a name longer than XML allows"},
		{XML_ERR_VERSION_MISSING, "the <?xml ...?> declaration lacks its version"},
		{XML_ERR_UNKNOWN_VERSION, "the <?xml ...?> declaration names an unknown XML version"},
		{XML_ERR_NOT_WELL_BALANCED, "the tags are not well balanced"},
		{XML_ERR_INVALID_CHAR, "a character that XML does not allow (a control character?)"},
		{XML_ERR_INVALID_CHARREF, "a character reference (&#...;) to a character that XML does not allow"},
		{XML_ERR_INVALID_DEC_CHARREF, "a character reference (&#...;) to a character that XML does not allow"},
		{XML_ERR_INVALID_HEX_CHARREF, "a character reference (&#x...;) to a character that XML does not allow"},
		{XML_ERR_COMMENT_NOT_FINISHED, "a comment is not closed with -->"},
		{XML_ERR_PI_NOT_FINISHED, "a processing instruction is not closed with ?>"},
		{XML_ERR_CDATA_NOT_FINISHED, "a CDATA section is not closed with ]]>"},
		{XML_ERR_RESERVED_XML_NAME, "an <?xml ...?> declaration that is not at the very start of the file"},
		{XML_ERR_DOCUMENT_END, "there is more after the end of the document: a file holds one PEP; remove what follows its closing </pep>"},
		{XML_ERR_HYPHEN_IN_COMMENT, "a comment contains \"--\", which XML does not allow between <!-- and -->; write it another way"},
		{XML_ERR_ENTITY_LOOP, "entities refer to each other endlessly: PEP files must not declare entities"},
		{XML_ERR_ENTITY_BOUNDARY, "entities refer to each other endlessly: PEP files must not declare entities"},
		{0, NULL},
	};
	for (int i = 0; kinds[i].words; i++)
		if (kinds[i].code == code)
			return kinds[i].words;
	return NULL;
}

/* The rewording of a parser (well-formedness) error. With redact, nothing
 * from the file is quoted (names of elements, attributes and entities,
 * namespace URIs, bytes): the kind of problem and the line say where to
 * look. */
static void reword_parse(const xmlError *e, bool redact, pep_buf *b)
{
	const char *m = e->message ? e->message : "";
	if (e->code == XML_ERR_INTERNAL_ERROR && strstr(m, "Excessive depth")) {
		pep_buf_puts(b, "elements are nested more than 256 deep: this is not a PEP (a PEP is at most 8 deep)");
		return;
	}
	if ((e->code == XML_ERR_INVALID_CHAR || e->code == XML_ERR_INVALID_ENCODING) && strstr(m, "UTF-8")) {
		char *bytes = redact ? NULL : between(m, "Bytes: ", "\n");
		pep_buf_puts(b, "the file is not valid UTF-8");
		if (bytes)
			pep_buf_printf(b, " (the bytes %s)", bytes);
		pep_buf_puts(b, "; save it as UTF-8 in your editor, or name its real encoding in the first line, e.g. "
		                "<?xml version=\"1.0\" encoding=\"windows-1252\"?>");
		free(bytes);
		return;
	}
	if (!redact) {
		switch (e->code) {
		case XML_ERR_TAG_NAME_MISMATCH: {
			/* "Opening and ending tag mismatch: NAME line N and OTHER" */
			const char *open = e->str1 ? e->str1 : "?", *close = e->str2 ? e->str2 : "?";
			const char *at = strstr(m, " line ");
			int line = at ? atoi(at + 6) : 0;
			pep_buf_printf(b, "<%s> (opened on line %d) is closed by </%s>: close it with </%s>, or check for a missing or misspelt tag",
			               open, line, close, open);
			return;
		}
		case XML_ERR_TAG_NOT_FINISHED:
			pep_buf_printf(b, "the file ends before <%s> is closed: it may be cut short; add the missing end tags",
			               e->str1 ? e->str1 : "?");
			return;
		case XML_ERR_UNDECLARED_ENTITY:
			pep_buf_printf(b, "&%s; is not an XML entity: type the character itself (the file is UTF-8), or write & as &amp;",
			               e->str1 ? e->str1 : "?");
			return;
		case XML_ERR_NAME_REQUIRED:
		case XML_ERR_ENTITYREF_SEMICOL_MISSING:
			if (strstr(m, "EntityRef")) {
				pep_buf_puts(b, "a bare & in the text: write it as &amp;");
				return;
			}
			break;
		case XML_ERR_DOCUMENT_END:
		case XML_ERR_HYPHEN_IN_COMMENT:
		case XML_ERR_ENTITY_LOOP:
		case XML_ERR_ENTITY_BOUNDARY:
		case XML_ERR_DOCUMENT_EMPTY:
			pep_buf_puts(b, parse_error_kind(e->code));
			return;
		default:
			break;
		}
		/* Anything else: libxml2's words, first line, lower case, no full stop. */
		pep_buf_puts(b, "not well-formed XML: ");
		size_t start = b->len;
		for (const char *p = m; *p && *p != '\n'; p++)
			pep_buf_putc(b, *p);
		if (b->len > start)
			b->s[start] = (char)tolower((unsigned char)b->s[start]);
		while (b->len && (b->s[b->len - 1] == '.' || b->s[b->len - 1] == ' '))
			b->s[--b->len] = '\0';
		pep_buf_puts(b, "; check the XML on this line");
		return;
	}
	const char *kind = parse_error_kind(e->code);
	if (kind)
		pep_buf_printf(b, "not well-formed XML: %s", kind);
	else
		pep_buf_printf(b, "not well-formed XML (libxml2 error %d): check the XML on this line ('pep validate' on the "
		                  "file names what is wrong)", e->code);
}

static void on_parse_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr p = ctx;
	capture *c = p ? p->_private : NULL;
	if (!c || e->level < XML_ERR_ERROR || c->parse_error || c->doctype || c->too_many)
		return;
	c->parse_error = true;
	pep_buf b = PEP_BUF_INIT;
	reword_parse(e, c->redact, &b);
	add(c, "XML", 0, e->line, pep_buf_str(&b));
	pep_buf_free(&b);
}

/* SAX internalSubset: called at <!DOCTYPE ...> before any declaration in it
 * is read. A PEP has no DTD; refusing here means no entity is ever declared,
 * so none can be expanded or fetched. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)name;
	(void)ext;
	(void)sys;
	xmlParserCtxtPtr p = ctx;
	capture *c = p->_private;
	if (c && !c->doctype) {
		c->doctype = true;
		add(c, "XML", 0, xmlSAX2GetLineNumber(p),
		    "the file has a <!DOCTYPE> declaration: PEP files must not declare a DTD or entities (pep never reads them); remove the <!DOCTYPE ...> part");
	}
	xmlStopParser(p);
}

/* Whether a name from the document may be shown: always, unless redacting;
 * then only when the schema declares it (a name made up in the file, like
 * any other text in it, could be personal data). */
static bool name_shown(const capture *c, const xmlChar *name)
{
	return !c->redact || (name && c->s && kv_get(&c->s->element_docs, (const char *)name));
}

/* The position (from 1) of element e among its parent's children of the
 * same name, and how many there are. Validity errors come in document
 * order, so the last answer at each depth is kept: the siblings are
 * counted once per parent and name, and the position carried forward from
 * the last sibling asked about. A run of errors among n siblings then
 * costs n steps, not n squared. */
static void sibling_position(capture *c, int level, xmlNodePtr e, int *index, int *count)
{
	path_step *k = level < PATH_CACHE ? &c->path[level] : NULL;
	if (k && k->node == e) {
		*index = k->index;
		*count = k->count;
		return;
	}
	if (k && k->node && k->node->parent == e->parent && xmlStrEqual(k->node->name, e->name)) {
		/* A later sibling of the last one: count on from there. */
		int i = k->index;
		xmlNodePtr s = k->node->next;
		for (; s && s != e; s = s->next)
			if (s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, e->name))
				i++;
		if (s == e) {
			k->node = e;
			k->index = i + 1;
			*index = k->index;
			*count = k->count;
			return;
		}
	}
	int i = 0, n = 0;
	for (xmlNodePtr s = e->parent->children; s; s = s->next)
		if (s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, e->name)) {
			n++;
			if (s == e)
				i = n;
		}
	*index = i;
	*count = n;
	if (k) {
		k->node = e;
		k->index = i;
		k->count = n;
	}
}

/* The path of element n below the root ("essentialInformation/health/sdq"),
 * with [k] after an element that has siblings of the same name. With
 * redact, a name the schema does not declare is shown as "?". */
static void element_path(capture *c, xmlNodePtr n, pep_buf *b)
{
	xmlNodePtr chain[64];
	int depth = 0;
	for (xmlNodePtr p = n; p && p->type == XML_ELEMENT_NODE && p->parent &&
	                       p->parent->type == XML_ELEMENT_NODE && depth < 64;
	     p = p->parent)
		chain[depth++] = p;
	if (depth == 0 && n) {
		pep_buf_puts(b, name_shown(c, n->name) ? (const char *)n->name : "?");
		return;
	}
	for (int i = depth - 1; i >= 0; i--) {
		xmlNodePtr e = chain[i];
		pep_buf_puts(b, name_shown(c, e->name) ? (const char *)e->name : "?");
		int index = 0, count = 0;
		sibling_position(c, depth - 1 - i, e, &index, &count);
		if (count > 1)
			pep_buf_printf(b, "[%d]", index);
		if (i)
			pep_buf_putc(b, '/');
	}
}

static char section_of(const capture *c, xmlNodePtr n)
{
	if (!c->s || !c->s->sections)
		return 0;
	xmlNodePtr top = NULL;
	for (xmlNodePtr p = n; p && p->type == XML_ELEMENT_NODE && p->parent &&
	                       p->parent->type == XML_ELEMENT_NODE;
	     p = p->parent)
		top = p;
	if (!top)
		return 0;
	for (const pep_section_map *m = c->s->sections; m->element; m++)
		if (xmlStrEqual(top->name, BAD_CAST m->element))
			return m->section;
	return 0;
}

/* "SDQ score", "date of birth": the element in plain words. */
static void element_label(xmlNodePtr n, pep_buf *b)
{
	char w[128];
	if (generic_name((const char *)n->name) && n->parent && n->parent->type == XML_ELEMENT_NODE) {
		pep_xml_words((const char *)n->parent->name, w, sizeof w);
		pep_buf_puts(b, w);
		pep_buf_putc(b, ' ');
	}
	pep_xml_words((const char *)n->name, w, sizeof w);
	pep_buf_puts(b, w);
}

/* " <a>, <b> or <c>" from "( {ns}a, {ns}b, {ns}c )". */
static void expected_list(const char *m, pep_buf *b, char *first, size_t first_size)
{
	char *list = between(m, "( ", " )");
	if (first_size)
		first[0] = '\0';
	if (!list)
		return;
	char *save = NULL;
	int count = 0;
	char *items[32];
	for (char *t = strtok_r(list, ", ", &save); t && count < 32; t = strtok_r(NULL, ", ", &save)) {
		strip_ns(t);
		items[count++] = t;
	}
	for (int i = 0; i < count; i++) {
		if (i)
			pep_buf_puts(b, i == count - 1 ? " or " : ", ");
		pep_buf_printf(b, "<%s>", items[i]);
	}
	if (count && first_size)
		snprintf(first, first_size, "%s", items[0]);
	free(list);
}

static bool list_has_name(const char *m, const char *name)
{
	char *list = between(m, "( ", " )");
	if (!list)
		return false;
	bool found = false;
	char *save = NULL;
	for (char *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		strip_ns(t);
		if (strcmp(t, name) == 0)
			found = true;
	}
	free(list);
	return found;
}

/* "{'', 'N1', 'R'}" -> "N1, R" and whether '' was allowed. */
static void enumeration_list(const char *m, pep_buf *b, bool *empty_ok)
{
	*empty_ok = false;
	char *set = between(m, "{", "}");
	if (!set)
		return;
	int count = 0;
	for (char *p = set; *p;) {
		char *q = strchr(p, '\'');
		if (!q)
			break;
		char *r = strchr(q + 1, '\'');
		if (!r)
			break;
		if (r == q + 1) {
			*empty_ok = true;
		} else {
			if (count++)
				pep_buf_puts(b, ", ");
			pep_buf_add(b, q + 1, (size_t)(r - q - 1));
		}
		p = r + 1;
	}
	free(set);
}

/* The line an element ends on: a text or comment node's line is the one it
 * ends on, and the end tag follows the last child at once. */
static int end_line(xmlNodePtr e)
{
	for (int depth = 0; e->last && depth < 300; depth++) {
		if (e->last->type != XML_ELEMENT_NODE)
			return (int)xmlGetLineNo(e->last);
		e = e->last;
	}
	return (int)xmlGetLineNo(e);
}

/* Whether element list holds elements called name: it has one, or (when it
 * has none yet) the schema declares one inside it. */
static bool holds(const capture *c, xmlNodePtr list, const xmlChar *name)
{
	bool any = false;
	for (xmlNodePtr k = list->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE) {
			if (xmlStrEqual(k->name, name))
				return true;
			any = true;
		}
	if (any || !c->s)
		return false;
	char *key = pep_xasprintf("%s/%s", (const char *)list->name, (const char *)name);
	bool declared = kv_get(&c->s->element_docs, key) != NULL;
	free(key);
	return declared;
}

/* A list near node (one of the few elements before or after it) that node
 * belongs in: an <attendee> pasted after </attendees>. *after says it ends
 * before node. */
static xmlNodePtr nearby_list(const capture *c, xmlNodePtr node, bool *after)
{
	enum { NEAR = 3 };
	int seen = 0;
	for (xmlNodePtr s = node->prev; s && seen < NEAR; s = s->prev) {
		if (s->type != XML_ELEMENT_NODE)
			continue;
		seen++;
		if (holds(c, s, node->name)) {
			*after = true;
			return s;
		}
	}
	seen = 0;
	for (xmlNodePtr s = node->next; s && seen < NEAR; s = s->next) {
		if (s->type != XML_ELEMENT_NODE)
			continue;
		seen++;
		if (holds(c, s, node->name)) {
			*after = false;
			return s;
		}
	}
	return NULL;
}

static void reword_valid(capture *c, const xmlError *e, xmlNodePtr node, const char *attr, pep_buf *b)
{
	const char *m = e->message ? e->message : "";
	/* The part after "Element '...': " or "Element '...', attribute '...': ". */
	const char *body = strstr(m, "': ");
	body = body ? body + 3 : m;

	pep_buf label = PEP_BUF_INIT;
	if (attr) {
		pep_buf_printf(&label, "the %s attribute of ", attr);
		element_label(node, &label);
	} else {
		element_label(node, &label);
	}
	const char *L = pep_buf_str(&label);
	char *value = NULL;

	if (strstr(body, "[facet 'enumeration']")) {
		value = between(body, "The value '", "' is not");
		bool empty_ok;
		pep_buf_printf(b, "%s ", L);
		put_value(b, value ? value : "", c->redact);
		pep_buf_puts(b, " is not one of the allowed values: use one of ");
		enumeration_list(body, b, &empty_ok);
		if (empty_ok)
			pep_buf_puts(b, ", or leave it empty");
	} else if (strstr(body, "[facet 'maxInclusive']") || strstr(body, "[facet 'maxExclusive']")) {
		value = between(body, "The value '", "'");
		char *lim = between(body, "allowed ('", "')");
		pep_buf_printf(b, "%s ", L);
		put_value(b, value ? value : "", c->redact);
		pep_buf_printf(b, " is more than the maximum, %s", lim ? lim : "?");
		free(lim);
	} else if (strstr(body, "[facet 'minInclusive']") || strstr(body, "[facet 'minExclusive']")) {
		value = between(body, "The value '", "'");
		char *lim = between(body, "allowed ('", "')");
		pep_buf_printf(b, "%s ", L);
		put_value(b, value ? value : "", c->redact);
		pep_buf_printf(b, " is less than the minimum, %s", lim ? lim : "?");
		free(lim);
	} else if (strstr(body, "[facet 'pattern']")) {
		value = between(body, "The value '", "' is not accepted");
		char *pattern = between(body, "by the pattern '", "'.");
		const kv *doc = pattern && c->s ? kv_get(&c->s->pattern_docs, pattern) : NULL;
		pep_buf_printf(b, "%s ", L);
		put_value(b, value ? value : "", c->redact);
		if (doc && doc->val)
			pep_buf_printf(b, " is not valid: expected %s", doc->val);
		else
			pep_buf_printf(b, " does not have the expected form (%s)", pattern ? pattern : "?");
		free(pattern);
	} else if (strstr(body, "[facet 'maxLength']")) {
		char *len = between(body, "length of '", "'");
		char *lim = between(body, "maximum length of '", "'");
		pep_buf_printf(b, "%s is %s characters long, more than the %s allowed; shorten it", L,
		               len ? len : "?", lim ? lim : "?");
		free(len);
		free(lim);
	} else if (strstr(body, "[facet 'fractionDigits']")) {
		value = between(body, "The value '", "'");
		char *lim = between(body, "allowed ('", "')");
		pep_buf_printf(b, "%s ", L);
		put_value(b, value ? value : "", c->redact);
		pep_buf_printf(b, " has more than %s decimal places", lim ? lim : "?");
		free(lim);
	} else if (strstr(body, "is not a valid value of the")) {
		value = between(body, "'", "' is not");
		char *type = between(body, "type '", "'.");
		if (type)
			strip_ns(type);
		const kv *doc = type && c->s ? kv_get(&c->s->type_docs, type) : NULL;
		pep_buf_printf(b, "%s ", L);
		put_value(b, value ? value : "", c->redact);
		if (doc && doc->val)
			pep_buf_printf(b, " is not valid: expected %s", doc->val);
		else
			pep_buf_printf(b, " is not a valid %s", type ? type : "value");
		free(type);
	} else if (strstr(body, "Missing child element")) {
		char first[128];
		pep_buf list = PEP_BUF_INIT;
		expected_list(body, &list, first, sizeof first);
		pep_buf_printf(b, "<%s> lacks a required element: add %s", (const char *)node->name,
		               pep_buf_str(&list));
		char *key = pep_xasprintf("%s/%s", (const char *)node->name, first);
		const kv *doc = first[0] && c->s ? kv_get(&c->s->element_docs, key) : NULL;
		if (!doc || !doc->val)
			doc = first[0] && c->s ? kv_get(&c->s->element_docs, first) : NULL;
		free(key);
		if (doc && doc->val && !strchr(pep_buf_str(&list), ',')) {
			pep_buf_printf(b, " (%s)", doc->val);
			char *p = b->s + b->len - strlen(doc->val) - 1;
			*p = (char)tolower((unsigned char)*p);
		}
		pep_buf_free(&list);
	} else if (strstr(body, "This element is not expected")) {
		const char *name = (const char *)node->name;
		const char *parent = node->parent && node->parent->type == XML_ELEMENT_NODE
		                         ? (const char *)node->parent->name : "the document";
		pep_buf list = PEP_BUF_INIT;
		char first[128];
		expected_list(body, &list, first, sizeof first);
		bool known = c->s && kv_get(&c->s->element_docs, name);
		bool wrong_ns = list_has_name(body, name);
		bool single = list.len && !strchr(pep_buf_str(&list), ',') && !strstr(pep_buf_str(&list), " or ");
		bool after = false;
		xmlNodePtr home = known && !wrong_ns ? nearby_list(c, node, &after) : NULL;
		if (home)
			pep_buf_printf(b, "this <%s> (line %d) is outside the <%s> list that %s on line %d: move it inside",
			               name, (int)xmlGetLineNo(node), (const char *)home->name, after ? "ends" : "starts",
			               after ? end_line(home) : (int)xmlGetLineNo(home));
		else if (wrong_ns)
			pep_buf_printf(b, "<%s> is in the wrong XML namespace: PEP elements belong to \"%s\"; check the xmlns declarations",
			               name, c->s ? c->s->ns : "");
		else if (!known && c->redact)
			pep_buf_puts(b, "an element that is not part of this form (its name is not shown): check its spelling or remove it");
		else if (!known)
			pep_buf_printf(b, "<%s> is not an element of this form: check its spelling or remove it", name);
		else if (single)
			/* One element expected here: most often it is missing. */
			pep_buf_printf(b, "<%s> expects %s before <%s>: add it, or put the elements in the schema's order",
			               parent, pep_buf_str(&list), name);
		else
			pep_buf_printf(b, "<%s> is not allowed at this point in <%s>: it may be repeated, misplaced or out of order "
			                  "(elements must follow the schema's order)", name, parent);
		if (list.len && !home && !(known && single && !wrong_ns))
			pep_buf_printf(b, "; here <%s> expects %s", parent, pep_buf_str(&list));
		pep_buf_free(&list);
	} else if (strstr(body, "No matching global declaration")) {
		const char *ns = node->ns ? (const char *)node->ns->href : NULL;
		const char *want = c->s ? c->s->ns : "";
		const pep_ns_hint *hint = NULL;
		for (const pep_ns_hint *h = c->s ? c->s->hints : NULL; h && h->ns && ns && !hint; h++)
			if (strcmp(h->ns, ns) == 0)
				hint = h;
		if (hint)
			pep_buf_printf(b, "this is %s (namespace \"%s\"), not the form this command reads: %s", hint->what, ns,
			               hint->fix);
		else if (c->redact)
			pep_buf_printf(b, "the root element is not <pep> in the namespace \"%s\" (what it is is not shown): a "
			                  "PEP starts with <pep xmlns=\"%s\">", want, want);
		else if (xmlStrEqual(node->name, BAD_CAST "pep") && ns)
			pep_buf_printf(b, "the root element <pep> is in namespace \"%s\", but this version of pep reads \"%s\": "
			                  "set xmlns=\"%s\" (or convert the file)", ns, want, want);
		else if (!ns)
			pep_buf_printf(b, "the root element <%s> has no namespace: a PEP starts with <pep xmlns=\"%s\">",
			               (const char *)node->name, want);
		else
			pep_buf_printf(b, "the root element <%s> (namespace \"%s\") is not what this schema describes: "
			                  "the document should start with the namespace \"%s\"",
			               (const char *)node->name, ns, want);
	} else if (strstr(body, "is required but missing")) {
		char *a = between(body, "attribute '", "'");
		pep_buf_printf(b, "<%s> needs its %s attribute, e.g. <%s %s=\"...\">", (const char *)node->name,
		               a ? a : "?", (const char *)node->name, a ? a : "?");
		free(a);
	} else if (strstr(body, "is not allowed.") && strstr(body, "The attribute")) {
		char *a = c->redact ? NULL : between(body, "attribute '", "'");
		if (a)
			pep_buf_printf(b, "<%s> has an attribute %s that this form does not use: remove it",
			               (const char *)node->name, a);
		else
			pep_buf_printf(b, "<%s> has an attribute that this form does not use (its name is not shown): remove it",
			               (const char *)node->name);
		free(a);
	} else if (strstr(body, "Character content other than whitespace")) {
		pep_buf_printf(b, "text is not allowed directly inside <%s>: put it inside one of its elements",
		               (const char *)node->name);
	} else if (strstr(body, "Duplicate key-sequence")) {
		char *key = between(body, "['", "']");
		pep_buf_printf(b, "%s ", L);
		put_value(b, key ? key : "", c->redact);
		pep_buf_puts(b, " is given twice: keep one");
		free(key);
	} else if (strstr(body, "Element content is not allowed")) {
		pep_buf_printf(b, "<%s> holds a value, not other elements: remove the elements inside it",
		               (const char *)node->name);
	} else if (c->redact) {
		pep_buf_printf(b, "%s does not match the schema (the details would quote the file: 'pep validate' shows them)", L);
	} else {
		pep_buf_printf(b, "%s: ", L);
		size_t start = b->len;
		for (const char *p = body; *p && *p != '\n'; p++)
			pep_buf_putc(b, *p);
		while (b->len > start && (b->s[b->len - 1] == '.' || b->s[b->len - 1] == ' '))
			b->s[--b->len] = '\0';
	}
	pep_buf_puts(b, " (");
	element_path(c, node, b);
	pep_buf_putc(b, ')');
	free(value);
	pep_buf_free(&label);
}

static void on_valid_error(void *ctx, xmlErrorPtr e)
{
	capture *c = ctx;
	if (e->level < XML_ERR_ERROR)
		return;
	xmlNodePtr node = e->node;
	const char *attr = NULL;
	char *attr_from_msg = NULL;
	if (node && node->type == XML_ATTRIBUTE_NODE) {
		attr = (const char *)node->name;
		node = node->parent;
	} else if (e->message && strstr(e->message, "', attribute '")) {
		/* "Element '{ns}x', attribute 'code': ..." */
		attr = attr_from_msg = between(e->message, "', attribute '", "'");
	}
	if (pep_diags_full(c->d)) {
		/* Counted, not worded: the list shows no more. */
		if (!(c->last_node == (const void *)e->node && e->code == XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1))
			add(c, "XSD", 0, 0, "");
		c->last_node = e->node;
		free(attr_from_msg);
		return;
	}
	if (!node || node->type != XML_ELEMENT_NODE) {
		pep_buf b = PEP_BUF_INIT;
		if (c->redact)
			pep_buf_puts(&b, "does not match the schema here (the details would quote the file: 'pep validate' shows them)");
		else
			pep_buf_printf(&b, "does not match the schema: %s", e->message ? e->message : "");
		while (b.len && (b.s[b.len - 1] == '\n' || b.s[b.len - 1] == '.'))
			b.s[--b.len] = '\0';
		add(c, "XSD", 0, e->line, pep_buf_str(&b));
		pep_buf_free(&b);
		free(attr_from_msg);
		return;
	}
	/* A facet error is followed by "not a valid value of the atomic type"
	 * for the same value: one diagnostic is enough. */
	if (c->last_node == (const void *)e->node && e->code == XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1) {
		free(attr_from_msg);
		return;
	}
	c->last_node = e->node;
	pep_buf b = PEP_BUF_INIT;
	reword_valid(c, e, node, attr, &b);
	add(c, "XSD", section_of(c, node), (int)xmlGetLineNo(node), pep_buf_str(&b));
	pep_buf_free(&b);
	free(attr_from_msg);
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */
/* ------------------------------------------------------------------ */

struct pep_xml_loader {
	const pep_schema *s;
	xmlSchemaValidCtxtPtr vctx;
	xmlParserCtxtPtr parser; /* reused for every document this loader reads */
	bool redact;
	size_t max_size;
	bool drop_blanks;
};

void pep_xml_loader_set_redact(pep_xml_loader *l, bool redact)
{
	l->redact = redact;
}

void pep_xml_loader_set_drop_blanks(pep_xml_loader *l, bool drop)
{
	l->drop_blanks = drop;
}

void pep_xml_loader_set_max_size(pep_xml_loader *l, size_t max)
{
	l->max_size = max;
}

size_t pep_xml_loader_max_size(const pep_xml_loader *l)
{
	return l->max_size;
}

pep_xml_loader *pep_xml_loader_new(const pep_schema *s)
{
	pep_xml_loader *l = pep_xcalloc(1, sizeof *l);
	l->s = s;
	l->vctx = xmlSchemaNewValidCtxt(s->schema);
	l->parser = xmlNewParserCtxt();
	if (!l->vctx || !l->parser) {
		/* libxml2 fails here only when out of memory. */
		fprintf(stderr, "pep: out of memory (schema validation context)\n");
		abort();
	}
	return l;
}

void pep_xml_loader_free(pep_xml_loader *l)
{
	if (!l)
		return;
	xmlSchemaFreeValidCtxt(l->vctx);
	xmlFreeParserCtxt(l->parser);
	free(l);
}

/* ------------------------------------------------------------------ */
/* Decoding, and the limits that hold whatever the encoding             */
/* ------------------------------------------------------------------ */

/* Every structural limit is applied to the document as libxml2 will read
 * it: after decoding. A file in UTF-8 (or plain ASCII) is read as it is;
 * a file in any other encoding (UTF-16, UTF-32, ISO-8859-1, EBCDIC,
 * UTF-7, whatever libxml2 and iconv know) is first decoded to UTF-8 here,
 * with libxml2's own converters, and libxml2 then parses those UTF-8
 * bytes, told to ignore the declaration. The bytes the limits were
 * checked on are exactly the bytes parsed: there is no second reading
 * that an encoding trick could make differ. */

/* The encoding declared in the XML declaration at the start of s (ASCII
 * text), copied into out; false when there is none. */
static bool declared_encoding(const char *s, size_t n, char *out, size_t size)
{
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (n < 6 || memcmp(s, "<?xml", 5) != 0 || !isspace((unsigned char)s[5]))
		return false;
	const char *end = NULL;
	for (size_t i = 5; i + 1 < n && !end; i++)
		if (s[i] == '?' && s[i + 1] == '>')
			end = s + i;
	if (!end)
		return false;
	for (const char *p = s + 5; p + 8 < end; p++) {
		if (memcmp(p, "encoding", 8) != 0 || !isspace((unsigned char)p[-1]))
			continue;
		p += 8;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || *p != '=')
			return false;
		p++;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return false;
		char q = *p++;
		size_t k = 0;
		while (p < end && *p != q && k + 1 < size) {
			if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.' && *p != ':')
				return false;
			out[k++] = *p++;
		}
		out[k] = '\0';
		return p < end && *p == q && k > 0;
	}
	return false;
}

static bool is_utf8_name(const char *e)
{
	return strcasecmp(e, "UTF-8") == 0 || strcasecmp(e, "UTF8") == 0 || strcasecmp(e, "US-ASCII") == 0 ||
	       strcasecmp(e, "ASCII") == 0;
}

/* Whether e names an encoding of two or four bytes a character (UTF-16,
 * UTF-32, UCS-2, UCS-4, in any spelling), in which "<?xml" could never be
 * written one byte a letter. */
static bool is_wide_name(const char *e)
{
	static const char *const wide[] = {"UTF-16", "UTF16", "UTF-32", "UTF32", "UCS-2", "UCS2", "UCS-4", "UCS4",
	                                   "ISO-10646-UCS-2", "ISO-10646-UCS-4", "UNICODE", "CSUNICODE"};
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (strncasecmp(e, wide[i], strlen(wide[i])) == 0 &&
		    (strcasecmp(e, "UNICODE-1-1-UTF-7") != 0 && strncasecmp(e, "CSUNICODE11UTF7", 15) != 0))
			return true;
	return false;
}

/* Whether s[0..n) is all UTF-8. */
static bool all_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char b = s[i];
		size_t k = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
		if (!k || i + k > n)
			return false;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

/* The number of lines in s[0..n), counting from 1. */
static int lines_in(const xmlChar *s, int n)
{
	int line = 1;
	for (int i = 0; i < n; i++)
		line += s[i] == '\n';
	return line;
}

/* Converts in[0..len) with handler h into a new UTF-8 buffer (caller
 * frees). On a byte sequence that is not a character in that encoding,
 * or one cut off at the end, returns NULL with *bad_line set to the line
 * (of the decoded text) where it stands. */
static char *convert_to_utf8(xmlCharEncodingHandlerPtr h, const char *in, size_t len, size_t *out_len, int *bad_line)
{
	/* A copy with zero bytes after it: libxml2 reads four bytes at the
	 * point of a conversion error, for its own message. */
	char *copy = pep_xmalloc(len + 8);
	memcpy(copy, in, len);
	memset(copy + len, 0, 8);
	xmlBufferPtr src = xmlBufferCreateStatic(copy, len);
	xmlBufferPtr dst = xmlBufferCreateSize(len + len / 2 + 64);
	char *result = NULL;
	*bad_line = 0;
	if (!src || !dst) {
		*bad_line = 1;
		goto out;
	}
	while (xmlBufferLength(src) > 0) {
		int before = xmlBufferLength(src);
		int r = xmlCharEncInFunc(h, dst, src); /* as much as it can per call */
		if (r < 0 || xmlBufferLength(src) == before) {
			*bad_line = lines_in(xmlBufferContent(dst), xmlBufferLength(dst));
			goto out;
		}
	}
	*out_len = (size_t)xmlBufferLength(dst);
	result = pep_xmalloc(*out_len + 1);
	memcpy(result, xmlBufferContent(dst), *out_len);
	result[*out_len] = '\0';
out:
	xmlBufferFree(dst);
	xmlBufferFree(src);
	free(copy);
	return result;
}

/* A converter for the encoding called name, or NULL when libxml2 (with
 * iconv) has none. Free with xmlCharEncCloseFunc. */
static xmlCharEncodingHandlerPtr converter(const char *name)
{
	xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(name);
	if (h && h->input == NULL
#ifdef LIBXML_ICONV_ENABLED
	    && h->iconv_in == NULL
#endif
	) {
		xmlCharEncCloseFunc(h); /* it can write this encoding, not read it */
		h = NULL;
	}
	return h;
}

/* Decodes buf as an XML parser reads it (XML 1.0 appendix F): a byte-order
 * mark or the first bytes give the family (UTF-8 or another ASCII-based
 * encoding, UTF-16 or UTF-32 of either byte order, EBCDIC), and the
 * declaration names the encoding within it. Returns true with *utf8 NULL
 * when buf is UTF-8 (or ASCII) already, true with *utf8 (caller frees) and
 * *utf8_len when it was converted, or false after adding a diagnostic. */
static bool decode(capture *c, const char *buf, size_t len, char **utf8, size_t *utf8_len)
{
	*utf8 = NULL;
	const unsigned char *u = (const unsigned char *)buf;
	const char *fixed = NULL; /* an encoding the first bytes settle, byte order and all */
	bool ebcdic = false;
	if (len >= 4 && u[0] == 0xff && u[1] == 0xfe && u[2] == 0 && u[3] == 0)
		fixed = "UCS-4LE";
	else if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xfe && u[3] == 0xff)
		fixed = "UCS-4BE";
	else if (len >= 2 && u[0] == 0xff && u[1] == 0xfe)
		fixed = "UTF-16LE";
	else if (len >= 2 && u[0] == 0xfe && u[1] == 0xff)
		fixed = "UTF-16BE";
	else if (len >= 4 && u[0] == '<' && u[1] == 0 && u[2] == 0 && u[3] == 0)
		fixed = "UCS-4LE";
	else if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0 && u[3] == '<')
		fixed = "UCS-4BE";
	else if (len >= 2 && u[0] == '<' && u[1] == 0)
		fixed = "UTF-16LE";
	else if (len >= 2 && u[0] == 0 && u[1] == '<')
		fixed = "UTF-16BE";
	else if (len >= 4 && u[0] == 0x4c && u[1] == 0x6f && u[2] == 0xa7 && u[3] == 0x94)
		ebcdic = true; /* "<?xm" in EBCDIC: the declaration says which one */

	const char *name = fixed;
	char declared[48] = "";
	if (!fixed && !ebcdic) {
		declared_encoding(buf, len < 512 ? len : 512, declared, sizeof declared);
		if (!declared[0] || is_utf8_name(declared))
			return true; /* UTF-8: read as it is */
		if (is_wide_name(declared)) {
			/* "<?xml" one byte a letter, declared two or four bytes a
			 * letter: the declaration is wrong (.NET's StringWriter
			 * writes UTF-16 in the declaration of what it saves as
			 * UTF-8; xmllint: "Document labelled UTF-16 but has UTF-8
			 * content"). */
			bool is_utf8 = all_utf8(u, len);
			if (c->redact)
				addf(c, "XML", 0, 1, "the first line declares an encoding of two or four bytes a character (such as "
				                     "UTF-16), but the file is saved one byte a character%s: change the encoding in "
				                     "the first line to %s",
				     is_utf8 ? " (as UTF-8)" : "", is_utf8 ? "UTF-8" : "the one the file is saved in");
			else
				addf(c, "XML", 0, 1, "the first line declares encoding=\"%s\", but the file is saved one byte a "
				                     "character%s, not in %s: %s",
				     declared, is_utf8 ? " (its content is UTF-8)" : "", declared,
				     is_utf8 ? "change it to encoding=\"UTF-8\" (or save the file as UTF-16 in your editor)"
				          : "change the encoding in the first line to the one the file is saved in (windows-1252?), "
				            "or save the file as UTF-8 and say encoding=\"UTF-8\"");
			return false;
		}
		name = declared;
	} else if (ebcdic) {
		/* Read the declaration with the EBCDIC letters every code page shares. */
		xmlCharEncodingHandlerPtr e = xmlGetCharEncodingHandler(XML_CHAR_ENCODING_EBCDIC);
		size_t n = 0;
		int ignored;
		char *head = e ? convert_to_utf8(e, buf, len < 512 ? len : 512, &n, &ignored) : NULL;
		if (head)
			declared_encoding(head, n, declared, sizeof declared);
		free(head);
		if (e)
			xmlCharEncCloseFunc(e);
		name = declared[0] ? declared : "EBCDIC";
	}
	xmlCharEncodingHandlerPtr h = converter(name);
	if (!h) {
		if (c->redact || !declared[0] || fixed)
			addf(c, "XML", 0, 1, "the file is in an encoding pep cannot read: save it as UTF-8 in your editor");
		else
			addf(c, "XML", 0, 1, "the file declares the encoding \"%s\", which pep cannot read: save it as UTF-8 "
			                     "in your editor", declared);
		return false;
	}
	int bad_line = 0;
	*utf8 = convert_to_utf8(h, buf, len, utf8_len, &bad_line);
	xmlCharEncCloseFunc(h);
	if (!*utf8) {
		if (c->redact)
			addf(c, "XML", 0, bad_line, "the file is not valid in its encoding here: save it as UTF-8 in your editor");
		else
			addf(c, "XML", 0, bad_line, "the file is not valid %s here (a byte is not a character of that "
			                            "encoding): save it as UTF-8 in your editor", name);
		return false;
	}
	return true;
}

/* What a file that does not start with '<' looks like, for the message:
 * nothing, spaces, a PDF, a zip archive (Word, Excel, OpenDocument), an old
 * Office file, binary data, or plain text. Never quotes the file. */
static void not_xml(capture *c, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	int line = 1;
	while (i < len && (u[i] == ' ' || u[i] == '\t' || u[i] == '\r' || u[i] == '\n'))
		line += u[i++] == '\n';
	if (len == 0) {
		add(c, "XML", 0, 1, "the file is empty: it holds no XML document; is it the right file?");
		return;
	}
	if (i == len) {
		add(c, "XML", 0, 1, "the file holds only spaces and line breaks: it holds no XML document; is it the right file?");
		return;
	}
	const char *what = NULL;
	if (len - i >= 5 && memcmp(s + i, "%PDF-", 5) == 0)
		what = "this is a PDF, not XML: give the PEP's XML file (pep render makes PDFs from it)";
	else if (len - i >= 4 && memcmp(s + i, "PK\x03\x04", 4) == 0)
		what = "this is a zip archive (a Word, Excel or OpenDocument file?), not XML: export the PEP as XML";
	else if (len - i >= 4 && memcmp(s + i, "\xD0\xCF\x11\xE0", 4) == 0)
		what = "this is an old Office document (Word or Excel), not XML: export the PEP as XML";
	if (!what) {
		/* Binary: a control character, or bytes that are not UTF-8, near the start. */
		bool binary = false;
		size_t end = len - i > 4096 ? i + 4096 : len;
		for (size_t k = i; k < end && !binary;) {
			unsigned char b = u[k];
			if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
				binary = true;
			} else if (b < 0x80) {
				k++;
			} else {
				size_t n = b >= 0xf0 && b < 0xf5 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
				if (n == 0 || (b >= 0xf0 && n != 4))
					binary = true;
				for (size_t j = 1; j < n && !binary; j++)
					if (k + j < end && (u[k + j] & 0xc0) != 0x80)
						binary = true;
				k += n ? n : 1;
			}
		}
		what = binary ? "this is not XML: it looks like binary data (an XML file starts with '<'); is it the right file?"
		              : "this is not XML: it looks like plain text (an XML file starts with '<', as in <?xml ...?> or "
		                "<pep ...>); is it the right file?";
	}
	add(c, "XML", 0, line, what);
}

/* libxml2 2.9 checks each attribute of a start tag against the others, so
 * a tag with a million attributes takes minutes. No PEP, calendar or
 * stylesheet element needs more than a handful: one linear pass over the
 * decoded text counts the attributes of every start tag (skipping comments,
 * CDATA, processing instructions and quoted values) and finds the first
 * tag with more than MAX_ATTRIBUTES. Returns its offset, or (size_t)-1. */
#define MAX_ATTRIBUTES 256
static size_t too_many_attributes(const char *buf, size_t len)
{
	/* The text between tags is most of a PEP: memchr crosses it (and
	 * comments, CDATA, instructions and quoted values) at once. */
	const char *p = buf, *end = buf + len;
	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		const char *tag = p, *mark = NULL;
		if (end - p >= 4 && p[1] == '!' && p[2] == '-' && p[3] == '-')
			mark = "-->";
		else if (end - p >= 3 && p[1] == '!' && p[2] == '[')
			mark = "]]>";
		else if (end - p >= 2 && p[1] == '?')
			mark = "?>";
		if (mark) {
			/* Its '>' by memchr, then a look back: memmem would check the
			 * whole rest under AddressSanitizer at each call. */
			size_t m = strlen(mark);
			const char *q = p + m; /* the mark starts at p + 1 at the earliest */
			while (q < end && (q = memchr(q, '>', (size_t)(end - q))) != NULL &&
			       memcmp(q - (m - 1), mark, m - 1) != 0)
				q++;
			if (!q || q >= end)
				return (size_t)-1;
			p = q + 1;
			continue;
		}
		size_t count = 0;
		for (p++; p < end && *p != '>'; p++) {
			if (*p == '"' || *p == '\'') {
				const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
				if (!q)
					return (size_t)-1;
				p = q;
			} else if (*p == '=' && ++count > MAX_ATTRIBUTES) {
				return (size_t)(tag - buf);
			}
		}
	}
	return (size_t)-1;
}

static int line_of_offset(const char *buf, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

/* The nodes a document may have: elements, comments and processing
 * instructions (text nodes lie between them). A PEP has a few hundred; one
 * with 10,000 targets some 130,000. Each costs libxml2 over a hundred
 * bytes, and more again in validation and in the model: the limit keeps a
 * file of empty comments or elements from taking gigabytes. Counted in
 * libxml2's own SAX callbacks, so after decoding. */
static void count_node(xmlParserCtxtPtr p)
{
	capture *c = p->_private;
	if (!c || ++c->nodes <= PEP_MAX_NODES || c->too_many)
		return;
	c->too_many = true;
	add(c, "XML", 0, xmlSAX2GetLineNumber(p),
	    "the file has more than 200,000 elements and comments (a PEP has a few hundred): this is not a PEP; "
	    "is it the right file?");
	xmlStopParser(p);
}

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                             int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                             const xmlChar **attributes)
{
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted,
	                      attributes);
	count_node(ctx);
}

static void on_comment(void *ctx, const xmlChar *value)
{
	xmlSAX2Comment(ctx, value);
	count_node(ctx);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	xmlSAX2ProcessingInstruction(ctx, target, data);
	count_node(ctx);
}

/* Parses with the parser context p (reused across documents by a loader;
 * xmlCtxtReadMemory resets it, keeping its name dictionary), or with a new
 * one when p is NULL. */
static pep_load_status parse(capture *c, xmlParserCtxtPtr reuse, const char *name, const char *buf, size_t len,
                             xmlDocPtr *out)
{
	*out = NULL;
	quiet_this_thread();
	size_t max = c->max_size ? c->max_size : PEP_MAX_FILE_SIZE;
	if (len > max) {
		add(c, "XML", 0, 0, "the document is larger than a PEP can be");
		return PEP_LOAD_INVALID;
	}
	char *utf8 = NULL;
	size_t utf8_len = 0;
	if (!decode(c, buf, len, &utf8, &utf8_len))
		return PEP_LOAD_INVALID;
	const char *text = utf8 ? utf8 : buf;
	size_t tlen = utf8 ? utf8_len : len;
	pep_load_status status = PEP_LOAD_INVALID;
	xmlParserCtxtPtr p = NULL;
	xmlDocPtr doc = NULL;

	size_t start = tlen >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (start < tlen && (text[start] == ' ' || text[start] == '\t' || text[start] == '\r' || text[start] == '\n'))
		start++;
	if (start == tlen || text[start] != '<') {
		not_xml(c, text, tlen);
		goto out;
	}
	const char *nul = memchr(text, '\0', tlen);
	if (nul) {
		add(c, "XML", 0, line_of_offset(text, (size_t)(nul - text)),
		    "the file contains a NUL byte: it is binary or damaged, not a PEP");
		goto out;
	}
	size_t at = too_many_attributes(text, tlen);
	if (at != (size_t)-1) {
		add(c, "XML", 0, line_of_offset(text, at),
		    "an element here has more than 256 attributes: this is not a PEP (its elements have at most two)");
		goto out;
	}
	p = reuse ? reuse : xmlNewParserCtxt();
	if (!p) {
		add(c, "XML", 0, 0, "cannot create an XML parser (out of memory?)");
		goto out;
	}
	p->_private = c;
	p->sax->serror = on_parse_error;
	p->sax->internalSubset = on_doctype;
	p->sax->externalSubset = NULL;
	p->sax->startElementNs = on_start_element;
	p->sax->comment = on_comment;
	p->sax->processingInstruction = on_pi;
	/* XML_PARSE_NOBLANKS swaps this handler and nothing swaps it back: a
	 * context reused after a read without blanks would drop them still. */
	p->sax->ignorableWhitespace = xmlSAX2Characters;
	doc = xmlCtxtReadMemory(p, text, (int)tlen, name, utf8 ? "UTF-8" : NULL,
	                        PARSE_OPTIONS | (utf8 ? XML_PARSE_IGNORE_ENC : 0) | (c->drop_blanks ? XML_PARSE_NOBLANKS : 0));
	bool ok = doc && p->wellFormed && !c->doctype && !c->parse_error && !c->too_many;
	if (!ok && !c->added)
		add(c, "XML", 0, p->input ? p->input->line : 0, "not well-formed XML; check the file around this line");
	p->_private = NULL;
	if (ok) {
		*out = doc;
		doc = NULL;
		status = PEP_LOAD_OK;
	}
out:
	if (p && !reuse)
		xmlFreeParserCtxt(p);
	xmlFreeDoc(doc);
	free(utf8);
	return status;
}


pep_load_status pep_xml_parse(const char *name, const char *buf, size_t len, pep_diags *d, struct _xmlDoc **out)
{
	capture c = {.d = d};
	return parse(&c, NULL, name, buf, len, out);
}

pep_load_status pep_xml_loader_parse(pep_xml_loader *l, const char *name, const char *buf, size_t len, pep_diags *d,
                                     struct _xmlDoc **out)
{
	capture c = {.d = d, .s = l->s, .redact = l->redact, .max_size = l->max_size, .drop_blanks = l->drop_blanks};
	return parse(&c, l->parser, name, buf, len, out);
}

static void ignore_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static bool validate(pep_xml_loader *l, capture *c, xmlDocPtr doc)
{
	/* libxml2 2.9, raising an error on a node of a document that has a
	 * URL, walks back over every node before it (looking for XInclude
	 * markers to name the right file): n errors among n siblings would
	 * cost n squared steps. pep names files itself, so the document has
	 * no URL while it is validated. */
	const xmlChar *url = doc->URL;
	doc->URL = NULL;
	/* Without c, quietly: whether the document is valid, no more. */
	if (c)
		xmlSchemaSetValidStructuredErrors(l->vctx, on_valid_error, c);
	else
		xmlSchemaSetValidStructuredErrors(l->vctx, ignore_error, NULL);
	int r = xmlSchemaValidateDoc(l->vctx, doc);
	xmlSchemaSetValidStructuredErrors(l->vctx, NULL, NULL);
	doc->URL = url;
	if (!c)
		return r == 0;
	if (r < 0 && !c->added)
		add(c, "XSD", 0, 0, "the document could not be validated (libxml2 internal error)");
	if (r > 0 && !c->added)
		add(c, "XSD", 0, 0, "the document does not match the schema");
	return r == 0;
}

/* The element after e in document order below root (its first child
 * element, else the next element beside it or beside one of its
 * ancestors), or NULL: a walk over elements only, without recursion. */
static xmlNodePtr next_element(xmlNodePtr e, xmlNodePtr root)
{
	for (xmlNodePtr k = e->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return k;
	for (xmlNodePtr up = e; up && up != root; up = up->parent)
		for (xmlNodePtr k = up->next; k; k = k->next)
			if (k->type == XML_ELEMENT_NODE)
				return k;
	return NULL;
}

/* Whether dropping blank text could have changed what a document says: a
 * blank beside a comment or a processing instruction inside a value (an
 * element with no element child) goes with the others, and the value with
 * it (libxml2 keeps a blank only when it is all the element holds). */
static bool blanks_mattered(xmlNodePtr root)
{
	for (xmlNodePtr e = root; e;) {
		bool elements = false, others = false;
		for (xmlNodePtr k = e->children; k; k = k->next) {
			elements |= k->type == XML_ELEMENT_NODE;
			others |= k->type == XML_COMMENT_NODE || k->type == XML_PI_NODE;
		}
		if (others && !elements)
			return true;
		e = next_element(e, root);
	}
	return false;
}

bool pep_xml_loader_validate(pep_xml_loader *l, const char *name, const char *buf, size_t len, struct _xmlDoc **doc,
                             pep_diags *d)
{
	capture c = {.d = d, .s = l->s, .redact = l->redact, .max_size = l->max_size};
	quiet_this_thread();
	if (l->drop_blanks) {
		/* Without blank text a valid document is read a tenth faster; an
		 * invalid one, or one whose values the blanks could change, is
		 * read again with them, which its messages need (the lines of end
		 * tags are known from blank text only). */
		if (!blanks_mattered(xmlDocGetRootElement(*doc)) && validate(l, NULL, *doc))
			return true;
		xmlFreeDoc(*doc);
		*doc = NULL;
		if (parse(&c, l->parser, name, buf, len, doc) != PEP_LOAD_OK)
			return false; /* cannot be: it was well-formed a moment ago */
	}
	return validate(l, &c, *doc);
}

pep_load_status pep_xml_load(pep_xml_loader *l, const char *name, const char *buf, size_t len,
                             pep_diags *d, struct _xmlDoc **out)
{
	xmlDocPtr doc = NULL;
	*out = NULL;
	if (pep_xml_loader_parse(l, name, buf, len, d, &doc) != PEP_LOAD_OK)
		return PEP_LOAD_INVALID; /* a blank makes no document well-formed */
	if (!pep_xml_loader_validate(l, name, buf, len, &doc, d)) {
		xmlFreeDoc(doc);
		return PEP_LOAD_INVALID;
	}
	*out = doc;
	return PEP_LOAD_OK;
}

bool pep_xml_validate(pep_xml_loader *l, struct _xmlDoc *doc, pep_diags *d)
{
	capture c = {.d = d, .s = l->s, .redact = l->redact};
	quiet_this_thread();
	return validate(l, &c, doc);
}

const char *pep_xml_root_namespace(const struct _xmlDoc *doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	return root && root->ns && root->ns->href ? (const char *)root->ns->href : "";
}

void pep_xml_free(struct _xmlDoc *doc)
{
	if (doc)
		xmlFreeDoc(doc);
}

/* ------------------------------------------------------------------ */
/* Values typed inside comments                                         */
/* ------------------------------------------------------------------ */

/* The element name at p ("<name" or "<name>"), into name; its length, or 0. */
static size_t tag_name(const char *p, char *name, size_t size)
{
	if (*p != '<' || !isalpha((unsigned char)p[1]))
		return 0;
	size_t n = 0;
	for (p++; (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.') && n + 1 < size; p++)
		name[n++] = *p;
	name[n] = '\0';
	return *p == '>' || isspace((unsigned char)*p) || *p == '/' ? n : 0;
}

/* When p[0..end) starts with an element, "<name ...>...</name>" or
 * "<name/>", returns its length, with *value at the first character of
 * text inside it that is not white space (NULL when it holds none);
 * returns 0 when p does not start with a whole element. Linear in the
 * element's length. */
static size_t element_in_text(const char *p, const char *end, const char **value)
{
	char name[64];
	size_t n = tag_name(p, name, sizeof name);
	*value = NULL;
	if (!n)
		return 0;
	const char *q = p + 1 + n;
	while (q < end && *q != '>' && *q != '<')
		q++;
	if (q >= end || *q != '>')
		return 0;
	if (q[-1] == '/')
		return (size_t)(q + 1 - p);
	int depth = 1;
	for (q++; q < end; q++) {
		if (*q != '<') {
			if (!*value && !isspace((unsigned char)*q))
				*value = q;
			continue;
		}
		/* Markup: skip to its '>'; count the nesting of name itself. */
		bool close = q + 1 < end && q[1] == '/';
		const char *gt = memchr(q, '>', (size_t)(end - q));
		if (!gt)
			return 0;
		const char *at = q + (close ? 2 : 1);
		if ((size_t)(gt - at) >= n && strncmp(at, name, n) == 0 &&
		    (at[n] == '>' || at[n] == '/' || isspace((unsigned char)at[n]))) {
			if (close && --depth == 0)
				return (size_t)(gt + 1 - p);
			if (!close && gt[-1] != '/')
				depth++;
		}
		q = gt;
	}
	return 0;
}

/* Whether element e has a child element called name holding any text;
 * *line is set to the line of its first child of that name (0 when none). */
static bool has_filled_child(xmlNodePtr e, const char *name, int *line)
{
	*line = 0;
	for (xmlNodePtr k = e->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE || !xmlStrEqual(k->name, BAD_CAST name))
			continue;
		if (!*line)
			*line = (int)xmlGetLineNo(k);
		xmlChar *text = xmlNodeGetContent(k);
		bool filled = false;
		for (const xmlChar *p = text; p && *p && !filled; p++)
			filled = !isspace(*p);
		xmlFree(text);
		if (filled)
			return true;
	}
	return false;
}


/* Adds to out[*n] (up to max) each element of comment c (a child of
 * element e) that holds a value and belongs in e, declared by the schema,
 * where e has no such field filled in, unless it is an example from the
 * schema's documentation. *budget counts the elements with a value (each
 * looked up in the schema and among e's children), and scans the elements
 * looked for in one comment's text, so that a hostile file (thousands of
 * such comments beside thousands of filled elements, or one comment of
 * unclosed tags) costs linear time. */
static void commented_values(const pep_schema *s, xmlNodePtr e, xmlNodePtr c, pep_xml_commented *out, size_t *n,
                             size_t max, int *budget)
{
	const char *text = (const char *)c->content;
	if (!text || !strchr(text, '<'))
		return;
	const char *end = text + strlen(text);
	int lines = 0;
	for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	int last = (int)xmlGetLineNo(c); /* a comment's line is the one it ends on */
	int first = last - lines, scans = 16;
	for (const char *p = text; *n < max && scans > 0 && (p = strchr(p, '<')) != NULL;) {
		const char *value = NULL;
		char name[64];
		if (!tag_name(p, name, sizeof name)) {
			p++;
			continue;
		}
		scans--;
		size_t len = element_in_text(p, end, &value);
		if (!len) {
			p++;
			continue;
		}
		const char *at = p;
		p += len;
		if (!value)
			continue;
		if (*budget <= 0)
			return;
		--*budget;
		if (!kv_get(&s->element_docs, name))
			continue;
		char *markup = collapsed_span(at, at + len);
		bool example = kv_get(schema_examples(s), markup) != NULL;
		free(markup);
		if (example)
			continue;
		int field = 0;
		if (has_filled_child(e, name, &field))
			continue;
		pep_xml_commented *o = &out[(*n)++];
		snprintf(o->name, sizeof o->name, "%s", name);
		o->first = first;
		o->last = last;
		o->value_line = first;
		for (const char *q = text; q < value; q++)
			o->value_line += *q == '\n';
		o->anchor = (int)xmlGetLineNo(e);
		o->field_line = field;
	}
}

size_t pep_xml_commented_values(const struct _xmlDoc *doc, const pep_schema *s, pep_xml_commented *out, size_t max)
{
	size_t n = 0;
	int budget = 64;
	xmlNodePtr root = doc ? xmlDocGetRootElement((xmlDocPtr)doc) : NULL;
	/* Depth first, without recursion; only elements are entered. */
	for (xmlNodePtr e = root; e && n < max;) {
		for (xmlNodePtr k = e->children; k && n < max; k = k->next)
			if (k->type == XML_COMMENT_NODE)
				commented_values(s, e, k, out, &n, max, &budget);
		e = next_element(e, root);
	}
	return n;
}
