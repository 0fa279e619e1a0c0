/* layout.c: line breaking, column sizing and pagination (see layout.h). */
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

/* U+200B ZERO WIDTH SPACE: a place to break, nothing to draw. */
static bool is_zwsp(const char *s)
{
	return (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x8B;
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

/* A word: consecutive pieces with no break opportunity between them (a
 * word may cross from one span into the next). A glue piece is a space
 * inside a KEEP span: a break only when the word cannot fit a line. */
typedef struct piece {
	pep_font font;
	unsigned flags;
	const char *s;
	size_t n;
	double w;
	bool glue;
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
	bool brk;          /* a break opportunity came before the word being collected ... */
	bool space;        /* ... and it was white space */
	double space_w;
	double max_word;   /* the widest word seen */
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
 * are one piece of source text separated by nothing or by one space. */
static void put(breaker *b, const piece *pc, const char *s, size_t n, double x, double w)
{
	pep_layout_lines *o = b->out;
	if (o->nfrags > b->line_first) {
		pep_layout_frag *p = &o->frags[o->nfrags - 1];
		if (p->font == pc->font && p->flags == pc->flags &&
		    (p->s + p->n == s || (p->s + p->n + 1 == s && p->s[p->n] == ' '))) {
			p->n = (size_t)(s + n - p->s);
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
	o->frags[o->nfrags++] = (pep_layout_frag){pc->font, pc->flags, s, n, x, w};
	b->x = x + w;
	b->open = true;
}

static void place_at(breaker *b, const piece *p, size_t k, double x)
{
	for (size_t i = 0; i < k; i++) {
		if (!p[i].glue)
			put(b, &p[i], p[i].s, p[i].n, x, p[i].w);
		x += p[i].w;
	}
}

/* Places a word longer than the line, character by character. */
static void place_long(breaker *b, const piece *p, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		size_t off = 0;
		while (off < p[i].n) {
			size_t n = cluster_len(p[i].s + off, p[i].n - off);
			double w = b->fn(b->ctx, p[i].font, b->size, p[i].s + off, n);
			if (b->open && b->x + w > b->width)
				end_line(b, false);
			put(b, &p[i], p[i].s + off, n, b->x, w);
			off += n;
		}
	}
}

static bool is_letter_byte(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (unsigned char)c >= 0x80;
}

static void place_word(breaker *b, const piece *p, size_t k, bool brk, double gap);

/* A word longer than the line, broken where typesetters break one before
 * they break between letters: after a slash (paths, web addresses) and
 * after a hyphen between letters ("English-|language", never inside
 * "2025-12-01"). False when the word has no such place. */
static bool place_soft(breaker *b, const piece *p, size_t k, bool brk, double gap)
{
	piece *sub = NULL;
	size_t n = 0, cap = 0;
	bool any = false;
	for (size_t i = 0; i < k; i++) {
		size_t start = 0;
		for (size_t j = 0; j < p[i].n; j++) {
			const char *s = p[i].s;
			bool soft = j + 1 < p[i].n &&
			            (s[j] == '/' || (s[j] == '-' && j > 0 && is_letter_byte(s[j - 1]) && is_letter_byte(s[j + 1])));
			if (!soft)
				continue;
			if (n + 2 > cap) {
				cap = cap ? cap * 2 : 8;
				sub = xrealloc(sub, cap * sizeof *sub);
			}
			sub[n] = p[i];
			sub[n].s = s + start;
			sub[n].n = j + 1 - start;
			sub[n].w = b->fn(b->ctx, p[i].font, b->size, sub[n].s, sub[n].n);
			sub[n++].glue = true; /* here: a break after it */
			start = j + 1;
			any = true;
		}
		if (n + 1 > cap) {
			cap = cap ? cap * 2 : 8;
			sub = xrealloc(sub, cap * sizeof *sub);
		}
		sub[n] = p[i];
		sub[n].s = p[i].s + start;
		sub[n].n = p[i].n - start;
		sub[n].w = start ? b->fn(b->ctx, p[i].font, b->size, sub[n].s, sub[n].n) : p[i].w;
		sub[n++].glue = false;
	}
	if (any) {
		size_t start = 0;
		bool first = true;
		for (size_t i = 0; i < n; i++)
			if (sub[i].glue || i + 1 == n) {
				/* the pieces up to and including a break point */
				piece *seg = sub + start;
				size_t m = i + 1 - start;
				for (size_t q = 0; q < m; q++)
					seg[q].glue = false;
				place_word(b, seg, m, first ? brk : true, first ? gap : 0);
				first = false;
				start = i + 1;
			}
	}
	free(sub);
	return any;
}

/* Places the word p[0..k): on this line after a gap when it fits, else on
 * the next (brk: a break is allowed before it); a word longer than a line
 * is broken at its glue, and then between characters. */
static void place_word(breaker *b, const piece *p, size_t k, bool brk, double gap)
{
	double w = 0;
	bool glue = false;
	for (size_t i = 0; i < k; i++) {
		w += p[i].w;
		glue |= p[i].glue;
	}
	if (b->open) {
		if (b->x + gap + w <= b->width) {
			place_at(b, p, k, b->x + gap);
			return;
		}
		if (brk)
			end_line(b, false);
	}
	if (!b->open && w <= b->width) {
		place_at(b, p, k, 0);
		return;
	}
	if (glue) {
		size_t start = 0;
		for (size_t i = 0; i <= k; i++)
			if (i == k || p[i].glue) {
				place_word(b, p + start, i - start, start > 0, start > 0 ? p[start - 1].w : 0);
				start = i + 1;
			}
		return;
	}
	if (!place_soft(b, p, k, brk, gap))
		place_long(b, p, k);
}

static void flush_word(breaker *b)
{
	if (!b->nword)
		return;
	double w = 0;
	for (size_t i = 0; i < b->nword; i++)
		w += b->word[i].w;
	if (w > b->max_word)
		b->max_word = w;
	place_word(b, b->word, b->nword, b->brk, b->space ? b->space_w : 0);
	b->nword = 0;
	b->brk = b->space = false;
}

static void add_piece(breaker *b, pep_font font, unsigned flags, const char *s, size_t n, bool glue)
{
	if (b->nword == b->capword) {
		b->capword = b->capword ? b->capword * 2 : 4;
		b->word = xrealloc(b->word, b->capword * sizeof *b->word);
	}
	b->word[b->nword++] = (piece){font, flags, s, n, b->fn(b->ctx, font, b->size, s, n), glue};
}

/* Breaks the spans; *max_word (may be NULL) gets the widest word. */
static void break_spans(const pep_span *spans, size_t nspans, double size, double width, pep_layout_measure_fn fn,
                        void *ctx, pep_layout_lines *out, double *max_word)
{
	breaker b;
	memset(&b, 0, sizeof b);
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
		bool keep = spans[i].flags & PEP_SPAN_KEEP;
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
				size_t end = pos;
				while (end < len && is_space(s[end]))
					end++;
				if (keep && pos > 0 && b.nword && end < len && s[end] != '\n' && !is_zwsp(s + end)) {
					/* inside a value that must stay whole */
					add_piece(&b, spans[i].font, spans[i].flags, s + pos, 1, true);
				} else {
					flush_word(&b);
					b.brk = true;
					b.space = b.open;
					b.space_w = fn(ctx, spans[i].font, size, " ", 1);
				}
				pos = end;
			} else if (len - pos >= 3 && is_zwsp(s + pos)) {
				flush_word(&b);
				b.brk = true; /* a gap only if white space came too */
				pos += 3;
			} else {
				size_t start = pos;
				while (pos < len && s[pos] != '\n' && !is_space(s[pos]) && !(len - pos >= 3 && is_zwsp(s + pos)))
					pos++;
				add_piece(&b, spans[i].font, spans[i].flags, s + start, pos - start, false);
			}
		}
	}
	flush_word(&b);
	end_line(&b, false);
	/* No empty lines at the end. */
	while (out->n > lines_before && out->v[out->n - 1].count == 0)
		out->n--;
	free(b.word);
	if (max_word)
		*max_word = b.max_word;
}

void pep_layout_break(const pep_span *spans, size_t nspans, double size, double width, pep_layout_measure_fn fn,
                      void *ctx, pep_layout_lines *out)
{
	break_spans(spans, nspans, size, width, fn, ctx, out, NULL);
}

void pep_layout_extent(const pep_span *spans, size_t nspans, double size, pep_layout_measure_fn fn, void *ctx,
                       double *minw, double *maxw)
{
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	break_spans(spans, nspans, size, HUGE_VAL, fn, ctx, &ls, minw);
	*maxw = 0;
	for (size_t i = 0; i < ls.n; i++)
		if (ls.v[i].width > *maxw)
			*maxw = ls.v[i].width;
	pep_layout_lines_free(&ls);
}

/* ------------------------------------------------------------------ */
/* Column widths                                                        */
/* ------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void pep_layout_columns(size_t n, const double *minw, const double *maxw, double avail, double *out)
{
	double smin = 0, smax = 0;
	for (size_t i = 0; i < n; i++) {
		double mx = maxw[i] > minw[i] ? maxw[i] : minw[i];
		smin += minw[i];
		smax += mx;
	}
	if (n == 0)
		return;
	if (smax <= avail) {
		/* everything fits on one line: share what is left by width */
		for (size_t i = 0; i < n; i++) {
			double mx = maxw[i] > minw[i] ? maxw[i] : minw[i];
			out[i] = smax > 0 ? mx + (avail - smax) * mx / smax : avail / (double)n;
		}
	} else if (smin <= avail) {
		/* every column its narrowest, the rest by how much more each could use */
		for (size_t i = 0; i < n; i++) {
			double mx = maxw[i] > minw[i] ? maxw[i] : minw[i];
			out[i] = minw[i] + (avail - smin) * (mx - minw[i]) / (smax - smin);
		}
	} else {
		/* not even every word fits: cut the widest columns to one width c,
		 * with sum(min(minw, c)) = avail */
		double *s = xcalloc(n, sizeof *s);
		memcpy(s, minw, n * sizeof *s);
		qsort(s, n, sizeof *s, cmp_double);
		double below = 0, c = avail / (double)n;
		for (size_t k = 0; k < n; k++) {
			if (below + s[k] * (double)(n - k) >= avail) {
				c = (avail - below) / (double)(n - k);
				break;
			}
			below += s[k];
		}
		free(s);
		for (size_t i = 0; i < n; i++)
			out[i] = minw[i] < c ? minw[i] : c;
	}
}

