/* test_edit_words.c: pep edit's page in the form's words (src/edit_words.c). */
#include "test.h"

#include "edit_words.h"
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

/* text in the form's words, shown at the element at path (NULL: nowhere). */
static void expect(const char *at, const char *text, const char *want)
{
	const pep_form_elem *e = at ? pep_form_find(form, at) : NULL;
	if (at && !e)
		fail_msg("no element at %s", at);
	pep_buf b = PEP_BUF_INIT;
	pep_words_of(form, e, text, &b);
	assert_string_equal(pep_buf_str(&b), want);
	pep_buf_free(&b);
}

static void test_paths_become_labels(void **state)
{
	(void)state;
	/* The schema's doc:label; else the name in words; else a part's tab. */
	expect(NULL, "personal information is missing the date of birth: fill in essentialInformation/personal",
	       "personal information is missing the date of birth: fill in personal details");
	expect(NULL, "the designated teacher fills in educationInformation/attendance",
	       "the designated teacher fills in attendance");
	expect(NULL, "set pepMeeting/attendees/attendee[4]/role", "set role");
	expect(NULL, "complete youngPersonsViews with or by the child",
	       "complete \u201cC. The young person's views\u201d with or by the child");
	/* A "(path)" naming the field the text is shown at goes; another stays, in words. */
	expect("educationInformation/attendance/percentage",
	       "percentage \"120\" is not valid: expected 0 to 100 (educationInformation/attendance/percentage)",
	       "percentage \"120\" is not valid: expected 0 to 100");
	expect("educationInformation/attendance", "wrong (educationInformation/attendance/percentage)",
	       "wrong (attendance percentage)");
	/* What is not a path of the form, and values quoted from the file, stay. */
	expect(NULL, "and/or a/b \"essentialInformation/personal\"", "and/or a/b \"essentialInformation/personal\"");
	/* A value with a quote in it (xml.c writes it \") is skipped whole. */
	expect(NULL, "year group \"9\\\" then see essentialInformation/personal/upn, or\" is not one of the values",
	       "year group \"9\\\" then see essentialInformation/personal/upn, or\" is not one of the values");
	/* An element the schema does not have: the field that holds it, never
	 * a path relabelled a piece at a time. */
	expect("essentialInformation/personal",
	       "<favouriteColour> is not an element of this form (essentialInformation/personal/favouriteColour)",
	       "favourite colour is not an element of this form (personal details)");
}

static void test_tags_become_controls(void **state)
{
	(void)state;
	expect(NULL,
	       "list earlier schools and settings with the reasons for leaving, or write <previousSchools none=\"yes\"/>",
	       "list earlier schools and settings with the reasons for leaving, or choose \u201cYes\u201d for \u201cNo "
	       "earlier school or setting\u201d");
	expect(NULL, "<attendance> lacks a required element: add <percentage>",
	       "attendance lacks a required element: add attendance percentage");
	/* An example in the schema's help: its value, and what its boxes hold. */
	expect("header/localAuthority", "for example <localAuthority code=\"kent\">Kent County Council</localAuthority>.",
	       "for example \u201cKent County Council\u201d (LA code \u201ckent\u201d).");
	expect(NULL, "a < b and <1>", "a < b and <1>");
}

static void test_a_closed_lists_codes_become_its_options(void **state)
{
	(void)state;
	expect("pepMeeting/attendees/attendee/role",
	       "attendee role \"sw\" is not one of the allowed values: use one of social-worker, carer, or leave it "
	       "empty (pepMeeting/attendees/attendee[4]/role)",
	       "attendee role \"sw\" is not one of the allowed values: use one of \u201cSocial worker\u201d, "
	       "\u201cCarer\u201d, or leave it empty");
	/* Three or more in a row, in any message about the field (or its item). */
	expect("pepMeeting/previousTargets/previousTarget",
	       "previous target 2 has no outcome: record achieved, partly-achieved, not-achieved or carried-forward",
	       "previous target 2 has no outcome: record \u201cAchieved\u201d, \u201cPartly achieved\u201d, \u201cNot "
	       "achieved\u201d or \u201cCarried forward\u201d");
	expect("pepMeeting/previousTargets/previousTarget", "it was achieved", "it was achieved");
	expect("essentialInformation/care", "whether the placement was planned or unplanned",
	       "whether the placement was planned or unplanned");
	/* Only the list of the field the text is about. */
	expect("educationInformation/attendance/percentage", "use one of social-worker", "use one of social-worker");
	char out[64];
	pep_words_option(pep_form_find(form, "pepMeeting/previousTargets/previousTarget/outcome")->type,
	                 "partly-achieved", out, sizeof out);
	assert_string_equal(out, "Partly achieved");
}

static void test_labels_and_date_help(void **state)
{
	(void)state;
	char out[64];
	pep_words_label(pep_form_find(form, "essentialInformation"), out, sizeof out);
	assert_string_equal(out, "A. Essential information");
	pep_words_label(pep_form_find(form, "educationInformation/attendance/percentage"), out, sizeof out);
	assert_string_equal(out, "Percentage");
	const pep_form_elem *ps = pep_form_find(form, "educationInformation/previousSchools");
	pep_words_attr_label(ps, pep_form_attr_find(ps, "none"), out, sizeof out);
	assert_string_equal(out, "No earlier school or setting");
	pep_buf b = PEP_BUF_INIT;
	pep_words_date_help("When the views were recorded, YYYY-MM-DD: on or before the meeting. When, YYYY-MM-DD.", &b);
	assert_string_equal(pep_buf_str(&b), "When the views were recorded: on or before the meeting. When.");
	pep_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_become_labels),
		cmocka_unit_test(test_tags_become_controls),
		cmocka_unit_test(test_a_closed_lists_codes_become_its_options),
		cmocka_unit_test(test_labels_and_date_help),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
