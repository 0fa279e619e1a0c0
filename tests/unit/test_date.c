/* test_date.c: day numbers, parsing, month arithmetic (src/date.c). */
#include "test.h"

#include "date.h"

static pep_day D(const char *s)
{
	pep_day d = PEP_NO_DAY;
	assert_true(pep_date_parse(s, &d));
	return d;
}

static void fmt_equal(pep_day d, const char *want)
{
	char buf[11];
	pep_date_format(d, buf);
	assert_string_equal(buf, want);
}

static void test_parse_valid(void **state)
{
	(void)state;
	assert_int_equal(D("1970-01-01"), 0);
	assert_int_equal(D("1970-01-02"), 1);
	assert_int_equal(D("1969-12-31"), -1);
	assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2); /* 2000 is a leap year */
	assert_int_equal(D("1900-03-01") - D("1900-02-28"), 1); /* 1900 is not */
	fmt_equal(D("2024-02-29"), "2024-02-29");
}

static void test_parse_invalid(void **state)
{
	(void)state;
	pep_day d = 42;
	const char *bad[] = {"2025-02-29", "2025-02-30", "2026-13-01", "2026-00-10", "2026-01-32",
	                     "2026-1-05", "20260105", "2026-01-05 ", " 2026-01-05", "", "abcd-ef-gh",
	                     "0999-01-01", "2026/01/05", "2026-01-05Z", NULL};
	for (int i = 0; bad[i]; i++) {
		assert_false(pep_date_parse(bad[i], &d));
		assert_int_equal(d, 42); /* untouched */
	}
	assert_false(pep_date_parse(NULL, &d));
}

static void test_roundtrip(void **state)
{
	(void)state;
	for (pep_day d = D("1900-01-01"); d <= D("2100-12-31"); d += 17) {
		int y, m, dd;
		pep_date_to_ymd(d, &y, &m, &dd);
		assert_int_equal(pep_date_from_ymd(y, m, dd), d);
	}
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(pep_date_weekday(D("1970-01-01")), 4); /* Thursday */
	assert_int_equal(pep_date_weekday(D("2026-01-30")), 5); /* Friday */
	assert_int_equal(pep_date_weekday(D("2025-12-15")), 1); /* Monday */
	assert_int_equal(pep_date_weekday(D("2026-11-22")), 7); /* Sunday */
	assert_int_equal(pep_date_weekday(D("1969-12-28")), 7); /* before the epoch */
}

static void test_add_months_clamps(void **state)
{
	(void)state;
	/* rules.md: "31 Aug -> 28/29 Feb" */
	fmt_equal(pep_date_add_months(D("2025-08-31"), 6), "2026-02-28");
	fmt_equal(pep_date_add_months(D("2023-08-31"), 6), "2024-02-29");
	fmt_equal(pep_date_add_months(D("2026-03-31"), 6), "2026-09-30");
	fmt_equal(pep_date_add_months(D("2026-01-15"), 6), "2026-07-15");
	fmt_equal(pep_date_add_months(D("2025-12-31"), 2), "2026-02-28");
	fmt_equal(pep_date_add_months(D("2024-02-29"), 12), "2025-02-28");
	fmt_equal(pep_date_add_months(D("2026-07-31"), -1), "2026-06-30");
}

static void test_format_long(void **state)
{
	(void)state;
	char buf[32];
	pep_date_format_long(D("2026-01-30"), buf);
	assert_string_equal(buf, "30 January 2026");
	pep_date_format_long(D("2025-12-01"), buf);
	assert_string_equal(buf, "1 December 2025");
}

static void test_generated_date_honours_source_date_epoch(void **state)
{
	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1769731200", 1); /* 2026-01-30T00:00:00Z */
	fmt_equal(pep_date_generated(), "2026-01-30");
	setenv("SOURCE_DATE_EPOCH", "junk", 1);
	assert_int_equal(pep_date_generated(), pep_date_today());
	unsetenv("SOURCE_DATE_EPOCH");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_add_months_clamps),
		cmocka_unit_test(test_format_long),
		cmocka_unit_test(test_generated_date_honours_source_date_epoch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
