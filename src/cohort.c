/* cohort.c: per-PEP facts, the due list and the cohort figures. */
#include "cohort.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Counts below this (and above 0) are not shown: see cohort.h. */
#define SUPPRESS_BELOW 5

void pep_facts_from_model(const pep_model *m, pep_facts *f)
{
	memset(f, 0, sizeof *f);
	f->loaded = true;
	f->meeting = m->d.date.d;
	pep_day next = m->d.next.date.d;
	pep_day review = f->meeting != PEP_NO_DAY ? pep_date_add_months(f->meeting, 6) : PEP_NO_DAY;
	if (next != PEP_NO_DAY && (review == PEP_NO_DAY || next <= review)) {
		f->due = next;
		f->due_basis = "next meeting";
	} else if (review != PEP_NO_DAY) {
		f->due = review;
		f->due_basis = "6-month review";
	} else {
		f->due = PEP_NO_DAY;
		f->due_basis = "";
	}
	f->attendance_known = m->a.school.hdr.present && m->b.attendance.percentage.set;
	f->attendance = m->b.attendance.percentage.v;
	f->reduced = m->b.reduced.in_place.v == PEP_YES || m->b.reduced.personalised.v == PEP_YES;
	f->no_provision = m->a.no_provision.hdr.present;
	f->neet = m->b.post16.participation.v == PEP_PART_NEET;
	for (size_t i = 0; i < m->d.targets.items.n; i++) {
		const pep_target *t = &m->d.targets.items.v[i];
		int area = t->area.v >= 0 && t->area.v < PEP_AREAS ? t->area.v : 0;
		if (t->pp.hdr.present && t->pp.amount.set && t->pp.amount.v > 0) {
			f->pp_pence[area] += t->pp.amount.v;
			f->pp_count[area]++;
		}
	}
}

void pep_cohort_add(pep_cohort *c, const pep_facts *f, const pep_diags *d, pep_day as_of)
{
	c->files++;
	const char *g = pep_diags_grade(d);
	c->red += g[0] == 'r';
	c->amber += g[0] == 'a';
	c->green += g[0] == 'g';
	if (!f->loaded) {
		c->not_loaded++;
		return;
	}
	c->loaded++;
	if (f->meeting != PEP_NO_DAY && f->meeting <= as_of && f->meeting >= pep_date_add_months(as_of, -6))
		c->recent_meeting++;
	c->attendance_below_90 += f->attendance_known && f->attendance < 9000;
	c->reduced += f->reduced;
	c->no_provision += f->no_provision;
	c->neet += f->neet;
	for (int a = 0; a < PEP_AREAS; a++) {
		c->pp_pence[a] += f->pp_pence[a];
		c->pp_count[a] += (size_t)f->pp_count[a];
	}
}

static bool suppressed(size_t n)
{
	return n > 0 && n < SUPPRESS_BELOW;
}

static void money(char *buf, size_t size, int64_t pence)
{
	/* £12,345.67 */
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", (long long)(pence / 100));
	size_t len = strlen(digits), k = 0;
	char out[48];
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
	snprintf(buf, size, "£%.40s.%02lld", out, (long long)(pence % 100 < 0 ? -(pence % 100) : pence % 100));
}

/* One figure: a label, a count, and its share of `of` (when of > 0). */
typedef struct figure {
	const char *key, *label;
	size_t count, of;
} figure;

static void text_figure(FILE *out, const figure *f)
{
	if (suppressed(f->count))
		fprintf(out, "  %-54s fewer than 5\n", f->label);
	else if (f->of)
		fprintf(out, "  %-54s %zu (%.1f %%)\n", f->label, f->count, 100.0 * (double)f->count / (double)f->of);
	else
		fprintf(out, "  %-54s %zu\n", f->label, f->count);
}

static void json_figure(FILE *out, const figure *f, bool first)
{
	fprintf(out, "%s\n    \"%s\": ", first ? "" : ",", f->key);
	if (suppressed(f->count))
		fputs("{\"count\": null, \"percent\": null, \"suppressed\": true}", out);
	else if (f->of)
		fprintf(out, "{\"count\": %zu, \"percent\": %.1f, \"suppressed\": false}", f->count,
		        100.0 * (double)f->count / (double)f->of);
	else
		fprintf(out, "{\"count\": %zu, \"percent\": null, \"suppressed\": false}", f->count);
}

