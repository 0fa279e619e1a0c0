/* test_convert.c: the format table (src/format.c), the locked-down XSLT, reading any format and the loss
 * report (src/convert.c). */
#include "test.h"

#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "convert.h"
#include "model.h"
#include "strbuf.h"
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
	char *path = pep_xasprintf("%s/%s", tmpdir, name);
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

#define SW_NS "https://pep-tool.org/ns/southwark/1"

static const pep_format *kent(void)
{
	return pep_format_named("kent");
}

static const pep_format *southwark(void)
{
	return pep_format_named("southwark");
}

static void test_formats(void **state)
{
	(void)state;
	assert_true(pep_format_count() >= 2);
	assert_ptr_equal(pep_format_canonical(), pep_format_at(0));
	assert_true(pep_format_is_canonical(kent()));
	assert_false(pep_format_is_canonical(southwark()));
	assert_null(pep_format_named("Kent"));
	assert_null(pep_format_named(NULL));
	assert_ptr_equal(pep_format_of_namespace(PEP_NAMESPACE), kent());
	assert_ptr_equal(pep_format_of_namespace(SW_NS), southwark());
	assert_null(pep_format_of_namespace("https://pep-tool.org/ns/pep/2"));
	assert_string_equal(southwark()->label, "Southwark's PEP form");
	assert_int_equal(pep_format_index(southwark()), 1);
	/* Every row but the canonical one converts both ways; names are unique. */
	const char *const *names = pep_format_names();
	for (size_t i = 0; i < pep_format_count(); i++) {
		const pep_format *f = pep_format_at(i);
		assert_string_equal(names[i], f->name);
		assert_true((f->to_canonical != NULL) == (i > 0));
		assert_true((f->from_canonical != NULL) == (i > 0));
		assert_ptr_equal(pep_format_named(f->name), f);
	}
	assert_null(names[pep_format_count()]);
	char *list = pep_format_name_list(NULL);
	assert_string_equal(list, "kent or southwark");
	free(list);
	list = pep_format_name_list("--to ");
	assert_string_equal(list, "--to kent or --to southwark");
	free(list);
}

