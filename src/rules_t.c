/* rules_t.c: the timescales (T01-T13). Deadlines are counted as rules.md
 * says: "within N days of D" ends on the Nth school (or working) day after
 * D; "within 6 months" on the same day six months later, clamped. */
#include "rules_impl.h"

#include <stdio.h>
#include <string.h>

static const pep_care *care(pep_rule_ctx *ctx)
{
	return &ctx->m->a.care;
}

/* The initial PEP's limit under T01-T04 (rule 1 to 4): n school or working
 * days after becoming looked after, and who allows it (for the message).
 * False when that rule does not apply to this child: T02 is Kent's for a
 * child with no school place, T01 its rule for the rest; T01 and T04 need
 * the placement (A02 reports a missing one). */
typedef struct initial_limit {
	int n;
	bool school_days;
	const char *who;
} initial_limit;

static bool initial_limit_of(pep_rule_ctx *ctx, int rule, initial_limit *out)
{
	bool placed = care(ctx)->placement.v != 0, unplanned = care(ctx)->placement.v == PEP_UNPLANNED;
	switch (rule) {
	case 1: /* T01: Kent, 000 §2, §3, §4(i): 20 school days, 10 when unplanned */
		if (ctx->no_provision || !placed)
			return false;
		*out = unplanned ? (initial_limit){10, true, "Kent allows 10 for an unplanned placement"}
		                 : (initial_limit){20, true, "Kent allows 20 for a planned placement"};
		return true;
	case 2: /* T02: Kent, 000 §3: no school place, 20 working days */
		if (!ctx->no_provision)
			return false;
		*out = (initial_limit){20, false, "Kent allows 20 working days when the child has no school place"};
		return true;
	case 3: /* T03: Southwark, 001 §2: 10 working days, "as part of the Care Plan" */
		*out = (initial_limit){10, false, "Southwark allows 10 working days"};
		return true;
	case 4: /* T04: DfE statutory guidance para 36 (seed 003): 10 working days
	         * after an emergency placement; otherwise by the first Looked After
	         * Review, 20 working days after becoming looked after */
		if (!placed)
			return false;
		*out = unplanned
		           ? (initial_limit){10, false, "the statutory guidance allows 10 working days after an emergency placement"}
		           : (initial_limit){20, false, "it must be ready for the first Looked After Review, 20 working days after becoming looked after"};
		return true;
	default:
		return false;
	}
}

/* The deadline of an initial PEP under limit l (CAL01 when not covered). */
static bool initial_deadline(pep_rule_ctx *ctx, const initial_limit *l, pep_day *out)
{
	pep_day lac = care(ctx)->became_lac.d;
	return l->school_days ? rc_add_school_days(ctx, lac, l->n, out, ctx->meeting_line)
	                      : rc_add_working_days(ctx, lac, l->n, out, ctx->meeting_line);
}

/* The initial-PEP check shared by T01-T04: the meeting must fall on or
 * before the nth school or working day after the child became looked after. */
static void initial_within(pep_rule_ctx *ctx, int rule)
{
	pep_day lac = care(ctx)->became_lac.d;
	initial_limit l;
	if (!ctx->initial || !initial_limit_of(ctx, rule, &l))
		return;
	if (lac == PEP_NO_DAY || ctx->meeting == PEP_NO_DAY || ctx->meeting < lac)
		return; /* A02, T13 and A08 report these */
	pep_day deadline;
	int held;
	if (!initial_deadline(ctx, &l, &deadline) || ctx->meeting <= deadline)
		return;
	bool ok = l.school_days ? rc_count_school_days(ctx, lac, ctx->meeting, &held, ctx->meeting_line)
	                        : rc_count_working_days(ctx, lac, ctx->meeting, &held, ctx->meeting_line);
	if (!ok)
		return;
	rule_report(ctx, ctx->meeting_line,
	            "initial PEP held %s, %d %s days after becoming looked after on %s (%s; deadline %s%s)",
	            rd(ctx->meeting), held, l.school_days ? "school" : "working", rd(lac), l.who, rd(deadline),
	            l.school_days ? rc_confidence_note(ctx, deadline) : "");
}

