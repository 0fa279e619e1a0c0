/* test_form.c: the schema read as a form (src/form.c). */
#include "test.h"

#include <unistd.h>

#include "form.h"
#include "xalloc.h"
#include "xml.h"

static pep_form *form;

static int setup(void **state)
{
	(void)state;
	form = test_schema_form();
	return form ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pep_form_free(form);
	return 0;
}

static const pep_form_elem *find(const char *path)
{
	const pep_form_elem *e = pep_form_find(form, path);
	if (!e)
		fail_msg("no element at %s", path);
	return e;
}

static void test_the_document_and_its_sections_in_order(void **state)
{
	(void)state;
	const pep_form_elem *root = pep_form_root(form);
	assert_string_equal(root->name, "pep");
	assert_string_equal(root->path, "");
	assert_string_equal(pep_form_namespace(form), "https://pep-tool.org/ns/pep/1");
	static const char *const top[] = {"header", "essentialInformation", "educationInformation", "youngPersonsViews",
	                                  "pepMeeting", "attachments"};
	assert_int_equal(root->nkids, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(root->kids[i].name, top[i]);
		assert_string_equal(root->kids[i].path, top[i]);
		assert_false(root->kids[i].value);
	}
	assert_int_equal(root->kids[0].min, 1);
	assert_int_equal(root->kids[5].min, 0); /* attachments may be left out */
	assert_ptr_equal(pep_form_child(root, "pepMeeting"), &root->kids[4]);
	assert_null(pep_form_child(root, "nope"));
	assert_ptr_equal(pep_form_find(form, ""), root);
}

static void test_documentation_is_the_schemas_own_words(void **state)
{
	(void)state;
	assert_string_equal(find("header/kind")->doc,
	                    "The kind of PEP: initial, review, transition, post-16, early-years or no-provision. "
	                    "Completed by: VS, or the social worker (SW) who opens the PEP.");
	/* Of a referenced global element, the global's documentation. */
	assert_true(strncmp(find("essentialInformation")->doc, "Section A, essential pupil information:", 39) == 0);
	/* Of an element of a named type, the element's (not the type's). */
	assert_string_equal(find("essentialInformation/care/iro")->doc, "The Independent Reviewing Officer. Completed by: SW.");
	/* White space collapsed, quotes and entities as text. */
	assert_non_null(strstr(find("header/localAuthority")->doc,
	                       "for example <localAuthority code=\"kent\">Kent County Council</localAuthority>. Its code"));
}

static void test_values_lists_and_attributes(void **state)
{
	(void)state;
	const pep_form_elem *e = find("header/localAuthority");
	assert_true(e->value); /* simple content with an attribute */
	assert_int_equal(e->nattrs, 1);
	assert_string_equal(e->attrs[0].name, "code");
	assert_true(e->attrs[0].required);

	e = find("pepMeeting/signOff/sectionComplete");
	assert_int_equal(e->min, 0);
	assert_int_equal(e->max, 4);
	assert_false(e->value);
	const pep_form_attr *a = pep_form_attr_find(e, "section");
	assert_non_null(a);
	assert_true(a->required);
	assert_string_equal(a->doc, "A, B, C or D.");
	assert_null(pep_form_attr_find(e, "nope"));

	e = find("pepMeeting/targets/target/description");
	assert_true(e->value);
	assert_false(pep_form_attr_find(e, "words")->required);
	assert_int_equal(find("pepMeeting/targets/target")->max, PEP_FORM_UNBOUNDED);
	assert_int_equal(find("essentialInformation/care/lookedAfterReviews/held")->max, PEP_FORM_UNBOUNDED);
	assert_true(find("essentialInformation/care/lookedAfterReviews/held")->value);
	assert_int_equal(find("header/pepHistory/previousMeeting/date")->min, 1);

	/* A named complex type's content, where it is used. */
	e = find("essentialInformation/care/iro");
	assert_int_equal(e->nkids, 3);
	assert_string_equal(e->kids[2].path, "essentialInformation/care/iro/phone");
	assert_null(pep_form_find(form, "essentialInformation/care/iro/phone/more"));
	assert_null(pep_form_find(form, "header/kin"));
}

