/* test_convert.c: formats, the locked-down XSLT and the loss report (src/convert.c). */
#include "test.h"

#include <sys/stat.h>
#include <unistd.h>

#include "convert.h"
#include "model.h"
#include "xalloc.h"
#include "xml.h"

static pep_converter *conv;
static char tmpdir[] = "/tmp/pep-test-convert-XXXXXX";

#define KENT_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pep xmlns=\"" PEP_NAMESPACE "\">\n" \
	"<header><localAuthority code=\"southwark\">London Borough of Southwark</localAuthority><kind>review</kind></header>\n"

static int setup(void **state)
{
	(void)state;
	pep_xml_init();
	if (!mkdtemp(tmpdir))
		return -1;
	char *err = NULL;
	conv = pep_converter_new(&err);
	if (!conv)
		fprintf(stderr, "%s\n", err);
	free(err);
	return conv ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pep_converter_free(conv);
	return test_remove_tree(tmpdir) == 0 ? 0 : -1;
}

/* Writes text to a file in the temporary folder; returns its path (caller frees). */
static char *write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* A stylesheet's opening tag, with EXSLT's common functions and elements. */
#define XSL_OPEN "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"" \
	" xmlns:exsl=\"http://exslt.org/common\" extension-element-prefixes=\"exsl\">"

/* The report item with this section and field, or NULL. */
static const pep_convert_item *find_item(const pep_conversion *cv, const char *section, const char *field)
{
	for (size_t i = 0; i < pep_conversion_count(cv); i++) {
		const pep_convert_item *it = pep_conversion_item(cv, i);
		if (strcmp(it->section, section) == 0 && strcmp(it->field, field) == 0)
			return it;
	}
	return NULL;
}

static void test_formats(void **state)
{
	(void)state;
	assert_int_equal(pep_format_from_name("kent"), PEP_FORMAT_KENT);
	assert_int_equal(pep_format_from_name("southwark"), PEP_FORMAT_SOUTHWARK);
	assert_int_equal(pep_format_from_name("Kent"), PEP_FORMAT_NONE);
	assert_int_equal(pep_format_from_name(NULL), PEP_FORMAT_NONE);
	assert_int_equal(pep_format_from_namespace(PEP_NAMESPACE), PEP_FORMAT_KENT);
	assert_int_equal(pep_format_from_namespace(PEP_SOUTHWARK_NAMESPACE), PEP_FORMAT_SOUTHWARK);
	assert_int_equal(pep_format_from_namespace("https://pep-tool.org/ns/pep/2"), PEP_FORMAT_NONE);
	assert_string_equal(pep_format_name(PEP_FORMAT_SOUTHWARK), "southwark");
	assert_null(pep_format_name(PEP_FORMAT_NONE));
}

static void test_minimal_kent_pep_to_southwark(void **state)
{
	(void)state;
	char *path = write_file("min.xml", KENT_HEAD
	                        "<essentialInformation>\n"
	                        "<personal><legalName><givenNames>Zoë</givenNames><familyName>Nguyễn</familyName></legalName></personal>\n"
	                        "<care>\n<placement>unplanned</placement>\n</care>\n"
	                        "</essentialInformation>\n"
	                        "<educationInformation/><youngPersonsViews>\n<choseToChair>yes</choseToChair>\n</youngPersonsViews>"
	                        "<pepMeeting/></pep>\n");
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, PEP_FORMAT_SOUTHWARK, d, &cv), PEP_CONVERT_OK);
	assert_int_equal(pep_diags_count(d), 0);
	assert_int_equal(pep_conversion_from(cv), PEP_FORMAT_KENT);
	size_t len = 0;
	const char *out = pep_conversion_output(cv, &len);
	assert_int_equal(strlen(out), len);
	assert_non_null(strstr(out, "<pep xmlns=\"" PEP_SOUTHWARK_NAMESPACE "\">"));
	assert_non_null(strstr(out, "<forenames>Zoë</forenames>"));
	assert_non_null(strstr(out, "<surname>Nguyễn</surname>"));
	/* Southwark's form holds the placement; it has no place for choosing
	 * to chair, which is lost, at its line; the conduct record is missing. */
	assert_non_null(strstr(out, "<placement>unplanned</placement>"));
	assert_int_equal(pep_conversion_lost(cv), 1);
	const pep_convert_item *it = find_item(cv, "C", "choseToChair");
	assert_non_null(it);
	assert_int_equal(it->kind, PEP_ITEM_LOST);
	assert_int_equal(it->line, 11);
	assert_string_equal(it->text, "yes");
	char *line = pep_convert_item_line(it);
	assert_string_equal(line, "lost: C choseToChair (line 11): \"yes\"");
	free(line);
	it = find_item(cv, "3", "conduct");
	assert_non_null(it);
	assert_int_equal(it->kind, PEP_ITEM_MISSING);
	pep_conversion_free(cv);
	pep_diags_free(d);
	free(path);
}

