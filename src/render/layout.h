/* layout.h: measuring, line breaking and pagination, without any PDF.
 *
 * The renderer (pdf.c) describes a document as a flow of blocks: section
 * headings, paragraphs of rich text (spans of regular and bold UTF-8 text),
 * boxed notices and tables. This module breaks the text into lines with a
 * width function it is given, places every line and box on A4-sized pages
 * (or any size), starts a new page when one is full, repeats a table's
 * header row on every page the table continues on, and never drops or clips
 * text: a word wider than the column is broken between characters, a table
 * row taller than a page continues on the next one.
 *
 * The result is a display list per page (text runs, filled rectangles,
 * lines), in top-down coordinates (y grows downwards from the top edge),
 * that pdf.c paints with libharu. Tests give it a simple width function and
 * check the display list; no PDF is needed.
 *
 * Ownership: pep_layout_new() returns an object freed with
 * pep_layout_free(); every string in the display list is copied into it and
 * lives as long as it. Text given to the block functions is borrowed for the
 * duration of the call only. */
#ifndef PEP_LAYOUT_H
#define PEP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum pep_layout_font {
	PEP_LAYOUT_REGULAR,
	PEP_LAYOUT_BOLD,
} pep_layout_font;

/* The width in points of s[0..n) (UTF-8, never a partial character) set in
 * font at size points. Widths must add up: w(ab) = w(a) + w(b). */
typedef double (*pep_layout_measure_fn)(void *ctx, pep_layout_font font, double size, const char *s, size_t n);

/* A run of text in one font; text is NUL-terminated UTF-8. '\n' forces a
 * line break; other white space is where lines may break. */
typedef struct pep_span {
	pep_layout_font font;
	const char *text;
} pep_span;

/* ------------------------------------------------------------------ */
/* Line breaking                                                        */
/* ------------------------------------------------------------------ */

/* One piece of a line: text in one font starting x points from the left. */
typedef struct pep_layout_frag {
	pep_layout_font font;
	const char *s; /* borrowed from the spans */
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
 * wide, appending them to out: greedy, at white space; a word wider than
 * width is broken between characters (never inside a UTF-8 sequence, never
 * before a combining mark). White space at the start and end of the text
 * and around forced breaks is dropped; text with nothing but white space
 * gives no line. Invalid UTF-8 bytes count as one character each. */
void pep_layout_break(const pep_span *spans, size_t nspans, double size, double width, pep_layout_measure_fn fn,
                      void *ctx, pep_layout_lines *out);
void pep_layout_lines_free(pep_layout_lines *l);

/* ------------------------------------------------------------------ */
/* Pages                                                                */
/* ------------------------------------------------------------------ */

typedef struct pep_layout_geometry {
	double page_w, page_h;                   /* points; A4 is 595.28 x 841.89 */
	double margin_l, margin_r, margin_t, margin_b; /* the body lies inside these */
} pep_layout_geometry;

typedef enum pep_layout_op_kind {
	PEP_LAYOUT_TEXT, /* s[0..n) in font at size, baseline at (x, y) */
	PEP_LAYOUT_FILL, /* rectangle (x, y) top-left, w x h, filled with rgb */
	PEP_LAYOUT_RULE, /* line from (x, y) to (x + w, y + h), width size */
} pep_layout_op_kind;

typedef struct pep_layout_op {
	pep_layout_op_kind kind;
	pep_layout_font font;
	double size;
	double x, y, w, h;
	uint32_t rgb; /* 0xRRGGBB */
	const char *s;
	size_t n;
} pep_layout_op;

typedef struct pep_layout pep_layout;

pep_layout *pep_layout_new(const pep_layout_geometry *g, pep_layout_measure_fn fn, void *ctx);
void pep_layout_free(pep_layout *l);

/* The number of pages so far (at least 1). */
size_t pep_layout_pages(const pep_layout *l);
/* The display list of page i (0-based): *n ops, borrowed. */
const pep_layout_op *pep_layout_page_ops(const pep_layout *l, size_t i, size_t *n);

/* Starts a new page unless the current one is still empty. */
void pep_layout_page_break(pep_layout *l);
/* Vertical space of pts points (dropped at the top of a page). */
void pep_layout_gap(pep_layout *l, double pts);

/* A title line in large bold type. */
void pep_layout_title(pep_layout *l, const char *text, double size);
/* A section heading: white bold text on a dark bar, kept with at least
 * some of what follows. Returns the page (0-based) it is on, and sets *y to
 * its top, for the outline. */
size_t pep_layout_heading(pep_layout *l, const char *text, double *y);
/* A sub-heading: bold text over a thin rule, kept with what follows. */
void pep_layout_subheading(pep_layout *l, const char *text);
/* A paragraph of rich text across the body's width, flowing onto the next
 * pages as needed. */
void pep_layout_paragraph(pep_layout *l, const pep_span *spans, size_t n);
/* A paragraph in a box with a coloured background and a left bar
 * (fill and bar are 0xRRGGBB), for notices. */
void pep_layout_notice(pep_layout *l, const pep_span *spans, size_t n, uint32_t fill, uint32_t bar);

/* A table of ncols columns, their widths as fractions of the body width
 * (summing to 1). headers (ncols strings, or NULL for none) form a header
 * row repeated on every page the table continues on. label_col >= 0 shades
 * that column and sets it in bold (label/value tables). */
typedef struct pep_layout_table {
	size_t ncols;
	const double *widths;
	const char *const *headers;
	int label_col;
} pep_layout_table;

/* A cell is a list of spans. */
typedef struct pep_layout_cell {
	const pep_span *spans;
	size_t n;
} pep_layout_cell;

void pep_layout_table_begin(pep_layout *l, const pep_layout_table *t);
/* One row of t->ncols cells. A row that does not fit the rest of the page
 * moves to the next one (after the header row); a row taller than a whole
 * page is split between lines. */
void pep_layout_table_row(pep_layout *l, const pep_layout_cell *cells);
void pep_layout_table_end(pep_layout *l);

#endif
