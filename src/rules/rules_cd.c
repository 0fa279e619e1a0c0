/* rules_cd.c: section C, the young person's views (C01-C03), and section D,
 * the meeting (D01-D12). */
#include "rules_impl.h"

#include <stdio.h>
#include <string.h>

#include "strbuf.h"

static bool views_recorded(const pep_model *m)
{
	const pep_section_c *c = &m->c;
	return !BLANK(c->enjoys) || !BLANK(c->finds_hard) || !BLANK(c->helps) || !BLANK(c->hopes) || !BLANK(c->wants) ||
	       pep_has_attachment(m, PEP_ATTACH_POST16_VIEWS);
}

/* C01: 003 checklist C: completed by or with the young person before the
 * meeting; post-16, the YP views template attached. */
void pep_check_C01(pep_rule_ctx *ctx)
{
	const pep_section_c *c = &ctx->m->c;
	if (!views_recorded(ctx->m))
		pep_rule_report(ctx, c->hdr.line,
		                "the young person's views are not recorded: complete {youngPersonsViews|them} with or by the child before the "
		                "meeting (post-16: attach the views template)");
	else if (c->date.d == PEP_NO_DAY)
		pep_rule_report(ctx, c->date.line, "the young person's views are not dated: add {youngPersonsViews/date|the date they were recorded}");
	else if (ctx->meeting != PEP_NO_DAY && c->date.d > ctx->meeting)
		pep_rule_report(ctx, c->date.line,
		                "the young person's views are dated %s, after the meeting on %s: they must be gathered before it",
		                pep_ymd(c->date.d), pep_ymd(ctx->meeting));
}

/* C02: 000 §4(v) (an adult to advocate for them), 001 §5. */
void pep_check_C02(pep_rule_ctx *ctx)
{
	const pep_section_c *c = &ctx->m->c;
	if (c->attended.v == PEP_ATTENDED_NONE && BLANK(c->nominated.name) && BLANK(c->completed_with.name))
		pep_rule_report(ctx, c->attended.line,
		                "the child did not attend, and neither a nominated adult to speak for them nor an adult who recorded "
		                "their views with them is named: fill in {youngPersonsViews/nominatedAdult or completedWith|who spoke for them "
		                "or who recorded their views}");
}

/* C03: 003 checklist C: "write a comment to say this in The PEP Meeting
 * section". */
void pep_check_C03(pep_rule_ctx *ctx)
{
	const pep_model *m = ctx->m;
	if (m->c.sen_form.v == PEP_YES && !pep_text_mentions(m->d.summary.s, "pupil view") &&
	    !pep_text_mentions(m->d.summary.s, "pupil-view"))
		pep_rule_report(ctx, m->d.summary.line,
		                "the SEN pupil-view form was used, but the meeting summary does not say so: mention the SEN pupil view "
		                "{in pepMeeting/summary|in the meeting summary}");
}

static bool attended(const pep_attendee *a)
{
	return a->status.v == PEP_ATTENDEE_STATUS_UNSET || a->status.v == PEP_STATUS_PRESENT;
}

/* D01: 000 §5: "must include the social worker and the Designated Teacher or
 * designated teacher support staff member". With no educational provision
 * there is no school; the virtual school stands in (000 §4(iii)). */
void pep_check_D01(pep_rule_ctx *ctx)
{
	const pep_attendees *a = &ctx->m->d.attendees;
	bool sw = false, dt = false;
	for (size_t i = 0; i < a->items.n; i++) {
		const pep_attendee *p = &a->items.v[i];
		if (!attended(p))
			continue;
		int r = p->role.v;
		sw |= r == PEP_ROLE_SOCIAL_WORKER;
		dt |= r == PEP_ROLE_DESIGNATED_TEACHER || r == PEP_ROLE_DT_SUPPORT || r == PEP_ROLE_DESIGNATED_PROFESSIONAL ||
		      (ctx->no_provision && r == PEP_ROLE_VIRTUAL_SCHOOL);
	}
	if (sw && dt)
		return;
	pep_rule_report(ctx, a->hdr.present ? a->hdr.line : ctx->m->d.hdr.line,
	                "the attendees present do not include %s%s%s: both must attend the PEP meeting (record them with status present)",
	                sw ? "" : "the social worker", !sw && !dt ? " or " : "",
	                dt ? "" : ctx->no_provision ? "the designated teacher or the virtual school" : "the designated teacher (or DT support staff)");
}

/* Whether text refers to the carer: the word carer or foster, or one of the
 * words of the carer's name or relationship as section A records them
 * ("Mrs Holloway said...", "her key worker's view..."). */
