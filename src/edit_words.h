/* edit_words.h: what `pep edit`'s page says, in the form's words.
 *
 * The command line's messages and the schema's help are written for people
 * who see the XML file: they name elements by their paths ("fill in
 * essentialInformation/personal"), show tags ("write <previousSchools
 * none="yes"/>"), quote closed lists by their codes ("use one of planned,
 * unplanned") and dates in the file's form ("YYYY-MM-DD"). The page shows a
 * form, not the file: this module gives the page's labels and rewrites those
 * parts of a text, and nothing else, in the form's words:
 *
 *   a path ("a/b/c")     the element's label in a sentence: the schema's
 *                        doc:label, else its name in plain words, a part of
 *                        the PEP by its tab ("A. Essential information");
 *                        a "(path)" naming the very field the text is shown
 *                        at goes
 *   a tag                "<x a="v"/>": the form's control, "choose “Yes” for
 *                        “No earlier school or setting”"; "<x>": x's label
 *   a closed list's code after "use one of": the option as the page's list
 *                        shows it ("Partly achieved"), when the text is
 *                        about that list
 *
 * Values quoted from the document ("120") are never touched. The command
 * line keeps its words: only edit.c's JSON for the page uses this.
 *
 * Ownership: the functions write into the caller's buffers; labels are
 * borrowed from the form or from static tables. */
#ifndef PEP_EDIT_WORDS_H
#define PEP_EDIT_WORDS_H

#include <stddef.h>

#include "form.h"
#include "strbuf.h"

/* The label of e as the page shows it over its box, capitalised
 * ("Percentage"; a part of the PEP: its tab, "A. Essential information"). */
void pep_words_label(const pep_form_elem *e, char *out, size_t size);
/* The label of e's attribute a as the page shows it ("LA code"). */
void pep_words_attr_label(const pep_form_elem *e, const pep_form_attr *a, char *out, size_t size);
/* The label of value v of closed list t as the page's list shows it
 * ("Partly achieved"). */
void pep_words_option(const pep_form_type *t, const char *v, char *out, size_t size);

/* text in the form's words (above), appended to out. f is the form; at is
 * the field the text is shown at (a message's element), or NULL. */
void pep_words_of(const pep_form *f, const pep_form_elem *at, const char *text, pep_buf *out);

/* A date field's help without the file's date form (", YYYY-MM-DD"): the
 * page's date picker shows the computer's own. Appended to out. */
void pep_words_date_help(const char *help, pep_buf *out);

#endif
