/* html.c: a document as one self-contained HTML page (see html.h). */
#include "html.h"

#include <string.h>

#include "outfile.h"

/* The page's look; the print rules put the marks on every page. */
static const char style[] =
	":root{--ink:#1a1a1a;--navy:#1f3a5f;--grey:#55606b;--line:#a8b3bf;--fill:#f1f4f8;--head:#dce4ee;"
	"--note:#e8f1fb;--error:#fdecee;--red:#b00020}\n"
	"body{margin:0;font:15px/1.45 \"DejaVu Sans\",\"Verdana\",sans-serif;color:var(--ink);background:#fff}\n"
	"body.large{font-size:18.75px}\n"
	".marks{padding:.5em 1.5em;border-bottom:2px solid var(--navy);font-size:.85em;color:var(--grey)}\n"
	".marks p{margin:.15em 0}\n"
	"footer.marks{border-bottom:0;border-top:1px solid var(--navy);margin-top:2em}\n"
	".marking{text-align:center;font-weight:bold;color:var(--ink);letter-spacing:.05em}\n"
	".running{display:flex;justify-content:space-between;gap:1em;flex-wrap:wrap}\n"
	".band{background:var(--red);color:#fff;font-weight:bold;text-align:center;padding:.2em;margin:.3em 0}\n"
	"main{max-width:52em;margin:0 auto;padding:1em 1.5em}\n"
	"h1{color:var(--navy);font-size:2em;margin:.3em 0 0}\n"
	".subtitle{color:var(--navy);font-weight:bold;font-size:1.2em;margin:0 0 1em}\n"
	"h2{background:var(--navy);color:#fff;font-size:1.2em;padding:.3em .6em;margin:1.6em 0 .6em}\n"
	"h3,h2.part{color:var(--navy);background:none;font-size:1.05em;padding:0;border-bottom:1.5px solid var(--navy);"
	"margin:1.2em 0 .4em}\n"
	"p,.text{white-space:pre-line;margin:.3em 0 .6em}\n"
	".label{font-weight:bold;margin:.6em 0 0}\n"
	"table{border-collapse:collapse;width:100%;margin:.4em 0 .9em}\n"
	"th,td{border:1px solid var(--line);padding:.25em .4em;vertical-align:top;text-align:left;"
	"white-space:pre-line;overflow-wrap:break-word}\n"
	"thead th{background:var(--head);color:var(--navy);font-size:.92em}\n"
	"table.kv th{background:var(--fill);width:32%}\n"
	"tbody th{font-weight:normal}\ntable.kv tbody th{font-weight:bold}\n"
	".nw{white-space:nowrap}\n"
	".hint{color:var(--grey)}\n"
	"td.room{height:2.6em}\n"
	".ruled{height:2em;border-bottom:1px solid var(--line)}\n"
	".notice{padding:.4em .8em;border-left:4px solid var(--navy);background:var(--note);margin:.6em 0}\n"
	".notice.error{border-color:var(--red);background:var(--error)}\n"
	".notice p{margin:0}.notice ul{margin:.3em 0 0;padding-left:1.4em}\n"
	"@media print{\n"
	"body{font-size:9.5pt}body.large{font-size:12pt}\n"
	".marks{display:none}main{max-width:none;padding:0}\n"
	"h2,h3,.label{break-after:avoid}tr,.notice{break-inside:avoid}\n"
	"h2{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"thead th,table.kv th,.notice{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"}\n";

/* ------------------------------------------------------------------ */
/* Escaping                                                             */
/* ------------------------------------------------------------------ */

/* Text for an element or an attribute value. */
static void esc(pep_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': pep_buf_puts(b, "&amp;"); break;
		case '<': pep_buf_puts(b, "&lt;"); break;
		case '>': pep_buf_puts(b, "&gt;"); break;
		case '"': pep_buf_puts(b, "&quot;"); break;
		case '\'': pep_buf_puts(b, "&#39;"); break;
		case '\r': break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				pep_buf_putc(b, *s);
		}
	}
}

/* A CSS string (in a <style> element): quotes, backslashes and line
 * breaks escaped, and '<' too, so that no "</style" can end it. */
static void css_string(pep_buf *b, const char *s)
{
	pep_buf_putc(b, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20)
			pep_buf_printf(b, "\\%X ", c);
		else
			pep_buf_putc(b, *s);
	}
	pep_buf_putc(b, '"');
}

/* ------------------------------------------------------------------ */
/* Text                                                                 */
/* ------------------------------------------------------------------ */

