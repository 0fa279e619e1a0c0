/* test_calendar.c: calendars and counting days (src/calendar.c).
 *
 * Every expected date here was counted by hand from the published term
 * dates in data/calendars (and ../shared/calendars/README.md), not from the
 * code. Kent 2025-26: autumn 2025-09-01..12-19 (half term 10-20..24),
 * spring 2026-01-05..04-02 (half term 02-16..20), summer 04-20..07-21
 * (half term 05-25..29; bank holiday 05-04). */
#include "test.h"

#include "calendar.h"
#include "xalloc.h"
#include "xml.h"

static pep_calendars *cals;

static pep_day D(const char *s)
{
	pep_day d = PEP_NO_DAY;
	assert_true(pep_date_parse(s, &d));
	return d;
}

static char *S(pep_day d)
{
	static char buf[4][11];
	static int k;
	k = (k + 1) % 4;
	pep_date_format(d, buf[k]);
	return buf[k];
}

static pep_calendars *load(const char *const *given, size_t n)
{
	pep_diags **errs = NULL;
	size_t nerrs = 0;
	pep_calendars *c = pep_calendars_load(given, n, &errs, &nerrs);
	for (size_t i = 0; i < nerrs; i++) {
		for (size_t k = 0; k < pep_diags_count(errs[i]); k++)
			fprintf(stderr, "%s:%d: %s\n", pep_diags_file(errs[i]), pep_diags_at(errs[i], k)->line,
			        pep_diags_at(errs[i], k)->message);
		pep_diags_free(errs[i]);
	}
	free(errs);
	return c;
}

static int setup(void **state)
{
	(void)state;
	pep_xml_init();
	unsetenv("PEP_CALENDAR_PATH");
	cals = load(NULL, 0);
	return cals ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pep_calendars_free(cals);
	return 0;
}

/* The nth Kent school day after from. */
static const char *kent(const char *from, int n)
{
	pep_day out, missing;
	assert_int_equal(pep_cal_add_school_days(cals, "kent", NULL, D(from), n, &out, &missing), PEP_CAL_OK);
	return S(out);
}

static const char *working(const char *from, int n)
{
	pep_day out, missing;
	assert_int_equal(pep_cal_add_working_days(cals, D(from), n, &out, &missing), PEP_CAL_OK);
	return S(out);
}

static void test_start_on_a_weekend(void **state)
{
	(void)state;
	/* Sat 15 Nov: counting starts Mon 17; 17-21 are 1-5, 24-28 are 6-10. */
	assert_string_equal(kent("2025-11-15", 10), "2025-11-28");
}

static void test_start_in_half_term(void **state)
{
	(void)state;
	/* Wed 22 Oct is in half term; Mon 27 is the first, Fri 31 the fifth. */
	assert_string_equal(kent("2025-10-22", 5), "2025-10-31");
}

static void test_start_in_the_summer_holiday(void **state)
{
	(void)state;
	/* 20 Aug 2025 (summer holiday of 2024-25; 25 Aug a bank holiday): the
	 * 2025-26 autumn term starts Mon 1 Sep, so 1, 2, 3 Sep. */
	assert_string_equal(kent("2025-08-20", 3), "2025-09-03");
}

static void test_bank_holiday_in_term(void **state)
{
	(void)state;
	/* Mon 4 May 2026 is the Early May bank holiday, inside term 5. */
	assert_string_equal(kent("2026-05-01", 1), "2026-05-05");
	assert_string_equal(kent("2026-05-04", 1), "2026-05-05");
	bool is;
	pep_day missing;
	assert_int_equal(pep_cal_school_day(cals, "kent", NULL, D("2026-05-04"), &is, &missing), PEP_CAL_OK);
	assert_false(is);
}

static void test_across_christmas(void **state)
{
	(void)state;
	/* Wed 17 Dec: 18, 19 Dec are 1-2; term 3 starts Mon 5 Jan: 5, 6, 7. */
	assert_string_equal(kent("2025-12-17", 5), "2026-01-07");
}

static void test_across_easter(void **state)
{
	(void)state;
	/* Tue 31 Mar: 1, 2 Apr are 1-2 (term 4 ends Thu 2 Apr; Good Friday 3
	 * Apr); term 5 starts Mon 20 Apr: 20, 21. */
	assert_string_equal(kent("2026-03-31", 4), "2026-04-21");
}

