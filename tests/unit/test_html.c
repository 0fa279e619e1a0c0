/* test_html.c: the HTML writer (src/render/html.c) on hand-made documents:
 * structure, escaping in text, attributes and the print style sheet's
 * strings, and a paper form's empty fields. */
#include "test.h"

#include "document.h"
#include "html.h"
#include "strbuf.h"

static char *html_of(const pep_document *d)
{
	pep_buf b = PEP_BUF_INIT;
	pep_html_write(d, &b);
	return pep_buf_detach(&b);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static pep_document *sample(const char *running)
{
	pep_document *d = pep_document_new();
	pep_document_info in = {"en-GB", "Personal Education Plan, meeting of 11 March 2026", "Review PEP",
	                        "Kent County Council", NULL, "OFFICIAL-SENSITIVE", running, "LA child ID KCC-1",
	                        "Generated 11 March 2026 by pep test", NULL, false};
	pep_document_set_info(d, &in);
	pep_document_title(d, "Personal Education Plan", "Review PEP");
	pep_document_subheading(d, "About this PEP");
	pep_document_heading(d, "Section A");
	pep_document_subheading(d, "Personal details");
	pep_document_table(d, true, 2, NULL);
	pep_span l = {PEP_FONT_BOLD, 0, "Given names"}, v = {PEP_FONT_REGULAR, 0, "Zoë <b>&amp;"};
	pep_cell row[2] = {{{&l, 1}, 0}, {{&v, 1}, 0}};
	pep_document_row(d, row);
	pep_column cols[2] = {{"Who", true, 0}, {"Phone", false, 0}};
	pep_document_table(d, false, 2, cols);
	pep_span who = {PEP_FONT_REGULAR, 0, "Carer"}, ph = {PEP_FONT_REGULAR, PEP_SPAN_KEEP, "01632 960147"};
	pep_cell r2[2] = {{{&who, 1}, 0}, {{&ph, 1}, 0}};
	pep_document_row(d, r2);
	pep_document_field(d, "Summary", NULL, 0, 3);
	return d;
}

static void test_structure(void **state)
{
	(void)state;
	pep_document *d = sample("Personal Education Plan: Zoë Clarke");
	char *h = html_of(d);
	assert_non_null(strstr(h, "<html lang=\"en-GB\">"));
	assert_int_equal(count(h, "<h1>"), 1);
	/* a part of the title block is an h2, so that no level is skipped */
	assert_non_null(strstr(h, "<h2 class=\"part\">About this PEP</h2>"));
	assert_non_null(strstr(h, "<section>\n<h2>Section A</h2>"));
	assert_non_null(strstr(h, "<h3>Personal details</h3>"));
	assert_non_null(strstr(h, "<th scope=\"row\">Given names</th>"));
	assert_non_null(strstr(h, "<th scope=\"col\">Who</th><th scope=\"col\">Phone</th>"));
	assert_non_null(strstr(h, "<th scope=\"row\">Carer</th><td><span class=\"nw\">01632 960147</span></td>"));
	assert_int_equal(count(h, "<div class=\"ruled\"></div>"), 3);
	assert_non_null(strstr(h, "default-src 'none'"));
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<link"));
	free(h);
	pep_document_free(d);
}

static void test_text_is_escaped_everywhere(void **state)
{
	(void)state;
	/* a name that would end the style sheet, open a script or close a
	 * CSS string */
	pep_document *d = sample("Personal Education Plan: \"</style><script>alert(1)</script>\\");
	char *h = html_of(d);
	assert_non_null(strstr(h, "Zoë &lt;b&gt;&amp;amp;"));
	assert_null(strstr(h, "<script>"));
	/* inside <style> the only "</style" is the real end */
	char *style = strstr(h, "<style>");
	assert_non_null(style);
	char *end = strstr(style, "</style>");
	assert_non_null(end);
	assert_int_equal(count(style, "</style"), 1);
	/* the running header in the page margin, as a CSS string */
	assert_non_null(strstr(style, "@top-left{content:\"Personal Education Plan: \\22 \\3C /style\\3E \\3C script\\3E "
	                              "alert(1)\\3C /script\\3E \\5C \""));
	/* and in the page, as text */
	assert_non_null(strstr(h, "&quot;&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\"));
	free(h);
	pep_document_free(d);
}

static void test_marks_band_and_large_type(void **state)
{
	(void)state;
	pep_document *d = pep_document_new();
	pep_document_info in = {NULL, "t", "s", "a", "KCC-1 2026-03-11", "OFFICIAL-SENSITIVE", "r", "id", "g",
	                        "NOT SIGNED OFF — 2 errors", true};
	pep_document_set_info(d, &in);
	pep_span sp[2] = {{PEP_FONT_BOLD, 0, "NOT SIGNED OFF — 2 errors. "}, {PEP_FONT_REGULAR, 0, "Fix these:"}};
	pep_document_notice(d, PEP_TONE_ERROR, sp, 2);
	pep_document_item(d, &(pep_span){PEP_FONT_REGULAR, 0, "[T06] one"}, 1);
	pep_document_item(d, &(pep_span){PEP_FONT_REGULAR, 0, "[D01] two"}, 1);
	char *h = html_of(d);
	assert_non_null(strstr(h, "<body class=\"large\">"));
	assert_non_null(strstr(h, "<p class=\"band\">NOT SIGNED OFF — 2 errors</p>"));
	assert_non_null(strstr(h, "@top-center{content:\"OFFICIAL-SENSITIVE\\A NOT SIGNED OFF — 2 errors\""));
	assert_non_null(strstr(h, "<div class=\"notice error\" role=\"note\"><p><strong>NOT SIGNED OFF"));
	/* each failing rule an item of a list */
	assert_non_null(strstr(h, "Fix these:</p><ul><li>[T06] one</li><li>[D01] two</li></ul></div>"));
	assert_non_null(strstr(h, "<meta name=\"pep-identity\" content=\"KCC-1 2026-03-11\">"));
	assert_int_equal(count(h, "OFFICIAL-SENSITIVE</p>"), 2); /* head and foot of the page */
	free(h);
	pep_document_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_text_is_escaped_everywhere),
		cmocka_unit_test(test_marks_band_and_large_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
