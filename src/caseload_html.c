/* caseload_html.c: the caseload as one self-contained HTML page: the due
 * list as a sortable table, charts as inline SVG, the termly figures, a
 * print stylesheet. Nothing outside the page is loaded (its CSP allows
 * only its own style and script, by hash), so it opens from a USB stick on
 * a locked-down laptop. Colour is never the only signal: every status,
 * grade and bar also says itself in words. */
#include "caseload.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"
#include "sha256.h"
#include "suppress.h"
#include "xalloc.h"

#ifndef PEP_VERSION
#define PEP_VERSION "0.0.0"
#endif

static const char style[] =
	":root{color-scheme:light}"
	"body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;margin:0;color:#0b0c0c;background:#fff}"
	"header,main,footer{padding:0 1.5rem}"
	"header{border-bottom:6px solid #1d4f91;padding-top:.8rem;padding-bottom:.6rem}"
	"footer{border-top:1px solid #b1b4b6;margin-top:2rem;padding-top:.6rem;padding-bottom:1rem;color:#505a5f;font-size:.85rem}"
	".marking{font-weight:700;letter-spacing:.06em;border:2px solid #0b0c0c;display:inline-block;padding:.05rem .5rem;margin:0}"
	"h1{font-size:1.7rem;margin:.2rem 0}"
	"h2{font-size:1.3rem;margin:1.8rem 0 .5rem}"
	"p{max-width:70rem}"
	".lede{margin:.2rem 0;color:#3d4245}"
	".cards{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;padding:0;margin:1rem 0}"
	".cards li{border:1px solid #b1b4b6;border-left:10px solid #505a5f;padding:.4rem .9rem;min-width:9rem}"
	".cards .n{font-size:1.9rem;font-weight:700;display:block;line-height:1.1}"
	".cards .overdue{border-left-color:#d4351c}.cards .due-soon{border-left-color:#f47738}"
	".cards .ok{border-left-color:#00703c}.cards .late{border-left-color:#912b88}"
	".scroll{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;font-size:.88rem;margin:.4rem 0}"
	"caption{text-align:left;font-weight:700;padding:.3rem 0}"
	"th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .55rem;text-align:left;vertical-align:top;white-space:nowrap}"
	"td.wrap{white-space:normal;min-width:12rem;max-width:18rem}"
	"thead th{background:#f3f2f1;border-bottom:2px solid #0b0c0c;white-space:nowrap}"
	"tbody th{font-weight:400}"
	".num{text-align:right;font-variant-numeric:tabular-nums}"
	"th button{font:inherit;font-weight:700;background:none;border:0;padding:0;margin:0;cursor:pointer;color:inherit;text-align:inherit}"
	"th button:focus{outline:3px solid #ffdd00}"
	"th button::after{content:\" \\2195\";color:#6f777b}"
	"th[aria-sort=ascending] button::after{content:\" \\25B2\";color:#0b0c0c}"
	"th[aria-sort=descending] button::after{content:\" \\25BC\";color:#0b0c0c}"
	".status{font-weight:700;white-space:nowrap}"
	"tr.overdue .status{color:#b52f1a}tr.due-soon .status{color:#8a4208}tr.ok .status{color:#005a30}"
	".grade{white-space:nowrap}"
	".grade::before{content:\"\";display:inline-block;width:.7em;height:.7em;margin-right:.3em;border:1px solid #0b0c0c}"
	".grade.red::before{background:#d4351c}.grade.amber::before{background:#ffbf47}.grade.green::before{background:#00703c}"
	".file{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;font-size:.8rem}"
	"figure{margin:1rem 0 1.5rem}"
	"figcaption{font-weight:700;margin-bottom:.3rem}"
	".note{color:#3d4245;font-size:.85rem}"
	".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
	"@media print{"
	"@page{size:A4 landscape;margin:10mm}"
	"body{font-size:9pt}header{border-bottom:2px solid #000}"
	".scroll{overflow:visible}table{font-size:7pt;width:100%}"
	"th,td{white-space:normal;padding:.15rem .25rem}td.wrap{min-width:0}.file{word-break:break-all;min-width:14em;font-size:6.5pt}"
	".grade::before{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"thead{display:table-header-group}tr,figure{break-inside:avoid}h2{break-after:avoid}"
	"th button::after{content:\"\"}th[aria-sort] button::after{content:\"\"}"
	".cards li{border-left-width:4px}"
	"}";

