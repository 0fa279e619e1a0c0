/* edit.c: one PEP open in a form (see edit.h). */
#include "edit.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "author.h"
#include "edit_words.h"
#include "json.h"
#include "outfile.h"
#include "xalloc.h"

/* A comment inside the root of a file on another format's form, and where
 * it was: below the element at parent (its names and places from the root,
 * "childDetails[1]/school[1]"; "" for the root), before the element at next
 * (".../school[1]/name[2]": the second name in that school), or last (next
 * NULL). The stylesheets drop comments; Save puts them back there. */
typedef struct comment {
	char *parent, *next, *text;
} comment;

static void comments_free(comment *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].parent);
		free(v[i].next);
		free(v[i].text);
	}
	free(v);
}

struct pep_edit {
	const pep_checker *checker;
	pep_xml_loader *loader; /* owned */
	const pep_form *form;
	char *path;             /* as given: messages */
	char *target;           /* where Save writes: the real path (a symbolic link stays one) */
	xmlDocPtr doc;          /* the document, edited in place */
	xmlNodePtr *byid;       /* id -> element; NULL once removed; [0] unused */
	size_t nids, capids;
	bool no_empty;          /* write an empty element <x></x>, as the file did, not <x/> */
	bool bom;               /* the file starts with UTF-8's byte order mark: keep it */
	bool dirty;
	/* The file on disk as last read or written. */
	bool on_disk;
	char *disk;
	size_t disk_len;
	/* The last check, of the bytes Save would write. */
	char *text;
	size_t text_len;
	pep_diags *diags;
	pep_load_status status;
	pep_doc *checked;       /* the model, when schema-valid */
	long *line_ids;         /* line -> id of the first element starting there */
	size_t nlines;
	/* The file's form. The form shows a PEP in the canonical format; one on
	 * another format's form (Southwark's) is converted to it when read, and
	 * back when checked and saved (convert.h), its carried block keeping
	 * what that form has no place for. */
	const pep_format *format; /* the file's format (the canonical one for --new) */
	char *root;               /* its root element as last read or saved ("pepReview"), another format */
	char *text_root;          /* the root element of text, another format */
	char *before, *after;     /* the comments and processing instructions around its root, kept */
	struct comment *comments; /* the comments inside it, put back where they were */
	size_t ncomments;
	char *form_text;          /* text as the stylesheet wrote it (before the comments), another format */
	size_t form_len;
	pep_conversion *conversion; /* the last save's conversion (its report), another format; or NULL */
};

/* A document larger than this is not edited further (a PEP is a few tens
 * of kilobytes; this is what pep reads at most). */
#define MAX_TEXT ((size_t)PEP_MAX_FILE_SIZE)

/* ------------------------------------------------------------------ */
/* Elements and their ids                                               */
/* ------------------------------------------------------------------ */

static bool is_pep(const pep_edit *e, const xmlNode *n)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, pep_form_namespace(e->form)) == 0;
}

static long id_of(const xmlNode *n)
{
	return (long)(uintptr_t)n->_private;
}

/* Gives n and every element below it the next ids, in document order. */
static void number(pep_edit *e, xmlNodePtr n)
{
	if (n->type != XML_ELEMENT_NODE)
		return;
	if (e->nids == e->capids) {
		e->capids = e->capids ? e->capids * 2 : 256;
		e->byid = pep_xrealloc(e->byid, e->capids * sizeof *e->byid);
		if (e->nids == 0)
			e->byid[e->nids++] = NULL; /* ids start at 1 */
	}
	n->_private = (void *)(uintptr_t)e->nids;
	e->byid[e->nids++] = n;
	for (xmlNodePtr c = n->children; c; c = c->next)
		number(e, c);
}

static void forget(pep_edit *e, xmlNodePtr n)
{
	if (n->type != XML_ELEMENT_NODE)
		return;
	long id = id_of(n);
	if (id > 0 && (size_t)id < e->nids)
		e->byid[id] = NULL;
	for (xmlNodePtr c = n->children; c; c = c->next)
		forget(e, c);
}

static xmlNodePtr node_at(const pep_edit *e, long id)
{
	return id > 0 && (size_t)id < e->nids ? e->byid[id] : NULL;
}

/* The form's description of n, or NULL when the schema has no place for it
 * (another namespace, an unknown or misplaced element). */
static const pep_form_elem *form_of(const pep_edit *e, const xmlNode *n)
{
	if (!is_pep(e, n))
		return NULL;
	const pep_form_elem *root = pep_form_root(e->form);
	if (!n->parent || n->parent->type != XML_ELEMENT_NODE)
		return strcmp((const char *)n->name, root->name) == 0 ? root : NULL;
	const pep_form_elem *p = form_of(e, n->parent);
	return p && !p->value ? pep_form_child(p, (const char *)n->name) : NULL;
}

static bool blank_text(const xmlNode *n)
{
	if (!n || n->type != XML_TEXT_NODE)
		return false;
	for (const xmlChar *p = n->content; p && *p; p++)
		if (!isspace(*p))
			return false;
	return true;
}

