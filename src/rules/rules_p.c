/* rules_p.c: post-16 (P01-P03), seed 003's Post-16 checklist. */
#include "rules_impl.h"

#include <stdio.h>

/* P01: "The tick boxes need completing to show the young person's current
 * participation status". */
void pep_check_P01(pep_rule_ctx *ctx)
{
	if (ctx->post16 && !ctx->m->b.post16.participation.v)
		pep_rule_report(ctx, ctx->m->b.post16.hdr.present ? ctx->m->b.post16.participation.line : ctx->m->b.hdr.line,
		                "the young person's current participation status is not recorded: set {educationInformation/post16/participation|it}");
}

/* P02: the NEET support plan, "only ... for young people who are NEET". */
void pep_check_P02(pep_rule_ctx *ctx)
{
	const pep_post16 *p = &ctx->m->b.post16;
	if (ctx->neet && BLANK(p->neet_plan))
		pep_rule_report(ctx, p->neet_plan.line,
		                "the young person is NEET, but no NEET support plan is recorded: fill in {post16/neetSupportPlan|the plan}");
}

/* P03: the 16-19 vulnerable bursary "should be available for all young
 * people who are accessing full time education ... over 16 hours and more
 * than 12 weeks in length". */
void pep_check_P03(pep_rule_ctx *ctx)
{
	const pep_post16 *p = &ctx->m->b.post16;
	bool ft = p->participation.v == PEP_PART_FT_EDUCATION ||
	          (p->hours.set && p->hours.v > 1600 && p->weeks.set && p->weeks.v > 12);
	if (ft && p->bursary.considered.v != PEP_YES)
		pep_rule_report(ctx, p->bursary.hdr.present ? p->bursary.considered.line : p->hdr.line,
		                "the young person is in full-time education, but the 16-19 bursary is not recorded as considered "
		                "{ (post16/bursary/considered is not yes)|}");
}
