/* test_xml.c: safe loading, validation and the reworded messages (src/xml.c). */
#include "test.h"

#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "model.h"
#include "strbuf.h"
#include "xalloc.h"
#include "xml.h"

static pep_schema *schema;
static pep_xml_loader *loader;

#define NS "https://pep-tool.org/ns/pep/1"
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pep xmlns=\"" NS "\">\n" \
	"<header><localAuthority code=\"kent\">Kent</localAuthority><kind>review</kind></header>\n"
#define SECTIONS "<essentialInformation/><educationInformation/><youngPersonsViews/><pepMeeting/>\n"
#define TAIL "</pep>\n"

static int setup(void **state)
{
	(void)state;
	pep_xml_init();
	schema = test_schema_load();
	loader = schema ? pep_xml_loader_new(schema) : NULL;
	return schema ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pep_xml_loader_free(loader);
	pep_schema_free(schema);
	return 0;
}

/* Loads text and returns its diagnostics (caller frees). */
static pep_diags *load(const char *text, pep_load_status want)
{
	pep_diags *d = pep_diags_new("t.xml");
	struct _xmlDoc *doc = NULL;
	pep_load_status st = pep_xml_load(loader, "t.xml", text, strlen(text), d, &doc);
	if (st != want) {
		for (size_t i = 0; i < pep_diags_count(d); i++)
			fprintf(stderr, "  %d: %s\n", pep_diags_at(d, i)->line, pep_diags_at(d, i)->message);
	}
	assert_int_equal(st, want);
	assert_true((doc != NULL) == (want == PEP_LOAD_OK));
	pep_xml_free(doc);
	return d;
}

/* The only diagnostic of d has rule, line and a message containing each of
 * the NULL-terminated fragments. */
static void expect_one(pep_diags *d, const char *rule, int line, ...)
{
	assert_int_equal(pep_diags_count(d), 1);
	const pep_diag *g = pep_diags_at(d, 0);
	assert_string_equal(g->rule, rule);
	assert_int_equal(g->line, line);
	va_list ap;
	va_start(ap, line);
	for (const char *f = va_arg(ap, const char *); f; f = va_arg(ap, const char *)) {
		if (!strstr(g->message, f))
			fprintf(stderr, "message: %s\nwanted: %s\n", g->message, f);
		assert_non_null(strstr(g->message, f));
	}
	va_end(ap);
}

static void test_minimal_pep_is_valid(void **state)
{
	(void)state;
	pep_diags *d = load(HEAD SECTIONS TAIL, PEP_LOAD_OK);
	assert_int_equal(pep_diags_count(d), 0);
	pep_diags_free(d);
	assert_string_equal(pep_schema_namespace(schema), NS);
}

static void test_schema_error_is_reworded_with_line_and_section(void **state)
{
	(void)state;
	pep_diags *d = load(HEAD "<essentialInformation>\n<health><sdq><score>45</score></sdq></health>\n"
	                         "</essentialInformation><educationInformation/><youngPersonsViews/><pepMeeting/>" TAIL,
	                    PEP_LOAD_INVALID);
	expect_one(d, "XSD", 5, "SDQ score \"45\"", "0 to 40", "(essentialInformation/health/sdq/score)", NULL);
	assert_int_equal(pep_diags_at(d, 0)->section, 'A');
	pep_diags_free(d);
}

/* A quoted value is shown as any text from outside is (diag.h): a
 * bidirectional control, a line separator or a C1 control in it is a '?'
 * (it was printed raw), a line break a space. */
static void test_quoted_values_cannot_reorder_or_break_lines(void **state)
{
	(void)state;
	static const char *const values[] = {"4\xe2\x80\xae" "5", "4\xe2\x80\xa8" "5", "4\xc2\x85" "5", "4\xc2\x9b" "5"};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char *text = xasprintf(HEAD "<essentialInformation>\n<health><sdq><score>%s</score></sdq></health>\n"
		                            "</essentialInformation><educationInformation/><youngPersonsViews/><pepMeeting/>" TAIL,
		                       values[i]);
		pep_diags *d = load(text, PEP_LOAD_INVALID);
		expect_one(d, "XSD", 5, "SDQ score \"4?5\"", NULL);
		pep_diags_free(d);
		free(text);
	}
}

