/* rules_b.c: section B, education information (B01-B11). */
#include "rules_impl.h"

#include <stdio.h>
#include <string.h>

/* Whether the child has a school place whose attendance counts. */
static bool attends_school(pep_rule_ctx *ctx)
{
	return ctx->m->a.school.hdr.present && !ctx->neet;
}

/* B01: 003 checklist B: "complete all sections, including the date range". */
void pep_check_B01(pep_rule_ctx *ctx)
{
	if (!attends_school(ctx))
		return;
	const pep_attendance *a = &ctx->m->b.attendance;
	char missing[120] = "";
	if (!a->percentage.set)
		pep_list_add(missing, sizeof missing, "the percentage");
	if (a->from.d == PEP_NO_DAY)
		pep_list_add(missing, sizeof missing, "the first day it covers");
	if (a->to.d == PEP_NO_DAY)
		pep_list_add(missing, sizeof missing, "the last day it covers");
	if (*missing)
		pep_rule_report(ctx, a->hdr.line, "attendance is missing %s: the designated teacher fills in {educationInformation/attendance|the attendance details}",
		                missing);
	else if (a->from.d > a->to.d)
		pep_rule_report(ctx, a->from.line, "the attendance period runs from %s to %s, backwards: check the dates",
		                pep_ymd(a->from.d), pep_ymd(a->to.d));
}

/* B02: 003 checklist B: below 90 %, a target prompt appears and must be
 * completed. */
void pep_check_B02(pep_rule_ctx *ctx)
{
	const pep_attendance *a = &ctx->m->b.attendance;
	if (!attends_school(ctx) || !a->percentage.set || a->percentage.v >= 9000)
		return;
	const pep_targets *t = &ctx->m->d.targets;
	for (size_t i = 0; i < t->items.n; i++)
		if (t->items.v[i].area.v == PEP_AREA_ATTENDANCE)
			return;
	pep_rule_report(ctx, a->percentage.line,
	                "attendance is %lld.%02lld %%, below 90 %%, but no new target is in the attendance area: add one "
	                "{in pepMeeting/targets|to the new targets}",
	                (long long)(a->percentage.v / 100), (long long)(a->percentage.v % 100));
}

/* B03: 003 checklist B: with fewer than 25 hours or a personalised package
 * "all sections must be completed". */
void pep_check_B03(pep_rule_ctx *ctx)
{
	const pep_reduced *r = &ctx->m->b.reduced;
	const pep_school *s = &ctx->m->a.school;
	bool reduced = r->in_place.v == PEP_YES || r->personalised.v == PEP_YES;
	if (!reduced) {
		if (s->hdr.present && s->full_time.v == PEP_NO && !ctx->post16)
			pep_rule_report(ctx, s->full_time.line,
			                "the school records the child as not full time, but no reduced timetable or personalised package is "
			                "recorded: fill in {educationInformation/reducedTimetable|the reduced timetable details}");
		return;
	}
	char missing[160] = "";
	if (!r->hours.set)
		pep_list_add(missing, sizeof missing, "the hours a week");
	if (BLANK(r->reason))
		pep_list_add(missing, sizeof missing, "the reason");
	if (BLANK(r->plan))
		pep_list_add(missing, sizeof missing, "the plan to return to full time");
	if (r->review.d == PEP_NO_DAY)
		pep_list_add(missing, sizeof missing, "the review date");
	if (*missing)
		pep_rule_report(ctx, r->hdr.line, "the reduced timetable or personalised package is missing %s", missing);
}

/* B04: 003 checklist B: the education and support provision "should always
 * be completed if there has been an exclusion". */
void pep_check_B04(pep_rule_ctx *ctx)
{
	const pep_exclusions *e = &ctx->m->b.exclusions;
	for (size_t i = 0; i < e->items.n; i++)
		if (BLANK(e->items.v[i].provision))
			pep_rule_report(ctx, e->items.v[i].hdr.line,
			                "exclusion %zu (from %s) does not record the education and support provision put in place: fill in its provision",
			                i + 1, pep_ymd(e->items.v[i].date.d));
}

/* Subject names that count as English and as maths, in school and early
 * years terms. */
static bool is_english(const char *s)
{
	return pep_text_mentions(s, "english") || pep_text_mentions(s, "reading") || pep_text_mentions(s, "writing") ||
	       pep_text_mentions(s, "literacy") || pep_text_mentions(s, "phonics");
}

static bool is_maths(const char *s)
{
	return pep_text_mentions(s, "math") || pep_text_mentions(s, "numeracy");
}

/* B05: 003 checklist B: attainment and progress "must be completed prior to
 * any PEP meeting"; post-16, for full-time study only. */