static bool has_elements(const xmlNode *n)
{
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/* The text of a value element: its text and CDATA, not its comments. */
static void text_of(const xmlNode *n, pep_buf *b)
{
	for (xmlNodePtr c = n->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			pep_buf_puts(b, (const char *)c->content);
}

/* ------------------------------------------------------------------ */
/* Laying out new elements                                              */
/* ------------------------------------------------------------------ */

/* The white space after the last line break of the text node before n
 * ("\n    "), or NULL when n is not on a line of its own. */
static const char *indent_before(const xmlNode *n)
{
	const xmlNode *p = n ? n->prev : NULL;
	if (!blank_text(p))
		return NULL;
	const char *nl = strrchr((const char *)p->content, '\n');
	return nl;
}

/* How a child of parent is indented ("\n    "), or NULL when the document
 * is not laid out one element to a line (new elements are then not either).
 * Caller frees. */
static char *child_indent(const xmlNode *parent)
{
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE) {
			const char *in = indent_before(c);
			return in ? pep_xstrdup(in) : NULL;
		}
	const char *own = indent_before(parent);
	if (own)
		return pep_xasprintf("%s  ", own);
	if (parent->parent && parent->parent->type == XML_DOCUMENT_NODE)
		return pep_xstrdup("\n  ");
	return NULL;
}

static xmlNodePtr new_text(xmlDocPtr doc, const char *s)
{
	return xmlNewDocText(doc, BAD_CAST s);
}

/* The position of name among the children of pe, or SIZE_MAX. */
static size_t order_of(const pep_form_elem *pe, const char *name)
{
	for (size_t i = 0; i < pe->nkids; i++)
		if (strcmp(pe->kids[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* Puts n (of form k) among the children of parent (of form pe): after the
 * last sibling the schema puts before it or beside it, else before all. */
static void insert_in_order(pep_edit *e, xmlNodePtr parent, const pep_form_elem *pe, xmlNodePtr n,
                            const pep_form_elem *k)
{
	size_t want = (size_t)(k - pe->kids);
	xmlNodePtr after = NULL;
	for (xmlNodePtr c = parent->children; c; c = c->next) {
		if (!is_pep(e, c))
			continue;
		size_t i = order_of(pe, (const char *)c->name);
		if (i != SIZE_MAX && i <= want)
			after = c;
	}
	char *indent = child_indent(parent);
	if (after) {
		xmlAddNextSibling(after, n);
		if (indent)
			xmlAddPrevSibling(n, new_text(e->doc, indent));
	} else if (parent->children) {
		xmlAddPrevSibling(parent->children, n);
		if (indent)
			xmlAddPrevSibling(n, new_text(e->doc, indent));
	} else {
		xmlAddChild(parent, n);
		if (indent) {
			xmlAddPrevSibling(n, new_text(e->doc, indent));
			const char *own = indent_before(parent);
			xmlAddChild(parent, new_text(e->doc, own ? own : "\n"));
		}
	}
	free(indent);
}

/* Removes n with the line break and indentation before it. */
static void remove_node(pep_edit *e, xmlNodePtr n)
{
	xmlNodePtr ws = blank_text(n->prev) ? n->prev : NULL;
	xmlNodePtr parent = n->parent;
	forget(e, n);
	xmlUnlinkNode(n);
	xmlFreeNode(n);
	if (ws) {
		xmlUnlinkNode(ws);
		xmlFreeNode(ws);
	}
	/* A parent left with only white space is left empty, as it would be
	 * written: <targets></targets>. */
	bool only_blank = parent && parent->children;
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (!blank_text(c))
			only_blank = false;
	if (only_blank)
		while (parent->children) {
			xmlNodePtr c = parent->children;
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
}

static xmlNodePtr make_elem(pep_edit *e, xmlNodePtr parent, const pep_form_elem *pe, const pep_form_elem *k);

/* The value a required attribute starts with: for a closed list, the first
 * value no sibling of the same name has yet (a new sectionComplete gets the
 * next free section letter), else "". */
static const char *start_value(const pep_edit *e, const xmlNode *n, const pep_form_attr *a)
{
	if (!a->type || !a->type->nvalues)
		return "";
	for (size_t v = 0; v < a->type->nvalues; v++) {
		bool used = false;
		for (xmlNodePtr s = n->parent ? n->parent->children : NULL; s && !used; s = s->next) {
			if (s == n || !is_pep(e, s) || !xmlStrEqual(s->name, n->name))
				continue;
			xmlChar *x = xmlGetNoNsProp(s, BAD_CAST a->name);
			used = x && strcmp((const char *)x, a->type->values[v].value) == 0;
			xmlFree(x);
		}
		if (!used)
			return a->type->values[v].value;
	}
	return "";
}

/* A new element of form k under parent (form pe), with its required
 * attributes and elements, numbered. */
static xmlNodePtr make_elem(pep_edit *e, xmlNodePtr parent, const pep_form_elem *pe, const pep_form_elem *k)
{
	xmlNodePtr n = xmlNewDocNode(e->doc, parent->ns, BAD_CAST k->name, NULL);
	insert_in_order(e, parent, pe, n, k);
	for (size_t i = 0; i < k->nattrs; i++)
		if (k->attrs[i].required)
			xmlNewNsProp(n, NULL, BAD_CAST k->attrs[i].name, BAD_CAST start_value(e, n, &k->attrs[i]));
	for (size_t i = 0; !k->value && i < k->nkids; i++)
		if (k->kids[i].min > 0 && !k->kids[i].choice)
			make_elem(e, n, k, &k->kids[i]);
	number(e, n);
	return n;
}

/* The first child of n named name in the form's namespace, or NULL. */
static xmlNodePtr child_named(const pep_edit *e, const xmlNode *n, const char *name)
{
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (is_pep(e, c) && xmlStrEqual(c->name, BAD_CAST name))
			return c;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Checking                                                             */
/* ------------------------------------------------------------------ */

/* A copy of len bytes that may hold NULs (UTF-16), NUL-terminated (caller
 * frees). */
static char *dup_bytes(const char *s, size_t len)
{
	char *d = pep_xmalloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static bool canonical(const pep_edit *e)
{
	return pep_format_is_canonical(e->format);
}

/* doc as text (caller frees), in its own encoding (UTF-16 with a byte order
 * mark for a UTF-16 file), with bom UTF-8's byte order mark. A document
 * converted from another format has no white space between its elements:
 * it is indented (and re-read, its lines are those of this text). */
static char *serialise_doc(xmlDocPtr doc, bool indent, bool no_empty, bool bom, size_t *len)
{
	const char *enc = doc->encoding ? (const char *)doc->encoding : "UTF-8";
	int options = (no_empty ? XML_SAVE_NO_EMPTY : 0) | (indent ? XML_SAVE_FORMAT : 0);
	xmlBufferPtr buf = xmlBufferCreate();
	xmlSaveCtxtPtr s = xmlSaveToBuffer(buf, enc, options);
	if (!s) /* an encoding libxml2 cannot write: UTF-8 */
		s = xmlSaveToBuffer(buf, "UTF-8", options);
	xmlSaveDoc(s, doc);
	xmlSaveClose(s);
	static const char bom_bytes[] = "\xef\xbb\xbf";
	const char *bytes = (const char *)xmlBufferContent(buf);
	size_t n = (size_t)xmlBufferLength(buf);
	bool add_bom = bom && !(n >= 3 && memcmp(bytes, bom_bytes, 3) == 0);
	*len = n + (add_bom ? 3 : 0);
	char *text = pep_xmalloc(*len + 1);
	memcpy(text, bom_bytes, add_bom ? 3 : 0);
	memcpy(text + (add_bom ? 3 : 0), bytes, n);
	text[*len] = '\0';
	xmlBufferFree(buf);
	return text;
}

/* The document in the canonical format, as Save would write it for a
 * canonical file (caller frees). */
static char *serialise(const pep_edit *e, size_t *len)
{
	return canonical(e) ? serialise_doc(e->doc, false, e->no_empty, e->bom, len)
	                    : serialise_doc(e->doc, true, false, false, len);
}

/* The next element from n on (n itself included) called name, or NULL. */
static const xmlNode *next_named(const xmlNode *n, const xmlChar *name)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, name))
			return n;
	return NULL;
}

static const xmlNode *next_element(const xmlNode *n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

/* Walks the document and a copy of it whose elements have the lines of
 * the text checked: each element of the copy knows its line, each of the
 * document its id. Children are paired in order where both have the same
 * names in the same order (always, for a copy read again from the
 * document's own text); otherwise by name and place among those of that
 * name, so that one the copy lacks (an empty element another format's
 * form leaves out) misleads no other. */
static void map_lines(pep_edit *e, const xmlNode *mine, const xmlNode *copy)
{
	long line = xmlGetLineNo(copy);
	if (line > 0 && (size_t)line < e->nlines && !e->line_ids[line])
		e->line_ids[line] = id_of(mine);
	const xmlNode *a = next_element(mine->children), *b = next_element(copy->children);
	while (a && b && xmlStrEqual(a->name, b->name)) {
		a = next_element(a->next);
		b = next_element(b->next);
	}
	bool same = !a && !b;
	const xmlNode *last = NULL, *last_b = NULL;
	size_t k = 0;
	b = next_element(copy->children);
	for (a = next_element(mine->children); a; a = next_element(a->next)) {
		if (same) {
			map_lines(e, a, b);
			b = next_element(b->next);
			continue;
		}
		/* A run of one name is walked on; at its start, its place is counted. */
		if (last && xmlStrEqual(last->name, a->name)) {
			k++;
		} else {
			k = 0;
			for (const xmlNode *p = a->prev; p; p = p->prev)
				k += p->type == XML_ELEMENT_NODE && xmlStrEqual(p->name, a->name);
			last_b = NULL;
		}
		const xmlNode *pair = NULL;
		if (last_b) {
			pair = next_named(last_b->next, a->name);
		} else {
			size_t seen = 0;
			for (pair = next_named(copy->children, a->name); pair && seen < k; seen++)
				pair = next_named(pair->next, a->name);
		}
		if (pair)
			map_lines(e, a, pair);
		last = a;
		last_b = pair;
	}
}

/* Checks the canonical text (e->text) as pep validate checks a file; *lines
 * gets it read again. */
static void check_canonical(pep_edit *e, xmlDocPtr *lines)
{
	e->status = pep_check_memory(e->checker, e->loader, e->path, e->text, e->text_len, e->diags, &e->checked);
	pep_diags *ignored = pep_diags_new(e->path);
	pep_xml_parse(e->path, e->text, e->text_len, ignored, lines);
	pep_diags_free(ignored);
}

/* text (n bytes) with the comments and processing instructions that were
 * around the file's root element put back: after the XML declaration and at
 * the end (caller frees). */
static char *with_prolog(const pep_edit *e, const char *text, size_t n, size_t *len)
{
	pep_buf b = PEP_BUF_INIT;
	const char *decl_end = n > 5 && memcmp(text, "<?xml", 5) == 0 ? memmem(text, n, "?>\n", 3) : NULL;
	size_t head = decl_end ? (size_t)(decl_end + 3 - text) : 0;
	pep_buf_add(&b, text, head);
	pep_buf_puts(&b, e->before ? e->before : "");
	pep_buf_add(&b, text + head, n - head);
	pep_buf_puts(&b, e->after ? e->after : "");
	*len = b.len;
	return pep_buf_detach(&b);
}

/* Finds elements by their steps from the root ("a[1]/b[2]": the second b
 * in the first a), asked in document order: each step found is kept, and a
 * later step of the same name and a higher place is looked for on from it,
 * so that the comments of a long list cost one walk of the list. */
#define MAX_STEPS_DEEP 64
typedef struct finder {
	xmlNodePtr root;
	size_t valid; /* at[0..valid) are the steps last found, each below the one before */
	struct {
		const char *name; /* borrowed from the comment that asked */
		size_t len, place;
		xmlNodePtr node;
	} at[MAX_STEPS_DEEP];
} finder;

/* The element at steps, the last of them ending at its NUL; NULL when
 * there is none. */
static xmlNodePtr find_steps(finder *f, const char *steps)
{
	xmlNodePtr n = f->root;
	size_t i = 0;
	bool same = true; /* the steps so far are those found last time */
	for (const char *p = steps; n && *p; i++) {
		const char *open = strchr(p, '['), *slash = strchr(p, '/');
		if (!open || (slash && slash < open) || i == MAX_STEPS_DEEP)
			return NULL;
		size_t len = (size_t)(open - p), place = strtoul(open + 1, NULL, 10), seen = 0;
		xmlNodePtr c = n->children;
		bool kin = same && i < f->valid && f->at[i].len == len && memcmp(f->at[i].name, p, len) == 0;
		if (kin && f->at[i].place == place) {
			n = f->at[i].node; /* the same step */
		} else {
			if (kin && f->at[i].node && f->at[i].place < place) { /* on from the last of its name */
				c = f->at[i].node;
				seen = f->at[i].place - 1;
			}
			same = false;
			xmlNodePtr found = NULL;
			for (; c && !found; c = c->next)
				if (c->type == XML_ELEMENT_NODE && strlen((const char *)c->name) == len &&
				    memcmp(c->name, p, len) == 0 && ++seen == place)
					found = c;
			n = found;
			f->at[i].name = p;
			f->at[i].len = len;
			f->at[i].place = place;
			f->at[i].node = n;
		}
		p = slash ? slash + 1 : p + strlen(p);
	}
	/* Below a step found anew, what was found before is below another element. */
	if (!same || i > f->valid)
		f->valid = i;
	return n;
}

/* text (n bytes, the form as the stylesheet wrote it) with the file's
 * comments put back where they were: before the element they were before,
 * else last in the element they were in, indented as its children are; a
 * comment whose element is gone goes with it (caller frees). */
static char *with_comments(const pep_edit *e, const char *text, size_t n, size_t *len)
{
	pep_diags *ignored = pep_diags_new(e->path);
	xmlDocPtr doc = NULL;
	if (pep_xml_parse(e->path, text, n, ignored, &doc) != PEP_LOAD_OK) {
		pep_diags_free(ignored);
		*len = n;
		return dup_bytes(text, n);
	}
	pep_diags_free(ignored);
	finder *f = pep_xcalloc(1, sizeof *f);
	f->root = xmlDocGetRootElement(doc);
	for (size_t i = 0; i < e->ncomments; i++) {
		const comment *k = &e->comments[i];
		xmlNodePtr parent = find_steps(f, k->parent);
		if (!parent)
			continue;
		xmlNodePtr next = k->next ? find_steps(f, k->next) : NULL;
		xmlNodePtr c = xmlNewDocComment(doc, BAD_CAST k->text);
		if (next) {
			xmlAddPrevSibling(next, c);
			if (blank_text(c->prev))
				xmlAddPrevSibling(next, xmlNewDocText(doc, c->prev->content));
			continue;
		}
		xmlNodePtr last = parent->last, elem = last;
		while (elem && elem->type != XML_ELEMENT_NODE)
			elem = elem->prev;
		if (blank_text(last) && elem && blank_text(elem->prev)) {
			xmlAddPrevSibling(last, c);
			xmlAddPrevSibling(c, xmlNewDocText(doc, elem->prev->content));
		} else {
			xmlAddChild(parent, c);
		}
	}
	free(f);
	xmlBufferPtr buf = xmlBufferCreate();
	xmlSaveCtxtPtr s = xmlSaveToBuffer(buf, "UTF-8", 0);
	xmlSaveDoc(s, doc);
	xmlSaveClose(s);
	*len = (size_t)xmlBufferLength(buf);
	char *out = dup_bytes((const char *)xmlBufferContent(buf), *len);
	xmlBufferFree(buf);
	pep_xml_free(doc);
	return out;
}

/* For a file on another format's form: the canonical text (e->text), if
 * valid, converted to that form as pep convert converts a file (what the
 * form has no place for goes into its carried block; Save then checks,
 * with pep convert's own conversion, that nothing is lost: verify_form),
 * which is then checked as pep validate checks a file: a result not valid
 * on the form cannot be saved, and its messages say why. *lines gets the
 * document read from it, with the lines of the form's text. A document
 * that cannot be converted (not valid in the canonical format, or the
 * stylesheet fails) is checked in the canonical format, and cannot be
 * saved: its diagnostics say why. */
static void check_form(pep_edit *e, xmlDocPtr *lines)
{
	const pep_converter *conv = pep_checker_converter(e->checker);
	pep_diags *vd = pep_diags_new(e->path);
	xmlDocPtr canon = NULL;
	char *err = NULL, *out = NULL;
	size_t n = 0;
	if (pep_xml_load(e->loader, e->path, e->text, e->text_len, vd, &canon) == PEP_LOAD_OK)
		out = pep_convert_to_form(conv, e->format, canon, &n, &err);
	pep_xml_free(canon);
	pep_diags_free(vd);
	free(e->form_text);
	e->form_text = out;
	e->form_len = n;
	if (!out) {
		check_canonical(e, lines);
		if (e->status == PEP_LOAD_OK) { /* valid, but the stylesheet failed */
			pep_diags_add(e->diags, "CONV", PEP_ERROR, 0, 0, "the PEP cannot be written on %s: %s", e->format->label,
			              err ? err : "the conversion failed");
			e->status = PEP_LOAD_INVALID;
		}
		free(err);
		return;
	}
	size_t m = 0;
	char *commented = e->ncomments ? with_comments(e, out, n, &m) : NULL;
	free(e->text);
	e->text = commented ? with_prolog(e, commented, m, &e->text_len) : with_prolog(e, out, n, &e->text_len);
	free(commented);
	e->status = pep_check_memory(e->checker, e->loader, e->path, e->text, e->text_len, e->diags, &e->checked);
	/* Read as the check read it: the canonical document made from the
	 * form's text has the lines of that text. */
	pep_diags *ignored = pep_diags_new(e->path);
	xmlDocPtr form = NULL;
	if (pep_xml_parse(e->path, e->text, e->text_len, ignored, &form) == PEP_LOAD_OK) {
		free(e->text_root);
		e->text_root = pep_xstrdup((const char *)xmlDocGetRootElement(form)->name);
		if (e->status == PEP_LOAD_OK)
			*lines = pep_convert_to_canonical(conv, e->format, form, e->loader, ignored);
		else /* not valid on the form: its own lines, as the messages give them */
			*lines = form, form = NULL;
	}
	pep_xml_free(form);
	pep_diags_free(ignored);
}

/* Before a file on another format's form is saved: the document converted
 * as pep convert converts a file (checking that converting back gives
 * every value, or that the carried block holds it) must give what was
 * checked. Keeps the conversion for the message (its report); false with
 * *why (caller frees) when it does not. */
static bool verify_form(pep_edit *e, char **why)
{
	size_t n = 0, out_len = 0;
	char *text = serialise(e, &n);
	pep_diags *cd = pep_diags_new(e->path);
	pep_conversion_free(e->conversion);
	e->conversion = NULL;
	pep_convert_status st = pep_convert_memory(pep_checker_converter(e->checker), e->path, text, n, e->format, 0, cd,
	                                           &e->conversion);
	const char *out = st == PEP_CONVERT_OK ? pep_conversion_output(e->conversion, &out_len) : NULL;
	*why = NULL;
	if (!out)
		*why = pep_xasprintf("the PEP cannot be written on %s: %s", e->format->label,
		                 pep_diags_count(cd) ? pep_diags_at(cd, 0)->message : "the conversion failed");
	else if (out_len != e->form_len || memcmp(out, e->form_text, out_len) != 0)
		*why = pep_xasprintf("converting the PEP to %s gave two different results (please report this)", e->format->label);
	free(text);
	pep_diags_free(cd);
	return *why == NULL;
}

/* Checks the text Save would write, as pep validate checks a file, and
 * finds the element each of its lines starts. */
static void check(pep_edit *e)
{
	free(e->text);
	pep_diags_free(e->diags);
	pep_doc_free(e->checked);
	free(e->line_ids);
	e->checked = NULL;
	e->text = serialise(e, &e->text_len);
	e->diags = pep_diags_new(e->path);
	xmlDocPtr lines = NULL;
	if (canonical(e))
		check_canonical(e, &lines);
	else
		check_form(e, &lines);

	e->nlines = 2;
	for (size_t i = 0; i < e->text_len; i++)
		e->nlines += e->text[i] == '\n';
	e->line_ids = pep_xcalloc(e->nlines, sizeof *e->line_ids);
	if (lines)
		map_lines(e, xmlDocGetRootElement(e->doc), xmlDocGetRootElement(lines));
	pep_xml_free(lines);
}

/* The id of the element a diagnostic on line concerns: the first element
 * starting on that line, else the nearest before it; 0 for none. */
static long id_at_line(const pep_edit *e, int line)
{
	for (long l = line; l > 0; l--)
		if ((size_t)l < e->nlines && e->line_ids[l] && node_at(e, e->line_ids[l]))
			return e->line_ids[l];
	return 0;
}

static void check_json(pep_edit *e, pep_jw *w)
{
	pep_jw_kv_object_begin(w, "check");
	pep_jw_kv_bool(w, "saveable", e->status == PEP_LOAD_OK);
	pep_jw_kv_string(w, "stage", pep_stage_names[pep_checker_config(e->checker)->stage]);
	pep_jw_kv_int(w, "errors", (long long)pep_diags_errors(e->diags));
	pep_jw_kv_int(w, "warnings", (long long)pep_diags_warnings(e->diags));
	pep_jw_kv_array_begin(w, "diagnostics");
	for (size_t i = 0; i < pep_diags_count(e->diags); i++) {
		const pep_diag *g = pep_diags_at(e->diags, i);
		char section[2] = {g->section, '\0'};
		pep_jw_object_begin(w);
		pep_jw_kv_string(w, "rule", g->rule);
		pep_jw_kv_string(w, "severity", g->severity == PEP_ERROR ? "error" : "warning");
		pep_jw_kv_string(w, "section", section);
		pep_jw_kv_int(w, "line", g->line);
		long id = g->line ? id_at_line(e, g->line) : 0;
		if (id)
			pep_jw_kv_int(w, "id", id);
		else
			pep_jw_kv_null(w, "id");
		pep_jw_kv_string(w, "message", g->message);
		/* What the page shows: the message in the form's words. */
		pep_buf text = PEP_BUF_INIT;
		xmlNodePtr n = node_at(e, id);
		pep_words_of(e->form, n ? form_of(e, n) : NULL, g->message, &text);
		pep_jw_kv_string(w, "text", pep_buf_str(&text));
		pep_buf_free(&text);
		pep_jw_end(w);
	}
	pep_jw_end(w);
	pep_jw_end(w);
}

size_t pep_edit_failures(const pep_edit *e)
{
	return pep_sections_failures(e->diags, pep_checker_config(e->checker)->strict);
}

/* ------------------------------------------------------------------ */
/* The form in plain words                                              */
/* ------------------------------------------------------------------ */

/* Who the schema's abbreviations are (its header comment says the same). */
static const struct {
	const char *abbr, *who;
} people[] = {
	{"SW", "social worker"},        {"DT", "designated teacher"}, {"DP", "designated professional"},
	{"VS", "virtual school"},       {"YP", "young person"},
};

/* "Completed by: VS; checked by SW." in doc: the help without it (help) and
 * who completes it in plain words (who, "" when the schema does not say). */
static void split_doc(const char *doc, pep_buf *help, pep_buf *who)
{
	static const char mark[] = "Completed by: ";
	const char *at = doc ? strstr(doc, mark) : NULL;
	if (!at) {
		pep_buf_puts(help, doc ? doc : "");
		return;
	}
	const char *from = at + strlen(mark), *end = from;
	/* The sentence ends at a full stop followed by a space or the end. */
	while (*end && !(*end == '.' && (end[1] == ' ' || end[1] == '\0')))
		end++;
	pep_buf_add(help, doc, (size_t)(at - doc));
	if (*end)
		pep_buf_puts(help, end[1] ? end + 2 : "");
	while (help->len && help->s[help->len - 1] == ' ')
		help->s[--help->len] = '\0';
	/* Expand SW, DT, ...: "the social worker", unless "the" is there or the
	 * abbreviation only names the words before it: "(SW)". */
	for (const char *p = from; p < end;) {
		size_t n = 0;
		while (p + n < end && isalpha((unsigned char)p[n]))
			n++;
		bool word_start = p == from || !isalnum((unsigned char)p[-1]);
		size_t k = 0;
		for (; n && word_start && k < sizeof people / sizeof people[0]; k++)
			if (strlen(people[k].abbr) == n && strncmp(people[k].abbr, p, n) == 0 && p[n] != ')')
				break;
		if (n && word_start && k < sizeof people / sizeof people[0]) {
			bool the = who->len >= 4 && strncmp(who->s + who->len - 4, "the ", 4) == 0;
			pep_buf_printf(who, "%s%s", the ? "" : "the ", people[k].who);
			p += n;
		} else {
			size_t step = n ? n : 1;
			pep_buf_add(who, p, step);
			p += step;
		}
	}
	if (who->len)
		who->s[0] = (char)toupper((unsigned char)who->s[0]);
}

/* Which box a value needs. */
static const char *widget_of(const pep_form_type *t)
{
	if (t->nvalues)
		return "select";
	if (strcmp(t->base, "date") == 0)
		return "date";
	if (t->name && strcmp(t->name, "Time") == 0)
		return "time";
	if (strcmp(t->base, "decimal") == 0 || strcmp(t->base, "integer") == 0)
		return "number";
	/* A code with a pattern (UPN, URN, an LA's code) or a Line is one line;
	 * only free text without a short limit gets a text area. */
	if (!t->pattern && (t->max_length < 0 || t->max_length > 300))
		return "text";
	return "line";
}

static void type_json(pep_jw *w, const pep_form_type *t)
{
	pep_jw_kv_object_begin(w, "type");
	const char *widget = widget_of(t);
	pep_jw_kv_string(w, "widget", widget);
	if (t->name)
		pep_jw_kv_string(w, "name", t->name);
	pep_jw_kv_bool(w, "empty", t->empty);
	if (t->doc)
		pep_jw_kv_string(w, "help", t->doc);
	if (t->min)
		pep_jw_kv_string(w, "min", t->min);
	if (t->max)
		pep_jw_kv_string(w, "max", t->max);
	if (strcmp(widget, "number") == 0) {
		if (strcmp(t->base, "integer") == 0 || t->fraction_digits == 0)
			pep_jw_kv_string(w, "step", "1");
		else if (t->fraction_digits > 0 && t->fraction_digits < 10)
			pep_jw_kv_string(w, "step", t->fraction_digits == 1 ? "0.1" : t->fraction_digits == 2 ? "0.01" : "any");
		else
			pep_jw_kv_string(w, "step", "any");
	}
	if (t->max_length >= 0)
		pep_jw_kv_int(w, "maxLength", t->max_length);
	if (t->nvalues) {
		pep_jw_kv_array_begin(w, "options");
		for (size_t i = 0; i < t->nvalues; i++) {
			const char *v = t->values[i].value;
			char label[160];
			pep_words_option(t, v, label, sizeof label);
			pep_jw_object_begin(w);
			pep_jw_kv_string(w, "value", v);
			pep_jw_kv_string(w, "label", label);
			if (t->values[i].doc)
				pep_jw_kv_string(w, "help", t->values[i].doc);
			pep_jw_end(w);
		}
		pep_jw_end(w);
	}
	pep_jw_end(w);
}

/* "help" and "who" of fe's box (or its attribute's, of type t; NULL: a
 * group), in the form's words. */
static void doc_json(pep_jw *w, const pep_form *f, const pep_form_elem *fe, const char *doc, const pep_form_type *t)
{
	pep_buf help = PEP_BUF_INIT, who = PEP_BUF_INIT, said = PEP_BUF_INIT;
	split_doc(doc, &said, &who);
	pep_words_of(f, fe, pep_buf_str(&said), &help);
	pep_buf_free(&said);
	if (help.len && t && strcmp(widget_of(t), "date") == 0) {
		pep_buf h = PEP_BUF_INIT;
		pep_words_date_help(pep_buf_str(&help), &h);
		pep_buf_free(&help);
		help = h;
	}
	if (help.len)
		pep_jw_kv_string(w, "help", pep_buf_str(&help));
	if (who.len)
		pep_jw_kv_string(w, "who", pep_buf_str(&who));
	pep_buf_free(&help);
	pep_buf_free(&who);
}

static void form_json(pep_jw *w, const pep_form *f, const pep_form_elem *fe, int depth)
{
	char label[160];
	pep_words_label(fe, label, sizeof label);
	pep_jw_object_begin(w);
	pep_jw_kv_string(w, "name", fe->name);
	pep_jw_kv_string(w, "path", fe->path);
	pep_jw_kv_string(w, "label", label);
	doc_json(w, f, fe, fe->doc, fe->value ? fe->type : NULL);
	pep_jw_kv_int(w, "min", fe->min);
	pep_jw_kv_int(w, "max", fe->max);
	if (fe->choice)
		pep_jw_kv_int(w, "choice", fe->choice);
	if (depth == 1)
		for (const pep_section_map *s = pep_sections; s->element; s++)
			if (strcmp(s->element, fe->name) == 0) {
				char letter[2] = {s->section, '\0'};
				pep_jw_kv_string(w, "section", letter);
			}
	bool all = true;
	for (int k = 1; pep_kind_names[k]; k++)
		all &= pep_author_kind_has(k, fe->path);
	if (!all) {
		pep_jw_kv_array_begin(w, "kinds");
		for (int k = 1; pep_kind_names[k]; k++)
			if (pep_author_kind_has(k, fe->path))
				pep_jw_string(w, pep_kind_names[k]);
		pep_jw_end(w);
	}
	if (fe->value && fe->type)
		type_json(w, fe->type);
	if (fe->nattrs) {
		pep_jw_kv_array_begin(w, "attrs");
		for (size_t i = 0; i < fe->nattrs; i++) {
			const pep_form_attr *a = &fe->attrs[i];
			char words[128];
			pep_words_attr_label(fe, a, words, sizeof words);
			pep_jw_object_begin(w);
			pep_jw_kv_string(w, "name", a->name);
			pep_jw_kv_string(w, "label", words);
			doc_json(w, f, fe, a->doc, a->type);
			pep_jw_kv_bool(w, "required", a->required);
			if (a->type)
				type_json(w, a->type);
			pep_jw_end(w);
		}
		pep_jw_end(w);
	}
	if (fe->nkids) {
		pep_jw_kv_array_begin(w, "kids");
		for (size_t i = 0; i < fe->nkids; i++)
			form_json(w, f, &fe->kids[i], depth + 1);
		pep_jw_end(w);
	}
	pep_jw_end(w);
}

/* An element of the document: {"id", "name", "text" (a value), "attrs",
 * "kids"}; "unknown" when the schema has no place for it (it is kept, not
 * shown), "locked" when a value holds elements (the form cannot edit it
 * without losing them). */
static void elem_json(pep_edit *e, pep_jw *w, const xmlNode *n)
{
	const pep_form_elem *fe = form_of(e, n);
	pep_jw_object_begin(w);
	pep_jw_kv_int(w, "id", id_of(n));
	pep_jw_kv_string(w, "name", (const char *)n->name);
	if (!fe) {
		pep_jw_kv_bool(w, "unknown", true);
		pep_jw_kv_int(w, "line", xmlGetLineNo(n));
		pep_jw_end(w);
		return;
	}
	if (n->properties) {
		pep_jw_kv_object_begin(w, "attrs");
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			if (a->ns)
				continue; /* (namespaced attributes are kept, not shown) */
			xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
			pep_jw_kv_string(w, (const char *)a->name, v ? (const char *)v : "");
			xmlFree(v);
		}
		pep_jw_end(w);
	}
	if (fe->value) {
		pep_buf t = PEP_BUF_INIT;
		text_of(n, &t);
		pep_jw_kv_string(w, "text", pep_buf_str(&t));
		pep_buf_free(&t);
		if (has_elements(n))
			pep_jw_kv_bool(w, "locked", true);
	} else {
		pep_jw_kv_array_begin(w, "kids");
		for (xmlNodePtr c = n->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE)
				elem_json(e, w, c);
		pep_jw_end(w);
	}
	pep_jw_end(w);
}

/* The file's form: "format": {"name", "label", "canonical", "form" (the
 * form's label, or null), "absent" (the canonical fields that form has no
 * place for: {"path", "everyForm"}, whether no form of the format has)}. */
static void format_json(const pep_edit *e, pep_jw *w)
{
	const pep_format_form *form = pep_format_form_of(e->format, e->root);
	pep_jw_kv_object_begin(w, "format");
	pep_jw_kv_string(w, "name", e->format->name);
	pep_jw_kv_string(w, "label", e->format->label);
	pep_jw_kv_bool(w, "canonical", canonical(e));
	if (form)
		pep_jw_kv_string(w, "form", form->label);
	else
		pep_jw_kv_null(w, "form");
	pep_jw_kv_array_begin(w, "absent");
	const char *const *lists[2] = {e->format->absent, form ? form->absent : NULL};
	for (size_t k = 0; k < 2; k++)
		for (const char *const *a = lists[k]; a && *a; a++) {
			pep_jw_object_begin(w);
			pep_jw_kv_string(w, "path", *a);
			pep_jw_kv_bool(w, "everyForm", k == 0);
			pep_jw_end(w);
		}
	pep_jw_end(w);
	pep_jw_end(w);
}

void pep_edit_state_json(pep_edit *e, pep_buf *out)
{
	pep_jw w;
	char as_of[11];
	const pep_check_config *cfg = pep_checker_config(e->checker);
	pep_date_format(cfg->as_of, as_of);
	pep_jw_init_buf(&w, out, PEP_JW_COMPACT);
	pep_jw_object_begin(&w);
	pep_jw_kv_bool(&w, "ok", true);
	pep_jw_kv_string(&w, "file", e->path);
	pep_jw_kv_string(&w, "stage", pep_stage_names[cfg->stage]);
	pep_jw_kv_string(&w, "asOf", as_of);
	pep_jw_kv_bool(&w, "strict", cfg->strict);
	pep_jw_kv_bool(&w, "dirty", e->dirty);
	pep_jw_kv_bool(&w, "onDisk", e->on_disk);
	format_json(e, &w);
	pep_jw_key(&w, "form");
	form_json(&w, e->form, pep_form_root(e->form), 0);
	pep_jw_key(&w, "doc");
	elem_json(e, &w, xmlDocGetRootElement(e->doc));
	check_json(e, &w);
	pep_jw_end(&w);
}

/* ------------------------------------------------------------------ */
/* Changes                                                              */
/* ------------------------------------------------------------------ */

static pep_edit_status reply_error(pep_buf *out, pep_edit_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static pep_edit_status reply_error(pep_buf *out, pep_edit_status st, const char *fmt, ...)
{
	pep_buf msg = PEP_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pep_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	pep_jw w;
	pep_buf_clear(out);
	pep_jw_init_buf(&w, out, PEP_JW_COMPACT);
	pep_jw_object_begin(&w);
	pep_jw_kv_bool(&w, "ok", false);
	pep_jw_kv_string(&w, "message", pep_buf_str(&msg));
	pep_jw_end(&w);
	pep_buf_free(&msg);
	return st;
}

/* A value an XML document can hold: UTF-8, and no control character but
 * tab and line breaks. */
static bool xml_text_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return false;
			i++;
			continue;
		}
		size_t n = len - i >= 4 ? pep_utf8_seq((const unsigned char *)s + i) : 0;
		if (!n) { /* near the end: copy to a padded buffer */
			unsigned char tmp[5] = {0};
			memcpy(tmp, s + i, len - i < 4 ? len - i : 4);
			n = pep_utf8_seq(tmp);
			if (!n || n > len - i)
				return false;
		}
		/* U+FFFE and U+FFFF are not characters XML allows. */
		if (n == 3 && c == 0xef && (unsigned char)s[i + 1] == 0xbf && (unsigned char)s[i + 2] >= 0xbe)
			return false;
		i += n;
	}
	return true;
}

/* The ids of the elements along a change's path, for the reply. */
#define MAX_STEPS 32
typedef struct idlist {
	long v[MAX_STEPS];
	size_t n;
} idlist;

static void push_id(idlist *ids, const xmlNode *n)
{
	if (ids->n < MAX_STEPS)
		ids->v[ids->n++] = id_of(n);
}

/* Follows op->path below op->at, making what is missing (unless only_find).
 * Each step must be a single element (not an item of a list: those are
 * named by their own id); *fe gets the last step's form, ids each step's
 * id. Returns the last element (NULL when it does not exist and only_find),
 * or NULL with *st set and the reply written. */
static xmlNodePtr follow(pep_edit *e, const pep_edit_op *op, bool only_find, const pep_form_elem **fe, idlist *ids,
                         pep_edit_status *st, pep_buf *out)
{
	xmlNodePtr n = node_at(e, op->at);
	*st = PEP_EDIT_OK;
	if (!n) {
		*st = reply_error(out, PEP_EDIT_STALE, "element %ld is no longer in the document: reload the page", op->at);
		return NULL;
	}
	*fe = form_of(e, n);
	if (!*fe) {
		*st = reply_error(out, PEP_EDIT_BAD, "<%s> is not part of the form", (const char *)n->name);
		return NULL;
	}
	char *path = pep_xstrdup(op->path ? op->path : "");
	char *save = NULL;
	size_t steps = 0;
	for (char *step = strtok_r(path, "/", &save); step; step = strtok_r(NULL, "/", &save)) {
		const pep_form_elem *k = (*fe)->value ? NULL : pep_form_child(*fe, step);
		if (!k || ++steps > MAX_STEPS) {
			*st = reply_error(out, PEP_EDIT_BAD, "<%s> has no element <%s> in the schema", (*fe)->name, step);
			n = NULL;
			break;
		}
		if (k->max != 1) {
			*st = reply_error(out, PEP_EDIT_BAD, "<%s> is a list: name its items by their ids", step);
			n = NULL;
			break;
		}
		xmlNodePtr c = child_named(e, n, step);
		if (!c && only_find) {
			n = NULL;
			*fe = k;
			break;
		}
		if (!c)
			c = make_elem(e, n, *fe, k);
		push_id(ids, c);
		n = c;
		*fe = k;
	}
	free(path);
	return n;
}

/* Sets the text of value element n, keeping any comment inside it. */
static void set_text(pep_edit *e, xmlNodePtr n, const char *v, size_t len)
{
	xmlNodePtr c = n->children;
	while (c) {
		xmlNodePtr next = c->next;
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
		c = next;
	}
	if (len)
		xmlAddChild(n, xmlNewDocTextLen(e->doc, BAD_CAST v, (int)len));
}

static pep_edit_status apply_set(pep_edit *e, const pep_edit_op *op, idlist *ids, long *removed, pep_buf *out)
{
	pep_edit_status st;
	const pep_form_elem *fe = NULL;
	if (op->value_len > MAX_TEXT || e->text_len + op->value_len > MAX_TEXT)
		return reply_error(out, PEP_EDIT_BAD, "the value is too long for a PEP");
	if (!xml_text_ok(op->value, op->value_len))
		return reply_error(out, PEP_EDIT_BAD,
		                   "the value holds a character a PEP file cannot hold (a control character or broken UTF-8)");
	if (memchr(op->value, '\0', op->value_len))
		return reply_error(out, PEP_EDIT_BAD, "the value holds a NUL character");
	xmlNodePtr n = follow(e, op, op->value_len == 0, &fe, ids, &st, out);
	if (st != PEP_EDIT_OK)
		return st;
	if (!n)
		return PEP_EDIT_OK; /* clearing what is not there */
	char *v = pep_xstrndup(op->value, op->value_len);
	if (op->attr) {
		const pep_form_attr *a = pep_form_attr_find(fe, op->attr);
		if (!a) {
			free(v);
			return reply_error(out, PEP_EDIT_BAD, "<%s> has no attribute %s in the schema", fe->name, op->attr);
		}
		if (!*v && !a->required)
			xmlUnsetProp(n, BAD_CAST a->name);
		else
			xmlSetProp(n, BAD_CAST a->name, BAD_CAST v);
	} else {
		if (!fe->value) {
			free(v);
			return reply_error(out, PEP_EDIT_BAD, "<%s> holds elements, not a value", fe->name);
		}
		if (has_elements(n)) {
			free(v);
			return reply_error(out, PEP_EDIT_BAD,
			                   "<%s> holds elements the form cannot show: edit it in a text editor", fe->name);
		}
		set_text(e, n, v, op->value_len);
		/* An optional element whose type has no empty value goes when emptied
		 * (an empty formState would not be valid; no formState is). */
		if (!*v && fe->type && !fe->type->empty && fe->min == 0 && !n->properties && !n->children) {
			*removed = id_of(n);
			remove_node(e, n);
		}
	}
	free(v);
	return PEP_EDIT_OK;
}

/* The element whose child the last name of op->path is (made if missing),
 * with that name in *name and its form in *k; NULL with *st and the reply
 * written when there is none. */
static xmlNodePtr follow_parent(pep_edit *e, const pep_edit_op *op, const char **name, const pep_form_elem **fe,
                                const pep_form_elem **k, idlist *ids, pep_edit_status *st, pep_buf *out)
{
	const char *slash = strrchr(op->path, '/');
	*name = slash ? slash + 1 : op->path;
	char *parent_path = slash ? pep_xstrndup(op->path, (size_t)(slash - op->path)) : pep_xstrdup("");
	pep_edit_op up = *op;
	up.path = parent_path;
	xmlNodePtr parent = follow(e, &up, false, fe, ids, st, out);
	free(parent_path);
	if (*st != PEP_EDIT_OK)
		return NULL;
	*k = (*fe)->value ? NULL : pep_form_child(*fe, *name);
	if (!*k) {
		*st = reply_error(out, PEP_EDIT_BAD, "<%s> has no element <%s> in the schema", (*fe)->name, *name);
		return NULL;
	}
	return parent;
}

static pep_edit_status apply_add(pep_edit *e, const pep_edit_op *op, idlist *ids, xmlNodePtr *item, pep_buf *out)
{
	pep_edit_status st;
	const pep_form_elem *fe = NULL, *k = NULL;
	const char *name = NULL;
	if (!op->path || !*op->path)
		return reply_error(out, PEP_EDIT_BAD, "add what? the path names no list");
	if (e->text_len > MAX_TEXT / 2)
		return reply_error(out, PEP_EDIT_BAD, "the PEP is too large to add more to it");
	xmlNodePtr parent = follow_parent(e, op, &name, &fe, &k, ids, &st, out);
	if (!parent)
		return st;
	size_t count = 0;
	for (xmlNodePtr c = parent->children; c; c = c->next)
		count += is_pep(e, c) && xmlStrEqual(c->name, BAD_CAST name);
	if (k->max != PEP_FORM_UNBOUNDED && count >= (size_t)k->max)
		return reply_error(out, PEP_EDIT_BAD, "<%s> may hold at most %d <%s>", fe->name, k->max, name);
	*item = make_elem(e, parent, fe, k);
	push_id(ids, *item);
	return PEP_EDIT_OK;
}

static pep_edit_status apply_choose(pep_edit *e, const pep_edit_op *op, idlist *ids, xmlNodePtr *item,
                                    pep_buf *out)
{
	pep_edit_status st;
	const pep_form_elem *fe = NULL, *k = NULL;
	const char *name = NULL;
	if (!op->path || !*op->path)
		return reply_error(out, PEP_EDIT_BAD, "choose what? the path names no alternative");
	xmlNodePtr parent = follow_parent(e, op, &name, &fe, &k, ids, &st, out);
	if (!parent)
		return st;
	if (!k->choice)
		return reply_error(out, PEP_EDIT_BAD, "<%s> is not one of the alternatives of <%s>", name, fe->name);
	xmlNodePtr c = parent->children;
	while (c) {
		xmlNodePtr next = c->next;
		const pep_form_elem *ce = is_pep(e, c) ? pep_form_child(fe, (const char *)c->name) : NULL;
		if (ce && ce->choice == k->choice && ce != k)
			remove_node(e, c);
		c = next;
	}
	*item = child_named(e, parent, name);
	if (!*item)
		*item = make_elem(e, parent, fe, k);
	push_id(ids, *item);
	return PEP_EDIT_OK;
}

pep_edit_status pep_edit_apply(pep_edit *e, const pep_edit_op *op, pep_buf *out)
{
	idlist ids = {{0}, 0};
	xmlNodePtr item = NULL;
	long removed = 0;
	pep_edit_status st;
	switch (op->kind) {
	case PEP_EDIT_SET:
		st = apply_set(e, op, &ids, &removed, out);
		break;
	case PEP_EDIT_ADD:
		st = apply_add(e, op, &ids, &item, out);
		break;
	case PEP_EDIT_CHOOSE:
		st = apply_choose(e, op, &ids, &item, out);
		break;
	case PEP_EDIT_REMOVE: {
		xmlNodePtr n = node_at(e, op->at);
		if (!n) {
			st = reply_error(out, PEP_EDIT_STALE, "element %ld is no longer in the document: reload the page", op->at);
			break;
		}
		const pep_form_elem *fe = form_of(e, n);
		if (!fe || n == xmlDocGetRootElement(e->doc))
			st = reply_error(out, PEP_EDIT_BAD, "<%s> cannot be removed in the form", (const char *)n->name);
		else if (fe->min > 0 && fe->max == 1)
			st = reply_error(out, PEP_EDIT_BAD, "<%s> is required: it cannot be removed", fe->name);
		else {
			remove_node(e, n);
			st = PEP_EDIT_OK;
		}
		break;
	}
	default:
		st = reply_error(out, PEP_EDIT_BAD, "unknown change");
	}
	if (st == PEP_EDIT_OK) {
		/* Ids made by a change that then failed stay valid: the elements
		 * are in the document (empty, which the schema allows). */
		e->dirty = true;
		check(e);
		pep_jw w;
		pep_buf_clear(out);
		pep_jw_init_buf(&w, out, PEP_JW_COMPACT);
		pep_jw_object_begin(&w);
		pep_jw_kv_bool(&w, "ok", true);
		pep_jw_kv_array_begin(&w, "ids");
		for (size_t i = 0; i < ids.n; i++)
			pep_jw_int(&w, ids.v[i]);
		pep_jw_end(&w);
		if (item) {
			pep_jw_key(&w, "item");
			elem_json(e, &w, item);
		}
		if (removed) /* emptied, and an empty one would not be valid */
			pep_jw_kv_int(&w, "removed", removed);
		pep_jw_kv_bool(&w, "dirty", e->dirty);
		check_json(e, &w);
		pep_jw_end(&w);
	}
	return st;
}

/* ------------------------------------------------------------------ */
/* Opening, saving, reloading                                           */
/* ------------------------------------------------------------------ */

/* Writes the bytes to the file atomically, the one place this module
 * writes: through the output policy (outfile.h), which keeps a replaced
 * file's mode, owner and group, so a PEP kept private stays private.
 * replace is false for a new PEP (a file that has appeared since is kept).
 * Returns false and sets *err (caller frees). */
static bool write_file(const char *path, const char *text, size_t len, bool replace, char **err)
{
	pep_output_policy p = {replace ? PEP_REPLACE_ALWAYS : PEP_REPLACE_NEVER, NULL, NULL, NULL, false};
	pep_outfile *o = pep_outfile_create(path, &p, err);
	if (!o)
		return false;
	fwrite(text, 1, len, pep_outfile_stream(o));
	return pep_outfile_commit(o, err);
}

/* Reads path into *buf: 1 when read, 0 when there is no such file, -1 when
 * it cannot be read (d says why). */
static int read_disk(const pep_edit *e, const char *path, pep_diags *d, char **buf, size_t *len)
{
	struct stat st;
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return 0;
	return pep_read_file_max(path, pep_xml_loader_max_size(e->loader), d, buf, len) == PEP_LOAD_OK ? 1 : -1;
}

/* Adopts doc (parsed from the file) as the session's document. */
static void adopt(pep_edit *e, xmlDocPtr doc)
{
	if (e->doc)
		xmlFreeDoc(e->doc);
	e->doc = doc;
	/* Ids go on from where they were, so a request naming an element of
	 * the old document can never reach one of the new. */
	for (size_t i = 0; i < e->nids; i++)
		e->byid[i] = NULL;
	number(e, xmlDocGetRootElement(doc));
	check(e);
}

static pep_edit *session(const pep_checker *c, const pep_form *f, const char *path)
{
	pep_edit *e = pep_xcalloc(1, sizeof *e);
	e->checker = c;
	e->form = f;
	e->loader = pep_checker_loader(c);
	e->format = pep_format_canonical();
	e->path = pep_xstrdup(path);
	char *real = realpath(path, NULL);
	e->target = real ? real : pep_xstrdup(path);
	return e;
}

/* A file read for the session: its document in the canonical format, and
 * its form (as in pep_edit). */
typedef struct reading {
	xmlDocPtr doc;
	const pep_format *format;
	char *root, *before, *after;
	struct comment *comments;
	size_t ncomments;
} reading;

static void reading_free(reading *r)
{
	comments_free(r->comments, r->ncomments);
	pep_xml_free(r->doc);
	free(r->root);
	free(r->before);
	free(r->after);
	memset(r, 0, sizeof *r);
}

/* The text of n, or "" when it is only white space (caller frees). */
static char *own_text(const xmlNode *n)
{
	pep_buf b = PEP_BUF_INIT;
	text_of(n, &b);
	bool blank = true;
	for (size_t i = 0; i < b.len; i++)
		blank &= isspace((unsigned char)b.s[i]) != 0;
	if (blank)
		pep_buf_clear(&b);
	return pep_buf_detach(&b);
}

static bool same_attributes(const xmlNode *a, const xmlNode *b)
{
	size_t na = 0, nb = 0;
	for (const xmlAttr *p = b->properties; p; p = p->next)
		nb++;
	for (const xmlAttr *p = a->properties; p; p = p->next, na++) {
		xmlChar *va = xmlNodeListGetString(a->doc, p->children, 1);
		xmlChar *vb = p->ns ? xmlGetNsProp(b, p->name, p->ns->href) : xmlGetNoNsProp(b, p->name);
		bool same = vb && xmlStrEqual(va ? va : BAD_CAST "", vb);
		xmlFree(va);
		xmlFree(vb);
		if (!same)
			return false;
	}
	return na == nb;
}

/* Where b's data differs from a's, as the names of a's elements down to
 * it ("pepReview/childDetails/school/name"), or NULL when they hold the same
 * data: the same elements in the same order, with the same attributes and
 * text (comments, and white space between elements, aside). Caller frees. */
static char *first_difference(const xmlNode *a, const xmlNode *b)
{
	const xmlChar *nsa = a->ns ? a->ns->href : NULL, *nsb = b->ns ? b->ns->href : NULL;
	char *ta = own_text(a), *tb = own_text(b);
	bool same = xmlStrEqual(a->name, b->name) && xmlStrEqual(nsa, nsb) && same_attributes(a, b) && strcmp(ta, tb) == 0;
	free(ta);
	free(tb);
	const xmlNode *ca = a->children, *cb = b->children;
	char *below = NULL;
	while (same && !below) {
		while (ca && ca->type != XML_ELEMENT_NODE)
			ca = ca->next;
		while (cb && cb->type != XML_ELEMENT_NODE)
			cb = cb->next;
		if (!ca || !cb) {
			same = !ca && !cb;
			break;
		}
		below = first_difference(ca, cb);
		ca = ca->next;
		cb = cb->next;
	}
	if (same && !below)
		return NULL;
	char *path = pep_xasprintf("%s%s%s", (const char *)a->name, below ? "/" : "", below ? below : "");
	free(below);
	return path;
}

/* n's name and place among the elements of that name beside it: "school[1]". */
static void put_step(pep_buf *b, const xmlNode *n)
{
	size_t k = 1;
	for (const xmlNode *p = n->prev; p; p = p->prev)
		k += p->type == XML_ELEMENT_NODE && xmlStrEqual(p->name, n->name);
	pep_buf_printf(b, "%s[%zu]", (const char *)n->name, k);
}

/* The comments below n (whose path from the root is path), and where. */
static void collect_comments(reading *r, const xmlNode *n, const char *path)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			pep_buf b = PEP_BUF_INIT;
			pep_buf_printf(&b, "%s%s", path, *path ? "/" : "");
			put_step(&b, c);
			collect_comments(r, c, pep_buf_str(&b));
			pep_buf_free(&b);
		} else if (c->type == XML_COMMENT_NODE) {
			const xmlNode *next = c->next;
			while (next && next->type != XML_ELEMENT_NODE)
				next = next->next;
			r->comments = pep_xrealloc(r->comments, (r->ncomments + 1) * sizeof *r->comments);
			comment *k = &r->comments[r->ncomments++];
			k->parent = pep_xstrdup(path);
			k->next = NULL;
			if (next) {
				pep_buf b = PEP_BUF_INIT;
				pep_buf_printf(&b, "%s%s", path, *path ? "/" : "");
				put_step(&b, next);
				k->next = pep_buf_detach(&b);
			}
			k->text = pep_xstrdup(c->content ? (const char *)c->content : "");
		}
	}
}

