/* test_layout.c: line breaking and pagination (src/render/layout.c), with a width
 * function of our own: every character (not byte) is 1 point wide, 2 in
 * bold, so that the expected lines can be worked out by hand. */
#include "test.h"

#include <math.h>

#include "document.h"
#include "layout.h"
#include "strbuf.h"
#include "xalloc.h"

static double chars(void *ctx, pep_font font, double size, const char *s, size_t n)
{
	(void)ctx;
	(void)size;
	double w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w += font == PEP_FONT_BOLD ? 2 : 1;
	return w;
}

/* The lines of text broken at width, as "line|line|line". */
static char *lines_of(const pep_span *sp, size_t n, double width)
{
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	pep_layout_break(sp, n, 10, width, chars, NULL, &ls);
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < ls.n; i++) {
		if (i)
			pep_buf_putc(&b, '|');
		double x = 0;
		for (size_t k = ls.v[i].first; k < ls.v[i].first + ls.v[i].count; k++) {
			const pep_layout_frag *f = &ls.frags[k];
			if (f->x > x + 0.01)
				pep_buf_putc(&b, ' '); /* a gap between frags is a space */
			pep_buf_add(&b, f->s, f->n);
			x = f->x + f->w;
		}
		assert_true(ls.v[i].width <= width + 1e-9 || ls.v[i].count == 1);
	}
	pep_layout_lines_free(&ls);
	return pep_buf_detach(&b);
}

static char *plain(const char *text, double width)
{
	pep_span sp = {PEP_FONT_REGULAR, 0, text};
	return lines_of(&sp, 1, width);
}

#define assert_lines(got, want) \
	do { \
		char *g_ = (got); \
		assert_string_equal(g_, want); \
		free(g_); \
	} while (0)

static void test_breaks_at_spaces_greedily(void **state)
{
	(void)state;
	assert_lines(plain("the cat sat on the mat", 7), "the cat|sat on|the mat");
	assert_lines(plain("the cat sat on the mat", 100), "the cat sat on the mat");
	assert_lines(plain("  lead   and   trail  ", 100), "lead and trail");
	assert_lines(plain("", 10), "");
	assert_lines(plain("   \n\n  ", 10), "");
}

static void test_a_long_word_breaks_between_characters(void **state)
{
	(void)state;
	assert_lines(plain("abcdefghij", 4), "abcd|efgh|ij");
	assert_lines(plain("go abcdefghij go", 4), "go|abcd|efgh|ij|go");
	/* never inside a UTF-8 sequence: Ł and ễ are one character each */
	assert_lines(plain("ŁŁŁŁŁ", 2), "ŁŁ|ŁŁ|Ł");
	assert_lines(plain("Nguyễn", 3), "Ngu|yễn");
	/* a combining mark stays with its letter: e + U+0301 (2 wide here) */
	assert_lines(plain("abe\xCC\x81" "cd", 3), "ab|e\xCC\x81" "c|d");
	/* a column narrower than one character still makes progress */
	assert_lines(plain("abc", 0.5), "a|b|c");
}

static void test_forced_breaks_and_paragraphs(void **state)
{
	(void)state;
	assert_lines(plain("one\ntwo", 100), "one|two");
	assert_lines(plain("one\n\n\n\ntwo", 100), "one||two"); /* blank lines collapse to one */
	assert_lines(plain("one  \n   two\n", 100), "one|two");
}

static void test_spans_of_two_fonts(void **state)
{
	(void)state;
	pep_span sp[3] = {{PEP_FONT_BOLD, 0, "By: "}, {PEP_FONT_REGULAR, 0, "19 June 2026"}, {PEP_FONT_REGULAR, 0, "\nnext"}};
	/* "By:" is 6 wide in bold, its space 2, "19" 2, a space 1, "June" 4 */
	assert_lines(lines_of(sp, 3, 15), "By: 19 June|2026|next");
	assert_lines(lines_of(sp, 3, 14), "By: 19|June 2026|next");
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	pep_layout_break(sp, 3, 10, 15, chars, NULL, &ls);
	assert_int_equal(ls.v[0].count, 2);
	assert_int_equal(ls.frags[0].font, PEP_FONT_BOLD);
	assert_true(ls.frags[0].w == 6);
	assert_int_equal(ls.frags[1].font, PEP_FONT_REGULAR);
	assert_true(ls.frags[1].x == 8); /* 6 for "By:" and 2 for its bold space */
	pep_layout_lines_free(&ls);
}

