/* rules_a.c: section A, essential pupil information (A01-A08). */
#include "rules_impl.h"

#include <stdio.h>
#include <string.h>

/* A01: 003 checklist A. */
void pep_check_A01(pep_rule_ctx *ctx)
{
	const pep_personal *p = &ctx->m->a.personal;
	char missing[160] = "";
	if (BLANK(p->legal_name.given) || BLANK(p->legal_name.family))
		pep_list_add(missing, sizeof missing, "the legal name (given and family names)");
	if (p->dob.d == PEP_NO_DAY)
		pep_list_add(missing, sizeof missing, "the date of birth");
	if (BLANK(p->upn) && BLANK(p->la_child_id))
		pep_list_add(missing, sizeof missing, "an identifier (the UPN or the LA child id)");
	if (*missing)
		pep_rule_report(ctx, p->hdr.line, "personal information is missing %s: fill in {essentialInformation/personal|the child's personal details}", missing);
}

/* A02: 000 §4(i)(ii): the social worker keeps the care details. */
void pep_check_A02(pep_rule_ctx *ctx)
{
	const pep_care *c = &ctx->m->a.care;
	char missing[200] = "";
	if (c->became_lac.d == PEP_NO_DAY)
		pep_list_add(missing, sizeof missing, "the date the child became looked after");
	if (!c->placement.v)
		pep_list_add(missing, sizeof missing, "whether the placement was planned or unplanned");
	if (BLANK(c->carer.name))
		pep_list_add(missing, sizeof missing, "the carer's name");
	if (BLANK(c->carer.phone) && BLANK(c->carer.email))
		pep_list_add(missing, sizeof missing, "the carer's contact (phone or email)");
	if (BLANK(c->social_worker.name))
		pep_list_add(missing, sizeof missing, "the social worker");
	if (*missing)
		pep_rule_report(ctx, c->hdr.line, "care information is missing %s: the social worker fills in {essentialInformation/care|the care details}",
		                missing);
}

/* A03: 003 checklist A. A post-16 young person's setting (college,
 * training provider, employer) may stand in post16/setting instead. */
void pep_check_A03(pep_rule_ctx *ctx)
{
	const pep_school *s = &ctx->m->a.school;
	if (ctx->no_provision)
		return;
	if (!s->hdr.present) {
		if (ctx->post16 && !BLANK(ctx->m->b.post16.setting))
			return;
		pep_rule_report(ctx, ctx->m->a.hdr.line,
		                "school information is missing: add {essentialInformation/school (or noEducationalProvision when the "
		                "child has no school or setting)|the school's details (or record that the child has no school or "
		                "setting)}");
		return;
	}
	char missing[160] = "";
	if (BLANK(s->name))
		pep_list_add(missing, sizeof missing, "the school's name");
	if (!s->year.v)
		pep_list_add(missing, sizeof missing, "the year group");
	if (BLANK(s->dt.name))
		pep_list_add(missing, sizeof missing, "the designated teacher");
	if (*missing)
		pep_rule_report(ctx, s->hdr.line, "school information is missing %s: fill in {essentialInformation/school|the school's details}", missing);
}

/* A04: 003 checklist A: "All sections must be completed by the social worker
 * and the SDQ score must be entered". The SDQ is the statutory measure for
 * children aged 4 to 16, so it is required at those ages (and when the age is
 * not known). */
void pep_check_A04(pep_rule_ctx *ctx)
{
	const pep_health *h = &ctx->m->a.health;
	char missing[200] = "";
	if (BLANK(h->health_issues))
		pep_list_add(missing, sizeof missing, "health issues affecting education (write none if none)");
	if (BLANK(h->wellbeing))
		pep_list_add(missing, sizeof missing, "emotional wellbeing");
	pep_day dob = ctx->m->a.personal.dob.d;
	int age = dob == PEP_NO_DAY ? -1 : pep_age_on(dob, ctx->ref);
	bool sdq_needed = age < 0 || (age >= 4 && age <= 16);
	if (sdq_needed && !h->sdq.score.set)
		pep_list_add(missing, sizeof missing, "the SDQ score (0-40)");
	if (sdq_needed && h->sdq.date.d == PEP_NO_DAY)
		pep_list_add(missing, sizeof missing, "the date of the SDQ");
	if (*missing)
		pep_rule_report(ctx, h->hdr.line, "health and emotional wellbeing is missing %s: the social worker completes "
		                "{essentialInformation/health|the health and emotional wellbeing details}",
		                missing);
}

