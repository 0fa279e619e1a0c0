/* rules.c: the rule table, the engine, and the catalogue's writers. */
#include "rules_impl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

const char *const pep_stage_names[] = {"draft", "signoff", "upload", NULL};
const char *const pep_rules_format_names[] = {"text", "markdown", "json", NULL};

#define K PEP_PROFILE_KENT
#define S PEP_PROFILE_SOUTHWARK
#define KL PEP_PROFILE_KIRKLEES
#define DF PEP_PROFILE_DEFAULT
#define ALL PEP_PROFILES_ALL
#define E PEP_ERROR
#define W PEP_WARNING
#define DRAFT PEP_STAGE_DRAFT
#define SIGNOFF PEP_STAGE_SIGNOFF
#define UPLOAD PEP_STAGE_UPLOAD

/* The catalogue of spec/rules.md: keep the ids, severities, profiles and
 * stages exactly as written there. */
const pep_rule pep_rules[] = {
	/* Timescales */
	{"T01", E, K, SIGNOFF, 'D', "Initial PEP meeting within 20 school days of becoming looked after when the placement was planned; within 10 school days when unplanned", "000 §2, §3, §4(i)", check_t01, 0},
	{"T02", E, K, SIGNOFF, 'D', "Initial PEP for a child with no school place: within 20 working days of becoming looked after", "000 §3", check_t02, 0},
	{"T03", E, S, SIGNOFF, 'D', "Initial PEP completed within 10 working days of becoming looked after", "001 §2", check_t03, 0},
	{"T04", E, KL | DF, SIGNOFF, 'D', "Initial PEP: within 10 working days when the placement was an emergency/unplanned; otherwise by the first Looked After Review, which falls 20 working days after becoming looked after", "003 (DfE para 36)", check_t04, 0},
	{"T05", E, ALL, SIGNOFF, 'D', "A review PEP meeting is held within 6 months of the previous PEP meeting", "000 §2, §3", check_t05, 0},
	{"T06", E, ALL, SIGNOFF, 'D', "A next meeting date and time is recorded; the PEP cannot be signed off without it", "003 checklist D \"PEP Sign Off\"", check_t06, 0},
	{"T07", E, ALL, SIGNOFF, 'D', "The next meeting date is after this meeting and within 6 months of it", "003 (\"within the statutory 6 month timescale\")", check_t07, 0},
	{"T08", E, S, SIGNOFF, 'D', "A transition PEP (new school) is held within 20 school days of starting the new school", "001 §2", check_t08, 0},
	{"T09", E, K, SIGNOFF, 'D', "All sections marked complete within 10 school days of the meeting (checked against the as-of date while incomplete, against the completion dates once complete)", "000 §4(ii), §6", check_t09, 0},
	{"T10", W, S, SIGNOFF, 'D', "The meeting falls 2–6 weeks before the next Looked After Review", "001 §2", check_t10, 0},
	{"T11", W, ALL, SIGNOFF, 'D', "At least two PEP meetings in the current academic year by the end of the summer term, and a PEP each term (from the PEP history)", "000 §1, 002, 004", check_t11, 0},
	{"T12", W, ALL, SIGNOFF, 'B', "Attainment and progress data is no older than the start of the current term", "003 checklist B \"at least termly\"", check_t12, 0},
	{"T13", E, ALL, SIGNOFF, 'D', "The meeting date is not after the as-of date", "— (data integrity)", check_t13, 0},
	/* Section A */
	{"A01", E, ALL, DRAFT, 'A', "Personal information present: name, date of birth, an identifier (UPN or LA child id)", "003 checklist A", check_a01, 0},
	{"A02", E, ALL, DRAFT, 'A', "Care information present: date became looked after, placement planned/unplanned, carer name and contact, social worker", "000 §4(i)(ii)", check_a02, 0},
	{"A03", E, ALL, DRAFT, 'A', "School information present (school, year group, designated teacher) unless the child has no educational provision", "003 checklist A", check_a03, 0},
	{"A04", E, ALL, SIGNOFF, 'A', "Health and emotional wellbeing completed, with an SDQ score 0–40 and its date", "003 checklist A", check_a04, 0},
	{"A05", W, K, SIGNOFF, 'A', "The social worker confirmed section A at the meeting", "000 §2, §4(ii)", check_a05, 0},
	{"A06", W, ALL, DRAFT, 'A', "The UPN, when present, is well formed: 13 characters with a valid check letter (DfE UPN specification)", "DfE UPN guidance", check_a06, 0},
	{"A07", W, ALL, DRAFT, 'A', "The year group matches the date of birth (English school year: age on 31 August)", "— (data integrity)", check_a07, 0},
	{"A08", E, ALL, DRAFT, 'A', "Dates are in order: birth < became looked after ≤ meeting; started school ≥ birth", "— (data integrity)", check_a08, 0},
	/* Section B */
	{"B01", E, ALL, DRAFT, 'B', "Attendance percentage and the date range it covers are recorded", "003 checklist B", check_b01, 0},
	{"B02", E, ALL, SIGNOFF, 'B', "Attendance below 90 % has a target in the attendance area", "003 checklist B", check_b02, 0},
	{"B03", E, ALL, DRAFT, 'B', "Reduced timetable or personalised package (under 25 hours): hours, reason, plan and review date recorded", "003 checklist B", check_b03, 0},
	{"B04", E, ALL, DRAFT, 'B', "Every exclusion records the education and support provision", "003 checklist B", check_b04, 0},
	{"B05", E, ALL, DRAFT, 'B', "Attainment and progress completed for a child in full-time education", "003 checklist B", check_b05, 0},
	{"B06", E, ALL, SIGNOFF, 'B', "SEN support without an EHC plan: a My Support Plan is attached", "003 checklist B", check_b06, 0},
	{"B07", E, ALL, SIGNOFF, 'B', "EHC plan (or statement): the plan is attached", "003 checklist B", check_b07, 0},
	{"B08", E, ALL, DRAFT, 'B', "Extra support is filled in (the word none when none)", "003 checklist B", check_b08, 0},
	{"B09", E, ALL, SIGNOFF, 'B', "Years 10 and 11 (and post-16): the 14–19+ plan is completed, naming who and when", "003 checklist B", check_b09, 0},
	{"B10", E, ALL, SIGNOFF, 'B', "No educational provision: the reason and an action plan to get the child into provision", "001 §8, 000 §4(iii)", check_b10, 0},
	{"B11", W, ALL, DRAFT, 'B', "The previous schools history is recorded", "003 checklist B", check_b11, 0},
	/* Section C */
	{"C01", E, ALL, SIGNOFF, 'C', "The young person's views are recorded, dated on or before the meeting", "003 checklist C, 004", check_c01, 0},
	{"C02", W, ALL, SIGNOFF, 'C', "A child who did not attend has their views represented: a nominated adult or views recorded with them", "000 §4(v), 001 §5", check_c02, 0},
	{"C03", W, ALL, SIGNOFF, 'C', "When the SEN pupil-view form was used, the meeting summary says so", "003 checklist C", check_c03, 0},
	/* Section D */
	{"D01", E, ALL, SIGNOFF, 'D', "Attendees include the social worker and the designated teacher (or DT support staff)", "000 §5", check_d01, 0},
	{"D02", W, ALL, SIGNOFF, 'D', "The meeting summary is substantive: it refers to the targets review, attainment or attendance, and the child's and carer's views", "003 checklist D", check_d02, 0},
	{"D03", E, ALL, SIGNOFF, 'D', "Every target from the previous PEP is reviewed with an outcome", "000 §4(ii), §5; 003 checklist D", check_d03, 0},
	{"D04", W, ALL, SIGNOFF, 'D', "Between 1 and 3 new targets", "001 §7", check_d04, S},
	{"D05", E, ALL, SIGNOFF, 'D', "At least one new target is academic", "001 §4, §7", check_d05, 0},
	{"D06", E, ALL, SIGNOFF, 'D', "Every target is SMART: a specific description, a measurable success criterion, and a deadline on or before the next meeting and within 6 months", "000 §4(ii); 001 §7; 004", check_d06, 0},
	{"D07", W, ALL, SIGNOFF, 'D', "Every target says who will help, how, and how often", "001 §7; 003 (DfE para 36)", check_d07, 0},
	{"D08", E, ALL, SIGNOFF, 'D', "PP+ funding requested on a target states an amount and what it buys; post-16 PEPs request none", "003 checklist D; 004", check_d08, 0},
	{"D09", E, ALL, SIGNOFF, 'D', "Sections A–D are all marked complete", "000 §4(ii), §5; 003 \"PEP Sign Off\"", check_d09, 0},
	{"D10", E, K | KL, UPLOAD, 'D', "The virtual school's quality assurance is recorded before upload", "000 §2, §6; 003", check_d10, 0},
	{"D11", W, ALL, SIGNOFF, 'D', "The designated teacher is a qualified teacher", "003 NB", check_d11, 0},
	{"D12", W, ALL, SIGNOFF, 'D', "Actions for adults have an owner and a due date", "001 §4; 003 (DfE para 36)", check_d12, 0},
	/* Post-16 */
	{"P01", E, ALL, DRAFT, 'B', "Current participation status is recorded", "003 Post-16 checklist A", check_p01, 0},
	{"P02", E, ALL, SIGNOFF, 'B', "NEET: a NEET support plan is recorded", "003 Post-16 checklist D", check_p02, 0},
	{"P03", W, ALL, SIGNOFF, 'B', "Full-time education (over 16 hours a week and over 12 weeks): the 16–19 bursary is recorded as considered", "003 Post-16 checklist D", check_p03, 0},
	/* Calendar: reported by the day counting of the T rules (rc_*). */
	{"CAL01", E, ALL, DRAFT, 0, "A date needed by a T rule lies outside every school calendar known for the LA", "—", NULL, 0},
};
const size_t pep_rules_count = sizeof pep_rules / sizeof pep_rules[0];

