/* author.c: the writer behind `pep new` and `pep next` (see author.h). */
#include "author.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "strbuf.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ */
/* What a skeleton holds, by kind                                        */
/* ------------------------------------------------------------------ */

#define KB(k) (1u << (PEP_KIND_##k))
#define ALL_KINDS (KB(INITIAL) | KB(REVIEW) | KB(TRANSITION) | KB(POST16) | KB(EARLY_YEARS) | KB(NO_PROVISION))

/* Elements written, when no value is given for them, only for some kinds.
 * Of the schema's choice school | noEducationalProvision, the alternative
 * written is the one the kind includes. */
static const struct kind_rule {
	const char *path;
	unsigned kinds;
} only_for[] = {
	{"essentialInformation/school", ALL_KINDS & ~KB(NO_PROVISION)},
	{"essentialInformation/noEducationalProvision", KB(NO_PROVISION)},
	{"educationInformation/plan14to19", ALL_KINDS & ~KB(EARLY_YEARS)}, /* Years 10 and 11, post-16 (section B's rules) */
	{"educationInformation/post16", KB(POST16)},
	{"pepMeeting/targets/target/ppPlus", ALL_KINDS & ~KB(POST16)}, /* no PP+ post-16 (seed 003) */
};

#define PREVIOUS_TARGET "pepMeeting/previousTargets/previousTarget"

/* Lists that may rightly be empty: with no item given, the comment shows
 * an item to copy, for the kinds named. Elsewhere one empty item is written. */
static const struct kind_rule template_lists[] = {
	{"header/stateHistory/change", ALL_KINDS},
	{"header/pepHistory/previousMeeting", ALL_KINDS},
	{"essentialInformation/care/lookedAfterReviews/held", ALL_KINDS},
	{"educationInformation/exclusions/exclusion", ALL_KINDS},
	{"educationInformation/previousSchools/previousSchool", ALL_KINDS},
	{PREVIOUS_TARGET, KB(INITIAL)}, /* the first PEP has none to review */
	{"attachments/attachment", ALL_KINDS},
};

/* Optional attributes written empty (their types allow it), so that they
 * are seen and filled in. */
static const char *const empty_attrs[] = {
	"essentialInformation/school/schoolLocalAuthority@code",
	"educationInformation/previousSchools@none",
	NULL,
};

/* The element holding one item per section letter, A to D. */
#define SECTION_COMPLETE "pepMeeting/signOff/sectionComplete"

static bool kind_in(const struct kind_rule *rules, size_t n, const char *path, int kind, bool dflt)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rules[i].path, path) == 0)
			return (rules[i].kinds & (1u << kind)) != 0;
	return dflt;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

bool pep_author_kind_has(int kind, const char *path)
{
	return kind_in(only_for, COUNT(only_for), path, kind, true);
}

/* ------------------------------------------------------------------ */
/* The writer                                                           */
/* ------------------------------------------------------------------ */

/* An extra comment after the schema's, for one element (next). */
typedef struct note {
	const char *path;
	char *text;
} note;

typedef struct writer {
	xmlDocPtr doc;
	xmlNsPtr ns;
	const char *nsuri;
	int kind;                 /* pep_kind */
	const char *la, *la_name; /* defaults for header/localAuthority */
	const char *meeting_kind; /* default for pepMeeting/kind, "" when the kind does not settle it */
	bool templ;               /* writing an item for a comment: no comments, no defaults */
	bool rolled;              /* next: the previous targets are known, none means none */
	note notes[8];
	size_t nnotes;
} writer;

/* Elements of the values tree are marked as written through _private. */
static char written_mark;

static bool is_pep(const writer *w, const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST w->nsuri) &&
	       (!name || xmlStrEqual(n->name, BAD_CAST name));
}

/* " text " wrapped to 100 columns for a comment at depth; "--", which XML
 * does not allow in a comment, is written "- -". */
