/* rules_t.c: the timescales (T01-T13). Deadlines are counted as
 * docs/rules-notes.md says: "within N days of D" ends on the Nth school (or
 * working) day after D; "within 6 months" on the same day six months later,
 * clamped. The limits are the LA's (ctx->profile, profile_list.h). */
#include "rules_impl.h"

#include <stdio.h>
#include <string.h>

static const pep_care *care(pep_rule_ctx *ctx)
{
	return &ctx->m->a.care;
}

/* "1st", "2nd", "3rd", "10th", "21st" into buf. */
static const char *ordinal(int n, char buf[16])
{
	const char *suffix = "th";
	if (n % 100 < 11 || n % 100 > 13)
		suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
	snprintf(buf, 16, "%d%s", n, suffix);
	return buf;
}

/* Reports a meeting held after its deadline, the limit-th day after `from`.
 * The deadline comes first and the lateness is in calendar days: a count
 * of school days could contradict the verdict (a meeting on a bank holiday
 * just after the deadline is still only the limit-th school day). */
static void report_late(pep_rule_ctx *ctx, const char *what, pep_day deadline, const pep_limit *limit,
                        const char *after, pep_day from, const char *allows)
{
	char nth[16];
	int late = ctx->meeting - deadline;
	pep_rule_report(ctx, ctx->meeting_line,
	                "%s held %s, after its deadline of %s, the %s %s day after %s on %s (%s%s): %d day%s late; if "
	                "the dates are right, record in the meeting summary why it was late",
	                what, pep_ymd(ctx->meeting), pep_ymd(deadline), ordinal(limit->n, nth), pep_limit_days_unit(limit),
	                after, pep_ymd(from), allows,
	                limit->unit == PEP_UNIT_SCHOOL_DAYS ? pep_rule_confidence_note(ctx, deadline) : "", late,
	                late == 1 ? "" : "s");
}

/* True when the meeting falls after its deadline, the limit-th day after
 * `from` (set in *deadline). False when it does not, or when the calendars
 * cannot say (a calendar gap is then reported): the verdict needs them to
 * cover the whole span, up to the deadline and on to the meeting. */
static bool late_after(pep_rule_ctx *ctx, pep_day from, const pep_limit *limit, pep_day *deadline)
{
	int days;
	if (!pep_rule_add_days(ctx, from, limit, deadline, ctx->meeting_line) || ctx->meeting <= *deadline)
		return false;
	return limit->unit == PEP_UNIT_SCHOOL_DAYS ? pep_rule_count_school_days(ctx, from, ctx->meeting, &days, ctx->meeting_line)
	                    : pep_rule_count_working_days(ctx, from, ctx->meeting, &days, ctx->meeting_line);
}

/* The initial-PEP check shared by T01-T04: the meeting must fall on or
 * before the limit-th school or working day after the child became looked
 * after. `allows` says who allows what, for the message. */
static void initial_within(pep_rule_ctx *ctx, const pep_limit *limit, const char *allows)
{
	pep_day lac = care(ctx)->became_lac.d, deadline;
	if (lac == PEP_NO_DAY || ctx->meeting == PEP_NO_DAY || ctx->meeting < lac)
		return; /* the date checks of sections A and D report these */
	if (late_after(ctx, lac, limit, &deadline))
		report_late(ctx, "initial PEP", deadline, limit, "becoming looked after", lac, allows);
}

/* The limit for the initial PEP after this child's placement, under the
 * profile's planned and unplanned limits. */
static const pep_limit *initial_limit(pep_rule_ctx *ctx, bool *unplanned)
{
	*unplanned = care(ctx)->placement.v == PEP_UNPLANNED;
	return *unplanned ? &ctx->profile->initial_unplanned : &ctx->profile->initial_planned;
}

/* "Kent allows 10 school days" into buf (size bytes), and what follows. */
static const char *allows_text(pep_rule_ctx *ctx, const pep_limit *limit, const char *then, char *buf, size_t size)
{
	char text[48];
	snprintf(buf, size, "%s allows %s%s", ctx->profile->name, pep_limit_text(limit, text, sizeof text), then);
	return buf;
}