const pep_rule *pep_rule_find(const char *id)
{
	for (size_t i = 0; i < pep_rules_count; i++)
		if (strcmp(pep_rules[i].id, id) == 0)
			return &pep_rules[i];
	return NULL;
}

pep_severity pep_rule_severity(const pep_rule *r, pep_profile p)
{
	return r->error_in & (unsigned)p ? PEP_ERROR : r->severity;
}

pep_profile pep_profile_for(const char *la)
{
	if (!la)
		return PEP_PROFILE_DEFAULT;
	if (strcmp(la, "kent") == 0)
		return PEP_PROFILE_KENT;
	if (strcmp(la, "southwark") == 0)
		return PEP_PROFILE_SOUTHWARK;
	if (strcmp(la, "kirklees") == 0)
		return PEP_PROFILE_KIRKLEES;
	return PEP_PROFILE_DEFAULT;
}

const char *pep_profile_name(pep_profile p)
{
	switch (p) {
	case PEP_PROFILE_KENT: return "kent";
	case PEP_PROFILE_SOUTHWARK: return "southwark";
	case PEP_PROFILE_KIRKLEES: return "kirklees";
	default: return "default";
	}
}

/* ------------------------------------------------------------------ */
/* Shared helpers                                                       */
/* ------------------------------------------------------------------ */

