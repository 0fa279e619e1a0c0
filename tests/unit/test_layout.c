/* test_layout.c: line breaking and pagination (src/render/layout.c), with a width
 * function of our own: every character (not byte) is 1 point wide, 2 in
 * bold, so that the expected lines can be worked out by hand. */
#include "test.h"

#include "layout.h"
#include "strbuf.h"
#include "xalloc.h"

static double chars(void *ctx, pep_layout_font font, double size, const char *s, size_t n)
{
	(void)ctx;
	(void)size;
	double w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w += font == PEP_LAYOUT_BOLD ? 2 : 1;
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
	pep_span sp = {PEP_LAYOUT_REGULAR, text};
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
	pep_span sp[3] = {{PEP_LAYOUT_BOLD, "By: "}, {PEP_LAYOUT_REGULAR, "19 June 2026"}, {PEP_LAYOUT_REGULAR, "\nnext"}};
	/* "By:" is 6 wide in bold, its space 2, "19" 2, a space 1, "June" 4 */
	assert_lines(lines_of(sp, 3, 15), "By: 19 June|2026|next");
	assert_lines(lines_of(sp, 3, 14), "By: 19|June 2026|next");
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	pep_layout_break(sp, 3, 10, 15, chars, NULL, &ls);
	assert_int_equal(ls.v[0].count, 2);
	assert_int_equal(ls.frags[0].font, PEP_LAYOUT_BOLD);
	assert_true(ls.frags[0].w == 6);
	assert_int_equal(ls.frags[1].font, PEP_LAYOUT_REGULAR);
	assert_true(ls.frags[1].x == 8); /* 6 for "By:" and 2 for its bold space */
	pep_layout_lines_free(&ls);
}

