/* test_diag.c: the diagnostics list and its writers (src/diag.c). */
#include "test.h"

#include "diag.h"
#include "xalloc.h"

static void test_counts_and_validity(void **state)
{
	(void)state;
	pep_diags *d = pep_diags_new("a.xml");
	assert_true(pep_diags_valid(d, true));
	pep_diags_add(d, "D07", PEP_WARNING, 'D', 40, "target %d has no helper", 2);
	assert_true(pep_diags_valid(d, false));
	assert_false(pep_diags_valid(d, true)); /* --strict: a warning counts */
	pep_diags_add(d, "T01", PEP_ERROR, 'D', 12, "late");
	assert_false(pep_diags_valid(d, false));
	assert_int_equal(pep_diags_errors(d), 1);
	assert_int_equal(pep_diags_warnings(d), 1);
	assert_true(pep_diags_has(d, "T01"));
	assert_false(pep_diags_has(d, "T02"));
	pep_diags_free(d);
	pep_diags_free(NULL);
}

static void test_unchecked_is_never_valid(void **state)
{
	(void)state;
	pep_diags *d = pep_diags_new("gone.xml");
	pep_diags_set_unchecked(d, true);
	assert_false(pep_diags_valid(d, false));
	pep_diags_free(d);
}

static void test_sort_is_stable_by_line(void **state)
{
	(void)state;
	pep_diags *d = pep_diags_new("a.xml");
	pep_diags_add(d, "B", PEP_ERROR, 0, 9, "b");
	pep_diags_add(d, "A1", PEP_ERROR, 0, 3, "a1");
	pep_diags_add(d, "C", PEP_ERROR, 0, 0, "c");
	pep_diags_add(d, "A2", PEP_ERROR, 0, 3, "a2");
	pep_diags_sort(d);
	assert_string_equal(pep_diags_at(d, 0)->rule, "C");
	assert_string_equal(pep_diags_at(d, 1)->rule, "A1");
	assert_string_equal(pep_diags_at(d, 2)->rule, "A2");
	assert_string_equal(pep_diags_at(d, 3)->rule, "B");
	assert_null(pep_diags_at(d, 4));
	pep_diags_free(d);
}

static void test_text_format(void **state)
{
	(void)state;
	capture_file c;
	capture_open(&c);
	pep_diags *d = pep_diags_new("dir/a.xml");
	pep_diags_add(d, "T01", PEP_ERROR, 'D', 12, "initial PEP held %s", "2026-01-30");
	pep_diags_add(d, "IO", PEP_ERROR, 0, 0, "cannot read");
	pep_diags_add(d, "D11", PEP_WARNING, 'A', 7, "line\nbreak\tand tab");
	pep_diags_write_text(c.f, d);
	assert_string_equal(capture_text(&c),
	                    "dir/a.xml:12: error: [T01] initial PEP held 2026-01-30\n"
	                    "dir/a.xml: error: [IO] cannot read\n"
	                    "dir/a.xml:7: warning: [D11] line break and tab\n");
	pep_diags_free(d);
	capture_close(&c);
}

static void test_text_file_name_stays_on_one_line(void **state)
{
	(void)state;
	capture_file c;
	capture_open(&c);
	pep_diags *d = pep_diags_new("evil\nname.xml");
	pep_diags_add(d, "XML", PEP_ERROR, 0, 1, "bad");
	pep_diags_write_text(c.f, d);
	assert_string_equal(capture_text(&c), "evil?name.xml:1: error: [XML] bad\n");
	pep_diags_free(d);
	capture_close(&c);
}

