/* json.c: the one JSON writer (json.h). */
#include "json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h" /* pep_char_unsafe */

/* A misuse of the writer is a bug in pep, not a condition of the input. */
static void misuse(const char *what)
{
	fprintf(stderr, "pep: internal error: JSON writer: %s (please report this)\n", what);
	abort();
}

static void emit(pep_jw *w, const char *s, size_t n)
{
	if (w->out)
		fwrite(s, 1, n, w->out);
	else
		pep_buf_add(w->buf, s, n);
}

static void emits(pep_jw *w, const char *s)
{
	emit(w, s, strlen(s));
}

static void init(pep_jw *w, FILE *out, pep_buf *buf, int flags)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->buf = buf;
	w->flags = flags;
}

void pep_jw_init_file(pep_jw *w, FILE *out, int flags)
{
	init(w, out, NULL, flags);
}

void pep_jw_init_buf(pep_jw *w, pep_buf *buf, int flags)
{
	init(w, NULL, buf, flags);
}

bool pep_jw_complete(const pep_jw *w)
{
	return w->depth == 0 && !w->keyed;
}

static void string_z(pep_jw *w, const char *s);

/* Line break and indentation before a member at the current level. */
static void newline(pep_jw *w)
{
	emit(w, "\n", 1);
	for (int i = 0; i < w->depth; i++)
		emit(w, " ", 1);
}

/* What comes before a value: the separator from the previous member, and in
 * lines mode the line break of a container element (json.h). */
static void before_value(pep_jw *w, bool container)
{
	if (w->depth == 0) {
		if (w->any[0])
			misuse("a second top-level value");
		w->any[0] = true;
		return;
	}
	char open = w->open[w->depth - 1];
	if (open == '{') {
		if (!w->keyed)
			misuse("a value in an object without a key");
		w->keyed = false;
		return;
	}
	bool *any = &w->any[w->depth];
	bool own_line = container && (w->flags & PEP_JW_LINES);
	if (*any)
		emit(w, own_line ? "," : ", ", own_line ? 1 : 2);
	*any = true;
	if (own_line)
		newline(w);
}

void pep_jw_key(pep_jw *w, const char *key)
{
	if (w->depth == 0 || w->open[w->depth - 1] != '{' || w->keyed)
		misuse("a key outside an object, or two keys in a row");
	bool *any = &w->any[w->depth];
	if (*any) {
		emit(w, ",", 1);
		if (w->depth == 1 && (w->flags & PEP_JW_LINES))
			newline(w);
		else
			emit(w, " ", 1);
	}
	*any = true;
	string_z(w, key);
	emit(w, ": ", 2);
	w->keyed = true;
}

static void begin(pep_jw *w, char open)
{
	before_value(w, true);
	if (w->depth + 1 >= PEP_JW_MAX_DEPTH)
		misuse("nesting too deep");
	w->open[w->depth] = open;
	w->depth++;
	w->any[w->depth] = false;
	emit(w, &open, 1);
}

void pep_jw_object_begin(pep_jw *w)
{
	begin(w, '{');
}

void pep_jw_array_begin(pep_jw *w)
{
	begin(w, '[');
}

void pep_jw_end(pep_jw *w)
{
	if (w->depth == 0 || w->keyed)
		misuse("an end with nothing open, or after a key");
	w->depth--;
	emit(w, w->open[w->depth] == '{' ? "}" : "]", 1);
}

