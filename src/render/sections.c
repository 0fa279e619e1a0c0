/* sections.c: a PEP's document, section by section (see sections.h). */
#include "sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "format.h"
#include "strbuf.h"
#include "xalloc.h"

/* ------------------------------------------------------------------ */
/* Formatting values                                                    */
/* ------------------------------------------------------------------ */

static bool has_text(pep_text t)
{
	return !pep_text_blank(t);
}

static bool blank_str(const char *s)
{
	return !s || pep_text_blank((pep_text){s, 0});
}

/* "30 January 2026", or NULL when there is no date. */
static const char *fmt_date(pep_datef d, char buf[32])
{
	if (d.d == PEP_NO_DAY)
		return NULL;
	pep_date_format_long(d.d, buf);
	return buf;
}

/* A decimal held in hundredths, with no more decimals than it needs. */
static const char *fmt_centi(pep_numf v, char buf[32])
{
	if (!v.set)
		return NULL;
	long long i = (long long)(v.v / 100), f = (long long)(v.v % 100);
	if (f == 0)
		snprintf(buf, 32, "%lld", i);
	else if (f % 10 == 0)
		snprintf(buf, 32, "%lld.%lld", i, f / 10);
	else
		snprintf(buf, 32, "%lld.%02lld", i, f);
	return buf;
}

static const char *fmt_int(pep_numf v, char buf[32])
{
	if (!v.set)
		return NULL;
	snprintf(buf, 32, "%lld", (long long)v.v);
	return buf;
}

static const char *fmt_time(pep_timef t, char buf[32])
{
	if (t.min < 0)
		return NULL;
	snprintf(buf, 32, "%02d:%02d", t.min / 60 % 100, t.min % 60);
	return buf;
}

static const char *label(const char *const *labels, pep_enumf e)
{
	const char *s = pep_enum_label(labels, e.v);
	return *s ? s : NULL;
}

/* Joins "name (role)" and similar; NULL when both are blank. */
static const char *join2(pep_buf *buf, pep_text a, const char *open, pep_text c, const char *close)
{
	pep_buf_clear(buf);
	if (has_text(a))
		pep_buf_puts(buf, a.s);
	if (has_text(c)) {
		pep_buf_puts(buf, buf->len ? open : "");
		pep_buf_puts(buf, c.s);
		pep_buf_puts(buf, buf->len > strlen(c.s) ? close : "");
	}
	return buf->len ? pep_buf_str(buf) : NULL;
}

/* ------------------------------------------------------------------ */
/* Values that must not be broken                                       */
/* ------------------------------------------------------------------ */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_alpha(char c)
{
	return is_upper(c) || (c >= 'a' && c <= 'z');
}

/* At a word start: the length of a phone number written in groups
 * ("01632 960147", "+44 1632 960147", "0800-123-4567"): 10 to 13 digits,
 * groups separated by one space or hyphen. 0 when there is none. */
static size_t phone_at(const char *s)
{
	size_t i = 0, digits = 0, seps = 0;
	if (s[0] == '+')
		i++;
	if (!is_digit(s[i]))
		return 0;
	size_t end = 0;
	while (s[i]) {
		if (is_digit(s[i])) {
			digits++;
			i++;
			end = i;
		} else if ((s[i] == ' ' || s[i] == '-') && is_digit(s[i + 1]) && is_digit(s[i - 1])) {
			seps++;
			i++;
		} else {
			break;
		}
	}
	if (is_alpha(s[end]) || digits < 10 || digits > 13 || seps == 0)
		return 0;
	return end;
}

/* A UK postcode ("ME14 1XQ", "SE1 2QH"): 0 when there is none. */
static size_t postcode_at(const char *s)
{
	size_t i = 0;
	if (!is_upper(s[i]))
		return 0;
	i++;
	if (is_upper(s[i]))
		i++;
	if (!is_digit(s[i]))
		return 0;
	i++;
	if (is_upper(s[i]) || is_digit(s[i]))
		i++;
	if (s[i] != ' ' || !is_digit(s[i + 1]) || !is_upper(s[i + 2]) || !is_upper(s[i + 3]))
		return 0;
	i += 4;
	return is_alpha(s[i]) || is_digit(s[i]) ? 0 : i;
}

static const char *const month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};

/* A date written out ("3 March 2026", "3 March", "March 2026"): 0 when
 * there is none. */
static size_t date_at(const char *s)
{
	size_t i = 0;
	bool day = false;
	if (is_digit(s[0])) {
		i = is_digit(s[1]) ? 2 : 1;
		if (s[i] != ' ')
			return 0;
		i++;
		day = true;
	}
	size_t m;
	for (m = 0; m < 12; m++) {
		size_t n = strlen(month_names[m]);
		if (strncmp(s + i, month_names[m], n) == 0 && !is_alpha(s[i + n]))
			break;
	}
	if (m == 12)
		return 0;
	i += strlen(month_names[m]);
	if (s[i] == ' ' && is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3]) && is_digit(s[i + 4]) &&
	    !is_digit(s[i + 5]))
		return i + 5;
	return day ? i : 0;
}

/* A date written YYYY-MM-DD: 0 when there is none. */
static size_t iso_date_at(const char *s)
{
	for (size_t i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !is_digit(s[i]))
			return 0;
	return is_digit(s[10]) || is_alpha(s[10]) ? 0 : 10;
}

/* ------------------------------------------------------------------ */
/* Rich text under construction                                         */
/* ------------------------------------------------------------------ */

typedef struct rich {
	pep_span *v;
	size_t n, cap;
} rich;

typedef struct builder {
	pep_document *doc;
	const pep_model *m;
	const pep_sections_options *o;
	const pep_diags *d;
	bool form;        /* a paper form: empty fields get room to write in */
	bool child;       /* the child's copy */
	bool kv_open;     /* the last block is a label/value table still taking rows */
	pep_arena *tmp;   /* span texts, until the document copies them */
	rich cells[6];    /* the cells of the row being built */
} builder;

static void rich_add(builder *b, rich *r, pep_font f, unsigned flags, const char *s, size_t n)
{
	if (!s || !n)
		return;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->v = pep_xrealloc(r->v, r->cap * sizeof *r->v);
	}
	r->v[r->n++] = (pep_span){f, flags, pep_arena_strndup(b->tmp, s, n)};
}

/* Appends a value, marking the phone numbers, postcodes and dates inside
 * it as indivisible. */