static bool mentions_carer(const pep_model *m, const char *text)
{
	if (pep_text_mentions(text, "carer") || pep_text_mentions(text, "foster"))
		return true;
	static const char *const skip[] = {"and", "the", "mrs", "mr", "ms", "miss", "dr", "for", "with", "of", NULL};
	const pep_text *fields[] = {&m->a.care.carer.name, &m->a.care.carer.relationship};
	for (size_t f = 0; f < 2; f++) {
		const char *p = fields[f]->s;
		while (p && *p) {
			char word[64];
			size_t n = 0;
			while (*p && (*p == ' ' || *p == ',' || *p == '(' || *p == ')' || *p == '-' || *p == '/' || *p == '.'))
				p++;
			while (*p && !(*p == ' ' || *p == ',' || *p == '(' || *p == ')' || *p == '/' || *p == '.') && n < sizeof word - 1)
				word[n++] = *p++;
			word[n] = '\0';
			bool common = n < 3;
			for (size_t k = 0; skip[k] && !common; k++)
				common = pep_text_mentions(word, skip[k]) && strlen(skip[k]) == n;
			if (!common && pep_text_mentions(text, word))
				return true;
		}
	}
	return false;
}

/* D02: 003 checklist D: the summary "links all of the other sections
 * together": the targets reviewed, the attainment/progress or attendance
 * data, and how the child's and the carer's views were considered. */
void pep_check_D02(pep_rule_ctx *ctx)
{
	const pep_text *s = &ctx->m->d.summary;
	if (BLANK(*s)) {
		pep_rule_report(ctx, s->line, "the meeting summary is empty: say what the review of targets, the attainment or "
		                "attendance data, and the child's and carer's views showed");
		return;
	}
	char missing[160] = "";
	if (!pep_text_mentions(s->s, "target"))
		pep_list_add(missing, sizeof missing, "the review of targets");
	if (!pep_text_mentions(s->s, "attain") && !pep_text_mentions(s->s, "progress") && !pep_text_mentions(s->s, "attend"))
		pep_list_add(missing, sizeof missing, "attainment, progress or attendance");
	if (!pep_text_mentions(s->s, "view") && !pep_text_mentions(s->s, " said") && !pep_text_mentions(s->s, "told us") &&
	    !pep_text_mentions(s->s, "wants") && !pep_text_mentions(s->s, "asked"))
		pep_list_add(missing, sizeof missing, "the child's views");
	if (!mentions_carer(ctx->m, s->s))
		pep_list_add(missing, sizeof missing, "the carer's views");
	size_t len = strlen(s->s);
	if (*missing)
		pep_rule_report(ctx, s->line, "the meeting summary does not refer to %s: it should link the sections together (" PEP_DOC_KIRKLEES_CHECKLIST " D)",
		                missing);
	else if (len < 200)
		pep_rule_report(ctx, s->line, "the meeting summary is %zu characters long, under 200: say more about what was found and agreed ("
		                PEP_DOC_KIRKLEES_CHECKLIST " D)",
		                len);
}

/* D03: 000 §4(ii), §5; 003 checklist D: review each previous target. */
void pep_check_D03(pep_rule_ctx *ctx)
{
	const pep_prev_targets *p = &ctx->m->d.prev_targets;
	const pep_history *h = &ctx->m->header.history;
	if (p->items.n == 0 && !ctx->initial && h->meetings.n > 0) {
		pep_rule_report(ctx, p->hdr.present ? p->hdr.line : ctx->m->d.hdr.line,
		                "the PEP history shows an earlier PEP meeting, but no previous target is reviewed: list each of its "
		                "targets {in pepMeeting/previousTargets|among the previous targets} with an outcome");
		return;
	}
	for (size_t i = 0; i < p->items.n; i++)
		if (!p->items.v[i].outcome.v)
			pep_rule_report(ctx, p->items.v[i].outcome.line,
			                "previous target %zu has no outcome: record achieved, partly-achieved, not-achieved or carried-forward",
			                i + 1);
}

/* D04: 001 §7: "1 to 3 targets should be agreed with the child"; the
 * LA's own number where its profile sets one. */
void pep_check_D04(pep_rule_ctx *ctx)
{
	const pep_targets *t = &ctx->m->d.targets;
	const pep_limit *l = &ctx->profile->targets;
	size_t lo = (size_t)l->n, hi = (size_t)(l->max ? l->max : l->n);
	if (t->items.n >= lo && t->items.n <= hi)
		return;
	pep_rule_report(ctx, t->hdr.present ? t->hdr.line : ctx->m->d.hdr.line,
	                "%zu new targets are set: agree between %zu and %zu with the child (%s)", t->items.n, lo, hi,
	                l->source);
}

