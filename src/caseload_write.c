/* caseload_write.c: the caseload report as text, JSON and CSV (caseload.h). */
#include "caseload.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"
#include "strbuf.h"
#include "suppress.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ */
/* Shared                                                               */
/* ------------------------------------------------------------------ */

static const char *day(pep_day d, char buf[11])
{
	if (d == PEP_NO_DAY)
		return NULL;
	pep_date_format(d, buf);
	return buf;
}

/* "£12,345.67" into buf (amounts are not negative). */
static const char *money(int64_t pence, char buf[48])
{
	char digits[24];
	if (pence < 0)
		pence = 0;
	snprintf(digits, sizeof digits, "%lld", (long long)(pence / 100));
	size_t len = strlen(digits), k = 0;
	k += (size_t)snprintf(buf, 48, "£");
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = digits[i];
	}
	snprintf(buf + k, 48 - k, ".%02d", (int)(pence % 100));
	return buf;
}

static const char *year_label(int year)
{
	return year > 0 ? pep_year_names[year] : NULL;
}

static const char *qa_name(int qa)
{
	return qa > 0 ? pep_qa_grade_names[qa] : NULL;
}

/* ------------------------------------------------------------------ */
/* Text                                                                 */
/* ------------------------------------------------------------------ */

/* Columns on a terminal: widths in characters (UTF-8 sequences, not
 * counting combining marks), values cut with "…" at a column's limit, and
 * shown as paths are (diag.h: a newline inside a name, a bidirectional
 * override, a byte that is not UTF-8 as '?'), so no value moves the rest. */
static size_t width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		/* U+0300-U+036F, combining diacritical marks: 0xcc 0x80 - 0xcd 0xaf */
		if (*p == 0xcc || (*p == 0xcd && p[1] < 0xb0))
			continue;
		w++;
	}
	return w;
}

typedef struct column {
	const char *head;
	size_t max;   /* the widest a value may be (0: no limit) */
	bool right;   /* numbers: aligned right */
	bool hidden;  /* left out */
	size_t w;     /* computed */
} column;

/* Writes s in a column of width w (cut at w). */
static void cell(pep_buf *b, const char *s, size_t w, bool right, bool last)
{
	if (!s)
		s = "";
	size_t sw = width(s);
	pep_buf line = PEP_BUF_INIT;
	if (sw > w) {
		/* Keep w - 1 characters and an ellipsis. */
		size_t kept = 0;
		const unsigned char *p = (const unsigned char *)s;
		while (*p) {
			size_t k = pep_utf8_seq(p);
			if (!k)
				k = 1;
			bool counts = !((*p == 0xcc) || (*p == 0xcd && p[1] < 0xb0));
			if (counts && kept == w - 1)
				break;
			kept += counts;
			pep_buf_add(&line, (const char *)p, k);
			p += k;
		}
		pep_buf_puts(&line, "…");
		sw = w;
	} else {
		pep_buf_puts(&line, s);
	}
	char *shown = pep_path_shown(pep_buf_str(&line));
	if (right)
		for (size_t i = sw; i < w; i++)
			pep_buf_putc(b, ' ');
	pep_buf_puts(b, shown);
	free(shown);
	if (!right && !last)
		for (size_t i = sw; i < w; i++)
			pep_buf_putc(b, ' ');
	if (!last)
		pep_buf_puts(b, "  ");
	pep_buf_free(&line);
}

/* A table: rows of cells (strings owned by the caller), printed with
 * column widths fitted to the values. */
static void table_write(FILE *out, column *cols, size_t ncols, const char *const *cells, size_t nrows)
{
	size_t last = 0;
	for (size_t c = 0; c < ncols; c++) {
		if (cols[c].hidden)
			continue;
		last = c;
		cols[c].w = width(cols[c].head);
		for (size_t r = 0; r < nrows; r++) {
			const char *s = cells[r * ncols + c];
			size_t w = s ? width(s) : 0;
			if (w > cols[c].w)
				cols[c].w = w;
		}
		if (cols[c].max && cols[c].w > cols[c].max)
			cols[c].w = cols[c].max;
	}
	pep_buf b = PEP_BUF_INIT;
	for (size_t r = 0; r <= nrows; r++) {
		pep_buf_clear(&b);
		for (size_t c = 0; c < ncols; c++)
			if (!cols[c].hidden)
				cell(&b, r == 0 ? cols[c].head : cells[(r - 1) * ncols + c], cols[c].w, cols[c].right, c == last);
		fprintf(out, "%s\n", pep_buf_str(&b));
	}
	pep_buf_free(&b);
}