static void keep_around(reading *r, xmlDocPtr doc)
{
	pep_buf before = PEP_BUF_INIT, after = PEP_BUF_INIT;
	bool past = false;
	for (xmlNodePtr n = doc->children; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			past = true;
			collect_comments(r, n, "");
			continue;
		}
		if (n->type != XML_COMMENT_NODE && n->type != XML_PI_NODE)
			continue;
		xmlBufferPtr buf = xmlBufferCreate();
		xmlNodeDump(buf, doc, n, 0, 0);
		pep_buf *to = past ? &after : &before;
		pep_buf_add(to, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
		pep_buf_putc(to, '\n');
		xmlBufferFree(buf);
	}
	r->before = before.len ? pep_buf_detach(&before) : NULL;
	r->after = after.len ? pep_buf_detach(&after) : NULL;
}

/* A file on format f's form (doc, parsed): valid against its schema and
 * converted to the canonical format, the form shows it, provided that
 * saving it unchanged gives the file's data again (nothing lost). */
static bool read_form(pep_edit *e, const pep_format *f, xmlDocPtr doc, pep_diags *d, char **err, reading *r)
{
	const pep_converter *conv = pep_checker_converter(e->checker);
	if (pep_converter_error(conv, f)) {
		*err = pep_xasprintf("pep cannot read %s: %s", f->label, pep_converter_error(conv, f));
		return false;
	}
	pep_xml_loader *own = pep_xml_loader_new(pep_converter_schema(conv, f));
	bool valid = pep_xml_validate(own, doc, d);
	pep_xml_loader_free(own);
	if (!valid) {
		*err = pep_xasprintf("%s is on %s, but does not match its schema (see above): fix that in a text editor first, "
		                 "then the form can show it",
		                 e->path, f->label);
		return false;
	}
	xmlDocPtr canon = pep_convert_to_canonical(conv, f, doc, e->loader, d);
	if (!canon) {
		*err = pep_xasprintf("%s is on %s, and cannot be read in the canonical format the form shows (see above): fix "
		                 "that in a text editor first",
		                 e->path, f->label);
		return false;
	}
	size_t n = 0, out_len = 0;
	char *text = serialise_doc(canon, true, false, false, &n);
	pep_diags *cd = pep_diags_new(e->path);
	pep_conversion *cv = NULL;
	xmlDocPtr back = NULL;
	char *diff = NULL;
	if (pep_convert_memory(conv, e->path, text, n, f, 0, cd, &cv) == PEP_CONVERT_OK) {
		const char *out = pep_conversion_output(cv, &out_len);
		if (pep_xml_parse(e->path, out, out_len, cd, &back) == PEP_LOAD_OK)
			diff = first_difference(xmlDocGetRootElement(doc), xmlDocGetRootElement(back));
	}
	if (!back) {
		*err = pep_xasprintf("%s cannot be shown in the form: the form's PEP cannot be written back on %s (%s); edit it "
		                 "in a text editor",
		                 e->path, f->label, pep_diags_count(cd) ? pep_diags_at(cd, 0)->message : "the conversion failed");
		pep_xml_free(canon);
	} else if (diff) {
		*err = pep_xasprintf("%s cannot be shown in the form: saving it would change it (%s); please report this, and "
		                 "edit it in a text editor meanwhile",
		                 e->path, diff);
		pep_xml_free(canon);
	} else {
		r->doc = canon;
		r->format = f;
		r->root = pep_xstrdup((const char *)xmlDocGetRootElement(doc)->name);
		keep_around(r, doc);
	}
	free(diff);
	free(text);
	pep_xml_free(back);
	pep_conversion_free(cv);
	pep_diags_free(cd);
	return r->doc != NULL;
}

