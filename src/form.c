/* form.c: reading schemas/pep.xsd into a tree of element descriptions. */
#include "form.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "arena.h"
#include "diag.h"
#include "paths.h"
#include "xalloc.h"
#include "xml.h"

/* The schema is not recursive and a PEP is at most 8 deep; anything deeper
 * is a broken schema, not a form. */
#define MAX_DEPTH 32

struct pep_form {
	pep_arena *arena;
	char *ns;
	pep_form_elem root;
};

/* A named simple type read already (they are shared by many elements). */
typedef struct named_type {
	char *name;
	pep_form_type *type; /* in the arena */
	bool empty_only;     /* the empty type itself (length 0), a member of unions */
} named_type;

typedef struct build {
	pep_arena *arena;
	xmlNodePtr schema; /* the xs:schema element */
	int choices;       /* xs:choice groups numbered so far */
	char *err;         /* the first problem (caller frees), or NULL */
	named_type *types; /* the simple types read so far */
	size_t ntypes, captypes;
} build;

/* A growing array of T, copied into the arena when complete. */
typedef struct elems {
	pep_form_elem *v;
	size_t n, cap;
} elems;

typedef struct attrs {
	pep_form_attr *v;
	size_t n, cap;
} attrs;

static void fail(build *b, const xmlNode *at, const char *fmt, const char *what)
{
	if (b->err)
		return;
	char *msg = pep_xasprintf(fmt, what);
	b->err = pep_xasprintf("line %ld: %s", at ? xmlGetLineNo(at) : 0L, msg);
	free(msg);
}