static const char script[] =
	"(function(){'use strict';"
	"var live=document.getElementById('sort-status');"
	"Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(table){"
	"var heads=table.tHead.rows[0].cells;"
	"Array.prototype.forEach.call(heads,function(th,col){"
	"var button=th.querySelector('button');if(!button)return;"
	"button.addEventListener('click',function(){"
	"var dir=th.getAttribute('aria-sort')==='ascending'?'descending':'ascending';"
	"Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});"
	"th.setAttribute('aria-sort',dir);"
	"var num=th.getAttribute('data-type')==='num',body=table.tBodies[0];"
	"var rows=Array.prototype.slice.call(body.rows).map(function(r,i){"
	"var c=r.cells[col],v=c.hasAttribute('data-sort')?c.getAttribute('data-sort'):c.textContent;"
	"return{row:r,i:i,empty:v==='',key:num?parseFloat(v):v};});"
	"rows.sort(function(a,b){"
	"if(a.empty!==b.empty)return a.empty?1:-1;"
	"var c=num?a.key-b.key:String(a.key).localeCompare(String(b.key));"
	"if(dir==='descending')c=-c;return c||a.i-b.i;});"
	"rows.forEach(function(x){body.appendChild(x.row);});"
	"if(live)live.textContent='Sorted by '+button.textContent+', '+dir+'.';"
	"});});});})();";

/* ------------------------------------------------------------------ */
/* Writing HTML                                                         */
/* ------------------------------------------------------------------ */

/* Text as HTML: markup characters escaped; control, separator and
 * bidirectional characters and bytes that are not UTF-8 shown as '?', as
 * every printed path and message is (diag.h). NULL writes nothing. */
static void esc(FILE *out, const char *text)
{
	if (!text)
		return;
	char *s = pep_path_shown(text);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t k = pep_utf8_seq(p);
		if (k == 0) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		if (k > 1) {
			fwrite(p, 1, k, out);
			p += k;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*p, out);
		}
		p++;
	}
	free(s);
}

static const char *iso(pep_day d, char buf[11])
{
	if (d == PEP_NO_DAY)
		return "";
	pep_date_format(d, buf);
	return buf;
}

/* "£12,345.67" (amounts are not negative). */
static void money(FILE *out, int64_t pence)
{
	char digits[24];
	snprintf(digits, sizeof digits, "%lld", (long long)((pence < 0 ? 0 : pence) / 100));
	fputs("£", out);
	for (size_t i = 0, n = strlen(digits); i < n; i++) {
		if (i && (n - i) % 3 == 0)
			fputc(',', out);
		fputc(digits[i], out);
	}
	fprintf(out, ".%02d", (int)((pence < 0 ? 0 : pence) % 100));
}

static const char *const status_words[] = {"Overdue", "Due soon", "OK", "No date"};
static const char *const status_signs[] = {"\xe2\x96\xb2 ", "\xe2\x97\x8f ", "\xe2\x9c\x93 ", "\xe2\x80\x93 "}; /* ▲ ● ✓ – */

/* ------------------------------------------------------------------ */
/* Charts: horizontal bars, each made of segments, with its words       */
/* ------------------------------------------------------------------ */

typedef struct segment {
	size_t v;
	const char *fill, *letter, *name;
} segment;

