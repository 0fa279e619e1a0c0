/* test_rules.c: the rule table and engine (src/rules.c); every rule's
 * behaviour on real PEPs is tested end to end (tests/rules/cases.py). */
#include "test.h"

#include "model.h"
#include "rules.h"
#include "rules_impl.h"
#include "xalloc.h"

/* The table is made from rules_list.h; the e2e tests take the rule set from
 * `pep rules --format json`. Here: what the list cannot say by itself. */
static void test_table_is_the_catalogue(void **state)
{
	(void)state;
	assert_true(pep_rules_count > 0 && pep_rules_count == PEP_RULES_COUNT);
	for (size_t i = 0; i < pep_rules_count; i++) {
		const pep_rule *r = &pep_rules[i];
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(r->id, pep_rules[k].id);
		assert_true(r->summary && *r->summary && r->source && *r->source);
		/* A rule is checked, or reported by the engine: only CAL01 is. */
		assert_true((r->check == NULL) == (strcmp(r->id, "CAL01") == 0));
		assert_ptr_equal(pep_rule_find(r->id), r);
		/* A local rule is applied by some profile, and not by all of them. */
		size_t applied = 0;
		for (size_t p = 0; p < pep_profiles_count; p++)
			applied += pep_rule_applies(r, &pep_profiles[p]);
		if (r->scope == PEP_SCOPE_LA)
			assert_true(applied > 0 && applied < pep_profiles_count);
		else
			assert_int_equal(applied, pep_profiles_count);
	}
	assert_ptr_equal(&pep_rules[PEP_RULE_CAL01], pep_rule_find("CAL01"));
	assert_null(pep_rule_find("T99"));
}

/* Every rule a profile names exists and is local (or a warning it
 * raises); every limit a local rule it applies counts with is set. */
