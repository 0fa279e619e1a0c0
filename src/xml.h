/* xml.h: safe XML loading and XSD validation (the only module that parses).
 *
 * Every XML file pep reads (PEPs, Southwark forms, calendars, the schemas and
 * stylesheets themselves) comes through here, parsed from memory with
 * libxml2 under one set of safe options: no network, no DTD (a document with
 * a <!DOCTYPE> is refused before any entity is declared, so no external
 * entity is ever read and no entity expansion bomb can go off), no entity
 * substitution, no XInclude, the default depth and size limits, and line
 * numbers past 65,535 kept. xsi:schemaLocation in a document is ignored: a
 * document is validated against the schema the caller chose.
 *
 * libxml2's messages are rewritten for the people who fill PEPs in: the
 * element is named in plain words with its path, the value is quoted, and the
 * message says what was expected (from the schema's own documentation).
 *
 * Ownership: pep_schema_load() and pep_xml_loader_new() return objects the
 * caller frees with the matching *_free (which accept NULL). A schema is
 * read-only once loaded and may be shared by threads; a loader belongs to one
 * thread at a time. Documents returned by pep_xml_load() are freed with
 * pep_xml_free(). */
#ifndef PEP_XML_H
#define PEP_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct _xmlDoc; /* libxml2's xmlDoc, opaque outside the modules that bind it */

/* Once per process, before any other call and before threads start. */
void pep_xml_init(void);

/* The largest file pep reads unless told otherwise (--max-size): a PEP is
 * 20 to 60 KB, one with 10,000 targets about 4 MB. */
#define PEP_MAX_FILE_SIZE ((size_t)8 * 1024 * 1024)
/* The most elements, comments and processing instructions a document may
 * have (a PEP has a few hundred; 10,000 targets make 130,000): what keeps
 * a file of empty elements or comments from taking gigabytes. */
#define PEP_MAX_NODES 200000

typedef enum pep_load_status {
	PEP_LOAD_OK,         /* read, well-formed, valid */
	PEP_LOAD_INVALID,    /* read, but not well-formed or not valid: diagnostics added */
	PEP_LOAD_UNREADABLE, /* could not be read at all: an IO diagnostic added */
} pep_load_status;

/* Reads a regular file into memory (at most max bytes; 0 means
 * PEP_MAX_FILE_SIZE). On failure adds an IO diagnostic naming the reason
 * and what to do, and returns PEP_LOAD_UNREADABLE (directory, missing,
 * permission) or PEP_LOAD_INVALID (too big). On success *buf (caller
 * frees) holds *len bytes plus a NUL. */
pep_load_status pep_read_file_max(const char *path, size_t max, pep_diags *d, char **buf, size_t *len);
/* pep_read_file_max with the default limit. */
pep_load_status pep_read_file(const char *path, pep_diags *d, char **buf, size_t *len);
/* pep_read_file_max for a file that is not a PEP: what says what it must be
 * ("a calendar file", "a TrueType (.ttf) font"), in the messages. Every
 * file pep reads is read here (or by pep_read_file_max): opened without
 * blocking and looked at before a byte is read, so a named pipe or a device
 * is refused, never waited on. */
pep_load_status pep_read_file_as(const char *path, size_t max, const char *what, pep_diags *d, char **buf,
                                 size_t *len);

/* Which section a top-level element belongs to, for diagnostics. */
typedef struct pep_section_map {
	const char *element; /* local name of a child of the root */
	char section;        /* 'A'..'D', '1'..'4' */
} pep_section_map;

typedef struct pep_schema pep_schema;

/* What to tell someone whose document's root is in another known namespace
 * (a PEP on another LA's form, say) instead of "not this schema". */
typedef struct pep_ns_hint {
	const char *ns;   /* the namespace */
	const char *what; /* what such a document is */
	const char *fix;  /* what to do */
} pep_ns_hint;

/* Compiles the XSD at path. sections (may be NULL, ends with {NULL, 0}) maps
 * top-level elements to section letters; it is borrowed and must outlive the
 * schema. Returns NULL and sets *err (caller frees) on failure. */
pep_schema *pep_schema_load(const char *path, const pep_section_map *sections, char **err);
void pep_schema_free(pep_schema *s);
/* Hints for documents in other known namespaces (ends with {NULL}); borrowed,
 * must outlive the schema. */
void pep_schema_set_hints(pep_schema *s, const pep_ns_hint *hints);
/* The schema's target namespace ("" when none). */
const char *pep_schema_namespace(const pep_schema *s);

/* The namespace of the schemas' own markup in xs:appinfo. */
#define PEP_DOC_NAMESPACE "https://pep-tool.org/ns/doc"
/* The label for people of the element or attribute ("@name") declared as
 * name, in parent when given (the element it is declared in): the
 * <label xmlns="PEP_DOC_NAMESPACE"> of its xs:appinfo, the words the form
 * itself uses ("workflow history"). NULL when it has none, or when the name
 * alone is ambiguous. Borrowed from the schema. */
const char *pep_schema_label(const pep_schema *s, const char *parent, const char *name);
/* True when the schema declares an element named name, or an attribute
 * ("@name"), anywhere. */