/* An attribute of a schema node (caller frees), or NULL. */
static char *prop(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s = v ? pep_xstrdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

/* "pep:Name" -> "Name" (in place): the schema refers to its own components
 * with or without its prefix. */
static char *local_part(char *qname)
{
	char *colon = qname ? strchr(qname, ':') : NULL;
	if (colon)
		memmove(qname, colon + 1, strlen(colon + 1) + 1);
	return qname;
}

/* The top-level component xs:KIND named name, or NULL. */
static xmlNodePtr global(const build *b, const char *kind, const char *name)
{
	for (xmlNodePtr n = b->schema->children; n; n = n->next) {
		if (!pep_xsd_is(n, kind))
			continue;
		char *v = prop(n, "name");
		bool match = v && strcmp(v, name) == 0;
		free(v);
		if (match)
			return n;
	}
	return NULL;
}

/* minOccurs or maxOccurs: absent 1, "unbounded" PEP_FORM_UNBOUNDED. */
static int occurs(build *b, const xmlNode *n, const char *which)
{
	char *v = prop(n, which);
	if (!v)
		return 1;
	int r;
	if (strcmp(v, "unbounded") == 0) {
		r = PEP_FORM_UNBOUNDED;
	} else {
		char *end;
		long l = strtol(v, &end, 10);
		if (*end || end == v || l < 0 || l > 100000) {
			fail(b, n, "%s is not a number of occurrences", which);
			l = 1;
		}
		r = (int)l;
	}
	free(v);
	return r;
}


/* ------------------------------------------------------------------ */
/* Simple types                                                         */
/* ------------------------------------------------------------------ */

#define MAX_TYPE_DEPTH 16 /* restrictions of restrictions; deeper is a loop */

static const pep_form_type *named_simple(build *b, const char *name, const xmlNode *at, int depth, bool *empty_only);

/* A new type for a built-in one ("string", "date", ...). */
static pep_form_type *builtin(build *b, const char *base)
{
	pep_form_type *t = pep_arena_alloc(b->arena, sizeof *t);
	t->base = pep_arena_strdup(b->arena, base);
	t->fraction_digits = -1;
	t->max_length = -1;
	return t;
}

/* The value attribute of a facet, in the arena. */
static const char *facet(build *b, const xmlNode *n)
{
	char *v = prop(n, "value");
	const char *r = pep_arena_strdup(b->arena, v ? v : "");
	free(v);
	return r;
}

static long facet_number(build *b, const xmlNode *n)
{
	char *v = prop(n, "value"), *end = NULL;
	long l = v ? strtol(v, &end, 10) : -1;
	if (!v || *end || end == v || l < 0) {
		fail(b, n, "the facet <xs:%s> needs a whole number", (const char *)n->name);
		l = -1;
	}
	free(v);
	return l;
}

/* Reads an xs:simpleType node (named or anonymous) into a new type. */
static pep_form_type *read_simple(build *b, const xmlNode *st, int depth, bool *empty_only)
{
	*empty_only = false;
	if (depth > MAX_TYPE_DEPTH) {
		fail(b, st, "simple types derive from each other more than %s deep (a loop?)", "16");
		return builtin(b, "string");
	}
	pep_form_type *t = NULL;
	for (xmlNodePtr n = st->children; n && !b->err; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || pep_xsd_is(n, "annotation"))
			continue;
		if (pep_xsd_is(n, "restriction")) {
			char *base = local_part(prop(n, "base"));
			bool base_empty_only;
			const pep_form_type *from = base ? named_simple(b, base, n, depth + 1, &base_empty_only) : NULL;
			free(base);
			t = pep_arena_alloc(b->arena, sizeof *t);
			if (from)
				*t = *from;
			else
				*t = *builtin(b, "string");
			t->name = NULL;
			t->doc = NULL;
			pep_form_value *vals = NULL;
			size_t nvals = 0, cap = 0;
			for (xmlNodePtr f = n->children; f && !b->err; f = f->next) {
				if (f->type != XML_ELEMENT_NODE || pep_xsd_is(f, "annotation"))
					continue;
				if (pep_xsd_is(f, "enumeration")) {
					const char *v = facet(b, f);
					if (!*v) {
						t->empty = true;
						continue;
					}
					if (nvals == cap) {
						cap = cap ? cap * 2 : 8;
						vals = pep_xrealloc(vals, cap * sizeof *vals);
					}
					char *doc = pep_xsd_documentation(f);
					vals[nvals].value = v;
					vals[nvals++].doc = doc ? pep_arena_strdup(b->arena, doc) : NULL;
					free(doc);
				} else if (pep_xsd_is(f, "minInclusive")) {
					t->min = facet(b, f);
				} else if (pep_xsd_is(f, "maxInclusive")) {
					t->max = facet(b, f);
				} else if (pep_xsd_is(f, "fractionDigits")) {
					t->fraction_digits = (int)facet_number(b, f);
				} else if (pep_xsd_is(f, "maxLength")) {
					t->max_length = facet_number(b, f);
				} else if (pep_xsd_is(f, "length")) {
					t->max_length = facet_number(b, f);
					*empty_only = t->max_length == 0;
				} else if (pep_xsd_is(f, "pattern")) {
					t->pattern = facet(b, f);
				} else {
					fail(b, f, "the facet <xs:%s> is not read by pep's form reader", (const char *)f->name);
				}
			}
			if (nvals) {
				pep_form_value *v = pep_arena_alloc(b->arena, nvals * sizeof *v);
				memcpy(v, vals, nvals * sizeof *v);
				t->values = v;
				t->nvalues = nvals;
			}
			free(vals);
		} else if (pep_xsd_is(n, "union")) {
			char *members = prop(n, "memberTypes");
			char *save = NULL;
			bool empty = false;
			const pep_form_type *value = NULL;
			for (char *m = members ? strtok_r(members, " \t\n", &save) : NULL; m && !b->err;
			     m = strtok_r(NULL, " \t\n", &save)) {
				bool e = false;
				const pep_form_type *mt = named_simple(b, local_part(m), n, depth + 1, &e);
				if (e)
					empty = true;
				else if (value)
					fail(b, n, "a union of more than one type of value is not read (%s)", "only one and the empty type");
				else
					value = mt;
			}
			free(members);
			if (!value && !b->err)
				fail(b, n, "an %s without a type of value is not read", "xs:union");
			t = pep_arena_alloc(b->arena, sizeof *t);
			*t = value ? *value : *builtin(b, "string");
			t->empty = t->empty || empty;
		} else {
			fail(b, n, "<xs:%s> in a simple type is not read by pep's form reader", (const char *)n->name);
		}
	}
	if (!t) {
		fail(b, st, "an %s without a restriction or union", "xs:simpleType");
		t = builtin(b, "string");
	}
	char *doc = pep_xsd_documentation(st);
	t->doc = doc ? pep_arena_strdup(b->arena, doc) : NULL;
	free(doc);
	return t;
}

