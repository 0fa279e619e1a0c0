/* bind.c: fills typed structs from a schema-valid XML tree. */
#include "bind.h"

#include <ctype.h>
#include <string.h>

#include <libxml/tree.h>

#include "strbuf.h"

typedef struct raw_list {
	void *v;
	size_t n;
} raw_list;

#define AT(dst, off) ((void *)((char *)(dst) + (off)))

int pep_enum_index(const char *const *names, const char *s)
{
	for (int i = 1; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return 0;
}

bool pep_text_blank(pep_text t)
{
	if (!t.s)
		return true;
	for (const unsigned char *p = (const unsigned char *)t.s; *p; p++)
		if (!isspace(*p))
			return false;
	return true;
}

static int line_of(const xmlNode *n)
{
	long l = xmlGetLineNo(n);
	return l > 0 && l < 0x7fffffff ? (int)l : 0;
}

void pep_bind_absent(const pep_bind_struct *desc, void *dst, int line)
{
	memset(dst, 0, desc->size);
	pep_hdr *h = dst;
	h->line = line;
	h->present = false;
	for (size_t i = 0; i < desc->nfields; i++) {
		const pep_bind_field *f = &desc->fields[i];
		void *p = AT(dst, f->off);
		switch (f->kind) {
		case PEP_B_TEXT:
		case PEP_B_CONTENT:
		case PEP_B_ATTR_TEXT:
			((pep_text *)p)->line = line;
			break;
		case PEP_B_DATE:
		case PEP_B_ATTR_DATE:
			((pep_datef *)p)->d = PEP_NO_DAY;
			((pep_datef *)p)->line = line;
			break;
		case PEP_B_TIME:
			((pep_timef *)p)->min = -1;
			((pep_timef *)p)->line = line;
			break;
		case PEP_B_INT:
		case PEP_B_CENTI:
		case PEP_B_ATTR_INT:
			((pep_numf *)p)->line = line;
			break;
		case PEP_B_ENUM:
		case PEP_B_ATTR_ENUM:
			((pep_enumf *)p)->line = line;
			break;
		case PEP_B_STRUCT:
			pep_bind_absent(f->sub, p, line);
			break;
		case PEP_B_LIST:
			break;
		}
	}
}

/* The element's text (text and CDATA children), in the arena. */
static const char *content(const xmlNode *n, pep_arena *a)
{
	const xmlNode *only = NULL;
	size_t count = 0, len = 0;
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			only = c;
			count++;
			len += c->content ? strlen((const char *)c->content) : 0;
		}
	if (count == 0)
		return pep_arena_strdup(a, "");
	if (count == 1)
		return pep_arena_strdup(a, only->content ? (const char *)only->content : "");
	char *s = pep_arena_alloc(a, len + 1), *p = s;
	for (const xmlNode *c = n->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			size_t k = strlen((const char *)c->content);
			memcpy(p, c->content, k);
			p += k;
		}
	*p = '\0';
	return s;
}

/* Trims white space in place (the schema's tokens are collapsed). */
static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* xs:integer or xs:decimal lexical form -> integer (scale 1) or hundredths
 * (scale 100). Digits past the hundredths are dropped (the schema allows at
 * most two significant ones). False when s is not a number. */
static bool parse_number(const char *s, int scale, int64_t *out)
{
	bool neg = false;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	int64_t whole = 0, frac = 0;
	int digits = 0, fdigits = 0;
	for (; isdigit((unsigned char)*s); s++, digits++) {
		if (whole > (INT64_MAX - 9) / 1000)
			return false;
		whole = whole * 10 + (*s - '0');
	}
	if (*s == '.') {
		s++;
		for (; isdigit((unsigned char)*s); s++, fdigits++)
			if (fdigits < 2)
				frac = frac * 10 + (*s - '0');
	}
	if (*s || (digits == 0 && fdigits == 0))
		return false;
	if (scale == 100) {
		if (fdigits == 1)
			frac *= 10;
		whole = whole * 100 + frac;
	}
	*out = neg ? -whole : whole;
	return true;
}