/* T01: Kent, 000 §2, §3, §4(i): 20 school days, 10 when unplanned. */
void pep_check_T01(pep_rule_ctx *ctx)
{
	if (!ctx->initial || ctx->no_provision || !care(ctx)->placement.v)
		return; /* T02 covers no school place; section A a missing placement */
	bool unplanned;
	const pep_limit *limit = initial_limit(ctx, &unplanned);
	char allows[160];
	initial_within(ctx, limit,
	               allows_text(ctx, limit, unplanned ? " after an unplanned placement" : " after a planned placement",
	                           allows, sizeof allows));
}

/* T02: Kent, 000 §3: no school place, 20 working days. */
void pep_check_T02(pep_rule_ctx *ctx)
{
	if (!ctx->initial || !ctx->no_provision)
		return;
	char allows[160];
	initial_within(ctx, &ctx->profile->initial_no_place,
	               allows_text(ctx, &ctx->profile->initial_no_place, " when the child has no school place", allows,
	                           sizeof allows));
}

/* T03: Southwark, 001 §2: 10 working days, "as part of the Care Plan",
 * planned or not. */
void pep_check_T03(pep_rule_ctx *ctx)
{
	if (!ctx->initial)
		return;
	char allows[160];
	initial_within(ctx, &ctx->profile->initial, allows_text(ctx, &ctx->profile->initial, "", allows, sizeof allows));
}

/* T04: DfE statutory guidance para 36 (seed 003): 10 working days after an
 * emergency placement; otherwise by the first Looked After Review, 20
 * working days after becoming looked after. */
void pep_check_T04(pep_rule_ctx *ctx)
{
	if (!ctx->initial || !care(ctx)->placement.v)
		return;
	bool unplanned;
	const pep_limit *limit = initial_limit(ctx, &unplanned);
	char allows[160], text[48];
	pep_limit_text(limit, text, sizeof text);
	if (unplanned)
		snprintf(allows, sizeof allows, "the statutory guidance allows %s after an emergency placement", text);
	else
		snprintf(allows, sizeof allows,
		         "the statutory guidance wants it ready for the first Looked After Review, %s after", text);
	initial_within(ctx, limit, allows);
}

/* The latest earlier PEP meeting before this one, or PEP_NO_DAY. */
static pep_day previous_meeting(pep_rule_ctx *ctx)
{
	pep_day prev = PEP_NO_DAY;
	const pep_history *h = &ctx->m->header.history;
	for (size_t i = 0; i < h->meetings.n; i++) {
		pep_day d = h->meetings.v[i].date.d;
		if (d != PEP_NO_DAY && d < ctx->meeting && (prev == PEP_NO_DAY || d > prev))
			prev = d;
	}
	return prev;
}

/* T05: 000 §2, §3: reviews at most 6 months apart. */
void pep_check_T05(pep_rule_ctx *ctx)
{
	if (ctx->initial || ctx->meeting == PEP_NO_DAY)
		return;
	pep_day prev = previous_meeting(ctx);
	if (prev == PEP_NO_DAY)
		return;
	int months = ctx->profile->review.n;
	pep_day limit = pep_date_add_months(prev, months);
	if (ctx->meeting > limit)
		pep_rule_report(ctx, ctx->meeting_line,
		                "review PEP held %s, after its deadline of %s, %d months after the previous PEP meeting on %s: "
		                "%d day%s late; record the reason, and hold reviews at least every %d months",
		                pep_ymd(ctx->meeting), pep_ymd(limit), months, pep_ymd(prev), ctx->meeting - limit,
		                ctx->meeting - limit == 1 ? "" : "s", months);
}

