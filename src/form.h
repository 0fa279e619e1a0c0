/* form.h: the canonical schema read as a form to fill in.
 *
 * `pep new` and `pep next` write every element of a PEP in the schema's
 * order, each with the schema's own words about what goes there and who
 * completes it. This module reads schemas/pep.xsd (the installed copy, found
 * with pep_data_file(); never a schema a document names) into a tree of
 * element descriptions: the element's name, its xs:documentation and its
 * label for people (xs:appinfo's doc:label, xml.h), how often
 * it may occur, whether it holds a value or other elements, its attributes,
 * which elements are the alternatives of one xs:choice, and for each value
 * its simple type: the closed list of values, the limits, whether it may be
 * left empty (what `pep edit` needs to draw a drop-down, a date picker or a
 * number box). It reads the XSD only; it never sees a PEP.
 *
 * The XSD constructs understood are those schemas/pep.xsd uses: global and
 * local xs:element (by name, ref or type), named and anonymous
 * xs:complexType with xs:sequence, xs:choice, xs:attribute and
 * xs:simpleContent, and xs:simpleType by xs:restriction (of a built-in type
 * or another simple type, with the facets enumeration, minInclusive,
 * maxInclusive, fractionDigits, length, maxLength and pattern) or by
 * xs:union of one type with the empty one. Anything else is refused with a
 * message, so a schema change that this reader does not follow cannot pass
 * unnoticed.
 *
 * Ownership: pep_form_load() returns a form freed with pep_form_free()
 * (accepts NULL); every pep_form_elem, pep_form_attr and string reached from
 * it belongs to the form and lives as long as it. */
#ifndef PEP_FORM_H
#define PEP_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define PEP_FORM_UNBOUNDED (-1) /* maxOccurs="unbounded" */

/* One value of a closed list. */
typedef struct pep_form_value {
	const char *value; /* as the XML writes it */
	const char *doc;   /* its documentation, or NULL */
} pep_form_value;

/* A simple type, with what it inherits from the types it restricts and, for
 * a union with the empty type, from its other member. */
typedef struct pep_form_type {
	const char *name;   /* the schema's name ("Percentage"), or NULL for a built-in or anonymous type */
	const char *doc;    /* its documentation (its first sentence says which values are allowed), or NULL */
	const char *base;   /* the built-in type at the bottom: "date", "decimal", "integer", "token", "string", ... */
	bool empty;         /* an empty value is allowed */
	const pep_form_value *values; /* the closed list, without "" (NULL when open) */
	size_t nvalues;
	const char *min, *max;  /* minInclusive and maxInclusive as written, or NULL */
	int fraction_digits;    /* at most this many decimals, or -1 */
	long max_length;        /* at most this many characters, or -1 */
	const char *pattern;    /* the xs:pattern, or NULL */
} pep_form_type;

typedef struct pep_form_attr {
	const char *name;
	const char *doc;   /* its documentation, or NULL */
	const char *label; /* its label for people (the schema's doc:label), or NULL */
	bool required;
	const pep_form_type *type;
} pep_form_attr;

typedef struct pep_form_elem {
	const char *name;  /* local name, in the form's namespace */
	const char *doc;   /* its documentation, white space collapsed, or NULL */
	const char *label; /* its label for people, as the schema's doc:label writes it ("kind of PEP"), or NULL */
	const char *path;  /* slash-separated names below the root: "pepMeeting/targets/target" ("" for the root) */
	int min, max;      /* occurrences; max may be PEP_FORM_UNBOUNDED */
	bool value;        /* holds a value (simple type or simple content), not elements */
	const pep_form_type *type; /* the value's type (NULL when not a value) */
	int choice;        /* 0, or the number (1, 2, ...) of the xs:choice this element is an alternative of */
	const pep_form_attr *attrs;
	size_t nattrs;
	const struct pep_form_elem *kids; /* child elements in the schema's order */
	size_t nkids;
} pep_form_elem;

typedef struct pep_form pep_form;

/* Reads the schema at xsd_path (parsed with pep_xml_parse's safe options).
 * Returns NULL and sets *err (caller frees; names the file and what is
 * wrong) when it cannot be read or uses a construct this reader does not
 * follow. */
pep_form *pep_form_load(const char *xsd_path, char **err);
/* The same for the installed schemas/pep.xsd (paths.h), the copy pep
 * validates with; *err says where it looked when there is none. */
pep_form *pep_form_load_installed(char **err);
void pep_form_free(pep_form *f);

/* The document element <pep> (borrowed). */
const pep_form_elem *pep_form_root(const pep_form *f);
/* The schema's target namespace (borrowed). */
const char *pep_form_namespace(const pep_form *f);
/* The child of e named name, or NULL. */
const pep_form_elem *pep_form_child(const pep_form_elem *e, const char *name);
/* The element at a path below the root ("pepMeeting/targets/target"; ""
 * gives the root), or NULL. */
const pep_form_elem *pep_form_find(const pep_form *f, const char *path);
/* The attribute of e named name, or NULL. */
const pep_form_attr *pep_form_attr_find(const pep_form_elem *e, const char *name);

#endif