bool pep_schema_declares(const pep_schema *s, const char *name);

typedef struct pep_xml_loader pep_xml_loader;

/* A parser and a validation context for schema s (which must outlive it). */
pep_xml_loader *pep_xml_loader_new(const pep_schema *s);
/* With redact, messages never quote a value from the document (a batch
 * report identifies files, not children); the file and line still say
 * where to look. */
void pep_xml_loader_set_redact(pep_xml_loader *l, bool redact);
/* With drop, the documents this loader reads have no text nodes of white
 * space between elements (libxml2's XML_PARSE_NOBLANKS: a text node that
 * is all the content of its element is kept): a tenth less work for a
 * reader of values, such as the model. A document that is written out
 * again (converted, rolled forward) keeps them. Default false. */
void pep_xml_loader_set_drop_blanks(pep_xml_loader *l, bool drop);
/* The largest document this loader reads, in bytes (0: PEP_MAX_FILE_SIZE). */
void pep_xml_loader_set_max_size(pep_xml_loader *l, size_t max);
size_t pep_xml_loader_max_size(const pep_xml_loader *l);
void pep_xml_loader_free(pep_xml_loader *l);

/* Parses buf[0..len) (name is used in messages only) and validates it.
 * Returns PEP_LOAD_OK with *out set to the document (caller frees with
 * pep_xml_free), or PEP_LOAD_INVALID with diagnostics (rule XML or XSD) added
 * and *out NULL. */
pep_load_status pep_xml_load(pep_xml_loader *l, const char *name, const char *buf, size_t len,
                             pep_diags *d, struct _xmlDoc **out);
/* Parses buf[0..len) with l's parser and message settings, without
 * validating (the caller then chooses the schema by the root's namespace,
 * and validates with pep_xml_validate). */
pep_load_status pep_xml_loader_parse(pep_xml_loader *l, const char *name, const char *buf, size_t len, pep_diags *d,
                                     struct _xmlDoc **out);
/* Parses without validating (for stylesheets and schemas); same safety. */
pep_load_status pep_xml_parse(const char *name, const char *buf, size_t len, pep_diags *d,
                              struct _xmlDoc **out);
/* Validates *doc, which l read from buf[0..len) (name): as
 * pep_xml_validate, but a document read without blank text (drop_blanks)
 * that is invalid, or whose values the blanks could have changed, is read
 * again with them (*doc replaced; the caller frees it either way) and that
 * reading is judged, so the messages are the same with or without. */
bool pep_xml_loader_validate(pep_xml_loader *l, const char *name, const char *buf, size_t len, struct _xmlDoc **doc,
                             pep_diags *d);
/* Validates an existing document (a conversion's output, say). Adds XSD
 * diagnostics and returns false when it is not valid. */
bool pep_xml_validate(pep_xml_loader *l, struct _xmlDoc *doc, pep_diags *d);
/* The namespace of the document's root element ("" when none). */
const char *pep_xml_root_namespace(const struct _xmlDoc *doc);
void pep_xml_free(struct _xmlDoc *doc);

struct _xmlNode; /* libxml2's xmlNode */

/* True when n is the XML Schema element xs:LOCAL. */
bool pep_xsd_is(const struct _xmlNode *n, const char *local);
/* The text of a schema component's xs:annotation/xs:documentation (an
 * xs:element, xs:attribute or xs:simpleType node of a parsed XSD), white
 * space collapsed to single spaces, or NULL when it has none. Caller frees. */
char *pep_xsd_documentation(const struct _xmlNode *component);
/* The label for people of a schema component (an xs:element or
 * xs:attribute): its xs:annotation/xs:appinfo/<label xmlns=PEP_DOC_NAMESPACE>,
 * white space collapsed, or NULL when it has none. Caller frees. */
char *pep_xsd_label(const struct _xmlNode *component);

/* A field's name in plain words: "dateOfBirth" -> "date of birth",
 * "sdq" -> "SDQ". Writes at most size bytes into out. */
void pep_xml_words(const char *name, char *out, size_t size);

/* A value typed inside a comment, where pep does not read it: pep new writes
 * the items of lists that may rightly be empty as commented-out examples,
 * and a value typed into one (or into any element someone comments out) is
 * silently ignored. Found when a comment holds an element with a value
 * anywhere in its text (words before it or not, on one line or several),
 * the element is one the schema declares, the element the comment is in
 * has no child of that name with a value of its own (the field or the list
 * it should have gone in is empty), and it is not an example the schema's
 * own documentation gives (pep new's comments repeat those). */
typedef struct pep_xml_commented {
	char name[64];    /* the element in the comment that holds the value: the one to move out */
	int value_line;   /* the line of the first value typed inside it */
	int first, last;  /* the comment's lines */
	int anchor;       /* the line of the element the comment is in */
	int field_line;   /* the line of that element's own child of the same name, 0 when none */
} pep_xml_commented;

/* Finds up to max such values in doc (read with schema s), in document
 * order; returns how many (at most max). */
size_t pep_xml_commented_values(const struct _xmlDoc *doc, const pep_schema *s, pep_xml_commented *out, size_t max);

#endif
