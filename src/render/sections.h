/* sections.h: what a PEP's printed document says (document.h), section by
 * section.
 *
 * pep_sections_build() reads the typed model and writes a document: a title
 * block, sections A to D with tables where the form has tables, attachments;
 * and the marks of every page (OFFICIAL-SENSITIVE, the child's name in the
 * family's order, the LA child id, and "NOT SIGNED OFF — n errors" when the
 * diagnostics hold failing rules, which the first page then lists).
 *
 * Three ways of telling it:
 *   - the full PEP, for the child's record: every value it holds;
 *   - the child's copy: it opens with the child's own views and targets in
 *     plain words, and leaves out the sensitive and administrative detail
 *     (PEP_SECTIONS_CHILD_OMITS), in larger type;
 *   - a paper form: a draft PEP, or a blank form (pep render --blank) for a
 *     meeting held on paper: every empty field has room to write in, every
 *     empty table blank rows.
 *
 * Ownership: the caller frees the document with pep_document_free(); the
 * model and diagnostics are borrowed. */
#ifndef PEP_SECTIONS_H
#define PEP_SECTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "diag.h"
#include "document.h"
#include "model.h"

/* What the child's copy leaves out, as its first page says it. */
#define PEP_SECTIONS_CHILD_OMITS \
	"the UPN, parental responsibility, contact arrangements, pre-care history, the legal status, placement and " \
	"review dates, health issues, emotional wellbeing and the SDQ, the PEP's workflow history, sign-off and " \
	"quality assurance, and where attached documents are kept (it names only the support plans, EHC plans, " \
	"school reports and views templates attached)"

typedef struct pep_sections_options {
	bool child_copy;       /* the child's copy */
	bool blank;            /* a blank form of the model's kind: no failing rules, room to write everywhere */
	bool strict;           /* warnings count as errors for the marking */
	pep_day generated;     /* the date printed on every page */
	const char *generator; /* "pep 0.1.0" */
	const struct pep_format *source_format; /* the form the file was on (format.h): another
	                                           format's form is named in the title block; or NULL */
} pep_sections_options;

/* The document of m. d holds the file's diagnostics (may be NULL): every
 * error (with strict, every warning) marks it NOT SIGNED OFF. A PEP whose
 * form state is draft is told as a paper form. */
pep_document *pep_sections_build(const pep_model *m, const pep_diags *d, const pep_sections_options *o);

/* The number of diagnostics in d that keep the PEP from being signed off:
 * errors, and with strict warnings too. */
size_t pep_sections_failures(const pep_diags *d, bool strict);

#endif