/* D05: 001 §4, §7: "There should be at least one academic target". */
void pep_check_D05(pep_rule_ctx *ctx)
{
	const pep_targets *t = &ctx->m->d.targets;
	for (size_t i = 0; i < t->items.n; i++)
		if (t->items.v[i].area.v == PEP_AREA_ACADEMIC)
			return;
	pep_rule_report(ctx, t->hdr.present ? t->hdr.line : ctx->m->d.hdr.line,
	                "no new target is academic: set at least one target in the academic area (" PEP_DOC_SOUTHWARK " §7)");
}

/* D06: SMART (000 §4(ii), 001 §7, 004): specific, measurable, timed within
 * the next meeting and 6 months. */
void pep_check_D06(pep_rule_ctx *ctx)
{
	const pep_targets *t = &ctx->m->d.targets;
	pep_day next = ctx->m->d.next.date.d;
	int months = ctx->profile->review.n;
	pep_day six = ctx->meeting != PEP_NO_DAY ? pep_date_add_months(ctx->meeting, months) : PEP_NO_DAY;
	for (size_t i = 0; i < t->items.n; i++) {
		const pep_target *g = &t->items.v[i];
		char missing[120] = "";
		if (BLANK(g->description.text))
			pep_list_add(missing, sizeof missing, "a description");
		if (BLANK(g->success))
			pep_list_add(missing, sizeof missing, "a measurable success criterion");
		if (g->deadline.d == PEP_NO_DAY)
			pep_list_add(missing, sizeof missing, "a deadline");
		if (*missing) {
			pep_rule_report(ctx, g->hdr.line, "target %zu is not SMART: it lacks %s", i + 1, missing);
			continue;
		}
		if (next != PEP_NO_DAY && g->deadline.d > next)
			pep_rule_report(ctx, g->deadline.line,
			                "target %zu's deadline %s is after the next PEP meeting on %s: set it on or before that meeting",
			                i + 1, pep_ymd(g->deadline.d), pep_ymd(next));
		else if (six != PEP_NO_DAY && g->deadline.d > six)
			pep_rule_report(ctx, g->deadline.line,
			                "target %zu's deadline %s is more than %d months after the meeting: set it by %s at the latest",
			                i + 1, pep_ymd(g->deadline.d), months, pep_ymd(six));
	}
}

/* D07: 001 §7: "which adults are going to help ... how ... and how often". */
void pep_check_D07(pep_rule_ctx *ctx)
{
	const pep_targets *t = &ctx->m->d.targets;
	for (size_t i = 0; i < t->items.n; i++) {
		const pep_target *g = &t->items.v[i];
		char missing[80] = "";
		if (BLANK(g->who))
			pep_list_add(missing, sizeof missing, "who will help");
		if (BLANK(g->how))
			pep_list_add(missing, sizeof missing, "how");
		if (BLANK(g->how_often))
			pep_list_add(missing, sizeof missing, "how often");
		if (*missing)
			pep_rule_report(ctx, g->hdr.line, "target %zu does not say %s", i + 1, missing);
	}
}

/* D08: 003 checklist D ("funding clearly identified"; none post-16), 004
 * (a clear breakdown of what PP+ buys). */
void pep_check_D08(pep_rule_ctx *ctx)
{
	const pep_targets *t = &ctx->m->d.targets;
	for (size_t i = 0; i < t->items.n; i++) {
		const pep_ppplus *pp = &t->items.v[i].pp;
		if (!pp->hdr.present)
			continue;
		bool amount = pp->amount.set && pp->amount.v > 0;
		if (ctx->post16 && amount) {
			pep_rule_report(ctx, pp->amount.line,
			                "target %zu requests PP+ funding (£%lld.%02lld), but Pupil Premium Plus is not available post-16 ("
			                PEP_DOC_KIRKLEES_POST16 "): remove the request",
			                i + 1, (long long)(pp->amount.v / 100), (long long)(pp->amount.v % 100));
			continue;
		}
		if (!amount && BLANK(pp->buys))
			continue; /* an empty request */
		if (!amount)
			pep_rule_report(ctx, pp->hdr.line, "target %zu's PP+ request does not state an amount", i + 1);
		else if (BLANK(pp->buys))
			pep_rule_report(ctx, pp->hdr.line, "target %zu's PP+ request of £%lld.%02lld does not say what it buys", i + 1,
			                (long long)(pp->amount.v / 100), (long long)(pp->amount.v % 100));
	}
}