static void rich_value(builder *b, rich *r, pep_font f, const char *s)
{
	if (!s)
		return;
	const char *run = s;
	for (const char *p = s; *p;) {
		bool word_start = p == s || p[-1] == ' ' || p[-1] == '(' || p[-1] == '\n' || p[-1] == '\t';
		size_t k = 0;
		if (word_start && (k = phone_at(p)) == 0 && (k = postcode_at(p)) == 0 && (k = iso_date_at(p)) == 0)
			k = date_at(p);
		if (k) {
			rich_add(b, r, f, 0, run, (size_t)(p - run));
			rich_add(b, r, f, PEP_SPAN_KEEP, p, k);
			p += k;
			run = p;
		} else {
			p++;
		}
	}
	rich_add(b, r, f, 0, run, strlen(run));
}

static void rich_str(builder *b, rich *r, pep_font f, unsigned flags, const char *s)
{
	if (s)
		rich_add(b, r, f, flags, s, strlen(s));
}

/* A new line of a rich cell: "Label: value"; nothing when value is blank. */
static void rich_line(builder *b, rich *r, const char *lab, const char *value, unsigned flags)
{
	if (blank_str(value))
		return;
	if (r->n)
		rich_str(b, r, PEP_FONT_REGULAR, 0, "\n");
	rich_str(b, r, PEP_FONT_BOLD, 0, lab);
	if (flags)
		rich_str(b, r, PEP_FONT_REGULAR, flags, value);
	else
		rich_value(b, r, PEP_FONT_REGULAR, value);
}

/* ------------------------------------------------------------------ */
/* Blocks                                                               */
/* ------------------------------------------------------------------ */

static void kv_end(builder *b)
{
	b->kv_open = false;
}

static void kv_row(builder *b, const char *lab, const rich *value, int lines)
{
	if (!b->kv_open) {
		pep_document_table(b->doc, true, 2, NULL);
		b->kv_open = true;
	}
	pep_span l = {PEP_FONT_BOLD, 0, lab};
	pep_cell cells[2] = {{{&l, 1}, 0}, {{value ? value->v : NULL, value ? value->n : 0}, lines}};
	pep_document_row(b->doc, cells);
}

/* A label/value row with value as written, or with flags (PEP_SPAN_KEEP
 * for a value that must not be broken). Blank: nothing, or on a form an
 * empty line to write on. */
static void kv_flags(builder *b, const char *lab, const char *value, unsigned flags)
{
	rich *r = &b->cells[0];
	r->n = 0;
	if (blank_str(value)) {
		if (b->form)
			kv_row(b, lab, NULL, 1);
		return;
	}
	if (flags)
		rich_str(b, r, PEP_FONT_REGULAR, flags, value);
	else
		rich_value(b, r, PEP_FONT_REGULAR, value);
	kv_row(b, lab, r, 0);
}

static void kv(builder *b, const char *lab, const char *value)
{
	kv_flags(b, lab, value, 0);
}

static void kv_text(builder *b, const char *lab, pep_text t)
{
	kv(b, lab, t.s);
}

/* Identifiers, phone numbers, email addresses: never broken. */
static void kv_keep(builder *b, const char *lab, pep_text t)
{
	kv_flags(b, lab, t.s, PEP_SPAN_KEEP);
}

static void kv_date(builder *b, const char *lab, pep_datef d)
{
	char buf[32];
	kv_flags(b, lab, fmt_date(d, buf), PEP_SPAN_KEEP);
}

/* A closed list: its label; on a form, a blank one shows the choices to
 * circle when they are few and short. */
static void kv_enum(builder *b, const char *lab, const char *const *labels, pep_enumf e)
{
	const char *v = label(labels, e);
	if (v || !b->form) {
		kv(b, lab, v);
		return;
	}
	size_t n = 0, len = 0;
	for (size_t i = 1; labels[i]; i++, n++)
		len += strlen(labels[i]) + 3;
	if (n > 6 || len > 90) {
		kv_row(b, lab, NULL, 1);
		return;
	}
	rich *r = &b->cells[0];
	r->n = 0;
	for (size_t i = 1; labels[i]; i++) {
		if (i > 1)
			rich_str(b, r, PEP_FONT_REGULAR, PEP_SPAN_HINT, "  /  ");
		rich_str(b, r, PEP_FONT_REGULAR, PEP_SPAN_HINT, labels[i]);
	}
	kv_row(b, lab, r, 0);
}

/* A free-text field: its label, then the text as written. On a form an
 * empty one gets `lines` ruled lines. */
static void field(builder *b, const char *lab, pep_text t, int lines)
{
	kv_end(b);
	rich *r = &b->cells[0];
	r->n = 0;
	if (has_text(t))
		rich_value(b, r, PEP_FONT_REGULAR, t.s);
	pep_document_field(b->doc, lab, r->v, r->n, b->form ? lines : 0);
}

static void subheading(builder *b, const char *text)
{
	kv_end(b);
	pep_document_subheading(b->doc, text);
}

static void heading(builder *b, const char *text)
{
	kv_end(b);
	pep_document_heading(b->doc, text);
}

static void paragraph(builder *b, const char *text)
{
	kv_end(b);
	pep_span sp = {PEP_FONT_REGULAR, 0, text};
	pep_document_paragraph(b->doc, &sp, 1);
}

/* A table with a header row; keys: a bit per column that identifies a row
 * (repeated when a row runs onto a new page); room: the share of the width
 * each column's empty cells need on a paper form. */
static void table(builder *b, size_t n, const char *const *headers, unsigned keys, const double *room)
{
	kv_end(b);
	pep_column cols[6];
	for (size_t i = 0; i < n && i < 6; i++)
		cols[i] = (pep_column){headers[i], (keys >> i) & 1, room[i]};
	pep_document_table(b->doc, false, n, cols);
}

/* A row from b->cells[0..n); on a form an empty cell is room to write. */
static void row_rich(builder *b, size_t n)
{
	pep_cell c[6];
	for (size_t i = 0; i < n && i < 6; i++)
		c[i] = (pep_cell){{b->cells[i].v, b->cells[i].n}, b->form && b->cells[i].n == 0 ? 2 : 0};
	pep_document_row(b->doc, c);
}

/* A row of plain values (NULL for none); keep: a bit per column whose
 * value must not be broken. */