/* ------------------------------------------------------------------ */
/* The look: type sizes and colours, in one place                       */
/* ------------------------------------------------------------------ */

#define TITLE_SIZE 20.0
#define SUBTITLE_SIZE 12.0
#define BODY_SIZE 9.5
#define CELL_SIZE 9.0
#define HEAD_SIZE 8.5
#define HEADING_SIZE 12.0
#define HEADING_BAR 20.0
#define SUBHEADING_SIZE 10.5
#define LEADING 1.32
#define CELL_PAD_X 4.0
#define CELL_PAD_Y 3.0
#define WRITE_PITCH 21.0 /* ruled lines to write on: about 7.5 mm apart */
#define LARGE 1.25       /* the child's copy */
#define INK 0x1A1A1AU
#define NAVY 0x1F3A5FU
#define RED 0xB00020U
#define GREY 0x6B7580U
#define WHITE 0xFFFFFFU
#define HEADER_FILL 0xDCE4EEU
#define LABEL_FILL 0xF1F4F8U
#define BORDER 0xA8B3BFU
#define RULED 0x9AA5B1U
#define NOTE_FILL 0xE8F1FBU
#define ERROR_FILL 0xFDECEEU
#define BORDER_W 0.5

/* ------------------------------------------------------------------ */
/* Pages                                                                */
/* ------------------------------------------------------------------ */