static void csv_figure(FILE *out, const figure *f, bool excel)
{
	pep_csv_field(out, f->key, excel);
	fputc(',', out);
	pep_csv_field(out, f->label, excel);
	if (suppressed(f->count))
		fputs(",,,fewer than 5\r\n", out);
	else if (f->of)
		fprintf(out, ",%zu,%.1f,\r\n", f->count, 100.0 * (double)f->count / (double)f->of);
	else
		fprintf(out, ",%zu,,\r\n", f->count);
}

void pep_cohort_write(FILE *out, const pep_cohort *c, pep_day as_of, pep_report_format format, bool excel)
{
	char day[11];
	pep_date_format(as_of, day);
	size_t n = c->loaded;
	const figure figs[] = {
		{"peps_checked", "PEPs checked", c->files, 0},
		{"peps_not_readable_or_not_valid", "PEPs that could not be read as valid PEPs", c->not_loaded, c->files},
		{"meeting_in_last_6_months", "PEP meeting in the 6 months before the as-of date", c->recent_meeting, n},
		{"grade_red", "QA grade red (an error)", c->red, c->files},
		{"grade_amber", "QA grade amber (warnings only)", c->amber, c->files},
		{"grade_green", "QA grade green", c->green, c->files},
		{"attendance_below_90", "attendance under 90 %", c->attendance_below_90, n},
		{"reduced_timetable", "on a reduced timetable or personalised package", c->reduced, n},
		{"no_educational_provision", "with no educational provision", c->no_provision, n},
		{"post16_neet", "post-16 NEET", c->neet, n},
	};
	size_t nfigs = sizeof figs / sizeof figs[0];
	size_t pp_count = 0;
	int64_t pp_total = 0;
	for (int a = 0; a < PEP_AREAS; a++) {
		pp_count += c->pp_count[a];
		pp_total += c->pp_pence[a];
	}
	char m[64];
	if (format == PEP_REPORT_TEXT) {
		fprintf(out, "Cohort figures as of %s (aggregates only; a count of 1 to 4 is shown as \"fewer than 5\")\n", day);
		for (size_t i = 0; i < nfigs; i++)
			text_figure(out, &figs[i]);
		if (suppressed(pp_count)) {
			fprintf(out, "  %-54s fewer than 5 requests\n", "PP+ requested");
		} else {
			money(m, sizeof m, pp_total);
			fprintf(out, "  %-54s %s in %zu requests\n", "PP+ requested", m, pp_count);
			for (int a = 1; a < PEP_AREAS; a++) {
				char label[64];
				snprintf(label, sizeof label, "  %s", pep_area_labels[a]);
				if (suppressed(c->pp_count[a])) {
					fprintf(out, "  %-54s fewer than 5 requests\n", label);
				} else {
					money(m, sizeof m, c->pp_pence[a]);
					fprintf(out, "  %-54s %s in %zu requests\n", label, m, c->pp_count[a]);
				}
			}
		}
		return;
	}
	if (format == PEP_REPORT_JSON) {
		fprintf(out, "{\"as_of\": \"%s\", \"figures\": {", day);
		for (size_t i = 0; i < nfigs; i++)
			json_figure(out, &figs[i], i == 0);
		fputs("},\n  \"pp_plus\": {", out);
		bool hide = suppressed(pp_count);
		if (hide)
			fputs("\"requests\": null, \"pence\": null, \"suppressed\": true, \"by_area\": {", out);
		else
			fprintf(out, "\"requests\": %zu, \"pence\": %lld, \"suppressed\": false, \"by_area\": {", pp_count,
			        (long long)pp_total);
		int k = 0;
		for (int a = 1; a < PEP_AREAS; a++) {
			bool h = hide || suppressed(c->pp_count[a]);
			fprintf(out, "%s\n    \"%s\": ", k++ ? "," : "", pep_area_names[a]);
			if (h)
				fputs("{\"requests\": null, \"pence\": null, \"suppressed\": true}", out);
			else
				fprintf(out, "{\"requests\": %zu, \"pence\": %lld, \"suppressed\": false}", c->pp_count[a],
				        (long long)c->pp_pence[a]);
		}
		fputs("}}}\n", out);
		return;
	}
	if (excel)
		fputs("\xef\xbb\xbf", out);
	fputs("figure,label,count,percent,note\r\n", out);
	for (size_t i = 0; i < nfigs; i++)
		csv_figure(out, &figs[i], excel);
	for (int a = 1; a < PEP_AREAS; a++) {
		char key[64];
		snprintf(key, sizeof key, "pp_plus_%s", pep_area_names[a]);
		pep_csv_field(out, key, excel);
		fputc(',', out);
		pep_csv_field(out, pep_area_labels[a], excel);
		if (suppressed(pp_count) || suppressed(c->pp_count[a]))
			fputs(",,,fewer than 5 requests\r\n", out);
		else
			fprintf(out, ",%zu,,%lld.%02lld pounds\r\n", c->pp_count[a], (long long)(c->pp_pence[a] / 100),
			        (long long)(c->pp_pence[a] % 100));
	}
}

