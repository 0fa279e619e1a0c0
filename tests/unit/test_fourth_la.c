/* test_fourth_la.c: a fourth LA is data only. This test links its own
 * table of profiles in place of src/rules/profiles.c: a Medway row (fictional
 * limits and sources) before the rows of src/profile_list.h, nothing else.
 * The catalogue (`pep rules` in every format), the rules' messages and the
 * deadlines must all follow the row. */
#include "test.h"

#include "check.h"
#include "profile.h"
#include "rules.h"
#include "strbuf.h"

#include "profile_checks.h"

#define DOC_MEDWAY "Medway PEP procedure"

const pep_profile pep_profiles[] = {
	{
		.code = "medway",
		.name = "Medway",
		.rules = "T01 D10",
		.errors = "D04",
		.initial_planned = PEP_SCHOOL_DAYS(15, DOC_MEDWAY " §2"),
		.initial_unplanned = PEP_SCHOOL_DAYS(5, DOC_MEDWAY " §2"),
		.review = PEP_MONTHS(4, DOC_MEDWAY " §3"),
		.targets = PEP_NUMBER_RANGE(1, 2, DOC_MEDWAY " §5"),
		.per_year = PEP_NUMBER(3, DOC_MEDWAY " §6"),
	},
#include "profile_list.h"
};
const size_t pep_profiles_count = sizeof pep_profiles / sizeof pep_profiles[0];

static void test_the_row_is_whole(void **state)
{
	(void)state;
	assert_int_equal(pep_profiles_count, 5);
	assert_string_equal(pep_profile_for("medway")->code, "medway");
	check_profiles_consistent();
}

/* What a writer of the catalogue writes (caller frees). */
static char *written(void (*writer)(FILE *out))
{
	capture_file c;
	capture_open(&c);
	writer(c.f);
	char *s = pep_xstrdup(capture_text(&c));
	capture_close(&c);
	return s;
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("missing: %s\n--- in:\n%s", want, text);
}

static void test_the_catalogue_follows(void **state)
{
	(void)state;
	char *text = written(pep_rules_write_text);
	/* T01 is stated as the first profile that applies it sets it (the
	 * default does not), Kent's in brackets. */
	assert_has(text, "T01    error   medway, kent");
	assert_has(text, "Initial PEP meeting within 15 school days (kent: 20 school days) of becoming looked after when "
	                 "the placement was planned; within 5 school days (kent: 10 school days) when unplanned "
	                 "[" DOC_MEDWAY " §2 (medway); " PEP_DOC_KENT " §2, §3, §4(i) (kent)]");
	assert_has(text, "D04    error*  all");
	assert_has(text, "1 to 3 (medway: 1 to 2) new targets are agreed [" DOC_MEDWAY " §5 (medway); " PEP_DOC_SOUTHWARK
	                 " §7 (kent, southwark, kirklees, default)]");
	assert_has(text, "A review PEP meeting is held within 6 months (medway: 4 months) of the previous PEP meeting");
	assert_has(text, "* D04: error for medway, southwark, warning for the other profiles.");
	assert_has(text, "medway (Medway): local rules T01 D10; warnings that are errors D04\n"
	                 "  initial PEP, after a planned placement: 15 school days (T01) [" DOC_MEDWAY " §2]\n"
	                 "  initial PEP, after an unplanned placement: 5 school days (T01) [" DOC_MEDWAY " §2]\n"
	                 "  from one PEP meeting to the next: 4 months (T05, T07, D06) [" DOC_MEDWAY " §3]\n"
	                 "  new targets at each PEP: 1 to 2 (D04) [" DOC_MEDWAY " §5]\n");
	free(text);
	text = written(pep_rules_write_markdown);
	assert_has(text, "| | medway | kent | southwark | kirklees | default |");
	assert_has(text, "| initial PEP, after a planned placement (T01, T04) | 15 school days | 20 school days | — | "
	                 "20 working days | 20 working days |");
	assert_has(text, "| T01 | error | medway, kent | signoff |");
	assert_has(text, "| new targets at each PEP (D04) | " DOC_MEDWAY " §5 | " PEP_DOC_SOUTHWARK " §7 |");
	free(text);
	text = written(pep_rules_write_json);
	assert_has(text, "{\"code\": \"medway\", \"name\": \"Medway\", \"default\": false, \"limits\": "
	                 "{\"initial_planned\": {\"text\": \"15 school days\", \"n\": 15, \"unit\": \"school-days\", "
	                 "\"source\": \"" DOC_MEDWAY " §2\"}");
	assert_has(text, "\"error_in\": [\"medway\", \"southwark\"]");
	free(text);
}