typedef struct bar {
	const char *label;
	segment seg[3];
	int nseg;
	char words[160];   /* what the bar says, beside it and in the text alternative */
	bool hidden;       /* suppressed: no bar, the words say so */
} bar;

#define CHART_LABEL 300
#define CHART_BAR 380
#define CHART_ROW 26

/* A label cut to fit: at most n characters (UTF-8), with "…". */
static void cut(FILE *out, const char *s, size_t n)
{
	size_t chars = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if ((*p & 0xc0) != 0x80 && ++chars > n) {
			fputs("…", out);
			return;
		}
		const unsigned char *q = p + 1;
		while ((*q & 0xc0) == 0x80)
			q++;
		char one[8] = {0};
		memcpy(one, p, (size_t)(q - p) < 7 ? (size_t)(q - p) : 7);
		esc(out, one);
		p = q;
	}
}

static void chart(FILE *out, const char *id, const char *title, const char *intro, const bar *bars, size_t n,
                  size_t scale)
{
	int height = (int)n * CHART_ROW + 10, width = CHART_LABEL + CHART_BAR + 300;
	fprintf(out, "<figure>\n<figcaption id=\"%s-title\">", id);
	esc(out, title);
	fprintf(out, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" "
	             "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
	        id, id, width, height, width, height);
	fprintf(out, "<desc id=\"%s-desc\">", id);
	esc(out, intro);
	for (size_t i = 0; i < n; i++) {
		fputs(" ", out);
		esc(out, bars[i].label);
		fputs(": ", out);
		esc(out, bars[i].words);
		fputs(".", out);
	}
	fputs("</desc>\n", out);
	for (size_t i = 0; i < n; i++) {
		const bar *b = &bars[i];
		int y = 5 + (int)i * CHART_ROW;
		fprintf(out, "<g><text x=\"%d\" y=\"%d\" text-anchor=\"end\">", CHART_LABEL - 8, y + 15);
		cut(out, b->label, 40);
		fputs("</text>", out);
		double x = CHART_LABEL;
		if (!b->hidden && scale)
			for (int s = 0; s < b->nseg; s++) {
				const segment *g = &b->seg[s];
				double w = (double)CHART_BAR * (double)g->v / (double)scale;
				if (g->v == 0)
					continue;
				fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\" stroke=\"#0b0c0c\" "
				             "stroke-width=\"0.5\"><title>",
				        x, y + 1, w, g->fill);
				esc(out, g->name);
				fprintf(out, ": %zu</title></rect>", g->v);
				if (g->letter && w >= 16)
					fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\" font-weight=\"bold\">%s</text>",
					        x + w / 2, y + 15, strcmp(g->fill, "#ffbf47") == 0 ? "#0b0c0c" : "#ffffff", g->letter);
				x += w;
			}
		fprintf(out, "<text x=\"%.1f\" y=\"%d\">", x + 8, y + 15);
		esc(out, b->words);
		fputs("</text></g>\n", out);
	}
	fputs("</svg>\n</figure>\n", out);
}

static void rag_bar(bar *b, const char *label, const size_t v[4], const bool hide[4])
{
	memset(b, 0, sizeof *b);
	b->label = label;
	b->hidden = hide[0] || hide[1] || hide[2] || hide[3];
	b->seg[0] = (segment){v[1], "#d4351c", "R", "red"};
	b->seg[1] = (segment){v[2], "#ffbf47", "A", "amber"};
	b->seg[2] = (segment){v[3], "#00703c", "G", "green"};
	b->nseg = 3;
	/* A suppressed count is [c], and then no bar is drawn. */
	char c[3][24];
	for (int i = 0; i < 3; i++)
		if (hide[i + 1])
			snprintf(c[i], sizeof c[i], "[c]");
		else
			snprintf(c[i], sizeof c[i], "%zu", v[i + 1]);
	snprintf(b->words, sizeof b->words, "%s red, %s amber, %s green%s", c[0], c[1], c[2],
	         b->hidden ? " ([c]: suppressed)" : "");
}