static void test_across_the_academic_year(void **state)
{
	(void)state;
	/* Mon 20 Jul 2026: Tue 21 is 1 (the last day); the 2026-27 calendar
	 * (one school's dates) starts Tue 1 Sep with an INSET day, so Wed 2 and
	 * Thu 3 Sep are 2 and 3 (31 Aug is a bank holiday anyway). */
	assert_string_equal(kent("2026-07-20", 3), "2026-09-03");
}

static void test_n_is_zero_and_one(void **state)
{
	(void)state;
	assert_string_equal(kent("2025-11-15", 0), "2025-11-15"); /* D itself, even on a Saturday */
	assert_string_equal(kent("2025-11-14", 1), "2025-11-17"); /* Fri -> Mon */
	assert_string_equal(working("2025-12-24", 1), "2025-12-29"); /* 25, 26 Dec, weekend */
}

static void test_working_days(void **state)
{
	(void)state;
	/* Mon 15 Dec 2025: 16-19 are 1-4, 22-24 are 5-7, 25 and 26 Dec are bank
	 * holidays, 29-31 are 8-10. */
	assert_string_equal(working("2025-12-15", 10), "2025-12-31");
	/* 29 February 2024 is a working day: Wed 28 Feb + 2 = Fri 1 Mar. */
	assert_string_equal(working("2024-02-28", 2), "2024-03-01");
	/* Counting the other way: 10 working days from 15 Dec to 31 Dec. */
	int n;
	pep_day missing;
	assert_int_equal(pep_cal_count_working_days(cals, D("2025-12-15"), D("2025-12-31"), &n, &missing), PEP_CAL_OK);
	assert_int_equal(n, 10);
}

static void test_count_school_days(void **state)
{
	(void)state;
	/* Counted with Kent's real dates: from Mon 15 Dec
	 * 2025 to Fri 30 Jan 2026: 16-19 Dec (4), then 5-9, 12-16, 19-23, 26-30
	 * Jan (20): 24 school days. */
	int n;
	pep_day missing;
	assert_int_equal(pep_cal_count_school_days(cals, "kent", NULL, D("2025-12-15"), D("2026-01-30"), &n, &missing),
	                 PEP_CAL_OK);
	assert_int_equal(n, 24);
	assert_int_equal(pep_cal_count_school_days(cals, "kent", NULL, D("2026-01-30"), D("2026-01-30"), &n, &missing),
	                 PEP_CAL_OK);
	assert_int_equal(n, 0);
	/* And the deadline for 10: 16-19 Dec (4), 5-9 Jan (9), Mon 12 Jan. */
	assert_string_equal(kent("2025-12-15", 10), "2026-01-12");
}

static void test_kirklees_may_day_and_southwark_inset(void **state)
{
	(void)state;
	pep_day out, missing;
	/* Kirklees 2024-25: Fri 2 May 2025, next school day skips Mon 5 May. */
	assert_int_equal(pep_cal_add_school_days(cals, "kirklees", NULL, D("2025-05-02"), 1, &out, &missing), PEP_CAL_OK);
	assert_string_equal(S(out), "2025-05-06");
	/* Southwark 2025-26 (Riverside's dates): Thu 23 Oct; Fri 24 is INSET,
	 * 27-31 half term; Mon 3 and Tue 4 Nov. */
	assert_int_equal(pep_cal_add_school_days(cals, "southwark", NULL, D("2025-10-23"), 2, &out, &missing), PEP_CAL_OK);
	assert_string_equal(S(out), "2025-11-04");
	assert_true(pep_cal_low_confidence(cals, "southwark", NULL, D("2025-10-23")));
	assert_false(pep_cal_low_confidence(cals, "kent", NULL, D("2025-10-23")));
}