typedef struct lpage {
	pep_layout_op *ops;
	size_t n, cap;
} lpage;

/* The columns of a table block. */
typedef struct cols {
	double *x, *w;
} cols;

struct pep_layout {
	pep_layout_geometry g;
	pep_layout_measure_fn fn;
	void *ctx;
	pep_arena *arena;
	lpage *pages;
	size_t npages, cappages;
	double y;     /* the top of the free space on the last page */
	double scale; /* 1, or LARGE */
	const pep_document *doc;
	size_t nblocks;
	size_t *anchor_page; /* per block: page + 1, 0 when it drew nothing */
	double *anchor_y;
	cols *cols; /* per block: a table's columns */
	/* the table being laid out, whose header row a new page repeats */
	const pep_table *tbl;
	const cols *tcols;
	bool header_drawn;
};

static double body_w(const pep_layout *l)
{
	return l->g.page_w - l->g.margin_l - l->g.margin_r;
}

static double bottom(const pep_layout *l)
{
	return l->g.page_h - l->g.margin_b;
}

static double sz(const pep_layout *l, double size)
{
	return size * l->scale;
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
	l->pages[l->npages++] = (lpage){NULL, 0, 0};
	l->y = l->g.margin_t;
}

static pep_layout_op *add_op(pep_layout *l, pep_layout_op_kind kind)
{
	lpage *p = &l->pages[l->npages - 1];
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->ops = xrealloc(p->ops, p->cap * sizeof *p->ops);
	}
	pep_layout_op *op = &p->ops[p->n++];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	return op;
}

static void op_text(pep_layout *l, pep_font font, double size, double x, double y, uint32_t rgb, const char *s,
                    size_t n)
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

/* Draws lines[first..first+count) of ls with their top at y; hints grey. */
static void draw_lines(pep_layout *l, const pep_layout_lines *ls, size_t first, size_t count, double x, double y,
                       double size, uint32_t rgb)
{
	for (size_t i = first; i < first + count && i < ls->n; i++) {
		const pep_layout_line *ln = &ls->v[i];
		double base = baseline(y + (double)(i - first) * line_h(size), size);
		for (size_t k = ln->first; k < ln->first + ln->count; k++) {
			const pep_layout_frag *f = &ls->frags[k];
			op_text(l, f->font, size, x + f->x, base, f->flags & PEP_SPAN_HINT ? GREY : rgb, f->s, f->n);
		}
	}
}

static bool page_empty(const pep_layout *l)
{
	return l->y <= l->g.margin_t;
}

static void draw_table_header(pep_layout *l);

static void page_break(pep_layout *l)
{
	if (page_empty(l))
		return;
	new_page(l);
	if (l->tbl && l->header_drawn)
		draw_table_header(l);
}

/* Starts a new page unless h more points fit on this one. */
static void ensure(pep_layout *l, double h)
{
	if (l->y + h > bottom(l) && !page_empty(l))
		page_break(l);
}

static void gap(pep_layout *l, double pts)
{
	if (!page_empty(l))
		l->y += pts;
}

static void anchor(pep_layout *l, size_t i)
{
	if (i < l->nblocks && !l->anchor_page[i]) {
		l->anchor_page[i] = l->npages;
		l->anchor_y[i] = l->y;
	}
}

static void break_rich(pep_layout *l, pep_rich r, double size, double width, pep_layout_lines *ls)
{
	pep_layout_break(r.v, r.n, size, width, l->fn, l->ctx, ls);
}

static void break_plain(pep_layout *l, pep_font font, const char *text, double size, double width,
                        pep_layout_lines *ls)
{
	pep_span sp = {font, 0, text};
	pep_layout_break(&sp, 1, size, width, l->fn, l->ctx, ls);
}

/* ------------------------------------------------------------------ */
/* Rows: table rows and boxed notices                                   */
/* ------------------------------------------------------------------ */

typedef struct row_style {
	double size;
	const uint32_t *fills; /* per cell, 0 = none */
	bool borders;
	uint32_t bar;          /* a left bar in this colour, 0 = none */
	uint32_t ink;
} row_style;

/* One cell of a row being placed. */
typedef struct rowcell {
	pep_layout_lines ls;   /* its lines */
	size_t total;          /* lines it takes: at least ls.n */
	pep_layout_lines cont; /* a key cell's "... (continued)", shown first on a continuation */
	size_t done;           /* lines drawn so far */
} rowcell;

static double pad_x(const row_style *st, size_t c)
{
	return st->bar && c == 0 ? CELL_PAD_X + 5 : CELL_PAD_X;
}

/* Places a row: whole on this page, or whole on the next when it fits
 * there, else split between lines with at least two on a page. */