/* The simple type called name: the schema's own (read once), or a
 * built-in one. */
static const pep_form_type *named_simple(build *b, const char *name, const xmlNode *at, int depth, bool *empty_only)
{
	*empty_only = false;
	for (size_t i = 0; i < b->ntypes; i++)
		if (strcmp(b->types[i].name, name) == 0) {
			*empty_only = b->types[i].empty_only;
			return b->types[i].type;
		}
	xmlNodePtr st = global(b, "simpleType", name);
	if (!st) {
		if (global(b, "complexType", name))
			fail(b, at, "the complex type %s is used where a simple type is needed", name);
		return builtin(b, name); /* xs:string, xs:date, ... */
	}
	pep_form_type *t = read_simple(b, st, depth, empty_only);
	t->name = pep_arena_strdup(b->arena, name);
	if (b->ntypes == b->captypes) {
		b->captypes = b->captypes ? b->captypes * 2 : 32;
		b->types = pep_xrealloc(b->types, b->captypes * sizeof *b->types);
	}
	b->types[b->ntypes].name = pep_xstrdup(name);
	b->types[b->ntypes].type = t;
	b->types[b->ntypes++].empty_only = *empty_only;
	return t;
}

/* The type of an element or attribute declaration with a type attribute
 * (typename, local part) or an anonymous xs:simpleType child. */
static const pep_form_type *decl_type(build *b, const xmlNode *decl, const char *typename)
{
	bool empty_only;
	if (typename)
		return named_simple(b, typename, decl, 0, &empty_only);
	for (xmlNodePtr n = decl->children; n; n = n->next)
		if (pep_xsd_is(n, "simpleType"))
			return read_simple(b, n, 0, &empty_only);
	return builtin(b, "string"); /* no type: anything goes */
}

static void add_attr(build *b, attrs *a, const xmlNode *n)
{
	char *name = prop(n, "name");
	if (!name) {
		fail(b, n, "an %s without a name (attribute refs are not read)", "xs:attribute");
		return;
	}
	char *use = prop(n, "use");
	char *doc = pep_xsd_documentation(n), *label = pep_xsd_label(n);
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 4;
		a->v = pep_xrealloc(a->v, a->cap * sizeof *a->v);
	}
	pep_form_attr *x = &a->v[a->n++];
	x->name = pep_arena_strdup(b->arena, name);
	x->doc = doc ? pep_arena_strdup(b->arena, doc) : NULL;
	x->label = label ? pep_arena_strdup(b->arena, label) : NULL;
	x->required = use && strcmp(use, "required") == 0;
	char *type = local_part(prop(n, "type"));
	x->type = decl_type(b, n, type);
	free(type);
	free(name);
	free(use);
	free(doc);
	free(label);
}

static void build_elem(build *b, const xmlNode *decl, const char *parent_path, int depth, pep_form_elem *out);

static pep_form_elem *new_kid(elems *k)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 8;
		k->v = pep_xrealloc(k->v, k->cap * sizeof *k->v);
	}
	pep_form_elem *e = &k->v[k->n++];
	memset(e, 0, sizeof *e);
	return e;
}

/* The particles of an xs:sequence or xs:choice, in order. choice is the
 * number of the enclosing xs:choice (0 in a sequence); optional says the
 * group itself may be left out. */
static void particles(build *b, const xmlNode *group, int choice, bool optional, const char *path, int depth,
                      elems *kids)
{
	for (xmlNodePtr n = group->children; n && !b->err; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || pep_xsd_is(n, "annotation"))
			continue;
		if (pep_xsd_is(n, "element")) {
			pep_form_elem *e = new_kid(kids);
			build_elem(b, n, path, depth + 1, e);
			e->choice = choice;
			if (optional)
				e->min = 0;
		} else if (pep_xsd_is(n, "choice")) {
			if (occurs(b, n, "maxOccurs") != 1)
				fail(b, n, "a repeated %s is not read", "xs:choice");
			particles(b, n, ++b->choices, occurs(b, n, "minOccurs") == 0, path, depth, kids);
		} else if (pep_xsd_is(n, "sequence") && !choice) {
			particles(b, n, 0, optional || occurs(b, n, "minOccurs") == 0, path, depth, kids);
		} else {
			fail(b, n, "<xs:%s> in a content model is not read by pep's form reader", (const char *)n->name);
		}
	}
}