static void test_unknown_at_both_ends(void **state)
{
	(void)state;
	pep_day out = 0, missing = 0;
	/* Kent 2023-24 is not known: counting from Thu 1 Aug 2024 needs Fri 2 Aug. */
	assert_int_equal(pep_cal_add_school_days(cals, "kent", NULL, D("2024-08-01"), 1, &out, &missing), PEP_CAL_UNKNOWN);
	assert_string_equal(S(missing), "2024-08-02");
	/* Kent 2027-28 is not known: Tue 20 Jul 2027 + 5 runs past 31 Aug. */
	assert_int_equal(pep_cal_add_school_days(cals, "kent", NULL, D("2027-07-20"), 5, &out, &missing), PEP_CAL_UNKNOWN);
	assert_string_equal(S(missing), "2027-09-01");
	/* Bank holidays are known to the end of 2027: 1 Jan 2028 is not. */
	assert_int_equal(pep_cal_add_working_days(cals, D("2027-12-30"), 2, &out, &missing), PEP_CAL_UNKNOWN);
	assert_string_equal(S(missing), "2028-01-01");
	/* And before 2024. */
	assert_int_equal(pep_cal_add_working_days(cals, D("2023-12-29"), 1, &out, &missing), PEP_CAL_UNKNOWN);
	assert_string_equal(S(missing), "2023-12-30");
	/* An LA with no calendar at all. */
	assert_int_equal(pep_cal_add_school_days(cals, "medway", NULL, D("2025-10-01"), 1, &out, &missing), PEP_CAL_UNKNOWN);
	assert_null(pep_cal_describe(cals, "medway", NULL, D("2025-10-01")));
}

static void test_terms(void **state)
{
	(void)state;
	pep_term_info t;
	pep_day missing;
	/* In half term: still the autumn term. */
	assert_int_equal(pep_cal_term_at(cals, "kent", NULL, D("2025-10-22"), &t, &missing), PEP_CAL_OK);
	assert_int_equal(t.season, PEP_AUTUMN);
	assert_string_equal(S(t.first), "2025-09-01");
	assert_string_equal(S(t.next_first), "2026-01-05");
	/* In the Easter holiday: the spring term. */
	assert_int_equal(pep_cal_term_at(cals, "kent", NULL, D("2026-04-10"), &t, &missing), PEP_CAL_OK);
	assert_int_equal(t.season, PEP_SPRING);
	/* In the summer holiday: the summer term, and the next term is known. */
	assert_int_equal(pep_cal_term_at(cals, "kent", NULL, D("2026-08-10"), &t, &missing), PEP_CAL_OK);
	assert_int_equal(t.season, PEP_SUMMER);
	assert_string_equal(S(t.next_first), "2026-09-01");
	assert_string_equal(t.year, "2025-26");
	char *years = pep_cal_years_known(cals, "kent", NULL);
	assert_string_equal(years, "2024-25, 2025-26, 2026-27");
	free(years);
}

static void test_school_calendar_wins_over_its_la(void **state)
{
	(void)state;
	char *dir = pep_xasprintf("%s/tests/calendars", repo_root());
	/* A folder holding only the school's calendar, as an LA would set it up. */
	char sub[] = "/tmp/pep-cal-XXXXXX";
	assert_non_null(mkdtemp(sub));
	char *cmd = pep_xasprintf("cp '%s/school-900001-2025-26.xml' '%s/'", dir, sub);
	assert_int_equal(system(cmd), 0);
	setenv("PEP_CALENDAR_PATH", sub, 1);
	pep_calendars *c = load(NULL, 0);
	assert_non_null(c);
	pep_day out, missing;
	/* Kent's term starts Mon 1 Sep; the school's on Wed 3 Sep. */
	assert_int_equal(pep_cal_add_school_days(c, "kent", "900001", D("2025-08-29"), 1, &out, &missing), PEP_CAL_OK);
	assert_string_equal(S(out), "2025-09-03");
	assert_int_equal(pep_cal_add_school_days(c, "kent", "123456", D("2025-08-29"), 1, &out, &missing), PEP_CAL_OK);
	assert_string_equal(S(out), "2025-09-01");
	/* Its INSET day, Fri 14 Nov, is not a school day. */
	assert_string_equal(S((pep_cal_add_school_days(c, "kent", "900001", D("2025-11-13"), 1, &out, &missing), out)),
	                    "2025-11-17");
	/* The school's calendar covers 2025-26 only: 2024-25 falls back to Kent's
	 * (Fri 30 Aug 2024; Sat 31 Aug needs no calendar; Mon 2 Sep). */
	assert_int_equal(pep_cal_add_school_days(c, "kent", "900001", D("2024-08-30"), 1, &out, &missing), PEP_CAL_OK);
	assert_string_equal(S(out), "2024-09-02");

	/* --calendar wins over both. */
	char *given = pep_xasprintf("%s/kent-override-2025-26.xml", dir);
	const char *files[] = {given};
	pep_calendars *g = load(files, 1);
	assert_non_null(g);
	assert_int_equal(pep_cal_add_school_days(g, "kent", "900001", D("2025-08-29"), 1, &out, &missing), PEP_CAL_OK);
	assert_string_equal(S(out), "2025-09-08");
	pep_calendars_free(g);
	pep_calendars_free(c);
	unsetenv("PEP_CALENDAR_PATH");
	free(cmd);
	assert_int_equal(test_remove_tree(sub), 0);
	free(given);
	free(dir);
}