/* A05: Kent, 000 §2, §4(ii). */
void pep_check_A05(pep_rule_ctx *ctx)
{
	const pep_enumf *c = &ctx->m->d.sw_confirmed;
	if (c->v != PEP_YES)
		pep_rule_report(ctx, c->line,
		                "the social worker's confirmation of section A at the meeting is not recorded"
		                "{ (pepMeeting/socialWorkerConfirmedSectionA is not yes)|}: check section A with them");
}

/* A06: the DfE UPN specification: the first character is a check letter
 * computed from the other 12. */
void pep_check_A06(pep_rule_ctx *ctx)
{
	const pep_text *u = &ctx->m->a.personal.upn;
	if (BLANK(*u))
		return;
	char want = pep_upn_check_letter(u->s);
	/* The UPN itself identifies a child: messages quote only the letters. */
	if (!want)
		pep_rule_report(ctx, u->line, "the UPN is not 13 characters of the DfE form (a letter, 11 digits, a digit or letter)");
	else if (want != u->s[0])
		pep_rule_report(ctx, u->line,
		                "the UPN's check letter is %c, but its other 12 characters give %c (DfE UPN specification): check the "
		                "number with the school",
		                u->s[0], want);
}

/* A07: the English school year: a child's year group follows from their age
 * on 31 August before the school year (Reception at 4, Year 1 at 5, ...). */
void pep_check_A07(pep_rule_ctx *ctx)
{
	pep_day dob = ctx->m->a.personal.dob.d;
	if (dob == PEP_NO_DAY || !ctx->year)
		return;
	int start = pep_cal_academic_year(ctx->ref);
	pep_day aug31 = pep_date_from_ymd(start, 8, 31);
	int age = pep_age_on(dob, aug31);
	int expected_age = pep_year_age(ctx->year);
	if (age == expected_age || age < 2)
		return;
	int line = ctx->m->a.school.hdr.present ? ctx->m->a.school.year.line : ctx->m->a.no_provision.year.line;
	/* The year group the age gives: N1 (index 1) at 2, and so on. */
	int idx = age - 1;
	const char *by_age = idx >= 1 && idx <= PEP_YEAR_14 ? pep_year_labels[idx] : (age > 18 ? "beyond Year 14" : "");
	pep_rule_report(ctx, line,
	                "year group %s does not match the date of birth%s%s: aged %d on 31 August %d, the child's year group in "
	                "%d-%02d is %s (ignore this if the child is taught out of their year group)",
	                pep_year_names[ctx->year], ctx->redact ? "" : " ", ctx->redact ? "" : pep_ymd(dob), age, start, start,
	                (start + 1) % 100, by_age);
}

/* A08: data integrity. */
void pep_check_A08(pep_rule_ctx *ctx)
{
	const pep_model *m = ctx->m;
	pep_day dob = m->a.personal.dob.d, lac = m->a.care.became_lac.d, start = m->a.school.start.d;
	/* The date of birth is quoted only when not redacted (batch reports). */
	const char *birth = ctx->redact ? "(not shown)" : pep_ymd(dob);
	if (dob != PEP_NO_DAY && lac != PEP_NO_DAY && lac <= dob)
		pep_rule_report(ctx, m->a.care.became_lac.line,
		                "the child became looked after on %s, not after the date of birth %s: check both dates", pep_ymd(lac), birth);
	if (lac != PEP_NO_DAY && ctx->meeting != PEP_NO_DAY && ctx->meeting < lac)
		pep_rule_report(ctx, ctx->meeting_line,
		                "the meeting on %s is before the child became looked after on %s: check both dates", pep_ymd(ctx->meeting),
		                pep_ymd(lac));
	if (dob != PEP_NO_DAY && start != PEP_NO_DAY && start < dob)
		pep_rule_report(ctx, m->a.school.start.line, "the school start date %s is before the date of birth %s: check both dates",
		                pep_ymd(start), birth);
}