static void place_row(pep_layout *l, size_t ncols, const double *xs, const double *ws, rowcell *cells,
                      const row_style *st)
{
	size_t nlines = 1;
	for (size_t c = 0; c < ncols; c++)
		if (cells[c].total > nlines)
			nlines = cells[c].total;
	double lh = line_h(st->size);
	double need = (double)nlines * lh + 2 * CELL_PAD_Y;
	double header = l->tbl && l->tcols && !l->tbl->kv ? line_h(sz(l, HEAD_SIZE)) * 3 + 2 * CELL_PAD_Y : 0;
	double fresh = bottom(l) - l->g.margin_t - header;
	if (need > bottom(l) - l->y && need <= fresh)
		page_break(l);
	bool first = true;
	for (;;) {
		size_t left = 0;
		for (size_t c = 0; c < ncols; c++)
			if (cells[c].total - cells[c].done > left)
				left = cells[c].total - cells[c].done;
		if (!first && left == 0)
			break;
		double avail = bottom(l) - l->y;
		size_t fit = avail > 2 * CELL_PAD_Y ? (size_t)floor((avail - 2 * CELL_PAD_Y) / lh) : 0;
		if (fit < 2 && fit < left && !page_empty(l)) {
			page_break(l);
			continue;
		}
		if (fit == 0)
			fit = 1; /* a page smaller than a line: still make progress */
		/* how many lines each cell draws in this slice */
		size_t pre[16] = {0}, own[16] = {0}, h = first ? 1 : 0, progress = 0;
		for (size_t c = 0; c < ncols && c < 16; c++) {
			if (!first && cells[c].cont.n && fit > 1)
				pre[c] = cells[c].cont.n < fit - 1 ? cells[c].cont.n : fit - 1;
			size_t rest = cells[c].total - cells[c].done;
			own[c] = rest < fit - pre[c] ? rest : fit - pre[c];
			progress += own[c];
			if (pre[c] + own[c] > h)
				h = pre[c] + own[c];
		}
		if (!progress && left) {
			/* the marks took the room: draw the text alone */
			for (size_t c = 0; c < ncols && c < 16; c++) {
				pre[c] = 0;
				size_t rest = cells[c].total - cells[c].done;
				own[c] = rest < fit ? rest : fit;
				if (own[c] > h)
					h = own[c];
			}
		}
		double height = (double)h * lh + 2 * CELL_PAD_Y;
		for (size_t c = 0; c < ncols; c++)
			if (st->fills && st->fills[c])
				op_fill(l, xs[c], l->y, ws[c], height, st->fills[c]);
		if (st->bar)
			op_fill(l, xs[0], l->y, 3, height, st->bar);
		for (size_t c = 0; c < ncols && c < 16; c++) {
			double x = xs[c] + pad_x(st, c), top = l->y + CELL_PAD_Y;
			draw_lines(l, &cells[c].cont, 0, pre[c], x, top, st->size, GREY);
			draw_lines(l, &cells[c].ls, cells[c].done, own[c], x, top + (double)pre[c] * lh, st->size, st->ink);
			cells[c].done += own[c];
		}
		if (st->borders) {
			double x0 = xs[0], x1 = xs[ncols - 1] + ws[ncols - 1];
			op_rule(l, x0, l->y, x1 - x0, 0, BORDER_W, BORDER);
			op_rule(l, x0, l->y + height, x1 - x0, 0, BORDER_W, BORDER);
			for (size_t c = 0; c < ncols; c++)
				op_rule(l, xs[c], l->y, 0, height, BORDER_W, BORDER);
			op_rule(l, x1, l->y, 0, height, BORDER_W, BORDER);
		}
		l->y += height;
		first = false;
		bool more = false;
		for (size_t c = 0; c < ncols; c++)
			more |= cells[c].done < cells[c].total;
		if (!more)
			break;
		page_break(l);
	}
}

static void free_cells(rowcell *cells, size_t n)
{
	for (size_t c = 0; c < n; c++) {
		pep_layout_lines_free(&cells[c].ls);
		pep_layout_lines_free(&cells[c].cont);
	}
}

/* ------------------------------------------------------------------ */
/* Tables                                                               */
/* ------------------------------------------------------------------ */

static void draw_table_header(pep_layout *l)
{
	const pep_table *t = l->tbl;
	if (!t || t->kv)
		return;
	size_t n = t->ncols < 16 ? t->ncols : 16;
	rowcell cells[16];
	uint32_t fills[16];
	memset(cells, 0, sizeof cells);
	for (size_t c = 0; c < n; c++) {
		break_plain(l, PEP_FONT_BOLD, t->cols[c].header ? t->cols[c].header : "", sz(l, HEAD_SIZE),
		            l->tcols->w[c] - 2 * CELL_PAD_X, &cells[c].ls);
		cells[c].total = cells[c].ls.n;
		fills[c] = HEADER_FILL;
	}
	row_style st = {sz(l, HEAD_SIZE), fills, true, 0, NAVY};
	const pep_table *saved = l->tbl;
	l->tbl = NULL; /* a header row never repeats itself */
	place_row(l, n, l->tcols->x, l->tcols->w, cells, &st);
	l->tbl = saved;
	free_cells(cells, n);
	l->header_drawn = true;
}

/* The height of a table's header row. */
static double header_height(pep_layout *l, const pep_table *t, const cols *cs)
{
	if (t->kv)
		return 0;
	size_t lines = 1;
	for (size_t c = 0; c < t->ncols; c++) {
		pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
		break_plain(l, PEP_FONT_BOLD, t->cols[c].header ? t->cols[c].header : "", sz(l, HEAD_SIZE),
		            cs->w[c] - 2 * CELL_PAD_X, &ls);
		if (ls.n > lines)
			lines = ls.n;
		pep_layout_lines_free(&ls);
	}
	return (double)lines * line_h(sz(l, HEAD_SIZE)) + 2 * CELL_PAD_Y;
}