static void bind_value(pep_bind_kind kind, const char *const *names, const xmlNode *n, const char *raw,
                       void *p, int line, pep_arena *a)
{
	char tmp[64];
	char *v;
	switch (kind) {
	case PEP_B_TEXT:
	case PEP_B_CONTENT:
	case PEP_B_ATTR_TEXT:
		((pep_text *)p)->s = raw ? pep_arena_strdup(a, raw) : content(n, a);
		((pep_text *)p)->line = line;
		return;
	default:
		break;
	}
	/* Values of these kinds are short tokens: a bounded copy to trim (read
	 * in place when the element holds one text node, as it nearly always
	 * does). */
	const char *text = raw;
	if (!text)
		text = n->children && !n->children->next && n->children->type == XML_TEXT_NODE && n->children->content
		           ? (const char *)n->children->content
		           : content(n, a);
	size_t k = 0;
	while (k < sizeof tmp - 1 && text[k]) {
		tmp[k] = text[k];
		k++;
	}
	tmp[k] = '\0';
	v = trim(tmp);
	switch (kind) {
	case PEP_B_DATE:
	case PEP_B_ATTR_DATE: {
		pep_datef *f = p;
		f->line = line;
		if (!pep_date_parse(v, &f->d))
			f->d = PEP_NO_DAY;
		break;
	}
	case PEP_B_TIME: {
		pep_timef *f = p;
		f->line = line;
		f->min = -1;
		if (strlen(v) == 5 && isdigit((unsigned char)v[0]) && isdigit((unsigned char)v[1]) && v[2] == ':' &&
		    isdigit((unsigned char)v[3]) && isdigit((unsigned char)v[4]))
			f->min = ((v[0] - '0') * 10 + (v[1] - '0')) * 60 + (v[3] - '0') * 10 + (v[4] - '0');
		break;
	}
	case PEP_B_INT:
	case PEP_B_CENTI:
	case PEP_B_ATTR_INT: {
		pep_numf *f = p;
		f->line = line;
		f->set = *v && parse_number(v, kind == PEP_B_CENTI ? 100 : 1, &f->v);
		break;
	}
	case PEP_B_ENUM:
	case PEP_B_ATTR_ENUM: {
		pep_enumf *f = p;
		f->line = line;
		f->v = pep_enum_index(names, v);
		break;
	}
	default:
		break;
	}
}

static bool is_attr_kind(pep_bind_kind k)
{
	return k == PEP_B_ATTR_TEXT || k == PEP_B_ATTR_ENUM || k == PEP_B_ATTR_DATE || k == PEP_B_ATTR_INT;
}

/* The field for child element `name`, searching from *cursor on (children
 * of a schema-valid element come in the descriptor's order, so this is
 * usually the first or second try) and round to the start. */
static const pep_bind_field *child_field(const pep_bind_struct *desc, const xmlChar *name, size_t *cursor)
{
	size_t n = desc->nfields;
	for (size_t k = 0; k < n; k++) {
		size_t i = (*cursor + k) % n;
		const pep_bind_field *f = &desc->fields[i];
		if (name[0] == (xmlChar)f->name[0] && !is_attr_kind(f->kind) && f->kind != PEP_B_CONTENT &&
		    strcmp((const char *)name, f->name) == 0) {
			*cursor = i;
			return f;
		}
	}
	return NULL;
}

static const pep_bind_field *field_named(const pep_bind_struct *desc, const xmlChar *name, bool attribute)
{
	for (size_t i = 0; i < desc->nfields; i++) {
		const pep_bind_field *f = &desc->fields[i];
		if (is_attr_kind(f->kind) == attribute && f->kind != PEP_B_CONTENT && xmlStrEqual(name, BAD_CAST f->name))
			return f;
	}
	return NULL;
}