/* Reads buf as the session's document, in any format pep reads: false
 * with *err and d's diagnostics when the form cannot show it. */
static bool read_pep(pep_edit *e, const char *buf, size_t len, pep_diags *d, char **err, reading *r)
{
	memset(r, 0, sizeof *r);
	xmlDocPtr doc = NULL;
	if (pep_xml_parse(e->path, buf, len, d, &doc) != PEP_LOAD_OK) {
		*err = pep_xasprintf("%s is not well-formed XML, so the form cannot show it: fix the problem above in a text "
		                 "editor first", e->path);
		return false;
	}
	xmlNodePtr root = xmlDocGetRootElement(doc);
	const pep_format *f = root ? pep_format_of_namespace(pep_xml_root_namespace(doc)) : NULL;
	if (f && pep_format_is_canonical(f) && strcmp((const char *)root->name, pep_form_root(e->form)->name) == 0) {
		r->doc = doc;
		r->format = f;
		return true;
	}
	bool ok = false;
	if (f && !pep_format_is_canonical(f)) {
		ok = read_form(e, f, doc, d, err, r);
	} else {
		/* The checker says what it is and what to do. */
		pep_check_memory(e->checker, e->loader, e->path, buf, len, d, NULL);
		*err = pep_xasprintf("%s is not a PEP in a format pep reads (see above), so the form cannot show it", e->path);
	}
	pep_xml_free(doc);
	return ok;
}

