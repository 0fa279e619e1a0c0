/* test_rules.c: the rule table and engine (src/rules.c); every rule's
 * behaviour on real PEPs is tested end to end (tests/rules/cases.py). */
#include "test.h"

#include "model.h"
#include "rules.h"
#include "rules_impl.h"
#include "xalloc.h"

static void test_table_is_the_catalogue(void **state)
{
	(void)state;
	assert_int_equal(pep_rules_count, 51);
	for (size_t i = 0; i < pep_rules_count; i++) {
		const pep_rule *r = &pep_rules[i];
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(r->id, pep_rules[k].id);
		assert_true(r->profiles && (r->profiles & ~PEP_PROFILES_ALL) == 0);
		assert_true(r->summary && *r->summary && r->source && *r->source);
		/* Only CAL01 has no check of its own: the day counting reports it. */
		assert_true((r->check == NULL) == (strcmp(r->id, "CAL01") == 0));
		assert_ptr_equal(pep_rule_find(r->id), r);
	}
	assert_null(pep_rule_find("T99"));
}

static void test_severity_and_profiles(void **state)
{
	(void)state;
	const pep_rule *d04 = pep_rule_find("D04");
	assert_int_equal(pep_rule_severity(d04, PEP_PROFILE_SOUTHWARK), PEP_ERROR);
	assert_int_equal(pep_rule_severity(d04, PEP_PROFILE_KENT), PEP_WARNING);
	assert_int_equal(pep_rule_severity(d04, PEP_PROFILE_DEFAULT), PEP_WARNING);
	assert_int_equal(pep_profile_for("kent"), PEP_PROFILE_KENT);
	assert_int_equal(pep_profile_for("kirklees"), PEP_PROFILE_KIRKLEES);
	assert_int_equal(pep_profile_for("medway"), PEP_PROFILE_DEFAULT);
	assert_int_equal(pep_profile_for(NULL), PEP_PROFILE_DEFAULT);
	assert_int_equal(pep_rule_find("T04")->profiles, PEP_PROFILE_KIRKLEES | PEP_PROFILE_DEFAULT);
}

static void test_upn_check_letter(void **state)
{
	(void)state;
	/* Worked by hand: 8*2+2*3+0*4+2*5+0*6+0*7+1*8+0*9+0*10+0*11+1*12+2*13 = 78;
	 * 78 mod 23 = 9 -> the tenth letter of ABCDEFGHJKLMNPQRTUVWXYZ, K. */
	assert_int_equal(pep_upn_check_letter("K820200100012"), 'K');
	assert_int_equal(pep_upn_check_letter("X820200100012"), 'K'); /* the letter given is ignored */
	/* A temporary UPN ends in a letter, counted by its place (A = 0). */
	assert_int_equal(pep_upn_check_letter("?82020010001A"), pep_upn_check_letter("?820200100010"));
	assert_int_equal(pep_upn_check_letter("K82020010001"), 0); /* 12 characters */
	assert_int_equal(pep_upn_check_letter("K8202001000I2"), 0); /* a letter inside */
	assert_int_equal(pep_upn_check_letter(NULL), 0);
}

/* A model with nothing in it, as a blank draft would bind. */
static pep_model *empty_model(void)
{
	pep_model *m = xcalloc(1, sizeof *m);
	pep_bind_absent(&pep_model_desc, m, 1);
	m->hdr.present = true;
	return m;
}

static bool has(const pep_diags *d, const char *rule)
{
	return pep_diags_has(d, rule);
}

static void test_stages_gate_the_rules(void **state)
{
	(void)state;
	pep_model *m = empty_model();
	pep_rules_env env = {NULL, PEP_STAGE_DRAFT, 0, "kirklees", false};
	pep_diags *d = pep_diags_new("t");
	pep_rules_run(m, &env, d);
	/* Draft: the completeness rules of A and B, not the signoff ones. */
	assert_true(has(d, "A01") && has(d, "A02") && has(d, "A03") && has(d, "B08") && has(d, "B11"));
	assert_false(has(d, "A04") || has(d, "T13") || has(d, "D09") || has(d, "D10"));
	pep_diags_free(d);

	/* Signoff adds them; T rules without dates report only T13 and T06 (no
	 * calendar is needed, so none is given). */
	env.stage = PEP_STAGE_SIGNOFF;
	d = pep_diags_new("t");
	pep_rules_run(m, &env, d);
	assert_true(has(d, "A04") && has(d, "T13") && has(d, "T06") && has(d, "D09") && has(d, "D01"));
	assert_false(has(d, "D10") || has(d, "CAL01"));
	pep_diags_free(d);

	/* Upload adds D10 for Kirklees, not for the default profile. */
	env.stage = PEP_STAGE_UPLOAD;
	d = pep_diags_new("t");
	pep_rules_run(m, &env, d);
	assert_true(has(d, "D10"));
	pep_diags_free(d);
	env.la = "medway";
	d = pep_diags_new("t");
	pep_rules_run(m, &env, d);
	assert_false(has(d, "D10"));
	pep_diags_free(d);
	free(m);
}

static void test_text_helpers(void **state)
{
	(void)state;
	assert_true(text_mentions("The Targets were reviewed", "target"));
	assert_false(text_mentions("nothing here", "target"));
	assert_false(text_mentions(NULL, "x"));
	char buf[32] = "";
	list_add(buf, sizeof buf, "A");
	list_add(buf, sizeof buf, "B");
	assert_string_equal(buf, "A, B");
	pep_day d;
	assert_true(pep_date_parse("2017-03-14", &d));
	pep_day on;
	assert_true(pep_date_parse("2025-03-13", &on));
	assert_int_equal(age_on(d, on), 7);
	assert_true(pep_date_parse("2025-03-14", &on));
	assert_int_equal(age_on(d, on), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_the_catalogue),
		cmocka_unit_test(test_severity_and_profiles),
		cmocka_unit_test(test_upn_check_letter),
		cmocka_unit_test(test_stages_gate_the_rules),
		cmocka_unit_test(test_text_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