/* A share of PEPs: "24 of 27 (89 %)", or suppressed. */
static void share_bar(bar *b, const char *label, size_t v, bool hide_v, size_t of, bool hide_of, const char *fill)
{
	memset(b, 0, sizeof *b);
	b->label = label;
	b->hidden = hide_v || hide_of;
	b->seg[0] = (segment){of ? v * 100 / of : 0, fill, NULL, "per cent"};
	b->nseg = 1;
	if (b->hidden)
		snprintf(b->words, sizeof b->words, "%s", "suppressed (small numbers)");
	else if (!of)
		snprintf(b->words, sizeof b->words, "%s", "no PEP meetings");
	else
		snprintf(b->words, sizeof b->words, "%zu of %zu (%zu %%)", v, of, (v * 100 + of / 2) / of);
}

static void charts(FILE *out, const pep_caseload_report *r)
{
	fputs("<section aria-labelledby=\"charts\">\n<h2 id=\"charts\">Charts</h2>\n", out);
	/* QA grades of the current PEPs by school (the largest 15). */
	size_t n = r->nschools < 15 ? r->nschools : 15, scale = 0;
	bar *bars = pep_xcalloc(r->nterms * 2 + n + 1, sizeof *bars);
	for (size_t i = 0; i < n; i++) {
		rag_bar(&bars[i], r->schools[i].school, r->schools[i].v, r->schools[i].hide);
		if (r->schools[i].v[0] > scale)
			scale = r->schools[i].v[0];
	}
	if (n)
		chart(out, "chart-schools", "QA grade of each child's current PEP, by school",
		      "Bars show how many children at each school have a current PEP graded red (R), amber (A) and green (G).",
		      bars, n, scale);
	/* By term: PEPs held in timescale, signed off in time; QA grades. */
	char labels[64][48];
	size_t k = 0;
	for (size_t t = 0; t < r->nterms && k + 1 < 64; t++) {
		const pep_term_row *all = &r->terms[t].rows[r->terms[t].nrows - 1];
		snprintf(labels[k], sizeof labels[k], "%s: in timescale", r->terms[t].label);
		share_bar(&bars[k], labels[k], all->v[PEP_TF_IN_TIMESCALE], all->hide[PEP_TF_IN_TIMESCALE],
		          all->v[PEP_TF_PEPS], all->hide[PEP_TF_PEPS], "#1d70b8");
		k++;
		snprintf(labels[k], sizeof labels[k], "%s: signed off in time", r->terms[t].label);
		share_bar(&bars[k], labels[k], all->v[PEP_TF_SIGNED_IN_TIME], all->hide[PEP_TF_SIGNED_IN_TIME],
		          all->v[PEP_TF_PEPS], all->hide[PEP_TF_PEPS], "#4c2c92");
		k++;
	}
	char *intro = pep_xasprintf("Bars show the share of PEP meetings held within timescale, and signed off within the LA's "
	                        "limit (%s), in each term, out of 100 per cent.",
	                        r->signoff_limits);
	chart(out, "chart-timeliness", "Timeliness of the PEP meetings held, by term", intro, bars, k, 100);
	free(intro);
	scale = 0;
	for (size_t t = 0; t < r->nterms; t++) {
		const pep_term_row *all = &r->terms[t].rows[r->terms[t].nrows - 1];
		size_t v[4] = {all->v[PEP_TF_PEPS], all->v[PEP_TF_RED], all->v[PEP_TF_AMBER], all->v[PEP_TF_GREEN]};
		bool h[4] = {all->hide[PEP_TF_PEPS], all->hide[PEP_TF_RED], all->hide[PEP_TF_AMBER], all->hide[PEP_TF_GREEN]};
		rag_bar(&bars[t], r->terms[t].label, v, h);
		if (!h[0] && v[0] > scale)
			scale = v[0];
	}
	chart(out, "chart-terms", "QA grade of the PEP meetings held, by term",
	      "Bars show how many of the PEP meetings held in each term were graded red (R), amber (A) and green (G).",
	      bars, r->nterms, scale);
	free(bars);
	fputs("</section>\n", out);
}