/* T06: 003 "PEP Sign Off": no sign-off without the next date and time. */
void pep_check_T06(pep_rule_ctx *ctx)
{
	const pep_next_meeting *n = &ctx->m->d.next;
	bool date = n->date.d != PEP_NO_DAY, time = n->time.min >= 0;
	if (date && time)
		return;
	if (!date && !time)
		pep_rule_report(ctx, n->hdr.line,
		                "the next PEP meeting's date and time are not recorded; the PEP cannot be signed off without them: fill in "
		                "{pepMeeting/nextMeeting|both}");
	else if (!time)
		pep_rule_report(ctx, n->time.line, "the next PEP meeting on %s has no time; add {pepMeeting/nextMeeting/time (HH:MM)|its time}",
		                pep_ymd(n->date.d));
	else
		pep_rule_report(ctx, n->date.line, "the next PEP meeting has a time but no date; add {pepMeeting/nextMeeting/date|its date}");
}

/* T07: 003 "within the statutory 6 month timescale". */
void pep_check_T07(pep_rule_ctx *ctx)
{
	pep_day next = ctx->m->d.next.date.d;
	if (next == PEP_NO_DAY || ctx->meeting == PEP_NO_DAY)
		return;
	int months = ctx->profile->review.n;
	pep_day limit = pep_date_add_months(ctx->meeting, months);
	if (next <= ctx->meeting)
		pep_rule_report(ctx, ctx->m->d.next.date.line,
		                "the next PEP meeting (%s) is not after this meeting (%s): set a date after it and within %d "
		                "months (by %s)",
		                pep_ymd(next), pep_ymd(ctx->meeting), months, pep_ymd(limit));
	else if (next > limit)
		pep_rule_report(ctx, ctx->m->d.next.date.line,
		                "the next PEP meeting (%s) is more than %d months after this meeting (%s): the latest date is %s",
		                pep_ymd(next), months, pep_ymd(ctx->meeting), pep_ymd(limit));
}

/* T08: Southwark, 001 §2: within 20 school days of starting a new school,
 * counted with the new school's term dates. */
void pep_check_T08(pep_rule_ctx *ctx)
{
	const pep_school *s = &ctx->m->a.school;
	if (!ctx->transition || !s->hdr.present || s->start.d == PEP_NO_DAY || ctx->meeting == PEP_NO_DAY ||
	    ctx->meeting < s->start.d)
		return;
	const pep_limit *limit = &ctx->profile->transition;
	pep_day deadline;
	if (!late_after(ctx, s->start.d, limit, &deadline))
		return;
	char allows[160];
	report_late(ctx, "transition PEP", deadline, limit, "starting at the new school", s->start.d,
	            allows_text(ctx, limit, "", allows, sizeof allows));
}

/* T09: Kent, 000 §4(ii), §6: all sections marked complete within 10 school
 * days of the meeting; VSK chases the DT on the 10th day. */
void pep_check_T09(pep_rule_ctx *ctx)
{
	if (ctx->meeting == PEP_NO_DAY)
		return;
	const pep_signoff *so = &ctx->m->d.signoff;
	pep_day done[5] = {PEP_NO_DAY, PEP_NO_DAY, PEP_NO_DAY, PEP_NO_DAY, PEP_NO_DAY}; /* by section A..D */
	for (size_t i = 0; i < so->sections.n; i++) {
		int s = so->sections.v[i].section.v;
		if (s >= PEP_SECTION_A && s <= PEP_SECTION_D)
			done[s] = so->sections.v[i].date.d;
	}
	char missing[32] = "";
	pep_day latest = PEP_NO_DAY;
	for (int s = PEP_SECTION_A; s <= PEP_SECTION_D; s++) {
		if (done[s] == PEP_NO_DAY)
			pep_list_add(missing, sizeof missing, pep_section_names[s]);
		else if (latest == PEP_NO_DAY || done[s] > latest)
			latest = done[s];
	}
	const pep_limit *limit = &ctx->profile->sections_done;
	pep_day deadline;
	int days; /* counted only so that the calendars cover the span judged */
	char nth[16], allows[160], text[48];
	if (!pep_rule_add_days(ctx, ctx->meeting, limit, &deadline, so->hdr.line))
		return;
	snprintf(allows, sizeof allows, "the %s %s day after the meeting on %s; %s allows %s%s", ordinal(limit->n, nth),
	         pep_limit_days_unit(limit), pep_ymd(ctx->meeting), ctx->profile->name,
	         pep_limit_text(limit, text, sizeof text),
	         limit->unit == PEP_UNIT_SCHOOL_DAYS ? pep_rule_confidence_note(ctx, deadline) : "");
	bool several = strchr(missing, ',') != NULL;
	if (!*missing) {
		if (latest > deadline && pep_rule_count_school_days(ctx, ctx->meeting, latest, &days, so->hdr.line))
			pep_rule_report(ctx, so->hdr.line,
			                "the last section was marked complete on %s, after its deadline of %s (%s): %d day%s "
			                "late; check the completion dates {in pepMeeting/signOff|in the sign-off}",
			                pep_ymd(latest), pep_ymd(deadline), allows, latest - deadline,
			                latest - deadline == 1 ? "" : "s");
	} else if (ctx->as_of > deadline && pep_rule_count_school_days(ctx, ctx->meeting, ctx->as_of, &days, so->hdr.line)) {
		pep_rule_report(ctx, so->hdr.line,
		                "section%s %s %s not marked complete (with a date), and %s deadline was %s (%s), %d day%s "
		                "before %s: mark %s complete {in pepMeeting/signOff|in the sign-off}",
		                several ? "s" : "", missing, several ? "are" : "is", several ? "their" : "its", pep_ymd(deadline),
		                allows,
		                ctx->as_of - deadline, ctx->as_of - deadline == 1 ? "" : "s", pep_ymd(ctx->as_of),
		                several ? "them" : "it");
	}
}