/* The report's lines, joined with newlines (caller frees). */
static char *report_text(const pep_conversion *cv, bool show_values)
{
	char **lines = NULL;
	size_t n = pep_conversion_report(cv, show_values, &lines);
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		pep_buf_printf(&b, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	return pep_buf_detach(&b);
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
	assert_int_equal(pep_convert_file(conv, path, southwark(), PEP_CONVERT_STRICT_FORM, d, &cv), PEP_CONVERT_OK);
	assert_int_equal(pep_diags_count(d), 0);
	assert_ptr_equal(pep_conversion_from(cv), kent());
	assert_ptr_equal(pep_conversion_to(cv), southwark());
	size_t len = 0;
	const char *out = pep_conversion_output(cv, &len);
	assert_int_equal(strlen(out), len);
	assert_non_null(strstr(out, "<pep xmlns=\"" SW_NS "\">"));
	assert_non_null(strstr(out, "<forenames>Zoë</forenames>"));
	assert_non_null(strstr(out, "<surname>Nguyễn</surname>"));
	/* Southwark's form holds the placement; it has no place for choosing
	 * to chair, which (with the strict form) is lost, at its line; the
	 * conduct record is missing. */
	assert_non_null(strstr(out, "<placement>unplanned</placement>"));
	assert_null(strstr(out, "carried"));
	assert_int_equal(pep_conversion_lost(cv), 1);
	assert_int_equal(pep_conversion_carried(cv), 0);
	const pep_convert_item *it = find_item(cv, "C", "choseToChair");
	assert_non_null(it);
	assert_int_equal(it->kind, PEP_ITEM_LOST);
	assert_int_equal(it->line, 11);
	assert_string_equal(it->text, "yes");
	assert_int_equal(pep_conversion_groups(cv), 1);
	const pep_convert_group *g = pep_conversion_group(cv, 0);
	assert_string_equal(g->label, "chose to chair the meeting"); /* from pep.xsd's xs:appinfo */
	assert_string_equal(g->element, "youngPersonsViews/choseToChair");
	assert_false(g->carried);
	it = find_item(cv, "3", "conduct");
	assert_non_null(it);
	assert_int_equal(it->kind, PEP_ITEM_MISSING);
	assert_string_equal(it->label, "conduct"); /* from southwark.xsd */
	char *text = report_text(cv, false);
	assert_string_equal(text,
	                    "1 value has no place in Southwark's PEP form: chose to chair the meeting (1); it is left out: "
	                    "enter it again by hand if the PEP is converted back; Southwark's PEP form needs 1 field the file "
	                    "does not have\n"
	                    "lost: section C, chose to chair the meeting (line 11)\n"
	                    "missing: section 3, conduct: the PEP has no conduct record: ask the school for it "
	                    "(Southwark procedure 3.5.2 §4)\n");
	free(text);
	pep_conversion_free(cv);
	pep_diags_free(d);
	free(path);
}

static void test_carried_values_come_back_and_are_quoted_only_when_asked(void **state)
{
	(void)state;
	char *path = write_file("carry.xml", KENT_HEAD
	                        "<essentialInformation/><educationInformation/><youngPersonsViews/>\n"
	                        "<pepMeeting><childsViewsUsed>Łukasz asked to keep his   English tutor\n"
	                        "  until the summer; as a result the tutor stays.</childsViewsUsed></pepMeeting></pep>\n");
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, southwark(), 0, d, &cv), PEP_CONVERT_OK);
	const pep_convert_item *it = find_item(cv, "D", "childsViewsUsed");
	assert_non_null(it);
	/* The whole value, white space collapsed: nothing cut. */
	assert_string_equal(it->text, "Łukasz asked to keep his English tutor until the summer; as a result the tutor stays.");
	assert_int_equal(it->line, 5);
	assert_int_equal(pep_conversion_carried(cv), 1);
	const char *out = pep_conversion_output(cv, NULL);
	assert_non_null(strstr(out, "<carried xmlns=\"https://pep-tool.org/ns/pep-carried/1\""));
	char *text = report_text(cv, false);
	assert_null(strstr(text, "Łukasz"));
	assert_non_null(strstr(text, "carried: section D, how the child's views were used (line 5); Southwark's form has no place"));
	assert_non_null(strstr(text, "; it is carried in the file and restored when it is converted back"));
	free(text);
	text = report_text(cv, true);
	assert_non_null(strstr(text, "\n  line 5: \"Łukasz asked to keep his English tutor until the summer; as a result the tutor stays.\"\n"));
	free(text);

	/* Converted back, the value is where it was. */
	char *sw = write_file("carry-sw.xml", out);
	pep_conversion *back = NULL;
	pep_diags *d2 = pep_diags_new(sw);
	assert_int_equal(pep_convert_file(conv, sw, kent(), 0, d2, &back), PEP_CONVERT_OK);
	assert_int_equal(pep_conversion_lost(back), 0);
	assert_non_null(strstr(pep_conversion_output(back, NULL), "<childsViewsUsed>Łukasz asked to keep his   English tutor\n"
	                                                       "  until the summer; as a result the tutor stays.</childsViewsUsed>"));
	pep_conversion_free(back);
	pep_diags_free(d2);
	free(sw);
	pep_conversion_free(cv);
	pep_diags_free(d);
	free(path);
}

static void test_report_hides_control_characters(void **state)
{
	(void)state;
	char *path = write_file("ctl.xml", KENT_HEAD
	                        "<essentialInformation/><educationInformation/><youngPersonsViews/>\n"
	                        "<pepMeeting><childsViewsUsed>a&#x1b;[31mb\xc2\x9b" "c&#x7f;</childsViewsUsed></pepMeeting></pep>\n");
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, southwark(), 0, d, &cv), PEP_CONVERT_INVALID);
	pep_diags_free(d);
	free(path);
	/* XML 1.0 has no ESC: a C1 control and DEL are what can reach a terminal. */
	path = write_file("ctl.xml", KENT_HEAD
	                  "<essentialInformation/><educationInformation/><youngPersonsViews/>\n"
	                  "<pepMeeting><childsViewsUsed>a\xc2\x9b" "31mb&#x7f;c</childsViewsUsed></pepMeeting></pep>\n");
	d = pep_diags_new(path);
	assert_int_equal(pep_convert_file(conv, path, southwark(), 0, d, &cv), PEP_CONVERT_OK);
	char *text = report_text(cv, true);
	assert_non_null(strstr(text, "\"a?31mb?c\""));
	free(text);
	pep_conversion_free(cv);
	pep_diags_free(d);
	free(path);
}