static void test_the_school_choice(void **state)
{
	(void)state;
	const pep_form_elem *s = find("essentialInformation/school"), *n = find("essentialInformation/noEducationalProvision");
	assert_true(s->choice > 0);
	assert_int_equal(s->choice, n->choice);
	assert_int_equal(s->min, 0); /* the choice itself is optional */
	assert_int_equal(n->min, 0);
	assert_int_equal(find("essentialInformation/health")->choice, 0);
	assert_int_equal(find("essentialInformation/care")->choice, 0);
}

static void test_simple_types(void **state)
{
	(void)state;
	/* A union with the empty type: the value type's facets, empty allowed. */
	const pep_form_type *t = find("educationInformation/attendance/percentage")->type;
	assert_non_null(t);
	assert_string_equal(t->name, "Percentage");
	assert_string_equal(t->base, "decimal");
	assert_true(t->empty);
	assert_string_equal(t->min, "0");
	assert_string_equal(t->max, "100");
	assert_int_equal(t->fraction_digits, 2);
	assert_null(t->values);
	assert_true(strncmp(t->doc, "a percentage from 0 to 100", 26) == 0);

	t = find("pepMeeting/date")->type;
	assert_string_equal(t->name, "Date");
	assert_string_equal(t->base, "date");
	assert_string_equal(t->min, "1900-01-01");
	assert_string_equal(t->max, "2099-12-31");
	assert_true(t->empty);
	assert_string_equal(find("pepMeeting/startTime")->type->pattern, "([01][0-9]|2[0-3]):[0-5][0-9]");
	assert_string_equal(find("essentialInformation/health/sdq/score")->type->base, "integer");

	/* A closed list: "" means it may be left empty, not a value. */
	t = find("essentialInformation/care/placement")->type;
	assert_string_equal(t->name, "Placement");
	assert_true(t->empty);
	assert_int_equal(t->nvalues, 2);
	assert_string_equal(t->values[0].value, "planned");
	assert_string_equal(t->values[1].value, "unplanned");
	t = find("header/kind")->type;
	assert_false(t->empty);
	assert_int_equal(t->nvalues, 6);
	assert_string_equal(t->values[5].value, "no-provision");
	assert_true(strncmp(t->values[5].doc, "A PEP for a child with no educational provision", 47) == 0);
	assert_null(find("header/formState")->type->values[0].doc);

	/* Text, lines, simple content and attributes. */
	assert_int_equal(find("youngPersonsViews/enjoys")->type->max_length, 100000);
	assert_int_equal(find("essentialInformation/personal/preferredName")->type->max_length, 300);
	assert_string_equal(find("essentialInformation/personal/preferredName")->type->base, "string");
	assert_string_equal(find("pepMeeting/targets/target/description")->type->name, "Text");
	assert_string_equal(find("header/localAuthority")->type->name, "Line");
	const pep_form_attr *a = pep_form_attr_find(find("header/localAuthority"), "code");
	assert_string_equal(a->type->name, "LaCode");
	assert_false(a->type->empty);
	assert_string_equal(a->type->base, "token");
	a = pep_form_attr_find(find("pepMeeting/signOff/sectionComplete"), "section");
	assert_int_equal(a->type->nvalues, 4);
	assert_true(pep_form_attr_find(find("essentialInformation/school/schoolLocalAuthority"), "code")->type->empty);
	/* Groups have no type. */
	assert_null(find("pepMeeting/targets")->type);
}

