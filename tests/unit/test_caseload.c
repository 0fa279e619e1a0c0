/* test_caseload.c: children from files, due dates and figures
 * (src/caseload.c), small-number suppression (src/suppress.c). */
#include "test.h"

#include "caseload.h"
#include "suppress.h"

static pep_day D(const char *s)
{
	pep_day d;
	assert_true(pep_date_parse(s, &d));
	return d;
}

/* ------------------------------------------------------------------ */
/* Suppression                                                          */
/* ------------------------------------------------------------------ */

static void test_primary_suppression(void **state)
{
	(void)state;
	size_t v[] = {0, 1, 4, 5, 120};
	bool hide[5];
	pep_suppress(v, hide, 1, 5, NULL, 0, false);
	assert_false(hide[0]); /* 0 picks out nobody */
	assert_true(hide[1]);
	assert_true(hide[2]);
	assert_false(hide[3]);
	assert_false(hide[4]);
}

static void test_secondary_suppression_in_a_sum(void **state)
{
	(void)state;
	/* total, red, amber, green: 20 = 2 + 11 + 7. The 2 alone could be
	 * worked out as 20 - 11 - 7: the smallest other part (7) goes too. */
	size_t v[] = {20, 2, 11, 7};
	bool hide[4];
	const pep_sum sums[] = {{0, {1, 2, 3}, 3}};
	pep_suppress(v, hide, 1, 4, sums, 1, false);
	assert_false(hide[0]);
	assert_true(hide[1]);
	assert_false(hide[2]);
	assert_true(hide[3]);
}

static void test_secondary_suppression_hides_the_total_when_the_rest_is_zero(void **state)
{
	(void)state;
	size_t v[] = {3 + 0, 3, 0, 0};
	bool hide[4];
	const pep_sum sums[] = {{0, {1, 2, 3}, 3}};
	pep_suppress(v, hide, 1, 4, sums, 1, false);
	assert_true(hide[0]);
	assert_true(hide[1]);
	/* And a total of 9 made of 9 and 0s: nothing small, nothing hidden. */
	size_t w[] = {9, 9, 0, 0};
	pep_suppress(w, hide, 1, 4, sums, 1, false);
	for (int i = 0; i < 4; i++)
		assert_false(hide[i]);
}

static void test_secondary_suppression_across_rows_and_columns(void **state)
{
	(void)state;
	/* Three groups and their total; one column. Group 2 has 3: hidden;
	 * then the smallest other group (6) is hidden too, so that 3 cannot be
	 * 17 - 8 - 6. */
	size_t v[] = {8, 3, 6, 17};
	bool hide[4];
	pep_suppress(v, hide, 4, 1, NULL, 0, true);
	assert_false(hide[0]);
	assert_true(hide[1]);
	assert_true(hide[2]);
	assert_false(hide[3]);
}

/* No suppressed count can be recovered by subtraction: in every sum, 0 or
 * at least 2 counts are hidden (checked on many small tables). */
static void test_no_sum_has_one_hidden_count(void **state)
{
	(void)state;
	unsigned seed = 7;
	for (int round = 0; round < 2000; round++) {
		enum { R = 4, C = 4 };
		size_t v[R * C];
		bool hide[R * C];
		for (int r = 0; r < R - 1; r++) {
			size_t parts = 0;
			for (int c = 1; c < C; c++) {
				seed = seed * 1103515245u + 12345u;
				v[r * C + c] = (seed >> 16) % 9;
				parts += v[r * C + c];
			}
			v[r * C] = parts;
		}
		for (int c = 0; c < C; c++) {
			v[(R - 1) * C + c] = 0;
			for (int r = 0; r < R - 1; r++)
				v[(R - 1) * C + c] += v[r * C + c];
		}
		const pep_sum sums[] = {{0, {1, 2, 3}, 3}};
		pep_suppress(v, hide, R, C, sums, 1, true);
		for (int r = 0; r < R; r++) {
			int n = 0;
			for (int c = 0; c < C; c++)
				n += hide[r * C + c];
			assert_true(n != 1);
		}
		for (int c = 0; c < C; c++) {
			int n = 0;
			for (int r = 0; r < R; r++)
				n += hide[r * C + c];
			assert_true(n != 1);
		}
		for (int i = 0; i < R * C; i++)
			if (v[i] > 0 && v[i] < PEP_SUPPRESS_BELOW)
				assert_true(hide[i]);
	}
}

/* ------------------------------------------------------------------ */
/* Children                                                             */
/* ------------------------------------------------------------------ */

/* Facts of a PEP held on `meeting` (NULL: none, a draft) with its next
 * meeting (NULL: none); strings copied. */
