/* author.h: writing PEPs to fill in: a skeleton (`pep new`) and the next
 * PEP rolled forward from the previous one (`pep next`).
 *
 * One writer serves both. It walks the form (form.h: the canonical schema
 * read at run time) and writes every element in the schema's order, each
 * preceded by a comment holding the schema's own documentation of it (what
 * goes there, who completes it), so that the comments and the XSD cannot
 * drift. Where the writer is given values (the previous PEP, transformed),
 * it writes them; where not, it writes the element empty, which the
 * schema's empty-allowed types accept. So `next` is `new` with values, and
 * both outputs look alike.
 *
 * What a skeleton holds, by kind (docs/guide.md says the same):
 *   - school for every kind but no-provision, which has noEducationalProvision
 *     instead (the schema's xs:choice: one or the other);
 *   - post16 only in post-16 PEPs; plan14to19 in every kind but early-years;
 *     PP+ funding (target/ppPlus) in every kind but post-16 (seed 003: not
 *     available post-16);
 *   - lists every PEP needs (attendees, attainment subjects, targets,
 *     actions, previous targets after the first PEP) hold one empty item to
 *     copy; the four sectionComplete items are there, for A, B, C and D;
 *   - lists that may rightly be empty (state history, PEP history, Looked
 *     After Reviews held, exclusions, previous schools, attachments, and the
 *     previous targets of an initial PEP) hold no item: the comment shows
 *     the item's elements to copy out of it, so that an empty item never
 *     stands for an exclusion or a school that does not exist;
 *   - values: the LA (code and name), the kind, formState draft, and the
 *     meeting kind where the PEP's kind settles it (initial, review,
 *     transition). Everything else is left for the person who knows.
 *
 * Rolling forward reads the previous PEP's facts (its meeting date and kind,
 * the next meeting it set, which actions are done, which attachments are of
 * which kind) from the typed model, and copies the document itself as a
 * tree, because section A, the history and the open actions are carried
 * whole and must not lose anything the model does not hold. The tree
 * transformation is in author.c alone, on a private copy: it removes what is
 * cleared, moves targets into previousTargets, and the writer then puts the
 * result back into the schema's order. The writer checks that every element
 * it was given was written, so nothing is dropped by accident.
 *
 * Both functions serialise the document as UTF-8 and re-load the bytes
 * through the validating loader before returning them: an output that would
 * not be schema-valid is never handed back.
 *
 * Ownership: returned strings are the caller's (free()); diagnostics go to
 * the caller's list. The form, loader and document are borrowed. */
#ifndef PEP_AUTHOR_H
#define PEP_AUTHOR_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "diag.h"
#include "form.h"
#include "model.h"
#include "xml.h"

/* Diagnostics this module adds use this rule id: errors when a PEP cannot
 * be written (the previous PEP holds no meeting date; an internal check
 * failed), warnings for what the person must attend to (an attachment not
 * carried, no meeting date to propose). */
#define PEP_AUTHOR_RULE "NEXT"

/* The skeleton of a new PEP of kind (a pep_kind, PEP_KIND_INITIAL ...) for
 * the LA with code la and name la_name (NULL or "" leaves the name empty).
 * Returns its text (caller frees) and *len, or NULL with errors in d (only
 * if the schema and the writer disagree: a bug). */
char *pep_author_new(const pep_form *f, pep_xml_loader *l, int kind, const char *la, const char *la_name,
                     pep_diags *d, size_t *len);

/* Whether a PEP of kind has the element at path ("educationInformation/post16"):
 * false only for the phase variants above that are not for that kind
 * (school or noEducationalProvision, plan14to19, post16, PP+ funding).
 * `pep edit` shows the same fields as the skeleton holds. */
bool pep_author_kind_has(int kind, const char *path);

/* The kind of the PEP after one of kind prev_kind: requested when not 0;
 * otherwise post-16, early-years and no-provision stay as they are and
 * every other kind is followed by a review. */
int pep_author_next_kind(int prev_kind, int requested);

typedef struct pep_next_opts {
	int kind;     /* the new PEP's kind (pep_author_next_kind) */
	pep_day date; /* the meeting date; PEP_NO_DAY proposes the previous PEP's next meeting */
} pep_next_opts;

/* The next PEP rolled forward from prev (loaded with keep_xml). Carried:
 * the LA, section A (to be checked), the PEP history with the previous
 * meeting appended, previous schools, SEN, extra support, the reduced
 * timetable, the 14-19 plan, post-16, the previous PEP's new targets as
 * previous targets (area and description, outcome empty), open actions,
 * standing attachments (EHC plan, My Support Plan). Cleared: the form's state
 * (draft) and its history, attendance, exclusions and attainment (fresh data
 * for the new period), the young person's views, the meeting (attendees,
 * summary, views, new targets, next meeting) and the sign-off, QA and upload.
 * A transition moves the school into previous schools and leaves the new
 * school to fill in. Returns the text (caller frees) and *len, or NULL with
 * an error in d. Notes for the person go to d as warnings. */
char *pep_author_next(const pep_form *f, pep_xml_loader *l, const pep_doc *prev, const pep_next_opts *o,
                      pep_diags *d, size_t *len);

#endif
