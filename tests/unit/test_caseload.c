/* test_caseload.c: children from files, due dates and figures
 * (src/caseload.c); suppression is test_suppress.c's. */
#include "test.h"

#include "caseload.h"
#include "profile.h"

static pep_day D(const char *s)
{
	pep_day d;
	assert_true(pep_date_parse(s, &d));
	return d;
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
	f.la = la ? pep_xstrdup(la) : NULL;
	f.child_id = id ? pep_xstrdup(id) : NULL;
	f.upn = upn ? pep_xstrdup(upn) : NULL;
	f.name = pep_xstrdup("Zoë Łukasz-Nguyễn");
	f.meeting = meeting ? D(meeting) : PEP_NO_DAY;
	f.next_meeting = next ? D(next) : PEP_NO_DAY;
	f.form_state = meeting ? PEP_STATE_SIGNED_OFF : PEP_STATE_DRAFT;
	f.deadlines = (pep_deadlines){PEP_NO_DAY, NULL, PEP_NO_DAY, NULL, PEP_NO_DAY, false, PEP_NO_DAY};
	if (meeting) {
		f.deadlines.review = pep_date_add_months(f.meeting, 6);
		f.deadlines.review_rule = "T07";
	}
	f.history_last = f.signed_off = f.became_lac = f.created = PEP_NO_DAY;
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
	assert_memory_equal(capture_text(&out), "\xef\xbb\xbfla,child,child_la,upn,school_urn", 31);
	capture_close(&out);
	pep_caseload_free(c);
}

/* A meeting booked after the review limit does not move the limit: the
 * child is overdue from 6 months after the last meeting held (T05), and
 * the last meeting is the one held, not the one booked. */
static void test_a_meeting_booked_late_does_not_excuse_it(void **state)
{
	(void)state;
	pep_caseload_opts o = {D("2026-08-20"), 20, false, PEP_BY_NONE, 3, false};
	pep_caseload *c = pep_caseload_new(&o);
	pep_facts f = facts("kent", "K1", NULL, "2026-02-04", "2026-06-10");
	add(c, &f, "held.xml");
	f = facts("kent", "K1", NULL, "2026-09-23", NULL);
	f.form_state = PEP_STATE_DRAFT;
	f.history_last = D("2026-02-04");
	f.history_last_kind = PEP_MEETING_REVIEW;
	add(c, &f, "booked.xml");
	const pep_caseload_report *r = pep_caseload_finish(c);
	const pep_child *k = find(r, "K1");
	assert_string_equal(k->file, "booked.xml");
	assert_int_equal(k->next_due, D("2026-08-04"));
	assert_string_equal(k->basis, "6-month review");
	assert_string_equal(k->rule, "T05");
	assert_int_equal(k->status, PEP_STATUS_OVERDUE);
	assert_int_equal(k->last_meeting, D("2026-02-04"));
	assert_int_equal(k->booked, D("2026-09-23"));
	pep_caseload_free(c);
}

/* A draft begun before the last meeting held is not the PEP in progress:
 * an initial one (the child has had a meeting since becoming looked
 * after), or a review whose history stops before that meeting. */
static void test_a_stale_draft_is_history(void **state)
{
	(void)state;
	pep_caseload_opts o = {D("2026-03-01"), 20, false, PEP_BY_NONE, 3, false};
	for (int round = 0; round < 3; round++) {
		pep_caseload *c = pep_caseload_new(&o);
		pep_facts f = facts("kent", "K9", NULL, NULL, NULL);
		f.became_lac = D("2025-06-01");
		if (round == 0) {
			f.initial = true;
			f.created = D("2026-02-20"); /* begun after, but an initial PEP after a review */
			f.deadlines.initial = D("2025-06-29");
			f.deadlines.initial_rule = "T01";
		} else {
			f.history_last = D(round == 1 ? "2025-10-15" : "2026-02-04");
		}
		add(c, &f, "draft.xml");
		f = facts("kent", "K9", NULL, "2026-02-04", "2026-06-10");
		add(c, &f, "held.xml");
		const pep_caseload_report *r = pep_caseload_finish(c);
		const pep_child *k = find(r, "K9");
		assert_int_equal(k->peps, 2);
		assert_string_equal(k->file, round == 2 ? "draft.xml" : "held.xml");
		assert_int_equal(k->next_due, D("2026-06-10"));
		assert_int_equal(k->status, PEP_STATUS_OK);
		pep_caseload_free(c);
	}
	/* A child back in care after the meeting: their new initial PEP is. */
	pep_caseload *c = pep_caseload_new(&o);
	pep_facts f = facts("kent", "K9", NULL, NULL, NULL);
	f.initial = true;
	f.became_lac = D("2026-02-16");
	f.deadlines.initial = D("2026-03-16");
	f.deadlines.initial_rule = "T01";
	add(c, &f, "draft.xml");
	f = facts("kent", "K9", NULL, "2026-02-04", "2026-06-10");
	add(c, &f, "held.xml");
	const pep_child *k = find(pep_caseload_finish(c), "K9");
	assert_string_equal(k->file, "draft.xml");
	assert_int_equal(k->next_due, D("2026-03-16"));
	pep_caseload_free(c);
}