/* Makes what was read the session's document and form. */
static void take(pep_edit *e, reading *r)
{
	e->format = r->format;
	free(e->root);
	free(e->before);
	free(e->after);
	e->root = r->root;
	e->before = r->before;
	e->after = r->after;
	comments_free(e->comments, e->ncomments);
	e->comments = r->comments;
	e->ncomments = r->ncomments;
	xmlDocPtr doc = r->doc;
	memset(r, 0, sizeof *r);
	adopt(e, doc);
}

pep_edit *pep_edit_open(const pep_checker *c, const pep_form *f, const char *path, pep_diags *d, char **err)
{
	*err = NULL;
	pep_edit *e = session(c, f, path);
	char *buf = NULL;
	size_t len = 0;
	int r = read_disk(e, path, d, &buf, &len);
	if (r <= 0) {
		*err = r == 0 ? pep_xasprintf("%s does not exist: give the file of a PEP, or start one with --new --la CODE "
		                          "--kind KIND", path)
		              : pep_xasprintf("%s cannot be read (see above)", path);
		pep_edit_free(e);
		return NULL;
	}
	reading rd;
	if (!read_pep(e, buf, len, d, err, &rd)) {
		free(buf);
		pep_edit_free(e);
		return NULL;
	}
	e->on_disk = true;
	e->disk = buf;
	e->disk_len = len;
	e->no_empty = !memmem(buf, len, "/>", 2);
	e->bom = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0;
	take(e, &rd);
	return e;
}