/* Strings made for a table, freed together. */
typedef struct strings {
	char **v;
	size_t n, cap;
} strings;

static const char *keep(strings *s, char *owned)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = pep_xrealloc(s->v, s->cap * sizeof *s->v);
	}
	return s->v[s->n++] = owned;
}

static void strings_free(strings *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* The last meeting held and its kind, then what is under way: "2026-02-04
 * review; booked 2026-09-23", "2026-02-04 review; next in progress",
 * "none held; initial in progress" (caller frees). */
static char *last_meeting(const pep_child *ch)
{
	char d[11], b[11];
	pep_buf s = PEP_BUF_INIT;
	if (ch->last_meeting != PEP_NO_DAY)
		pep_buf_printf(&s, "%s%s%s", day(ch->last_meeting, d), ch->last_kind ? " " : "",
		               ch->last_kind ? ch->last_kind : "");
	else
		pep_buf_puts(&s, "none held");
	if (ch->booked != PEP_NO_DAY)
		pep_buf_printf(&s, "; booked %s", day(ch->booked, b));
	else if (ch->in_progress)
		pep_buf_printf(&s, "; %s in progress", ch->last_meeting != PEP_NO_DAY ? "next" : ch->kind);
	char *r = pep_xstrdup(pep_buf_str(&s));
	pep_buf_free(&s);
	return r;
}

static void text_children(FILE *out, const pep_caseload_report *r)
{
	bool names = r->opts.names;
	column cols[] = {
		{"STATUS", 0, false, false, 0},   {"DAYS", 0, true, false, 0},     {"NEXT DUE", 0, false, false, 0},
		{"BASIS", 0, false, false, 0},    {"LA", 16, false, false, 0},     {"CHILD", 32, false, false, 0},
		{"NAME", 28, false, false, 0},    {"YEAR", 0, false, false, 0},    {"SCHOOL", 36, false, false, 0},
		{"SOCIAL WORKER", 22, false, false, 0}, {"DESIGNATED TEACHER", 22, false, false, 0},
		{"LAST MEETING", 0, false, false, 0}, {"PEPS", 0, true, false, 0}, {"GRADE", 0, false, false, 0},
		{"E/W", 0, false, false, 0},      {"SIGN-OFF", 0, false, false, 0}, {"FILE", 0, false, false, 0},
	};
	enum { NCOLS = sizeof cols / sizeof cols[0] };
	const char **cells = pep_xcalloc(r->nchildren * NCOLS + 1, sizeof *cells);
	strings s = {0};
	char d[11];
	for (size_t i = 0; i < r->nchildren; i++) {
		const pep_child *ch = &r->children[i];
		const char **row = &cells[i * NCOLS];
		row[0] = pep_status_labels[ch->status];
		row[1] = ch->status == PEP_STATUS_NO_DATE ? "" : keep(&s, pep_xasprintf("%d", ch->days_left));
		row[2] = ch->next_due != PEP_NO_DAY ? keep(&s, pep_xstrdup(day(ch->next_due, d))) : "";
		row[3] = ch->rule ? keep(&s, pep_xasprintf("%s (%s)", ch->basis, ch->rule)) : ch->basis;
		row[4] = ch->la;
		row[5] = ch->id && ch->id_la && ch->la && strcmp(ch->id_la, ch->la) != 0
		             ? keep(&s, pep_xasprintf("%s (%s)", ch->id, ch->id_la))
		         : ch->id  ? ch->id
		         : ch->upn ? keep(&s, pep_xasprintf("UPN %s", ch->upn))
		                   : "(no id)";
		row[6] = ch->name;
		row[7] = year_label(ch->year);
		row[8] = ch->school_name && ch->school_urn ? keep(&s, pep_xasprintf("%s (%s)", ch->school_name, ch->school_urn))
		                                           : ch->school_name ? ch->school_name : ch->school_urn;
		row[9] = ch->social_worker;
		row[10] = ch->designated_teacher;
		row[11] = keep(&s, last_meeting(ch));
		row[12] = keep(&s, pep_xasprintf("%zu", ch->peps));
		row[13] = ch->grade;
		row[14] = keep(&s, pep_xasprintf("%zu/%zu", ch->errors, ch->warnings));
		row[15] = ch->signoff_late ? "late" : "";
		row[16] = ch->file;
	}
	cols[6].hidden = !names; /* NAME only with --names */
	table_write(out, cols, NCOLS, cells, r->nchildren);
	strings_free(&s);
	free(cells);
}

/* A count, or "[c]" when suppressed. */
static const char *count(strings *s, size_t v, bool hide)
{
	return hide ? "[c]" : keep(s, pep_xasprintf("%zu", v));
}

static void text_terms(FILE *out, const pep_caseload_report *r)
{
	bool grouped = r->opts.by != PEP_BY_NONE;
	column cols[] = {
		{"TERM", 0, false, false, 0},    {"", 40, false, false, 0},      {"CHILDREN", 0, true, false, 0},
		{"NO PEP", 0, true, false, 0},   {"PEPS", 0, true, false, 0},    {"IN TIME", 0, true, false, 0},
		{"SIGNED IN TIME", 0, true, false, 0}, {"RED", 0, true, false, 0}, {"AMBER", 0, true, false, 0},
		{"GREEN", 0, true, false, 0},    {"PP+ REQUESTS", 0, true, false, 0}, {"PP+ REQUESTED", 0, true, false, 0},
	};
	enum { NCOLS = sizeof cols / sizeof cols[0] };
	cols[1].head = grouped ? pep_breakdown_headings[r->opts.by] : "";
	size_t nrows = 0;
	for (size_t t = 0; t < r->nterms; t++)
		nrows += r->terms[t].nrows;
	const char **cells = pep_xcalloc(nrows * NCOLS + 1, sizeof *cells);
	strings s = {0};
	size_t i = 0;
	for (size_t t = 0; t < r->nterms; t++) {
		const pep_term *term = &r->terms[t];
		/* The whole caseload first, then its groups. */
		for (size_t k = 0; k < term->nrows; k++) {
			const pep_term_row *row = &term->rows[k == 0 ? term->nrows - 1 : k - 1];
			const char **c = &cells[i++ * NCOLS];
			c[0] = k == 0 ? term->label : "";
			c[1] = row->group ? row->group : grouped ? "all" : "";
			for (int f = 0; f < PEP_TF_COUNT; f++)
				c[2 + f] = count(&s, row->v[f], row->hide[f]);
			char m[48];
			c[11] = row->hide[PEP_TF_PP_REQUESTS] ? "[c]" : keep(&s, pep_xstrdup(money(row->pp_pence, m)));
		}
	}
	cols[1].hidden = !grouped;
	table_write(out, cols, NCOLS, cells, nrows);
	strings_free(&s);
	free(cells);
}

static void text_cohort(FILE *out, const pep_caseload_report *r)
{
	for (int f = 0; f < PEP_CF_COUNT; f++) {
		int of = pep_cohort_figure_of[f];
		if (r->cohort_hide[f])
			fprintf(out, "  %-58s [c]\n", pep_cohort_figure_labels[f]);
		else if (of >= 0 && !r->cohort_hide[of] && r->cohort[of])
			fprintf(out, "  %-58s %zu (%.1f %%)\n", pep_cohort_figure_labels[f], r->cohort[f],
			        100.0 * (double)r->cohort[f] / (double)r->cohort[of]);
		else
			fprintf(out, "  %-58s %zu\n", pep_cohort_figure_labels[f], r->cohort[f]);
	}
	char m[48];
	fprintf(out, "  %-58s %s\n", "PP+ requested in current PEPs",
	        r->cohort_hide[PEP_CF_PP_REQUESTS] ? "[c]" : money(r->pp_pence, m));
}

/* Text in lines of at most 100 columns, the first starting with `first`,
 * the others indented to match it. */
static void wrapped(FILE *out, const char *first, const char *text)
{
	size_t indent = width(first), col = indent;
	fputs(first, out);
	const char *p = text;
	while (*p) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (col > indent && col + 1 + len > 100) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, len, out);
		col += len;
		p += len;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

/* What the termly figures count (rule ids from the rule list, limits from
 * the LA profiles). */
static void terms_note(FILE *out, const pep_caseload_report *r)
{
	char *note = pep_xasprintf("Terms are those of each school's calendar. In time: an initial PEP within the days its LA "
	                       "allows after becoming looked after (%s-%s), a review within its LA's limit after the "
	                       "meeting before it (%s: %s). Signed in time: every section marked complete within its LA's "
	                       "limit after the meeting (%s where the LA applies it: %s). Figures come from the PEPs read.",
	                       pep_rules[PEP_RULE_T01].id, pep_rules[PEP_RULE_T04].id, pep_rules[PEP_RULE_T05].id,
	                       r->review_limits, pep_rules[PEP_RULE_T09].id, r->signoff_limits);
	wrapped(out, "", note);
	free(note);
}

void pep_caseload_write_text(FILE *out, const pep_caseload_report *r)
{
	char d[11];
	const size_t *v = r->cohort;
	if (r->opts.names)
		fputs("OFFICIAL-SENSITIVE: this report names children; keep it as your LA keeps case records.\n", out);
	if (r->opts.summary) {
		fprintf(out, "PEP caseload figures as of %s (aggregates only; [c] = suppressed)\n", day(r->opts.as_of, d));
		text_cohort(out, r);
	} else {
		fprintf(out, "PEP caseload as of %s: %zu child%s, from %zu PEP%s in %zu file%s", day(r->opts.as_of, d),
		        r->nchildren, r->nchildren == 1 ? "" : "ren", r->peps, r->peps == 1 ? "" : "s", r->files,
		        r->files == 1 ? "" : "s");
		if (r->nunread)
			fprintf(out, " (%zu not read: listed at the end)", r->nunread);
		fprintf(out, "\n%zu overdue, %zu due within %d days, %zu not due yet, %zu without a date; "
		             "%zu current PEP%s not signed off within the LA's limit (%s)\n\n",
		        v[PEP_CF_OVERDUE], v[PEP_CF_DUE_SOON], r->opts.within, v[PEP_CF_OK], v[PEP_CF_NO_DATE],
		        v[PEP_CF_SIGNOFF_LATE], v[PEP_CF_SIGNOFF_LATE] == 1 ? "" : "s", pep_rules[PEP_RULE_T09].id);
		if (r->nchildren)
			text_children(out, r);
	}
	fprintf(out, "\nTermly figures (PEP meetings held, by term; [c] = suppressed)\n");
	text_terms(out, r);
	terms_note(out, r);
	if (r->terms_by_months)
		wrapped(out, "", "Where no calendar covers a date, its term is taken from the months (Sep-Dec, Jan-Mar, Apr-Aug).");
	wrapped(out, "[c] ", pep_suppress_rule);
	if (r->nunread && r->opts.summary) {
		/* File names often hold a child's name: a count, not a list. */
		fprintf(out, "\n%zu file%s could not be read as %s and %s left out; 'pep check' on the same folders "
		             "lists %s.\n",
		        r->nunread, r->nunread == 1 ? "" : "s", r->nunread == 1 ? "a PEP" : "PEPs", r->nunread == 1 ? "is" : "are",
		        r->nunread == 1 ? "it" : "them");
	} else if (r->nunread) {
		fprintf(out, "\nNot read as PEPs (%zu): 'pep validate FILE' says why\n", r->nunread);
		for (size_t i = 0; i < r->nunread; i++) {
			fputs("  ", out);
			pep_put_path(out, r->unread[i].file);
			fprintf(out, " [%s]\n", r->unread[i].rule);
		}
	}
}

/* ------------------------------------------------------------------ */
/* JSON                                                                 */
/* ------------------------------------------------------------------ */

static void kv_day(pep_jw *w, const char *key, pep_day v)
{
	char d[11];
	pep_jw_kv_string(w, key, day(v, d));
}

static void kv_count(pep_jw *w, const char *key, size_t v, bool hide)
{
	if (hide)
		pep_jw_kv_null(w, key);
	else
		pep_jw_kv_int(w, key, (long long)v);
}

static void json_child(pep_jw *w, const pep_child *ch, bool names)
{
	pep_jw_object_begin(w);
	pep_jw_kv_string(w, "la", ch->la);
	pep_jw_kv_string(w, "child", ch->id);
	pep_jw_kv_string(w, "child_la", ch->id_la);
	pep_jw_kv_string(w, "upn", ch->upn);
	pep_jw_kv_bool(w, "identified", ch->identified);
	if (names)
		pep_jw_kv_string(w, "name", ch->name);
	if (ch->school_name || ch->school_urn) {
		pep_jw_kv_object_begin(w, "school");
		pep_jw_kv_string(w, "urn", ch->school_urn);
		pep_jw_kv_string(w, "name", ch->school_name);
		pep_jw_end(w);
	} else {
		pep_jw_kv_null(w, "school");
	}
	pep_jw_kv_string(w, "year_group", year_label(ch->year));
	pep_jw_kv_string(w, "social_worker", ch->social_worker);
	pep_jw_kv_string(w, "designated_teacher", ch->designated_teacher);
	pep_jw_kv_object_begin(w, "current");
	pep_jw_kv_string(w, "file", ch->file);
	pep_jw_kv_string(w, "kind", *ch->kind ? ch->kind : NULL);
	kv_day(w, "meeting", ch->meeting);
	pep_jw_kv_string(w, "grade", ch->grade);
	pep_jw_kv_int(w, "errors", (long long)ch->errors);
	pep_jw_kv_int(w, "warnings", (long long)ch->warnings);
	pep_jw_kv_string(w, "qa", qa_name(ch->qa));
	pep_jw_end(w);
	if (ch->last_meeting != PEP_NO_DAY) {
		pep_jw_kv_object_begin(w, "last_meeting");
		kv_day(w, "date", ch->last_meeting);
		pep_jw_kv_string(w, "kind", ch->last_kind);
		pep_jw_end(w);
	} else {
		pep_jw_kv_null(w, "last_meeting");
	}
	pep_jw_kv_int(w, "peps", (long long)ch->peps);
	kv_day(w, "next_due", ch->next_due);
	pep_jw_kv_string(w, "basis", *ch->basis ? ch->basis : NULL);
	pep_jw_kv_string(w, "rule", ch->rule);
	if (ch->status == PEP_STATUS_NO_DATE)
		pep_jw_kv_null(w, "days_left");
	else
		pep_jw_kv_int(w, "days_left", ch->days_left);
	pep_jw_kv_string(w, "status", pep_status_names[ch->status]);
	kv_day(w, "no_calendar_for", ch->no_calendar);
	pep_jw_kv_object_begin(w, "signoff");
	kv_day(w, "due", ch->signoff_due);
	kv_day(w, "done", ch->signed_off);
	pep_jw_kv_bool(w, "late", ch->signoff_late);
	pep_jw_end(w);
	pep_jw_end(w);
}

static void json_term_row(pep_jw *w, const pep_term_row *row)
{
	for (int f = 0; f < PEP_TF_COUNT; f++)
		kv_count(w, pep_term_figure_keys[f], row->v[f], row->hide[f]);
	if (row->hide[PEP_TF_PP_REQUESTS])
		pep_jw_kv_null(w, "pp_pence");
	else
		pep_jw_kv_int(w, "pp_pence", row->pp_pence);
	pep_jw_kv_array_begin(w, "suppressed");
	for (int f = 0; f < PEP_TF_COUNT; f++)
		if (row->hide[f])
			pep_jw_string(w, pep_term_figure_keys[f]);
	pep_jw_end(w);
}

void pep_caseload_write_json(FILE *out, const pep_caseload_report *r)
{
	pep_jw w;
	pep_jw_init_file(&w, out, PEP_JW_LINES);
	pep_jw_object_begin(&w);
	kv_day(&w, "as_of", r->opts.as_of);
	if (r->opts.names)
		pep_jw_kv_string(&w, "marking", "OFFICIAL-SENSITIVE");
	pep_jw_kv_int(&w, "due_within", r->opts.within);
	if (!r->opts.summary) {
		pep_jw_kv_array_begin(&w, "children");
		for (size_t i = 0; i < r->nchildren; i++)
			json_child(&w, &r->children[i], r->opts.names);
		pep_jw_end(&w);
	}
	pep_jw_kv_string(&w, "by", r->opts.by == PEP_BY_NONE ? NULL : pep_breakdown_names[r->opts.by]);
	pep_jw_kv_array_begin(&w, "terms");
	for (size_t t = 0; t < r->nterms; t++) {
		const pep_term *term = &r->terms[t];
		pep_jw_object_begin(&w);
		pep_jw_kv_string(&w, "term", term->label);
		json_term_row(&w, &term->rows[term->nrows - 1]);
		if (r->opts.by != PEP_BY_NONE) {
			pep_jw_kv_array_begin(&w, "groups");
			for (size_t g = 0; g + 1 < term->nrows; g++) {
				pep_jw_object_begin(&w);
				pep_jw_kv_string(&w, "group", term->rows[g].group);
				json_term_row(&w, &term->rows[g]);
				pep_jw_end(&w);
			}
			pep_jw_end(&w);
		}
		pep_jw_end(&w);
	}
	pep_jw_end(&w);
	pep_jw_kv_bool(&w, "terms_by_months", r->terms_by_months);
	pep_jw_kv_object_begin(&w, "summary");
	for (int f = 0; f < PEP_CF_COUNT; f++)
		kv_count(&w, pep_cohort_figure_keys[f], r->cohort[f], r->cohort_hide[f]);
	if (r->cohort_hide[PEP_CF_PP_REQUESTS])
		pep_jw_kv_null(&w, "pp_pence");
	else
		pep_jw_kv_int(&w, "pp_pence", r->pp_pence);
	pep_jw_kv_int(&w, "files", (long long)r->files);
	pep_jw_kv_int(&w, "unreadable", (long long)r->nunread);
	pep_jw_kv_array_begin(&w, "suppressed");
	for (int f = 0; f < PEP_CF_COUNT; f++)
		if (r->cohort_hide[f])
			pep_jw_string(&w, pep_cohort_figure_keys[f]);
	pep_jw_end(&w);
	pep_jw_end(&w);
	/* The QA grades of the current PEPs by school (the dashboard's chart). */
	static const char *const school_keys[4] = {"children", "red", "amber", "green"};
	pep_jw_kv_array_begin(&w, "schools");
	for (size_t i = 0; i < r->nschools; i++) {
		const pep_school_rag *sc = &r->schools[i];
		pep_jw_object_begin(&w);
		pep_jw_kv_string(&w, "school", sc->school);
		for (int k = 0; k < 4; k++)
			kv_count(&w, school_keys[k], sc->v[k], sc->hide[k]);
		pep_jw_kv_array_begin(&w, "suppressed");
		for (int k = 0; k < 4; k++)
			if (sc->hide[k])
				pep_jw_string(&w, school_keys[k]);
		pep_jw_end(&w);
		pep_jw_end(&w);
	}
	pep_jw_end(&w);
	if (!r->opts.summary) { /* file names often hold a child's name: summary.unreadable counts them */
		pep_jw_kv_array_begin(&w, "not_read");
		for (size_t i = 0; i < r->nunread; i++) {
			pep_jw_object_begin(&w);
			pep_jw_kv_string(&w, "file", r->unread[i].file);
			pep_jw_kv_string(&w, "rule", r->unread[i].rule);
			pep_jw_end(&w);
		}
		pep_jw_end(&w);
	}
	pep_jw_kv_string(&w, "suppression", pep_suppress_rule);
	pep_jw_end(&w);
	fputc('\n', out);
}

/* ------------------------------------------------------------------ */
/* CSV                                                                  */
/* ------------------------------------------------------------------ */

static void csv_row(FILE *out, const char *const *v, size_t n, bool excel)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		pep_csv_field(out, v[i], excel);
	}
	fputs("\r\n", out);
}