static pep_facts facts(const char *la, const char *id, const char *upn, const char *meeting, const char *next)
{
	pep_facts f;
	memset(&f, 0, sizeof f);
	f.loaded = true;
	f.la = la ? xstrdup(la) : NULL;
	f.child_id = id ? xstrdup(id) : NULL;
	f.upn = upn ? xstrdup(upn) : NULL;
	f.name = xstrdup("Zoë Łukasz-Nguyễn");
	f.meeting = meeting ? D(meeting) : PEP_NO_DAY;
	f.next_meeting = next ? D(next) : PEP_NO_DAY;
	f.form_state = meeting ? PEP_STATE_SIGNED_OFF : PEP_STATE_DRAFT;
	f.deadlines = (pep_deadlines){PEP_NO_DAY, NULL, PEP_NO_DAY, NULL, PEP_NO_DAY, false, PEP_NO_DAY};
	if (meeting) {
		f.deadlines.review = pep_date_add_months(f.meeting, 6);
		f.deadlines.review_rule = "T07";
	}
	f.history_last = f.signed_off = f.became_lac = PEP_NO_DAY;
	f.term = f.first_term = -1;
	f.as_of_term = pep_term_index(2025, PEP_SPRING);
	return f;
}

static void add(pep_caseload *c, pep_facts *f, const char *file)
{
	pep_diags *d = pep_diags_new(file);
	pep_caseload_add(c, f, d);
	pep_diags_free(d);
	pep_facts_free(f);
}

static const pep_child *find(const pep_caseload_report *r, const char *id)
{
	for (size_t i = 0; i < r->nchildren; i++)
		if (r->children[i].id && strcmp(r->children[i].id, id) == 0)
			return &r->children[i];
	fail_msg("no child %s", id);
	return NULL;
}

static void test_children_not_files(void **state)
{
	(void)state;
	pep_caseload_opts o = {D("2026-03-02"), 20, false, PEP_BY_NONE, 3, false};
	pep_caseload *c = pep_caseload_new(&o);
	pep_facts f;
	/* One child, three PEPs: the latest meeting is the current one, and
	 * the older ones' overdue dates are history. */
	f = facts("kent", "K1", NULL, "2025-03-05", "2025-07-02");
	add(c, &f, "k1-a.xml");
	f = facts("kent", "K1", NULL, "2025-11-12", "2026-03-18");
	add(c, &f, "k1-c.xml");
	f = facts("kent", "K1", NULL, "2025-07-02", "2025-11-12");
	add(c, &f, "k1-b.xml");
	/* Moved from Southwark to Kent: linked by the UPN. */
	f = facts("southwark", "S1", "A123456789012", "2025-05-01", "2025-09-01");
	add(c, &f, "s1.xml");
	f = facts("kent", "K2", "A123456789012", "2025-09-10", NULL);
	add(c, &f, "k2.xml");
	/* Two children known under one key each, joined by a third PEP with
	 * both keys. */
	f = facts("kent", "K3", NULL, "2025-04-01", "2025-08-01");
	add(c, &f, "k3.xml");
	f = facts("kent", NULL, "B123456789012", "2025-08-01", "2025-12-01");
	add(c, &f, "b.xml");
	f = facts("kent", "K3", "B123456789012", NULL, NULL); /* a review in progress */
	add(c, &f, "k3-draft.xml");
	/* No identifier at all: a child of its own, twice. */
	f = facts("kent", NULL, NULL, "2025-10-01", "2026-01-05");
	add(c, &f, "anon1.xml");
	f = facts("kent", NULL, NULL, "2025-10-01", "2026-01-05");
	add(c, &f, "anon2.xml");
	/* Not a PEP. */
	f.loaded = false;
	add(c, &f, "broken.xml");

	const pep_caseload_report *r = pep_caseload_finish(c);
	assert_int_equal(r->files, 11);
	assert_int_equal(r->nunread, 1);
	assert_int_equal(r->nchildren, 5);

	const pep_child *k1 = find(r, "K1");
	assert_int_equal(k1->peps, 3);
	assert_string_equal(k1->file, "k1-c.xml");
	assert_int_equal(k1->next_due, D("2026-03-18"));
	assert_string_equal(k1->basis, "next meeting");
	assert_int_equal(k1->days_left, 16);
	assert_int_equal(k1->status, PEP_STATUS_DUE_SOON);
	assert_null(k1->name); /* only with opts.names */

	const pep_child *k2 = find(r, "K2");
	assert_int_equal(k2->peps, 2);
	assert_string_equal(k2->la, "kent");
	assert_string_equal(k2->upn, "A123456789012");
	/* No next meeting recorded: 6 months after the meeting (T07). */
	assert_int_equal(k2->next_due, D("2026-03-10"));
	assert_string_equal(k2->rule, "T07");
	assert_int_equal(k2->status, PEP_STATUS_DUE_SOON);

	/* The review in progress is current; its due date is what the last
	 * PEP held set (b.xml's next meeting). */
	const pep_child *k3 = find(r, "K3");
	assert_int_equal(k3->peps, 3);
	assert_string_equal(k3->file, "k3-draft.xml");
	assert_int_equal(k3->meeting, PEP_NO_DAY);
	assert_int_equal(k3->next_due, D("2025-12-01"));
	assert_int_equal(k3->status, PEP_STATUS_OVERDUE);

	/* Sorted: overdue first (the two without an id, then K3 by days
	 * left), then due soon by days left. */
	assert_int_equal(r->children[0].status, PEP_STATUS_OVERDUE);
	assert_int_equal(r->children[0].days_left, D("2025-12-01") - D("2026-03-02"));
	assert_string_equal(r->children[0].id, "K3");
	assert_null(r->children[1].id);
	assert_null(r->children[2].id);
	assert_string_equal(r->children[3].id, "K2");
	assert_string_equal(r->children[4].id, "K1");
	assert_int_equal(r->cohort[PEP_CF_OVERDUE], 3);
	assert_int_equal(r->cohort[PEP_CF_DUE_SOON], 2);
	pep_caseload_free(c);
}