static void test_words_run_into_one_frag(void **state)
{
	(void)state;
	pep_span sp = {PEP_FONT_REGULAR, 0, "one two three"};
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	pep_layout_break(&sp, 1, 10, 100, chars, NULL, &ls);
	assert_int_equal(ls.n, 1);
	assert_int_equal(ls.v[0].count, 1); /* one text run, so text extractors see the spaces */
	assert_int_equal(ls.frags[0].n, 13);
	pep_layout_lines_free(&ls);
}

static void test_keep_spans_stay_whole_when_they_fit(void **state)
{
	(void)state;
	pep_span sp[3] = {{PEP_FONT_REGULAR, 0, "ring "}, {PEP_FONT_REGULAR, PEP_SPAN_KEEP, "01632 960147"},
	                  {PEP_FONT_REGULAR, 0, " today"}};
	/* "ring 01632" would fit in 10, but the number stays whole */
	assert_lines(lines_of(sp, 3, 12), "ring|01632 960147|today");
	assert_lines(lines_of(sp, 3, 17), "ring 01632 960147|today");
	/* longer than a line: broken at its spaces, then between characters */
	assert_lines(lines_of(sp, 3, 7), "ring|01632|960147|today");
	assert_lines(lines_of(sp, 3, 4), "ring|0163|2|9601|47|toda|y");
	/* without the flag the number is two words */
	sp[1].flags = 0;
	assert_lines(lines_of(sp, 3, 12), "ring 01632|960147 today");
}

static void test_zero_width_spaces_are_break_points(void **state)
{
	(void)state;
	assert_lines(plain("aaa\xE2\x80\x8B" "bbb", 4), "aaa|bbb");
	assert_lines(plain("aaa\xE2\x80\x8B" "bbb", 10), "aaabbb");
	/* 22,000 of them: nothing to draw, and quickly */
	pep_buf b = PEP_BUF_INIT;
	for (int i = 0; i < 22000; i++)
		pep_buf_puts(&b, "\xE2\x80\x8B");
	assert_lines(plain(pep_buf_str(&b), 50), "");
	pep_buf_free(&b);
}

static void test_extent_is_the_widest_word_and_the_widest_line(void **state)
{
	(void)state;
	double mn, mx;
	pep_span sp[2] = {{PEP_FONT_REGULAR, 0, "a bb ccc\ndddd eeeee ff"}, {PEP_FONT_REGULAR, PEP_SPAN_KEEP, " 12 345 6"}};
	pep_layout_extent(sp, 1, 10, chars, NULL, &mn, &mx);
	assert_true(mn == 5 && mx == 13);
	pep_layout_extent(sp, 2, 10, chars, NULL, &mn, &mx);
	assert_true(mn == 8 && mx == 22); /* "12 345 6" is one word */
}

static void test_columns_share_as_a_browser_does(void **state)
{
	(void)state;
	double out[3];
	/* all fit on one line: each its widest, the rest by width */
	const double mn1[] = {10, 10, 10}, mx1[] = {20, 30, 50};
	pep_layout_columns(3, mn1, mx1, 200, out);
	assert_true(fabs(out[0] - 40) < 1e-9 && fabs(out[1] - 60) < 1e-9 && fabs(out[2] - 100) < 1e-9);
	/* the narrowest fit: each its narrowest, the rest by how much more it could use */
	const double mn2[] = {10, 20, 30}, mx2[] = {10, 120, 330};
	pep_layout_columns(3, mn2, mx2, 160, out);
	assert_true(fabs(out[0] - 10) < 1e-9);
	assert_true(fabs(out[1] - 45) < 1e-9 && fabs(out[2] - 105) < 1e-9);
	/* not even the words fit: only the widest column is cut */
	const double mn3[] = {10, 20, 300}, mx3[] = {10, 20, 300};
	pep_layout_columns(3, mn3, mx3, 130, out);
	assert_true(out[0] == 10 && out[1] == 20 && fabs(out[2] - 100) < 1e-9);
	const double mn4[] = {100, 100, 10}, mx4[] = {100, 100, 10};
	pep_layout_columns(3, mn4, mx4, 130, out);
	assert_true(fabs(out[0] - 60) < 1e-9 && fabs(out[1] - 60) < 1e-9 && out[2] == 10);
}

/* ------------------------------------------------------------------ */
/* Pages                                                                */
/* ------------------------------------------------------------------ */