static void row(builder *b, size_t n, const char *const *vals, unsigned keep)
{
	for (size_t i = 0; i < n && i < 6; i++) {
		b->cells[i].n = 0;
		if (blank_str(vals[i]))
			continue;
		if ((keep >> i) & 1)
			rich_str(b, &b->cells[i], PEP_FONT_REGULAR, PEP_SPAN_KEEP, vals[i]);
		else
			rich_value(b, &b->cells[i], PEP_FONT_REGULAR, vals[i]);
	}
	row_rich(b, n);
}

/* On a form, blank rows up to `want` rows in all. */
static void form_rows(builder *b, size_t n, size_t have, size_t want)
{
	if (!b->form)
		return;
	for (size_t i = 0; i < n; i++)
		b->cells[i].n = 0;
	for (; have < want; have++)
		row_rich(b, n);
}

/* ------------------------------------------------------------------ */
/* The title block                                                      */
/* ------------------------------------------------------------------ */

/* The diagnostics that keep the PEP from being signed off. */
static bool failing(const pep_diag *g, bool strict)
{
	return g->severity == PEP_ERROR || (strict && g->severity == PEP_WARNING);
}

size_t pep_sections_failures(const pep_diags *d, bool strict)
{
	size_t n = 0;
	for (size_t i = 0; d && i < pep_diags_count(d); i++)
		n += failing(pep_diags_at(d, i), strict);
	return n;
}

/* The child's full name in the family's order, or the preferred name. */
static bool child_name(const pep_model *m, pep_buf *out)
{
	if (pep_name_full(&m->a.personal.legal_name, out))
		return true;
	if (has_text(m->a.personal.preferred_name)) {
		pep_buf_puts(out, m->a.personal.preferred_name.s);
		return true;
	}
	return false;
}

static void failing_rules(builder *b)
{
	size_t nfail = pep_sections_failures(b->d, b->o->strict);
	if (!nfail)
		return;
	pep_buf msg = PEP_BUF_INIT, item = PEP_BUF_INIT;
	pep_buf_printf(&msg, "This PEP does not meet %zu of the rules it was checked against, so it cannot be signed "
	                     "off as it is. Fix these and render it again:",
	               nfail);
	char head[64];
	snprintf(head, sizeof head, "NOT SIGNED OFF — %zu error%s. ", nfail, nfail == 1 ? "" : "s");
	pep_span sp[2] = {{PEP_FONT_BOLD, 0, head}, {PEP_FONT_REGULAR, 0, pep_buf_str(&msg)}};
	pep_document_notice(b->doc, PEP_TONE_ERROR, sp, 2);
	/* one item a rule */
	size_t shown = 0;
	for (size_t i = 0; i < pep_diags_count(b->d); i++) {
		const pep_diag *g = pep_diags_at(b->d, i);
		if (!failing(g, b->o->strict))
			continue;
		pep_buf_clear(&item);
		if (shown == 25)
			pep_buf_printf(&item, "and %zu more: run pep validate on the file to see them all", nfail - shown);
		else
			pep_buf_printf(&item, "[%s] %s", g->rule, g->message);
		pep_document_item(b->doc, &(pep_span){PEP_FONT_REGULAR, 0, pep_buf_str(&item)}, 1);
		if (shown++ == 25)
			break;
	}
	pep_buf_free(&msg);
	pep_buf_free(&item);
}

static void build_title(builder *b)
{
	const pep_model *m = b->m;
	pep_buf name = PEP_BUF_INIT, tmp = PEP_BUF_INIT;
	char d1[32];
	pep_buf_printf(&tmp, "%s", label(pep_kind_labels, m->header.kind) ? label(pep_kind_labels, m->header.kind) : "PEP");
	if (has_text(m->header.la.name))
		pep_buf_printf(&tmp, " — %s", m->header.la.name.s);
	pep_document_title(b->doc, "Personal Education Plan", pep_buf_str(&tmp));

	if (child_name(m, &name) && has_text(m->a.personal.preferred_name))
		pep_buf_printf(&name, " (known as %s)", m->a.personal.preferred_name.s);
	kv(b, "Child or young person", name.len ? pep_buf_str(&name) : NULL);
	kv_date(b, "Date of birth", m->a.personal.dob);
	kv_keep(b, "LA child ID", m->a.personal.la_child_id);
	if (pep_model_has_school(m))
		kv_text(b, "School or setting", m->a.school.name);
	else if (m->a.no_provision.hdr.present)
		kv(b, "School or setting", "No educational provision");
	kv_enum(b, "Year group", pep_year_labels, (pep_enumf){pep_model_year(m), 0});
	rich *r = &b->cells[0];
	r->n = 0;
	if (fmt_date(m->d.date, d1)) {
		char t[32];
		rich_str(b, r, PEP_FONT_REGULAR, PEP_SPAN_KEEP, d1);
		if (fmt_time(m->d.start, t)) {
			rich_str(b, r, PEP_FONT_REGULAR, 0, " at ");
			rich_str(b, r, PEP_FONT_REGULAR, 0, t);
		}
		kv_row(b, "PEP meeting", r, 0);
	} else if (b->form) {
		kv_row(b, "PEP meeting", NULL, 1);
	}
	/* formats (issue 12 item 4): a PEP read from another LA's form says so. */
	if (b->o->source_format && !pep_format_is_canonical(b->o->source_format)) {
		char *from = pep_xasprintf("%s (read by pep, shown in the canonical sections A to D)",
		                           b->o->source_format->label);
		kv(b, "Made from", from);
		free(from);
	}
	kv_end(b);

	if (b->child) {
		pep_span sp[2] = {{PEP_FONT_BOLD, 0, "This is the child's copy. "},
		                  {PEP_FONT_REGULAR, 0, "It leaves out " PEP_SECTIONS_CHILD_OMITS ", which the full PEP holds."}};
		pep_document_notice(b->doc, PEP_TONE_NOTE, sp, 2);
	}
	if (b->o->blank) {
		pep_span sp[2] = {{PEP_FONT_BOLD, 0, "A blank form. "},
		                  {PEP_FONT_REGULAR, 0, "For a PEP meeting held on paper: write in the spaces, then enter "
		                                        "what was written into the PEP file (pep new makes one)."}};
		pep_document_notice(b->doc, PEP_TONE_NOTE, sp, 2);
	} else if (b->form) {
		pep_span sp[2] = {{PEP_FONT_BOLD, 0, "A draft. "},
		                  {PEP_FONT_REGULAR, 0, "The empty spaces are what is still to be filled in."}};
		pep_document_notice(b->doc, PEP_TONE_NOTE, sp, 2);
	}
	failing_rules(b);

	/* The document's own record: LA, kind, state and history (workflow,
	 * which the child's copy leaves out). */
	if (!b->child) {
		subheading(b, "About this PEP");
		kv(b, "Local authority", join2(&tmp, m->header.la.name, " (code ", m->header.la.code, ")"));
		kv_enum(b, "PEP kind", pep_kind_labels, m->header.kind);
		kv_enum(b, "Form state", pep_form_state_labels, m->header.form_state);
		kv_end(b);
		if (m->header.state_history.changes.n) {
			static const char *const h[] = {"State", "Date", "By"};
			static const double room[] = {0.22, 0.22, 0.56};
			table(b, 3, h, 0, room);
			for (size_t i = 0; i < m->header.state_history.changes.n; i++) {
				const pep_state_change *c = &m->header.state_history.changes.v[i];
				const char *cells[3] = {label(pep_form_state_labels, c->state), fmt_date(c->date, d1), c->by.s};
				row(b, 3, cells, 2);
			}
		}
		if (m->header.history.meetings.n) {
			/* One line of dates: the history can be long, and is context. */
			rich *h = &b->cells[0];
			h->n = 0;
			for (size_t i = 0; i < m->header.history.meetings.n; i++) {
				const pep_prev_meeting *p = &m->header.history.meetings.v[i];
				const char *k = label(pep_meeting_kind_labels, p->kind);
				if (!fmt_date(p->date, d1) && !k)
					continue;
				if (h->n)
					rich_str(b, h, PEP_FONT_REGULAR, 0, "; ");
				rich_str(b, h, PEP_FONT_REGULAR, PEP_SPAN_KEEP, fmt_date(p->date, d1) ? d1 : "undated");
				if (k) {
					pep_buf_clear(&tmp);
					pep_buf_printf(&tmp, " (%s)", k);
					rich_str(b, h, PEP_FONT_REGULAR, 0, pep_buf_str(&tmp));
				}
			}
			kv_end(b);
			if (h->n)
				kv_row(b, "Earlier PEP meetings", h, 0);
			kv_end(b);
		}
	}
	pep_buf_free(&name);
	pep_buf_free(&tmp);
}

