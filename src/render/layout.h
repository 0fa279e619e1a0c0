/* layout.h: a document (document.h) on pages: measuring, line breaking,
 * column sizing and pagination, without any PDF.
 *
 * pep_layout_document() breaks the document's text into lines with a width
 * function it is given, sizes each table's columns from their content (as a
 * browser's automatic table layout does: each column's narrowest and
 * widest useful width, then the rest shared out), and places every line and
 * box on pages of the geometry given. It keeps things together: a heading
 * with at least two lines of what follows it (a section bar never ends a
 * page), a field's label with its first lines, a table's header row with
 * its first row. The two lines are counted across short blocks: a line of
 * text, a ruled line to write on and a row of a label/value table count
 * one each; a table with a header row brings its header and first row. A
 * table's header row is repeated on every page the table continues on,
 * and a row continued on the next page repeats its identifying cells
 * marked "(continued)". Nothing is dropped or clipped: a
 * word wider than its column could ever be is broken between characters,
 * and a row taller than a page continues on the next one.
 *
 * The result is a display list per page (text runs, filled rectangles,
 * lines), in top-down coordinates (y grows downwards from the top edge),
 * that pdf.c paints with libharu. Tests give it a simple width function and
 * check the display list; no PDF is needed.
 *
 * Ownership: pep_layout_document() returns an object freed with
 * pep_layout_free(); every string in the display list is copied into it and
 * lives as long as it. The document is borrowed for the call only. */
#ifndef PEP_LAYOUT_H
#define PEP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "document.h"

/* The width in points of s[0..n) (UTF-8, never a partial character) set in
 * font at size points. Widths must add up: w(ab) = w(a) + w(b). */
typedef double (*pep_layout_measure_fn)(void *ctx, pep_font font, double size, const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* Line breaking                                                        */
/* ------------------------------------------------------------------ */

/* One piece of a line: text in one font starting x points from the left. */
typedef struct pep_layout_frag {
	pep_font font;
	unsigned flags; /* the span's PEP_SPAN_* */
	const char *s;  /* borrowed from the spans */
	size_t n;
	double x, w;
} pep_layout_frag;

typedef struct pep_layout_line {
	size_t first, count; /* frags[first .. first+count) */
	double width;
} pep_layout_line;

/* Lines as a value: initialise with PEP_LAYOUT_LINES_INIT, free the
 * contents with pep_layout_lines_free(). */
typedef struct pep_layout_lines {
	pep_layout_frag *frags;
	size_t nfrags, capfrags;
	pep_layout_line *v;
	size_t n, cap;
} pep_layout_lines;

#define PEP_LAYOUT_LINES_INIT {NULL, 0, 0, NULL, 0, 0}

/* Breaks spans[0..nspans) at size points into lines at most width points
 * wide, appending them to out: greedy, at white space and U+200B ZERO
 * WIDTH SPACE; never inside a PEP_SPAN_KEEP span that fits on a line of
 * its own; a word wider than width is broken between characters (never
 * inside a UTF-8 sequence, never before a combining mark). White space at
 * the start and end of the text and around forced breaks is dropped; text
 * with nothing but white space gives no line. Invalid UTF-8 bytes count as
 * one character each. */
void pep_layout_break(const pep_span *spans, size_t nspans, double size, double width, pep_layout_measure_fn fn,
                      void *ctx, pep_layout_lines *out);
void pep_layout_lines_free(pep_layout_lines *l);

/* The narrowest width rich text can take without breaking a word (or a
 * KEEP span) in *minw, and its width with no break but the forced ones in
 * *maxw. */
void pep_layout_extent(const pep_span *spans, size_t nspans, double size, pep_layout_measure_fn fn, void *ctx,
                       double *minw, double *maxw);

/* Column widths out[0..n) summing to avail, from each column's narrowest
 * (minw) and widest (maxw) useful width: every column its widest when they
 * all fit, sharing what is left in proportion; else every column its
 * narrowest and the rest shared by how much more each could use; else the
 * widest columns are cut to one width so that the rest keep theirs (only a
 * word longer than that width is broken). */
void pep_layout_columns(size_t n, const double *minw, const double *maxw, double avail, double *out);

/* ------------------------------------------------------------------ */
/* Pages                                                                */
/* ------------------------------------------------------------------ */

typedef struct pep_layout_geometry {
	double page_w, page_h;                         /* points; A4 is 595.28 x 841.89 */
	double margin_l, margin_r, margin_t, margin_b; /* the body lies inside these */
} pep_layout_geometry;

typedef enum pep_layout_op_kind {
	PEP_LAYOUT_TEXT, /* s[0..n) in font at size, baseline at (x, y) */
	PEP_LAYOUT_FILL, /* rectangle (x, y) top-left, w x h, filled with rgb */
	PEP_LAYOUT_RULE, /* line from (x, y) to (x + w, y + h), width size */
} pep_layout_op_kind;

typedef struct pep_layout_op {
	pep_layout_op_kind kind;
	pep_font font;
	double size;
	double x, y, w, h;
	uint32_t rgb; /* 0xRRGGBB */
	const char *s;
	size_t n;
} pep_layout_op;

typedef struct pep_layout pep_layout;

/* Lays out the whole document on pages of geometry g, measuring with fn. */
pep_layout *pep_layout_document(const pep_document *doc, const pep_layout_geometry *g, pep_layout_measure_fn fn,
                                void *ctx);
void pep_layout_free(pep_layout *l);

/* The number of pages (at least 1). */
size_t pep_layout_pages(const pep_layout *l);
/* The display list of page i (0-based): *n ops, borrowed. */
const pep_layout_op *pep_layout_page_ops(const pep_layout *l, size_t i, size_t *n);
/* Where block i of the document begins: its page (0-based) and the top of
 * its first line. False for a block that drew nothing. */
bool pep_layout_anchor(const pep_layout *l, size_t block, size_t *page, double *y);

#endif