void check_t01(pep_rule_ctx *ctx)
{
	initial_within(ctx, 1);
}

void check_t02(pep_rule_ctx *ctx)
{
	initial_within(ctx, 2);
}

void check_t03(pep_rule_ctx *ctx)
{
	initial_within(ctx, 3);
}

void check_t04(pep_rule_ctx *ctx)
{
	initial_within(ctx, 4);
}

pep_day pep_rules_review_limit(pep_day day)
{
	return day == PEP_NO_DAY ? PEP_NO_DAY : pep_date_add_months(day, 6);
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
void check_t05(pep_rule_ctx *ctx)
{
	if (ctx->initial || ctx->meeting == PEP_NO_DAY)
		return;
	pep_day prev = previous_meeting(ctx);
	if (prev == PEP_NO_DAY)
		return;
	pep_day limit = pep_rules_review_limit(prev);
	if (ctx->meeting > limit)
		rule_report(ctx, ctx->meeting_line,
		            "review PEP held %s, %d days after the previous PEP meeting on %s: reviews must be within 6 months "
		            "(by %s); record the reason and hold reviews at least every 6 months",
		            rd(ctx->meeting), ctx->meeting - prev, rd(prev), rd(limit));
}

/* T06: 003 "PEP Sign Off": no sign-off without the next date and time. */
void check_t06(pep_rule_ctx *ctx)
{
	const pep_next_meeting *n = &ctx->m->d.next;
	bool date = n->date.d != PEP_NO_DAY, time = n->time.min >= 0;
	if (date && time)
		return;
	if (!date && !time)
		rule_report(ctx, n->hdr.line,
		            "the next PEP meeting's date and time are not recorded; the PEP cannot be signed off without them: fill in pepMeeting/nextMeeting");
	else if (!time)
		rule_report(ctx, n->time.line, "the next PEP meeting on %s has no time; add pepMeeting/nextMeeting/time (HH:MM)",
		            rd(n->date.d));
	else
		rule_report(ctx, n->date.line, "the next PEP meeting has a time but no date; add pepMeeting/nextMeeting/date");
}

/* T07: 003 "within the statutory 6 month timescale". */
void check_t07(pep_rule_ctx *ctx)
{
	pep_day next = ctx->m->d.next.date.d;
	if (next == PEP_NO_DAY || ctx->meeting == PEP_NO_DAY)
		return;
	pep_day limit = pep_rules_review_limit(ctx->meeting);
	if (next <= ctx->meeting)
		rule_report(ctx, ctx->m->d.next.date.line,
		            "the next PEP meeting (%s) is not after this meeting (%s): set a date after it and within 6 months (by %s)",
		            rd(next), rd(ctx->meeting), rd(limit));
	else if (next > limit)
		rule_report(ctx, ctx->m->d.next.date.line,
		            "the next PEP meeting (%s) is more than 6 months after this meeting (%s): the latest date is %s",
		            rd(next), rd(ctx->meeting), rd(limit));
}

/* T08: Southwark, 001 §2: within 20 school days of starting a new school,
 * counted with the new school's term dates. */
void check_t08(pep_rule_ctx *ctx)
{
	const pep_school *s = &ctx->m->a.school;
	if (!ctx->transition || !s->hdr.present || s->start.d == PEP_NO_DAY || ctx->meeting == PEP_NO_DAY ||
	    ctx->meeting < s->start.d)
		return;
	pep_day deadline;
	int held;
	if (!rc_add_school_days(ctx, s->start.d, 20, &deadline, ctx->meeting_line) || ctx->meeting <= deadline)
		return;
	if (!rc_count_school_days(ctx, s->start.d, ctx->meeting, &held, ctx->meeting_line))
		return;
	rule_report(ctx, ctx->meeting_line,
	            "transition PEP held %s, %d school days after starting at the new school on %s (Southwark allows 20; deadline %s%s)",
	            rd(ctx->meeting), held, rd(s->start.d), rd(deadline), rc_confidence_note(ctx, deadline));
}

/* T09: Kent, 000 §4(ii), §6: all sections marked complete within 10 school
 * days of the meeting; VSK chases the DT on the 10th day. */
#define SIGNOFF_SCHOOL_DAYS 10

void check_t09(pep_rule_ctx *ctx)
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
			list_add(missing, sizeof missing, pep_section_names[s]);
		else if (latest == PEP_NO_DAY || done[s] > latest)
			latest = done[s];
	}
	pep_day deadline;
	int days;
	if (!rc_add_school_days(ctx, ctx->meeting, SIGNOFF_SCHOOL_DAYS, &deadline, so->hdr.line))
		return;
	if (!*missing) {
		if (latest > deadline && rc_count_school_days(ctx, ctx->meeting, latest, &days, so->hdr.line))
			rule_report(ctx, so->hdr.line,
			            "the last section was marked complete on %s, %d school days after the meeting on %s "
			            "(Kent allows 10; deadline %s%s)",
			            rd(latest), days, rd(ctx->meeting), rd(deadline), rc_confidence_note(ctx, deadline));
	} else if (ctx->as_of > deadline && rc_count_school_days(ctx, ctx->meeting, ctx->as_of, &days, so->hdr.line)) {
		rule_report(ctx, so->hdr.line,
		            "section%s %s %s not marked complete (with a date), and by %s %d school days have passed since the "
		            "meeting on %s (Kent allows 10; deadline %s%s): mark %s complete in pepMeeting/signOff",
		            strchr(missing, ',') ? "s" : "", missing, strchr(missing, ',') ? "are" : "is", rd(ctx->as_of), days,
		            rd(ctx->meeting), rd(deadline), rc_confidence_note(ctx, deadline), strchr(missing, ',') ? "them" : "it");
	}
}