/* ------------------------------------------------------------------ */
/* Section A                                                            */
/* ------------------------------------------------------------------ */

/* A row of the contacts table: how to reach them in one cell, so that a
 * long email address has the width of two columns. */
static void contact_row(builder *b, const char *who, pep_text name, const char *rel, pep_text phone, pep_text email)
{
	for (size_t i = 0; i < 4; i++)
		b->cells[i].n = 0;
	rich_str(b, &b->cells[0], PEP_FONT_REGULAR, 0, who);
	if (has_text(name))
		rich_value(b, &b->cells[1], PEP_FONT_REGULAR, name.s);
	if (!blank_str(rel))
		rich_value(b, &b->cells[2], PEP_FONT_REGULAR, rel);
	if (has_text(phone))
		rich_str(b, &b->cells[3], PEP_FONT_REGULAR, PEP_SPAN_KEEP, phone.s);
	if (has_text(email)) {
		if (b->cells[3].n)
			rich_str(b, &b->cells[3], PEP_FONT_REGULAR, 0, "\n");
		rich_str(b, &b->cells[3], PEP_FONT_REGULAR, PEP_SPAN_KEEP, email.s);
	}
	row_rich(b, 4);
}

static void build_a(builder *b)
{
	const pep_model *m = b->m;
	const pep_section_a *a = &m->a;
	pep_buf tmp = PEP_BUF_INIT;
	char d1[32];
	heading(b, "Section A — Essential pupil information");

	subheading(b, "Personal details");
	kv_text(b, "Given names", a->personal.legal_name.given);
	kv_text(b, "Family name", a->personal.legal_name.family);
	if (a->personal.legal_name.order.v)
		kv_enum(b, "Name order", pep_name_order_labels, a->personal.legal_name.order);
	kv_text(b, "Preferred name", a->personal.preferred_name);
	kv_date(b, "Date of birth", a->personal.dob);
	kv_text(b, "Gender", a->personal.gender);
	if (!b->child)
		kv_keep(b, "UPN", a->personal.upn);
	kv_keep(b, "LA child ID", a->personal.la_child_id);
	kv_text(b, "First language", a->personal.first_language);
	kv_text(b, "Ethnicity", a->personal.ethnicity);

	if (a->care.hdr.present) {
		const pep_care *c = &a->care;
		subheading(b, b->child ? "Who looks after you" : "Care");
		if (!b->child) {
			/* Social-care administration: not in the child's copy. */
			kv_date(b, "Became looked after", c->became_lac);
			kv_enum(b, "Placement", pep_placement_labels, c->placement);
			kv_text(b, "Legal status", c->legal_status);
			kv_text(b, "Placement type", c->placement_type);
			kv_date(b, "Care plan dated", c->care_plan_date);
			rich *h = &b->cells[0];
			h->n = 0;
			for (size_t i = 0; i < c->reviews.held.n; i++)
				if (fmt_date(c->reviews.held.v[i], d1)) {
					if (h->n)
						rich_str(b, h, PEP_FONT_REGULAR, 0, ", ");
					rich_str(b, h, PEP_FONT_REGULAR, PEP_SPAN_KEEP, d1);
				}
			if (h->n)
				kv_row(b, "Looked After Reviews held", h, 0);
			else if (b->form)
				kv_row(b, "Looked After Reviews held", NULL, 1);
			kv_date(b, "Next Looked After Review", c->reviews.next);
			kv_end(b);
		}
		if (c->carer.hdr.present || c->social_worker.hdr.present || c->iro.hdr.present || b->form) {
			static const char *const h[] = {"Who", "Name", "Relationship or team", "Phone and email"};
			static const double room[] = {0.16, 0.22, 0.24, 0.38};
			table(b, 4, h, 1, room);
			if (c->carer.hdr.present || b->form)
				contact_row(b, "Carer", c->carer.name, c->carer.relationship.s, c->carer.phone, c->carer.email);
			if (c->social_worker.hdr.present || b->form)
				contact_row(b, "Social worker", c->social_worker.name, c->social_worker.team.s,
				            c->social_worker.phone, c->social_worker.email);
			if (c->iro.hdr.present || b->form)
				contact_row(b, "Independent reviewing officer (IRO)", c->iro.name, "", c->iro.phone, c->iro.email);
		}
		if (!b->child) {
			field(b, "Parental responsibility", c->parental_responsibility, 3);
			field(b, "Contact arrangements", c->contact_arrangements, 3);
			field(b, "History before care", c->pre_care_history, 4);
		}
	}

	if (pep_model_has_school(m)) {
		const pep_school *s = &a->school;
		subheading(b, "School or setting");
		kv_text(b, "School or setting", s->name);
		kv_keep(b, "URN", s->urn);
		kv(b, "LA the school is in", join2(&tmp, s->school_la.name, " (code ", s->school_la.code, ")"));
		kv_enum(b, "Year group", pep_year_labels, s->year);
		kv_date(b, "Started at this school", s->start);
		kv_enum(b, "Full-time", pep_yesno_labels, s->full_time);
		kv_text(b, "Designated teacher", s->dt.name);
		kv_keep(b, "Designated teacher's email", s->dt.email);
		kv_keep(b, "Designated teacher's phone", s->dt.phone);
		kv_enum(b, "Qualified teacher", pep_yesno_labels, s->dt.qualified);
	} else if (a->no_provision.hdr.present) {
		const pep_no_provision *np = &a->no_provision;
		subheading(b, "No educational provision");
		kv_enum(b, "Year group", pep_year_labels, np->year);
		kv_date(b, "Without provision since", np->since);
		field(b, "Why there is no provision", np->reason, 3);
		field(b, "Action plan", np->action_plan, 4);
		field(b, "Current situation", np->current_situation, 3);
	}

	if (a->health.hdr.present) {
		const pep_health *h = &a->health;
		subheading(b, "Health and emotional wellbeing");
		if (!b->child) {
			field(b, "Health issues affecting education", h->health_issues, 3);
			field(b, "Emotional wellbeing", h->wellbeing, 3);
			char n[32];
			kv(b, "SDQ score (0–40)", fmt_int(h->sdq.score, n));
			kv_date(b, "SDQ date", h->sdq.date);
			kv_text(b, "SDQ completed by", h->sdq.completed_by);
		} else {
			paragraph(b, "Left out of the child's copy.");
		}
		kv_text(b, "Section completed by", h->completed_by);
	}
	kv_end(b);
	pep_buf_free(&tmp);
}