static void test_profiles_are_consistent(void **state)
{
	(void)state;
	assert_string_equal(pep_profile_default()->code, "default");
	for (size_t p = 0; p < pep_profiles_count; p++) {
		const pep_profile *pr = &pep_profiles[p];
		assert_ptr_equal(pep_profile_for(pr->code), pr);
		char list[256];
		snprintf(list, sizeof list, "%s", pr->rules);
		char *save = NULL;
		for (char *id = strtok_r(list, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
			const pep_rule *r = pep_rule_find(id);
			assert_non_null(r);
			assert_int_equal(r->scope, PEP_SCOPE_LA);
		}
		snprintf(list, sizeof list, "%s", pr->errors);
		for (char *id = strtok_r(list, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
			const pep_rule *r = pep_rule_find(id);
			assert_non_null(r);
			assert_int_equal(r->severity, PEP_WARNING);
		}
		assert_true(pr->review_months > 0 && pr->targets_min > 0 && pr->targets_max >= pr->targets_min);
		if (pep_rule_applies(pep_rule_find("T01"), pr) || pep_rule_applies(pep_rule_find("T03"), pr) ||
		    pep_rule_applies(pep_rule_find("T04"), pr))
			assert_true(pr->initial_planned.n > 0 && pr->initial_unplanned.n > 0);
		if (pep_rule_applies(pep_rule_find("T02"), pr))
			assert_true(pr->initial_no_place.n > 0);
		if (pep_rule_applies(pep_rule_find("T08"), pr))
			assert_true(pr->transition.n > 0);
		if (pep_rule_applies(pep_rule_find("T09"), pr))
			assert_true(pr->sections_done.n > 0);
		if (pep_rule_applies(pep_rule_find("T10"), pr))
			assert_true(pr->lar_min_days > 0 && pr->lar_max_days >= pr->lar_min_days);
	}
	assert_true(pep_profile_lists("T01 T02 T09", "T02"));
	assert_true(pep_profile_lists("T01 T02 T09", "T09"));
	assert_false(pep_profile_lists("T01 T02 T09", "T0"));
	assert_false(pep_profile_lists("CAL01", "L01"));
	assert_false(pep_profile_lists("", "T01"));
}

static void test_severity_and_profiles(void **state)
{
	(void)state;
	const pep_rule *d04 = pep_rule_find("D04");
	assert_int_equal(pep_rule_severity(d04, pep_profile_for("southwark")), PEP_ERROR);
	assert_int_equal(pep_rule_severity(d04, pep_profile_for("kent")), PEP_WARNING);
	assert_int_equal(pep_rule_severity(d04, pep_profile_default()), PEP_WARNING);
	assert_string_equal(pep_profile_for("kent")->code, "kent");
	assert_string_equal(pep_profile_for("kirklees")->code, "kirklees");
	assert_ptr_equal(pep_profile_for("medway"), pep_profile_default());
	assert_ptr_equal(pep_profile_for(NULL), pep_profile_default());
	assert_ptr_equal(pep_profile_for("default"), pep_profile_default());
	const pep_rule *t04 = pep_rule_find("T04");
	assert_true(pep_rule_applies(t04, pep_profile_for("kirklees")) && pep_rule_applies(t04, pep_profile_default()));
	assert_false(pep_rule_applies(t04, pep_profile_for("kent")) || pep_rule_applies(t04, pep_profile_for("southwark")));
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
	pep_rules_env env = {NULL, PEP_STAGE_DRAFT, 0, "kirklees", false, NULL};
	pep_diags *d = pep_diags_new("t");
	pep_rules_run(m, &env, d);
	/* Draft: the completeness rules of A and B, not the signoff ones. */
	assert_true(has(d, "A01") && has(d, "A02") && has(d, "A03") && has(d, "B08") && has(d, "B11"));
	assert_false(has(d, "A04") || has(d, "T13") || has(d, "D09") || has(d, "D10"));
	pep_diags_free(d);

	/* A form with no place for the field B11 alone judges: B11 is not
	 * applied; a field no rule judges alone changes nothing. */
	const char *const absent[] = {"educationInformation/previousSchools", "essentialInformation/personal", NULL};
	env.absent = absent;
	d = pep_diags_new("t");
	pep_rules_run(m, &env, d);
	assert_true(has(d, "A01") && has(d, "B08"));
	assert_false(has(d, "B11"));
	pep_diags_free(d);
	env.absent = NULL;
	assert_string_equal(pep_rule_field(pep_rule_find("D11")),
	                    "essentialInformation/school/designatedTeacher/qualifiedTeacher");
	assert_null(pep_rule_field(pep_rule_find("A01")));

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
	assert_true(pep_text_mentions("The Targets were reviewed", "target"));
	assert_false(pep_text_mentions("nothing here", "target"));
	assert_false(pep_text_mentions(NULL, "x"));
	/* As strcasestr, on texts where the first letter comes often. */
	static const char *const hays[] = {"", "t", "tT", "ttarget", "TTARGETS", "a tArGeT.", "targe", "Zoë's target",
	                                   "tar get", "ta\xc3\xa9rget"};
	static const char *const needles[] = {"target", "t", "", "ë's", "TARGET"};
	for (size_t i = 0; i < sizeof hays / sizeof hays[0]; i++)
		for (size_t k = 0; k < sizeof needles / sizeof needles[0]; k++)
			assert_int_equal(pep_text_mentions(hays[i], needles[k]), strcasestr(hays[i], needles[k]) != NULL);
	char buf[32] = "";
	pep_list_add(buf, sizeof buf, "A");
	pep_list_add(buf, sizeof buf, "B");
	assert_string_equal(buf, "A, B");
	pep_day d;
	assert_true(pep_date_parse("2017-03-14", &d));
	pep_day on;
	assert_true(pep_date_parse("2025-03-13", &on));
	assert_int_equal(pep_age_on(d, on), 7);
	assert_true(pep_date_parse("2025-03-14", &on));
	assert_int_equal(pep_age_on(d, on), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_the_catalogue),
		cmocka_unit_test(test_profiles_are_consistent),
		cmocka_unit_test(test_severity_and_profiles),
		cmocka_unit_test(test_upn_check_letter),
		cmocka_unit_test(test_stages_gate_the_rules),
		cmocka_unit_test(test_text_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