static const pep_layout_geometry small = {300, 400, 20, 20, 30, 30};

/* All the text of page p, each op's text followed by a space. */
static char *page_text(const pep_layout *l, size_t p)
{
	size_t n;
	const pep_layout_op *ops = pep_layout_page_ops(l, p, &n);
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (ops[i].kind == PEP_LAYOUT_TEXT) {
			pep_buf_add(&b, ops[i].s, ops[i].n);
			pep_buf_putc(&b, ' ');
		}
	return pep_buf_detach(&b);
}

/* The page (0-based) holding a text op that is exactly s, or -1. */
static int page_of(const pep_layout *l, const char *s)
{
	for (size_t p = 0; p < pep_layout_pages(l); p++) {
		size_t n;
		const pep_layout_op *ops = pep_layout_page_ops(l, p, &n);
		for (size_t i = 0; i < n; i++)
			if (ops[i].kind == PEP_LAYOUT_TEXT && ops[i].n == strlen(s) && memcmp(ops[i].s, s, ops[i].n) == 0)
				return (int)p;
	}
	return -1;
}

static void check_inside_the_body(pep_layout *l)
{
	for (size_t p = 0; p < pep_layout_pages(l); p++) {
		size_t n;
		const pep_layout_op *ops = pep_layout_page_ops(l, p, &n);
		for (size_t i = 0; i < n; i++) {
			assert_true(ops[i].x >= small.margin_l - 1e-9);
			assert_true(ops[i].y >= small.margin_t - 1e-9);
			assert_true(ops[i].y + (ops[i].kind == PEP_LAYOUT_TEXT ? 0 : ops[i].h) <=
			            small.page_h - small.margin_b + 1e-9);
		}
	}
}

static void para(pep_document *d, const char *text)
{
	pep_span sp = {PEP_FONT_REGULAR, 0, text};
	pep_document_paragraph(d, &sp, 1);
}

static void test_a_long_paragraph_flows_over_pages_and_loses_nothing(void **state)
{
	(void)state;
	pep_document *d = pep_document_new();
	pep_buf text = PEP_BUF_INIT;
	for (int i = 0; i < 20000; i++)
		pep_buf_printf(&text, "w%d ", i);
	para(d, pep_buf_str(&text));
	pep_layout *l = pep_layout_document(d, &small, chars, NULL);
	assert_true(pep_layout_pages(l) > 3);
	pep_buf all = PEP_BUF_INIT;
	for (size_t p = 0; p < pep_layout_pages(l); p++) {
		char *t = page_text(l, p);
		pep_buf_puts(&all, t);
		free(t);
	}
	assert_string_equal(pep_buf_str(&all), pep_buf_str(&text));
	check_inside_the_body(l);
	pep_buf_free(&all);
	pep_buf_free(&text);
	pep_layout_free(l);
	pep_document_free(d);
}

static void add_row(pep_document *d, const char *a, const char *b)
{
	pep_span s1 = {PEP_FONT_REGULAR, 0, a}, s2 = {PEP_FONT_REGULAR, 0, b};
	pep_cell c[2] = {{{&s1, 1}, 0}, {{&s2, 1}, 0}};
	pep_document_row(d, c);
}

static void test_table_header_repeats_on_every_page(void **state)
{
	(void)state;
	pep_document *d = pep_document_new();
	pep_column cols[2] = {{"HEAD1", true, 0}, {"HEAD2", false, 0}};
	pep_document_table(d, false, 2, cols);
	char a[64], b[32];
	for (int i = 0; i < 60; i++) {
		snprintf(a, sizeof a, "row%d", i);
		snprintf(b, sizeof b, "value%d", i);
		add_row(d, a, b);
	}
	pep_layout *l = pep_layout_document(d, &small, chars, NULL);
	size_t pages = pep_layout_pages(l);
	assert_true(pages >= 3);
	int seen = 0;
	for (size_t p = 0; p < pages; p++) {
		char *txt = page_text(l, p);
		assert_non_null(strstr(txt, "HEAD1 HEAD2 ")); /* first on every page */
		assert_ptr_equal(strstr(txt, "HEAD1"), txt);
		assert_null(strstr(txt, "continued")); /* no row was split */
		for (int i = 0; i < 60; i++) {
			snprintf(a, sizeof a, "row%d value%d ", i, i);
			seen += strstr(txt, a) != NULL;
		}
		free(txt);
	}
	assert_int_equal(seen, 60); /* each row once, whole */
	check_inside_the_body(l);
	pep_layout_free(l);
	pep_document_free(d);
}