static void test_words_run_into_one_frag(void **state)
{
	(void)state;
	pep_span sp = {PEP_LAYOUT_REGULAR, "one two three"};
	pep_layout_lines ls = PEP_LAYOUT_LINES_INIT;
	pep_layout_break(&sp, 1, 10, 100, chars, NULL, &ls);
	assert_int_equal(ls.n, 1);
	assert_int_equal(ls.v[0].count, 1); /* one text run, so text extractors see the spaces */
	assert_int_equal(ls.frags[0].n, 13);
	pep_layout_lines_free(&ls);
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

static void test_a_long_paragraph_flows_over_pages_and_loses_nothing(void **state)
{
	(void)state;
	pep_layout *l = pep_layout_new(&small, chars, NULL);
	pep_buf text = PEP_BUF_INIT;
	for (int i = 0; i < 20000; i++)
		pep_buf_printf(&text, "w%d ", i);
	pep_span sp = {PEP_LAYOUT_REGULAR, pep_buf_str(&text)};
	pep_layout_paragraph(l, &sp, 1);
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
}

static void test_table_header_repeats_on_every_page(void **state)
{
	(void)state;
	pep_layout *l = pep_layout_new(&small, chars, NULL);
	static const double w[] = {0.5, 0.5};
	static const char *const h[] = {"HEAD1", "HEAD2"};
	pep_layout_table t = {2, w, h, -1};
	pep_layout_table_begin(l, &t);
	char a[64], b[32];
	for (int i = 0; i < 60; i++) {
		snprintf(a, sizeof a, "row%d", i);
		snprintf(b, sizeof b, "value%d", i);
		pep_span s1 = {PEP_LAYOUT_REGULAR, a}, s2 = {PEP_LAYOUT_REGULAR, b};
		pep_layout_cell c[2] = {{&s1, 1}, {&s2, 1}};
		pep_layout_table_row(l, c);
	}
	pep_layout_table_end(l);
	size_t pages = pep_layout_pages(l);
	assert_true(pages >= 3);
	int seen = 0;
	for (size_t p = 0; p < pages; p++) {
		char *txt = page_text(l, p);
		assert_non_null(strstr(txt, "HEAD1 HEAD2 ")); /* first on every page */
		assert_ptr_equal(strstr(txt, "HEAD1"), txt);
		for (int i = 0; i < 60; i++) {
			snprintf(a, sizeof a, "row%d value%d ", i, i);
			seen += strstr(txt, a) != NULL;
		}
		free(txt);
	}
	assert_int_equal(seen, 60); /* each row once, whole */
	check_inside_the_body(l);
	pep_layout_free(l);
}

static void test_a_row_taller_than_a_page_is_split_with_the_header_repeated(void **state)
{
	(void)state;
	pep_layout *l = pep_layout_new(&small, chars, NULL);
	static const double w[] = {0.3, 0.7};
	static const char *const h[] = {"K", "V"};
	pep_layout_table t = {2, w, h, 0};
	pep_layout_table_begin(l, &t);
	pep_buf text = PEP_BUF_INIT;
	for (int i = 0; i < 6000; i++)
		pep_buf_printf(&text, "x%d ", i);
	pep_span s1 = {PEP_LAYOUT_REGULAR, "label"}, s2 = {PEP_LAYOUT_REGULAR, pep_buf_str(&text)};
	pep_layout_cell c[2] = {{&s1, 1}, {&s2, 1}};
	pep_layout_table_row(l, c);
	pep_layout_table_end(l);
	assert_true(pep_layout_pages(l) >= 2);
	pep_buf all = PEP_BUF_INIT;
	for (size_t p = 0; p < pep_layout_pages(l); p++) {
		char *txt = page_text(l, p);
		assert_ptr_equal(strstr(txt, "K V "), txt);
		const char *rest = txt + 4;
		if (p == 0) {
			assert_ptr_equal(strstr(rest, "label "), rest);
			rest += 6;
		}
		pep_buf_puts(&all, rest);
		free(txt);
	}
	assert_string_equal(pep_buf_str(&all), pep_buf_str(&text));
	/* the label column is bold whatever the span said */
	size_t n;
	const pep_layout_op *ops = pep_layout_page_ops(l, 0, &n);
	bool found = false;
	for (size_t i = 0; i < n; i++)
		if (ops[i].kind == PEP_LAYOUT_TEXT && ops[i].n == 5 && memcmp(ops[i].s, "label", 5) == 0) {
			assert_int_equal(ops[i].font, PEP_LAYOUT_BOLD);
			found = true;
		}
	assert_true(found);
	check_inside_the_body(l);
	pep_buf_free(&all);
	pep_buf_free(&text);
	pep_layout_free(l);
}

static void test_a_heading_is_not_left_alone_at_the_foot_of_a_page(void **state)
{
	(void)state;
	pep_layout *l = pep_layout_new(&small, chars, NULL);
	pep_span sp = {PEP_LAYOUT_REGULAR, "line"};
	/* fill the page to a few points above the bottom */
	while (pep_layout_pages(l) == 1) {
		pep_layout_paragraph(l, &sp, 1);
	}
	/* now on page 2 with one line; fill it nearly to the bottom again */
	size_t before = pep_layout_pages(l);
	for (int i = 0; i < 18; i++)
		pep_layout_paragraph(l, &sp, 1);
	assert_int_equal(pep_layout_pages(l), before);
	double y;
	size_t page = pep_layout_heading(l, "Section", &y);
	assert_int_equal(page, pep_layout_pages(l) - 1);
	/* either it fitted with room after it, or it went to a fresh page top */
	assert_true(y == small.margin_t || y + 20 + 70 <= small.page_h - small.margin_b);
	pep_layout_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_breaks_at_spaces_greedily),
		cmocka_unit_test(test_a_long_word_breaks_between_characters),
		cmocka_unit_test(test_forced_breaks_and_paragraphs),
		cmocka_unit_test(test_spans_of_two_fonts),
		cmocka_unit_test(test_words_run_into_one_frag),
		cmocka_unit_test(test_a_long_paragraph_flows_over_pages_and_loses_nothing),
		cmocka_unit_test(test_table_header_repeats_on_every_page),
		cmocka_unit_test(test_a_row_taller_than_a_page_is_split_with_the_header_repeated),
		cmocka_unit_test(test_a_heading_is_not_left_alone_at_the_foot_of_a_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