static void spans(pep_buf *b, pep_rich r)
{
	for (size_t i = 0; i < r.n; i++) {
		const pep_span *sp = &r.v[i];
		const char *cls = sp->flags & PEP_SPAN_HINT ? "hint" : sp->flags & PEP_SPAN_KEEP ? "nw" : NULL;
		if (cls)
			pep_buf_printf(b, "<span class=\"%s\">", cls);
		if (sp->font == PEP_FONT_BOLD)
			pep_buf_puts(b, "<strong>");
		esc(b, sp->text);
		if (sp->font == PEP_FONT_BOLD)
			pep_buf_puts(b, "</strong>");
		if (cls)
			pep_buf_puts(b, "</span>");
	}
}

/* A label cell's text: plain (the row header is bold already). */
static void plain(pep_buf *b, pep_rich r)
{
	for (size_t i = 0; i < r.n; i++)
		esc(b, r.v[i].text);
}

/* ------------------------------------------------------------------ */
/* Blocks                                                               */
/* ------------------------------------------------------------------ */

static void table(pep_buf *b, const pep_table *t)
{
	if (!t->nrows)
		return;
	pep_buf_puts(b, t->kv ? "<table class=\"kv\">\n" : "<table>\n");
	if (!t->kv) {
		pep_buf_puts(b, "<thead><tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			pep_buf_puts(b, "<th scope=\"col\">");
			esc(b, t->cols[c].header);
			pep_buf_puts(b, "</th>");
		}
		pep_buf_puts(b, "</tr></thead>\n");
	}
	pep_buf_puts(b, "<tbody>\n");
	/* The row header: the label of a label/value row, else the first key
	 * column. */
	size_t head = 0;
	bool has_head = t->kv;
	for (size_t c = 0; !t->kv && c < t->ncols; c++)
		if (t->cols[c].key) {
			head = c;
			has_head = true;
			break;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		pep_buf_puts(b, "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			const pep_cell *cell = &t->cells[r * t->ncols + c];
			bool th = has_head && c == head && cell->text.n;
			bool room = !cell->text.n && cell->lines > 0;
			pep_buf_puts(b, th ? "<th scope=\"row\">" : room ? "<td class=\"room\">" : "<td>");
			if (th && t->kv)
				plain(b, cell->text);
			else
				spans(b, cell->text);
			pep_buf_puts(b, th ? "</th>" : "</td>");
		}
		pep_buf_puts(b, "</tr>\n");
	}
	pep_buf_puts(b, "</tbody></table>\n");
}