static void wrap(pep_buf *b, const char *text, int depth)
{
	int indent = 2 * depth, col = indent + 4;
	const char *p = text;
	bool first = true;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ");
		size_t chars = 0; /* columns: count UTF-8 lead bytes */
		for (size_t i = 0; i < n; i++)
			chars += ((unsigned char)p[i] & 0xc0) != 0x80;
		if (!first && col + 1 + (int)chars > 100) {
			pep_buf_printf(b, "\n%*s", indent + 4, "");
			col = indent + 4;
		}
		pep_buf_putc(b, ' ');
		for (size_t i = 0; i < n; i++) {
			pep_buf_putc(b, p[i]);
			if (p[i] == '-' && i + 1 < n && p[i + 1] == '-')
				pep_buf_putc(b, ' ');
		}
		col += 1 + (int)chars;
		p += n;
		first = false;
	}
}

static void add_comment(writer *w, xmlNodePtr parent, const char *content)
{
	xmlNodePtr c = xmlNewDocComment(w->doc, BAD_CAST content);
	xmlAddChild(parent, c);
}

/* The schema's words about e, with its optional attributes'. */
static void describe(const pep_form_elem *e, pep_buf *b)
{
	pep_buf_puts(b, e->doc ? e->doc : e->name);
	for (size_t i = 0; i < e->nattrs; i++)
		if (!e->attrs[i].required && e->attrs[i].doc)
			pep_buf_printf(b, " The %s attribute: %s", e->attrs[i].name, e->attrs[i].doc);
}

static void comment_for(writer *w, xmlNodePtr parent, const pep_form_elem *e, int depth)
{
	if (w->templ)
		return;
	pep_buf text = PEP_BUF_INIT, c = PEP_BUF_INIT;
	describe(e, &text);
	wrap(&c, pep_buf_str(&text), depth);
	pep_buf_putc(&c, ' ');
	add_comment(w, parent, pep_buf_str(&c));
	for (size_t i = 0; i < w->nnotes; i++)
		if (strcmp(w->notes[i].path, e->path) == 0) {
			pep_buf_clear(&c);
			wrap(&c, w->notes[i].text, depth);
			pep_buf_putc(&c, ' ');
			add_comment(w, parent, pep_buf_str(&c));
		}
	pep_buf_free(&text);
	pep_buf_free(&c);
}

static const char *default_text(const writer *w, const pep_form_elem *e)
{
	if (w->templ)
		return NULL;
	if (strcmp(e->path, "header/kind") == 0)
		return pep_kind_names[w->kind];
	if (strcmp(e->path, "header/formState") == 0)
		return pep_form_state_names[PEP_STATE_DRAFT];
	if (strcmp(e->path, "header/localAuthority") == 0)
		return w->la_name;
	if (strcmp(e->path, "pepMeeting/kind") == 0)
		return w->meeting_kind;
	return NULL;
}

/* The value of attribute a of e when none is given (nth: which item of a
 * list), or NULL to leave it out. */
static const char *default_attr(const writer *w, const pep_form_elem *e, const pep_form_attr *a, int nth)
{
	if (!w->templ && strcmp(e->path, "header/localAuthority") == 0 && strcmp(a->name, "code") == 0)
		return w->la;
	if (!w->templ && strcmp(e->path, SECTION_COMPLETE) == 0 && strcmp(a->name, "section") == 0)
		return pep_section_names[1 + nth];
	char key[256];
	snprintf(key, sizeof key, "%s@%s", e->path, a->name);
	for (int i = 0; empty_attrs[i]; i++)
		if (strcmp(empty_attrs[i], key) == 0)
			return "";
	return a->required ? "" : NULL;
}

static void write_children(writer *w, xmlNodePtr out, const pep_form_elem *e, xmlNodePtr value, int depth);

/* Writes element e under parent: from value when given, else empty (or
 * with its default). nth numbers the items of a list written without
 * values. */
