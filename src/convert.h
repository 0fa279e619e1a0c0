/* convert.h: converting PEPs between formats with the formats' XSLT
 * stylesheets (format.h), and reading any format as the canonical one.
 *
 * Converting a file (pep convert):
 *
 *   read -> parse (xml.h) -> validate against its own format's schema
 *        -> XSLT to the canonical format, then from it to the target
 *           (one step when either is the canonical format)
 *        -> serialise as xsltproc does -> validate against the target schema
 *        -> the loss report (each step's stylesheet, report=losses)
 *        -> convert each step back and check that every field came back,
 *           or was reported lost
 *
 * A step from the canonical format carries what the target form has no
 * place for in the carried block at the end of the document, which the step
 * back to the canonical format puts back: nothing is lost, and the report
 * says what the target form itself does not show. With
 * PEP_CONVERT_STRICT_FORM the block is left out, and the report says what
 * was lost. The report comes from the stylesheets themselves, so that an LA
 * applying them with plain xsltproc gets the same bytes and the same list;
 * this module adds each field's line, groups the fields as the form names
 * them (labels from the schemas), and refuses a conversion that would lose
 * a field without reporting it.
 *
 * Reading any format (check.h): pep_convert_to_canonical() converts a
 * document in memory and gives every element of the result the line of the
 * element of the file it was made from, so that the rules' messages point
 * into the file itself.
 *
 * libxslt is locked down here and nowhere else: a transformation may not read
 * or write files, create folders or use the network, and only stylesheets the
 * caller names (the project's own, from the data directory) are applied; a
 * stylesheet processing instruction in a document is never looked at.
 *
 * Ownership: *_new and *_load return objects freed with the matching *_free
 * (which accept NULL); pep_convert_file() hands the caller a pep_conversion;
 * functions returning char * hand the string to the caller. Strings and
 * structs returned by accessors are borrowed from their object. A converter
 * is read-only once made and may be shared by threads; a conversion belongs
 * to one thread at a time. */
#ifndef PEP_CONVERT_H
#define PEP_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "format.h"
#include "json.h"
#include "xml.h"

struct _xmlDoc;

/* ------------------------------------------------------------------ */
/* Stylesheets, applied with libxslt locked down                        */
/* ------------------------------------------------------------------ */

typedef struct pep_stylesheet pep_stylesheet;

/* Reads and compiles the stylesheet at path (parsed like every XML file pep
 * reads, xml.h). Returns NULL and sets *err (caller frees) on failure. */
pep_stylesheet *pep_stylesheet_load(const char *path, char **err);
void pep_stylesheet_free(pep_stylesheet *s);

/* Applies s to doc, which it does not change. params is NULL or a
 * NULL-terminated list of name, value pairs of string parameters (value is
 * the string itself, not an XPath expression). The transformation cannot read
 * or write files, create folders or touch the network, and gives up on a
 * document that needs an unreasonable amount of work. Returns the result (the
 * caller frees it with pep_xml_free), or NULL with *err set (caller frees). */
struct _xmlDoc *pep_stylesheet_apply(const pep_stylesheet *s, struct _xmlDoc *doc, const char *const *params,
                                     char **err);

/* The result serialised as the stylesheet's xsl:output asks, byte for byte as
 * xsltproc writes it. Returns a NUL-terminated buffer (caller frees) of *len
 * bytes. */
char *pep_stylesheet_serialize(const pep_stylesheet *s, struct _xmlDoc *result, size_t *len);

/* ------------------------------------------------------------------ */
/* The converter                                                        */
/* ------------------------------------------------------------------ */

typedef struct pep_converter pep_converter;

/* Loads the canonical format's schema and checks that every other
 * format's schema and stylesheets are in the data directory (paths.h);
 * those are compiled the first time a document of their format is read or
 * written, once, by whichever thread needs them (the converter may be
 * shared by threads). Returns NULL and sets *err (caller frees) when a file
 * is missing or the canonical schema does not compile. */
pep_converter *pep_converter_new(char **err);
void pep_converter_free(pep_converter *c);
/* Why format f's schema or stylesheets cannot be used (borrowed: a file
 * that does not compile), or NULL when they are ready. Call it before
 * pep_converter_schema() for a format other than the canonical one. */