void pep_check_B05(pep_rule_ctx *ctx)
{
	const pep_model *m = ctx->m;
	bool full_time = (m->a.school.hdr.present && m->a.school.full_time.v == PEP_YES && !ctx->neet) ||
	                 m->b.post16.participation.v == PEP_PART_FT_EDUCATION;
	if (!full_time)
		return;
	const pep_attainment *a = &m->b.attainment;
	if (!a->hdr.present || a->subjects.n == 0) {
		pep_rule_report(ctx, a->hdr.present ? a->hdr.line : m->b.hdr.line,
		                "attainment and progress is not completed for a child in full-time education: the designated teacher "
		                "records at least English and maths{ in educationInformation/attainment|}");
		return;
	}
	bool english = false, maths = false;
	for (size_t i = 0; i < a->subjects.n; i++) {
		const pep_subject *s = &a->subjects.v[i];
		english |= is_english(s->name.s);
		maths |= is_maths(s->name.s);
		if (!BLANK(s->current))
			continue;
		/* The subject's name is free text: a batch report gives its number
		 * instead. */
		char where[80] = ""; /* the path, in the canonical format only */
		if (!ctx->field_words)
			snprintf(where, sizeof where, " (educationInformation/attainment/subject[%zu])", i + 1);
		if (BLANK(s->name))
			pep_rule_report(ctx, s->hdr.line,
			                "attainment subject %zu has neither a name nor a current attainment: fill in its name and "
			                "current attainment%s",
			                i + 1, where);
		else if (ctx->redact)
			pep_rule_report(ctx, s->hdr.line,
			                "attainment subject %zu (name not shown) has no current attainment recorded: fill in its "
			                "current attainment{ (educationInformation/attainment/subject/current)|}",
			                i + 1);
		else
			pep_rule_report(ctx, s->hdr.line,
			                "attainment in %s has no current attainment recorded: fill in its current attainment"
			                "{ (educationInformation/attainment/subject/current)|}",
			                s->name.s);
	}
	if (!english || !maths)
		pep_rule_report(ctx, a->hdr.line, "attainment and progress has no %s%s%s: record at least English and maths",
		                english ? "" : "English", !english && !maths ? " and no " : "", maths ? "" : "maths");
}

/* B06, B07: 003 checklist B: the plan "must be attached to the front of the
 * PEP in the Documents folder". */
void pep_check_B06(pep_rule_ctx *ctx)
{
	const pep_sen *s = &ctx->m->b.sen;
	if (s->status.v == PEP_SEN_SUPPORT && !pep_has_attachment(ctx->m, PEP_ATTACH_MY_SUPPORT_PLAN))
		pep_rule_report(ctx, s->status.line,
		                "the child has SEN support, but no My Support Plan is attached: attach it{ (attachments, kind my-support-plan)|}");
}

void pep_check_B07(pep_rule_ctx *ctx)
{
	const pep_sen *s = &ctx->m->b.sen;
	if (s->status.v == PEP_SEN_EHC_PLAN && !pep_has_attachment(ctx->m, PEP_ATTACH_EHC_PLAN))
		pep_rule_report(ctx, s->status.line,
		                "the child has an EHC plan, but it is not attached: attach it{ (attachments, kind ehc-plan)|}");
}

/* B08: 003 checklist B: "if no extra support is in place please write 'none'". */
void pep_check_B08(pep_rule_ctx *ctx)
{
	if (BLANK(ctx->m->b.extra_support))
		pep_rule_report(ctx, ctx->m->b.extra_support.line,
		                "extra support is not filled in: describe the support in place, or write none{ (educationInformation/extraSupport)|}");
}

/* B09: 003 checklist B: the 14-19+ plan "must be completed for all young
 * people in Years 10 and 11"; post-16 "within the academic year", with a
 * date. */
void pep_check_B09(pep_rule_ctx *ctx)
{
	if (!(ctx->year == PEP_YEAR_10 || ctx->year == PEP_YEAR_11 || ctx->post16))
		return;
	const pep_plan1419 *p = &ctx->m->b.plan1419;
	char missing[160] = "";
	if (BLANK(p->aspirations) && BLANK(p->options) && BLANK(p->careers_advice))
		pep_list_add(missing, sizeof missing, "its content (aspirations, careers advice, options)");
	if (BLANK(p->completed_by))
		pep_list_add(missing, sizeof missing, "who completed it");
	if (p->date.d == PEP_NO_DAY)
		pep_list_add(missing, sizeof missing, "when");
	if (*missing)
		pep_rule_report(ctx, p->hdr.present ? p->hdr.line : ctx->m->b.hdr.line,
		                "the 14-19+ plan for education, employment and training is missing %s (required in Years 10 and 11 and post-16)",
		                missing);
}

/* B10: 001 §8: find out why, and an action plan into provision. */
void pep_check_B10(pep_rule_ctx *ctx)
{
	const pep_no_provision *n = &ctx->m->a.no_provision;
	if (!ctx->no_provision)
		return;
	char missing[120] = "";
	if (BLANK(n->reason))
		pep_list_add(missing, sizeof missing, "why the child is not in provision");
	if (BLANK(n->action_plan))
		pep_list_add(missing, sizeof missing, "the action plan to get them into provision");
	if (*missing)
		pep_rule_report(ctx, n->hdr.line, "the child has no educational provision, but the PEP does not record %s", missing);
}

/* B11: 003 checklist B; 001 §4 (schools attended and the reasons for leaving). */
void pep_check_B11(pep_rule_ctx *ctx)
{
	const pep_prev_schools *p = &ctx->m->b.prev_schools;
	if (p->items.n == 0 && p->none.v != PEP_YES)
		pep_rule_report(ctx, p->hdr.present ? p->hdr.line : ctx->m->b.hdr.line,
		                "the previous schools history is not recorded: list earlier schools and settings with the reasons for "
		                "leaving, or {write <previousSchools none=\"yes\"/>|record that there were none}");
}