static xmlNodePtr write_elem(writer *w, xmlNodePtr parent, const pep_form_elem *e, xmlNodePtr value, int depth,
                             int nth)
{
	xmlNodePtr out = xmlNewDocNode(w->doc, w->ns, BAD_CAST e->name, NULL);
	xmlAddChild(parent, out);
	if (value)
		value->_private = &written_mark;
	for (size_t i = 0; i < e->nattrs; i++) {
		const pep_form_attr *a = &e->attrs[i];
		xmlChar *v = value ? xmlGetNoNsProp(value, BAD_CAST a->name) : NULL;
		const char *s = v ? (const char *)v : default_attr(w, e, a, nth);
		if (s)
			xmlNewNsProp(out, NULL, BAD_CAST a->name, BAD_CAST s);
		xmlFree(v);
	}
	if (e->value) {
		xmlChar *v = value ? xmlNodeGetContent(value) : NULL;
		const char *s = v ? (const char *)v : default_text(w, e);
		if (s && *s)
			xmlAddChild(out, xmlNewDocText(w->doc, BAD_CAST s));
		xmlFree(v);
		/* A value element holds no elements; mark any (there are none in
		 * a schema-valid document) so the check below stays exact. */
		for (xmlNodePtr c = value ? value->children : NULL; c; c = c->next)
			c->_private = &written_mark;
	} else {
		write_children(w, out, e, value, depth + 1);
	}
	return out;
}

/* Serialises node (indented, <x></x> for empty elements, no declaration)
 * into a new string (caller frees). */
static char *node_text(xmlNodePtr node)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlSaveCtxtPtr s = xmlSaveToBuffer(buf, "UTF-8", XML_SAVE_FORMAT | XML_SAVE_NO_EMPTY | XML_SAVE_NO_DECL);
	xmlSaveTree(s, node);
	xmlSaveClose(s);
	char *r = xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return r;
}

/* A list that may be empty: a comment with the item to copy. */
static void write_template(writer *w, xmlNodePtr parent, const pep_form_elem *e, int depth)
{
	bool templ = w->templ;
	w->templ = true;
	xmlNodePtr item = write_elem(w, parent, e, NULL, depth, 0);
	w->templ = templ;
	xmlUnlinkNode(item);
	char *xml = node_text(item);
	xmlFreeNode(item);

	pep_buf text = PEP_BUF_INIT, c = PEP_BUF_INIT;
	describe(e, &text);
	pep_buf_puts(&text, " To add one, copy the lines below to just after this comment, once for each, and fill them in:");
	wrap(&c, pep_buf_str(&text), depth);
	char *save = NULL;
	for (char *line = strtok_r(xml, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		pep_buf_printf(&c, "\n%*s%s", 2 * depth, "", line);
	pep_buf_printf(&c, "\n%*s", 2 * depth, "");
	add_comment(w, parent, pep_buf_str(&c));
	pep_buf_free(&text);
	pep_buf_free(&c);
	free(xml);
}

/* Writes the slot of child element k of the element being written: the
 * given values, else the skeleton's form of it. */
static void write_slot(writer *w, xmlNodePtr out, const pep_form_elem *k, xmlNodePtr value, int depth)
{
	bool any = false;
	for (xmlNodePtr c = value ? value->children : NULL; c; c = c->next)
		if (is_pep(w, c, k->name)) {
			if (!any)
				comment_for(w, out, k, depth);
			any = true;
			write_elem(w, out, k, c, depth, 0);
		}
	if (any)
		return;
	if (!kind_in(only_for, COUNT(only_for), k->path, w->kind, true))
		return;
	bool list = k->max == PEP_FORM_UNBOUNDED || k->max > 1;
	bool known_empty = w->rolled && strcmp(k->path, PREVIOUS_TARGET) == 0;
	if (list && !w->templ && (known_empty || kind_in(template_lists, COUNT(template_lists), k->path, w->kind, false))) {
		write_template(w, out, k, depth);
		return;
	}
	comment_for(w, out, k, depth);
	int items = 1;
	if (!w->templ && strcmp(k->path, SECTION_COMPLETE) == 0)
		for (items = 0; pep_section_names[items + 1]; items++)
			;
	for (int i = 0; i < items; i++)
		write_elem(w, out, k, NULL, depth, i);
}

static bool has_child(const writer *w, xmlNodePtr value, const char *name)
{
	for (xmlNodePtr c = value ? value->children : NULL; c; c = c->next)
		if (is_pep(w, c, name))
			return true;
	return false;
}

static void write_children(writer *w, xmlNodePtr out, const pep_form_elem *e, xmlNodePtr value, int depth)
{
	for (size_t i = 0; i < e->nkids; i++) {
		const pep_form_elem *k = &e->kids[i];
		if (!k->choice) {
			write_slot(w, out, k, value, depth);
			continue;
		}
		/* An xs:choice: the alternative given a value, else the one the
		 * kind includes, else the first. */
		size_t end = i;
		while (end < e->nkids && e->kids[end].choice == k->choice)
			end++;
		const pep_form_elem *pick = NULL;
		for (size_t j = i; j < end && !pick; j++)
			if (has_child(w, value, e->kids[j].name))
				pick = &e->kids[j];
		for (size_t j = i; j < end && !pick; j++)
			if (kind_in(only_for, COUNT(only_for), e->kids[j].path, w->kind, false))
				pick = &e->kids[j];
		write_slot(w, out, pick ? pick : k, value, depth);
		i = end - 1;
	}
}

static void clear_marks(xmlNodePtr n)
{
	for (; n; n = n->next) {
		n->_private = NULL;
		clear_marks(n->children);
	}
}

/* Adds an error for the first element of the values that was not written. */
static bool all_written(const writer *w, xmlNodePtr n, pep_diags *d)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->_private != &written_mark) {
			pep_diags_add(d, PEP_AUTHOR_RULE, PEP_ERROR, 0, 0,
			              "internal error: <%s> (line %ld of the previous PEP) has no place in the new one; "
			              "nothing was written (please report this)",
			              (const char *)n->name, xmlGetLineNo(n));
			return false;
		}
		if (!all_written(w, n->children, d))
			return false;
	}
	return true;
}