static void test_enumeration_lists_the_allowed_values(void **state)
{
	(void)state;
	pep_diags *d = load(HEAD "<essentialInformation><school>\n<yearGroup>15</yearGroup></school>"
	                         "</essentialInformation><educationInformation/><youngPersonsViews/><pepMeeting/>" TAIL,
	                    PEP_LOAD_INVALID);
	expect_one(d, "XSD", 5, "year group \"15\"", "N1, N2, R, 1, 2", "or leave it empty", NULL);
	pep_diags_free(d);
}

static void test_missing_required_element_names_it(void **state)
{
	(void)state;
	pep_diags *d = load("<pep xmlns=\"" NS "\">\n<header>\n<localAuthority code=\"kent\">K</localAuthority></header>"
	                    SECTIONS TAIL, PEP_LOAD_INVALID);
	expect_one(d, "XSD", 2, "<header> lacks a required element: add <kind>", "the kind of PEP", NULL);
	pep_diags_free(d);
}

static void test_wrong_namespace_says_which(void **state)
{
	(void)state;
	pep_diags *d = load("<pep xmlns=\"https://pep-tool.org/ns/pep/2\">" SECTIONS TAIL, PEP_LOAD_INVALID);
	expect_one(d, "XSD", 1, "namespace \"https://pep-tool.org/ns/pep/2\"", "set xmlns=\"" NS "\"", NULL);
	pep_diags_free(d);
}

static void test_unknown_element_is_called_unknown(void **state)
{
	(void)state;
	pep_diags *d = load(HEAD "<essentialInformation><personal>\n<favouriteColour>blue</favouriteColour>"
	                         "</personal></essentialInformation><educationInformation/><youngPersonsViews/><pepMeeting/>" TAIL,
	                    PEP_LOAD_INVALID);
	expect_one(d, "XSD", 5, "<favouriteColour> is not an element of this form", NULL);
	pep_diags_free(d);
}

static void test_not_well_formed(void **state)
{
	(void)state;
	pep_diags *d = load("<pep>\n<a>\n</b></pep>", PEP_LOAD_INVALID);
	expect_one(d, "XML", 3, "<a> (opened on line 2) is closed by </b>", NULL);
	pep_diags_free(d);
	d = load("", PEP_LOAD_INVALID);
	expect_one(d, "XML", 1, "the file is empty", NULL);
	pep_diags_free(d);
	d = load("<pep>\xc3\x28</pep>", PEP_LOAD_INVALID);
	expect_one(d, "XML", 1, "not valid UTF-8", "0xC3 0x28", NULL);
	pep_diags_free(d);
}

static void test_nul_byte_is_reported_with_its_line(void **state)
{
	(void)state;
	static const char text[] = "<pep>\n\n<a>x\0y</a></pep>";
	pep_diags *d = pep_diags_new("t.xml");
	struct _xmlDoc *doc = NULL;
	assert_int_equal(pep_xml_load(loader, "t.xml", text, sizeof text - 1, d, &doc), PEP_LOAD_INVALID);
	expect_one(d, "XML", 3, "NUL byte", NULL);
	pep_diags_free(d);
}

/* An external entity naming a local file: the DOCTYPE is refused before the
 * entity is declared, so the file's content can appear nowhere. */
static void test_external_entity_is_never_read(void **state)
{
	(void)state;
	char path[] = "/tmp/pep-secret-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "TOPSECRET", 9), 9);
	close(fd);
	char *text = xasprintf("<?xml version=\"1.0\"?>\n<!DOCTYPE pep [<!ENTITY x SYSTEM \"file://%s\">]>\n"
	                       "<pep xmlns=\"" NS "\"><header><localAuthority code=\"kent\">&x;</localAuthority>"
	                       "<kind>review</kind></header>" SECTIONS TAIL, path);
	pep_diags *d = load(text, PEP_LOAD_INVALID);
	expect_one(d, "XML", 2, "<!DOCTYPE>", NULL);
	assert_null(strstr(pep_diags_at(d, 0)->message, "TOPSECRET"));
	pep_diags_free(d);
	free(text);
	unlink(path);
}

