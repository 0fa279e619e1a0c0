/* json.h: the one JSON writer (after git's json-writer.h).
 *
 * Everything pep prints or serves as JSON goes through a pep_jw: it does the
 * escaping (invalid UTF-8 becomes U+FFFD; control characters, C1 ones
 * included, line separators and bidirectional controls \uXXXX), the
 * nesting and the commas once, so no caller writes a brace or a comma.
 *
 *     pep_jw w;
 *     pep_jw_init_file(&w, stdout, PEP_JW_LINES);
 *     pep_jw_object_begin(&w);
 *     pep_jw_kv_string(&w, "file", "a.xml");
 *     pep_jw_kv_array_begin(&w, "diagnostics");
 *     pep_jw_object_begin(&w); ... pep_jw_end(&w);
 *     pep_jw_end(&w);
 *     pep_jw_end(&w);        -> {"file": "a.xml", "diagnostics": [
 *                                 {...}]}
 *
 * Layout: values are separated by ", " and keys by ": ". With PEP_JW_LINES,
 * an object or array that is an element of an array starts on a line of
 * its own, and so does each member of the outermost object after the first
 * (indented one space per level): one file or one child per line, the shape
 * of the README's examples, which a person can read and grep.
 *
 * Misuse (a value where a key is needed, an end too many, nesting deeper
 * than PEP_JW_MAX_DEPTH) is a programming error: it aborts with a message.
 *
 * Ownership: a pep_jw writes to a FILE or a pep_buf it borrows; it holds no
 * memory of its own and needs no freeing. */
#ifndef PEP_JSON_H
#define PEP_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "strbuf.h"

#define PEP_JW_MAX_DEPTH 32

enum { PEP_JW_COMPACT = 0, PEP_JW_LINES = 1 };

typedef struct pep_jw {
	FILE *out;                    /* exactly one of out and buf */
	pep_buf *buf;
	int flags;                    /* PEP_JW_* */
	int depth;                    /* open containers */
	char open[PEP_JW_MAX_DEPTH];  /* '{' or '[' per level */
	bool any[PEP_JW_MAX_DEPTH];   /* the level has a member already */
	bool keyed;                   /* a key was written and awaits its value */
} pep_jw;

void pep_jw_init_file(pep_jw *w, FILE *out, int flags);
void pep_jw_init_buf(pep_jw *w, pep_buf *buf, int flags);

void pep_jw_object_begin(pep_jw *w);
void pep_jw_array_begin(pep_jw *w);
/* Closes the innermost object or array. */
void pep_jw_end(pep_jw *w);
/* True when every container begun has been ended. */
bool pep_jw_complete(const pep_jw *w);

/* Inside an object: the key of the next value. */
void pep_jw_key(pep_jw *w, const char *key);

/* Values: in an array, or after pep_jw_key. */
void pep_jw_string(pep_jw *w, const char *s);    /* NULL writes null */
void pep_jw_stringn(pep_jw *w, const char *s, size_t n);
void pep_jw_int(pep_jw *w, long long v);
void pep_jw_bool(pep_jw *w, bool v);
void pep_jw_null(pep_jw *w);
/* v / 10^places with exactly `places` decimals: pep_jw_fixed(w, 1250, 2)
 * writes 12.50 (money in pence, percentages in hundredths). */
void pep_jw_fixed(pep_jw *w, int64_t v, int places);

/* Key and value in one call. */
void pep_jw_kv_string(pep_jw *w, const char *key, const char *s);
void pep_jw_kv_int(pep_jw *w, const char *key, long long v);
void pep_jw_kv_bool(pep_jw *w, const char *key, bool v);
void pep_jw_kv_null(pep_jw *w, const char *key);
void pep_jw_kv_fixed(pep_jw *w, const char *key, int64_t v, int places);
void pep_jw_kv_object_begin(pep_jw *w, const char *key);
void pep_jw_kv_array_begin(pep_jw *w, const char *key);

/* A JSON string literal for s on its own (quotes included), with the
 * writer's escaping; for callers that embed one value in another format. */
void pep_json_string(FILE *out, const char *s);

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when it is not
 * valid (overlong, a surrogate, past U+10FFFF, cut short). p must be
 * NUL-terminated or have 4 readable bytes. */
size_t pep_utf8_seq(const unsigned char *p);

#endif