/* ------------------------------------------------------------------ */
/* Tables                                                               */
/* ------------------------------------------------------------------ */

static void th_sort(FILE *out, const char *label, bool num)
{
	fprintf(out, "<th scope=\"col\"%s%s><button type=\"button\">", num ? " data-type=\"num\"" : "",
	        num ? " class=\"num\"" : "");
	esc(out, label);
	fputs("</button></th>", out);
}

static void td(FILE *out, const char *s)
{
	fputs("<td>", out);
	esc(out, s);
	fputs("</td>", out);
}

static void due_list(FILE *out, const pep_caseload_report *r)
{
	bool names = r->opts.names;
	fprintf(out, "<section aria-labelledby=\"due\">\n<h2 id=\"due\">Due list</h2>\n"
	             "<p>Every child, with their current PEP: overdue first, then by days left. Select a column heading "
	             "to sort by it (again to reverse). A next PEP within %d days is due soon.</p>\n"
	             "<p id=\"sort-status\" class=\"visually-hidden\" aria-live=\"polite\"></p>\n"
	             "<div class=\"scroll\"><table class=\"sortable\" id=\"due-list\">\n"
	             "<caption class=\"visually-hidden\">Children and when their next PEP is due</caption>\n<thead><tr>",
	        r->opts.within);
	th_sort(out, "Status", false);
	th_sort(out, "Days left", true);
	th_sort(out, "Next due", false);
	th_sort(out, "Basis", false);
	th_sort(out, "LA", false);
	th_sort(out, "LA child id", false);
	if (names)
		th_sort(out, "Name", false);
	th_sort(out, "Year", true);
	th_sort(out, "School", false);
	th_sort(out, "Social worker", false);
	th_sort(out, "Designated teacher", false);
	th_sort(out, "Last meeting", false);
	th_sort(out, "PEPs", true);
	th_sort(out, "QA grade", false);
	th_sort(out, "Errors", true);
	th_sort(out, "Warnings", true);
	th_sort(out, "Signed off", false);
	th_sort(out, "File", false);
	fputs("</tr></thead>\n<tbody>\n", out);
	char d[11];
	for (size_t i = 0; i < r->nchildren; i++) {
		const pep_child *ch = &r->children[i];
		fprintf(out, "<tr class=\"%s\"><td class=\"status\" data-sort=\"%d\">%s%s</td>", pep_status_names[ch->status],
		        (int)ch->status, status_signs[ch->status], status_words[ch->status]);
		if (ch->status == PEP_STATUS_NO_DATE)
			fputs("<td class=\"num\" data-sort=\"\">–</td>", out);
		else
			fprintf(out, "<td class=\"num\" data-sort=\"%d\">%d</td>", ch->days_left, ch->days_left);
		td(out, iso(ch->next_due, d));
		fputs("<td>", out);
		esc(out, ch->basis);
		if (ch->rule)
			fprintf(out, " (%s)", ch->rule);
		if (ch->no_calendar != PEP_NO_DAY)
			fprintf(out, " no calendar covers %s", iso(ch->no_calendar, d));
		fputs("</td>", out);
		td(out, ch->la);
		fputs("<th scope=\"row\">", out);
		if (ch->id) {
			esc(out, ch->id);
			if (ch->id_la && ch->la && strcmp(ch->id_la, ch->la) != 0) {
				fputs(" (", out);
				esc(out, ch->id_la);
				fputs(")", out);
			}
		}
		else if (ch->upn) {
			fputs("UPN ", out);
			esc(out, ch->upn);
		} else
			fputs("(no identifier)", out);
		fputs("</th>", out);
		if (names)
			td(out, ch->name);
		fprintf(out, "<td data-sort=\"%d\">", ch->year);
		esc(out, ch->year > 0 ? pep_year_names[ch->year] : "");
		fputs("</td><td class=\"wrap\">", out);
		esc(out, ch->school_name);
		if (ch->school_urn) {
			fputs(ch->school_name ? " (" : "(", out);
			esc(out, ch->school_urn);
			fputs(")", out);
		}
		fputs("</td>", out);
		td(out, ch->social_worker);
		td(out, ch->designated_teacher);
		fputs("<td>", out);
		if (ch->last_meeting != PEP_NO_DAY) {
			fprintf(out, "%s ", iso(ch->last_meeting, d));
			esc(out, ch->last_kind);
		} else {
			fputs("none held", out);
		}
		if (ch->booked != PEP_NO_DAY)
			fprintf(out, "; booked %s", iso(ch->booked, d));
		else if (ch->in_progress) {
			fputs("; ", out);
			esc(out, ch->last_meeting != PEP_NO_DAY ? "next" : ch->kind);
			fputs(" in progress", out);
		}
		fputs("</td>", out);
		fprintf(out, "<td class=\"num\">%zu</td><td><span class=\"grade %s\">%s</span></td>", ch->peps, ch->grade,
		        ch->grade);
		fprintf(out, "<td class=\"num\">%zu</td><td class=\"num\">%zu</td>", ch->errors, ch->warnings);
		if (ch->signoff_late)
			fprintf(out, "<td>late (due %s)</td>", iso(ch->signoff_due, d));
		else
			td(out, iso(ch->signed_off, d));
		fputs("<td class=\"file\">", out);
		esc(out, ch->file);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table></div>\n</section>\n", out);
}

static void cell_count(FILE *out, size_t v, bool hide)
{
	if (hide)
		fputs("<td class=\"num\">[c]</td>", out);
	else
		fprintf(out, "<td class=\"num\">%zu</td>", v);
}

static void terms_table(FILE *out, const pep_caseload_report *r)
{
	bool grouped = r->opts.by != PEP_BY_NONE;
	fprintf(out, "<section aria-labelledby=\"terms\">\n<h2 id=\"terms\">Termly figures</h2>\n"
	             "<p>PEP meetings held in each term of the school's calendar, from the PEPs read. In timescale: an "
	             "initial PEP within the days its LA allows after the child became looked after (%s–%s), a review "
	             "within its LA's limit after the meeting before it (%s: ",
	        pep_rules[PEP_RULE_T01].id, pep_rules[PEP_RULE_T04].id, pep_rules[PEP_RULE_T05].id);
	esc(out, r->review_limits);
	fprintf(out, "). Signed off in time: every section marked complete within its LA's limit after the meeting (%s "
	             "where the LA applies it: ",
	        pep_rules[PEP_RULE_T09].id);
	esc(out, r->signoff_limits);
	fputs("). [c]: suppressed.</p>\n<div class=\"scroll\"><table id=\"term-figures\">\n"
	      "<caption class=\"visually-hidden\">Termly figures</caption>\n<thead><tr><th scope=\"col\">Term</th>",
	      out);
	if (grouped) {
		fputs("<th scope=\"col\">", out);
		esc(out, pep_breakdown_headings[r->opts.by]);
		fputs("</th>", out);
	}
	static const char *const heads[PEP_TF_COUNT] = {
		"Children with a PEP", "Children due one, with none", "PEPs held", "In timescale",
		"Signed off in time", "Red", "Amber", "Green", "PP+ requests",
	};
	for (int f = 0; f < PEP_TF_COUNT; f++)
		fprintf(out, "<th scope=\"col\" class=\"num\">%s</th>", heads[f]);
	fputs("<th scope=\"col\" class=\"num\">PP+ requested</th></tr></thead>\n<tbody>\n", out);
	for (size_t t = 0; t < r->nterms; t++) {
		const pep_term *term = &r->terms[t];
		for (size_t k = 0; k < term->nrows; k++) {
			const pep_term_row *row = &term->rows[k == 0 ? term->nrows - 1 : k - 1];
			fputs("<tr>", out);
			if (k == 0)
				fprintf(out, "<th scope=\"rowgroup\" rowspan=\"%zu\">%s</th>", term->nrows, term->label);
			if (grouped) {
				fputs("<th scope=\"row\">", out);
				esc(out, row->group ? row->group : "all");
				fputs("</th>", out);
			}
			for (int f = 0; f < PEP_TF_COUNT; f++)
				cell_count(out, row->v[f], row->hide[f]);
			fputs("<td class=\"num\">", out);
			if (row->hide[PEP_TF_PP_REQUESTS])
				fputs("[c]", out);
			else
				money(out, row->pp_pence);
			fputs("</td></tr>\n", out);
		}
	}
	fputs("</tbody>\n</table></div>\n", out);
	if (r->terms_by_months)
		fputs("<p class=\"note\">Where no calendar covers a date, its term is taken from the months (September to "
		      "December, January to March, April to August).</p>\n", out);
	fputs("<p class=\"note\">[c] ", out);
	esc(out, pep_suppress_rule);
	fputs("</p>\n</section>\n", out);
}

static void cohort_table(FILE *out, const pep_caseload_report *r)
{
	fputs("<section aria-labelledby=\"cohort\">\n<h2 id=\"cohort\">The children's current PEPs</h2>\n"
	      "<table id=\"cohort-figures\"><caption class=\"visually-hidden\">Figures of the current PEPs</caption>\n"
	      "<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\" class=\"num\">Count</th>"
	      "<th scope=\"col\" class=\"num\">Share</th></tr></thead>\n<tbody>\n", out);
	for (int f = 0; f < PEP_CF_COUNT; f++) {
		int of = pep_cohort_figure_of[f];
		fputs("<tr><th scope=\"row\">", out);
		esc(out, pep_cohort_figure_labels[f]);
		fputs("</th>", out);
		cell_count(out, r->cohort[f], r->cohort_hide[f]);
		if (!r->cohort_hide[f] && of >= 0 && !r->cohort_hide[of] && r->cohort[of])
			fprintf(out, "<td class=\"num\">%.1f %%</td></tr>\n", 100.0 * (double)r->cohort[f] / (double)r->cohort[of]);
		else
			fputs("<td></td></tr>\n", out);
	}
	fputs("<tr><th scope=\"row\">PP+ requested in current PEPs</th><td class=\"num\">", out);
	if (r->cohort_hide[PEP_CF_PP_REQUESTS])
		fputs("[c]", out);
	else
		money(out, r->pp_pence);
	fputs("</td><td></td></tr>\n</tbody></table>\n", out);
	if (r->opts.summary) {
		fputs("<p class=\"note\">[c] ", out);
		esc(out, pep_suppress_rule);
		fputs("</p>\n", out);
	}
	fputs("</section>\n", out);
}

static void cards(FILE *out, const pep_caseload_report *r)
{
	static const struct {
		int figure;
		const char *cls, *label;
	} c[] = {
		{PEP_CF_OVERDUE, "overdue", "\xe2\x96\xb2 next PEP overdue"},
		{PEP_CF_DUE_SOON, "due-soon", "\xe2\x97\x8f next PEP due soon"},
		{PEP_CF_OK, "ok", "\xe2\x9c\x93 not due yet"},
		{PEP_CF_NO_DATE, "no-date", "\xe2\x80\x93 without a date"},
		{PEP_CF_SIGNOFF_LATE, "late", "\xe2\x96\xa0 not signed off in time"},
	};
	fputs("<ul class=\"cards\" aria-label=\"Children by status\">\n", out);
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		fprintf(out, "<li class=\"%s\"><span class=\"n\">", c[i].cls);
		if (r->cohort_hide[c[i].figure])
			fputs("[c]", out);
		else
			fprintf(out, "%zu", r->cohort[c[i].figure]);
		fprintf(out, "</span> %s</li>\n", c[i].label);
	}
	fputs("</ul>\n", out);
}

