/* layout.c: line breaking and pagination (see layout.h). */
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ */
/* UTF-8                                                                */
/* ------------------------------------------------------------------ */

/* The length of the UTF-8 sequence at s (at most n bytes) and its code
 * point in *cp; an invalid byte is a sequence of 1 with *cp = 0xFFFD. */
static size_t utf8_next(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;
	uint32_t c;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	} else if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		len = 2;
		c = u[0] & 0x1F;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		len = 3;
		c = u[0] & 0x0F;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		len = 4;
		c = u[0] & 0x07;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3F);
	}
	*cp = c;
	return len;
}

/* Combining marks stay with the character before them. */
static bool is_combining(uint32_t c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
	       (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

/* The length of the character at s with the combining marks after it. */
static size_t cluster_len(const char *s, size_t n)
{
	uint32_t c;
	size_t len = utf8_next(s, n, &c);
	while (len < n) {
		size_t k = utf8_next(s + len, n - len, &c);
		if (!is_combining(c))
			break;
		len += k;
	}
	return len;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* ------------------------------------------------------------------ */
/* Line breaking                                                        */
/* ------------------------------------------------------------------ */

void pep_layout_lines_free(pep_layout_lines *l)
{
	free(l->frags);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* A word: consecutive pieces with no white space between them (a word may
 * cross from one span into the next). */
typedef struct piece {
	pep_layout_font font;
	const char *s;
	size_t n;
	double w;
} piece;

typedef struct breaker {
	pep_layout_lines *out;
	pep_layout_measure_fn fn;
	void *ctx;
	double size, width;
	double x;          /* where the next text goes on the current line */
	bool open;         /* the current line has text */
	bool last_empty;   /* the last line ended is a forced empty line */
	size_t line_first; /* index of the current line's first frag */
	piece *word;
	size_t nword, capword;
	bool space;        /* white space came before the word being collected */
	double space_w;
} breaker;

static void end_line(breaker *b, bool force_empty)
{
	pep_layout_lines *o = b->out;
	if (!b->open && !force_empty)
		return;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->v = xrealloc(o->v, o->cap * sizeof *o->v);
	}
	pep_layout_line *ln = &o->v[o->n++];
	ln->first = b->line_first;
	ln->count = o->nfrags - b->line_first;
	ln->width = b->open ? b->x : 0;
	b->last_empty = !b->open;
	b->open = false;
	b->x = 0;
	b->line_first = o->nfrags;
}

/* Adds text to the current line at x, joining the last frag when the two
 * are one piece of source text separated by exactly the gap given. */
static void put(breaker *b, pep_layout_font font, const char *s, size_t n, double x, double w)
{
	pep_layout_lines *o = b->out;
	if (o->nfrags > b->line_first) {
		pep_layout_frag *p = &o->frags[o->nfrags - 1];
		if (p->font == font && p->s + p->n == s) {
			p->n += n;
			p->w = x + w - p->x;
			b->x = x + w;
			b->open = true;
			return;
		}
		if (p->font == font && p->s + p->n + 1 == s && p->s[p->n] == ' ') {
			p->n += n + 1;
			p->w = x + w - p->x;
			b->x = x + w;
			b->open = true;
			return;
		}
	}
	if (o->nfrags == o->capfrags) {
		o->capfrags = o->capfrags ? o->capfrags * 2 : 32;
		o->frags = xrealloc(o->frags, o->capfrags * sizeof *o->frags);
	}
	o->frags[o->nfrags++] = (pep_layout_frag){font, s, n, x, w};
	b->x = x + w;
	b->open = true;
}

/* Places a word longer than the line, character by character. */
static void place_long(breaker *b)
{
	for (size_t i = 0; i < b->nword; i++) {
		piece *p = &b->word[i];
		size_t off = 0;
		while (off < p->n) {
			size_t k = cluster_len(p->s + off, p->n - off);
			double w = b->fn(b->ctx, p->font, b->size, p->s + off, k);
			if (b->open && b->x + w > b->width)
				end_line(b, false);
			put(b, p->font, p->s + off, k, b->x, w);
			off += k;
		}
	}
}

static void flush_word(breaker *b)
{
	if (b->nword == 0)
		return;
	double w = 0;
	for (size_t i = 0; i < b->nword; i++)
		w += b->word[i].w;
	if (b->open) {
		double gap = b->space ? b->space_w : 0;
		if (b->x + gap + w <= b->width) {
			double x = b->x + gap;
			for (size_t i = 0; i < b->nword; i++) {
				put(b, b->word[i].font, b->word[i].s, b->word[i].n, x, b->word[i].w);
				x += b->word[i].w;
			}
			goto out;
		}
		if (b->space)
			end_line(b, false);
		/* else: glued to the text before it; carry on character by
		 * character from where the line is. */
	}
	if (!b->open && w <= b->width) {
		double x = 0;
		for (size_t i = 0; i < b->nword; i++) {
			put(b, b->word[i].font, b->word[i].s, b->word[i].n, x, b->word[i].w);
			x += b->word[i].w;
		}
	} else {
		place_long(b);
	}
out:
	b->nword = 0;
	b->space = false;
}

static void add_piece(breaker *b, pep_layout_font font, const char *s, size_t n)
{
	if (b->nword == b->capword) {
		b->capword = b->capword ? b->capword * 2 : 4;
		b->word = xrealloc(b->word, b->capword * sizeof *b->word);
	}
	b->word[b->nword++] = (piece){font, s, n, b->fn(b->ctx, font, b->size, s, n)};
}

void pep_layout_break(const pep_span *spans, size_t nspans, double size, double width, pep_layout_measure_fn fn,
                      void *ctx, pep_layout_lines *out)
{
	breaker b = {0};
	b.out = out;
	b.fn = fn;
	b.ctx = ctx;
	b.size = size;
	b.width = width > 0 ? width : 1;
	b.line_first = out->nfrags;
	b.last_empty = true; /* no empty line before the first text */
	size_t lines_before = out->n;
	for (size_t i = 0; i < nspans; i++) {
		const char *s = spans[i].text ? spans[i].text : "";
		size_t len = strlen(s), pos = 0;
		while (pos < len) {
			if (s[pos] == '\n') {
				flush_word(&b);
				if (b.open)
					end_line(&b, false);
				else if (!b.last_empty)
					end_line(&b, true); /* one blank line between paragraphs */
				pos++;
			} else if (is_space(s[pos])) {
				flush_word(&b);
				b.space = b.open;
				b.space_w = fn(ctx, spans[i].font, size, " ", 1);
				pos++;
			} else {
				size_t start = pos;
				while (pos < len && s[pos] != '\n' && !is_space(s[pos]))
					pos++;
				add_piece(&b, spans[i].font, s + start, pos - start);
			}
		}
	}
	flush_word(&b);
	end_line(&b, false);
	/* No empty lines at the end. */
	while (out->n > lines_before && out->v[out->n - 1].count == 0)
		out->n--;
	free(b.word);
}

/* ------------------------------------------------------------------ */
/* Pages                                                                */
/* ------------------------------------------------------------------ */

/* Type sizes and colours: one place for the look of the document. */
#define BODY_SIZE 9.5
#define CELL_SIZE 9.0
#define HEAD_SIZE 8.5
#define LEADING 1.32
#define CELL_PAD_X 4.0
#define CELL_PAD_Y 3.0
#define HEADING_SIZE 12.0
#define HEADING_BAR 20.0
#define SUBHEADING_SIZE 10.5
#define INK 0x1A1A1AU
#define NAVY 0x1F3A5FU
#define WHITE 0xFFFFFFU
#define HEADER_FILL 0xDCE4EEU
#define LABEL_FILL 0xF1F4F8U
#define BORDER 0xA8B3BFU
#define BORDER_W 0.5

typedef struct page {
	pep_layout_op *ops;
	size_t n, cap;
} page;

struct pep_layout {
	pep_layout_geometry g;
	pep_layout_measure_fn fn;
	void *ctx;
	pep_arena *arena;
	page *pages;
	size_t npages, cappages;
	double y; /* the top of the free space on the last page */
	/* the table being laid out */
	bool in_table;
	bool header_drawn;
	size_t ncols;
	double *col_x, *col_w;
	char **headers;
	int label_col;
};

static double body_w(const pep_layout *l)
{
	return l->g.page_w - l->g.margin_l - l->g.margin_r;
}

static double bottom(const pep_layout *l)
{
	return l->g.page_h - l->g.margin_b;
}

static double line_h(double size)
{
	return size * LEADING;
}

/* The baseline of a line of text whose line box starts at top. */
static double baseline(double top, double size)
{
	return top + (line_h(size) + 0.72 * size) / 2;
}

static void new_page(pep_layout *l)
{
	if (l->npages == l->cappages) {
		l->cappages = l->cappages ? l->cappages * 2 : 8;
		l->pages = xrealloc(l->pages, l->cappages * sizeof *l->pages);
	}
	l->pages[l->npages++] = (page){NULL, 0, 0};
	l->y = l->g.margin_t;
}

static pep_layout_op *add_op(pep_layout *l, pep_layout_op_kind kind)
{
	page *p = &l->pages[l->npages - 1];
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->ops = xrealloc(p->ops, p->cap * sizeof *p->ops);
	}
	pep_layout_op *op = &p->ops[p->n++];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	return op;
}

static void op_text(pep_layout *l, pep_layout_font font, double size, double x, double y, uint32_t rgb,
                    const char *s, size_t n)
{
	pep_layout_op *op = add_op(l, PEP_LAYOUT_TEXT);
	op->font = font;
	op->size = size;
	op->x = x;
	op->y = y;
	op->rgb = rgb;
	op->s = pep_arena_strndup(l->arena, s, n);
	op->n = n;
}

/* A rectangle (FILL) or a line from (x, y) to (x + w, y + h) (RULE). */
static pep_layout_op *op_box(pep_layout *l, pep_layout_op_kind kind, double x, double y, double w, double h,
                             uint32_t rgb)
{
	pep_layout_op *op = add_op(l, kind);
	op->x = x;
	op->y = y;
	op->w = w;
	op->h = h;
	op->rgb = rgb;
	return op;
}

static void op_fill(pep_layout *l, double x, double y, double w, double h, uint32_t rgb)
{
	op_box(l, PEP_LAYOUT_FILL, x, y, w, h, rgb);
}

static void op_rule(pep_layout *l, double x, double y, double w, double h, double width, uint32_t rgb)
{
	op_box(l, PEP_LAYOUT_RULE, x, y, w, h, rgb)->size = width;
}

/* Draws lines[first..first+count) of ls with their top at y. */
static void draw_lines(pep_layout *l, const pep_layout_lines *ls, size_t first, size_t count, double x, double y,
                       double size, uint32_t rgb)
{
	for (size_t i = first; i < first + count && i < ls->n; i++) {
		const pep_layout_line *ln = &ls->v[i];
		double base = baseline(y + (double)(i - first) * line_h(size), size);
		for (size_t k = ln->first; k < ln->first + ln->count; k++) {
			const pep_layout_frag *f = &ls->frags[k];
			op_text(l, f->font, size, x + f->x, base, rgb, f->s, f->n);
		}
	}
}

static bool page_empty(const pep_layout *l)
{
	return l->y <= l->g.margin_t;
}

pep_layout *pep_layout_new(const pep_layout_geometry *g, pep_layout_measure_fn fn, void *ctx)
{
	pep_layout *l = xcalloc(1, sizeof *l);
	l->g = *g;
	l->fn = fn;
	l->ctx = ctx;
	l->arena = pep_arena_new();
	new_page(l);
	return l;
}

static void table_clear(pep_layout *l)
{
	if (l->headers)
		for (size_t i = 0; i < l->ncols; i++)
			free(l->headers[i]);
	free(l->headers);
	free(l->col_x);
	free(l->col_w);
	l->headers = NULL;
	l->col_x = l->col_w = NULL;
	l->in_table = false;
	l->ncols = 0;
}

void pep_layout_free(pep_layout *l)
{
	if (!l)
		return;
	table_clear(l);
	for (size_t i = 0; i < l->npages; i++)
		free(l->pages[i].ops);
	free(l->pages);
	pep_arena_free(l->arena);
	free(l);
}

size_t pep_layout_pages(const pep_layout *l)
{
	return l->npages;
}

const pep_layout_op *pep_layout_page_ops(const pep_layout *l, size_t i, size_t *n)
{
	if (i >= l->npages) {
		*n = 0;
		return NULL;
	}
	*n = l->pages[i].n;
	return l->pages[i].ops;
}

static void draw_table_header(pep_layout *l);

void pep_layout_page_break(pep_layout *l)
{
	if (page_empty(l))
		return;
	new_page(l);
	if (l->in_table && l->header_drawn)
		draw_table_header(l);
}

/* Starts a new page unless h more points fit on this one. */
static void ensure(pep_layout *l, double h)
{
	if (l->y + h > bottom(l) && !page_empty(l))
		pep_layout_page_break(l);
}

void pep_layout_gap(pep_layout *l, double pts)
{
	if (!page_empty(l))
		l->y += pts;
}

/* Breaks one plain string. */
static void break_plain(pep_layout *l, pep_layout_font font, const char *text, double size, double width,
                        pep_layout_lines *ls)
{
	pep_span sp = {font, text};
	pep_layout_break(&sp, 1, size, width, l->fn, l->ctx, ls);
}

void pep_layout_title(pep_layout *l, const char *text, double size)
{
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	break_plain(l, PEP_LAYOUT_BOLD, text, size, body_w(l), &ls);
	for (size_t i = 0; i < ls.n; i++) {
		ensure(l, line_h(size));
		draw_lines(l, &ls, i, 1, l->g.margin_l, l->y, size, NAVY);
		l->y += line_h(size);
	}
	pep_layout_lines_free(&ls);
}

size_t pep_layout_heading(pep_layout *l, const char *text, double *y)
{
	pep_layout_gap(l, 10);
	ensure(l, HEADING_BAR + 70);
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	break_plain(l, PEP_LAYOUT_BOLD, text, HEADING_SIZE, body_w(l) - 16, &ls);
	double h = fmax(HEADING_BAR, (double)ls.n * line_h(HEADING_SIZE) + 6);
	op_fill(l, l->g.margin_l, l->y, body_w(l), h, NAVY);
	draw_lines(l, &ls, 0, ls.n, l->g.margin_l + 8, l->y + (h - (double)ls.n * line_h(HEADING_SIZE)) / 2,
	           HEADING_SIZE, WHITE);
	pep_layout_lines_free(&ls);
	if (y)
		*y = l->y;
	l->y += h + 6;
	return l->npages - 1;
}

void pep_layout_subheading(pep_layout *l, const char *text)
{
	pep_layout_gap(l, 8);
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	break_plain(l, PEP_LAYOUT_BOLD, text, SUBHEADING_SIZE, body_w(l), &ls);
	double h = (double)ls.n * line_h(SUBHEADING_SIZE);
	ensure(l, h + 3 + 45);
	draw_lines(l, &ls, 0, ls.n, l->g.margin_l, l->y, SUBHEADING_SIZE, NAVY);
	l->y += h + 1;
	op_rule(l, l->g.margin_l, l->y, body_w(l), 0, 0.75, NAVY);
	l->y += 4;
	pep_layout_lines_free(&ls);
}

void pep_layout_paragraph(pep_layout *l, const pep_span *spans, size_t n)
{
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	pep_layout_break(spans, n, BODY_SIZE, body_w(l), l->fn, l->ctx, &ls);
	for (size_t i = 0; i < ls.n; i++) {
		ensure(l, line_h(BODY_SIZE));
		draw_lines(l, &ls, i, 1, l->g.margin_l, l->y, BODY_SIZE, INK);
		l->y += line_h(BODY_SIZE);
	}
	if (ls.n)
		l->y += 4;
	pep_layout_lines_free(&ls);
}

/* ------------------------------------------------------------------ */
/* Rows: tables and boxed notices                                       */
/* ------------------------------------------------------------------ */

typedef struct row_style {
	double size;
	const uint32_t *fills; /* per cell, 0 = none */
	bool borders;
	uint32_t bar;          /* a left bar in this colour, 0 = none */
	uint32_t ink;
} row_style;

/* Draws lines [from, from+count) of each cell as one slice of a row with
 * its top at l->y, and moves below it. */
static void draw_slice(pep_layout *l, size_t ncols, const double *xs, const double *ws, pep_layout_lines *cells,
                       size_t from, size_t count, const row_style *st)
{
	double h = (double)count * line_h(st->size) + 2 * CELL_PAD_Y;
	for (size_t c = 0; c < ncols; c++)
		if (st->fills && st->fills[c])
			op_fill(l, xs[c], l->y, ws[c], h, st->fills[c]);
	if (st->bar)
		op_fill(l, xs[0], l->y, 3, h, st->bar);
	for (size_t c = 0; c < ncols; c++) {
		double pad = st->bar && c == 0 ? CELL_PAD_X + 5 : CELL_PAD_X;
		draw_lines(l, &cells[c], from, count, xs[c] + pad, l->y + CELL_PAD_Y, st->size, st->ink);
	}
	if (st->borders) {
		double x0 = xs[0], x1 = xs[ncols - 1] + ws[ncols - 1];
		op_rule(l, x0, l->y, x1 - x0, 0, BORDER_W, BORDER);
		op_rule(l, x0, l->y + h, x1 - x0, 0, BORDER_W, BORDER);
		for (size_t c = 0; c < ncols; c++)
			op_rule(l, xs[c], l->y, 0, h, BORDER_W, BORDER);
		op_rule(l, x1, l->y, 0, h, BORDER_W, BORDER);
	}
	l->y += h;
}

/* Lays out a row whose cells are already broken into lines; splits it
 * across pages when it is taller than a page. */
static void place_row(pep_layout *l, size_t ncols, const double *xs, const double *ws, pep_layout_lines *cells,
                      const row_style *st)
{
	size_t nlines = 0;
	for (size_t c = 0; c < ncols; c++)
		if (cells[c].n > nlines)
			nlines = cells[c].n;
	if (nlines == 0)
		nlines = 1; /* an empty row still shows */
	double lh = line_h(st->size);
	double need = (double)nlines * lh + 2 * CELL_PAD_Y;
	double avail = bottom(l) - l->y;
	double fresh = bottom(l) - l->g.margin_t - (l->in_table && l->headers ? line_h(HEAD_SIZE) * 3 + 2 * CELL_PAD_Y : 0);
	if (need > avail && need <= fresh)
		pep_layout_page_break(l);
	size_t done = 0;
	while (done < nlines) {
		avail = bottom(l) - l->y;
		size_t fit = avail > 2 * CELL_PAD_Y ? (size_t)floor((avail - 2 * CELL_PAD_Y) / lh) : 0;
		if (fit < 2 && fit < nlines - done && !page_empty(l)) {
			pep_layout_page_break(l);
			continue;
		}
		if (fit == 0)
			fit = 1; /* a page smaller than a line: still make progress */
		size_t count = nlines - done < fit ? nlines - done : fit;
		draw_slice(l, ncols, xs, ws, cells, done, count, st);
		done += count;
		if (done < nlines)
			pep_layout_page_break(l);
	}
}

void pep_layout_notice(pep_layout *l, const pep_span *spans, size_t n, uint32_t fill, uint32_t bar)
{
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	double x = l->g.margin_l, w = body_w(l);
	pep_layout_break(spans, n, BODY_SIZE, w - 2 * CELL_PAD_X - 5, l->fn, l->ctx, &ls);
	row_style st = {BODY_SIZE, &fill, false, bar, INK};
	bool saved = l->in_table;
	l->in_table = false; /* a notice is never inside a table */
	place_row(l, 1, &x, &w, &ls, &st);
	l->in_table = saved;
	l->y += 6;
	pep_layout_lines_free(&ls);
}

static void draw_table_header(pep_layout *l)
{
	if (!l->headers)
		return;
	pep_layout_lines *cells = xcalloc(l->ncols, sizeof *cells);
	uint32_t *fills = xcalloc(l->ncols, sizeof *fills);
	for (size_t c = 0; c < l->ncols; c++) {
		break_plain(l, PEP_LAYOUT_BOLD, l->headers[c], HEAD_SIZE, l->col_w[c] - 2 * CELL_PAD_X, &cells[c]);
		fills[c] = HEADER_FILL;
	}
	size_t nlines = 1;
	for (size_t c = 0; c < l->ncols; c++)
		if (cells[c].n > nlines)
			nlines = cells[c].n;
	row_style st = {HEAD_SIZE, fills, true, 0, NAVY};
	draw_slice(l, l->ncols, l->col_x, l->col_w, cells, 0, nlines, &st);
	for (size_t c = 0; c < l->ncols; c++)
		pep_layout_lines_free(&cells[c]);
	free(cells);
	free(fills);
	l->header_drawn = true;
}

void pep_layout_table_begin(pep_layout *l, const pep_layout_table *t)
{
	table_clear(l);
	l->in_table = true;
	l->header_drawn = false;
	l->ncols = t->ncols;
	l->label_col = t->label_col;
	l->col_x = xcalloc(t->ncols, sizeof *l->col_x);
	l->col_w = xcalloc(t->ncols, sizeof *l->col_w);
	double x = l->g.margin_l;
	for (size_t c = 0; c < t->ncols; c++) {
		l->col_x[c] = x;
		l->col_w[c] = t->widths[c] * body_w(l);
		x += l->col_w[c];
	}
	if (t->headers) {
		l->headers = xcalloc(t->ncols, sizeof *l->headers);
		for (size_t c = 0; c < t->ncols; c++)
			l->headers[c] = xstrdup(t->headers[c] ? t->headers[c] : "");
	}
}

void pep_layout_table_row(pep_layout *l, const pep_layout_cell *cells)
{
	size_t nc = l->ncols;
	pep_layout_lines *ls = xcalloc(nc, sizeof *ls);
	uint32_t *fills = xcalloc(nc, sizeof *fills);
	size_t nlines = 1;
	for (size_t c = 0; c < nc; c++) {
		double w = l->col_w[c] - 2 * CELL_PAD_X;
		if ((int)c == l->label_col) {
			/* The label column is bold whatever the spans say. */
			pep_span *sp = xcalloc(cells[c].n ? cells[c].n : 1, sizeof *sp);
			for (size_t k = 0; k < cells[c].n; k++)
				sp[k] = (pep_span){PEP_LAYOUT_BOLD, cells[c].spans[k].text};
			pep_layout_break(sp, cells[c].n, CELL_SIZE, w, l->fn, l->ctx, &ls[c]);
			free(sp);
			fills[c] = LABEL_FILL;
		} else {
			pep_layout_break(cells[c].spans, cells[c].n, CELL_SIZE, w, l->fn, l->ctx, &ls[c]);
		}
		if (ls[c].n > nlines)
			nlines = ls[c].n;
	}
	if (l->headers && !l->header_drawn) {
		/* The header goes with the first row: both on this page, or both
		 * on the next. */
		double hh = line_h(HEAD_SIZE) * 2 + 2 * CELL_PAD_Y;
		double first = fmin((double)nlines, 3) * line_h(CELL_SIZE) + 2 * CELL_PAD_Y;
		double whole = (double)nlines * line_h(CELL_SIZE) + 2 * CELL_PAD_Y;
		double fresh = bottom(l) - l->g.margin_t;
		ensure(l, hh + (hh + whole <= fresh ? whole : first));
		draw_table_header(l);
	}
	row_style st = {CELL_SIZE, fills, true, 0, INK};
	place_row(l, nc, l->col_x, l->col_w, ls, &st);
	for (size_t c = 0; c < nc; c++)
		pep_layout_lines_free(&ls[c]);
	free(ls);
	free(fills);
}

void pep_layout_table_end(pep_layout *l)
{
	table_clear(l);
	l->y += 6;
}