const char *pep_converter_error(const pep_converter *c, const pep_format *f);
/* The compiled schema of format f (borrowed from the converter), or NULL
 * when pep_converter_error() says why not. */
const pep_schema *pep_converter_schema(const pep_converter *c, const pep_format *f);

/* ------------------------------------------------------------------ */
/* Reading any format as the canonical one                              */
/* ------------------------------------------------------------------ */

/* The canonical PEP made from doc, a document valid against the schema of
 * format from (not the canonical format), with what it carried put back.
 * Each element of the result has the line of the element of doc it was made
 * from (or of its nearest ancestor that has one; 0 past line 65,534). The
 * result is validated with canonical (a loader of the canonical schema).
 * Returns it (caller frees with pep_xml_free), or NULL with CONV
 * diagnostics in d saying what the form lacks that the canonical format
 * needs. doc is changed during the call and restored. */
struct _xmlDoc *pep_convert_to_canonical(const pep_converter *c, const pep_format *from, struct _xmlDoc *doc,
                                         pep_xml_loader *canonical, pep_diags *d);

/* The other way, quickly: doc, a canonical PEP valid against the canonical
 * schema (not changed), converted to format to (not the canonical one), what
 * that form has no place for in its carried block, serialised as pep
 * convert writes it. No loss report, no check that converting back gives
 * every value, no validation of the result: pep_convert_memory() does
 * those (pep edit converts each change this way to check it, and saves
 * with pep_convert_memory). Returns the text (caller frees), *len bytes,
 * or NULL with *err (caller frees) when the stylesheet fails. */
char *pep_convert_to_form(const pep_converter *c, const pep_format *to, struct _xmlDoc *doc, size_t *len, char **err);

/* ------------------------------------------------------------------ */
/* Converting a PEP                                                     */
/* ------------------------------------------------------------------ */

typedef enum pep_convert_status {
	PEP_CONVERT_OK,             /* converted: the output and the report are ready */
	PEP_CONVERT_UNREADABLE,     /* the file cannot be read: an IO diagnostic */
	PEP_CONVERT_INVALID,        /* not well-formed, no known format, or not valid: diagnostics */
	PEP_CONVERT_SAME_FORMAT,    /* already in the target format: a diagnostic says so */
	PEP_CONVERT_OUTPUT_INVALID, /* the result would not be valid (missing: items say why): diagnostics */
	PEP_CONVERT_FAILED,         /* the stylesheet failed, or lost a field unreported: a diagnostic */
} pep_convert_status;

/* Flags of pep_convert_file(). */
enum {
	PEP_CONVERT_STRICT_FORM = 1, /* write only what the target form holds: no carried block */
	PEP_CONVERT_SHOW_VALUES = 2, /* diagnostics may quote values from the file (--show-values); without
	                                it they quote none, as a report on standard error must not */
};

typedef enum pep_item_kind {
	PEP_ITEM_LOST,    /* a field of the input the target form has no place for */
	PEP_ITEM_MISSING, /* a field the target form needs and the input cannot give */
} pep_item_kind;

/* One field of the loss report. */
typedef struct pep_convert_item {
	pep_item_kind kind;
	const char *section; /* lost: the input's section (A-D, 1-4, header, form, ...); missing: the target's */
	const char *field;   /* the path below the section, e.g. care/placement ("" when unrecognised) */
	const char *label;   /* missing: the field as the target form names it ("conduct") */
	const char *text;    /* lost: the whole value; missing: why it is needed and what to do */
	int line;            /* lost: the field's line in the input (0 when not known); missing: 0 */
	size_t group;        /* lost: the index of its group (pep_conversion_group) */
} pep_convert_item;

/* The lost fields of one kind, as the form names them: all the values of the
 * workflow history, say, or the "whose words" mark of every target.
 *
 * Converting back, what the input's carried block holds and cannot be put
 * back is lost too (unrestored): each carried value is bound to what it
 * belongs to on the form (a target's description, the meeting's date), and
 * the workflow history and quality assurance to the whole form; a value
 * whose owner has changed since the conversion is not put back. Its section
 * and label are those of the place in the canonical format it came from;
 * an item pep would not have written is in the group "unrecognised carried
 * items", with section "", no element and no field, and nothing of it is
 * shown. */