static void test_same_format_and_invalid_input(void **state)
{
	(void)state;
	char *path = write_file("same.xml", KENT_HEAD
	                        "<essentialInformation/><educationInformation/><youngPersonsViews/><pepMeeting/></pep>\n");
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, kent(), 0, d, &cv), PEP_CONVERT_SAME_FORMAT);
	assert_null(cv);
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "already in the Kent (canonical) format"));
	pep_diags_free(d);
	free(path);

	path = write_file("bad.xml", KENT_HEAD "<essentialInformation/></pep>\n");
	d = pep_diags_new(path);
	assert_int_equal(pep_convert_file(conv, path, southwark(), 0, d, &cv), PEP_CONVERT_INVALID);
	assert_null(cv);
	assert_string_equal(pep_diags_at(d, 0)->rule, "XSD");
	pep_diags_free(d);
	free(path);

	path = write_file("other.xml", "<pep xmlns=\"urn:other\"/>\n");
	d = pep_diags_new(path);
	assert_int_equal(pep_convert_file(conv, path, southwark(), 0, d, &cv), PEP_CONVERT_INVALID);
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "namespace \"urn:other\""));
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "Southwark's PEP form, namespace \"" SW_NS "\""));
	pep_diags_free(d);
	free(path);

	char *missing = pep_xasprintf("%s/nope.xml", tmpdir);
	d = pep_diags_new(missing);
	assert_int_equal(pep_convert_file(conv, missing, southwark(), 0, d, &cv), PEP_CONVERT_UNREADABLE);
	pep_diags_free(d);
	free(missing);
}

#define SW_NO_TYPE "<pep xmlns=\"" SW_NS "\"><form><lookedAfterBy code=\"southwark\">Southwark</lookedAfterBy></form>\n" \
	"<childDetails/><meetingSummary/><schoolInformation><previousSchools/></schoolInformation><childsView/></pep>\n"

static void test_southwark_without_type_is_refused_with_the_reason(void **state)
{
	(void)state;
	char *path = write_file("sw.xml", SW_NO_TYPE);
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, kent(), 0, d, &cv), PEP_CONVERT_OUTPUT_INVALID);
	assert_non_null(cv);
	assert_null(pep_conversion_output(cv, NULL));
	const pep_convert_item *it = find_item(cv, "header", "kind");
	assert_non_null(it);
	assert_int_equal(it->kind, PEP_ITEM_MISSING);
	assert_string_equal(it->label, "kind of PEP");
	assert_string_equal(pep_diags_at(d, 0)->rule, "CONV");
	pep_conversion_free(cv);
	pep_diags_free(d);
	free(path);
}

/* The canonical PEP read from a document on Southwark's form, with the lines
 * of the form. */
static void test_reading_southwark_as_canonical_keeps_lines(void **state)
{
	(void)state;
	const char *text = "<pepReview xmlns=\"" SW_NS "\">\n"                                         /* 1 */
	                   "<form><lookedAfterBy code=\"southwark\">Southwark</lookedAfterBy></form>\n" /* 2 */
	                   "<childDetails>\n"                                                       /* 3 */
	                   "<child>\n"                                                              /* 4 */
	                   "<forenames>Zoë</forenames>\n"                                           /* 5 */
	                   "<surname>Nguyễn</surname>\n"                                            /* 6 */
	                   "</child></childDetails>\n"                                              /* 7 */
	                   "<meetingSummary/><schoolUpdate/>\n"                                     /* 8 */
	                   "<childsView><hopes>To be a vet</hopes></childsView>\n"                  /* 9 */
	                   "</pepReview>\n";
	pep_diags *d = pep_diags_new("t.xml");
	struct _xmlDoc *sw = NULL;
	assert_int_equal(pep_xml_parse("t.xml", text, strlen(text), d, &sw), PEP_LOAD_OK);
	pep_xml_loader *l = pep_xml_loader_new(pep_converter_schema(conv, kent()));
	struct _xmlDoc *k = pep_convert_to_canonical(conv, southwark(), sw, l, d);
	assert_non_null(k);
	assert_int_equal(pep_diags_count(d), 0);
	/* Every element made from one of the form has its line; others their parent's. */
	xmlNodePtr root = xmlDocGetRootElement(k);
	assert_string_equal((const char *)root->name, "pep");
	int seen = 0;
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrEqual(n->name, BAD_CAST "header")) {
			assert_int_equal(xmlGetLineNo(n), 2);
			seen++;
		} else if (xmlStrEqual(n->name, BAD_CAST "essentialInformation")) {
			xmlNodePtr personal = n->children;
			while (personal && personal->type != XML_ELEMENT_NODE)
				personal = personal->next;
			assert_int_equal(xmlGetLineNo(personal), 4);
			xmlNodePtr name = personal->children;
			while (name && name->type != XML_ELEMENT_NODE)
				name = name->next;
			assert_string_equal((const char *)name->name, "legalName");
			xmlNodePtr given = name->children;
			while (given && given->type != XML_ELEMENT_NODE)
				given = given->next;
			assert_int_equal(xmlGetLineNo(given), 5);
			seen++;
		} else if (xmlStrEqual(n->name, BAD_CAST "youngPersonsViews")) {
			assert_int_equal(xmlGetLineNo(n), 9);
			seen++;
		}
		/* No attribute of pep's own is left. */
		for (xmlAttrPtr a = n->properties; a; a = a->next)
			assert_null(a->ns);
		assert_null(n->nsDef);
	}
	assert_int_equal(seen, 3);
	/* The document read is as it was. */
	assert_null(xmlDocGetRootElement(sw)->properties);
	assert_int_equal(xmlDocGetRootElement(sw)->nsDef->next, NULL);
	pep_xml_free(k);
	pep_xml_free(sw);

	/* Without a type of PEP the canonical PEP cannot be made: the reason. */
	assert_int_equal(pep_xml_parse("t.xml", SW_NO_TYPE, strlen(SW_NO_TYPE), d, &sw), PEP_LOAD_OK);
	assert_null(pep_convert_to_canonical(conv, southwark(), sw, l, d));
	assert_string_equal(pep_diags_at(d, 0)->rule, "CONV");
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "Southwark's PEP form does not give the kind of PEP, which the "
	                                                     "canonical format needs: the form does not say whether"));
	assert_int_equal(pep_diags_at(d, 0)->line, 1); /* the form (its header) is on line 1 */
	pep_xml_free(sw);
	pep_xml_loader_free(l);
	pep_diags_free(d);
}