/* The whole document: a preamble, the root's own comment, and the root
 * written from values (or empty). Returns the serialised text (caller
 * frees), or NULL with an error in d. */
static char *write_document(writer *w, const pep_form *f, xmlNodePtr values, const char *preamble, pep_xml_loader *l,
                            pep_diags *d, size_t *len)
{
	const pep_form_elem *top = pep_form_root(f);
	char *text = NULL;
	w->nsuri = pep_form_namespace(f);
	w->doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewDocNode(w->doc, NULL, BAD_CAST top->name, NULL);
	xmlDocSetRootElement(w->doc, root);
	w->ns = xmlNewNs(root, BAD_CAST w->nsuri, NULL);
	xmlSetNs(root, w->ns);

	pep_buf c = PEP_BUF_INIT;
	wrap(&c, preamble, 0);
	pep_buf_putc(&c, ' ');
	xmlAddPrevSibling(root, xmlNewDocComment(w->doc, BAD_CAST pep_buf_str(&c)));
	pep_buf_clear(&c);
	wrap(&c, top->doc ? top->doc : top->name, 0);
	pep_buf_putc(&c, ' ');
	xmlAddPrevSibling(root, xmlNewDocComment(w->doc, BAD_CAST pep_buf_str(&c)));
	pep_buf_free(&c);

	if (values) {
		clear_marks(values);
		values->_private = &written_mark;
	}
	write_children(w, root, top, values, 1);
	if (values && !all_written(w, values, d))
		goto out;

	xmlBufferPtr buf = xmlBufferCreate();
	xmlSaveCtxtPtr s = xmlSaveToBuffer(buf, "UTF-8", XML_SAVE_FORMAT | XML_SAVE_NO_EMPTY);
	xmlSaveDoc(s, w->doc);
	xmlSaveClose(s);
	*len = (size_t)xmlBufferLength(buf);
	text = xstrndup((const char *)xmlBufferContent(buf), *len);
	xmlBufferFree(buf);

	/* What is handed back must load as a valid PEP. */
	pep_diags *check = pep_diags_new("the PEP written");
	struct _xmlDoc *back = NULL;
	if (pep_xml_load(l, "the PEP written", text, *len, check, &back) != PEP_LOAD_OK) {
		for (size_t i = 0; i < pep_diags_count(check); i++) {
			const pep_diag *g = pep_diags_at(check, i);
			pep_diags_add(d, PEP_AUTHOR_RULE, PEP_ERROR, 0, 0,
			              "internal error: the PEP written would not be valid (line %d: %s); nothing was written "
			              "(please report this)",
			              g->line, g->message);
		}
		free(text);
		text = NULL;
	}
	pep_xml_free(back);
	pep_diags_free(check);
out:
	for (size_t i = 0; i < w->nnotes; i++)
		free(w->notes[i].text);
	xmlFreeDoc(w->doc);
	w->doc = NULL;
	return text;
}

