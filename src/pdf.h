/* pdf.h: a PEP's pages as a PDF (libharu).
 *
 * pep_pdf_render() lays out the whole typed model (layout.h) as an A4 form:
 * a title block, sections A to D with tables where the form has tables,
 * attachments, and on every page a header (OFFICIAL-SENSITIVE, the child's
 * name and LA child id) and a footer (page X of Y, the generation date). A
 * PEP with failing rules carries "NOT SIGNED OFF — n errors" on every page
 * and the failing rules on the first. The child's copy leaves out the
 * sensitive social-care detail (PEP_PDF_CHILD_OMITS) and says so.
 *
 * The text is set in an embedded TrueType font (a DejaVu Sans subset made
 * at build time, the full DejaVu Sans when a document needs a character the
 * subset lacks, or the font given), read and checked by ttf.h before
 * libharu sees it, with every part of every glyph drawn embedded. libharu's
 * errors are recorded, never jumped over; this module is the only one that
 * calls libharu.
 *
 * Ownership: the caller owns *out (free()) and *err (free()). */
#ifndef PEP_PDF_H
#define PEP_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "diag.h"
#include "model.h"

/* What the child's copy leaves out, as the first page says it. */
#define PEP_PDF_CHILD_OMITS \
	"parental responsibility, contact arrangements, pre-care history, health issues, " \
	"emotional wellbeing and the SDQ"

typedef struct pep_pdf_options {
	bool child_copy;       /* leave out the sensitive social-care detail */
	bool pdfa;             /* PDF/A-1b: XMP metadata, output intent, document id */
	bool strict;           /* warnings count as errors for the marking */
	const char *font;      /* a TrueType font file, or NULL for the default */
	pep_day generated;     /* the date printed in the footer */
	long long created;     /* CreationDate, seconds since 1970 UTC */
	const char *generator; /* "pep 0.1.0": the Creator, and in the footer */
	/* Called, when the PDF is made, once for each character that its font
	 * lacks (drawn as an empty box, or as U+FFFD outside the Basic
	 * Multilingual Plane), in code point order; may be NULL. */
	void (*missing)(void *ctx, uint32_t cp);
	void *missing_ctx;
	const char *identity;  /* outfile.h's identity of this PDF (the /PepIdentity key), or NULL */
} pep_pdf_options;

/* The PDF of m in a new buffer *out of *len bytes, with *pages pages.
 * d holds the file's diagnostics: every error (with strict, every warning)
 * marks the PDF as not signed off; d may be NULL. Returns false and sets
 * *err (one line: what failed and what would fix it) on failure. */
bool pep_pdf_render(const pep_model *m, const pep_diags *d, const pep_pdf_options *o, unsigned char **out,
                    size_t *len, size_t *pages, char **err);

/* The number of diagnostics in d that keep the PEP from being signed off:
 * errors, and with strict warnings too. */
size_t pep_pdf_failures(const pep_diags *d, bool strict);

#endif