/* T10: Southwark, 001 §2: "between 2 - 6 weeks before the child's second and
 * subsequent Looked After Review"; the initial PEP goes to the first. */
void pep_check_T10(pep_rule_ctx *ctx)
{
	if (ctx->initial || ctx->meeting == PEP_NO_DAY)
		return;
	const pep_la_reviews *r = &care(ctx)->reviews;
	const pep_profile *p = ctx->profile;
	if (r->next.d == PEP_NO_DAY) {
		pep_rule_report(ctx, r->hdr.line,
		                "the next Looked After Review date is not recorded{ (care/lookedAfterReviews/next)|}, so the "
		                "meeting's timing against it cannot be checked; %s wants the PEP %d to %d weeks before it",
		                p->name, p->lar.n, p->lar.max);
		return;
	}
	int before = r->next.d - ctx->meeting, lo = 7 * p->lar.n, hi = 7 * p->lar.max;
	if (before >= lo && before <= hi)
		return;
	if (before < 0)
		pep_rule_report(ctx, ctx->meeting_line,
		                "the meeting on %s is after the next Looked After Review on %s: %s wants it %d to %d weeks "
		                "before (between %s and %s)",
		                pep_ymd(ctx->meeting), pep_ymd(r->next.d), p->name, lo / 7, hi / 7, pep_ymd(r->next.d - hi),
		                pep_ymd(r->next.d - lo));
	else
		pep_rule_report(ctx, ctx->meeting_line,
		                "the meeting on %s is %d days before the next Looked After Review on %s: %s wants it %d to %d "
		                "weeks before (between %s and %s)",
		                pep_ymd(ctx->meeting), before, pep_ymd(r->next.d), p->name, lo / 7, hi / 7,
		                pep_ymd(r->next.d - hi), pep_ymd(r->next.d - lo));
}

/* T11: 000 §1 (two formal PEPs a year; the profile's per_year), 002 and 004 (termly): every term of
 * this academic year that ended before this meeting, while the child was
 * looked after, has a PEP meeting; and by the summer term there were two.
 * A holiday counts with the term before it. */