/* ------------------------------------------------------------------ */
/* pep new                                                              */
/* ------------------------------------------------------------------ */

/* The meeting kind a PEP's kind settles: "" when it does not. */
static const char *meeting_kind_of(int kind)
{
	switch (kind) {
	case PEP_KIND_INITIAL: return pep_meeting_kind_names[PEP_MEETING_INITIAL];
	case PEP_KIND_REVIEW: return pep_meeting_kind_names[PEP_MEETING_REVIEW];
	case PEP_KIND_TRANSITION: return pep_meeting_kind_names[PEP_MEETING_TRANSITION];
	default: return "";
	}
}

/* "an initial PEP", "a review PEP". */
static const char *article(int kind)
{
	return kind == PEP_KIND_INITIAL || kind == PEP_KIND_EARLY_YEARS ? "an" : "a";
}

static const char preamble_new[] =
	"Written by pep new: %s %s PEP for %s. Fill in the empty elements: the comment above each says what goes "
	"there and who completes it. Then check the file with pep validate at the draft stage, which lists what is "
	"still missing (docs/guide.md explains each step).";

char *pep_author_new(const pep_form *f, pep_xml_loader *l, int kind, const char *la, const char *la_name,
                     pep_diags *d, size_t *len)
{
	writer w;
	memset(&w, 0, sizeof w);
	w.kind = kind;
	w.la = la;
	w.la_name = la_name;
	w.meeting_kind = meeting_kind_of(kind);
	char *preamble = xasprintf(preamble_new, article(kind), pep_kind_names[kind], la);
	char *text = write_document(&w, f, NULL, preamble, l, d, len);
	free(preamble);
	return text;
}

/* ------------------------------------------------------------------ */
/* pep next: the tree transformation                                     */
/* ------------------------------------------------------------------ */

int pep_author_next_kind(int prev_kind, int requested)
{
	if (requested)
		return requested;
	if (prev_kind == PEP_KIND_POST16 || prev_kind == PEP_KIND_EARLY_YEARS || prev_kind == PEP_KIND_NO_PROVISION)
		return prev_kind;
	return PEP_KIND_REVIEW;
}

/* The first element child of parent named name, or NULL. */
static xmlNodePtr child(const writer *w, xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (is_pep(w, c, name))
			return c;
	return NULL;
}

static xmlNodePtr add_child(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n = xmlNewDocNode(parent->doc, parent->ns, BAD_CAST name, NULL);
	if (text)
		xmlAddChild(n, xmlNewDocText(parent->doc, BAD_CAST text));
	return xmlAddChild(parent, n);
}

static xmlNodePtr ensure_child(const writer *w, xmlNodePtr parent, const char *name)
{
	xmlNodePtr c = child(w, parent, name);
	return c ? c : add_child(parent, name, NULL);
}

