/* facts.c: the facts a batch keeps of each PEP (facts.h). */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "strbuf.h"
#include "xalloc.h"

int pep_term_index(int start_year, pep_season season)
{
	return 3 * start_year + (int)season - 1;
}

void pep_term_label(int term, char out[24])
{
	static const char *const seasons[] = {"autumn", "spring", "summer"};
	int year = term / 3;
	snprintf(out, 24, "%d-%02d %s", year, (year + 1) % 100, seasons[term % 3]);
}

int pep_term_by_months(pep_day d)
{
	int y, m, day;
	pep_date_to_ymd(d, &y, &m, &day);
	if (m >= 9)
		return pep_term_index(y, PEP_AUTUMN);
	return pep_term_index(y - 1, m <= 3 ? PEP_SPRING : PEP_SUMMER);
}

/* The term of day d for the school (la, urn); by the months when no
 * calendar covers it. With `due`, the first term in which a PEP is due
 * for a child looked after from d: the term of d + 28 days, or the next
 * one when that day falls in the holiday after it. */
static int term_of(const pep_calendars *cals, const char *la, const char *urn, pep_day d, bool due, bool *by_months)
{
	pep_term_info t;
	pep_day missing, day = due ? d + 28 : d;
	if (pep_cal_term_at(cals, la, urn, day, &t, &missing) == PEP_CAL_OK)
		return pep_term_index(atoi(t.year), t.season) + (due && day > t.last);
	*by_months = true;
	return pep_term_by_months(day);
}

static char *copy(const char *s)
{
	return s && *s ? pep_xstrdup(s) : NULL;
}

/* The legal name in the order it records, given or family name first
 * (NULL when neither is recorded). */
static char *full_name(const pep_name *n)
{
	pep_buf b = PEP_BUF_INIT;
	char *s = pep_name_full(n, &b) ? pep_xstrdup(pep_buf_str(&b)) : NULL;
	pep_buf_free(&b);
	return s;
}

/* When the PEP was signed off: all four sections marked complete (on the
 * last of their dates), else the state history's change to signed-off or a
 * later state. */
static void signed_off(const pep_model *m, pep_facts *f)
{
	const pep_signoff *so = &m->d.signoff;
	pep_day done[5] = {PEP_NO_DAY, PEP_NO_DAY, PEP_NO_DAY, PEP_NO_DAY, PEP_NO_DAY};
	for (size_t i = 0; i < so->sections.n; i++) {
		int s = so->sections.v[i].section.v;
		if (s >= PEP_SECTION_A && s <= PEP_SECTION_D)
			done[s] = so->sections.v[i].date.d;
	}
	pep_day last = PEP_NO_DAY;
	bool all = true;
	for (int s = PEP_SECTION_A; s <= PEP_SECTION_D; s++) {
		all &= done[s] != PEP_NO_DAY;
		if (done[s] != PEP_NO_DAY && (last == PEP_NO_DAY || done[s] > last))
			last = done[s];
	}
	f->signed_off = all ? last : PEP_NO_DAY;
	f->is_signed = all || m->header.form_state.v >= PEP_STATE_SIGNED_OFF;
	const pep_state_history *h = &m->header.state_history;
	for (size_t i = 0; i < h->changes.n && f->signed_off == PEP_NO_DAY; i++)
		if (h->changes.v[i].state.v >= PEP_STATE_SIGNED_OFF && h->changes.v[i].date.d != PEP_NO_DAY) {
			f->signed_off = h->changes.v[i].date.d;
			f->is_signed = true;
		}
}

void pep_facts_from_model(const pep_model *m, const pep_rules_env *env, pep_facts *f)
{
	memset(f, 0, sizeof *f);
	f->loaded = true;
	const pep_section_a *a = &m->a;
	f->la = copy(env->la ? env->la : m->header.la.code.s);
	f->child_id = copy(a->personal.la_child_id.s);
	f->upn = copy(a->personal.upn.s);
	f->name = full_name(&a->personal.legal_name);
	if (a->school.hdr.present) {
		f->school_urn = copy(a->school.urn.s);
		f->school_name = copy(a->school.name.s);
		f->designated_teacher = copy(a->school.dt.name.s);
	}
	f->social_worker = copy(a->care.social_worker.name.s);
	f->year = pep_model_year(m);

	f->kind = m->header.kind.v;
	f->meeting_kind = m->d.kind.v;
	f->form_state = m->header.form_state.v;
	f->qa_grade = m->d.signoff.qa.grade.v;
	f->initial = m->header.kind.v == PEP_KIND_INITIAL || m->d.kind.v == PEP_MEETING_INITIAL;
	f->meeting = m->d.date.d;
	f->next_meeting = m->d.next.date.d;
	f->became_lac = a->care.became_lac.d;
	f->history_last = PEP_NO_DAY;
	const pep_history *h = &m->header.history;
	for (size_t i = 0; i < h->meetings.n; i++) {
		pep_day d = h->meetings.v[i].date.d;
		if (d != PEP_NO_DAY && (f->meeting == PEP_NO_DAY || d < f->meeting) &&
		    (f->history_last == PEP_NO_DAY || d > f->history_last)) {
			f->history_last = d;
			f->history_last_kind = h->meetings.v[i].kind.v;
		}
	}
	f->created = PEP_NO_DAY;
	const pep_state_history *sh = &m->header.state_history;
	for (size_t i = 0; i < sh->changes.n; i++) {
		pep_day d = sh->changes.v[i].date.d;
		if (d != PEP_NO_DAY && (f->created == PEP_NO_DAY || d < f->created))
			f->created = d;
	}
	signed_off(m, f);
	pep_rules_deadlines(m, env, &f->deadlines);

	const char *cal_la, *urn;
	pep_rules_school_calendar(m, env, &cal_la, &urn);
	f->term = f->meeting != PEP_NO_DAY ? term_of(env->cals, cal_la, urn, f->meeting, false, &f->term_by_months) : -1;
	bool long_ago; /* a date looked after before every calendar: not one the figures show */
	f->first_term = f->became_lac != PEP_NO_DAY ? term_of(env->cals, cal_la, urn, f->became_lac, true, &long_ago) : -1;
	f->as_of_term = term_of(env->cals, cal_la, urn, env->as_of, false, &f->term_by_months);

	f->attendance_known = a->school.hdr.present && m->b.attendance.percentage.set;
	f->attendance = m->b.attendance.percentage.v;
	f->reduced = m->b.reduced.in_place.v == PEP_YES || m->b.reduced.personalised.v == PEP_YES;
	f->no_provision = a->no_provision.hdr.present;
	f->neet = m->b.post16.participation.v == PEP_PART_NEET;
	for (size_t i = 0; i < m->d.targets.items.n; i++) {
		const pep_target *t = &m->d.targets.items.v[i];
		int area = t->area.v >= 0 && t->area.v < PEP_AREAS ? t->area.v : 0;
		if (t->pp.hdr.present && t->pp.amount.set && t->pp.amount.v > 0) {
			f->pp_pence[area] += t->pp.amount.v;
			f->pp_count[area]++;
		}
	}
}

void pep_facts_free(pep_facts *f)
{
	if (!f)
		return;
	char **owned[] = {&f->la, &f->child_id, &f->upn, &f->name, &f->school_urn, &f->school_name, &f->social_worker,
	                  &f->designated_teacher};
	for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
		free(*owned[i]);
	memset(f, 0, sizeof *f);
}