static void test_json_report(void **state)
{
	(void)state;
	char *path = write_file("json.xml", KENT_HEAD
	                        "<essentialInformation/><educationInformation/><youngPersonsViews>\n<choseToChair>yes</choseToChair>\n"
	                        "</youngPersonsViews><pepMeeting/></pep>\n");
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, southwark(), 0, d, &cv), PEP_CONVERT_OK);
	for (int show = 0; show < 2; show++) {
		pep_buf b = PEP_BUF_INIT;
		pep_jw w;
		pep_jw_init_buf(&w, &b, PEP_JW_COMPACT);
		pep_jw_object_begin(&w);
		pep_conversion_write_json(cv, show, &w);
		pep_jw_end(&w);
		assert_true(pep_jw_complete(&w));
		const char *j = pep_buf_str(&b);
		assert_non_null(strstr(j, "\"from\": \"kent\", \"to\": \"southwark\""));
		assert_non_null(strstr(j, "\"values\": 1, \"carried\": 1"));
		assert_non_null(strstr(j, "\"label\": \"chose to chair the meeting\", \"element\": \"youngPersonsViews/choseToChair\", "
		                          "\"carried\": true, \"unrestored\": false, \"why\": null, \"values\": 1, \"lines\": [[5, 5]]"));
		assert_non_null(strstr(j, "\"missing\": [{\"section\": \"3\", \"field\": \"conduct\", \"label\": \"conduct\""));
		assert_true((strstr(j, "\"value\": \"yes\"") != NULL) == (show == 1));
		pep_buf_free(&b);
	}
	pep_conversion_free(cv);
	pep_diags_free(d);
	free(path);
}

static void test_stylesheet_processing_instruction_is_ignored(void **state)
{
	(void)state;
	char *marker = pep_xasprintf("%s/pi-ran", tmpdir);
	char *sheet_text = pep_xasprintf(XSL_OPEN "<xsl:template match=\"/\"><exsl:document href=\"%s\"><x/></exsl:document></xsl:template>\n"
	                             "</xsl:stylesheet>\n", marker);
	char *sheet = write_file("pi.xsl", sheet_text);
	char *doc = pep_xasprintf("<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"%s\"?>\n"
	                      "<pep xmlns=\"" PEP_NAMESPACE "\"><header><localAuthority code=\"kent\">Kent</localAuthority>"
	                      "<kind>review</kind></header><essentialInformation/><educationInformation/>"
	                      "<youngPersonsViews/><pepMeeting/></pep>\n", sheet);
	char *path = write_file("pi.xml", doc);
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	assert_int_equal(pep_convert_file(conv, path, southwark(), 0, d, &cv), PEP_CONVERT_OK);
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
	char *text = pep_xasprintf(XSL_OPEN "<xsl:template match=\"/\"><out><xsl:copy-of select=\"document('%s')\"/>"
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
	char *target = pep_xasprintf("%s/written.xml", tmpdir);
	char *text = pep_xasprintf(XSL_OPEN "<xsl:template match=\"/\"><exsl:document href=\"%s\"><x>pwned</x></exsl:document>"
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
		cmocka_unit_test(test_carried_values_come_back_and_are_quoted_only_when_asked),
		cmocka_unit_test(test_report_hides_control_characters),
		cmocka_unit_test(test_same_format_and_invalid_input),
		cmocka_unit_test(test_southwark_without_type_is_refused_with_the_reason),
		cmocka_unit_test(test_reading_southwark_as_canonical_keeps_lines),
		cmocka_unit_test(test_json_report),
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