void rule_report(pep_rule_ctx *ctx, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pep_diags_addv(ctx->d, ctx->rule->id, pep_rule_severity(ctx->rule, ctx->profile), ctx->rule->section, line, fmt, ap);
	va_end(ap);
}

const char *rd(pep_day d)
{
	static _Thread_local char buf[8][11];
	static _Thread_local int k;
	k = (k + 1) % 8;
	if (d == PEP_NO_DAY)
		return "(no date)";
	pep_date_format(d, buf[k]);
	return buf[k];
}

int age_on(pep_day birth, pep_day on)
{
	int by, bm, bd, y, m, d;
	pep_date_to_ymd(birth, &by, &bm, &bd);
	pep_date_to_ymd(on, &y, &m, &d);
	int age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

bool has_attachment(const pep_model *m, int kind)
{
	for (size_t i = 0; i < m->attachments.items.n; i++)
		if (m->attachments.items.v[i].kind.v == kind)
			return true;
	return false;
}

bool text_mentions(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle) != NULL;
}

void list_add(char *buf, size_t size, const char *item)
{
	size_t len = strlen(buf);
	snprintf(buf + len, size - len, "%s%s", len ? ", " : "", item);
}

/* CAL01: the date could not be judged; once per date per document. */
static void report_cal01(pep_rule_ctx *ctx, pep_day missing, int line, bool school)
{
	for (size_t i = 0; i < ctx->ncal01; i++)
		if (ctx->cal01[i] == missing)
			return;
	if (ctx->ncal01 < sizeof ctx->cal01 / sizeof ctx->cal01[0])
		ctx->cal01[ctx->ncal01++] = missing;
	const pep_rule *cal = pep_rule_find("CAL01");
	char *msg = pep_cal_uncovered(ctx->cals, ctx->cal_la, ctx->urn, missing, school, ctx->rule->id);
	pep_diags_add(ctx->d, cal->id, cal->severity, cal->section, line, "%s", msg);
	free(msg);
}

