/* test_document.c: the document tree (src/render/document.c) on hand-made
 * documents: where it shows a value, in the words it prints there, and a
 * notice's list. */
#include "test.h"

#include "document.h"

static void kv(pep_document *d, const char *label, const char *value)
{
	pep_span l = {PEP_FONT_BOLD, 0, label}, v = {PEP_FONT_REGULAR, 0, value};
	pep_cell c[2] = {{{&l, 1}, 0}, {{&v, 1}, 0}};
	pep_document_row(d, c);
}

static pep_document *sample(void)
{
	pep_document *d = pep_document_new();
	pep_document_title(d, "Personal Education Plan", "Review PEP");
	pep_document_table(d, true, 2, NULL);
	kv(d, "Child or young person", "Mai 😀 Anh Nguyễn (known as Mai)");
	pep_document_heading(d, "Section A");
	pep_document_subheading(d, "Personal details");
	pep_document_table(d, true, 2, NULL);
	kv(d, "Given names", "Mai 😀 Anh");
	pep_document_heading(d, "Section C");
	pep_span enjoys = {PEP_FONT_REGULAR, 0, "Drawing\n中文   and 😀"};
	pep_document_field(d, "What I enjoy", &enjoys, 1, 0);
	pep_column cols[2] = {{"Target", true, 0}, {"Comment", false, 0}};
	pep_document_table(d, false, 2, cols);
	pep_span t1[4] = {{PEP_FONT_BOLD, 0, "1. Academic"}, {PEP_FONT_REGULAR, 0, "\nRead more"},
	                  {PEP_FONT_REGULAR, 0, "\n"}, {PEP_FONT_BOLD, 0, "Baseline: "}};
	pep_span t1b = {PEP_FONT_REGULAR, 0, "Reads 漢 slowly"};
	pep_span all[5] = {t1[0], t1[1], t1[2], t1[3], t1b};
	pep_span c2 = {PEP_FONT_REGULAR, 0, "Good ☃ progress"};
	pep_cell row[2] = {{{all, 5}, 0}, {{&c2, 1}, 0}};
	pep_document_row(d, row);
	pep_span p = {PEP_FONT_REGULAR, 0, "A paragraph with ☃ in it."};
	pep_document_paragraph(d, &p, 1);
	return d;
}

#define assert_where(d, value, want) \
	do { \
		char *w_ = pep_document_where(d, value); \
		if (want) { \
			assert_non_null(w_); \
			assert_string_equal(w_, (const char *)(want)); \
		} else { \
			assert_null(w_); \
		} \
		free(w_); \
	} while (0)

static void test_where_a_value_is_shown(void **state)
{
	(void)state;
	pep_document *d = sample();
	/* shown whole before shown inside a longer text (the title's name) */
	assert_where(d, "Mai 😀 Anh", "\"Given names\" under \"Personal details\"");
	/* white space counts as one space */
	assert_where(d, "Drawing 中文 and 😀", "\"What I enjoy\" under \"Section C\"");
	/* a column's header, or the bold words before the value in its cell */
	assert_where(d, "Good ☃ progress", "\"Comment\" under \"Section C\"");
	assert_where(d, "Reads 漢 slowly", "\"Baseline\" under \"Section C\"");
	assert_where(d, "Read more", "\"Target\" under \"Section C\"");
	/* a paragraph: the heading above it */
	assert_where(d, "A paragraph with ☃ in it.", "the text under \"Section C\"");
	/* inside the title block's longer value, before any heading */
	assert_where(d, "Nguyễn", "\"Child or young person\"");
	/* not shown: a row's label is not a value, nor is a heading */
	assert_where(d, "Not in the document", NULL);
	assert_where(d, "   ", NULL);
	assert_where(d, NULL, NULL);
	pep_document_free(d);
}

static void test_a_notice_has_a_list(void **state)
{
	(void)state;
	pep_document *d = pep_document_new();
	pep_span lead = {PEP_FONT_REGULAR, 0, "Fix these:"};
	pep_document_item(d, &lead, 1); /* no notice yet: nothing */
	pep_document_notice(d, PEP_TONE_ERROR, &lead, 1);
	char item[32];
	for (int i = 0; i < 20; i++) {
		snprintf(item, sizeof item, "[R%02d] rule %d", i, i);
		pep_document_item(d, &(pep_span){PEP_FONT_REGULAR, 0, item}, 1);
	}
	assert_int_equal(pep_document_count(d), 1);
	const pep_block *b = pep_document_block(d, 0);
	assert_int_equal(b->nitems, 20);
	char *s = pep_rich_plain(b->items[13]);
	assert_string_equal(s, "[R13] rule 13"); /* copied, not borrowed */
	free(s);
	pep_document_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_where_a_value_is_shown),
		cmocka_unit_test(test_a_notice_has_a_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