/* D09: 000 §4(ii), §5; 003: all sections "marked completed", each by whom
 * and when. The message says exactly what each section lacks. */
void pep_check_D09(pep_rule_ctx *ctx)
{
	const pep_signoff *so = &ctx->m->d.signoff;
	enum { NO_BY, NO_DATE, NEITHER, KINDS };
	static const char *const lacks[KINDS] = {"by whom", "when", "by whom or when"};
	char missing[64] = "", incomplete[KINDS][64] = {"", "", ""};
	for (int s = PEP_SECTION_A; s <= PEP_SECTION_D; s++) {
		const pep_completion *c = NULL;
		for (size_t i = 0; i < so->sections.n; i++)
			if (so->sections.v[i].section.v == s)
				c = &so->sections.v[i];
		bool by = c && !BLANK(c->by), date = c && c->date.d != PEP_NO_DAY;
		if (!c)
			pep_list_add(missing, sizeof missing, pep_section_names[s]);
		else if (!by || !date)
			pep_list_add(incomplete[!by && !date ? NEITHER : !by ? NO_BY : NO_DATE], sizeof incomplete[0],
			             pep_section_names[s]);
	}
	int line = so->hdr.present ? so->hdr.line : ctx->m->d.hdr.line;
	if (*missing)
		pep_rule_report(ctx, line, "section%s %s %s not marked complete: each section is marked complete {in pepMeeting/signOff|in the sign-off}",
		                strchr(missing, ',') ? "s" : "", missing, strchr(missing, ',') ? "are" : "is");
	pep_buf b = PEP_BUF_INIT;
	bool want_by = false, want_date = false;
	for (int k = 0; k < KINDS; k++) {
		if (!*incomplete[k])
			continue;
		pep_buf_printf(&b, "%s section%s %s%s %s", b.len ? "; of" : "the completion of",
		               strchr(incomplete[k], ',') ? "s" : "", incomplete[k], b.len ? "," : " does not say", lacks[k]);
		want_by |= k != NO_DATE;
		want_date |= k != NO_BY;
	}
	if (b.len)
		pep_rule_report(ctx, line, "%s: fill in %s{ (pepMeeting/signOff/sectionComplete)|}", pep_buf_str(&b),
		                want_by && want_date ? "who marked each complete (by) and when (date)"
		                : want_by            ? "who marked each complete (by)"
		                                     : "when each was marked complete (date)");
	pep_buf_free(&b);
}

/* D10: Kent and Kirklees, 000 §2, §6; 003: the virtual school quality
 * assures before upload. */
void pep_check_D10(pep_rule_ctx *ctx)
{
	const pep_qa *q = &ctx->m->d.signoff.qa;
	char missing[80] = "";
	if (BLANK(q->by))
		pep_list_add(missing, sizeof missing, "by whom");
	if (q->date.d == PEP_NO_DAY)
		pep_list_add(missing, sizeof missing, "when");
	if (!q->grade.v)
		pep_list_add(missing, sizeof missing, "the grade");
	if (*missing)
		pep_rule_report(ctx, q->hdr.present ? q->hdr.line : ctx->m->d.signoff.hdr.line,
		                "the virtual school's quality assurance is not recorded (%s): it must be done before upload", missing);
}

/* D11: 003 NB: "the Designated Teacher must be a teacher". A post-16
 * designated professional need not be. */
void pep_check_D11(pep_rule_ctx *ctx)
{
	const pep_school *s = &ctx->m->a.school;
	if (!s->hdr.present || ctx->post16 || s->dt.qualified.v == PEP_YES)
		return;
	pep_rule_report(ctx, s->dt.qualified.line,
	                "the designated teacher is not recorded as a qualified teacher{ (designatedTeacher/qualifiedTeacher is not "
	                "yes)|}: the designated teacher must be a teacher able to take decisions at the meeting");
}

/* D12: 001 §4 (actions clearly noted), DfE para 36 (who takes the plan
 * forward, with timescales). */
void pep_check_D12(pep_rule_ctx *ctx)
{
	const pep_actions *a = &ctx->m->d.actions;
	for (size_t i = 0; i < a->items.n; i++) {
		const pep_action *x = &a->items.v[i];
		char missing[64] = "";
		if (!x->owner.v && BLANK(x->owner_name))
			pep_list_add(missing, sizeof missing, "an owner");
		if (x->due.d == PEP_NO_DAY)
			pep_list_add(missing, sizeof missing, "a due date");
		if (*missing)
			pep_rule_report(ctx, x->hdr.line, "action %zu lacks %s", i + 1, missing);
	}
}