static void test_json_document(void **state)
{
	(void)state;
	capture_file c;
	capture_open(&c);
	pep_diags *a = pep_diags_new("a.xml"), *b = pep_diags_new("b \"q\".xml");
	pep_diags_set_la(a, "kent");
	pep_diags_set_stage(a, "signoff");
	pep_diags_set_format(a, "southwark");
	pep_diags_add(a, "T01", PEP_ERROR, 'D', 12, "Zoë's PEP is late");
	pep_diags_add(b, "D11", PEP_WARNING, 0, 0, "w");
	pep_diags *files[] = {a, b};
	pep_diags_write_json(c.f, files, 2, false);
	assert_string_equal(capture_text(&c),
	                    "{\"files\": [\n"
	                    "  {\"file\": \"a.xml\", \"la\": \"kent\", \"stage\": \"signoff\", \"format\": \"southwark\", \"valid\": false, \"grade\": \"red\", \"diagnostics\": [\n"
	                    "    {\"rule\": \"T01\", \"severity\": \"error\", \"section\": \"D\", \"line\": 12, \"message\": \"Zoë's PEP is late\"}]},\n"
	                    "  {\"file\": \"b \\\"q\\\".xml\", \"la\": null, \"stage\": null, \"format\": null, \"valid\": true, \"grade\": \"amber\", \"diagnostics\": [\n"
	                    "    {\"rule\": \"D11\", \"severity\": \"warning\", \"section\": null, \"line\": null, \"message\": \"w\"}]}],\n"
	                    " \"summary\": {\"files\": 2, \"valid\": 1, \"errors\": 1, \"warnings\": 1, \"red\": 1, \"amber\": 1, \"green\": 0}}\n");
	pep_diags_free(a);
	pep_diags_free(b);
	capture_close(&c);
}

static void test_json_string_escapes_and_repairs_utf8(void **state)
{
	(void)state;
	capture_file c;
	capture_open(&c);
	pep_json_string(c.f, "a\\b\x01\x7f\xc3\x28 Łukasz \xe1\xba\xbf\xed\xa0\x80!");
	assert_string_equal(capture_text(&c),
	                    "\"a\\\\b\\u0001\\u007f\\ufffd( Łukasz \xe1\xba\xbf\\ufffd\\ufffd\\ufffd!\"");
	capture_close(&c);
}


static void test_a_list_shows_the_first_100_and_counts_the_rest(void **state)
{
	(void)state;
	pep_diags *d = pep_diags_new("many.xml");
	for (int i = 0; i < 250; i++)
		pep_diags_add(d, "XSD", i % 5 ? PEP_ERROR : PEP_WARNING, 'D', 1000 - i, "problem %d", i);
	assert_int_equal(pep_diags_count(d), PEP_DIAGS_SHOWN + 1);
	assert_int_equal(pep_diags_errors(d), 200); /* every one counted */
	assert_int_equal(pep_diags_warnings(d), 50);
	assert_true(pep_diags_full(d));
	const pep_diag *last = pep_diags_at(d, PEP_DIAGS_SHOWN);
	assert_string_equal(last->message,
	                    "and 150 more (120 errors, 30 warnings) not listed: only the first 100 of a file's problems "
	                    "are; correct these, then check again");
	assert_int_equal(last->severity, PEP_ERROR);
	assert_string_equal(last->rule, "XSD");
	pep_diags_sort(d); /* by line, the closing line last */
	assert_int_equal(pep_diags_at(d, 0)->line, 901);
	assert_ptr_equal(pep_diags_at(d, PEP_DIAGS_SHOWN)->message, last->message);
	/* Text, JSON and CSV show the same 101 entries. */
	capture_file c;
	capture_open(&c);
	pep_diags_write_text(c.f, d);
	size_t lines = 0;
	for (const char *p = capture_text(&c); *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, PEP_DIAGS_SHOWN + 1);
	capture_close(&c);
	capture_open(&c);
	pep_diags_write_csv(c.f, d, false);
	lines = 0;
	for (const char *p = capture_text(&c); *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, PEP_DIAGS_SHOWN + 1);
	capture_close(&c);
	capture_open(&c);
	pep_diags *files[1] = {d};
	pep_diags_write_json(c.f, files, 1, false);
	assert_non_null(strstr(capture_text(&c), "\"errors\": 200, \"warnings\": 50"));
	assert_non_null(strstr(capture_text(&c), "\"message\": \"and 150 more"));
	capture_close(&c);
	pep_diags_free(d);
	/* Warnings only past the limit: the closing line is a warning. */
	d = pep_diags_new("w.xml");
	for (int i = 0; i < 101; i++)
		pep_diags_add(d, "D07", PEP_WARNING, 'D', i, "w");
	assert_int_equal(pep_diags_at(d, PEP_DIAGS_SHOWN)->severity, PEP_WARNING);
	assert_true(pep_diags_valid(d, false));
	pep_diags_free(d);
}