/* Fills e's content from a complexType (named or anonymous). */
static void complex_type(build *b, const xmlNode *ct, pep_form_elem *e, int depth)
{
	elems kids = {NULL, 0, 0};
	attrs at = {NULL, 0, 0};
	for (xmlNodePtr n = ct->children; n && !b->err; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || pep_xsd_is(n, "annotation"))
			continue;
		if (pep_xsd_is(n, "sequence") || pep_xsd_is(n, "choice")) {
			bool choice = pep_xsd_is(n, "choice");
			particles(b, n, choice ? ++b->choices : 0, occurs(b, n, "minOccurs") == 0, e->path, depth, &kids);
		} else if (pep_xsd_is(n, "attribute")) {
			add_attr(b, &at, n);
		} else if (pep_xsd_is(n, "simpleContent")) {
			e->value = true;
			for (xmlNodePtr x = n->children; x; x = x->next)
				if (pep_xsd_is(x, "extension") || pep_xsd_is(x, "restriction")) {
					char *base = local_part(prop(x, "base"));
					bool empty_only;
					e->type = base ? named_simple(b, base, x, 0, &empty_only) : builtin(b, "string");
					free(base);
					for (xmlNodePtr a = x->children; a; a = a->next)
						if (pep_xsd_is(a, "attribute"))
							add_attr(b, &at, a);
				}
		} else {
			fail(b, n, "<xs:%s> in a complex type is not read by pep's form reader", (const char *)n->name);
		}
	}
	if (kids.n) {
		pep_form_elem *v = pep_arena_alloc(b->arena, kids.n * sizeof *v);
		memcpy(v, kids.v, kids.n * sizeof *v);
		e->kids = v;
		e->nkids = kids.n;
	}
	if (at.n) {
		pep_form_attr *v = pep_arena_alloc(b->arena, at.n * sizeof *v);
		memcpy(v, at.v, at.n * sizeof *v);
		e->attrs = v;
		e->nattrs = at.n;
	}
	free(kids.v);
	free(at.v);
}

static void build_elem(build *b, const xmlNode *decl, const char *parent_path, int depth, pep_form_elem *e)
{
	char *name = NULL, *ref = NULL, *type = NULL, *doc = NULL, *label = NULL;
	if (depth > MAX_DEPTH) {
		fail(b, decl, "elements nest more than %s deep", "32");
		return;
	}
	const xmlNode *target = decl;
	ref = local_part(prop(decl, "ref"));
	if (ref) {
		target = global(b, "element", ref);
		if (!target) {
			fail(b, decl, "<xs:element ref=\"%s\"> refers to no global element", ref);
			goto out;
		}
	}
	name = prop(target, "name");
	if (!name) {
		fail(b, decl, "an %s has neither a name nor a ref", "xs:element");
		goto out;
	}
	doc = pep_xsd_documentation(decl);
	if (!doc && target != decl)
		doc = pep_xsd_documentation(target);
	label = pep_xsd_label(decl);
	if (!label && target != decl)
		label = pep_xsd_label(target);
	e->name = pep_arena_strdup(b->arena, name);
	e->doc = doc ? pep_arena_strdup(b->arena, doc) : NULL;
	e->label = label ? pep_arena_strdup(b->arena, label) : NULL;
	char *path = *parent_path ? pep_xasprintf("%s/%s", parent_path, name) : pep_xstrdup(depth ? name : "");
	e->path = pep_arena_strdup(b->arena, path);
	free(path);
	e->min = occurs(b, decl, "minOccurs");
	e->max = occurs(b, decl, "maxOccurs");

	type = local_part(prop(target, "type"));
	if (type) {
		const xmlNode *ct = global(b, "complexType", type);
		if (ct) {
			complex_type(b, ct, e, depth);
		} else {
			e->value = true; /* a simple type, the schema's or a built-in one */
			e->type = decl_type(b, target, type);
		}
		goto out;
	}
	for (xmlNodePtr n = target->children; n; n = n->next) {
		if (pep_xsd_is(n, "complexType")) {
			complex_type(b, n, e, depth);
			goto out;
		}
		if (pep_xsd_is(n, "simpleType"))
			break;
	}
	e->value = true;
	e->type = decl_type(b, target, NULL);
out:
	free(name);
	free(ref);
	free(type);
	free(doc);
	free(label);
}