void pep_check_T11(pep_rule_ctx *ctx)
{
	if (ctx->meeting == PEP_NO_DAY)
		return;
	pep_term_info terms[3];
	if (!pep_rule_year_terms(ctx, ctx->meeting, terms, ctx->meeting_line))
		return;
	const pep_history *h = &ctx->m->header.history;
	pep_day lac = care(ctx)->became_lac.d;
	pep_day year_end = pep_date_from_ymd(pep_cal_academic_year(ctx->meeting) + 1, 8, 31);
	char missed[160] = "";
	int in_year = 1; /* this meeting */
	for (size_t i = 0; i < h->meetings.n; i++) {
		pep_day d = h->meetings.v[i].date.d;
		if (d != PEP_NO_DAY && d >= terms[0].first && d < ctx->meeting)
			in_year++;
	}
	for (int t = 0; t < 3; t++) {
		pep_day end = t < 2 ? terms[t + 1].first - 1 : year_end;
		if (end >= ctx->meeting)
			break; /* this term holds this meeting */
		/* Not looked after then, or too late in the term for a PEP to be due
		 * in it: the initial PEP may take 20 school days (about 4 weeks). */
		if (lac != PEP_NO_DAY && lac > terms[t].last - 28)
			continue;
		bool held = false;
		for (size_t i = 0; i < h->meetings.n; i++) {
			pep_day d = h->meetings.v[i].date.d;
			held |= d != PEP_NO_DAY && d >= terms[t].first && d <= end;
		}
		if (!held) {
			char item[40];
			snprintf(item, sizeof item, "%s term %s (from %s)", pep_season_names[terms[t].season], terms[t].year,
			         pep_ymd(terms[t].first));
			pep_list_add(missed, sizeof missed, item);
		}
	}
	if (*missed)
		pep_rule_report(ctx, h->hdr.present ? h->hdr.line : ctx->meeting_line,
		                "no PEP meeting is recorded in the %s, when the child was looked after: a PEP is due each "
		                "term; add the meeting to {header/pepHistory|the list of previous PEPs} if it was held",
		                missed);
	bool summer = ctx->meeting >= terms[2].first;
	bool whole_year = lac == PEP_NO_DAY || lac <= terms[0].first;
	const pep_limit *per_year = &ctx->profile->per_year;
	if (summer && whole_year && in_year < per_year->n)
		pep_rule_report(ctx, ctx->meeting_line,
		                "%d PEP meeting%s recorded in %s, this summer-term one included: at least %d are due in each "
		                "academic year (%s); add the earlier ones to {header/pepHistory|the list of previous PEPs} if "
		                "they were held",
		                in_year, in_year == 1 ? " is" : "s are", terms[2].year, per_year->n, per_year->source);
}

/* T12: 003 checklist B, "at least termly": the attainment data is no older
 * than the start of the term of the meeting (autumn, spring or summer). */
void pep_check_T12(pep_rule_ctx *ctx)
{
	const pep_attainment *a = &ctx->m->b.attainment;
	if (!a->hdr.present)
		return; /* section B's rules say when it is required */
	if (a->data_date.d == PEP_NO_DAY) {
		pep_rule_report(ctx, a->data_date.line,
		                "the attainment data has no date{ (educationInformation/attainment/dataDate)|}: record when it was "
		                "collected, at least termly");
		return;
	}
	pep_term_info term;
	if (!pep_rule_term_at(ctx, ctx->ref, &term, a->data_date.line))
		return;
	if (a->data_date.d < term.first)
		pep_rule_report(ctx, a->data_date.line,
		                "the attainment data is dated %s, before the start of the current term (the %s term %s began on %s%s): "
		                "update it before the meeting",
		                pep_ymd(a->data_date.d), pep_season_names[term.season], term.year, pep_ymd(term.first),
		                pep_rule_confidence_note(ctx, term.first));
}

/* T13: data integrity: the meeting has happened by the as-of date. */
void pep_check_T13(pep_rule_ctx *ctx)
{
	if (ctx->meeting == PEP_NO_DAY)
		pep_rule_report(ctx, ctx->m->d.hdr.line,
		                "the meeting date is not recorded{ (pepMeeting/date)|}: a PEP is signed off after its meeting");
	else if (ctx->meeting > ctx->as_of)
		pep_rule_report(ctx, ctx->meeting_line,
		                "the meeting date %s is after the as-of date %s: a PEP cannot be signed off before its meeting "
		                "(check the date, or --as-of)",
		                pep_ymd(ctx->meeting), pep_ymd(ctx->as_of));
}

/* ------------------------------------------------------------------ */
/* The deadlines, for the caseload                                      */
/* ------------------------------------------------------------------ */