/* ------------------------------------------------------------------ */
/* Section B                                                            */
/* ------------------------------------------------------------------ */

static void build_b(builder *b)
{
	const pep_section_b *s = &b->m->b;
	pep_buf tmp = PEP_BUF_INIT;
	char d1[32], d2[32], n[32];
	heading(b, "Section B — Education information");

	if (s->attendance.hdr.present) {
		subheading(b, "Attendance");
		pep_buf_clear(&tmp);
		if (fmt_centi(s->attendance.percentage, n))
			pep_buf_printf(&tmp, "%s %%", n);
		kv_flags(b, "Attendance", tmp.len ? pep_buf_str(&tmp) : NULL, PEP_SPAN_KEEP);
		rich *r = &b->cells[0];
		r->n = 0;
		if (fmt_date(s->attendance.from, d1)) {
			rich_str(b, r, PEP_FONT_REGULAR, 0, "from ");
			rich_str(b, r, PEP_FONT_REGULAR, PEP_SPAN_KEEP, d1);
		}
		if (fmt_date(s->attendance.to, d2)) {
			rich_str(b, r, PEP_FONT_REGULAR, 0, r->n ? " to " : "to ");
			rich_str(b, r, PEP_FONT_REGULAR, PEP_SPAN_KEEP, d2);
		}
		if (r->n)
			kv_row(b, "Period covered", r, 0);
		else if (b->form)
			kv_row(b, "Period covered", NULL, 1);
		kv(b, "Unauthorised absences", fmt_int(s->attendance.unauthorised, n));
	}

	if (s->conduct.s) {
		subheading(b, "Conduct");
		field(b, "Conduct record", s->conduct, 4);
	}

	if (s->reduced.hdr.present) {
		subheading(b, "Reduced timetable or personalised package");
		kv_enum(b, "Reduced timetable in place", pep_yesno_labels, s->reduced.in_place);
		kv_enum(b, "Personalised package", pep_yesno_labels, s->reduced.personalised);
		pep_buf_clear(&tmp);
		if (fmt_centi(s->reduced.hours, n))
			pep_buf_printf(&tmp, "%s hours", n);
		kv_flags(b, "Hours per week", tmp.len ? pep_buf_str(&tmp) : NULL, PEP_SPAN_KEEP);
		kv_date(b, "Review date", s->reduced.review);
		field(b, "Reason", s->reduced.reason, 3);
		field(b, "Plan to return to full time", s->reduced.plan, 3);
	}

	if (s->exclusions.hdr.present) {
		subheading(b, "Exclusions");
		if (s->exclusions.items.n == 0 && !b->form) {
			paragraph(b, "None recorded.");
		} else {
			static const char *const h[] = {"Date", "Kind", "Days", "Reason", "Education and support put in place"};
			static const double room[] = {0.16, 0.14, 0.08, 0.31, 0.31};
			table(b, 5, h, 1, room);
			for (size_t i = 0; i < s->exclusions.items.n; i++) {
				const pep_exclusion *e = &s->exclusions.items.v[i];
				const char *r[5] = {fmt_date(e->date, d1), label(pep_exclusion_kind_labels, e->kind),
				                    fmt_centi(e->days, n), e->reason.s, e->provision.s};
				row(b, 5, r, 1 | 4);
			}
			form_rows(b, 5, s->exclusions.items.n, 2);
		}
	}

	if (s->prev_schools.hdr.present) {
		subheading(b, "Previous schools and settings");
		if (s->prev_schools.items.n == 0 && !b->form) {
			paragraph(b, s->prev_schools.none.v == PEP_YES ? "None: no previous school or setting."
			                                               : "None recorded.");
		} else {
			static const char *const h[] = {"School or setting (URN)", "From", "To", "Reason for leaving",
			                                "Before care"};
			static const double room[] = {0.27, 0.15, 0.15, 0.31, 0.12};
			table(b, 5, h, 1, room);
			for (size_t i = 0; i < s->prev_schools.items.n; i++) {
				const pep_prev_school *p = &s->prev_schools.items.v[i];
				const char *r[5] = {join2(&tmp, p->name, " (URN ", p->urn, ")"), fmt_date(p->from, d1),
				                    fmt_date(p->to, d2), p->reason.s, label(pep_yesno_labels, p->before_care)};
				row(b, 5, r, 2 | 4);
			}
			form_rows(b, 5, s->prev_schools.items.n, 2);
		}
	}

	if (s->attainment.hdr.present) {
		subheading(b, "Attainment and progress");
		kv_date(b, "Data as at", s->attainment.data_date);
		kv_end(b);
		if (s->attainment.subjects.n || b->form) {
			static const char *const h[] = {"Subject", "Assessed", "Current attainment", "Expected for age",
			                                "Target", "Progress"};
			static const double room[] = {0.17, 0.15, 0.20, 0.17, 0.15, 0.16};
			table(b, 6, h, 1, room);
			for (size_t i = 0; i < s->attainment.subjects.n; i++) {
				const pep_subject *p = &s->attainment.subjects.v[i];
				const char *r[6] = {p->name.s, fmt_date(p->assessed, d1), p->current.s, p->expected.s,
				                    p->target.s, label(pep_progress_labels, p->progress)};
				row(b, 6, r, 2);
			}
			form_rows(b, 6, s->attainment.subjects.n, 5);
		}
	}

	if (s->sen.hdr.present) {
		subheading(b, "Special educational needs");
		kv_enum(b, "SEN status", pep_sen_status_labels, s->sen.status);
		kv_enum(b, "Primary need", pep_sen_need_labels, s->sen.need);
		kv_date(b, "EHC plan annual review", s->sen.annual_review);
		field(b, "Details", s->sen.details, 3);
	}

	if (has_text(s->extra_support) || (b->form && s->extra_support.s)) {
		subheading(b, "Extra support in place");
		field(b, "Extra support", s->extra_support, 3);
	}

	if (s->plan1419.hdr.present) {
		subheading(b, "14–19 plan: education, employment and training");
		field(b, "Aspirations", s->plan1419.aspirations, 3);
		field(b, "Careers advice", s->plan1419.careers_advice, 3);
		field(b, "Options", s->plan1419.options, 3);
		kv_text(b, "Completed by", s->plan1419.completed_by);
		kv_date(b, "Date", s->plan1419.date);
	}

	if (s->post16.hdr.present) {
		const pep_post16 *p = &s->post16;
		subheading(b, "Post-16");
		kv_enum(b, "Participation", pep_participation_labels, p->participation);
		kv_text(b, "Setting", p->setting);
		kv_text(b, "Course", p->course);
		pep_buf_clear(&tmp);
		if (fmt_centi(p->hours, n))
			pep_buf_printf(&tmp, "%s hours", n);
		kv_flags(b, "Hours per week", tmp.len ? pep_buf_str(&tmp) : NULL, PEP_SPAN_KEEP);
		pep_buf_clear(&tmp);
		if (fmt_int(p->weeks, n))
			pep_buf_printf(&tmp, "%s weeks", n);
		kv_flags(b, "Course length", tmp.len ? pep_buf_str(&tmp) : NULL, PEP_SPAN_KEEP);
		kv_enum(b, "16–19 bursary considered", pep_yesno_labels, p->bursary.considered);
		kv_enum(b, "16–19 bursary awarded", pep_yesno_labels, p->bursary.awarded);
		field(b, "Bursary notes", p->bursary.notes, 2);
		field(b, "NEET support plan", p->neet_plan, 3);
	}
	kv_end(b);
	pep_buf_free(&tmp);
}

