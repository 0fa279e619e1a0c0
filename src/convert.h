/* convert.h: converting PEPs between formats with the project's XSLT stylesheets.
 *
 * Two formats: kent, the canonical A-D format (schemas/pep.xsd), and
 * southwark, Southwark's sections 1-4 form (schemas/southwark.xsd). A file's
 * format is its root element's namespace. Converting a file:
 *
 *   read -> parse (xml.h) -> validate against its own schema
 *        -> XSLT (stylesheets/<from>-to-<to>.xsl) -> serialise as xsltproc does
 *        -> validate the bytes against the target schema
 *        -> the loss report (the same stylesheet, report=losses)
 *        -> convert back and check that every field not reported lost came back
 *
 * The loss report comes from the stylesheet itself, so that an LA applying
 * the stylesheets with plain xsltproc gets the same list; this module adds the
 * line of each lost field (from the path the stylesheet gives) and refuses a
 * conversion that would lose a field without reporting it.
 *
 * libxslt is locked down here and nowhere else: a transformation may not read
 * or write files, create folders or use the network, and only stylesheets the
 * caller names (the project's own, from the data directory) are applied; a
 * stylesheet processing instruction in a document is never looked at.
 *
 * Ownership: *_new and *_load return objects freed with the matching *_free
 * (which accept NULL); pep_convert_file() hands the caller a pep_conversion.
 * Strings returned by accessors are borrowed from their object. A converter
 * and its conversions belong to one thread at a time. */
#ifndef PEP_CONVERT_H
#define PEP_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "model.h" /* PEP_NAMESPACE, PEP_SOUTHWARK_NAMESPACE */

struct _xmlDoc;

/* ------------------------------------------------------------------ */
/* Formats                                                              */
/* ------------------------------------------------------------------ */

typedef enum pep_format {
	PEP_FORMAT_NONE,      /* not a format pep converts */
	PEP_FORMAT_KENT,      /* the canonical format, sections A-D */
	PEP_FORMAT_SOUTHWARK, /* Southwark's form, sections 1-4 */
} pep_format;

/* The namespace of the report the stylesheets write with report=losses. */
#define PEP_REPORT_NAMESPACE "https://pep-tool.org/ns/conversion-report/1"

/* "kent" or "southwark" (NULL for PEP_FORMAT_NONE): the names --to takes. */
const char *pep_format_name(pep_format f);
/* For people: "the Kent (canonical) format", "Southwark's PEP form". */
const char *pep_format_label(pep_format f);
/* The format named name, or PEP_FORMAT_NONE. */
pep_format pep_format_from_name(const char *name);
/* The format whose namespace is ns, or PEP_FORMAT_NONE. */
pep_format pep_format_from_namespace(const char *ns);

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
/* Converting a PEP                                                     */
/* ------------------------------------------------------------------ */

typedef struct pep_converter pep_converter;

/* Loads both schemas and both stylesheets from the data directory
 * (paths.h). Returns NULL and sets *err (caller frees) when one is missing or
 * does not compile. */
pep_converter *pep_converter_new(char **err);
void pep_converter_free(pep_converter *c);

typedef enum pep_convert_status {
	PEP_CONVERT_OK,             /* converted: the output and the report are ready */
	PEP_CONVERT_UNREADABLE,     /* the file cannot be read: an IO diagnostic */
	PEP_CONVERT_INVALID,        /* not well-formed, no known format, or not valid: diagnostics */
	PEP_CONVERT_SAME_FORMAT,    /* already in the target format: a diagnostic says so */
	PEP_CONVERT_OUTPUT_INVALID, /* the result would not be valid (missing: items say why): diagnostics */
	PEP_CONVERT_FAILED,         /* the stylesheet failed, or lost a field unreported: a diagnostic */
} pep_convert_status;

typedef enum pep_item_kind {
	PEP_ITEM_LOST,    /* a field of the input the target cannot hold */
	PEP_ITEM_MISSING, /* a field the target needs and the input cannot give */
} pep_item_kind;

/* One line of the loss report. */
typedef struct pep_convert_item {
	pep_item_kind kind;
	const char *section; /* lost: the input's section (A-D, 1-4, header, form, ...);
	                        missing: the target's */
	const char *field;   /* the path below the section, e.g. care/placement */
	const char *text;    /* lost: the value, cut short by the stylesheet; missing: why it is needed */
	int line;            /* lost: the field's line in the input (0 when not known); missing: 0 */
} pep_convert_item;

typedef struct pep_conversion pep_conversion;

/* Converts the file at path to format to. Diagnostics (rule IO, XML, XSD or
 * CONV) go into d. *out is set (caller frees) whenever the loss report was
 * made: with PEP_CONVERT_OK, and with PEP_CONVERT_OUTPUT_INVALID (no output,
 * but the missing: items say why); NULL otherwise. */
pep_convert_status pep_convert_file(pep_converter *c, const char *path, pep_format to, pep_diags *d,
                                    pep_conversion **out);
/* The same for a document already in memory (buf[0..len)); name is used in
 * messages. For tests and fuzzing. */
pep_convert_status pep_convert_memory(pep_converter *c, const char *name, const char *buf, size_t len, pep_format to,
                                      pep_diags *d, pep_conversion **out);

/* The input's format. */
pep_format pep_conversion_from(const pep_conversion *cv);
/* The converted document (NULL unless the status was PEP_CONVERT_OK), *len bytes. */
const char *pep_conversion_output(const pep_conversion *cv, size_t *len);
/* The report's items: lost fields in the input's order, then missing ones. */
size_t pep_conversion_count(const pep_conversion *cv);
const pep_convert_item *pep_conversion_item(const pep_conversion *cv, size_t i);
/* How many items are lost fields. */
size_t pep_conversion_lost(const pep_conversion *cv);
void pep_conversion_free(pep_conversion *cv);

/* One report item as a line (no newline) for people:
 *   lost: A care/placement (line 73): "planned"
 *   missing: 3 conduct: the Kent form has no conduct record ...
 * with control characters replaced. Caller frees. */
char *pep_convert_item_line(const pep_convert_item *it);

#endif