/* Writes text to a new temporary file; returns its path (caller frees). */
static char *temp_file(const char *text)
{
	char *path = pep_xstrdup("/tmp/pep-test-form-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void expect_refused(const char *xsd, const char *says)
{
	char *path = temp_file(xsd);
	char *err = NULL;
	pep_form *f = pep_form_load(path, &err);
	assert_null(f);
	assert_non_null(err);
	if (!strstr(err, says))
		fail_msg("'%s' does not say '%s'", err, says);
	assert_non_null(strstr(err, path));
	unlink(path);
	free(path);
	free(err);
}

#define XSD_OPEN "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:t\">"

static void test_what_it_does_not_follow_is_refused(void **state)
{
	(void)state;
	expect_refused(XSD_OPEN "<xs:element name=\"pep\"><xs:complexType><xs:all><xs:element name=\"a\"/></xs:all>"
	                        "</xs:complexType></xs:element></xs:schema>",
	               "<xs:all> in a complex type is not read");
	expect_refused(XSD_OPEN "<xs:element name=\"pep\"><xs:complexType><xs:sequence><xs:element ref=\"gone\"/>"
	                        "</xs:sequence></xs:complexType></xs:element></xs:schema>",
	               "<xs:element ref=\"gone\"> refers to no global element");
	expect_refused(XSD_OPEN "<xs:element name=\"other\"/></xs:schema>", "declares no global element <pep>");
	expect_refused(XSD_OPEN "<xs:simpleType name=\"L\"><xs:list itemType=\"xs:int\"/></xs:simpleType>"
	                        "<xs:element name=\"pep\" type=\"L\"/></xs:schema>",
	               "<xs:list> in a simple type is not read");
	expect_refused(XSD_OPEN "<xs:simpleType name=\"U\"><xs:union memberTypes=\"xs:int xs:date\"/></xs:simpleType>"
	                        "<xs:element name=\"pep\" type=\"U\"/></xs:schema>",
	               "a union of more than one type of value is not read");
	expect_refused(XSD_OPEN "<xs:simpleType name=\"W\"><xs:restriction base=\"xs:string\"><xs:whiteSpace value=\"collapse\"/>"
	                        "</xs:restriction></xs:simpleType><xs:element name=\"pep\" type=\"W\"/></xs:schema>",
	               "the facet <xs:whiteSpace> is not read");
	expect_refused(XSD_OPEN "<xs:simpleType name=\"A\"><xs:restriction base=\"B\"/></xs:simpleType>"
	                        "<xs:simpleType name=\"B\"><xs:restriction base=\"A\"/></xs:simpleType>"
	                        "<xs:element name=\"pep\" type=\"A\"/></xs:schema>",
	               "more than 16 deep");
	expect_refused("<pep xmlns=\"https://pep-tool.org/ns/pep/1\"/>", "not an XML Schema");
	expect_refused("<xs:schema", "");
	char *err = NULL;
	assert_null(pep_form_load("/nonexistent/pep.xsd", &err));
	assert_non_null(strstr(err, "cannot read the file"));
	free(err);
}

static void test_a_minimal_schema(void **state)
{
	(void)state;
	char *path = temp_file(XSD_OPEN "<xs:element name=\"pep\"><xs:annotation><xs:documentation>  The\n  root. "
	                                "</xs:documentation></xs:annotation><xs:complexType><xs:sequence>"
	                                "<xs:element name=\"a\" type=\"xs:string\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>"
	                                "</xs:sequence><xs:attribute name=\"v\" use=\"required\"/></xs:complexType>"
	                                "</xs:element></xs:schema>");
	char *err = NULL;
	pep_form *f = pep_form_load(path, &err);
	assert_non_null(f);
	const pep_form_elem *r = pep_form_root(f);
	assert_string_equal(r->doc, "The root.");
	assert_int_equal(r->nkids, 1);
	assert_true(r->kids[0].value);
	assert_null(r->kids[0].doc);
	assert_int_equal(r->kids[0].max, PEP_FORM_UNBOUNDED);
	assert_true(r->attrs[0].required);
	assert_string_equal(pep_form_namespace(f), "urn:t");
	pep_form_free(f);
	pep_form_free(NULL);
	unlink(path);
	free(path);
}

static void test_the_installed_schema(void **state)
{
	(void)state;
	char *err = NULL;
	pep_form *f = pep_form_load_installed(&err); /* PEP_DATADIR is the repository */
	assert_non_null(f);
	assert_null(err);
	assert_string_equal(pep_form_root(f)->kids[1].doc, find("essentialInformation")->doc);
	pep_form_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_document_and_its_sections_in_order),
		cmocka_unit_test(test_documentation_is_the_schemas_own_words),
		cmocka_unit_test(test_values_lists_and_attributes),
		cmocka_unit_test(test_the_school_choice),
		cmocka_unit_test(test_simple_types),
		cmocka_unit_test(test_what_it_does_not_follow_is_refused),
		cmocka_unit_test(test_a_minimal_schema),
		cmocka_unit_test(test_the_installed_schema),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