/* ------------------------------------------------------------------ */
/* Section C                                                            */
/* ------------------------------------------------------------------ */

/* The child's own words. */
static void views(builder *b)
{
	const pep_section_c *c = &b->m->c;
	field(b, "What I enjoy", c->enjoys, 3);
	field(b, "What I find hard", c->finds_hard, 3);
	field(b, "What helps me learn", c->helps, 3);
	field(b, "What I hope for", c->hopes, 3);
	field(b, "What I want from this meeting", c->wants, 3);
}

static void build_c(builder *b)
{
	const pep_section_c *c = &b->m->c;
	pep_buf tmp = PEP_BUF_INIT;
	heading(b, "Section C — The young person's views");
	if (b->child)
		paragraph(b, "Your own words are at the start of this copy.");
	else
		views(b);
	kv(b, "Views completed with", join2(&tmp, c->completed_with.name, " (", c->completed_with.role, ")"));
	kv_date(b, "Date", c->date);
	kv_enum(b, "SEN pupil view form used", pep_yesno_labels, c->sen_form);
	kv_enum(b, "Attended the meeting", pep_child_attendance_labels, c->attended);
	kv_enum(b, "Chose to chair the meeting", pep_yesno_labels, c->chair);
	kv(b, "Adult nominated to speak for them", join2(&tmp, c->nominated.name, " (", c->nominated.role, ")"));
	kv_enum(b, "Wants a copy of the PEP", pep_yesno_labels, c->wants_copy);
	kv_end(b);
	pep_buf_free(&tmp);
}

/* ------------------------------------------------------------------ */
/* Section D                                                            */
/* ------------------------------------------------------------------ */

static void build_targets(builder *b)
{
	const pep_targets *t = &b->m->d.targets;
	static const char *const h[] = {"Target", "Who helps, how and how often", "Pupil Premium Plus"};
	static const double room[] = {0.42, 0.33, 0.25};
	table(b, 3, h, 1, room);
	for (size_t i = 0; i < t->items.n; i++) {
		const pep_target *g = &t->items.v[i];
		char d1[32], d2[32], money[48], num[32];
		rich *a = &b->cells[0], *s2 = &b->cells[1], *s3 = &b->cells[2];
		a->n = s2->n = s3->n = 0;
		snprintf(num, sizeof num, "%zu. ", i + 1);
		rich_str(b, a, PEP_FONT_BOLD, 0, num);
		rich_str(b, a, PEP_FONT_BOLD, 0, label(pep_area_labels, g->area) ? label(pep_area_labels, g->area) : "Target");
		rich_line(b, a, NULL, g->description.text.s, 0);
		if (label(pep_words_labels, g->description.words)) {
			rich_str(b, a, PEP_FONT_REGULAR, 0, " (");
			rich_str(b, a, PEP_FONT_REGULAR, 0, label(pep_words_labels, g->description.words));
			rich_str(b, a, PEP_FONT_REGULAR, 0, ")");
		}
		rich_line(b, a, "Baseline: ", g->baseline.s, 0);
		rich_line(b, a, "Success: ", g->success.s, 0);
		rich_line(b, a, "By: ", fmt_date(g->deadline, d1), PEP_SPAN_KEEP);
		rich_line(b, s2, "Who: ", g->who.s, 0);
		rich_line(b, s2, "How: ", g->how.s, 0);
		rich_line(b, s2, "How often: ", g->how_often.s, 0);
		if (g->pp.hdr.present) {
			if (g->pp.amount.set) {
				snprintf(money, sizeof money, "£%lld.%02lld", (long long)(g->pp.amount.v / 100),
				         (long long)(g->pp.amount.v % 100));
				rich_line(b, s3, "Amount: ", money, PEP_SPAN_KEEP);
			}
			rich_line(b, s3, "Buys: ", g->pp.buys.s, 0);
			rich_line(b, s3, "Decision: ", label(pep_decision_labels, g->pp.decision), 0);
			rich_line(b, s3, "Decided by: ", g->pp.decided_by.s, 0);
			rich_line(b, s3, "On: ", fmt_date(g->pp.decision_date, d2), PEP_SPAN_KEEP);
		}
		if (!s3->n && !b->form)
			rich_str(b, s3, PEP_FONT_REGULAR, 0, "None requested");
		if (b->form && !has_text(g->description.text)) {
			/* An empty target on a form: the questions to answer. */
			rich_str(b, a, PEP_FONT_REGULAR, PEP_SPAN_HINT, "\nTarget:\n\nBaseline:\n\nSuccess:\n\nBy:");
			if (!s2->n)
				rich_str(b, s2, PEP_FONT_REGULAR, PEP_SPAN_HINT, "Who:\n\nHow:\n\nHow often:");
		}
		row_rich(b, 3);
	}
	form_rows(b, 3, t->items.n, 3);
}

