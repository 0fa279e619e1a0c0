/* format.h: the table of PEP formats (format_list.h).
 *
 * A file's format is its root element's namespace. The first row is the
 * canonical format (schemas/pep.xsd, sections A-D); every other format is a
 * schema and two XSLT 1.0 stylesheets, one to the canonical format and one
 * from it. Converting between two other formats goes through the canonical
 * one (convert.h). Every command reads every format: the file is checked
 * against its own schema, converted to the canonical format in memory, and
 * judged (check.h).
 *
 * What a format's stylesheets must do (stylesheets/southwark-to-kent.xsl and
 * kent-to-southwark.xsl show each point):
 *   - read nothing but their input (no document(), no xsl:include), so that
 *     they run with every file and network access forbidden;
 *   - with the parameter report=losses, write the loss report instead of
 *     the document: <conversionReport xmlns="PEP_REPORT_NAMESPACE"> with a
 *     <lost section field path unit value [advice]/> for every field of the
 *     input that the target cannot hold, and a <missing section field
 *     reason/> for every field the target needs that the input cannot give;
 *   - from the canonical format: unless carry=no, put what the form has no
 *     place for in a <carried xmlns="PEP_CARRIED_NAMESPACE"> block at the
 *     end of the document (the form's schema allows it with an xs:any), and
 *     to the canonical format put it back, so that a round trip loses
 *     nothing (empty elements included); each carried part bound to what it
 *     belongs to on the form (a fingerprint of its owner, or of the whole
 *     form for what certifies the PEP), and put back only while that is
 *     unchanged: the others are reported lost in the section carriedBlock,
 *     with why="place|changed|owner|form|unbound|unrecognised" and the
 *     item's path below the root (item="..."), which pep shows only when
 *     the canonical schema declares every name in it;
 *   - to the canonical format: copy the attribute l:line
 *     (PEP_LINE_NAMESPACE), which pep adds in memory to every element it
 *     converts, onto the element made from it, so that the rules' messages
 *     point at the line of the file that holds the value. A file never has
 *     it, so plain xsltproc gives the same bytes as pep.
 *
 * Rows are static and never freed. */
#ifndef PEP_FORMAT_H
#define PEP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "xml.h" /* pep_section_map */

/* The namespace of the report the stylesheets write with report=losses. */
#define PEP_REPORT_NAMESPACE "https://pep-tool.org/ns/conversion-report/1"
/* The namespace of the carried block. */
#define PEP_CARRIED_NAMESPACE "https://pep-tool.org/ns/pep-carried/1"
/* The namespace of the line attributes pep adds in memory. */
#define PEP_LINE_NAMESPACE "https://pep-tool.org/ns/source-line/1"

/* One of a format's forms, named by its root element: Southwark's review
 * form is <pepReview>. */
typedef struct pep_format_form {
	const char *root;           /* "pepReview" */
	const char *label;          /* "the review form", for people */
	const char *const *absent;  /* canonical fields this form has no place for, or NULL */
} pep_format_form;

typedef struct pep_format {
	const char *name;           /* "southwark": what --to takes and --format json gives */
	const char *label;          /* "Southwark's PEP form", for people */
	const char *ns;             /* the root element's namespace */
	const char *schema;         /* in the data folder (paths.h) */
	const char *to_canonical;   /* the stylesheet to the canonical format; NULL for that format */
	const char *from_canonical; /* the stylesheet from it; NULL for that format */
	const pep_section_map *sections; /* children of the root -> section, ends with {NULL, 0} */
	/* The canonical fields none of the format's forms has a place for
	 * (paths below the root, "essentialInformation/school/designatedTeacher/
	 * qualifiedTeacher"), NULL-terminated, or NULL; and its forms, ending
	 * with {NULL}, or NULL. A rule that judges only such a field is not
	 * applied to a file on that form (rules.h: pep_rules_env.absent). */
	const char *const *absent;
	const pep_format_form *forms;
} pep_format;

/* The number of formats, and the i-th (0 is the canonical format). */
size_t pep_format_count(void);
const pep_format *pep_format_at(size_t i);
/* The index of f in the table. */
size_t pep_format_index(const pep_format *f);
const pep_format *pep_format_canonical(void);
bool pep_format_is_canonical(const pep_format *f);
/* The format named name, or whose root namespace is ns; NULL when none. */
const pep_format *pep_format_named(const char *name);
const pep_format *pep_format_of_namespace(const char *ns);
/* The form of f whose root element is root, or NULL (none listed). */
const pep_format_form *pep_format_form_of(const pep_format *f, const char *root);
/* True when a file of format f with this root element has no place for the
 * canonical field at path (as in pep_format.absent). */
bool pep_format_lacks(const pep_format *f, const char *root, const char *path);
/* Every format's name in table order, NULL-terminated (for option choices). */
const char *const *pep_format_names(void);
/* "kent or southwark", "a, b or c": the names for messages, each after
 * prefix when not NULL ("--to kent or --to southwark"). Caller frees. */
char *pep_format_name_list(const char *prefix);

#endif