/* One row per child. */
static void csv_children(FILE *out, const pep_caseload_report *r, bool excel)
{
	static const char *const head[] = {
		"la", "child", "child_la", "upn", "name", "school_urn", "school_name", "year_group", "social_worker",
		"designated_teacher", "file", "kind", "meeting", "last_meeting", "last_meeting_kind", "grade", "errors",
		"warnings", "qa", "peps", "next_due",
		"basis", "rule", "days_left", "status", "signoff_due", "signed_off", "signoff_late", "marking",
	};
	enum { N = sizeof head / sizeof head[0] };
	const char *v[N];
	bool names = r->opts.names;
	/* Without --names there is no name column and no marking. */
	size_t cols = 0;
	for (size_t i = 0; i < N; i++)
		if (names || (strcmp(head[i], "name") != 0 && strcmp(head[i], "marking") != 0))
			v[cols++] = head[i];
	csv_row(out, v, cols, excel);
	for (size_t i = 0; i < r->nchildren; i++) {
		const pep_child *ch = &r->children[i];
		char meeting[11], last[11], due[11], sdue[11], sdone[11], e[24], wn[24], p[24], left[24];
		snprintf(e, sizeof e, "%zu", ch->errors);
		snprintf(wn, sizeof wn, "%zu", ch->warnings);
		snprintf(p, sizeof p, "%zu", ch->peps);
		snprintf(left, sizeof left, "%d", ch->days_left);
		const char *all[N] = {
			ch->la, ch->id, ch->id_la, ch->upn, ch->name, ch->school_urn, ch->school_name, year_label(ch->year),
			ch->social_worker, ch->designated_teacher, ch->file, ch->kind, day(ch->meeting, meeting),
			day(ch->last_meeting, last), ch->last_kind, ch->grade, e, wn,
			qa_name(ch->qa), p, day(ch->next_due, due), ch->basis, ch->rule,
			ch->status == PEP_STATUS_NO_DATE ? "" : left, pep_status_names[ch->status], day(ch->signoff_due, sdue),
			day(ch->signed_off, sdone), ch->signoff_late ? "yes" : "no", "OFFICIAL-SENSITIVE",
		};
		cols = 0;
		for (size_t k = 0; k < N; k++)
			if (names || (strcmp(head[k], "name") != 0 && strcmp(head[k], "marking") != 0))
				v[cols++] = all[k];
		csv_row(out, v, cols, excel);
	}
}