/* The child's copy: the new targets, in plain words, first. */
static void plain_targets(builder *b)
{
	const pep_targets *t = &b->m->d.targets;
	heading(b, "Your targets");
	if (!t->items.n) {
		paragraph(b, "No new targets were set at this meeting.");
		return;
	}
	for (size_t i = 0; i < t->items.n; i++) {
		const pep_target *g = &t->items.v[i];
		char d1[32], lab[96];
		const char *area = label(pep_area_labels, g->area);
		snprintf(lab, sizeof lab, "Target %zu%s%s", i + 1, area ? ": " : "", area ? area : "");
		rich *r = &b->cells[0];
		r->n = 0;
		rich_value(b, r, PEP_FONT_REGULAR, g->description.text.s);
		rich_line(b, r, "Where you are now: ", g->baseline.s, 0);
		rich_line(b, r, "How we will know: ", g->success.s, 0);
		rich_line(b, r, "Who will help: ", g->who.s, 0);
		rich_line(b, r, "How: ", g->how.s, 0);
		rich_line(b, r, "How often: ", g->how_often.s, 0);
		rich_line(b, r, "By: ", fmt_date(g->deadline, d1), PEP_SPAN_KEEP);
		kv_end(b);
		pep_document_field(b->doc, lab, r->v, r->n, b->form ? 3 : 0);
	}
}

static void build_d(builder *b)
{
	const pep_section_d *d = &b->m->d;
	pep_buf tmp = PEP_BUF_INIT;
	char d1[32], t1[32];
	heading(b, "Section D — The PEP meeting");
	kv_date(b, "Date", d->date);
	kv_flags(b, "Start time", fmt_time(d->start, t1), PEP_SPAN_KEEP);
	kv_text(b, "Place", d->place);
	kv_text(b, "Chair", d->chair);
	kv_enum(b, "Kind of meeting", pep_meeting_kind_labels, d->kind);
	if (!b->child)
		kv_enum(b, "Social worker confirmed section A", pep_yesno_labels, d->sw_confirmed);
	kv_end(b);

	if (d->attendees.items.n || b->form) {
		subheading(b, "Who was invited");
		static const char *const h[] = {"Name", "Role", "Organisation", "Attendance"};
		static const double room[] = {0.25, 0.25, 0.33, 0.17};
		table(b, 4, h, 1, room);
		for (size_t i = 0; i < d->attendees.items.n; i++) {
			const pep_attendee *a = &d->attendees.items.v[i];
			const char *r[4] = {a->name.s, label(pep_role_labels, a->role), a->organisation.s,
			                    label(pep_attendee_status_labels, a->status)};
			row(b, 4, r, 0);
		}
		form_rows(b, 4, d->attendees.items.n, 7);
	}

	if (has_text(d->summary) || has_text(d->carers_views) || has_text(d->childs_views_used) || b->form) {
		subheading(b, "The meeting");
		field(b, "Summary", d->summary, 8);
		field(b, "The carer's views", d->carers_views, 4);
		field(b, "How the child's views were used", d->childs_views_used, 4);
	}

	if (d->prev_targets.items.n || (b->form && d->prev_targets.hdr.present)) {
		subheading(b, "Review of the previous targets");
		static const char *const h[] = {"Area", "Target", "Outcome", "Comment"};
		static const double room[] = {0.15, 0.35, 0.14, 0.36};
		table(b, 4, h, 1 | 2, room);
		for (size_t i = 0; i < d->prev_targets.items.n; i++) {
			const pep_prev_target *p = &d->prev_targets.items.v[i];
			const char *r[4] = {label(pep_area_labels, p->area), p->description.s, label(pep_outcome_labels, p->outcome),
			                    p->comment.s};
			row(b, 4, r, 0);
		}
		form_rows(b, 4, d->prev_targets.items.n, 3);
	}

	if (d->targets.items.n || b->form) {
		subheading(b, "New targets");
		if (b->child)
			paragraph(b, "Your targets are at the start of this copy.");
		else
			build_targets(b);
	}

	if (d->actions.items.n || b->form) {
		subheading(b, "Actions for adults");
		static const char *const h[] = {"Action", "Who", "Due", "Done"};
		static const double room[] = {0.48, 0.26, 0.16, 0.10};
		table(b, 4, h, 1, room);
		for (size_t i = 0; i < d->actions.items.n; i++) {
			const pep_action *a = &d->actions.items.v[i];
			pep_text owner = {label(pep_owner_labels, a->owner), 0};
			const char *r[4] = {a->description.s, join2(&tmp, a->owner_name, " (", owner, ")"), fmt_date(a->due, d1),
			                    label(pep_yesno_labels, a->done)};
			row(b, 4, r, 4);
		}
		form_rows(b, 4, d->actions.items.n, 4);
	}

	if (d->next.hdr.present) {
		subheading(b, "Next PEP meeting");
		kv_date(b, "Date", d->next.date);
		kv_flags(b, "Time", fmt_time(d->next.time, t1), PEP_SPAN_KEEP);
	}

	const pep_signoff *s = &d->signoff;
	if (s->hdr.present && !b->child) {
		subheading(b, "Sign-off");
		if (s->sections.n) {
			static const char *const h[] = {"Section", "Marked complete by", "Date"};
			static const double room[] = {0.18, 0.57, 0.25};
			table(b, 3, h, 1, room);
			for (size_t i = 0; i < s->sections.n; i++) {
				const pep_completion *c = &s->sections.v[i];
				const char *r[3] = {label(pep_section_labels, c->section), c->by.s, fmt_date(c->date, d1)};
				row(b, 3, r, 4);
			}
		}
		kv_text(b, "Quality assured by", s->qa.by);
		kv_date(b, "Quality assured on", s->qa.date);
		kv_enum(b, "Quality grade", pep_qa_grade_labels, s->qa.grade);
		kv_text(b, "Uploaded to", s->upload.system);
		kv_date(b, "Uploaded on", s->upload.date);
		kv_text(b, "Uploaded by", s->upload.by);
	}
	kv_end(b);
	pep_buf_free(&tmp);
}

