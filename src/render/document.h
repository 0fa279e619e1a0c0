/* document.h: a PEP as a document that knows nothing of its output.
 *
 * cmark's shape (one tree, one writer per output): the section builders
 * (sections.h) describe a PEP as a list of blocks (a title, section headings,
 * sub-headings, paragraphs, free-text fields, boxed notices and tables), each
 * holding its text as spans (runs of regular or bold text); and the marks
 * every page carries (the marking, the running header, the LA child id, the
 * NOT SIGNED OFF band). Two writers walk the same document: the PDF painter
 * (pdf.h, laid out by layout.h) and the HTML writer (html.h). Whatever a
 * document says, both say; the writers only decide how it looks.
 *
 * A document can be a paper form: a free-text field with no text has a
 * number of ruled lines to write on, a table cell a number of empty lines,
 * and a table blank rows.
 *
 * Ownership: pep_document_new() returns a document freed with
 * pep_document_free() (accepts NULL). Every string and span given to the
 * document is copied into it; what the accessors return is borrowed and
 * lives as long as the document. */
#ifndef PEP_DOCUMENT_H
#define PEP_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum pep_font {
	PEP_FONT_REGULAR,
	PEP_FONT_BOLD,
} pep_font;

/* Span flags. */
enum {
	/* One indivisible value (a phone number, postcode, date, UPN, LA child
	 * id or email address): a line never breaks inside it when it fits on
	 * a line of its own. */
	PEP_SPAN_KEEP = 1,
	/* Words that stand in for a value not yet given (the choices to circle
	 * on a paper form): set apart, in grey. */
	PEP_SPAN_HINT = 2,
};

/* A run of text in one font: NUL-terminated UTF-8. '\n' starts a new line;
 * other white space (and U+200B ZERO WIDTH SPACE) is where lines may break. */
typedef struct pep_span {
	pep_font font;
	unsigned flags; /* PEP_SPAN_* */
	const char *text;
} pep_span;

/* Rich text: a list of spans. */
typedef struct pep_rich {
	const pep_span *v;
	size_t n;
} pep_rich;

typedef enum pep_block_kind {
	PEP_BLOCK_TITLE,      /* the document's title (text) and subtitle (text2): the one h1 */
	PEP_BLOCK_HEADING,    /* a section (text): h2, a bar, an entry in the PDF's outline */
	PEP_BLOCK_SUBHEADING, /* a part of a section (text): h3 */
	PEP_BLOCK_PARAGRAPH,  /* rich */
	PEP_BLOCK_FIELD,      /* a free-text field: its label (text), then rich; empty: lines to write on */
	PEP_BLOCK_NOTICE,     /* a boxed notice: rich, then a list of items, in a tone */
	PEP_BLOCK_TABLE,      /* table */
} pep_block_kind;

typedef enum pep_tone {
	PEP_TONE_NOTE,  /* information (the child's copy, a blank form) */
	PEP_TONE_ERROR, /* the rules this PEP fails */
} pep_tone;

typedef struct pep_cell {
	pep_rich text;
	int lines; /* at least this many lines of room (a paper form's empty cell); 0 for none */
} pep_cell;

typedef struct pep_column {
	const char *header; /* NULL in a label/value table */
	bool key;           /* identifies its row: repeated, marked "(continued)", when a row runs onto a new page */
	double room;        /* the share of the width (0..1) its empty cells need to be written in by hand */
} pep_column;

typedef struct pep_table {
	bool kv; /* label/value rows: column 0 holds labels (row headers), no header row */
	size_t ncols;
	const pep_column *cols;
	const pep_cell *cells; /* nrows * ncols, row by row */
	size_t nrows;
} pep_table;

typedef struct pep_block {
	pep_block_kind kind;
	const char *text;  /* TITLE, HEADING, SUBHEADING: the words; FIELD: the label */
	const char *text2; /* TITLE: the subtitle, or NULL */
	pep_rich rich;     /* PARAGRAPH, NOTICE, FIELD */
	int lines;         /* FIELD with no text: ruled lines to write on */
	pep_tone tone;     /* NOTICE */
	const pep_rich *items; /* NOTICE: a list after its text, each item on a line of its own */
	size_t nitems;
	pep_table table;   /* TABLE */
} pep_block;

/* What the document says about itself, and what every page carries. */
typedef struct pep_document_info {
	const char *lang;       /* "en-GB" */
	const char *title;      /* "Personal Education Plan, meeting of 11 March 2026": never the child's name */
	const char *subject;    /* "Review PEP for LA child ID KCC-1970442" */
	const char *author;     /* the LA's name, or "" */
	const char *identity;   /* what identifies this child's meeting in an output's metadata, or NULL */
	const char *marking;    /* "OFFICIAL-SENSITIVE", at the head and foot of every page */
	const char *running;    /* "Personal Education Plan: Łukasz Piotr Wiśniewski", on every page */
	const char *id_line;    /* "LA child ID KCC-1970442", on every page */
	const char *generated;  /* "Generated 11 March 2026 by pep 0.1.0", on every page */
	const char *not_signed_off; /* "NOT SIGNED OFF — 2 errors" on every page, or NULL */
	bool large;             /* larger type throughout (the child's copy) */
} pep_document_info;

typedef struct pep_document pep_document;

pep_document *pep_document_new(void);
void pep_document_free(pep_document *d);

/* The document's information; strings are copied (NULL stays NULL). */
void pep_document_set_info(pep_document *d, const pep_document_info *info);
/* Only its identity (copied; NULL for none): what marks an output as this
 * child's meeting in its metadata, for the output policy (outfile.h). */
void pep_document_set_identity(pep_document *d, const char *identity);
const pep_document_info *pep_document_info_of(const pep_document *d);

/* The blocks, in order (borrowed). */
size_t pep_document_count(const pep_document *d);
const pep_block *pep_document_block(const pep_document *d, size_t i);

/* Building: each call appends a block. */
void pep_document_title(pep_document *d, const char *title, const char *subtitle);
void pep_document_heading(pep_document *d, const char *text);
void pep_document_subheading(pep_document *d, const char *text);
void pep_document_paragraph(pep_document *d, const pep_span *spans, size_t n);
void pep_document_notice(pep_document *d, pep_tone tone, const pep_span *spans, size_t n);
/* Appends an item to the list of the last block, which must be a notice
 * (spans copied). */
void pep_document_item(pep_document *d, const pep_span *spans, size_t n);
/* A free-text field: label, then the text; with no text (n == 0), lines
 * ruled lines to write on (0: the field is left out). */
void pep_document_field(pep_document *d, const char *label, const pep_span *spans, size_t n, int lines);

/* A table of ncols columns (headers, key flags copied); then rows. A
 * label/value table (kv) has two columns and no headers (cols may be NULL). */
void pep_document_table(pep_document *d, bool kv, size_t ncols, const pep_column *cols);
/* Appends a row to the last block, which must be a table: ncols cells
 * (copied). */
void pep_document_row(pep_document *d, const pep_cell *cells);

/* Where the document shows value (a field's text as given), in the words
 * it prints there: a field's label, a row's label or a column's header
 * (or the bold words before the value in its cell, "Where you are now"),
 * with the heading above it: "\"What I enjoy\" under \"Your views\"". A
 * value shown whole is found before one shown inside a longer text; white
 * space counts as one space. NULL when the document does not show it.
 * Caller frees. */
char *pep_document_where(const pep_document *d, const char *value);

/* The plain text of rich text, spans joined (caller frees). */
char *pep_rich_plain(pep_rich r);
/* True when r holds nothing but white space. */
bool pep_rich_blank(pep_rich r);

#endif