static void test_long_values_are_cut_short(void **state)
{
	(void)state;
	char *path = write_file("long.xml", KENT_HEAD
	                        "<essentialInformation/><educationInformation/><youngPersonsViews/>\n"
	                        "<pepMeeting><childsViewsUsed>Łukasz asked to keep his   English tutor\n"
	                        "  until the summer; as a result the tutor stays.</childsViewsUsed></pepMeeting></pep>\n");
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, PEP_FORMAT_SOUTHWARK, d, &cv), PEP_CONVERT_OK);
	const pep_convert_item *it = find_item(cv, "D", "childsViewsUsed");
	assert_non_null(it);
	/* 40 characters (not bytes), white space collapsed, then an ellipsis. */
	assert_string_equal(it->text, "Łukasz asked to keep his English tutor u…");
	assert_int_equal(it->line, 5);
	pep_conversion_free(cv);
	pep_diags_free(d);
	free(path);
}

static void test_item_line_hides_control_characters(void **state)
{
	(void)state;
	pep_convert_item it = {PEP_ITEM_LOST, "D", "summary", "a\x1b[31mb\xc2\x9b" "c\x7f", 12};
	char *line = pep_convert_item_line(&it);
	assert_string_equal(line, "lost: D summary (line 12): \"a?[31mb?c?\"");
	free(line);
	pep_convert_item m = {PEP_ITEM_MISSING, "3", "conduct", "ask the school", 0};
	line = pep_convert_item_line(&m);
	assert_string_equal(line, "missing: 3 conduct: ask the school");
	free(line);
}

static void test_same_format_and_invalid_input(void **state)
{
	(void)state;
	char *path = write_file("same.xml", KENT_HEAD
	                        "<essentialInformation/><educationInformation/><youngPersonsViews/><pepMeeting/></pep>\n");
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, PEP_FORMAT_KENT, d, &cv), PEP_CONVERT_SAME_FORMAT);
	assert_null(cv);
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "already in the Kent (canonical) format"));
	pep_diags_free(d);
	free(path);

	path = write_file("bad.xml", KENT_HEAD "<essentialInformation/></pep>\n");
	d = pep_diags_new(path);
	assert_int_equal(pep_convert_file(conv, path, PEP_FORMAT_SOUTHWARK, d, &cv), PEP_CONVERT_INVALID);
	assert_null(cv);
	assert_string_equal(pep_diags_at(d, 0)->rule, "XSD");
	pep_diags_free(d);
	free(path);

	path = write_file("other.xml", "<pep xmlns=\"urn:other\"/>\n");
	d = pep_diags_new(path);
	assert_int_equal(pep_convert_file(conv, path, PEP_FORMAT_SOUTHWARK, d, &cv), PEP_CONVERT_INVALID);
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "namespace \"urn:other\""));
	pep_diags_free(d);
	free(path);

	char *missing = xasprintf("%s/nope.xml", tmpdir);
	d = pep_diags_new(missing);
	assert_int_equal(pep_convert_file(conv, missing, PEP_FORMAT_SOUTHWARK, d, &cv), PEP_CONVERT_UNREADABLE);
	pep_diags_free(d);
	free(missing);
}