/* The child's copy names the documents about the child's own education and
 * views (a support plan, an EHC plan, a school report, a views template),
 * by title only: where a document is kept (a records system's id, a path)
 * is social-care administration, and an "other" document may be a health
 * or social-care paper the copy leaves out. */
static bool childs_attachment(const pep_attachment *a)
{
	return a->kind.v != PEP_ATTACH_OTHER && a->kind.v != PEP_ATTACHMENT_KIND_UNSET;
}

static void build_attachments(builder *b)
{
	const pep_attachments *at = &b->m->attachments;
	size_t n = 0;
	for (size_t i = 0; i < at->items.n; i++)
		n += !b->child || childs_attachment(&at->items.v[i]);
	if (!n)
		return;
	heading(b, b->child ? "Documents that go with your PEP" : "Attached documents");
	if (b->child)
		paragraph(b, "Ask your designated teacher or social worker if you would like to see them.");
	static const char *const h[] = {"Document", "Kind", "Where it is"};
	static const double room[] = {0.45, 0.20, 0.35};
	table(b, b->child ? 2 : 3, h, 1, room);
	for (size_t i = 0; i < at->items.n; i++) {
		const pep_attachment *a = &at->items.v[i];
		if (b->child && !childs_attachment(a))
			continue;
		const char *r[3] = {a->name.s, label(pep_attachment_kind_labels, a->kind), a->ref.s};
		row(b, b->child ? 2 : 3, r, 0);
	}
	kv_end(b);
}

/* ------------------------------------------------------------------ */
/* The whole document                                                   */
/* ------------------------------------------------------------------ */

static void set_info(builder *b)
{
	const pep_model *m = b->m;
	pep_buf title = PEP_BUF_INIT, subject = PEP_BUF_INIT, running = PEP_BUF_INIT, id = PEP_BUF_INIT;
	pep_buf gen = PEP_BUF_INIT, nso = PEP_BUF_INIT;
	char md[32], gd[32];
	const char *copy = b->child ? " (child's copy)" : b->o->blank ? " (blank form)" : "";
	const char *kind = label(pep_kind_labels, m->header.kind);
	bool has_id = has_text(m->a.personal.la_child_id);

	/* Document information: no child's name here, only the LA child id
	 * (metadata travels into indexes and previews further than pages). */
	pep_buf_printf(&title, "Personal Education Plan%s", copy);
	if (fmt_date(m->d.date, md))
		pep_buf_printf(&title, ", meeting of %s", md);
	pep_buf_printf(&subject, "%s for LA child ID %s", kind ? kind : "PEP",
	               has_id ? m->a.personal.la_child_id.s : "not recorded");

	pep_buf_printf(&running, "Personal Education Plan%s", copy);
	pep_buf name = PEP_BUF_INIT;
	if (child_name(m, &name))
		pep_buf_printf(&running, ": %s", pep_buf_str(&name));
	else if (!b->form)
		pep_buf_puts(&running, ": (name not recorded)");
	pep_buf_free(&name);
	if (has_id)
		pep_buf_printf(&id, "LA child ID %s", m->a.personal.la_child_id.s);
	else
		pep_buf_puts(&id, b->form ? "LA child ID ____________" : "LA child ID not recorded");

	pep_date_format_long(b->o->generated, gd);
	pep_buf_printf(&gen, "Generated %s by %s", gd, b->o->generator ? b->o->generator : "pep");
	size_t nfail = pep_sections_failures(b->d, b->o->strict);
	if (nfail)
		pep_buf_printf(&nso, "NOT SIGNED OFF — %zu error%s", nfail, nfail == 1 ? "" : "s");

	pep_document_info info = {"en-GB",
	                          pep_buf_str(&title),
	                          pep_buf_str(&subject),
	                          has_text(m->header.la.name) ? m->header.la.name.s : "",
	                          NULL,
	                          "OFFICIAL-SENSITIVE",
	                          pep_buf_str(&running),
	                          pep_buf_str(&id),
	                          pep_buf_str(&gen),
	                          nfail ? pep_buf_str(&nso) : NULL,
	                          b->child};
	pep_document_set_info(b->doc, &info);
	pep_buf_free(&title);
	pep_buf_free(&subject);
	pep_buf_free(&running);
	pep_buf_free(&id);
	pep_buf_free(&gen);
	pep_buf_free(&nso);
}

pep_document *pep_sections_build(const pep_model *m, const pep_diags *d, const pep_sections_options *o)
{
	builder b;
	memset(&b, 0, sizeof b);
	b.doc = pep_document_new();
	b.m = m;
	b.o = o;
	b.d = o->blank ? NULL : d;
	b.child = o->child_copy;
	b.form = o->blank || m->header.form_state.v == PEP_STATE_DRAFT;
	b.tmp = pep_arena_new();
	set_info(&b);
	build_title(&b);
	if (b.child) {
		/* The child's own views and targets come first. */
		heading(&b, "Your views");
		views(&b);
		kv_end(&b);
		plain_targets(&b);
	}
	build_a(&b);
	build_b(&b);
	build_c(&b);
	build_d(&b);
	build_attachments(&b);
	for (size_t i = 0; i < sizeof b.cells / sizeof b.cells[0]; i++)
		free(b.cells[i].v);
	pep_arena_free(b.tmp);
	return b.doc;
}