static void test_billion_laughs_is_refused_fast(void **state)
{
	(void)state;
	pep_buf b = PEP_BUF_INIT;
	pep_buf_puts(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
	pep_buf_puts(&b, "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
	for (int i = 2; i <= 9; i++) {
		pep_buf_printf(&b, "<!ENTITY lol%d \"", i);
		for (int k = 0; k < 10; k++)
			pep_buf_printf(&b, "&lol%d;", i - 1);
		pep_buf_puts(&b, "\">\n");
	}
	pep_buf_puts(&b, "]>\n<lolz>&lol9;</lolz>\n");
	clock_t t0 = clock();
	pep_diags *d = load(pep_buf_str(&b), PEP_LOAD_INVALID);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	expect_one(d, "XML", 2, "<!DOCTYPE>", NULL);
	assert_true(secs < 1.0); /* a bound, not a benchmark: expansion would take minutes */
	pep_diags_free(d);
	pep_buf_free(&b);
}

static void test_deep_nesting_is_refused(void **state)
{
	(void)state;
	pep_buf b = PEP_BUF_INIT;
	for (int i = 0; i < 10000; i++)
		pep_buf_puts(&b, "<a>");
	pep_diags *d = load(pep_buf_str(&b), PEP_LOAD_INVALID);
	expect_one(d, "XML", 1, "nested more than 256 deep", NULL);
	pep_diags_free(d);
	pep_buf_free(&b);
}

static void test_line_numbers_past_65535(void **state)
{
	(void)state;
	pep_buf b = PEP_BUF_INIT;
	pep_buf_puts(&b, HEAD "<essentialInformation>");
	for (int i = 0; i < 70000; i++)
		pep_buf_putc(&b, '\n');
	pep_buf_puts(&b, "<health><sdq><score>41</score></sdq></health></essentialInformation>"
	                 "<educationInformation/><youngPersonsViews/><pepMeeting/>" TAIL);
	pep_diags *d = load(pep_buf_str(&b), PEP_LOAD_INVALID);
	expect_one(d, "XSD", 70004, "SDQ score \"41\"", NULL);
	pep_diags_free(d);
	pep_buf_free(&b);
}

static void test_schema_location_in_document_is_ignored(void **state)
{
	(void)state;
	pep_diags *d = load("<pep xmlns=\"" NS "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
	                    "xsi:schemaLocation=\"" NS " http://example.invalid/evil.xsd\">"
	                    "<header><localAuthority code=\"kent\">K</localAuthority><kind>bogus</kind></header>"
	                    SECTIONS TAIL, PEP_LOAD_INVALID);
	expect_one(d, "XSD", 1, "kind \"bogus\"", NULL);
	pep_diags_free(d);
}

static void test_read_file_refuses_a_directory_and_a_missing_file(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	pep_diags *d = pep_diags_new("/tmp");
	assert_int_equal(pep_read_file("/tmp", d, &buf, &len), PEP_LOAD_UNREADABLE);
	expect_one(d, "IO", 0, "this is a folder", NULL);
	pep_diags_free(d);
	d = pep_diags_new("x");
	assert_int_equal(pep_read_file("/nonexistent/pep.xml", d, &buf, &len), PEP_LOAD_UNREADABLE);
	expect_one(d, "IO", 0, "No such file", "check the path", NULL);
	assert_null(buf);
	pep_diags_free(d);
}

static void test_words(void **state)
{
	(void)state;
	char w[64];
	pep_xml_words("dateOfBirth", w, sizeof w);
	assert_string_equal(w, "date of birth");
	pep_xml_words("laChildId", w, sizeof w);
	assert_string_equal(w, "LA child id");
	pep_xml_words("socialWorkerConfirmedSectionA", w, sizeof w);
	assert_string_equal(w, "social worker confirmed section A");
	pep_xml_words("senPupilViewFormUsed", w, sizeof w);
	assert_string_equal(w, "SEN pupil view form used");
}

/* Labels for people, from the schema's xs:appinfo. */
static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(pep_schema_label(schema, "header", "stateHistory"), "workflow history");
	assert_string_equal(pep_schema_label(schema, NULL, "stateHistory"), "workflow history");
	assert_string_equal(pep_schema_label(schema, "description", "@words"), "whose words the target is in");
	/* by parent where the name alone is ambiguous */
	assert_string_equal(pep_schema_label(schema, "header", "kind"), "kind of PEP");
	assert_string_equal(pep_schema_label(schema, "pepMeeting", "kind"), "kind of meeting");
	assert_null(pep_schema_label(schema, NULL, "kind"));
	assert_string_equal(pep_schema_label(schema, "sectionComplete", "by"), "marked complete by");
	assert_null(pep_schema_label(schema, "qualityAssurance", "by"));
	assert_null(pep_schema_label(schema, NULL, "noSuchElement"));
}

/* Values typed inside comments: a line that is exactly one element with a
 * value, inside an element with no such child of its own. */
static void test_values_typed_inside_comments(void **state)
{
	(void)state;
	const char *text = "<a>\n"
	                   "  <list>\n"                                   /* 2 */
	                   "    <!-- One item. Copy the lines below:\n"   /* 3 */
	                   "    <item>\n"
	                   "      <name>Hollybank</name>\n"              /* 5: typed */
	                   "      <urn></urn>\n"
	                   "    </item>\n"
	                   "    -->\n"                                    /* 8 */
	                   "  </list>\n"
	                   "  <filled><item><name>x</name></item>\n"      /* 10 */
	                   "    <!-- <item><name>old</name></item>\n"     /* has an item: not reported */
	                   "    <item>\n      <name>older</name>\n    </item> -->\n"
	                   "  </filled>\n"
	                   "  <doc>\n"                                    /* 16 */
	                   "    <!-- for example\n"
	                   "         <code>kent</code>. Its code chooses the rules -->\n" /* prose: not a value */
	                   "    <!-- <empty></empty> <self/> -->\n"
	                   "    <!-- <date>2026-02-10</date> -->\n"       /* 20: a leaf, typed */
	                   "    <date></date>\n"
	                   "  </doc>\n"
	                   "</a>\n";
	pep_diags *d = pep_diags_new("t.xml");
	struct _xmlDoc *doc = NULL;
	assert_int_equal(pep_xml_parse("t.xml", text, strlen(text), d, &doc), PEP_LOAD_OK);
	pep_xml_commented c[4];
	assert_int_equal(pep_xml_commented_values(doc, c, 4), 2);
	assert_string_equal(c[0].name, "item");
	assert_int_equal(c[0].value_line, 5);
	assert_int_equal(c[0].first, 3);
	assert_int_equal(c[0].last, 8);
	assert_int_equal(c[0].anchor, 2);
	assert_string_equal(c[1].name, "date");
	assert_int_equal(c[1].value_line, 20);
	assert_int_equal(c[1].first, 20);
	assert_int_equal(c[1].last, 20);
	assert_int_equal(c[1].anchor, 16);
	assert_int_equal(pep_xml_commented_values(doc, c, 1), 1); /* at most max */
	pep_xml_free(doc);
	pep_diags_free(d);
}

/* The number of text nodes of white space only, in the whole tree. */
static int blank_nodes(const xmlNode *n)
{
	int count = 0;
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE && xmlIsBlankNode(n))
			count++;
		count += blank_nodes(n->children);
	}
	return count;
}