/* The figures, one row each (for --summary): table, term, group, figure,
 * label, value, note. */
static void csv_figure(FILE *out, const char *table, const char *term, const char *group, const char *key,
                       const char *label, long long value, bool hide, bool excel)
{
	char n[32];
	snprintf(n, sizeof n, "%lld", value);
	const char *v[] = {table, term, group, key, label, hide ? "" : n, hide ? "suppressed" : ""};
	csv_row(out, v, sizeof v / sizeof v[0], excel);
}

static void csv_figures(FILE *out, const pep_caseload_report *r, bool excel)
{
	static const char *const head[] = {"table", "term", "group", "figure", "label", "value", "note"};
	csv_row(out, head, sizeof head / sizeof head[0], excel);
	for (int f = 0; f < PEP_CF_COUNT; f++)
		csv_figure(out, "cohort", "", "", pep_cohort_figure_keys[f], pep_cohort_figure_labels[f], (long long)r->cohort[f],
		           r->cohort_hide[f], excel);
	csv_figure(out, "cohort", "", "", "pp_pence", "PP+ requested in current PEPs (pence)", r->pp_pence,
	           r->cohort_hide[PEP_CF_PP_REQUESTS], excel);
	csv_figure(out, "files", "", "", "unreadable", "files not read as PEPs, left out ('pep check' lists them)",
	           (long long)r->nunread, false, excel);
	for (size_t t = 0; t < r->nterms; t++) {
		const pep_term *term = &r->terms[t];
		for (size_t k = 0; k < term->nrows; k++) {
			const pep_term_row *row = &term->rows[k == 0 ? term->nrows - 1 : k - 1];
			const char *g = row->group ? row->group : "all";
			for (int f = 0; f < PEP_TF_COUNT; f++)
				csv_figure(out, "terms", term->label, g, pep_term_figure_keys[f], pep_term_figure_labels[f],
				           (long long)row->v[f], row->hide[f], excel);
			csv_figure(out, "terms", term->label, g, "pp_pence", "PP+ requested (pence)", row->pp_pence,
			           row->hide[PEP_TF_PP_REQUESTS], excel);
		}
	}
	const char *note[] = {"note", "", "", "suppression", pep_suppress_rule, "", ""};
	csv_row(out, note, sizeof note / sizeof note[0], excel);
}

void pep_caseload_write_csv(FILE *out, const pep_caseload_report *r, bool excel)
{
	if (excel)
		fputs("\xef\xbb\xbf", out);
	if (r->opts.summary)
		csv_figures(out, r, excel);
	else
		csv_children(out, r, excel);
}
