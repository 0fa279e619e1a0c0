/* diag.c: the diagnostics list and its text and JSON writers. */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

struct pep_diags {
	char *file;
	char *la;
	char *stage;
	char *format; /* the file's format (format.h), NULL until known */
	bool unchecked;
	pep_diag *v;
	size_t n, cap;
	/* Past PEP_DIAGS_SHOWN: the diagnostics not kept, and the one line
	 * (the last of v) that says so. */
	size_t more_errors, more_warnings;
	bool more;
};

pep_diags *pep_diags_new(const char *file)
{
	pep_diags *d = pep_xcalloc(1, sizeof *d);
	d->file = pep_xstrdup(file ? file : "");
	return d;
}

void pep_diags_free(pep_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].message);
	free(d->v);
	free(d->file);
	free(d->la);
	free(d->stage);
	free(d->format);
	free(d);
}

/* The closing line of a list that holds more than it shows. */
static void say_more(pep_diags *d)
{
	pep_diag *g = &d->v[d->n - 1];
	size_t n = d->more_errors + d->more_warnings;
	free(g->message);
	pep_buf b = PEP_BUF_INIT;
	pep_buf_printf(&b, "and %zu more (", n);
	if (d->more_errors)
		pep_buf_printf(&b, "%zu error%s", d->more_errors, d->more_errors == 1 ? "" : "s");
	if (d->more_errors && d->more_warnings)
		pep_buf_puts(&b, ", ");
	if (d->more_warnings)
		pep_buf_printf(&b, "%zu warning%s", d->more_warnings, d->more_warnings == 1 ? "" : "s");
	pep_buf_printf(&b, ") not listed: only the first %d of a file's problems are; correct these, then check again",
	               PEP_DIAGS_SHOWN);
	g->message = pep_buf_detach(&b);
	g->severity = d->more_errors ? PEP_ERROR : PEP_WARNING;
}

void pep_diags_addv(pep_diags *d, const char *rule, pep_severity sev, char section, int line,
                    const char *fmt, va_list ap)
{
	if (d->more || d->n >= PEP_DIAGS_SHOWN) {
		/* Counted, not kept; the first of these makes the closing line. */
		if (sev == PEP_ERROR)
			d->more_errors++;
		else
			d->more_warnings++;
		if (!d->more) {
			d->more = true;
			if (d->n == d->cap) {
				d->cap++;
				d->v = pep_xrealloc(d->v, d->cap * sizeof *d->v);
			}
			pep_diag *g = &d->v[d->n++];
			memset(g, 0, sizeof *g);
			snprintf(g->rule, sizeof g->rule, "%s", rule);
		}
		say_more(d);
		return;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = pep_xrealloc(d->v, d->cap * sizeof *d->v);
	}
	pep_diag *g = &d->v[d->n++];
	memset(g, 0, sizeof *g);
	snprintf(g->rule, sizeof g->rule, "%s", rule);
	g->severity = sev;
	g->section = section;
	g->line = line > 0 ? line : 0;
	/* A message may quote a value from a file: it is kept as every text
	 * report shows it (one line, no control or bidirectional character),
	 * so that text, JSON, CSV, a PDF and a web page all say the same. */
	pep_buf raw = PEP_BUF_INIT, b = PEP_BUF_INIT;
	pep_buf_vprintf(&raw, fmt, ap);
	pep_shown_add(&b, pep_buf_str(&raw), raw.len, true);
	pep_buf_free(&raw);
	g->message = pep_buf_detach(&b);
}

void pep_diags_add(pep_diags *d, const char *rule, pep_severity sev, char section, int line,
                   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pep_diags_addv(d, rule, sev, section, line, fmt, ap);
	va_end(ap);
}

size_t pep_diags_count(const pep_diags *d)
{
	return d->n;
}

const pep_diag *pep_diags_at(const pep_diags *d, size_t i)
{
	return i < d->n ? &d->v[i] : NULL;
}

void pep_diags_sort(pep_diags *d)
{
	/* Insertion sort: stable, and lists are short (at most
	 * PEP_DIAGS_SHOWN). The closing "and N more" line stays last. */
	size_t n = d->more ? d->n - 1 : d->n;
	for (size_t i = 1; i < n; i++) {
		pep_diag x = d->v[i];
		size_t j = i;
		while (j > 0 && d->v[j - 1].line > x.line) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = x;
	}
}