/* T10: Southwark, 001 §2: "between 2 - 6 weeks before the child's second and
 * subsequent Looked After Review"; the initial PEP goes to the first. */
void check_t10(pep_rule_ctx *ctx)
{
	if (ctx->initial || ctx->meeting == PEP_NO_DAY)
		return;
	const pep_la_reviews *r = &care(ctx)->reviews;
	if (r->next.d == PEP_NO_DAY) {
		rule_report(ctx, r->hdr.line,
		            "the next Looked After Review date is not recorded (care/lookedAfterReviews/next), so the meeting's "
		            "timing against it cannot be checked; Southwark wants the PEP 2 to 6 weeks before it");
		return;
	}
	int before = r->next.d - ctx->meeting;
	if (before >= 14 && before <= 42)
		return;
	if (before < 0)
		rule_report(ctx, ctx->meeting_line,
		            "the meeting on %s is after the next Looked After Review on %s: Southwark wants it 2 to 6 weeks before (between %s and %s)",
		            rd(ctx->meeting), rd(r->next.d), rd(r->next.d - 42), rd(r->next.d - 14));
	else
		rule_report(ctx, ctx->meeting_line,
		            "the meeting on %s is %d days before the next Looked After Review on %s: Southwark wants it 2 to 6 "
		            "weeks before (between %s and %s)",
		            rd(ctx->meeting), before, rd(r->next.d), rd(r->next.d - 42), rd(r->next.d - 14));
}

/* T11: 000 §1 (two formal PEPs a year), 002 and 004 (termly): every term of
 * this academic year that ended before this meeting, while the child was
 * looked after, has a PEP meeting; and by the summer term there were two.
 * A holiday counts with the term before it. */
void check_t11(pep_rule_ctx *ctx)
{
	if (ctx->meeting == PEP_NO_DAY)
		return;
	pep_term_info terms[3];
	if (!rc_year_terms(ctx, ctx->meeting, terms, ctx->meeting_line))
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
			         rd(terms[t].first));
			list_add(missed, sizeof missed, item);
		}
	}
	if (*missed)
		rule_report(ctx, h->hdr.present ? h->hdr.line : ctx->meeting_line,
		            "no PEP meeting is recorded in the %s, when the child was looked after: a PEP is due each "
		            "term; add the meeting to header/pepHistory if it was held",
		            missed);
	bool summer = ctx->meeting >= terms[2].first;
	bool whole_year = lac == PEP_NO_DAY || lac <= terms[0].first;
	if (summer && whole_year && in_year < 2)
		rule_report(ctx, ctx->meeting_line,
		            "this summer-term meeting is the only PEP meeting recorded in %s: at least two are due in each "
		            "academic year (000 §1)", terms[2].year);
}