void pep_bind(const pep_bind_struct *desc, const struct _xmlNode *node, void *dst, pep_arena *arena)
{
	const xmlNode *n = node;
	int line = line_of(n);
	pep_bind_absent(desc, dst, line);
	((pep_hdr *)dst)->present = true;

	for (const xmlAttr *at = n->properties; at; at = at->next) {
		const pep_bind_field *f = field_named(desc, at->name, true);
		if (!f)
			continue;
		xmlChar *v = xmlNodeListGetString(n->doc, at->children, 1);
		bind_value(f->kind, f->names, n, v ? (const char *)v : "", AT(dst, f->off), line, arena);
		xmlFree(v);
	}
	for (size_t i = 0; i < desc->nfields; i++)
		if (desc->fields[i].kind == PEP_B_CONTENT)
			bind_value(PEP_B_CONTENT, NULL, n, NULL, AT(dst, desc->fields[i].off), line, arena);

	/* Lists: count first, then fill in document order. */
	size_t counts[64] = {0};
	bool has_list = false;
	size_t cursor = 0;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const pep_bind_field *f = child_field(desc, c->name, &cursor);
		if (f && f->kind == PEP_B_LIST && (size_t)(f - desc->fields) < 64) {
			counts[f - desc->fields]++;
			has_list = true;
		}
	}
	if (has_list)
		for (size_t i = 0; i < desc->nfields && i < 64; i++)
			if (counts[i]) {
				raw_list l = {pep_arena_alloc(arena, counts[i] * desc->fields[i].item_size), 0};
				memcpy(AT(dst, desc->fields[i].off), &l, sizeof l);
			}

	cursor = 0;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const pep_bind_field *f = child_field(desc, c->name, &cursor);
		if (!f)
			continue; /* cannot happen in a schema-valid document */
		void *p = AT(dst, f->off);
		int cline = line_of(c);
		if (f->kind == PEP_B_STRUCT) {
			pep_bind(f->sub, c, p, arena);
		} else if (f->kind == PEP_B_LIST) {
			raw_list l;
			memcpy(&l, p, sizeof l);
			void *item = (char *)l.v + l.n * f->item_size;
			if (f->item == PEP_B_STRUCT)
				pep_bind(f->sub, c, item, arena);
			else
				bind_value(f->item, f->names, c, NULL, item, cline, arena);
			l.n++;
			memcpy(p, &l, sizeof l);
		} else {
			bind_value(f->kind, f->names, c, NULL, p, cline, arena);
		}
	}
}

/* pep_bind_each_text over one value of kind k at p, its path in path. */
static void each_text(const pep_bind_struct *sub, pep_bind_kind k, const void *p, pep_buf *path,
                      pep_bind_text_fn visit, void *ctx)
{
	if (k == PEP_B_STRUCT) {
		const pep_hdr *h = p;
		if (!h->present)
			return;
		size_t at = path->len;
		for (size_t i = 0; i < sub->nfields; i++) {
			const pep_bind_field *f = &sub->fields[i];
			if (f->kind == PEP_B_STRUCT || f->kind == PEP_B_LIST || f->kind == PEP_B_TEXT ||
			    f->kind == PEP_B_CONTENT || f->kind == PEP_B_ATTR_TEXT) {
				pep_buf_puts(path, at && *f->name ? "/" : "");
				pep_buf_puts(path, f->kind == PEP_B_ATTR_TEXT ? "@" : "");
				pep_buf_puts(path, f->name);
				if (f->kind == PEP_B_LIST) {
					raw_list l;
					memcpy(&l, AT(p, f->off), sizeof l);
					size_t named = path->len;
					for (size_t j = 0; j < l.n; j++) {
						pep_buf_printf(path, "[%zu]", j + 1);
						each_text(f->sub, f->item, (const char *)l.v + j * f->item_size, path, visit, ctx);
						path->len = named;
						path->s[named] = '\0';
					}
				} else {
					each_text(f->sub, f->kind, AT(p, f->off), path, visit, ctx);
				}
				if (path->s) {
					path->len = at;
					path->s[at] = '\0';
				}
			}
		}
	} else if (k == PEP_B_TEXT || k == PEP_B_CONTENT || k == PEP_B_ATTR_TEXT) {
		const pep_text *t = p;
		if (t->s)
			visit(ctx, pep_buf_str(path), *t);
	}
}

void pep_bind_each_text(const pep_bind_struct *desc, const void *src, pep_bind_text_fn visit, void *ctx)
{
	pep_buf path = PEP_BUF_INIT;
	each_text(desc, PEP_B_STRUCT, src, &path, visit, ctx);
	pep_buf_free(&path);
}