/* Replaces the first `from` in text (which must hold it) with `to`. */
static char *replaced(char *text, const char *from, const char *to)
{
	char *at = strstr(text, from);
	assert_non_null(at);
	char *out = pep_xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	free(text);
	return out;
}

/* The messages of rule `rule` for the Medway sample changed by edits
 * (from, to pairs, NULL-terminated), joined by newlines (caller frees). */
static char *messages(const char *rule, const char *const *edits)
{
	pep_check_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.stage = PEP_STAGE_SIGNOFF;
	assert_true(pep_date_parse("2026-07-17", &cfg.as_of));
	char *err = NULL;
	pep_checker *c = pep_checker_new(&cfg, &err);
	if (!c)
		fail_msg("%s", err);
	char *path = pep_xasprintf("%s/samples/medway-reduced-timetable-exclusion.xml", repo_root());
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	capture_file all;
	capture_open(&all);
	char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, k, all.f);
	fclose(f);
	char *text = pep_xstrdup(capture_text(&all));
	capture_close(&all);
	for (size_t i = 0; edits[i]; i += 2)
		text = replaced(text, edits[i], edits[i + 1]);
	pep_xml_loader *l = pep_checker_loader(c);
	pep_diags *d = pep_diags_new(path);
	assert_int_equal(pep_check_memory(c, l, path, text, strlen(text), d, NULL), PEP_LOAD_OK);
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < pep_diags_count(d); i++) {
		const pep_diag *g = pep_diags_at(d, i);
		if (strcmp(g->rule, rule) == 0)
			pep_buf_printf(&b, "%s: %s\n", g->severity == PEP_ERROR ? "error" : "warning", g->message);
	}
	pep_diags_free(d);
	pep_xml_loader_free(l);
	pep_checker_free(c);
	free(text);
	free(path);
	return pep_buf_detach(&b);
}

static void test_the_messages_follow(void **state)
{
	(void)state;
	/* Medway's own rule and limit: an initial PEP 5 school days after an
	 * unplanned placement (Kent's term dates: the school is in Kent). */
	static const char *const initial[] = {"<kind>review</kind>", "<kind>initial</kind>",
	                                      "<becameLookedAfter>2023-03-06", "<becameLookedAfter>2026-01-12", NULL};
	char *got = messages("T01", initial);
	assert_string_equal(got, "error: initial PEP held 2026-01-21, after its deadline of 2026-01-19, the 5th school "
	                         "day after becoming looked after on 2026-01-12 (Medway allows 5 school days after an "
	                         "unplanned placement): 2 days late; if the dates are right, record in the meeting "
	                         "summary why it was late\n");
	free(got);
	got = messages("T04", initial); /* the default profile's rule is not Medway's */
	assert_string_equal(got, "");
	free(got);
	/* Its review limit, for T07 and the deadlines. */
	static const char *const next[] = {"<date>2026-04-29</date>", "<date>2026-05-22</date>", NULL};
	got = messages("T07", next);
	assert_string_equal(got, "error: the next PEP meeting (2026-05-22) is more than 4 months after this meeting "
	                         "(2026-01-21): the latest date is 2026-05-21\n");
	free(got);
	pep_day day, limit;
	assert_true(pep_date_parse("2026-01-21", &day) && pep_date_parse("2026-05-21", &limit));
	assert_int_equal(pep_rules_review_limit("medway", day), limit);
	/* Its targets (the sample has 3), raised to an error, citing its own
	 * procedure. */
	static const char *const none[] = {NULL};
	got = messages("D04", none);
	assert_string_equal(got, "error: 3 new targets are set: agree between 1 and 2 with the child (" DOC_MEDWAY
	                         " §5)\n");
	free(got);
}

int main(void)
{
	pep_xml_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_row_is_whole),
		cmocka_unit_test(test_the_catalogue_follows),
		cmocka_unit_test(test_the_messages_follow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