/* Breaks row r of t into cells[]; the label column of a label/value
 * table is bold whatever its spans say. Returns the row's line count. */
static size_t break_row(pep_layout *l, const pep_table *t, const cols *cs, size_t r, rowcell *cells)
{
	size_t nlines = 1;
	for (size_t c = 0; c < t->ncols && c < 16; c++) {
		const pep_cell *cell = &t->cells[r * t->ncols + c];
		double w = cs->w[c] - 2 * CELL_PAD_X;
		memset(&cells[c], 0, sizeof cells[c]);
		if (t->kv && c == 0) {
			pep_span *sp = xcalloc(cell->text.n ? cell->text.n : 1, sizeof *sp);
			for (size_t k = 0; k < cell->text.n; k++)
				sp[k] = (pep_span){PEP_FONT_BOLD, cell->text.v[k].flags, cell->text.v[k].text};
			pep_layout_break(sp, cell->text.n, sz(l, CELL_SIZE), w, l->fn, l->ctx, &cells[c].ls);
			free(sp);
		} else {
			break_rich(l, cell->text, sz(l, CELL_SIZE), w, &cells[c].ls);
		}
		cells[c].total = cells[c].ls.n > (size_t)cell->lines ? cells[c].ls.n : (size_t)cell->lines;
		if (cells[c].total > nlines)
			nlines = cells[c].total;
	}
	return nlines;
}

/* A key cell's mark for a continuation: its first line of text (up to a
 * line break, cut at a space near 40 bytes) and "(continued)". */
static void continued(pep_layout *l, const pep_cell *cell, double width, pep_layout_lines *out)
{
	pep_span sp[8];
	size_t n = 0, used = 0;
	bool cut = false;
	for (size_t k = 0; k < cell->text.n && n < 6 && !cut; k++) {
		const char *s = cell->text.v[k].text;
		size_t len = strcspn(s, "\n");
		bool stop = s[len] == '\n';
		if (used + len > 40) {
			size_t keep = 40 - used; /* < len */
			while (keep > 0 && s[keep] != ' ')
				keep--;
			if (keep == 0 && n == 0) /* one long word: cut between characters */
				for (keep = 40; keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80;)
					keep--;
			len = keep;
			cut = true;
		}
		if (len || cut) {
			/* (in the layout's arena: the lines borrow it) */
			char *part = pep_arena_alloc(l->arena, len + 4);
			memcpy(part, s, len);
			memcpy(part + len, cut ? "…" : "", cut ? 4 : 1);
			sp[n++] = (pep_span){cell->text.v[k].font, 0, part};
		}
		used += len;
		if (stop)
			break;
	}
	if (n && !pep_rich_blank((pep_rich){sp, n})) {
		sp[n++] = (pep_span){PEP_FONT_REGULAR, 0, " (continued)"};
		pep_layout_break(sp, n, sz(l, CELL_SIZE), width, l->fn, l->ctx, out);
	}
}

/* The height a row of nlines lines needs at the top of what is kept
 * together, below hh points of header row: the whole row when the two fit
 * on a fresh page (place_row then moves it whole), else its first three
 * lines. */
static double row_start(pep_layout *l, double hh, size_t nlines)
{
	double lh = line_h(sz(l, CELL_SIZE));
	double first = fmin((double)nlines, 3) * lh + 2 * CELL_PAD_Y;
	double whole = (double)nlines * lh + 2 * CELL_PAD_Y;
	double fresh = bottom(l) - l->g.margin_t;
	return hh + (hh + whole <= fresh ? whole : first);
}

/* The height a table needs at its start: its header row with the start of
 * the first row (of nlines lines). */
static double table_start(pep_layout *l, const pep_table *t, const cols *cs, size_t nlines)
{
	return row_start(l, header_height(l, t, cs), nlines);
}

static void layout_table(pep_layout *l, size_t i, const pep_table *t)
{
	const cols *cs = &l->cols[i];
	if (!t->nrows || !cs->w)
		return;
	size_t n = t->ncols < 16 ? t->ncols : 16;
	l->tbl = t;
	l->tcols = cs;
	l->header_drawn = false;
	uint32_t fills[16] = {0};
	if (t->kv)
		fills[0] = LABEL_FILL;
	row_style st = {sz(l, CELL_SIZE), fills, true, 0, INK};
	for (size_t r = 0; r < t->nrows; r++) {
		rowcell cells[16];
		size_t nlines = break_row(l, t, cs, r, cells);
		for (size_t c = 0; c < n; c++)
			if (t->cols[c].key)
				continued(l, &t->cells[r * t->ncols + c], cs->w[c] - 2 * CELL_PAD_X, &cells[c].cont);
		if (r == 0) {
			ensure(l, table_start(l, t, cs, nlines));
			anchor(l, i);
			draw_table_header(l);
		}
		place_row(l, n, cs->x, cs->w, cells, &st);
		free_cells(cells, n);
	}
	l->tbl = NULL;
	l->tcols = NULL;
	l->y += 6;
}

/* Each table's columns, from their content; label/value tables share
 * one label width, from the labels of the whole document. */