typedef struct pep_convert_group {
	const char *section; /* as in its items */
	const char *label;   /* the form's words: "workflow history" */
	const char *element; /* the schema's names, positions left out: "header/stateHistory"; NULL when unrecognised */
	const char *advice;  /* what to do about it, or NULL */
	bool carried;        /* in the carried block (restored when converted back), not lost */
	bool unrestored;     /* from the input's carried block, and not put back */
	const char *why;     /* unrestored: place, changed, form, owner, unbound or unrecognised; else NULL */
	size_t values;       /* how many of its fields have a value */
	const int *lines;    /* first and last line of each occurrence: lines[2*i], lines[2*i+1] (0: unknown) */
	size_t occurrences;
} pep_convert_group;

typedef struct pep_conversion pep_conversion;

/* Converts the file at path to format to. flags: PEP_CONVERT_*.
 * Diagnostics (rule IO, XML, XSD or CONV) go into d. *out is set (caller
 * frees) whenever the loss report was made: with PEP_CONVERT_OK, and with
 * PEP_CONVERT_OUTPUT_INVALID (no output, but the missing: items say why);
 * NULL otherwise. */
pep_convert_status pep_convert_file(const pep_converter *c, const char *path, const pep_format *to, int flags,
                                    pep_diags *d, pep_conversion **out);
/* The same for a document already in memory (buf[0..len)); name is used in
 * messages. For tests and fuzzing. */
pep_convert_status pep_convert_memory(const pep_converter *c, const char *name, const char *buf, size_t len,
                                      const pep_format *to, int flags, pep_diags *d, pep_conversion **out);

/* The input's format and the target's. */
const pep_format *pep_conversion_from(const pep_conversion *cv);
const pep_format *pep_conversion_to(const pep_conversion *cv);
/* The converted document (NULL unless the status was PEP_CONVERT_OK), *len bytes. */
const char *pep_conversion_output(const pep_conversion *cv, size_t *len);
/* The report's items: lost fields in the input's order, then missing ones. */
size_t pep_conversion_count(const pep_conversion *cv);
const pep_convert_item *pep_conversion_item(const pep_conversion *cv, size_t i);
/* How many items are lost fields, how many of those are carried, and how
 * many are values of the input's carried block that are not put back. */
size_t pep_conversion_lost(const pep_conversion *cv);
size_t pep_conversion_carried(const pep_conversion *cv);
size_t pep_conversion_unrestored(const pep_conversion *cv);
/* The groups of lost fields, in the input's order. */
size_t pep_conversion_groups(const pep_conversion *cv);
const pep_convert_group *pep_conversion_group(const pep_conversion *cv, size_t i);
void pep_conversion_free(pep_conversion *cv);

/* The report for people, one line each (no newline; control characters
 * replaced; caller frees). The first line, the totals:
 *   22 values have no place in Southwark's PEP form: workflow history (12),
 *   ...; they are carried in the file and restored when it is converted back
 * then a line per group:
 *   carried: header, workflow history (lines 11-28): 12 values
 * (lost: with PEP_CONVERT_STRICT_FORM; converting back, what the carried
 * block held and is not put back:
 *   not restored: section D, how the child's views were used (line 354); why, what to do
 *   not restored: an unrecognised carried item on line 430; ...),
 * and with show_values one more line per value:   line 12: "draft"
 * then a line per missing item:
 *   missing: section 3, conduct: the PEP has no conduct record: ask ...
 * Returns the number of lines in *lines (an array the caller frees with
 * each line). */
size_t pep_conversion_report(const pep_conversion *cv, bool show_values, char ***lines);

/* The same report as members of the JSON object w is in: "from", "to",
 * "summary", "values", "carried", "restored", "unrestored", "groups" (each
 * with "unrestored" and "why"; the values themselves only with show_values,
 * and no field or element of an unrecognised carried item) and
 * "missing". */
void pep_conversion_write_json(const pep_conversion *cv, bool show_values, pep_jw *w);

#endif