/* T12: 003 checklist B, "at least termly": the attainment data is no older
 * than the start of the term of the meeting (autumn, spring or summer). */
void check_t12(pep_rule_ctx *ctx)
{
	const pep_attainment *a = &ctx->m->b.attainment;
	if (!a->hdr.present)
		return; /* B05 says when it is required */
	if (a->data_date.d == PEP_NO_DAY) {
		rule_report(ctx, a->data_date.line,
		            "the attainment data has no date (educationInformation/attainment/dataDate): record when it was collected, at least termly");
		return;
	}
	pep_term_info term;
	if (!rc_term_at(ctx, ctx->ref, &term, a->data_date.line))
		return;
	if (a->data_date.d < term.first)
		rule_report(ctx, a->data_date.line,
		            "the attainment data is dated %s, before the start of the current term (the %s term %s began on %s%s): "
		            "update it before the meeting",
		            rd(a->data_date.d), pep_season_names[term.season], term.year, rd(term.first),
		            rc_confidence_note(ctx, term.first));
}

/* T13: data integrity: the meeting has happened by the as-of date. */
void check_t13(pep_rule_ctx *ctx)
{
	if (ctx->meeting == PEP_NO_DAY)
		rule_report(ctx, ctx->m->d.hdr.line,
		            "the meeting date is not recorded (pepMeeting/date): a PEP is signed off after its meeting");
	else if (ctx->meeting > ctx->as_of)
		rule_report(ctx, ctx->meeting_line,
		            "the meeting date %s is after the as-of date %s: a PEP cannot be signed off before its meeting "
		            "(check the date, or --as-of)",
		            rd(ctx->meeting), rd(ctx->as_of));
}

/* ------------------------------------------------------------------ */
/* The deadlines, for the caseload                                      */
/* ------------------------------------------------------------------ */

void pep_rules_deadlines(const pep_model *m, const pep_rules_env *env, pep_deadlines *out)
{
	pep_diags *scratch = pep_diags_new(""); /* CAL01 lands here, unread */
	pep_rule_ctx ctx;
	rule_ctx_init(&ctx, m, env, scratch);
	*out = (pep_deadlines){PEP_NO_DAY, NULL, PEP_NO_DAY, NULL, PEP_NO_DAY, false, PEP_NO_DAY};
	static const char *const initial_ids[] = {"", "T01", "T02", "T03", "T04"};
	for (int r = 1; r <= 4 && ctx.initial && care(&ctx)->became_lac.d != PEP_NO_DAY; r++) {
		initial_limit l;
		ctx.rule = pep_rule_find(initial_ids[r]);
		if (!(ctx.rule->profiles & (unsigned)ctx.profile) || !initial_limit_of(&ctx, r, &l))
			continue;
		if (initial_deadline(&ctx, &l, &out->initial))
			out->initial_rule = ctx.rule->id;
		else
			out->initial = PEP_NO_DAY;
		break;
	}
	if (ctx.meeting != PEP_NO_DAY) {
		out->review = pep_rules_review_limit(ctx.meeting);
		out->review_rule = "T07";
		ctx.rule = pep_rule_find("T09");
		out->signoff_rule = (ctx.rule->profiles & (unsigned)ctx.profile) != 0;
		if (!rc_add_school_days(&ctx, ctx.meeting, SIGNOFF_SCHOOL_DAYS, &out->signoff, 0))
			out->signoff = PEP_NO_DAY;
	} else {
		pep_day last = PEP_NO_DAY;
		const pep_history *h = &m->header.history;
		for (size_t i = 0; i < h->meetings.n; i++)
			if (h->meetings.v[i].date.d != PEP_NO_DAY && (last == PEP_NO_DAY || h->meetings.v[i].date.d > last))
				last = h->meetings.v[i].date.d;
		if (last != PEP_NO_DAY) {
			out->review = pep_rules_review_limit(last);
			out->review_rule = "T05";
		}
	}
	/* The first date a count needed that no calendar covers (CAL01). */
	if (ctx.ncal01)
		out->uncovered = ctx.cal01[0];
	pep_diags_free(scratch);
}