static void test_broken_calendars_are_refused_with_their_line(void **state)
{
	(void)state;
	char *overlap = pep_xasprintf("%s/tests/calendars/broken-overlap.xml", repo_root());
	char *schema = pep_xasprintf("%s/tests/calendars/broken-schema.xml", repo_root());
	pep_diags *d = pep_diags_new(overlap);
	char *summary = NULL;
	assert_false(pep_calendar_check_file(overlap, d, &summary));
	assert_null(summary);
	assert_int_equal(pep_diags_count(d), 2);
	assert_int_equal(pep_diags_at(d, 0)->line, 13);
	assert_non_null(strstr(pep_diags_at(d, 0)->message, "is not inside its term"));
	assert_int_equal(pep_diags_at(d, 1)->line, 15);
	assert_non_null(strstr(pep_diags_at(d, 1)->message, "terms must not overlap"));
	pep_diags_free(d);

	d = pep_diags_new(schema);
	assert_false(pep_calendar_check_file(schema, d, &summary));
	assert_int_equal(pep_diags_at(d, 0)->line, 11);
	assert_string_equal(pep_diags_at(d, 0)->rule, "XSD");
	pep_diags_free(d);

	/* Given on the command line, a broken calendar stops the load. */
	const char *files[] = {overlap};
	pep_diags **errs = NULL;
	size_t nerrs = 0;
	assert_null(pep_calendars_load(files, 1, &errs, &nerrs));
	assert_int_equal(nerrs, 1);
	assert_string_equal(pep_diags_file(errs[0]), overlap);
	pep_diags_free(errs[0]);
	free(errs);
	free(overlap);
	free(schema);
}

static void test_installed_files_check_clean(void **state)
{
	(void)state;
	const char *names[] = {"kent-2024-25.xml", "kent-2025-26.xml", "kent-2026-27.xml", "kirklees-2024-25.xml",
	                       "southwark-2025-26.xml", "bank-holidays-england-and-wales.xml"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *p = pep_xasprintf("%s/data/calendars/%s", repo_root(), names[i]);
		pep_diags *d = pep_diags_new(p);
		char *summary = NULL;
		assert_true(pep_calendar_check_file(p, d, &summary));
		assert_non_null(summary);
		free(summary);
		pep_diags_free(d);
		free(p);
	}
	const char *las[8];
	assert_int_equal(pep_cal_las(cals, las, 8), 3);
	assert_string_equal(las[0], "kent");
	assert_string_equal(las[1], "kirklees");
	assert_string_equal(las[2], "southwark");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_on_a_weekend),
		cmocka_unit_test(test_start_in_half_term),
		cmocka_unit_test(test_start_in_the_summer_holiday),
		cmocka_unit_test(test_bank_holiday_in_term),
		cmocka_unit_test(test_across_christmas),
		cmocka_unit_test(test_across_easter),
		cmocka_unit_test(test_across_the_academic_year),
		cmocka_unit_test(test_n_is_zero_and_one),
		cmocka_unit_test(test_working_days),
		cmocka_unit_test(test_count_school_days),
		cmocka_unit_test(test_kirklees_may_day_and_southwark_inset),
		cmocka_unit_test(test_unknown_at_both_ends),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_school_calendar_wins_over_its_la),
		cmocka_unit_test(test_broken_calendars_are_refused_with_their_line),
		cmocka_unit_test(test_installed_files_check_clean),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