size_t pep_utf8_seq(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (p[0] == 0xe0 && p[1] < 0xa0)
			return 0; /* overlong */
		if (p[0] == 0xed && p[1] >= 0xa0)
			return 0; /* surrogate */
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if (p[0] == 0xf0 && p[1] < 0x90)
			return 0;
		if (p[0] == 0xf4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/* The string literal of s[0..n) (stopping early at a NUL). */
static void string_literal(pep_jw *w, const char *s, size_t n)
{
	emit(w, "\"", 1);
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end && *p) {
		/* A sequence cut by the end of s[0..n) is not valid either. */
		size_t k = pep_utf8_seq(p);
		if (k == 0 || k > (size_t)(end - p)) {
			emits(w, "\\ufffd");
			p++;
			continue;
		}
		if (k > 1) {
			/* C1 controls, separators and bidirectional controls are
			 * escaped as the C0 ones are: valid JSON either way, but a
			 * terminal or a log viewer showing the text cannot act on them. */
			unsigned cp = k == 2 ? (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu)
			            : k == 3 ? (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu) : 0x10000;
			if (pep_char_unsafe(cp)) {
				char u[8];
				snprintf(u, sizeof u, "\\u%04x", cp);
				emits(w, u);
			} else {
				emit(w, (const char *)p, k);
			}
			p += k;
			continue;
		}
		unsigned char c = *p++;
		switch (c) {
		case '"': emits(w, "\\\""); break;
		case '\\': emits(w, "\\\\"); break;
		case '\n': emits(w, "\\n"); break;
		case '\r': emits(w, "\\r"); break;
		case '\t': emits(w, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char u[8];
				snprintf(u, sizeof u, "\\u%04x", c);
				emits(w, u);
			} else {
				emit(w, (const char *)&c, 1);
			}
		}
	}
	emit(w, "\"", 1);
}

/* The literal of a NUL-terminated string (NULL as ""). */
static void string_z(pep_jw *w, const char *s)
{
	string_literal(w, s ? s : "", s ? strlen(s) : 0);
}

void pep_json_string(FILE *out, const char *s)
{
	pep_jw w;
	pep_jw_init_file(&w, out, PEP_JW_COMPACT);
	string_z(&w, s);
}

void pep_jw_string(pep_jw *w, const char *s)
{
	if (!s) {
		pep_jw_null(w);
		return;
	}
	before_value(w, false);
	string_literal(w, s, strlen(s));
}

void pep_jw_stringn(pep_jw *w, const char *s, size_t n)
{
	before_value(w, false);
	string_literal(w, s, n);
}

void pep_jw_int(pep_jw *w, long long v)
{
	char s[32];
	before_value(w, false);
	snprintf(s, sizeof s, "%lld", v);
	emits(w, s);
}

void pep_jw_bool(pep_jw *w, bool v)
{
	before_value(w, false);
	emits(w, v ? "true" : "false");
}

void pep_jw_null(pep_jw *w)
{
	before_value(w, false);
	emits(w, "null");
}

void pep_jw_fixed(pep_jw *w, int64_t v, int places)
{
	if (places < 0 || places > 18)
		misuse("decimal places out of range");
	int64_t scale = 1;
	for (int i = 0; i < places; i++)
		scale *= 10;
	/* The magnitude as unsigned, so INT64_MIN has one too. */
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char s[48];
	if (places == 0)
		snprintf(s, sizeof s, "%s%" PRIu64, v < 0 ? "-" : "", mag);
	else
		snprintf(s, sizeof s, "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "", mag / (uint64_t)scale, places,
		         mag % (uint64_t)scale);
	before_value(w, false);
	emits(w, s);
}

void pep_jw_kv_string(pep_jw *w, const char *key, const char *s)
{
	pep_jw_key(w, key);
	pep_jw_string(w, s);
}

void pep_jw_kv_int(pep_jw *w, const char *key, long long v)
{
	pep_jw_key(w, key);
	pep_jw_int(w, v);
}

void pep_jw_kv_bool(pep_jw *w, const char *key, bool v)
{
	pep_jw_key(w, key);
	pep_jw_bool(w, v);
}

void pep_jw_kv_null(pep_jw *w, const char *key)
{
	pep_jw_key(w, key);
	pep_jw_null(w);
}

void pep_jw_kv_fixed(pep_jw *w, const char *key, int64_t v, int places)
{
	pep_jw_key(w, key);
	pep_jw_fixed(w, v, places);
}

void pep_jw_kv_object_begin(pep_jw *w, const char *key)
{
	pep_jw_key(w, key);
	pep_jw_object_begin(w);
}

void pep_jw_kv_array_begin(pep_jw *w, const char *key)
{
	pep_jw_key(w, key);
	pep_jw_array_begin(w);
}
