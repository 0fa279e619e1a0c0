/* document.c: the document tree (see document.h). */
#include "document.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "strbuf.h"
#include "xalloc.h"

struct pep_document {
	pep_arena *arena; /* strings, spans and columns */
	pep_document_info info;
	pep_block *v; /* blocks; a table's cells and a notice's items are xrealloc'd, freed with the document */
	size_t n, cap;
	size_t cells_cap; /* of the last block's table */
	size_t items_cap; /* of the last block's notice */
};

pep_document *pep_document_new(void)
{
	pep_document *d = xcalloc(1, sizeof *d);
	d->arena = pep_arena_new();
	d->info.lang = "en-GB";
	return d;
}

void pep_document_free(pep_document *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].kind == PEP_BLOCK_TABLE)
			free((void *)d->v[i].table.cells);
		else if (d->v[i].kind == PEP_BLOCK_NOTICE)
			free((void *)d->v[i].items);
	free(d->v);
	pep_arena_free(d->arena);
	free(d);
}

static const char *copy(pep_document *d, const char *s)
{
	return s ? pep_arena_strdup(d->arena, s) : NULL;
}

void pep_document_set_info(pep_document *d, const pep_document_info *in)
{
	pep_document_info *o = &d->info;
	o->lang = copy(d, in->lang ? in->lang : "en-GB");
	o->title = copy(d, in->title);
	o->subject = copy(d, in->subject);
	o->author = copy(d, in->author);
	o->identity = copy(d, in->identity);
	o->marking = copy(d, in->marking);
	o->running = copy(d, in->running);
	o->id_line = copy(d, in->id_line);
	o->generated = copy(d, in->generated);
	o->not_signed_off = copy(d, in->not_signed_off);
	o->large = in->large;
}

void pep_document_set_identity(pep_document *d, const char *identity)
{
	d->info.identity = copy(d, identity);
}

const pep_document_info *pep_document_info_of(const pep_document *d)
{
	return &d->info;
}

size_t pep_document_count(const pep_document *d)
{
	return d->n;
}

const pep_block *pep_document_block(const pep_document *d, size_t i)
{
	return i < d->n ? &d->v[i] : NULL;
}

static pep_block *add(pep_document *d, pep_block_kind kind)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	pep_block *b = &d->v[d->n++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

/* The other ways Unicode has of ending a line, as the line feed the
 * writers break at (in place: never longer): NEL (U+0085) and the line
 * separator (U+2028) end a line, the paragraph separator (U+2029) a
 * paragraph. Drawn as themselves, they would be a missing glyph's box. */
static void line_breaks(char *s)
{
	char *o = s;
	for (const char *p = s; *p;) {
		if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0x85) {
			*o++ = '\n';
			p += 2;
		} else if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
		           ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9)) {
			*o++ = '\n';
			if ((unsigned char)p[2] == 0xA9)
				*o++ = '\n';
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
}

/* Copies spans, leaving out empty ones. */
static pep_rich copy_rich(pep_document *d, const pep_span *sp, size_t n)
{
	pep_rich r = {NULL, 0};
	if (!n)
		return r;
	pep_span *v = pep_arena_alloc(d->arena, n * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		if (!sp[i].text || !*sp[i].text)
			continue;
		v[r.n] = sp[i];
		char *text = pep_arena_strdup(d->arena, sp[i].text);
		line_breaks(text);
		v[r.n].text = text;
		r.n++;
	}
	r.v = v;
	return r;
}

void pep_document_title(pep_document *d, const char *title, const char *subtitle)
{
	pep_block *b = add(d, PEP_BLOCK_TITLE);
	b->text = copy(d, title);
	b->text2 = copy(d, subtitle);
}

void pep_document_heading(pep_document *d, const char *text)
{
	add(d, PEP_BLOCK_HEADING)->text = copy(d, text);
}

void pep_document_subheading(pep_document *d, const char *text)
{
	add(d, PEP_BLOCK_SUBHEADING)->text = copy(d, text);
}

