/* test_json.c: the JSON writer (src/json.c). */
#include "test.h"

#include "json.h"
#include "strbuf.h"

/* Nesting, commas, keys and every kind of value, compact. */
static void test_compact(void **state)
{
	(void)state;
	pep_buf b = PEP_BUF_INIT;
	pep_jw w;
	pep_jw_init_buf(&w, &b, PEP_JW_COMPACT);
	pep_jw_object_begin(&w);
	pep_jw_kv_string(&w, "name", "Zoë");
	pep_jw_kv_int(&w, "n", -42);
	pep_jw_kv_bool(&w, "ok", true);
	pep_jw_kv_null(&w, "none");
	pep_jw_kv_string(&w, "null", NULL);
	pep_jw_kv_fixed(&w, "pounds", 125050, 2);
	pep_jw_kv_array_begin(&w, "list");
	pep_jw_int(&w, 1);
	pep_jw_string(&w, "two");
	pep_jw_object_begin(&w);
	pep_jw_end(&w);
	pep_jw_array_begin(&w);
	pep_jw_end(&w);
	pep_jw_end(&w);
	assert_false(pep_jw_complete(&w));
	pep_jw_end(&w);
	assert_true(pep_jw_complete(&w));
	assert_string_equal(pep_buf_str(&b), "{\"name\": \"Zoë\", \"n\": -42, \"ok\": true, \"none\": null, \"null\": null, "
	                                     "\"pounds\": 1250.50, \"list\": [1, \"two\", {}, []]}");
	pep_buf_free(&b);
}

/* Lines mode: the shape of the README's examples. */
static void test_lines(void **state)
{
	(void)state;
	capture_file c;
	capture_open(&c);
	pep_jw w;
	pep_jw_init_file(&w, c.f, PEP_JW_LINES);
	pep_jw_object_begin(&w);
	pep_jw_kv_array_begin(&w, "files");
	for (int i = 0; i < 2; i++) {
		pep_jw_object_begin(&w);
		pep_jw_kv_int(&w, "i", i);
		pep_jw_kv_array_begin(&w, "diagnostics");
		pep_jw_object_begin(&w);
		pep_jw_kv_string(&w, "rule", "T01");
		pep_jw_end(&w);
		pep_jw_end(&w);
		pep_jw_end(&w);
	}
	pep_jw_end(&w);
	pep_jw_kv_object_begin(&w, "summary");
	pep_jw_kv_int(&w, "files", 2);
	pep_jw_end(&w);
	pep_jw_end(&w);
	assert_string_equal(capture_text(&c), "{\"files\": [\n"
	                                      "  {\"i\": 0, \"diagnostics\": [\n"
	                                      "    {\"rule\": \"T01\"}]},\n"
	                                      "  {\"i\": 1, \"diagnostics\": [\n"
	                                      "    {\"rule\": \"T01\"}]}],\n"
	                                      " \"summary\": {\"files\": 2}}");
	capture_close(&c);
}

/* Escaping: quotes, backslashes, controls (C1 too), DEL, separators and
 * bidirectional controls, invalid UTF-8 and cut sequences become escapes or
 * U+FFFD; valid multi-byte text is kept. */
static void test_escaping(void **state)
{
	(void)state;
	pep_buf b = PEP_BUF_INIT;
	pep_jw w;
	pep_jw_init_buf(&w, &b, PEP_JW_COMPACT);
	pep_jw_array_begin(&w);
	pep_jw_string(&w, "a\"b\\c\n\r\t\x01\x7f Łukasz Nguyễn \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80");
	pep_jw_stringn(&w, "Zo\xc3\xab", 3); /* cut inside the ë */
	pep_jw_string(&w, "\xc2\x9b" "31m\xc2\x85\xe2\x80\xae\xe2\x80\xa8\xe2\x81\xa6\xd8\x9c\xc2\xa0\xe2\x80\xaf");
	pep_jw_end(&w);
	assert_string_equal(pep_buf_str(&b), "[\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u007f Łukasz Nguyễn \\ufffd( \\ufffd\\ufffd\\ufffd "
	                                     "\\ufffd\\ufffd\\ufffd\\ufffd\", \"Zo\\ufffd\", "
	                                     "\"\\u009b31m\\u0085\\u202e\\u2028\\u2066\\u061c\xc2\xa0\xe2\x80\xaf\"]");
	pep_buf_free(&b);
}

static void test_fixed(void **state)
{
	(void)state;
	pep_buf b = PEP_BUF_INIT;
	pep_jw w;
	pep_jw_init_buf(&w, &b, PEP_JW_COMPACT);
	pep_jw_array_begin(&w);
	pep_jw_fixed(&w, 5, 2);
	pep_jw_fixed(&w, -5, 2);
	pep_jw_fixed(&w, 9000, 0);
	pep_jw_fixed(&w, INT64_MIN, 2);
	pep_jw_end(&w);
	assert_string_equal(pep_buf_str(&b), "[0.05, -0.05, 9000, -92233720368547758.08]");
	pep_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_fixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