bool pep_diags_full(const pep_diags *d)
{
	return d->n >= PEP_DIAGS_SHOWN;
}

const char *pep_diags_file(const pep_diags *d)
{
	return d->file;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? pep_xstrdup(s) : NULL;
}

void pep_diags_set_la(pep_diags *d, const char *la)
{
	set_str(&d->la, la);
}

const char *pep_diags_la(const pep_diags *d)
{
	return d->la;
}

void pep_diags_set_stage(pep_diags *d, const char *stage)
{
	set_str(&d->stage, stage);
}

void pep_diags_set_format(pep_diags *d, const char *format)
{
	set_str(&d->format, format);
}

const char *pep_diags_format(const pep_diags *d)
{
	return d->format;
}

const char *pep_diags_stage(const pep_diags *d)
{
	return d->stage;
}

void pep_diags_set_unchecked(pep_diags *d, bool unchecked)
{
	d->unchecked = unchecked;
}

bool pep_diags_unchecked(const pep_diags *d)
{
	return d->unchecked;
}

size_t pep_diags_errors(const pep_diags *d)
{
	size_t n = 0, shown = d->more ? d->n - 1 : d->n;
	for (size_t i = 0; i < shown; i++)
		n += d->v[i].severity == PEP_ERROR;
	return n + d->more_errors;
}

size_t pep_diags_warnings(const pep_diags *d)
{
	size_t shown = d->more ? d->n - 1 : d->n;
	return shown + d->more_errors + d->more_warnings - pep_diags_errors(d);
}

bool pep_diags_valid(const pep_diags *d, bool strict)
{
	if (d->unchecked)
		return false;
	return strict ? d->n == 0 : pep_diags_errors(d) == 0;
}

bool pep_diags_has(const pep_diags *d, const char *rule)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].rule, rule) == 0)
			return true;
	return false;
}

static const char *severity_name(pep_severity s)
{
	return s == PEP_ERROR ? "error" : "warning";
}

/* The length of the UTF-8 character at p (at most n bytes), or 0 when the
 * bytes there are not one; *cp gets the code point. */
static size_t utf8_char(const unsigned char *p, size_t n, unsigned *cp)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : p[0] >= 0xe0 && p[0] < 0xf0 ? 3
	           : p[0] >= 0xf0 && p[0] < 0xf5 ? 4 : 0;
	if (!len || len > n)
		return 0;
	unsigned c = len == 1 ? p[0] : p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c < 0xe000))) || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0; /* overlong, a surrogate, or past Unicode */
	*cp = c;
	return len;
}

bool pep_char_unsafe(unsigned c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c;
}

void pep_shown_add(pep_buf *b, const char *s, size_t n, bool spaces)
{
	const unsigned char *p = (const unsigned char *)s;
	while (n) {
		unsigned c;
		size_t len = utf8_char(p, n, &c);
		if (len && spaces && (c == '\t' || c == '\n' || c == '\r'))
			pep_buf_putc(b, ' ');
		else if (!len || pep_char_unsafe(c))
			pep_buf_putc(b, '?');
		else
			pep_buf_add(b, (const char *)p, len);
		len = len ? len : 1;
		p += len;
		n -= len;
	}
}

char *pep_path_shown(const char *path)
{
	pep_buf b = PEP_BUF_INIT;
	const char *p = path ? path : "";
	pep_shown_add(&b, p, strlen(p), false);
	return pep_buf_detach(&b);
}

void pep_put_path(FILE *out, const char *path)
{
	char *s = pep_path_shown(path);
	fputs(s, out);
	free(s);
}

void pep_diags_write_text(FILE *out, const pep_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const pep_diag *g = &d->v[i];
		pep_put_path(out, d->file);
		if (g->line > 0)
			fprintf(out, ":%d", g->line);
		fprintf(out, ": %s: [%s] %s\n", severity_name(g->severity), g->rule, g->message);
	}
}


const char *pep_diags_grade(const pep_diags *d)
{
	if (d->unchecked || pep_diags_errors(d))
		return "red";
	return d->n ? "amber" : "green";
}