/* The LA child id from the child's other PEPs when the current one has
 * none: the current LA's first, else another LA's, saying whose. */
static void test_the_child_id_from_other_peps(void **state)
{
	(void)state;
	pep_caseload_opts o = {D("2026-03-01"), 20, false, PEP_BY_NONE, 3, false};
	for (int with_kent = 1; with_kent >= 0; with_kent--) {
		pep_caseload *c = pep_caseload_new(&o);
		pep_facts f = facts("southwark", "S8", "U123456789012", "2025-05-01", "2025-09-01");
		add(c, &f, "s8.xml");
		if (with_kent) {
			f = facts("kent", "K8", "U123456789012", "2025-10-15", NULL);
			add(c, &f, "k8.xml");
		}
		f = facts("kent", NULL, "U123456789012", "2026-02-04", "2026-06-10");
		add(c, &f, "current.xml");
		const pep_caseload_report *r = pep_caseload_finish(c);
		assert_int_equal(r->nchildren, 1);
		const pep_child *k = &r->children[0];
		assert_string_equal(k->file, "current.xml");
		assert_string_equal(k->la, "kent");
		assert_string_equal(k->id, with_kent ? "K8" : "S8");
		assert_string_equal(k->id_la, with_kent ? "kent" : "southwark");
		pep_caseload_free(c);
	}
}

/* The limits the figures count with come from the LA profiles: the review
 * basis and the notes say each LA's own. */
static void test_limits_come_from_the_profiles(void **state)
{
	(void)state;
	pep_caseload_opts o = {D("2026-03-02"), 20, false, PEP_BY_NONE, 3, false};
	pep_caseload *c = pep_caseload_new(&o);
	pep_facts f = facts("kent", "K1", NULL, "2025-08-20", NULL);
	add(c, &f, "k1.xml");
	const pep_caseload_report *r = pep_caseload_finish(c);
	char want[64];
	const pep_profile *kent = pep_profile_for("kent");
	snprintf(want, sizeof want, "%d-month review", kent->review.n);
	assert_string_equal(r->children[0].basis, want);
	snprintf(want, sizeof want, "%d months", kent->review.n);
	assert_string_equal(r->review_limits, want);
	snprintf(want, sizeof want, "%d %s days", kent->sections_done.n, kent->sections_done.unit == PEP_UNIT_SCHOOL_DAYS ? "school" : "working");
	assert_string_equal(r->signoff_limits, want);
	capture_file out;
	capture_open(&out);
	pep_caseload_write_text(out.f, r);
	assert_non_null(strstr(capture_text(&out), "SIGNED IN TIME"));
	assert_null(strstr(capture_text(&out), "SIGNED IN 10"));
	capture_close(&out);
	pep_caseload_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_children_not_files),
		cmocka_unit_test(test_an_initial_pep_in_progress_is_due_by_its_rule),
		cmocka_unit_test(test_no_name_without_names),
		cmocka_unit_test(test_a_meeting_booked_late_does_not_excuse_it),
		cmocka_unit_test(test_a_stale_draft_is_history),
		cmocka_unit_test(test_the_child_id_from_other_peps),
		cmocka_unit_test(test_limits_come_from_the_profiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