bool rc_add_school_days(pep_rule_ctx *ctx, pep_day from, int n, pep_day *out, int line)
{
	pep_day missing;
	if (pep_cal_add_school_days(ctx->cals, ctx->cal_la, ctx->urn, from, n, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, true);
	return false;
}

bool rc_add_working_days(pep_rule_ctx *ctx, pep_day from, int n, pep_day *out, int line)
{
	pep_day missing;
	if (pep_cal_add_working_days(ctx->cals, from, n, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, false);
	return false;
}

bool rc_count_school_days(pep_rule_ctx *ctx, pep_day from, pep_day to, int *out, int line)
{
	pep_day missing;
	if (pep_cal_count_school_days(ctx->cals, ctx->cal_la, ctx->urn, from, to, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, true);
	return false;
}

bool rc_count_working_days(pep_rule_ctx *ctx, pep_day from, pep_day to, int *out, int line)
{
	pep_day missing;
	if (pep_cal_count_working_days(ctx->cals, from, to, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, false);
	return false;
}

bool rc_year_terms(pep_rule_ctx *ctx, pep_day d, pep_term_info out[3], int line)
{
	pep_day missing;
	if (pep_cal_year_terms(ctx->cals, ctx->cal_la, ctx->urn, d, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, true);
	return false;
}

bool rc_term_at(pep_rule_ctx *ctx, pep_day d, pep_term_info *out, int line)
{
	pep_day missing;
	if (pep_cal_term_at(ctx->cals, ctx->cal_la, ctx->urn, d, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, true);
	return false;
}

const char *rc_confidence_note(pep_rule_ctx *ctx, pep_day d)
{
	static _Thread_local char buf[256];
	if (!pep_cal_low_confidence(ctx->cals, ctx->cal_la, ctx->urn, d))
		return "";
	snprintf(buf, sizeof buf, "; term dates from %s", pep_cal_describe(ctx->cals, ctx->cal_la, ctx->urn, d));
	return buf;
}

char pep_upn_check_letter(const char *upn)
{
	static const char letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
	if (!upn || strlen(upn) != 13)
		return 0;
	int sum = 0;
	for (int i = 1; i < 13; i++) {
		int v;
		if (isdigit((unsigned char)upn[i]))
			v = upn[i] - '0';
		else if (i == 12 && strchr(letters, upn[i]) && upn[i])
			v = (int)(strchr(letters, upn[i]) - letters);
		else
			return 0;
		sum += v * (i + 1);
	}
	return letters[sum % 23];
}

/* ------------------------------------------------------------------ */
/* The engine                                                           */
/* ------------------------------------------------------------------ */

void pep_rules_school_calendar(const pep_model *m, const pep_rules_env *env, const char **la, const char **urn)
{
	/* Term dates are the school's: its own calendar (by URN), else those of
	 * the LA it is in, else those of the LA that looks after the child. */
	const pep_school *school = &m->a.school;
	*urn = school->hdr.present && !BLANK(school->urn) ? school->urn.s : NULL;
	*la = school->hdr.present && school->school_la.code.s && *school->school_la.code.s
	          ? school->school_la.code.s
	          : env->la ? env->la : m->header.la.code.s;
}

void rule_ctx_init(pep_rule_ctx *ctx, const pep_model *m, const pep_rules_env *env, pep_diags *d)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->m = m;
	ctx->la = env->la ? env->la : m->header.la.code.s;
	ctx->profile = pep_profile_for(ctx->la);
	ctx->stage = env->stage;
	ctx->as_of = env->as_of;
	ctx->cals = env->cals;
	ctx->d = d;
	ctx->redact = env->redact;
	pep_rules_school_calendar(m, env, &ctx->cal_la, &ctx->urn);
	ctx->meeting = m->d.date.d;
	ctx->meeting_line = m->d.date.line;
	ctx->ref = ctx->meeting != PEP_NO_DAY ? ctx->meeting : ctx->as_of;
	ctx->year = pep_model_year(m);
	ctx->initial = m->header.kind.v == PEP_KIND_INITIAL || m->d.kind.v == PEP_MEETING_INITIAL;
	ctx->transition = m->header.kind.v == PEP_KIND_TRANSITION || m->d.kind.v == PEP_MEETING_TRANSITION;
	ctx->post16 = m->header.kind.v == PEP_KIND_POST16 || ctx->year >= PEP_YEAR_12;
	ctx->no_provision = m->a.no_provision.hdr.present;
	ctx->neet = m->b.post16.participation.v == PEP_PART_NEET;
}

void pep_rules_run(const pep_model *m, const pep_rules_env *env, pep_diags *d)
{
	pep_rule_ctx ctx;
	rule_ctx_init(&ctx, m, env, d);
	for (size_t i = 0; i < pep_rules_count; i++) {
		const pep_rule *r = &pep_rules[i];
		if (!r->check || !(r->profiles & (unsigned)ctx.profile) || r->stage > ctx.stage)
			continue;
		ctx.rule = r;
		r->check(&ctx);
	}
}

/* ------------------------------------------------------------------ */
/* Writing the catalogue                                                */
/* ------------------------------------------------------------------ */

static void profiles_text(const pep_rule *r, pep_buf *b)
{
	if (r->profiles == PEP_PROFILES_ALL) {
		pep_buf_puts(b, "all");
		return;
	}
	static const pep_profile order[] = {PEP_PROFILE_KENT, PEP_PROFILE_SOUTHWARK, PEP_PROFILE_KIRKLEES};
	if (r->profiles & PEP_PROFILE_DEFAULT) {
		/* "all except kent, southwark" reads better than listing the rest. */
		pep_buf_puts(b, "all except ");
		int k = 0;
		for (int i = 0; i < 3; i++)
			if (!(r->profiles & (unsigned)order[i]))
				pep_buf_printf(b, "%s%s", k++ ? ", " : "", pep_profile_name(order[i]));
		return;
	}
	int k = 0;
	for (int i = 0; i < 3; i++)
		if (r->profiles & (unsigned)order[i])
			pep_buf_printf(b, "%s%s", k++ ? ", " : "", pep_profile_name(order[i]));
}

static void severity_text(const pep_rule *r, pep_buf *b)
{
	if (!r->error_in) {
		pep_buf_puts(b, r->severity == PEP_ERROR ? "error" : "warning");
		return;
	}
	pep_buf_puts(b, "error (");
	static const pep_profile order[] = {PEP_PROFILE_KENT, PEP_PROFILE_SOUTHWARK, PEP_PROFILE_KIRKLEES};
	int k = 0;
	for (int i = 0; i < 3; i++)
		if (r->error_in & (unsigned)order[i])
			pep_buf_printf(b, "%s%s", k++ ? ", " : "", pep_profile_name(order[i]));
	pep_buf_puts(b, "), warning (others)");
}

static const struct {
	char letter;
	const char *title;
} groups[] = {
	{'T', "Timescales (T)"}, {'A', "Section A (A)"}, {'B', "Section B (B)"}, {'C', "Section C (C)"},
	{'D', "Section D (D)"}, {'P', "Post-16 (P)"}, {'X', "Calendar (CAL)"},
};

static char group_of(const pep_rule *r)
{
	return strncmp(r->id, "CAL", 3) == 0 ? 'X' : r->id[0];
}

void pep_rules_write(FILE *out, pep_rules_format format)
{
	pep_buf prof = PEP_BUF_INIT, sev = PEP_BUF_INIT;
	if (format == PEP_RULES_JSON)
		fputs("{\"rules\": [", out);
	if (format == PEP_RULES_MARKDOWN)
		fputs("# Rules\n\n"
		      "The rule catalogue as `pep` implements it, generated by `pep rules --format markdown`\n"
		      "(a test keeps this file equal to that output). Severity **error** means the PEP must not be\n"
		      "signed off (or uploaded) as it is; **warning** means a quality problem a reviewer should see.\n"
		      "A rule applies at its stage (draft, signoff, upload) and every later one, to the PEPs of the\n"
		      "local authorities (profiles) named. Sources are the seed documents by number\n"
		      "(000 Kent, 001 Southwark, 002 a virtual school, 003 Kirklees, 004 families' guide).\n"
		      "How the rules that needed interpreting are read is in docs/rules-notes.md.\n"
		      "Schema violations are reported as **XSD** and XML that is not well-formed as **XML**.\n", out);
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		bool first = true;
		for (size_t i = 0; i < pep_rules_count; i++) {
			const pep_rule *r = &pep_rules[i];
			if (group_of(r) != groups[g].letter)
				continue;
			pep_buf_clear(&prof);
			pep_buf_clear(&sev);
			profiles_text(r, &prof);
			severity_text(r, &sev);
			switch (format) {
			case PEP_RULES_TEXT:
				fprintf(out, "%-6s %-7s %-27s %-8s %s [%s]\n", r->id, r->severity == PEP_ERROR && !r->error_in ? "error" : r->error_in ? "error*" : "warning",
				        pep_buf_str(&prof), pep_stage_names[r->stage], r->summary, r->source);
				break;
			case PEP_RULES_MARKDOWN:
				if (first)
					fprintf(out, "\n## %s\n\n| id | severity | profiles | stage | rule | source |\n"
					             "| --- | --- | --- | --- | --- | --- |\n", groups[g].title);
				fprintf(out, "| %s | %s | %s | %s | %s | %s |\n", r->id, pep_buf_str(&sev), pep_buf_str(&prof),
				        pep_stage_names[r->stage], r->summary, r->source);
				break;
			case PEP_RULES_JSON: {
				fputs(i ? ",\n  {" : "\n  {", out);
				fprintf(out, "\"id\": \"%s\", \"severity\": \"%s\", ", r->id,
				        r->severity == PEP_ERROR ? "error" : "warning");
				fputs("\"error_in\": [", out);
				int k = 0;
				for (unsigned p = 1; p <= PEP_PROFILE_DEFAULT; p <<= 1)
					if (r->error_in & p)
						fprintf(out, "%s\"%s\"", k++ ? ", " : "", pep_profile_name((pep_profile)p));
				fputs("], \"profiles\": [", out);
				k = 0;
				for (unsigned p = 1; p <= PEP_PROFILE_DEFAULT; p <<= 1)
					if (r->profiles & p)
						fprintf(out, "%s\"%s\"", k++ ? ", " : "", pep_profile_name((pep_profile)p));
				fprintf(out, "], \"stage\": \"%s\", \"section\": ", pep_stage_names[r->stage]);
				if (r->section)
					fprintf(out, "\"%c\"", r->section);
				else
					fputs("null", out);
				fputs(", \"summary\": ", out);
				pep_json_string(out, r->summary);
				fputs(", \"source\": ", out);
				pep_json_string(out, r->source);
				fputc('}', out);
				break;
			}
			}
			first = false;
		}
	}
	if (format == PEP_RULES_JSON)
		fputs("\n]}\n", out);
	if (format == PEP_RULES_TEXT)
		fputs("\n* error for southwark, warning for the other profiles.\n", out);
	pep_buf_free(&prof);
	pep_buf_free(&sev);
}