static void test_paths_are_shown_without_controls(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{"plain.xml", "plain.xml"},
		{"new\nline.xml", "new?line.xml"},
		{"esc\x1b[31m.xml", "esc?[31m.xml"},
		{"c1\xc2\x9b" "31m", "c1?31m"},               /* U+009B, CSI */
		{"nel\xc2\x85.xml", "nel?.xml"},              /* U+0085 */
		{"ls\xe2\x80\xa8.xml", "ls?.xml"},            /* U+2028 */
		{"rlo\xe2\x80\xaelmx.pdf", "rlo?lmx.pdf"},    /* U+202E */
		{"bad\xff\xfe.xml", "bad??.xml"},             /* not UTF-8 */
		{"\xc5\x81ukasz-\xd0\x9f\xd0\x95\xd0\x9f-\xe9\x98\xae.xml", "\xc5\x81ukasz-\xd0\x9f\xd0\x95\xd0\x9f-\xe9\x98\xae.xml"},
		{"overlong\xc0\xaf", "overlong??"},
		{"del\x7f", "del?"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = pep_path_shown(cases[i].in);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

/* A message is kept as a text report shows it, whatever value it quotes:
 * pep's one escaper (the one that shows paths) makes every control, line
 * separator, bidirectional control and byte that is not UTF-8 a '?', and a
 * tab or a line break a space. */
static void test_messages_quote_values_through_the_one_escaper(void **state)
{
	(void)state;
	static const struct { const char *value, *shown; } cases[] = {
		{"A1\xe2\x80\xae" "23", "A1?23"},       /* U+202E, right-to-left override */
		{"A1\xe2\x80\xa8" "23", "A1?23"},       /* U+2028, line separator */
		{"A1\xe2\x80\xa9" "23", "A1?23"},       /* U+2029, paragraph separator */
		{"A1\xc2\x85" "23", "A1?23"},            /* U+0085, next line */
		{"A1\xc2\x9b" "31m", "A1?31m"},          /* U+009B, CSI */
		{"A1\x1b[2J", "A1?[2J"},
		{"A1\xe2\x81\xa6x", "A1?x"},            /* U+2066, an isolate */
		{"bad\xff", "bad?"},
		{"two\nlines\tand\rtab", "two lines and tab"},
		{"\xc5\x81ukasz Wi\xc5\x9bniewski", "\xc5\x81ukasz Wi\xc5\x9bniewski"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pep_diags *d = pep_diags_new("a.xml");
		pep_diags_add(d, "XSD", PEP_ERROR, 'A', 3, "UPN \"%s\" is not valid", cases[i].value);
		char *want = xasprintf("UPN \"%s\" is not valid", cases[i].shown);
		assert_string_equal(pep_diags_at(d, 0)->message, want);
		free(want);
		pep_diags_free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_validity),
		cmocka_unit_test(test_unchecked_is_never_valid),
		cmocka_unit_test(test_sort_is_stable_by_line),
		cmocka_unit_test(test_text_format),
		cmocka_unit_test(test_text_file_name_stays_on_one_line),
		cmocka_unit_test(test_json_document),
		cmocka_unit_test(test_json_string_escapes_and_repairs_utf8),
		cmocka_unit_test(test_a_list_shows_the_first_100_and_counts_the_rest),
		cmocka_unit_test(test_paths_are_shown_without_controls),
		cmocka_unit_test(test_messages_quote_values_through_the_one_escaper),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