static void test_an_initial_pep_in_progress_is_due_by_its_rule(void **state)
{
	(void)state;
	pep_caseload_opts o = {D("2026-03-02"), 20, true, PEP_BY_NONE, 3, false};
	pep_caseload *c = pep_caseload_new(&o);
	pep_facts f = facts("southwark", "S9", NULL, NULL, NULL);
	f.initial = true;
	f.deadlines.initial = D("2026-03-06");
	f.deadlines.initial_rule = "T03";
	add(c, &f, "s9.xml");
	const pep_caseload_report *r = pep_caseload_finish(c);
	assert_int_equal(r->nchildren, 1);
	const pep_child *ch = &r->children[0];
	assert_int_equal(ch->next_due, D("2026-03-06"));
	assert_string_equal(ch->basis, "initial PEP");
	assert_string_equal(ch->rule, "T03");
	assert_string_equal(ch->name, "Zoë Łukasz-Nguyễn"); /* opts.names */
	capture_file out;
	capture_open(&out);
	pep_caseload_write_json(out.f, r);
	const char *json = capture_text(&out);
	assert_non_null(strstr(json, "\"marking\": \"OFFICIAL-SENSITIVE\""));
	assert_non_null(strstr(json, "\"name\": \"Zoë Łukasz-Nguyễn\""));
	assert_non_null(strstr(json, "\"basis\": \"initial PEP\", \"rule\": \"T03\", \"days_left\": 4, \"status\": \"due-soon\""));
	capture_close(&out);
	pep_caseload_free(c);
}

static void test_no_name_without_names(void **state)
{
	(void)state;
	pep_caseload_opts o = {D("2026-03-02"), 20, false, PEP_BY_SCHOOL, 3, false};
	pep_caseload *c = pep_caseload_new(&o);
	pep_facts f = facts("kent", "K1", NULL, "2026-01-14", "2026-05-20");
	add(c, &f, "k1.xml");
	const pep_caseload_report *r = pep_caseload_finish(c);
	void (*writers[])(FILE *, const pep_caseload_report *) = {pep_caseload_write_text, pep_caseload_write_json,
	                                                          pep_caseload_write_html};
	for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
		capture_file out;
		capture_open(&out);
		writers[i](out.f, r);
		assert_null(strstr(capture_text(&out), "Zoë"));
		assert_null(strstr(capture_text(&out), "OFFICIAL-SENSITIVE"));
		assert_non_null(strstr(capture_text(&out), "K1"));
		capture_close(&out);
	}
	capture_file out;
	capture_open(&out);
	pep_caseload_write_csv(out.f, r, true);
	assert_null(strstr(capture_text(&out), "Zoë"));
	assert_memory_equal(capture_text(&out), "\xef\xbb\xbfla,child,upn,school_urn", 22);
	capture_close(&out);
	pep_caseload_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_primary_suppression),
		cmocka_unit_test(test_secondary_suppression_in_a_sum),
		cmocka_unit_test(test_secondary_suppression_hides_the_total_when_the_rest_is_zero),
		cmocka_unit_test(test_secondary_suppression_across_rows_and_columns),
		cmocka_unit_test(test_no_sum_has_one_hidden_count),
		cmocka_unit_test(test_children_not_files),
		cmocka_unit_test(test_an_initial_pep_in_progress_is_due_by_its_rule),
		cmocka_unit_test(test_no_name_without_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
