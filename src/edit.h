/* edit.h: one PEP open in a form (`pep edit`).
 *
 * A session holds the PEP's XML tree as read from its file and edits it in
 * place: a value set, an item of a list added or removed, one alternative of
 * a choice taken. Whatever the form does not show (an extension block,
 * unknown attributes, comments) stays as it was. A new element goes where the
 * schema's order puts it among its siblings, in its parent's namespace (and
 * prefix), indented like its neighbours.
 *
 * After every change the document is checked exactly as `pep validate` would
 * check the file Save would write (pep_check_memory on those bytes), and each
 * diagnostic is tied to the element it concerns (by the line it names), so
 * the form can show it beside the field, in the command line's words.
 *
 * What the session tells the form is JSON (json.h), written to a caller's
 * buffer: the form (the schema in plain words: labels, help, who completes
 * each part, the kind of box each value needs, its limits and its closed
 * list with labels), the document's elements with ids, and the check. It
 * knows nothing of HTTP (serve.c).
 *
 * Save writes the file atomically (outfile.h), only when the document is
 * schema-valid (a draft may fail rules, never the schema), keeping the file's
 * mode, and never over a file that changed on disk since it was read or last
 * saved.
 *
 * A PEP on another format's form (format.h: Southwark's) is read as every
 * command reads it (check.h): valid against its own schema, converted to the
 * canonical format, which the form shows and the session edits. It is opened
 * only if saving it unchanged gives the file's data again. After every change
 * the document is converted back to the file's form as pep convert converts
 * a file (convert.h: nothing lost, what the form has no place for carried in
 * its carried block, a result not valid on the form refused), and that text
 * is checked and saved; the diagnostics, in the file's own lines, are tied
 * to the elements made from those lines. The stylesheet lays the form out
 * anew; the file's comments are put back where they were (and those around
 * its root, with its processing instructions).
 *
 * Ownership: pep_edit_open() and pep_edit_new() return a session freed with
 * pep_edit_free() (accepts NULL); it borrows the checker and the form, which
 * must outlive it. One thread at a time. */
#ifndef PEP_EDIT_H
#define PEP_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "form.h"
#include "pdf.h"
#include "sections.h"
#include "strbuf.h"

typedef struct pep_edit pep_edit;

/* Opens the PEP at path, in any format pep reads. Returns NULL and sets
 * *err (caller frees; one line) when it cannot be edited: unreadable, not
 * well-formed, not a PEP in a format pep reads, or (another format) not
 * valid against its schema or not convertible without a loss. The
 * diagnostics that say why (with their lines) go to d. */
pep_edit *pep_edit_open(const pep_checker *c, const pep_form *f, const char *path, pep_diags *d, char **err);
/* A new PEP, to be saved at path (which must not exist yet), from the
 * skeleton `pep new` writes (skeleton[0..len), author.h), without its
 * comments (the form says what they said). Nothing is written until Save.
 * NULL and *err (caller frees) when it cannot. */
pep_edit *pep_edit_new(const pep_checker *c, const pep_form *f, const char *path, const char *skeleton, size_t len,
                       char **err);
void pep_edit_free(pep_edit *e);

/* The file as given. */
const char *pep_edit_path(const pep_edit *e);
/* True when the form holds changes not saved (a new PEP not saved yet). */
bool pep_edit_dirty(const pep_edit *e);

/* What a request came to. The server answers OK with 200, BAD with 400 (the
 * request makes no sense), STALE with 409 (it names an element that is no
 * longer there: reload), REFUSED with 409 (Save refused: the reply says
 * why). Every reply is a JSON object with "ok" and, unless ok, "message". */
typedef enum pep_edit_status {
	PEP_EDIT_OK,
	PEP_EDIT_BAD,
	PEP_EDIT_STALE,
	PEP_EDIT_REFUSED,
} pep_edit_status;

/* The whole state for the page: {"file", "stage", "asOf", "dirty",
 * "format" (the file's form: edit.c, format_json), "form", "doc", "check"}. */
void pep_edit_state_json(pep_edit *e, pep_buf *out);

typedef enum pep_edit_op_kind {
	PEP_EDIT_SET,    /* set the text (or attribute attr) of the element at path */
	PEP_EDIT_ADD,    /* add an item at path: its last name is the list's item */
	PEP_EDIT_REMOVE, /* remove the element at (path "") */
	PEP_EDIT_CHOOSE, /* take the alternative at path; its other alternatives go */
} pep_edit_op_kind;

/* A change the page asks for. Elements are named by an id the state gave
 * (at) and the names of the elements below it, slash-separated, that may
 * not exist yet ("sdq/score"; "" for the element itself); missing ones are
 * made (SET with an empty value makes nothing). */
typedef struct pep_edit_op {
	pep_edit_op_kind kind;
	long at;
	const char *path;
	const char *attr;  /* SET: the attribute, or NULL for the element's text */
	const char *value; /* SET: the value, UTF-8, value_len bytes */
	size_t value_len;
} pep_edit_op;

/* Applies op and checks the result. The reply (out): "ids" (the id of each
 * element of the path), "item" (ADD, CHOOSE: the element made, as the state
 * gives elements), "removed" (SET: the id of an optional element emptied
 * and so taken out, where an empty one would not be valid), "dirty" and
 * "check". */
pep_edit_status pep_edit_apply(pep_edit *e, const pep_edit_op *op, pep_buf *out);
/* Writes the file (see above). The reply: "ok", "message", "dirty",
 * "format" (as the state gives it: a file on another format's form may now
 * be on another of its forms), and with "why": "invalid" (not
 * schema-valid) or "changed" (changed on disk). */
pep_edit_status pep_edit_save(pep_edit *e, pep_buf *out);
/* Reads the file again, dropping the changes not saved; the reply is the
 * state. REFUSED when it cannot be read (a new PEP not saved has no file). */
pep_edit_status pep_edit_reload(pep_edit *e, pep_buf *out);
/* How the preview is made: the document (sections.h: its generation date,
 * strict marking ...) and the PDF (pdf.h). */
typedef struct pep_edit_preview {
	pep_sections_options sections;
	pep_pdf_options pdf;
} pep_edit_preview;

/* The PDF of the current state, as pep render makes it (the check's
 * diagnostics mark it when it is not signed off). Returns false and sets
 * *why (caller frees; one line for the page) when it cannot be made: the
 * document is not schema-valid, or rendering failed. */
bool pep_edit_pdf(pep_edit *e, const pep_edit_preview *o, unsigned char **pdf, size_t *len, char **why);

/* The last check: 0 when it found nothing, else its number of errors (and
 * warnings, with strict). For tests and the command's report. */
size_t pep_edit_failures(const pep_edit *e);

#endif