static void test_southwark_without_type_is_refused_with_the_reason(void **state)
{
	(void)state;
	char *path = write_file("sw.xml",
	                        "<pep xmlns=\"" PEP_SOUTHWARK_NAMESPACE "\"><form><lookedAfterBy code=\"southwark\">Southwark</lookedAfterBy></form>\n"
	                        "<childDetails/><meetingSummary/><schoolInformation><previousSchools/></schoolInformation><childsView/></pep>\n");
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, PEP_FORMAT_KENT, d, &cv), PEP_CONVERT_OUTPUT_INVALID);
	assert_non_null(cv);
	assert_null(pep_conversion_output(cv, NULL));
	const pep_convert_item *it = find_item(cv, "header", "kind");
	assert_non_null(it);
	assert_int_equal(it->kind, PEP_ITEM_MISSING);
	assert_string_equal(pep_diags_at(d, 0)->rule, "CONV");
	pep_conversion_free(cv);
	pep_diags_free(d);
	free(path);
}

static void test_stylesheet_processing_instruction_is_ignored(void **state)
{
	(void)state;
	char *marker = xasprintf("%s/pi-ran", tmpdir);
	char *sheet_text = xasprintf(XSL_OPEN "<xsl:template match=\"/\"><exsl:document href=\"%s\"><x/></exsl:document></xsl:template>\n"
	                             "</xsl:stylesheet>\n", marker);
	char *sheet = write_file("pi.xsl", sheet_text);
	char *doc = xasprintf("<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"%s\"?>\n"
	                      "<pep xmlns=\"" PEP_NAMESPACE "\"><header><localAuthority code=\"kent\">Kent</localAuthority>"
	                      "<kind>review</kind></header><essentialInformation/><educationInformation/>"
	                      "<youngPersonsViews/><pepMeeting/></pep>\n", sheet);
	char *path = write_file("pi.xml", doc);
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, PEP_FORMAT_SOUTHWARK, d, &cv), PEP_CONVERT_OK);
	assert_false(exists(marker));
	assert_null(strstr(pep_conversion_output(cv, NULL), "xml-stylesheet"));
	pep_conversion_free(cv);
	pep_diags_free(d);
	free(path);
	free(doc);
	free(sheet);
	free(sheet_text);
	free(marker);
}

/* Applies the stylesheet text to a small document; returns the error
 * (caller frees) or NULL when it worked. */
static char *apply_text(const char *sheet_text, char **result)
{
	char *sheet_path = write_file("t.xsl", sheet_text);
	char *err = NULL;
	pep_stylesheet *s = pep_stylesheet_load(sheet_path, &err);
	assert_non_null(s);
	pep_diags *d = pep_diags_new("in.xml");
	struct _xmlDoc *in = NULL;
	const char *doc = "<a><b/><b/><b/><c>text</c></a>";
	assert_int_equal(pep_xml_parse("in.xml", doc, strlen(doc), d, &in), PEP_LOAD_OK);
	struct _xmlDoc *res = pep_stylesheet_apply(s, in, NULL, &err);
	if (result) {
		size_t len;
		*result = res ? pep_stylesheet_serialize(s, res, &len) : NULL;
	}
	pep_xml_free(res);
	pep_xml_free(in);
	pep_diags_free(d);
	pep_stylesheet_free(s);
	free(sheet_path);
	return err;
}

static void test_transformations_cannot_read_files(void **state)
{
	(void)state;
	char *secret = write_file("secret.txt", "<s>PEP-SECRET-1e5b</s>\n");
	char *text = xasprintf(XSL_OPEN "<xsl:template match=\"/\"><out><xsl:copy-of select=\"document('%s')\"/>"
	                       "<xsl:copy-of select=\"document('file://%s')\"/></out></xsl:template></xsl:stylesheet>",
	                       secret, secret);
	char *out = NULL;
	char *err = apply_text(text, &out);
	assert_non_null(err);
	assert_true(!out || !strstr(out, "PEP-SECRET"));
	free(err);
	free(out);
	free(text);
	free(secret);
}