pep_form *pep_form_load(const char *xsd_path, char **err)
{
	pep_form *f = NULL;
	pep_diags *d = pep_diags_new(xsd_path);
	char *buf = NULL;
	size_t len = 0;
	xmlDocPtr xsd = NULL;
	build b = {NULL, NULL, 0, NULL, NULL, 0, 0};
	*err = NULL;

	if (pep_read_file(xsd_path, d, &buf, &len) != PEP_LOAD_OK ||
	    pep_xml_parse(xsd_path, buf, len, d, &xsd) != PEP_LOAD_OK) {
		const pep_diag *g = pep_diags_count(d) ? pep_diags_at(d, 0) : NULL;
		*err = pep_xasprintf("%s:%d: %s", xsd_path, g ? g->line : 0, g ? g->message : "cannot read the schema");
		goto out;
	}
	xmlNodePtr schema = xmlDocGetRootElement(xsd);
	if (!schema || !pep_xsd_is(schema, "schema")) {
		*err = pep_xasprintf("%s: not an XML Schema (the root is not xs:schema)", xsd_path);
		goto out;
	}
	f = pep_xcalloc(1, sizeof *f);
	f->arena = pep_arena_new();
	char *ns = prop(schema, "targetNamespace");
	f->ns = ns ? ns : pep_xstrdup("");
	b.arena = f->arena;
	b.schema = schema;
	xmlNodePtr root = global(&b, "element", "pep");
	if (!root) {
		*err = pep_xasprintf("%s: the schema declares no global element <pep>", xsd_path);
		goto out;
	}
	build_elem(&b, root, "", 0, &f->root);
	if (b.err) {
		*err = pep_xasprintf("%s: %s", xsd_path, b.err);
		goto out;
	}
out:
	if (*err) {
		pep_form_free(f);
		f = NULL;
	}
	for (size_t i = 0; i < b.ntypes; i++)
		free(b.types[i].name);
	free(b.types);
	free(b.err);
	pep_xml_free(xsd);
	free(buf);
	pep_diags_free(d);
	return f;
}

pep_form *pep_form_load_installed(char **err)
{
	char *xsd = pep_data_file_needed("schemas/pep.xsd", err);
	if (!xsd)
		return NULL;
	pep_form *f = pep_form_load(xsd, err);
	free(xsd);
	return f;
}

void pep_form_free(pep_form *f)
{
	if (!f)
		return;
	pep_arena_free(f->arena);
	free(f->ns);
	free(f);
}

const pep_form_elem *pep_form_root(const pep_form *f)
{
	return &f->root;
}

const char *pep_form_namespace(const pep_form *f)
{
	return f->ns;
}

const pep_form_elem *pep_form_child(const pep_form_elem *e, const char *name)
{
	for (size_t i = 0; i < e->nkids; i++)
		if (strcmp(e->kids[i].name, name) == 0)
			return &e->kids[i];
	return NULL;
}

const pep_form_elem *pep_form_find(const pep_form *f, const char *path)
{
	const pep_form_elem *e = &f->root;
	const char *p = path;
	while (e && *p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		const pep_form_elem *next = NULL;
		for (size_t i = 0; i < e->nkids && !next; i++)
			if (strlen(e->kids[i].name) == n && strncmp(e->kids[i].name, p, n) == 0)
				next = &e->kids[i];
		e = next;
		p += n + (slash ? 1 : 0);
	}
	return e;
}

const pep_form_attr *pep_form_attr_find(const pep_form_elem *e, const char *name)
{
	for (size_t i = 0; i < e->nattrs; i++)
		if (strcmp(e->attrs[i].name, name) == 0)
			return &e->attrs[i];
	return NULL;
}