static void drop(xmlNodePtr n)
{
	if (n) {
		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
}

/* Removes every element child of parent named name (every one when NULL). */
static void drop_children(const writer *w, xmlNodePtr parent, const char *name)
{
	xmlNodePtr c = parent ? parent->children : NULL;
	while (c) {
		xmlNodePtr next = c->next;
		if (is_pep(w, c, name))
			drop(c);
		c = next;
	}
}

/* Moves the element child name of from (if any) to the end of to,
 * renamed as_name when not NULL. */
static void move_child(const writer *w, xmlNodePtr from, const char *name, xmlNodePtr to, const char *as_name)
{
	xmlNodePtr c = child(w, from, name);
	if (!c)
		return;
	xmlUnlinkNode(c);
	if (as_name)
		xmlNodeSetName(c, BAD_CAST as_name);
	xmlAddChild(to, c);
}

static void add_note(writer *w, const char *path, char *text)
{
	if (w->nnotes < COUNT(w->notes)) {
		w->notes[w->nnotes].path = path;
		w->notes[w->nnotes++].text = text;
	} else {
		free(text);
	}
}

/* The previous meeting's kind for the history: the meeting's own, else
 * what the PEP's kind says. */
static const char *previous_meeting_kind(const pep_model *m)
{
	if (m->d.kind.v)
		return pep_meeting_kind_names[m->d.kind.v];
	const char *k = meeting_kind_of(m->header.kind.v);
	return *k ? k : pep_meeting_kind_names[PEP_MEETING_REVIEW];
}

/* A transition: the school becomes a previous school and the new one is
 * left to fill in (its year group kept); a child who had no provision now
 * has a school. */
static void transition(writer *w, xmlNodePtr root, pep_diags *d)
{
	xmlNodePtr a = child(w, root, "essentialInformation");
	xmlNodePtr b = child(w, root, "educationInformation");
	xmlNodePtr school = child(w, a, "school"), none = child(w, a, "noEducationalProvision");
	xmlNodePtr fresh = add_child(a, "school", NULL);
	if (school) {
		xmlNodePtr list = ensure_child(w, b, "previousSchools");
		xmlUnsetProp(list, BAD_CAST "none");
		xmlNodePtr item = add_child(list, "previousSchool", NULL);
		move_child(w, school, "name", item, NULL);
		move_child(w, school, "urn", item, NULL);
		move_child(w, school, "startDate", item, "from");
		move_child(w, school, "yearGroup", fresh, NULL);
		drop(school);
		pep_diags_add(d, PEP_AUTHOR_RULE, PEP_WARNING, 'A', 0,
		              "a transition PEP: the previous school is added to educationInformation/previousSchools (fill in "
		              "when and why the child left), and essentialInformation/school is left for the new school");
	} else if (none) {
		move_child(w, none, "yearGroup", fresh, NULL);
		drop(none);
		pep_diags_add(d, PEP_AUTHOR_RULE, PEP_WARNING, 'A', 0,
		              "a transition PEP: the child now has a school, so noEducationalProvision is replaced by "
		              "essentialInformation/school, to fill in");
	}
}

/* Previous targets: each new target of the previous PEP, its area and
 * description; the outcome and comment are for this meeting. */
static size_t targets_to_review(writer *w, xmlNodePtr targets, xmlNodePtr meeting)
{
	size_t n = 0;
	xmlNodePtr list = NULL;
	for (xmlNodePtr t = targets ? targets->children : NULL; t; t = t->next) {
		if (!is_pep(w, t, "target"))
			continue;
		if (!list)
			list = add_child(meeting, "previousTargets", NULL);
		xmlNodePtr item = add_child(list, "previousTarget", NULL);
		move_child(w, t, "area", item, NULL);
		xmlNodePtr desc = child(w, t, "description");
		if (desc)
			xmlUnsetProp(desc, BAD_CAST "words"); /* previousTarget/description is plain text */
		move_child(w, t, "description", item, NULL);
		n++;
	}
	return n;
}

/* Open actions (done is not yes) are kept; the model says which. */
static size_t open_actions(writer *w, xmlNodePtr actions, const pep_model *m, xmlNodePtr meeting, bool *ok)
{
	size_t i = 0, kept = 0;
	xmlNodePtr c = actions ? actions->children : NULL;
	while (c) {
		xmlNodePtr next = c->next;
		if (is_pep(w, c, "action")) {
			if (i >= m->d.actions.items.n) {
				*ok = false;
				return 0;
			}
			if (m->d.actions.items.v[i].done.v == PEP_YES)
				drop(c);
			else
				kept++;
			i++;
		}
		c = next;
	}
	*ok = i == m->d.actions.items.n;
	if (kept)
		xmlAddChild(meeting, actions);
	else
		drop(actions);
	return kept;
}

/* Standing attachments stay (an EHC plan, a My Support Plan); those of one
 * meeting go, with a note for each. */
static bool standing_attachments(writer *w, xmlNodePtr root, const pep_model *m, pep_diags *d)
{
	xmlNodePtr list = child(w, root, "attachments");
	size_t i = 0;
	xmlNodePtr c = list ? list->children : NULL;
	while (c) {
		xmlNodePtr next = c->next;
		if (is_pep(w, c, "attachment")) {
			if (i >= m->attachments.items.n)
				return false;
			const pep_attachment *a = &m->attachments.items.v[i++];
			if (a->kind.v != PEP_ATTACH_EHC_PLAN && a->kind.v != PEP_ATTACH_MY_SUPPORT_PLAN) {
				/* Named by its place and kind, never by its title: a note
				 * on standard error quotes nothing the file says (a title
				 * may name the child). */
				pep_diags_add(d, PEP_AUTHOR_RULE, PEP_WARNING, 0, a->hdr.line,
				              "attachment %zu of %zu (%s, line %d of the previous PEP) belongs to the previous meeting "
				              "and is not carried: attach this meeting's own",
				              i, m->attachments.items.n, pep_attachment_kind_names[a->kind.v], a->hdr.line);
				drop(c);
			}
		}
		c = next;
	}
	return i == m->attachments.items.n;
}

static const char preamble_next[] =
	"Written by pep next: %s %s PEP for %s, rolled forward from the PEP held on %s. Section A, the PEP history, "
	"the targets to review and the open actions are carried forward to check; attendance, attainment, the "
	"young person's views and the meeting are left for this PEP. The comment above each element says what goes "
	"there and who completes it; check the file with pep validate (docs/guide.md explains each step).";

char *pep_author_next(const pep_form *f, pep_xml_loader *l, const pep_doc *prev, const pep_next_opts *o,
                      pep_diags *d, size_t *len)
{
	const pep_model *m = pep_doc_model(prev);
	struct _xmlDoc *src = pep_doc_xml(prev);
	xmlDocPtr vals = NULL;
	char *text = NULL, *preamble = NULL;
	char held[11], date[11];
	writer w;
	memset(&w, 0, sizeof w);
	w.kind = o->kind;
	w.rolled = true;
	w.nsuri = pep_form_namespace(f);
	w.meeting_kind = pep_meeting_kind_names[o->kind == PEP_KIND_TRANSITION ? PEP_MEETING_TRANSITION : PEP_MEETING_REVIEW];

	if (!src) {
		pep_diags_add(d, PEP_AUTHOR_RULE, PEP_ERROR, 0, 0, "internal error: the previous PEP was loaded without its XML");
		return NULL;
	}
	if (m->header.form_state.v == PEP_STATE_DRAFT) {
		/* Most likely the new PEP itself, given by mistake for the old one. */
		pep_diags_add(d, PEP_AUTHOR_RULE, PEP_ERROR, 0, m->header.form_state.line,
		              "the previous PEP is still a draft (header/formState): roll forward from the PEP whose "
		              "meeting was held, or move its formState on to meeting-held if it was");
		return NULL;
	}
	if (m->d.date.d == PEP_NO_DAY) {
		pep_diags_add(d, PEP_AUTHOR_RULE, PEP_ERROR, 'D', m->d.date.line,
		              "the previous PEP records no meeting date (pepMeeting/date): roll forward from a PEP whose "
		              "meeting was held, or fill in its date");
		return NULL;
	}
	pep_date_format(m->d.date.d, held);
	vals = xmlCopyDoc(src, 1);
	xmlNodePtr root = xmlDocGetRootElement(vals);

	/* header: a draft of the new kind; the previous meeting joins the history. */
	xmlNodePtr header = child(&w, root, "header");
	drop_children(&w, header, "kind");
	drop_children(&w, header, "formState");
	drop_children(&w, header, "stateHistory");
	bool listed = false;
	for (size_t i = 0; i < m->header.history.meetings.n; i++)
		listed |= m->header.history.meetings.v[i].date.d == m->d.date.d;
	if (!listed) {
		xmlNodePtr item = add_child(ensure_child(&w, header, "pepHistory"), "previousMeeting", NULL);
		add_child(item, "date", held);
		add_child(item, "kind", previous_meeting_kind(m));
	}
	add_note(&w, "header/pepHistory", xasprintf("The PEP held on %s is the last one listed.", held));

	/* A is carried to be checked; B keeps what lasts, not this period's data. */
	if (o->kind == PEP_KIND_TRANSITION)
		transition(&w, root, d);
	add_note(&w, "essentialInformation",
	         xasprintf("Carried forward from the PEP held on %s: the social worker checks every value with the "
	                   "designated teacher before the meeting and corrects what has changed.",
	                   held));
	xmlNodePtr b = child(&w, root, "educationInformation");
	drop_children(&w, b, "attendance");
	drop_children(&w, b, "exclusions");
	drop_children(&w, b, "attainment");
	add_note(&w, "educationInformation",
	         xasprintf("Attendance, exclusions and attainment are left empty for this period's data; the rest is "
	                   "carried forward from the PEP held on %s, to check.",
	                   held));
	drop_children(&w, child(&w, root, "youngPersonsViews"), NULL);

	/* D: only the targets to review, the open actions and the date. */
	xmlNodePtr meeting = child(&w, root, "pepMeeting");
	xmlNodePtr targets = child(&w, meeting, "targets"), actions = child(&w, meeting, "actions");
	xmlUnlinkNode(targets);
	xmlUnlinkNode(actions);
	drop_children(&w, meeting, NULL);
	pep_day when = o->date != PEP_NO_DAY ? o->date : m->d.next.date.d;
	if (when != PEP_NO_DAY) {
		pep_date_format(when, date);
		add_child(meeting, "date", date);
		add_note(&w, "pepMeeting/date",
		         o->date != PEP_NO_DAY ? xasprintf("The date given when this PEP was started.")
		                               : xasprintf("Proposed: the next meeting date set at the PEP held on %s.", held));
		if (o->date == PEP_NO_DAY && m->d.next.time.min >= 0) {
			char hhmm[8];
			snprintf(hhmm, sizeof hhmm, "%02d:%02d", m->d.next.time.min / 60 % 24, m->d.next.time.min % 60);
			add_child(meeting, "startTime", hhmm);
		}
	} else {
		pep_diags_add(d, PEP_AUTHOR_RULE, PEP_WARNING, 'D', 0,
		              "the previous PEP set no next meeting date: fill in pepMeeting/date (or give --date)");
	}
	if (targets_to_review(&w, targets, meeting))
		add_note(&w, "pepMeeting/previousTargets",
		         xasprintf("The new targets set at the PEP held on %s: record each one's outcome and what worked.", held));
	drop(targets);
	bool ok = true;
	if (open_actions(&w, actions, m, meeting, &ok))
		add_note(&w, "pepMeeting/actions",
		         xasprintf("Actions still open at the PEP held on %s: update them, and add this meeting's.", held));
	if (!ok || !standing_attachments(&w, root, m, d)) {
		pep_diags_add(d, PEP_AUTHOR_RULE, PEP_ERROR, 0, 0,
		              "internal error: the previous PEP's actions or attachments do not match its model");
		for (size_t i = 0; i < w.nnotes; i++)
			free(w.notes[i].text);
		goto out;
	}

	preamble = xasprintf(preamble_next, article(o->kind), pep_kind_names[o->kind], m->header.la.code.s ? m->header.la.code.s : "",
	                     held);
	text = write_document(&w, f, root, preamble, l, d, len);
out:
	free(preamble);
	xmlFreeDoc(vals);
	return text;
}