static void test_transformations_cannot_write_files(void **state)
{
	(void)state;
	char *target = xasprintf("%s/written.xml", tmpdir);
	char *text = xasprintf(XSL_OPEN "<xsl:template match=\"/\"><exsl:document href=\"%s\"><x>pwned</x></exsl:document>"
	                       "<done/></xsl:template></xsl:stylesheet>", target);
	char *err = apply_text(text, NULL);
	assert_non_null(err);
	assert_false(exists(target));
	free(err);
	free(text);
	free(target);
}

static void test_transformations_cannot_reach_the_network(void **state)
{
	(void)state;
	char *err = apply_text(XSL_OPEN "<xsl:template match=\"/\"><out><xsl:copy-of select=\"document('http://127.0.0.1:9/x.xml')\"/>"
	                       "</out></xsl:template></xsl:stylesheet>", NULL);
	assert_non_null(err);
	free(err);
}

static void test_a_plain_stylesheet_works_and_takes_parameters(void **state)
{
	(void)state;
	char *out = NULL;
	char *err = apply_text("<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
	                       "<xsl:output method=\"xml\" encoding=\"UTF-8\"/>"
	                       "<xsl:template match=\"/\"><n><xsl:value-of select=\"count(//b)\"/></n></xsl:template>"
	                       "</xsl:stylesheet>", &out);
	assert_null(err);
	assert_string_equal(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<n>3</n>\n");
	free(out);
}

static void test_runaway_work_is_stopped(void **state)
{
	(void)state;
	/* Doubly exponential in the stylesheet, not in the document: stops at
	 * the operation limit instead of running for ever. */
	char *err = apply_text("<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
	                       "<xsl:template match=\"/\"><xsl:call-template name=\"t\"><xsl:with-param name=\"n\" select=\"0\"/>"
	                       "</xsl:call-template></xsl:template>"
	                       "<xsl:template name=\"t\"><xsl:param name=\"n\"/><xsl:if test=\"$n &lt; 40\">"
	                       "<xsl:value-of select=\"count(//*/following::*/preceding::*)\"/>"
	                       "<xsl:call-template name=\"t\"><xsl:with-param name=\"n\" select=\"$n + 1\"/></xsl:call-template>"
	                       "<xsl:call-template name=\"t\"><xsl:with-param name=\"n\" select=\"$n + 1\"/></xsl:call-template>"
	                       "</xsl:if></xsl:template></xsl:stylesheet>", NULL);
	assert_non_null(err);
	assert_non_null(strstr(err, "too much work"));
	free(err);
}

static void test_broken_stylesheet_is_refused(void **state)
{
	(void)state;
	char *path = write_file("broken.xsl", "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
	                        "<xsl:template match=\"/\"><xsl:value-of select=\"((\"/></xsl:template></xsl:stylesheet>");
	char *err = NULL;
	assert_null(pep_stylesheet_load(path, &err));
	assert_non_null(strstr(err, "not a stylesheet pep can apply"));
	free(err);
	free(path);
	path = write_file("notxml.xsl", "<xsl:stylesheet");
	assert_null(pep_stylesheet_load(path, &err));
	assert_non_null(err);
	free(err);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_minimal_kent_pep_to_southwark),
		cmocka_unit_test(test_long_values_are_cut_short),
		cmocka_unit_test(test_item_line_hides_control_characters),
		cmocka_unit_test(test_same_format_and_invalid_input),
		cmocka_unit_test(test_southwark_without_type_is_refused_with_the_reason),
		cmocka_unit_test(test_stylesheet_processing_instruction_is_ignored),
		cmocka_unit_test(test_transformations_cannot_read_files),
		cmocka_unit_test(test_transformations_cannot_write_files),
		cmocka_unit_test(test_transformations_cannot_reach_the_network),
		cmocka_unit_test(test_a_plain_stylesheet_works_and_takes_parameters),
		cmocka_unit_test(test_runaway_work_is_stopped),
		cmocka_unit_test(test_broken_stylesheet_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
