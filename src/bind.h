/* bind.h: typed values read from XML, and the descriptor-driven binder.
 *
 * A document's model is plain C structs of typed fields: text, dates, times,
 * numbers, enumerations, nested structs and lists. Every field remembers the
 * line of the element it came from; a field that is absent carries the line
 * of the element that should have held it, so that a rule reporting
 * "missing X" still points somewhere useful.
 *
 * Each struct starts with a pep_hdr and is described by a pep_bind_struct
 * (one table per struct, next to the struct's definition). pep_bind() walks a
 * schema-valid XML element and fills the struct from the table: this is the
 * only code that walks a libxml2 tree to read a document's values. All memory
 * comes from the arena given. */
#ifndef PEP_BIND_H
#define PEP_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"

typedef struct pep_hdr {
	int line;     /* line of the element, or of its parent when absent */
	bool present; /* the element is in the document */
} pep_hdr;

typedef struct pep_text {
	const char *s; /* the text as written (UTF-8); NULL when the element is absent */
	int line;
} pep_text;

typedef struct pep_datef {
	pep_day d; /* PEP_NO_DAY when absent or empty */
	int line;
} pep_datef;

typedef struct pep_timef {
	int min; /* minutes after midnight, -1 when absent or empty */
	int line;
} pep_timef;

typedef struct pep_numf {
	int64_t v; /* integers as they are; decimals in hundredths (93.5 -> 9350) */
	int line;
	bool set;  /* false when absent or empty */
} pep_numf;

typedef struct pep_enumf {
	int v; /* index into the enumeration's names; 0 when absent or empty */
	int line;
} pep_enumf;

/* A list of T: v[0..n). */
#define PEP_LIST(T) struct { T *v; size_t n; }

typedef enum pep_bind_kind {
	PEP_B_TEXT,      /* child element's text -> pep_text */
	PEP_B_DATE,      /* -> pep_datef */
	PEP_B_TIME,      /* HH:MM -> pep_timef */
	PEP_B_INT,       /* -> pep_numf */
	PEP_B_CENTI,     /* decimal -> pep_numf in hundredths */
	PEP_B_ENUM,      /* -> pep_enumf */
	PEP_B_STRUCT,    /* child element -> nested struct */
	PEP_B_LIST,      /* repeated child element -> PEP_LIST of item */
	PEP_B_CONTENT,   /* this element's own text -> pep_text */
	PEP_B_ATTR_TEXT, /* attribute -> pep_text */
	PEP_B_ATTR_ENUM, /* attribute -> pep_enumf */
	PEP_B_ATTR_DATE, /* attribute -> pep_datef */
	PEP_B_ATTR_INT,  /* attribute -> pep_numf */
} pep_bind_kind;

struct pep_bind_struct;

typedef struct pep_bind_field {
	const char *name;                  /* element or attribute local name */
	pep_bind_kind kind;
	size_t off;                        /* offset of the field in its struct */
	const char *const *names;          /* enumerations: names[0] = "", NULL-terminated */
	const struct pep_bind_struct *sub; /* structs, and lists of structs */
	pep_bind_kind item;                /* lists: the kind of each item */
	size_t item_size;                  /* lists: sizeof one item */
} pep_bind_field;

typedef struct pep_bind_struct {
	const char *name;
	size_t size;
	const pep_bind_field *fields;
	size_t nfields;
} pep_bind_struct;

struct _xmlNode;

/* Fills dst (a struct described by desc, starting with a pep_hdr) from the
 * element node. Strings and lists are allocated in arena. */
void pep_bind(const pep_bind_struct *desc, const struct _xmlNode *node, void *dst, pep_arena *arena);

/* Fills dst as "absent": every field empty, every line = line. */
void pep_bind_absent(const pep_bind_struct *desc, void *dst, int line);

/* Calls visit for each text value present in src (a struct described by
 * desc, as pep_bind filled it): element text, attributes and the text of
 * list items, in the descriptor's order. path is the value's place below
 * src: element names joined by '/', list items numbered from 1 in
 * brackets, attributes after '@' ("legalName/familyName",
 * "targets/target[2]/baseline", "localAuthority/@code"); it is borrowed
 * for the call. */
typedef void (*pep_bind_text_fn)(void *ctx, const char *path, pep_text t);
void pep_bind_each_text(const pep_bind_struct *desc, const void *src, pep_bind_text_fn visit, void *ctx);

/* The index of s in names (names[0] = ""), or 0 when it is not there. */
int pep_enum_index(const char *const *names, const char *s);

/* True when the text is absent or holds only white space. */
bool pep_text_blank(pep_text t);

#endif