static void unread(FILE *out, const pep_caseload_report *r)
{
	if (!r->nunread)
		return;
	if (r->opts.summary) {
		/* File names often hold a child's name: a count, not a list. */
		fprintf(out, "<p class=\"note\">%zu file%s could not be read as %s and %s left out; <code>pep check</code> "
		             "on the same folders lists %s.</p>\n",
		        r->nunread, r->nunread == 1 ? "" : "s", r->nunread == 1 ? "a PEP" : "PEPs", r->nunread == 1 ? "is" : "are",
		        r->nunread == 1 ? "it" : "them");
		return;
	}
	fprintf(out, "<section aria-labelledby=\"unread\">\n<h2 id=\"unread\">Files not read as PEPs (%zu)</h2>\n"
	             "<p>Run <code>pep validate FILE</code> on each to see why.</p>\n<ul>\n", r->nunread);
	for (size_t i = 0; i < r->nunread; i++) {
		fputs("<li><span class=\"file\">", out);
		esc(out, r->unread[i].file);
		fprintf(out, "</span> [%s]</li>\n", r->unread[i].rule);
	}
	fputs("</ul>\n</section>\n", out);
}

void pep_caseload_write_html(FILE *out, const pep_caseload_report *r)
{
	char style_hash[45], script_hash[45], d[11];
	pep_sha256_base64(style, strlen(style), style_hash);
	pep_sha256_base64(script, strlen(script), script_hash);
	const char *marking = r->opts.names ? "OFFICIAL-SENSITIVE" : NULL;
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
	             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-%s'; "
	             "script-src 'sha256-%s'; img-src 'none'; base-uri 'none'; form-action 'none'\">\n"
	             "<meta name=\"referrer\" content=\"no-referrer\">\n"
	             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	             "<meta name=\"generator\" content=\"pep %s\">\n<title>%s%sPEP caseload as of %s</title>\n<style>%s</style>\n"
	             "</head>\n<body>\n<header>\n",
	        style_hash, script_hash, PEP_VERSION, marking ? marking : "", marking ? ": " : "", iso(r->opts.as_of, d),
	        style);
	if (marking)
		fprintf(out, "<p class=\"marking\">%s</p>\n", marking);
	fprintf(out, "<h1>PEP caseload%s</h1>\n<p class=\"lede\">As of %s: ", r->opts.summary ? " figures" : "",
	        iso(r->opts.as_of, d));
	if (r->opts.summary)
		fputs("aggregates only, small numbers suppressed.", out);
	else
		fprintf(out, "%zu child%s, from %zu PEP%s in %zu file%s.", r->nchildren, r->nchildren == 1 ? "" : "ren",
		        r->peps, r->peps == 1 ? "" : "s", r->files, r->files == 1 ? "" : "s");
	if (marking)
		fputs(" This page names children: keep it as your LA keeps case records.", out);
	fputs("</p>\n</header>\n<main>\n", out);
	cards(out, r);
	if (!r->opts.summary)
		due_list(out, r);
	charts(out, r);
	terms_table(out, r);
	cohort_table(out, r);
	unread(out, r);
	fprintf(out, "</main>\n<footer>\n%s%s%sMade by pep %s from the PEP files. Children are identified by their LA "
	             "and LA child id%s.</footer>\n<script>%s</script>\n</body>\n</html>\n",
	        marking ? "<p class=\"marking\">" : "", marking ? marking : "", marking ? "</p>\n" : "", PEP_VERSION,
	        r->opts.names ? " and named" : ", never by name", script);
}
