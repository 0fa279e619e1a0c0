/* profile_checks.h: what every table of LA profiles must hold, whichever
 * table the test binary links (test_rules.c: the real one; test_fourth_la.c:
 * one with a fourth LA). Included by those tests only. */
#ifndef PEP_TEST_PROFILE_CHECKS_H
#define PEP_TEST_PROFILE_CHECKS_H

#include "profile.h"
#include "rules.h"
#include "strbuf.h"

/* Every rule a profile names exists and is local (or a warning it raises);
 * every limit a rule it applies names is set, with a source; every limit it
 * sets is named by a rule it applies; every {name} of a summary is a limit,
 * and the summaries and sources people read are whole. */
static void check_profiles_consistent(void)
{
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
		for (size_t i = 0; i < pep_limit_count(); i++) {
			const pep_limit *l = pep_profile_limit_at(pr, i);
			bool used = false;
			for (size_t r = 0; r < pep_rules_count; r++)
				used |= pep_rule_applies(&pep_rules[r], pr) && pep_rule_uses_limit(&pep_rules[r], pep_limit_name(i));
			if (!used) {
				assert_int_equal(l->unit, PEP_UNIT_NONE); /* no limit nothing reads */
				continue;
			}
			assert_int_not_equal(l->unit, PEP_UNIT_NONE);
			assert_true(l->n > 0 && (l->max == 0 || l->max >= l->n));
			assert_true(l->source && *l->source);
		}
	}
	pep_buf b = PEP_BUF_INIT;
	for (size_t r = 0; r < pep_rules_count; r++) {
		const pep_rule *rule = &pep_rules[r];
		for (const char *q = rule->summary_template; (q = strchr(q, '{')) != NULL; q++) {
			char name[32];
			const char *end = strchr(q, '}');
			assert_non_null(end);
			snprintf(name, sizeof name, "%.*s", (int)(end - q - 1), q + 1);
			assert_non_null(pep_profile_limit(pep_profile_default(), name));
		}
		pep_buf_clear(&b);
		pep_rule_summary(rule, &b);
		assert_null(strchr(pep_buf_str(&b), '{'));
		assert_null(strstr(pep_buf_str(&b), "the LA's limit"));
		pep_buf_clear(&b);
		pep_rule_source(rule, &b);
		assert_true(b.len > 0);
	}
	pep_buf_free(&b);
}

#endif