/* Removes every comment (and the line it stood on) below n. */
static void drop_comments(xmlNodePtr n)
{
	xmlNodePtr c = n->children;
	while (c) {
		xmlNodePtr next = c->next;
		if (c->type == XML_COMMENT_NODE) {
			if (blank_text(c->prev)) {
				xmlNodePtr ws = c->prev;
				xmlUnlinkNode(ws);
				xmlFreeNode(ws);
			}
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		} else {
			drop_comments(c);
		}
		c = next;
	}
}

pep_edit *pep_edit_new(const pep_checker *c, const pep_form *f, const char *path, const char *skeleton, size_t len,
                       char **err)
{
	*err = NULL;
	struct stat st;
	if (lstat(path, &st) == 0) {
		*err = pep_xasprintf("%s already exists: open it without --new, or choose another name", path);
		return NULL;
	}
	const char *slash = strrchr(path, '/');
	char *dir = slash ? pep_xstrndup(path, (size_t)(slash - path) + 1) : pep_xstrdup(".");
	bool dir_ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (!dir_ok)
		*err = pep_xasprintf("the folder %s does not exist: create it first", dir);
	free(dir);
	if (!dir_ok)
		return NULL;
	pep_edit *e = session(c, f, path);
	pep_diags *d = pep_diags_new(path);
	reading rd;
	bool ok = read_pep(e, skeleton, len, d, err, &rd);
	pep_diags_free(d);
	if (!ok) {
		free(*err);
		*err = pep_xasprintf("internal error: the skeleton of the new PEP cannot be read (please report this)");
		pep_edit_free(e);
		return NULL;
	}
	drop_comments((xmlNodePtr)rd.doc);
	e->no_empty = true; /* as pep new writes */
	e->dirty = true;
	take(e, &rd);
	return e;
}