static void test_blanks_dropped_only_when_nothing_changes(void **state)
{
	(void)state;
	const char *plain = HEAD "<essentialInformation>\n  <personal/>\n</essentialInformation>\n"
	                         "<educationInformation/><youngPersonsViews/><pepMeeting/>\n" TAIL;
	/* A blank beside a comment inside a value would change the value. */
	const char *value = HEAD "<essentialInformation>\n  <personal>\n    <gender> <!-- F --> </gender>\n"
	                         "  </personal>\n</essentialInformation>\n"
	                         "<educationInformation/><youngPersonsViews/><pepMeeting/>\n" TAIL;
	struct {
		const char *text;
		bool drop;
		int blanks; /* > 0: some; 0: none */
	} cases[] = {
		{plain, true, 0}, {plain, false, 1}, {value, true, 1}, {plain, true, 0}, {plain, false, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pep_diags *d = pep_diags_new("t.xml");
		struct _xmlDoc *doc = NULL;
		pep_xml_loader_set_drop_blanks(loader, cases[i].drop);
		assert_int_equal(pep_xml_load(loader, "t.xml", cases[i].text, strlen(cases[i].text), d, &doc), PEP_LOAD_OK);
		int blanks = blank_nodes(xmlDocGetRootElement(doc));
		if (cases[i].blanks)
			assert_true(blanks > 0);
		else
			assert_int_equal(blanks, 0);
		if (cases[i].text == value) {
			/* The value keeps its spaces, as without dropping. */
			xmlNode *g = xmlDocGetRootElement(doc)->children;
			while (g && !(g->type == XML_ELEMENT_NODE && xmlStrEqual(g->name, BAD_CAST "essentialInformation")))
				g = g->next;
			assert_non_null(g);
			xmlChar *text = xmlNodeGetContent(g);
			assert_non_null(strstr((const char *)text, "  "));
			xmlFree(text);
		}
		pep_xml_free(doc);
		pep_diags_free(d);
	}
	/* An invalid document's messages are those of the reading with blanks
	 * (the end line of a list is known from blank text only). */
	const char *invalid = HEAD "<essentialInformation>\n  <personal/>\n  <nonsense/>\n</essentialInformation>\n"
	                           "<educationInformation/><youngPersonsViews/><pepMeeting>\n  <attendees>\n"
	                           "    <attendee/>\n  </attendees>\n  <attendee/>\n</pepMeeting>\n" TAIL;
	pep_diags *with[2];
	for (int drop = 0; drop < 2; drop++) {
		pep_xml_loader_set_drop_blanks(loader, drop);
		with[drop] = load(invalid, PEP_LOAD_INVALID);
	}
	assert_true(pep_diags_count(with[0]) > 0);
	assert_int_equal(pep_diags_count(with[0]), pep_diags_count(with[1]));
	for (size_t i = 0; i < pep_diags_count(with[0]); i++) {
		assert_int_equal(pep_diags_at(with[0], i)->line, pep_diags_at(with[1], i)->line);
		assert_string_equal(pep_diags_at(with[0], i)->message, pep_diags_at(with[1], i)->message);
	}
	pep_diags_free(with[0]);
	pep_diags_free(with[1]);
	pep_xml_loader_set_drop_blanks(loader, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_pep_is_valid),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_schema_error_is_reworded_with_line_and_section),
		cmocka_unit_test(test_quoted_values_cannot_reorder_or_break_lines),
		cmocka_unit_test(test_enumeration_lists_the_allowed_values),
		cmocka_unit_test(test_missing_required_element_names_it),
		cmocka_unit_test(test_wrong_namespace_says_which),
		cmocka_unit_test(test_unknown_element_is_called_unknown),
		cmocka_unit_test(test_not_well_formed),
		cmocka_unit_test(test_nul_byte_is_reported_with_its_line),
		cmocka_unit_test(test_external_entity_is_never_read),
		cmocka_unit_test(test_billion_laughs_is_refused_fast),
		cmocka_unit_test(test_deep_nesting_is_refused),
		cmocka_unit_test(test_line_numbers_past_65535),
		cmocka_unit_test(test_schema_location_in_document_is_ignored),
		cmocka_unit_test(test_read_file_refuses_a_directory_and_a_missing_file),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_values_typed_inside_comments),
		cmocka_unit_test(test_blanks_dropped_only_when_nothing_changes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