void pep_document_paragraph(pep_document *d, const pep_span *spans, size_t n)
{
	pep_rich r = copy_rich(d, spans, n);
	if (pep_rich_blank(r))
		return;
	add(d, PEP_BLOCK_PARAGRAPH)->rich = r;
}

void pep_document_notice(pep_document *d, pep_tone tone, const pep_span *spans, size_t n)
{
	pep_block *b = add(d, PEP_BLOCK_NOTICE);
	b->rich = copy_rich(d, spans, n);
	b->tone = tone;
	d->items_cap = 0;
}

void pep_document_item(pep_document *d, const pep_span *spans, size_t n)
{
	if (!d->n || d->v[d->n - 1].kind != PEP_BLOCK_NOTICE)
		return; /* a builder's bug; nothing to add the item to */
	pep_block *b = &d->v[d->n - 1];
	if (b->nitems == d->items_cap) {
		d->items_cap = d->items_cap ? d->items_cap * 2 : 8;
		b->items = xrealloc((void *)b->items, d->items_cap * sizeof *b->items);
	}
	((pep_rich *)b->items)[b->nitems++] = copy_rich(d, spans, n);
}

void pep_document_field(pep_document *d, const char *label, const pep_span *spans, size_t n, int lines)
{
	pep_rich r = copy_rich(d, spans, n);
	bool blank = pep_rich_blank(r);
	if (blank && lines <= 0)
		return;
	pep_block *b = add(d, PEP_BLOCK_FIELD);
	b->text = copy(d, label);
	b->rich = blank ? (pep_rich){NULL, 0} : r;
	b->lines = blank ? lines : 0;
}

void pep_document_table(pep_document *d, bool kv, size_t ncols, const pep_column *cols)
{
	pep_block *b = add(d, PEP_BLOCK_TABLE);
	pep_column *c = pep_arena_alloc(d->arena, ncols * sizeof *c);
	for (size_t i = 0; i < ncols; i++)
		if (cols) {
			c[i].header = copy(d, cols[i].header);
			c[i].key = cols[i].key;
			c[i].room = cols[i].room;
		}
	b->table.kv = kv;
	b->table.ncols = ncols;
	b->table.cols = c;
	d->cells_cap = 0;
}

void pep_document_row(pep_document *d, const pep_cell *cells)
{
	if (!d->n || d->v[d->n - 1].kind != PEP_BLOCK_TABLE)
		return; /* a builder's bug; nothing to add the row to */
	pep_table *t = &d->v[d->n - 1].table;
	size_t need = (t->nrows + 1) * t->ncols;
	if (need > d->cells_cap) {
		d->cells_cap = need * 2;
		t->cells = xrealloc((void *)t->cells, d->cells_cap * sizeof *t->cells);
	}
	pep_cell *row = (pep_cell *)t->cells + t->nrows * t->ncols;
	for (size_t c = 0; c < t->ncols; c++) {
		row[c].text = copy_rich(d, cells[c].text.v, cells[c].text.n);
		row[c].lines = cells[c].lines;
	}
	t->nrows++;
}

/* s with each run of white space as one space, none at the ends (caller
 * frees). */
static char *squeeze(const char *s)
{
	pep_buf b = PEP_BUF_INIT;
	bool space = false;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = b.len > 0;
			continue;
		}
		if (space)
			pep_buf_putc(&b, ' ');
		space = false;
		pep_buf_putc(&b, *s);
	}
	return pep_buf_detach(&b);
}

/* The bold words just before value in r ("Where you are now: " -> "Where
 * you are now"), or NULL: a copy in out's storage. */