void pep_edit_free(pep_edit *e)
{
	if (!e)
		return;
	xmlFreeDoc(e->doc);
	pep_xml_loader_free(e->loader);
	pep_diags_free(e->diags);
	pep_doc_free(e->checked);
	free(e->line_ids);
	free(e->byid);
	free(e->text);
	free(e->disk);
	free(e->path);
	free(e->target);
	free(e->root);
	free(e->text_root);
	free(e->before);
	free(e->after);
	comments_free(e->comments, e->ncomments);
	pep_conversion_free(e->conversion);
	free(e->form_text);
	free(e);
}

const char *pep_edit_path(const pep_edit *e)
{
	return e->path;
}

bool pep_edit_dirty(const pep_edit *e)
{
	return e->dirty;
}

static pep_edit_status save_reply(pep_edit *e, pep_buf *out, pep_edit_status st, const char *why, const char *msg)
{
	pep_jw w;
	pep_buf_clear(out);
	pep_jw_init_buf(&w, out, PEP_JW_COMPACT);
	pep_jw_object_begin(&w);
	pep_jw_kv_bool(&w, "ok", st == PEP_EDIT_OK);
	if (why)
		pep_jw_kv_string(&w, "why", why);
	pep_jw_kv_string(&w, "message", msg);
	pep_jw_kv_bool(&w, "dirty", e->dirty);
	pep_jw_kv_bool(&w, "onDisk", e->on_disk);
	format_json(e, &w);
	check_json(e, &w);
	pep_jw_end(&w);
	return st;
}

