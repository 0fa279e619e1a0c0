/* diag.h: diagnostics are data.
 *
 * Library code records what it finds in a pep_diags list, one list per file
 * checked; only the command layer prints. A diagnostic carries the rule id
 * (XML, XSD, IO, or one of docs/rules.md), its severity, the PEP section it
 * concerns, the line in the file and a message that says what is wrong,
 * with which value, against which limit and what would fix it.
 *
 * Ownership: pep_diags_new() returns a list the caller frees with
 * pep_diags_free(); diagnostics returned by pep_diags_at() are borrowed. */
#ifndef PEP_DIAG_H
#define PEP_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "json.h" /* pep_jw */
#include "strbuf.h"

typedef enum pep_severity {
	PEP_ERROR,
	PEP_WARNING,
} pep_severity;

typedef struct pep_diag {
	char rule[8];          /* "XML", "XSD", "IO", a rule's id ... */
	pep_severity severity;
	char section;          /* 'A'..'D', or 0 when the diagnostic has none */
	int line;              /* 1-based line in the file, 0 when none */
	char *message;         /* one line, no control characters */
} pep_diag;

typedef struct pep_diags pep_diags;

/* A new, empty list for the file named file (copied). */
pep_diags *pep_diags_new(const char *file);
void pep_diags_free(pep_diags *d);

/* A list keeps the first PEP_DIAGS_SHOWN diagnostics of a file. Past them
 * it counts, and ends with one more diagnostic that says how many more
 * there are ("and 16900 more (16900 errors) not listed: ..."; its rule is
 * that of the first one not kept, its severity error if any of them is).
 * Every writer (text, JSON, CSV) shows the list as it is, so all of them
 * show the same first problems and the same closing line; the counts
 * (pep_diags_errors, pep_diags_warnings) include the ones not kept. */
#define PEP_DIAGS_SHOWN 100

/* Adds a diagnostic; the message is formatted, and any control character in
 * it (a newline from a value, say) becomes a space. */
void pep_diags_add(pep_diags *d, const char *rule, pep_severity sev, char section, int line,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void pep_diags_addv(pep_diags *d, const char *rule, pep_severity sev, char section, int line,
                    const char *fmt, va_list ap);

size_t pep_diags_count(const pep_diags *d);
const pep_diag *pep_diags_at(const pep_diags *d, size_t i);
/* Orders the diagnostics by line, keeping the order of equal lines (and the
 * closing "and N more" line last). */
void pep_diags_sort(pep_diags *d);
/* True when the list shows all it will: what is added now is only counted
 * (so a producer may skip the work of wording it). */
bool pep_diags_full(const pep_diags *d);

const char *pep_diags_file(const pep_diags *d);
/* Facts about the file reported with its diagnostics (copied; NULL clears). */
void pep_diags_set_la(pep_diags *d, const char *la);
const char *pep_diags_la(const pep_diags *d);
void pep_diags_set_stage(pep_diags *d, const char *stage);
const char *pep_diags_stage(const pep_diags *d);
/* The file's format, by its name in format.h ("kent", "southwark"). */
void pep_diags_set_format(pep_diags *d, const char *format);
const char *pep_diags_format(const pep_diags *d);
/* Marks the file as not checked at all (unreadable, missing, not a file):
 * the command then exits 2 (docs/pep.1, EXIT STATUS). */
void pep_diags_set_unchecked(pep_diags *d, bool unchecked);
bool pep_diags_unchecked(const pep_diags *d);

size_t pep_diags_errors(const pep_diags *d);
size_t pep_diags_warnings(const pep_diags *d);
/* False exactly when the file has an error, or with strict a warning. */
bool pep_diags_valid(const pep_diags *d, bool strict);
/* True when any diagnostic has this rule id. */
bool pep_diags_has(const pep_diags *d, const char *rule);

/* The QA grade virtual schools give before QA (the RAG rating of ePEP
 * systems): "red" when the file has an error or could not be checked,
 * "amber" with warnings only, "green" when clean. */
const char *pep_diags_grade(const pep_diags *d);

/* Totals over files, for summaries. */
typedef struct pep_tally {
	size_t files, valid, errors, warnings, red, amber, green, unchecked;
} pep_tally;
void pep_tally_add(pep_tally *t, const pep_diags *d, bool strict);

/* A path (or any text from outside: an argument, a calendar's file, a
 * value quoted from a PEP) as pep prints it on a terminal or in a report:
 * control characters (C0, DEL, C1 such as U+0085 and U+009B), line and
 * paragraph separators, bidirectional controls, and bytes that are not
 * UTF-8 are each shown as '?', so that a file name or a value cannot forge
 * a line, move the cursor or reorder what follows it. This is pep's one
 * escaper: every path pep prints in text goes through it, and so does
 * every diagnostic's message when it is added (pep_diags_addv), whatever
 * value it quotes (JSON and CSV then escape by their own rules too).
 * pep_path_shown returns a new string (caller frees); pep_shown_add
 * appends s[0..n) so escaped to b, with spaces a tab, line feed or
 * carriage return as a space (text that is read, such as a value, rather
 * than a name). */
char *pep_path_shown(const char *path);
void pep_put_path(FILE *out, const char *path);
void pep_shown_add(pep_buf *b, const char *s, size_t n, bool spaces);
/* True for the code points that would let text act on a terminal or a
 * reader rather than be read: controls (C0, DEL, C1), line and paragraph
 * separators, and the bidirectional marks, embeddings, overrides and
 * isolates. pep_path_shown shows them as '?'; the JSON writer escapes them. */
bool pep_char_unsafe(unsigned c);

/* FILE:LINE: severity: [RULE] message, one line each (docs/pep.1, PEP VALIDATE). */
void pep_diags_write_text(FILE *out, const pep_diags *d);
/* The JSON document of docs/pep.1 (PEP VALIDATE) for files[0..n), each file with its
 * grade and the summary with the grade counts. */
void pep_diags_write_json(FILE *out, pep_diags *const *files, size_t n, bool strict);
/* The same document written a file at a time (for long batches):
 * begin, then one call per file, then end; w (the caller's, needing no
 * freeing) keeps the nesting between the calls. */
void pep_json_begin(pep_jw *w, FILE *out);
void pep_json_file(pep_jw *w, const pep_diags *d, bool strict);
void pep_json_end(pep_jw *w, const pep_tally *t);
/* One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, quotes doubled. With excel, a field that a spreadsheet would read
 * as a formula (starting with = + - @, a tab or a carriage return) gets a
 * leading apostrophe, so a crafted file name cannot run in Excel. */
void pep_csv_field(FILE *out, const char *s, bool excel);
/* The CSV header of a diagnostics report (CRLF line ends). */
void pep_csv_header(FILE *out);
/* A row per diagnostic: file, la, grade, rule, severity, section, line,
 * message; a file without any gets one row with the rule fields empty. */
void pep_diags_write_csv(FILE *out, const pep_diags *d, bool excel);


#endif
