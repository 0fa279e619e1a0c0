/* pdf.h: a document (document.h) as an A4 PDF (libharu).
 *
 * pep_pdf_write() lays the document out (layout.h) and paints it: on every
 * page a header (the marking, the running header with the child's name,
 * the LA child id, and the NOT SIGNED OFF band when the document carries
 * one) and a footer (the generation line, page X of Y); an outline entry
 * per section; document information from the document's own (never the
 * child's name). Optionally PDF/A-1b.
 *
 * The text is set in an embedded TrueType font (a DejaVu Sans subset made
 * at build time, the full DejaVu Sans when a document needs a character the
 * subset lacks, or the font given), read and checked by ttf.h before
 * libharu sees it, with every part of every glyph drawn embedded. libharu's
 * errors are recorded, never jumped over; this module is the only one that
 * calls libharu.
 *
 * Ownership: the caller owns *out (free()) and *err (free()); the document
 * is borrowed. */
#ifndef PEP_PDF_H
#define PEP_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "document.h"

typedef struct pep_pdf_options {
	bool pdfa;             /* PDF/A-1b: XMP metadata, output intent, document id */
	const char *font;      /* a TrueType font file, or NULL for the default */
	long long created;     /* CreationDate, seconds since 1970 UTC */
	const char *generator; /* "pep 0.1.0": the Creator */
	/* Called, when the PDF is made, once for each character that its font
	 * lacks (drawn as an empty box: an outlined rectangle, with the
	 * character itself invisible behind it when libharu can encode it),
	 * in code point order; may be NULL. */
	void (*missing)(void *ctx, uint32_t cp);
	void *missing_ctx;
} pep_pdf_options;

/* The fonts of a run, read and checked once (font: a TrueType file, or
 * NULL for the default), shared read-only by every writer and thread.
 * NULL with *err (what is wrong, what to do) when they cannot be used. */
typedef struct pep_pdf_fonts pep_pdf_fonts;
pep_pdf_fonts *pep_pdf_fonts_load(const char *font, char **err);
void pep_pdf_fonts_free(pep_pdf_fonts *fonts);
/* The font files the fonts were read from (--font and the bold face found
 * beside it, or pep's own and DejaVu Sans), borrowed from fonts, into
 * files[0..max): how many. An output must never be written over one. */
size_t pep_pdf_fonts_files(const pep_pdf_fonts *fonts, const char **files, size_t max);
/* The sRGB colour profile a PDF/A embeds (pep's own, or Debian's), or NULL
 * (caller frees). */
char *pep_pdf_icc_file(void);

/* A writer makes PDF after PDF with the same fonts (one per thread): its
 * libharu documents keep the fonts parsed between PDFs. fonts is borrowed
 * and must outlive it. */
typedef struct pep_pdf_writer pep_pdf_writer;
pep_pdf_writer *pep_pdf_writer_new(const pep_pdf_fonts *fonts);
void pep_pdf_writer_free(pep_pdf_writer *w);

/* The PDF of doc in a new buffer *out of *len bytes, with *pages pages.
 * Returns false and sets *err (one line: what failed and what would fix
 * it) on failure. The writer's choice of fonts is made per document: the
 * bundled subset, or the full DejaVu Sans when the document needs a
 * character the subset lacks, or the font given. */
bool pep_pdf_writer_write(pep_pdf_writer *w, const pep_document *doc, const pep_pdf_options *o,
                          unsigned char **out, size_t *len, size_t *pages, char **err);

/* The same with fonts and a writer of its own (o->font): for one PDF. */
bool pep_pdf_write(const pep_document *doc, const pep_pdf_options *o, unsigned char **out, size_t *len,
                   size_t *pages, char **err);

#endif