/* "saved FILE", and for a file on another format's form, on which form,
 * and what it carries (caller frees). */
static char *saved_message(pep_edit *e)
{
	pep_buf b = PEP_BUF_INIT;
	pep_buf_printf(&b, "saved %s", e->path);
	if (!canonical(e)) {
		const pep_format_form *was = pep_format_form_of(e->format, e->root);
		const pep_format_form *now = pep_format_form_of(e->format, e->text_root);
		pep_buf_printf(&b, " on %s", e->format->label);
		if (now && was && now != was)
			pep_buf_printf(&b, ", now %s (it was %s)", now->label, was->label);
		free(e->root);
		e->root = e->text_root ? pep_xstrdup(e->text_root) : NULL;
		char **lines = NULL;
		size_t n = e->conversion && pep_conversion_carried(e->conversion)
		               ? pep_conversion_report(e->conversion, false, &lines)
		               : 0;
		if (n) /* the totals: "3 values have no place in ...; they are carried ..." */
			pep_buf_printf(&b, "; %s", lines[0]);
		for (size_t i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
	}
	return pep_buf_detach(&b);
}

pep_edit_status pep_edit_save(pep_edit *e, pep_buf *out)
{
	check(e); /* what is written is what was checked */
	if (e->status != PEP_LOAD_OK) {
		char *msg = pep_xasprintf("not saved: the PEP does not match the schema yet (%zu problem%s marked \u201cfix "
		                      "to save\u201d): fix %s first; a draft may miss things, but what is there must be of "
		                      "the right form",
		                      pep_diags_errors(e->diags), pep_diags_errors(e->diags) == 1 ? "" : "s",
		                      pep_diags_errors(e->diags) == 1 ? "it" : "them");
		save_reply(e, out, PEP_EDIT_REFUSED, "invalid", msg);
		free(msg);
		return PEP_EDIT_REFUSED;
	}
	char *why = NULL;
	if (!canonical(e) && !verify_form(e, &why)) {
		char *msg = pep_xasprintf("not saved: %s", why);
		save_reply(e, out, PEP_EDIT_REFUSED, "failed", msg);
		free(msg);
		free(why);
		return PEP_EDIT_REFUSED;
	}
	pep_diags *d = pep_diags_new(e->path);
	char *now = NULL, *err = NULL, *msg = NULL;
	size_t now_len = 0;
	int r = read_disk(e, e->target, d, &now, &now_len);
	bool changed = r < 0 || (r == 1) != e->on_disk ||
	               (r == 1 && (now_len != e->disk_len || memcmp(now, e->disk, now_len) != 0));
	pep_edit_status result = PEP_EDIT_REFUSED;
	if (r < 0) {
		msg = pep_xasprintf("not saved: %s cannot be read to see whether it changed: %s", e->path,
		                pep_diags_count(d) ? pep_diags_at(d, 0)->message : "");
		save_reply(e, out, result, "changed", msg);
	} else if (changed) {
		msg = pep_xasprintf(r == 1 && e->on_disk ? "not saved: %s was changed on disk since it was opened here (by another "
		                                      "program or person); reload it to see the changes (yours here are then "
		                                      "lost), or copy yours out first"
		                : r == 1 ? "not saved: %s was created by another program or person since pep edit started; "
		                           "reload it to see it (yours here are then lost), or copy yours out first"
		                         : "not saved: %s was removed since it was opened here",
		                e->path);
		save_reply(e, out, result, "changed", msg);
	} else if (!write_file(e->target, e->text, e->text_len, e->on_disk, &err)) {
		msg = pep_xasprintf("not saved: %s", err);
		save_reply(e, out, result, "failed", msg);
	} else {
		free(e->disk);
		e->disk = dup_bytes(e->text, e->text_len);
		e->disk_len = e->text_len;
		e->on_disk = true;
		e->dirty = false;
		msg = saved_message(e);
		result = save_reply(e, out, PEP_EDIT_OK, NULL, msg);
	}
	free(msg);
	free(err);
	free(now);
	pep_diags_free(d);
	return result;
}

pep_edit_status pep_edit_reload(pep_edit *e, pep_buf *out)
{
	pep_diags *d = pep_diags_new(e->path);
	char *buf = NULL, *err = NULL;
	size_t len = 0;
	pep_edit_status st = PEP_EDIT_REFUSED;
	int r = read_disk(e, e->target, d, &buf, &len);
	reading rd;
	memset(&rd, 0, sizeof rd);
	if (r == 1)
		read_pep(e, buf, len, d, &err, &rd);
	if (r == 0) {
		reply_error(out, st, "%s is not on disk: nothing to reload", e->path);
	} else if (!rd.doc) {
		const pep_diag *g = pep_diags_count(d) ? pep_diags_at(d, 0) : NULL;
		reply_error(out, st, "%s cannot be reloaded: %s%s%s", e->path, err ? err : "cannot be read",
		            g ? ": " : "", g ? g->message : "");
	} else {
		free(e->disk);
		e->disk = buf;
		e->disk_len = len;
		buf = NULL;
		e->on_disk = true;
		e->no_empty = !memmem(e->disk, len, "/>", 2);
		e->bom = len >= 3 && memcmp(e->disk, "\xef\xbb\xbf", 3) == 0;
		e->dirty = false;
		take(e, &rd);
		pep_buf_clear(out);
		pep_edit_state_json(e, out);
		st = PEP_EDIT_OK;
	}
	reading_free(&rd);
	free(buf);
	free(err);
	pep_diags_free(d);
	return st;
}

bool pep_edit_pdf(pep_edit *e, const pep_edit_preview *o, unsigned char **pdf, size_t *len, char **why)
{
	*why = NULL;
	if (!e->checked) {
		*why = pep_xasprintf("the PEP does not match the schema yet (%zu problem%s marked \u201cfix to save\u201d): fix %s first, "
		                 "then preview it",
		                 pep_diags_errors(e->diags), pep_diags_errors(e->diags) == 1 ? "" : "s",
		                 pep_diags_errors(e->diags) == 1 ? "it" : "them");
		return false;
	}
	/* The render pipeline, through its public headers only. */
	size_t pages = 0;
	char *err = NULL;
	pep_sections_options so = o->sections;
	so.source_format = e->format;
	pep_document *doc = pep_sections_build(pep_doc_model(e->checked), e->diags, &so);
	bool ok = pep_pdf_write(doc, &o->pdf, pdf, len, &pages, &err);
	pep_document_free(doc);
	if (!ok) {
		*why = pep_xasprintf("the PDF cannot be made: %s", err ? err : "");
		free(err);
	}
	return ok;
}