static void size_columns(pep_layout *l)
{
	const pep_document *d = l->doc;
	double W = body_w(l), pad = 2 * CELL_PAD_X;
	double label_min = 0, label_max = 0;
	for (size_t i = 0; i < l->nblocks; i++) {
		const pep_block *b = pep_document_block(d, i);
		if (b->kind != PEP_BLOCK_TABLE || !b->table.kv)
			continue;
		for (size_t r = 0; r < b->table.nrows; r++) {
			const pep_cell *cell = &b->table.cells[r * b->table.ncols];
			pep_span sp[8];
			size_t n = 0;
			for (size_t k = 0; k < cell->text.n && n < 8; k++)
				sp[n++] = (pep_span){PEP_FONT_BOLD, cell->text.v[k].flags, cell->text.v[k].text};
			double mn, mx;
			pep_layout_extent(sp, n, sz(l, CELL_SIZE), l->fn, l->ctx, &mn, &mx);
			label_min = fmax(label_min, mn + pad);
			label_max = fmax(label_max, mx + pad);
		}
	}
	double label_w = fmin(label_max, 0.34 * W);
	label_w = fmax(label_w, fmin(label_min, 0.5 * W));
	label_w = fmax(label_w, 0.22 * W);

	for (size_t i = 0; i < l->nblocks; i++) {
		const pep_block *b = pep_document_block(d, i);
		if (b->kind != PEP_BLOCK_TABLE || !b->table.ncols)
			continue;
		const pep_table *t = &b->table;
		size_t n = t->ncols < 16 ? t->ncols : 16;
		cols *cs = &l->cols[i];
		cs->x = xcalloc(n, sizeof *cs->x);
		cs->w = xcalloc(n, sizeof *cs->w);
		if (t->kv && n == 2) {
			cs->w[0] = label_w;
			cs->w[1] = W - label_w;
		} else {
			double mins[16], maxs[16];
			for (size_t c = 0; c < n; c++) {
				double mn = 0, mx = 0;
				if (t->cols[c].header) {
					pep_span sp = {PEP_FONT_BOLD, 0, t->cols[c].header};
					pep_layout_extent(&sp, 1, sz(l, HEAD_SIZE), l->fn, l->ctx, &mn, &mx);
				}
				mins[c] = mn + pad;
				maxs[c] = mx + pad;
				for (size_t r = 0; r < t->nrows; r++) {
					const pep_cell *cell = &t->cells[r * t->ncols + c];
					pep_layout_extent(cell->text.v, cell->text.n, sz(l, CELL_SIZE), l->fn, l->ctx, &mn, &mx);
					mins[c] = fmax(mins[c], mn + pad);
					maxs[c] = fmax(maxs[c], mx + pad);
				}
				/* a key column has room for its mark on a continuation */
				if (t->cols[c].key) {
					pep_span sp = {PEP_FONT_REGULAR, 0, "(continued)"};
					pep_layout_extent(&sp, 1, sz(l, CELL_SIZE), l->fn, l->ctx, &mn, &mx);
					mins[c] = fmax(mins[c], mn + pad);
				}
				/* an empty cell on a form needs room to write in */
				for (size_t r = 0; r < t->nrows; r++) {
					const pep_cell *cell = &t->cells[r * t->ncols + c];
					if (!cell->text.n && cell->lines > 0) {
						maxs[c] = fmax(maxs[c], fmax(t->cols[c].room * W, 60 * l->scale));
						break;
					}
				}
			}
			pep_layout_columns(n, mins, maxs, W, cs->w);
		}
		double x = l->g.margin_l;
		for (size_t c = 0; c < n; c++) {
			cs->x[c] = x;
			x += cs->w[c];
		}
	}
}

/* ------------------------------------------------------------------ */
/* Blocks                                                               */
/* ------------------------------------------------------------------ */

static size_t count_lines(pep_layout *l, pep_rich r, double size, double width)
{
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	break_rich(l, r, size, width, &ls);
	size_t n = ls.n;
	pep_layout_lines_free(&ls);
	return n;
}

static double heading_height(pep_layout *l, const char *text, size_t *nlines)
{
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	break_plain(l, PEP_FONT_BOLD, text, sz(l, HEADING_SIZE), body_w(l) - 16, &ls);
	size_t n = ls.n;
	pep_layout_lines_free(&ls);
	if (nlines)
		*nlines = n;
	return fmax(sz(l, HEADING_BAR), (double)n * line_h(sz(l, HEADING_SIZE)) + 6);
}

static double subheading_height(pep_layout *l, const char *text)
{
	return (double)count_lines(l, (pep_rich){&(pep_span){PEP_FONT_BOLD, 0, text}, 1}, sz(l, SUBHEADING_SIZE),
	                           body_w(l)) *
	       line_h(sz(l, SUBHEADING_SIZE));
}

static const double notice_inset = 2 * CELL_PAD_X + 5;

/* A notice's lines: its text, then each item of its list on a line of its
 * own. */
static void break_notice(pep_layout *l, const pep_block *b, pep_layout_lines *ls)
{
	size_t n = b->rich.n;
	for (size_t k = 0; k < b->nitems; k++)
		n += 1 + b->items[k].n;
	pep_span *sp = xcalloc(n ? n : 1, sizeof *sp);
	size_t m = 0;
	for (size_t k = 0; k < b->rich.n; k++)
		sp[m++] = b->rich.v[k];
	for (size_t k = 0; k < b->nitems; k++) {
		sp[m++] = (pep_span){PEP_FONT_REGULAR, 0, "\n"};
		for (size_t j = 0; j < b->items[k].n; j++)
			sp[m++] = b->items[k].v[j];
	}
	break_rich(l, (pep_rich){sp, m}, sz(l, BODY_SIZE), body_w(l) - notice_inset, ls);
	free(sp);
}

/* The height of a field's label. */
static double label_height(pep_layout *l, const pep_block *b)
{
	pep_span sp = {PEP_FONT_BOLD, 0, b->text ? b->text : ""};
	return (double)count_lines(l, (pep_rich){&sp, 1}, sz(l, BODY_SIZE), body_w(l)) * line_h(sz(l, BODY_SIZE));
}