static const char *lead_of(pep_rich r, const char *value, pep_buf *out)
{
	char *plain = pep_rich_plain(r);
	const char *at = strstr(plain, value);
	size_t pos = at ? (size_t)(at - plain) : 0, off = 0;
	free(plain);
	for (size_t i = 0; at && i < r.n; off += strlen(r.v[i].text), i++) {
		if (off < pos)
			continue;
		if (off > pos || i == 0 || r.v[i - 1].font != PEP_FONT_BOLD)
			break;
		const char *t = r.v[i - 1].text;
		size_t n = strlen(t);
		while (n && (t[n - 1] == ' ' || t[n - 1] == ':'))
			n--;
		while (n && *t == '\n') {
			t++;
			n--;
		}
		pep_buf_clear(out);
		pep_buf_add(out, t, n);
		return n ? pep_buf_str(out) : NULL;
	}
	return NULL;
}

/* One place the document shows text: the text, what labels it, and the
 * heading above it. */
typedef struct place {
	pep_rich text;
	const char *label; /* NULL for a paragraph */
	char *row_label;   /* a label/value row's label (owned) */
	const char *under; /* NULL before the first heading */
} place;

char *pep_document_where(const pep_document *d, const char *value)
{
	if (!value)
		return NULL;
	char *want = squeeze(value);
	if (!*want) {
		free(want);
		return NULL;
	}
	char *found = NULL;
	pep_buf lead = PEP_BUF_INIT;
	/* pass 0: shown whole; pass 1: inside a longer text */
	for (int pass = 0; pass < 2 && !found; pass++) {
		const char *under = NULL;
		for (size_t i = 0; i < d->n && !found; i++) {
			const pep_block *b = &d->v[i];
			place pl[1] = {{{NULL, 0}, NULL, NULL, under}};
			size_t ncells = 0;
			switch (b->kind) {
			case PEP_BLOCK_HEADING:
			case PEP_BLOCK_SUBHEADING:
				under = b->text;
				continue;
			case PEP_BLOCK_FIELD:
			case PEP_BLOCK_PARAGRAPH:
				pl->text = b->rich;
				pl->label = b->kind == PEP_BLOCK_FIELD ? b->text : NULL;
				ncells = 1;
				break;
			case PEP_BLOCK_TABLE:
				ncells = b->table.nrows * b->table.ncols;
				break;
			case PEP_BLOCK_TITLE:
			case PEP_BLOCK_NOTICE:
				continue;
			}
			for (size_t c = 0; c < ncells && !found; c++) {
				if (b->kind == PEP_BLOCK_TABLE) {
					const pep_table *t = &b->table;
					size_t col = c % t->ncols;
					if (t->kv && col == 0)
						continue;
					pl->text = t->cells[c].text;
					free(pl->row_label);
					pl->row_label = t->kv ? pep_rich_plain(t->cells[c - col].text) : NULL;
					pl->label = t->kv ? pl->row_label : t->cols[col].header;
				}
				char *plain = pep_rich_plain(pl->text), *have = squeeze(plain);
				free(plain);
				bool hit = pass == 0 ? strcmp(have, want) == 0 : strstr(have, want) != NULL;
				free(have);
				if (!hit)
					continue;
				const char *inner = pass == 1 ? lead_of(pl->text, value, &lead) : NULL;
				const char *label = inner ? inner : pl->label;
				pep_buf w = PEP_BUF_INIT;
				if (label && *label)
					pep_buf_printf(&w, "\"%s\"", label);
				else
					pep_buf_puts(&w, "the text");
				if (pl->under && (!label || strcmp(label, pl->under) != 0))
					pep_buf_printf(&w, " under \"%s\"", pl->under);
				found = pep_buf_detach(&w);
			}
			free(pl->row_label);
		}
	}
	pep_buf_free(&lead);
	free(want);
	return found;
}

char *pep_rich_plain(pep_rich r)
{
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < r.n; i++)
		pep_buf_puts(&b, r.v[i].text);
	return pep_buf_detach(&b);
}

bool pep_rich_blank(pep_rich r)
{
	for (size_t i = 0; i < r.n; i++)
		for (const char *s = r.v[i].text; *s; s++)
			if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
				return false;
	return true;
}