static void test_a_row_taller_than_a_page_repeats_its_key_marked_continued(void **state)
{
	(void)state;
	pep_document *d = pep_document_new();
	pep_column cols[2] = {{"K", true, 0}, {"V", false, 0}};
	pep_document_table(d, false, 2, cols);
	pep_buf text = PEP_BUF_INIT;
	for (int i = 0; i < 6000; i++)
		pep_buf_printf(&text, "x%d ", i);
	add_row(d, "label", pep_buf_str(&text));
	pep_layout *l = pep_layout_document(d, &small, chars, NULL);
	assert_true(pep_layout_pages(l) >= 2);
	pep_buf all = PEP_BUF_INIT;
	for (size_t p = 0; p < pep_layout_pages(l); p++) {
		char *txt = page_text(l, p);
		assert_ptr_equal(strstr(txt, "K V "), txt);
		const char *rest = txt + 4;
		const char *mark = p == 0 ? "label " : "label (continued) ";
		assert_ptr_equal(strstr(rest, mark), rest);
		rest += strlen(mark);
		pep_buf_puts(&all, rest);
		free(txt);
	}
	assert_string_equal(pep_buf_str(&all), pep_buf_str(&text));
	check_inside_the_body(l);
	pep_buf_free(&all);
	pep_buf_free(&text);
	pep_layout_free(l);
	pep_document_free(d);
}

static void test_a_label_value_table_sets_its_labels_in_bold(void **state)
{
	(void)state;
	pep_document *d = pep_document_new();
	pep_document_table(d, true, 2, NULL);
	add_row(d, "label", "value");
	pep_layout *l = pep_layout_document(d, &small, chars, NULL);
	size_t n;
	const pep_layout_op *ops = pep_layout_page_ops(l, 0, &n);
	bool found = false;
	for (size_t i = 0; i < n; i++)
		if (ops[i].kind == PEP_LAYOUT_TEXT && ops[i].n == 5 && memcmp(ops[i].s, "label", 5) == 0) {
			assert_int_equal(ops[i].font, PEP_FONT_BOLD);
			found = true;
		}
	assert_true(found);
	pep_layout_free(l);
	pep_document_free(d);
}

/* A document of fill one-line paragraphs, so that what comes next starts
 * lower on the page with each fill. */
static pep_document *filled(int fill)
{
	pep_document *d = pep_document_new();
	char line[32];
	for (int i = 0; i < fill; i++) {
		snprintf(line, sizeof line, "filler%d", i);
		para(d, line);
	}
	return d;
}

/* A heading, a sub-heading, a field label and a table's header row each
 * stay on a page with what follows them, wherever the page ends. */
static void test_headings_stay_with_what_follows(void **state)
{
	(void)state;
	for (int fill = 0; fill < 30; fill++) {
		pep_document *d = filled(fill);
		pep_document_heading(d, "HEADING");
		pep_document_subheading(d, "SUBHEADING");
		pep_span sp = {PEP_FONT_REGULAR, 0, "p1\np2\np3\np4"};
		pep_document_field(d, "LABEL", &sp, 1, 0);
		pep_document_subheading(d, "TABLE");
		pep_column cols[2] = {{"H1", true, 0}, {"H2", false, 0}};
		pep_document_table(d, false, 2, cols);
		add_row(d, "r1", "a\nb\nc");
		add_row(d, "r2", "d");
		pep_layout *l = pep_layout_document(d, &small, chars, NULL);
		int h = page_of(l, "HEADING");
		assert_true(h >= 0);
		assert_int_equal(page_of(l, "SUBHEADING"), h);
		assert_int_equal(page_of(l, "LABEL"), h);
		assert_int_equal(page_of(l, "p2"), h);
		int t = page_of(l, "TABLE");
		assert_int_equal(page_of(l, "H1"), t);
		assert_int_equal(page_of(l, "r1"), t);
		assert_int_equal(page_of(l, "c"), t);
		pep_layout_free(l);
		pep_document_free(d);
	}
}

/* A heading keeps at least two lines of what follows it on its page,
 * counted across short blocks: a label/value table's rows count as lines,
 * a table with a header row needs its header and first row, a boxed notice
 * moves whole. Each case after every amount of filler, so that the page
 * ends at every place in it. */