static void block(pep_buf *b, const pep_block *k, bool *in_section)
{
	switch (k->kind) {
	case PEP_BLOCK_TITLE:
		pep_buf_puts(b, "<h1>");
		esc(b, k->text);
		pep_buf_puts(b, "</h1>\n");
		if (k->text2) {
			pep_buf_puts(b, "<p class=\"subtitle\">");
			esc(b, k->text2);
			pep_buf_puts(b, "</p>\n");
		}
		break;
	case PEP_BLOCK_HEADING:
		if (*in_section)
			pep_buf_puts(b, "</section>\n");
		pep_buf_puts(b, "<section>\n<h2>");
		esc(b, k->text);
		pep_buf_puts(b, "</h2>\n");
		*in_section = true;
		break;
	case PEP_BLOCK_SUBHEADING:
		/* (before the first section, a part of the title block: h2, so
		 * that no heading level is skipped) */
		pep_buf_puts(b, *in_section ? "<h3>" : "<h2 class=\"part\">");
		esc(b, k->text);
		pep_buf_puts(b, *in_section ? "</h3>\n" : "</h2>\n");
		break;
	case PEP_BLOCK_PARAGRAPH:
		pep_buf_puts(b, "<p>");
		spans(b, k->rich);
		pep_buf_puts(b, "</p>\n");
		break;
	case PEP_BLOCK_FIELD:
		pep_buf_puts(b, "<div class=\"field\"><p class=\"label\">");
		esc(b, k->text);
		pep_buf_puts(b, "</p>");
		if (k->rich.n) {
			pep_buf_puts(b, "<div class=\"text\">");
			spans(b, k->rich);
			pep_buf_puts(b, "</div>");
		} else {
			for (int i = 0; i < k->lines; i++)
				pep_buf_puts(b, "<div class=\"ruled\"></div>");
		}
		pep_buf_puts(b, "</div>\n");
		break;
	case PEP_BLOCK_NOTICE:
		pep_buf_printf(b, "<div class=\"notice%s\" role=\"note\">", k->tone == PEP_TONE_ERROR ? " error" : "");
		if (k->nitems) {
			/* a list, one item a line, as a screen reader counts it */
			pep_buf_puts(b, "<p>");
			spans(b, k->rich);
			pep_buf_puts(b, "</p><ul>");
			for (size_t i = 0; i < k->nitems; i++) {
				pep_buf_puts(b, "<li>");
				spans(b, k->items[i]);
				pep_buf_puts(b, "</li>");
			}
			pep_buf_puts(b, "</ul>");
		} else {
			spans(b, k->rich);
		}
		pep_buf_puts(b, "</div>\n");
		break;
	case PEP_BLOCK_TABLE:
		table(b, &k->table);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* The page                                                             */
/* ------------------------------------------------------------------ */

/* The print rules: the marks in the page margins of every page. */
static void print_marks(pep_buf *b, const pep_document_info *in)
{
	pep_buf_puts(b, "@page{size:A4;margin:22mm 17mm 20mm;\n@top-center{content:");
	pep_buf mark = PEP_BUF_INIT;
	pep_buf_puts(&mark, in->marking ? in->marking : "");
	if (in->not_signed_off)
		pep_buf_printf(&mark, "\n%s", in->not_signed_off);
	css_string(b, pep_buf_str(&mark));
	pep_buf_free(&mark);
	pep_buf_printf(b, ";white-space:pre;text-align:center;font:bold 9pt sans-serif;color:%s}\n",
	               in->not_signed_off ? "#b00020" : "#1a1a1a");
	pep_buf_puts(b, "@top-left{content:");
	css_string(b, in->running);
	pep_buf_puts(b, ";font:8pt sans-serif;color:#55606b}\n@top-right{content:");
	css_string(b, in->id_line);
	pep_buf_puts(b, ";font:8pt sans-serif;color:#55606b}\n@bottom-center{content:");
	css_string(b, in->marking);
	pep_buf_puts(b, ";font:bold 9pt sans-serif}\n@bottom-left{content:");
	css_string(b, in->generated);
	pep_buf_puts(b, ";font:7.5pt sans-serif;color:#55606b}\n"
	                "@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);font:8pt sans-serif}}\n");
}

static void marks(pep_buf *b, const pep_document_info *in, bool head)
{
	pep_buf_puts(b, head ? "<header class=\"marks\">\n" : "<footer class=\"marks\">\n");
	pep_buf_puts(b, "<p class=\"marking\">");
	esc(b, in->marking);
	pep_buf_puts(b, "</p>\n");
	if (head) {
		pep_buf_puts(b, "<p class=\"running\"><span>");
		esc(b, in->running);
		pep_buf_puts(b, "</span> <span>");
		esc(b, in->id_line);
		pep_buf_puts(b, "</span></p>\n");
		if (in->not_signed_off) {
			pep_buf_puts(b, "<p class=\"band\">");
			esc(b, in->not_signed_off);
			pep_buf_puts(b, "</p>\n");
		}
		pep_buf_puts(b, "</header>\n");
	} else {
		pep_buf_puts(b, "<p>");
		esc(b, in->generated);
		pep_buf_puts(b, "</p>\n</footer>\n");
	}
}

void pep_html_write(const pep_document *doc, pep_buf *b)
{
	const pep_document_info *in = pep_document_info_of(doc);
	pep_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
	esc(b, in->lang ? in->lang : "en-GB");
	pep_buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	                "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
	                "<meta name=\"referrer\" content=\"no-referrer\">\n"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	esc(b, in->title);
	pep_buf_puts(b, "</title>\n<meta name=\"description\" content=\"");
	esc(b, in->subject);
	pep_buf_puts(b, "\">\n<meta name=\"author\" content=\"");
	esc(b, in->author);
	pep_buf_puts(b, "\">\n");
	if (in->identity) {
		pep_buf_puts(b, "<meta name=\"" PEP_IDENTITY_HTML_META "\" content=\"");
		esc(b, in->identity);
		pep_buf_puts(b, "\">\n");
	}
	pep_buf_puts(b, "<style>\n");
	pep_buf_puts(b, style);
	print_marks(b, in);
	pep_buf_puts(b, "</style>\n</head>\n");
	pep_buf_puts(b, in->large ? "<body class=\"large\">\n" : "<body>\n");
	marks(b, in, true);
	pep_buf_puts(b, "<main>\n");
	bool in_section = false;
	for (size_t i = 0; i < pep_document_count(doc); i++)
		block(b, pep_document_block(doc, i), &in_section);
	if (in_section)
		pep_buf_puts(b, "</section>\n");
	pep_buf_puts(b, "</main>\n");
	marks(b, in, false);
	pep_buf_puts(b, "</body>\n</html>\n");
}