pep_day pep_rules_review_limit(const char *la, pep_day day)
{
	return day == PEP_NO_DAY ? PEP_NO_DAY : pep_date_add_months(day, pep_profile_for(la)->review.n);
}

const pep_limit *pep_rules_signoff_limit(const char *la, bool *rule)
{
	static const pep_limit ten = PEP_SCHOOL_DAYS(10, NULL);
	const pep_profile *p = pep_profile_for(la);
	bool applies = pep_rule_applies(&pep_rules[PEP_RULE_T09], p);
	if (rule)
		*rule = applies;
	return applies ? &p->sections_done : &ten;
}

/* The initial PEP's limit under rule T01-T04 (the same conditions as the
 * checks above); NULL when the rule does not apply to this child. */
static const pep_limit *initial_rule_limit(pep_rule_ctx *ctx, pep_rule_index rule)
{
	bool placed = care(ctx)->placement.v != 0, unplanned;
	switch (rule) {
	case PEP_RULE_T01:
		return ctx->no_provision || !placed ? NULL : initial_limit(ctx, &unplanned);
	case PEP_RULE_T02:
		return ctx->no_provision ? &ctx->profile->initial_no_place : NULL;
	case PEP_RULE_T03:
		return &ctx->profile->initial;
	case PEP_RULE_T04:
		return placed ? initial_limit(ctx, &unplanned) : NULL;
	default:
		return NULL;
	}
}

void pep_rules_deadlines(const pep_model *m, const pep_rules_env *env, pep_deadlines *out)
{
	pep_diags *scratch = pep_diags_new(""); /* calendar gaps land here, unread */
	pep_rule_ctx ctx;
	pep_rule_ctx_init(&ctx, m, env, scratch);
	*out = (pep_deadlines){PEP_NO_DAY, NULL, PEP_NO_DAY, NULL, PEP_NO_DAY, false, PEP_NO_DAY};
	static const pep_rule_index initial[] = {PEP_RULE_T01, PEP_RULE_T02, PEP_RULE_T03, PEP_RULE_T04};
	for (size_t i = 0; i < 4 && ctx.initial && care(&ctx)->became_lac.d != PEP_NO_DAY; i++) {
		ctx.rule = &pep_rules[initial[i]];
		const pep_limit *limit = pep_rule_applies(ctx.rule, ctx.profile) ? initial_rule_limit(&ctx, initial[i]) : NULL;
		if (!limit)
			continue;
		if (pep_rule_add_days(&ctx, care(&ctx)->became_lac.d, limit, &out->initial, 0))
			out->initial_rule = ctx.rule->id;
		else
			out->initial = PEP_NO_DAY;
		break;
	}
	if (ctx.meeting != PEP_NO_DAY) {
		out->review = pep_rules_review_limit(ctx.la, ctx.meeting);
		out->review_rule = pep_rules[PEP_RULE_T07].id;
		/* T09's limit where the LA applies it; elsewhere the same count of
		 * 10 school days measures the termly figure "signed off in time". */
		ctx.rule = &pep_rules[PEP_RULE_T09];
		const pep_limit *limit = pep_rules_signoff_limit(ctx.la, &out->signoff_rule);
		if (!pep_rule_add_days(&ctx, ctx.meeting, limit, &out->signoff, 0))
			out->signoff = PEP_NO_DAY;
	} else {
		pep_day last = PEP_NO_DAY;
		const pep_history *h = &m->header.history;
		for (size_t i = 0; i < h->meetings.n; i++)
			if (h->meetings.v[i].date.d != PEP_NO_DAY && (last == PEP_NO_DAY || h->meetings.v[i].date.d > last))
				last = h->meetings.v[i].date.d;
		if (last != PEP_NO_DAY) {
			out->review = pep_rules_review_limit(ctx.la, last);
			out->review_rule = pep_rules[PEP_RULE_T05].id;
		}
	}
	/* The first date a count needed that no calendar covers. */
	if (ctx.ncal01)
		out->uncovered = ctx.cal01[0];
	pep_diags_free(scratch);
}