static void test_a_heading_keeps_two_lines_across_short_blocks(void **state)
{
	(void)state;
	pep_span one = {PEP_FONT_REGULAR, 0, "one"}, box = {PEP_FONT_REGULAR, 0, "n1\nn2\nn3\nn4"},
	         two = {PEP_FONT_REGULAR, 0, "g1\ng2\ng3"};
	pep_column cols[2] = {{"D1", true, 0}, {"D2", false, 0}};
	/* per case: the text that must share the heading's page */
	const char *kept[] = {"v2", "v4", "e1", "n1", "g1", "L2"};
	for (size_t c = 0; c < sizeof kept / sizeof *kept; c++)
		for (int fill = 0; fill < 40; fill++) {
			pep_document *d = filled(fill);
			pep_document_heading(d, "HEADING");
			switch (c) {
			case 0: /* a section bar, its sub-heading and two rows */
				pep_document_subheading(d, "SUB");
				pep_document_table(d, true, 2, NULL);
				add_row(d, "k1", "v1");
				add_row(d, "k2", "v2");
				add_row(d, "k3", "v3");
				break;
			case 1: /* a line of text, then a row */
				pep_document_paragraph(d, &one, 1);
				pep_document_table(d, true, 2, NULL);
				add_row(d, "k4", "v4");
				add_row(d, "k5", "v5");
				break;
			case 2: /* one row, then a table's header and first row */
				pep_document_table(d, true, 2, NULL);
				add_row(d, "k6", "v6");
				pep_document_table(d, false, 2, cols);
				add_row(d, "d1", "e1");
				add_row(d, "d2", "e2");
				break;
			case 3: /* a line of text, then a box that moves whole */
				pep_document_paragraph(d, &one, 1);
				pep_document_notice(d, PEP_TONE_NOTE, &box, 1);
				break;
			case 4: /* a field of one line, then a paragraph */
				pep_document_field(d, "LABEL", &one, 1, 0);
				pep_document_paragraph(d, &two, 1);
				break;
			case 5: /* a ruled line to write on, then the next field's label and lines */
				pep_document_field(d, "L1", NULL, 0, 1);
				pep_document_field(d, "L2", NULL, 0, 3);
				break;
			}
			pep_layout *l = pep_layout_document(d, &small, chars, NULL);
			int h = page_of(l, "HEADING");
			assert_true(h >= 0);
			assert_int_equal(page_of(l, kept[c]), h);
			check_inside_the_body(l);
			pep_layout_free(l);
			pep_document_free(d);
		}
}

static void test_an_empty_field_on_a_form_is_ruled_lines(void **state)
{
	(void)state;
	pep_document *d = pep_document_new();
	pep_document_field(d, "Summary", NULL, 0, 4);
	pep_document_field(d, "Left out", NULL, 0, 0); /* not a form: nothing */
	assert_int_equal(pep_document_count(d), 1);
	pep_layout *l = pep_layout_document(d, &small, chars, NULL);
	size_t n, rules = 0;
	const pep_layout_op *ops = pep_layout_page_ops(l, 0, &n);
	for (size_t i = 0; i < n; i++)
		rules += ops[i].kind == PEP_LAYOUT_RULE && ops[i].h == 0 && ops[i].w > 200;
	assert_int_equal(rules, 4);
	pep_layout_free(l);
	pep_document_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_breaks_at_spaces_greedily),
		cmocka_unit_test(test_a_long_word_breaks_between_characters),
		cmocka_unit_test(test_forced_breaks_and_paragraphs),
		cmocka_unit_test(test_spans_of_two_fonts),
		cmocka_unit_test(test_words_run_into_one_frag),
		cmocka_unit_test(test_keep_spans_stay_whole_when_they_fit),
		cmocka_unit_test(test_zero_width_spaces_are_break_points),
		cmocka_unit_test(test_extent_is_the_widest_word_and_the_widest_line),
		cmocka_unit_test(test_columns_share_as_a_browser_does),
		cmocka_unit_test(test_a_long_paragraph_flows_over_pages_and_loses_nothing),
		cmocka_unit_test(test_table_header_repeats_on_every_page),
		cmocka_unit_test(test_a_row_taller_than_a_page_repeats_its_key_marked_continued),
		cmocka_unit_test(test_a_label_value_table_sets_its_labels_in_bold),
		cmocka_unit_test(test_headings_stay_with_what_follows),
		cmocka_unit_test(test_a_heading_keeps_two_lines_across_short_blocks),
		cmocka_unit_test(test_an_empty_field_on_a_form_is_ruled_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