/* The height the blocks from i on need on the page of the heading before
 * them: `need` lines of what follows the heading, counted across short
 * blocks (a line of text, a ruled line to write on, a row of a label/value
 * table: each one; a table with a header row: its header row with its
 * first row, always enough), each block at least as much of its start as
 * it keeps together itself, with the space between blocks. A heading ends
 * the count (it keeps what follows it with itself); a sub-heading straight
 * after a heading is kept with it and the count goes on after it. */
static double keep_after(pep_layout *l, size_t i, size_t need)
{
	double body = line_h(sz(l, BODY_SIZE)), pitch = WRITE_PITCH * l->scale;
	double fresh = bottom(l) - l->g.margin_t;
	double h = 0;
	bool got = false; /* some of what follows is counted */
	for (; i < l->nblocks && need > 0; i++) {
		const pep_block *b = pep_document_block(l->doc, i);
		size_t n = 0;
		switch (b->kind) {
		case PEP_BLOCK_TITLE:
		case PEP_BLOCK_HEADING:
			return h;
		case PEP_BLOCK_SUBHEADING:
			if (got)
				return h;
			h += 8 + subheading_height(l, b->text) + 5;
			continue;
		case PEP_BLOCK_PARAGRAPH:
			n = count_lines(l, b->rich, sz(l, BODY_SIZE), body_w(l));
			if (n >= need)
				return h + fmin(2, (double)n) * body;
			if (n)
				h += (double)n * body + 4;
			break;
		case PEP_BLOCK_FIELD:
			h += 2 + label_height(l, b);
			n = b->rich.n ? count_lines(l, b->rich, sz(l, BODY_SIZE), body_w(l)) : (size_t)(b->lines > 0 ? b->lines : 0);
			if (n >= need)
				return h + fmin(2, (double)n) * (b->rich.n ? body : pitch);
			h += (double)n * (b->rich.n ? body : pitch) + 4;
			break;
		case PEP_BLOCK_NOTICE: {
			pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
			break_notice(l, b, &ls);
			n = ls.n;
			pep_layout_lines_free(&ls);
			double whole = (double)n * body + 2 * CELL_PAD_Y;
			if (n >= need) /* a box moves whole to a new page when it fits there */
				return h + (whole <= fresh ? whole : fmin(2, (double)n) * body + 2 * CELL_PAD_Y);
			h += whole + 6;
			break;
		}
		case PEP_BLOCK_TABLE: {
			const pep_table *t = &b->table;
			const cols *cs = &l->cols[i];
			if (!t->nrows || !cs->w)
				continue;
			for (size_t r = 0; r < t->nrows && n < need; r++, n++) {
				rowcell cells[16];
				size_t nlines = break_row(l, t, cs, r, cells);
				free_cells(cells, t->ncols < 16 ? t->ncols : 16);
				if (!t->kv)
					return h + table_start(l, t, cs, nlines);
				/* rows before the last one counted are kept whole */
				h += r + 1 < need && r + 1 < t->nrows
				         ? (double)nlines * line_h(sz(l, CELL_SIZE)) + 2 * CELL_PAD_Y
				         : row_start(l, 0, nlines);
			}
			if (n >= need)
				return h;
			h += 6;
			break;
		}
		}
		need -= n;
		got |= n > 0;
	}
	return h;
}

static void layout_title(pep_layout *l, size_t i, const pep_block *b)
{
	anchor(l, i);
	const char *texts[2] = {b->text, b->text2};
	double sizes[2] = {TITLE_SIZE, SUBTITLE_SIZE};
	for (int k = 0; k < 2; k++) {
		if (!texts[k])
			continue;
		pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
		break_plain(l, PEP_FONT_BOLD, texts[k], sizes[k], body_w(l), &ls);
		for (size_t j = 0; j < ls.n; j++) {
			ensure(l, line_h(sizes[k]));
			draw_lines(l, &ls, j, 1, l->g.margin_l, l->y, sizes[k], NAVY);
			l->y += line_h(sizes[k]);
		}
		pep_layout_lines_free(&ls);
	}
	gap(l, 8);
}

static void layout_heading(pep_layout *l, size_t i, const pep_block *b)
{
	gap(l, 10);
	size_t n;
	double h = heading_height(l, b->text, &n);
	ensure(l, h + 6 + keep_after(l, i + 1, 2));
	anchor(l, i);
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	break_plain(l, PEP_FONT_BOLD, b->text, sz(l, HEADING_SIZE), body_w(l) - 16, &ls);
	op_fill(l, l->g.margin_l, l->y, body_w(l), h, NAVY);
	draw_lines(l, &ls, 0, ls.n, l->g.margin_l + 8, l->y + (h - (double)ls.n * line_h(sz(l, HEADING_SIZE))) / 2,
	           sz(l, HEADING_SIZE), WHITE);
	pep_layout_lines_free(&ls);
	l->y += h + 6;
}

static void layout_subheading(pep_layout *l, size_t i, const pep_block *b)
{
	gap(l, 8);
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	break_plain(l, PEP_FONT_BOLD, b->text, sz(l, SUBHEADING_SIZE), body_w(l), &ls);
	double h = (double)ls.n * line_h(sz(l, SUBHEADING_SIZE));
	ensure(l, h + 5 + keep_after(l, i + 1, 2));
	anchor(l, i);
	draw_lines(l, &ls, 0, ls.n, l->g.margin_l, l->y, sz(l, SUBHEADING_SIZE), NAVY);
	l->y += h + 1;
	op_rule(l, l->g.margin_l, l->y, body_w(l), 0, 0.75, NAVY);
	l->y += 4;
	pep_layout_lines_free(&ls);
}