/* ------------------------------------------------------------------ */
/* The due list                                                         */
/* ------------------------------------------------------------------ */

void pep_due_add(pep_due_list *l, const pep_facts *f, const pep_diags *d, pep_day as_of, int within)
{
	if (!f->loaded) {
		l->not_loaded++;
		return;
	}
	if (f->due == PEP_NO_DAY) {
		l->no_meeting++;
		return;
	}
	int left = f->due - as_of;
	if (left > within) {
		l->not_due++;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	pep_due *e = &l->v[l->n++];
	e->file = xstrdup(pep_diags_file(d));
	e->la = xstrdup(pep_diags_la(d) ? pep_diags_la(d) : "");
	e->grade = pep_diags_grade(d);
	e->basis = f->due_basis;
	e->deadline = f->due;
	e->days_left = left;
}

static int cmp_due(const void *a, const void *b)
{
	const pep_due *x = a, *y = b;
	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	return strcmp(x->file, y->file);
}

void pep_due_write(FILE *out, pep_due_list *l, pep_day as_of, int within, pep_report_format format, bool excel)
{
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, cmp_due);
	char day[11], dl[11];
	pep_date_format(as_of, day);
	size_t overdue = 0;
	for (size_t i = 0; i < l->n; i++)
		overdue += l->v[i].days_left < 0;
	if (format == PEP_REPORT_TEXT) {
		fprintf(out, "Next PEP overdue or due within %d days of %s (earliest first):\n", within, day);
		for (size_t i = 0; i < l->n; i++) {
			const pep_due *e = &l->v[i];
			pep_date_format(e->deadline, dl);
			char when[40];
			if (e->days_left < 0)
				snprintf(when, sizeof when, "OVERDUE by %d day%s", -e->days_left, e->days_left == -1 ? "" : "s");
			else if (e->days_left == 0)
				snprintf(when, sizeof when, "due today");
			else
				snprintf(when, sizeof when, "due in %d day%s", e->days_left, e->days_left == 1 ? "" : "s");
			fprintf(out, "  %-20s %s  %-14s  %-5s  ", when, dl, e->basis, e->grade);
			pep_put_path(out, e->file);
			fputc('\n', out);
		}
		fprintf(out, "%zu overdue, %zu due within %d days; %zu not due yet; %zu without a meeting date; %zu not checked\n",
		        overdue, l->n - overdue, within, l->not_due, l->no_meeting, l->not_loaded);
		return;
	}
	if (format == PEP_REPORT_JSON) {
		fprintf(out, "{\"as_of\": \"%s\", \"within_days\": %d, \"due\": [", day, within);
		for (size_t i = 0; i < l->n; i++) {
			const pep_due *e = &l->v[i];
			pep_date_format(e->deadline, dl);
			fputs(i ? ",\n  {\"file\": " : "\n  {\"file\": ", out);
			pep_json_string(out, e->file);
			fputs(", \"la\": ", out);
			pep_json_string(out, e->la);
			fprintf(out, ", \"grade\": \"%s\", \"deadline\": \"%s\", \"basis\": \"%s\", \"days_left\": %d}", e->grade, dl,
			        e->basis, e->days_left);
		}
		fprintf(out, "],\n \"summary\": {\"overdue\": %zu, \"due_soon\": %zu, \"not_due\": %zu, \"no_meeting_date\": %zu, "
		             "\"not_checked\": %zu}}\n",
		        overdue, l->n - overdue, l->not_due, l->no_meeting, l->not_loaded);
		return;
	}
	if (excel)
		fputs("\xef\xbb\xbf", out);
	fputs("file,la,grade,deadline,basis,days_left\r\n", out);
	for (size_t i = 0; i < l->n; i++) {
		const pep_due *e = &l->v[i];
		pep_date_format(e->deadline, dl);
		pep_csv_field(out, e->file, excel);
		fputc(',', out);
		pep_csv_field(out, e->la, excel);
		fprintf(out, ",%s,%s,%s,%d\r\n", e->grade, dl, e->basis, e->days_left);
	}
}

void pep_due_free(pep_due_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].la);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}