void pep_tally_add(pep_tally *t, const pep_diags *d, bool strict)
{
	t->files++;
	t->valid += pep_diags_valid(d, strict);
	t->errors += pep_diags_errors(d);
	t->warnings += pep_diags_warnings(d);
	t->unchecked += d->unchecked;
	const char *g = pep_diags_grade(d);
	if (g[0] == 'r')
		t->red++;
	else if (g[0] == 'a')
		t->amber++;
	else
		t->green++;
}

void pep_json_begin(pep_jw *w, FILE *out)
{
	pep_jw_init_file(w, out, PEP_JW_LINES);
	pep_jw_object_begin(w);
	pep_jw_kv_array_begin(w, "files");
}

void pep_json_file(pep_jw *w, const pep_diags *d, bool strict)
{
	pep_jw_object_begin(w);
	pep_jw_kv_string(w, "file", d->file);
	pep_jw_kv_string(w, "la", d->la);
	pep_jw_kv_string(w, "stage", d->stage);
	pep_jw_kv_string(w, "format", d->format);
	pep_jw_kv_bool(w, "valid", pep_diags_valid(d, strict));
	pep_jw_kv_string(w, "grade", pep_diags_grade(d));
	pep_jw_kv_array_begin(w, "diagnostics");
	for (size_t i = 0; i < d->n; i++) {
		const pep_diag *g = &d->v[i];
		char section[2] = {g->section, '\0'};
		pep_jw_object_begin(w);
		pep_jw_kv_string(w, "rule", g->rule);
		pep_jw_kv_string(w, "severity", severity_name(g->severity));
		pep_jw_kv_string(w, "section", g->section ? section : NULL);
		if (g->line > 0)
			pep_jw_kv_int(w, "line", g->line);
		else
			pep_jw_kv_null(w, "line");
		pep_jw_kv_string(w, "message", g->message);
		pep_jw_end(w);
	}
	pep_jw_end(w);
	pep_jw_end(w);
}

void pep_json_end(pep_jw *w, const pep_tally *t)
{
	pep_jw_end(w);
	pep_jw_kv_object_begin(w, "summary");
	pep_jw_kv_int(w, "files", (long long)t->files);
	pep_jw_kv_int(w, "valid", (long long)t->valid);
	pep_jw_kv_int(w, "errors", (long long)t->errors);
	pep_jw_kv_int(w, "warnings", (long long)t->warnings);
	pep_jw_kv_int(w, "red", (long long)t->red);
	pep_jw_kv_int(w, "amber", (long long)t->amber);
	pep_jw_kv_int(w, "green", (long long)t->green);
	pep_jw_end(w);
	pep_jw_end(w);
	fputc('\n', w->out);
}

void pep_diags_write_json(FILE *out, pep_diags *const *files, size_t n, bool strict)
{
	pep_tally t = {0};
	pep_jw w;
	pep_json_begin(&w, out);
	for (size_t f = 0; f < n; f++) {
		pep_json_file(&w, files[f], strict);
		pep_tally_add(&t, files[f], strict);
	}
	pep_json_end(&w, &t);
}

void pep_csv_field(FILE *out, const char *s, bool excel)
{
	if (!s)
		s = "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool formula = excel && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
	if (quote || formula)
		fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote || formula)
		fputc('"', out);
}

void pep_csv_header(FILE *out)
{
	fputs("file,la,grade,rule,severity,section,line,message\r\n", out);
}

static void csv_row_start(FILE *out, const pep_diags *d, bool excel)
{
	pep_csv_field(out, d->file, excel);
	fputc(',', out);
	pep_csv_field(out, d->la ? d->la : "", excel);
	fprintf(out, ",%s,", pep_diags_grade(d));
}

void pep_diags_write_csv(FILE *out, const pep_diags *d, bool excel)
{
	if (d->n == 0) {
		csv_row_start(out, d, excel);
		fputs(",,,,\r\n", out);
		return;
	}
	for (size_t i = 0; i < d->n; i++) {
		const pep_diag *g = &d->v[i];
		csv_row_start(out, d, excel);
		pep_csv_field(out, g->rule, excel);
		fprintf(out, ",%s,", severity_name(g->severity));
		if (g->section)
			fputc(g->section, out);
		fputc(',', out);
		if (g->line > 0)
			fprintf(out, "%d", g->line);
		fputc(',', out);
		pep_csv_field(out, g->message, excel);
		fputs("\r\n", out);
	}
}