/* Lines of body text, flowing onto the next pages; the first `together`
 * lines (with `before` points above them) stay on one page. */
static void flow_lines(pep_layout *l, const pep_layout_lines *ls, size_t together, double before)
{
	double lh = line_h(sz(l, BODY_SIZE));
	for (size_t j = 0; j < ls->n; j++) {
		ensure(l, j == 0 ? before + (double)(together < ls->n ? together : ls->n) * lh : lh);
		draw_lines(l, ls, j, 1, l->g.margin_l, l->y, sz(l, BODY_SIZE), INK);
		l->y += lh;
	}
}

static void layout_paragraph(pep_layout *l, size_t i, const pep_block *b)
{
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	break_rich(l, b->rich, sz(l, BODY_SIZE), body_w(l), &ls);
	ensure(l, fmin(2, (double)ls.n) * line_h(sz(l, BODY_SIZE)));
	anchor(l, i);
	flow_lines(l, &ls, 2, 0);
	if (ls.n)
		l->y += 4;
	pep_layout_lines_free(&ls);
}

static void layout_field(pep_layout *l, size_t i, const pep_block *b)
{
	double lh = line_h(sz(l, BODY_SIZE)), pitch = WRITE_PITCH * l->scale;
	gap(l, 2);
	pep_layout_lines label = PEP_LAYOUT_LINES_INIT, ls = PEP_LAYOUT_LINES_INIT;
	break_plain(l, PEP_FONT_BOLD, b->text ? b->text : "", sz(l, BODY_SIZE), body_w(l), &label);
	double lab_h = (double)label.n * lh;
	if (b->rich.n) {
		break_rich(l, b->rich, sz(l, BODY_SIZE), body_w(l), &ls);
		ensure(l, lab_h + fmin(2, (double)ls.n) * lh);
	} else {
		ensure(l, lab_h + fmin(2, b->lines) * pitch);
	}
	anchor(l, i);
	draw_lines(l, &label, 0, label.n, l->g.margin_l, l->y, sz(l, BODY_SIZE), INK);
	l->y += lab_h;
	if (b->rich.n) {
		flow_lines(l, &ls, 0, 0);
	} else {
		for (int k = 0; k < b->lines; k++) {
			ensure(l, pitch);
			l->y += pitch;
			op_rule(l, l->g.margin_l, l->y - 4, body_w(l), 0, 0.5, RULED);
		}
	}
	l->y += 4;
	pep_layout_lines_free(&label);
	pep_layout_lines_free(&ls);
}

static void layout_notice(pep_layout *l, size_t i, const pep_block *b)
{
	rowcell cell;
	memset(&cell, 0, sizeof cell);
	double x = l->g.margin_l, w = body_w(l);
	break_notice(l, b, &cell.ls);
	cell.total = cell.ls.n;
	uint32_t fill = b->tone == PEP_TONE_ERROR ? ERROR_FILL : NOTE_FILL;
	row_style st = {sz(l, BODY_SIZE), &fill, false, b->tone == PEP_TONE_ERROR ? RED : NAVY, INK};
	anchor(l, i);
	place_row(l, 1, &x, &w, &cell, &st);
	l->y += 6;
	free_cells(&cell, 1);
}

/* ------------------------------------------------------------------ */
/* The document                                                         */
/* ------------------------------------------------------------------ */

pep_layout *pep_layout_document(const pep_document *doc, const pep_layout_geometry *g, pep_layout_measure_fn fn,
                                void *ctx)
{
	pep_layout *l = xcalloc(1, sizeof *l);
	l->g = *g;
	l->fn = fn;
	l->ctx = ctx;
	l->arena = pep_arena_new();
	l->doc = doc;
	l->scale = pep_document_info_of(doc)->large ? LARGE : 1.0;
	l->nblocks = pep_document_count(doc);
	l->anchor_page = xcalloc(l->nblocks ? l->nblocks : 1, sizeof *l->anchor_page);
	l->anchor_y = xcalloc(l->nblocks ? l->nblocks : 1, sizeof *l->anchor_y);
	l->cols = xcalloc(l->nblocks ? l->nblocks : 1, sizeof *l->cols);
	new_page(l);
	size_columns(l);
	for (size_t i = 0; i < l->nblocks; i++) {
		const pep_block *b = pep_document_block(doc, i);
		switch (b->kind) {
		case PEP_BLOCK_TITLE:
			layout_title(l, i, b);
			break;
		case PEP_BLOCK_HEADING:
			layout_heading(l, i, b);
			break;
		case PEP_BLOCK_SUBHEADING:
			layout_subheading(l, i, b);
			break;
		case PEP_BLOCK_PARAGRAPH:
			layout_paragraph(l, i, b);
			break;
		case PEP_BLOCK_FIELD:
			layout_field(l, i, b);
			break;
		case PEP_BLOCK_NOTICE:
			layout_notice(l, i, b);
			break;
		case PEP_BLOCK_TABLE:
			layout_table(l, i, &b->table);
			break;
		}
	}
	l->doc = NULL;
	return l;
}

void pep_layout_free(pep_layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->npages; i++)
		free(l->pages[i].ops);
	for (size_t i = 0; i < l->nblocks; i++) {
		free(l->cols[i].x);
		free(l->cols[i].w);
	}
	free(l->cols);
	free(l->anchor_page);
	free(l->anchor_y);
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

bool pep_layout_anchor(const pep_layout *l, size_t block, size_t *page, double *y)
{
	if (block >= l->nblocks || !l->anchor_page[block])
		return false;
	*page = l->anchor_page[block] - 1;
	*y = l->anchor_y[block];
	return true;
}
