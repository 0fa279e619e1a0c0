/* rules.c: the rule table (made from rules_list.h), the engine, the day
 * counting the T rules share, and the catalogue's writers. */
#include "rules_impl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "strbuf.h"
#include "xalloc.h"

const char *const pep_stage_names[] = {"draft", "signoff", "upload", NULL};

/* The table, from the list. */
const pep_rule pep_rules[PEP_RULES_COUNT] = {
#define PEP_RULE(id, severity, scope, stage, section, summary, source) \
	[PEP_RULE_##id] = {#id, PEP_##severity, PEP_SCOPE_##scope, PEP_STAGE_##stage, section, summary, source, pep_check_##id},
#define PEP_RULE_REPORTED(id, severity, scope, stage, section, summary, source) \
	[PEP_RULE_##id] = {#id, PEP_##severity, PEP_SCOPE_##scope, PEP_STAGE_##stage, section, summary, source, NULL},
#include "rules_list.h"
#undef PEP_RULE
#undef PEP_RULE_REPORTED
};
const size_t pep_rules_count = PEP_RULES_COUNT;

const pep_rule *pep_rule_find(const char *id)
{
	for (size_t i = 0; i < pep_rules_count; i++)
		if (strcmp(pep_rules[i].id, id) == 0)
			return &pep_rules[i];
	return NULL;
}

bool pep_rule_applies(const pep_rule *r, const pep_profile *p)
{
	return r->scope == PEP_SCOPE_ALL || pep_profile_lists(p->rules, r->id);
}

pep_severity pep_rule_severity(const pep_rule *r, const pep_profile *p)
{
	return pep_profile_lists(p->errors, r->id) ? PEP_ERROR : r->severity;
}

/* The rules that judge one field and nothing else. A file on a form with no
 * place for that field (format_list.h) and no value for it carried from
 * another form is not judged by them: nobody could act on the message on
 * that form (docs/rules-notes.md). */
static const struct {
	pep_rule_index rule;
	const char *field;
} sole_fields[] = {
	{PEP_RULE_B11, "educationInformation/previousSchools"},
	{PEP_RULE_D11, "essentialInformation/school/designatedTeacher/qualifiedTeacher"},
};

const char *pep_rule_field(const pep_rule *r)
{
	for (size_t i = 0; i < sizeof sole_fields / sizeof sole_fields[0]; i++)
		if (&pep_rules[sole_fields[i].rule] == r)
			return sole_fields[i].field;
	return NULL;
}

/* True when env says the file's form has no place for the field r alone judges. */
static bool field_absent(const pep_rule *r, const pep_rules_env *env)
{
	const char *field = pep_rule_field(r);
	for (const char *const *a = field ? env->absent : NULL; a && *a; a++)
		if (strcmp(*a, field) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Shared helpers                                                       */
/* ------------------------------------------------------------------ */

/* What a message says of a value typed inside a comment (model.h). */
static void commented_text(const pep_xml_commented *c, pep_buf *b)
{
	pep_buf_printf(b, "the value typed on line %d is inside a comment (lines %d to %d), where pep does not read it: "
	                  "move the <%s> out of the comment, below its -->",
	               c->value_line, c->first, c->last, c->name);
}

/* fmt with each {path|words} of a field replaced by the path, or by the
 * words when fields are named in words (rules_impl.h). */
static void field_names(const char *fmt, bool words, pep_buf *out)
{
	for (const char *p = fmt; *p; p++) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		const char *bar = end ? memchr(p, '|', (size_t)(end - p)) : NULL;
		/* A conversion inside would lose its argument: not a field. */
		if (!bar || memchr(p, '%', (size_t)(end - p))) {
			pep_buf_putc(out, *p);
			continue;
		}
		if (words)
			pep_buf_add(out, bar + 1, (size_t)(end - bar - 1));
		else
			pep_buf_add(out, p + 1, (size_t)(bar - p - 1));
		p = end;
	}
}

void pep_rule_report(pep_rule_ctx *ctx, int line, const char *fmt, ...)
{
	pep_buf f = PEP_BUF_INIT, msg = PEP_BUF_INIT;
	field_names(fmt, ctx->field_words, &f);
	va_list ap;
	va_start(ap, fmt);
	pep_buf_vprintf(&msg, pep_buf_str(&f), ap);
	va_end(ap);
	/* A value typed inside a comment in the element this message is about
	 * (or in its empty field): otherwise "not recorded" contradicts what
	 * the person sees in their file. */
	for (size_t i = 0; i < ctx->m->ncommented; i++) {
		const pep_xml_commented *c = &ctx->m->commented[i];
		if (ctx->commented_told[i] || (c->anchor != line && c->field_line != line))
			continue;
		pep_buf_puts(&msg, "; ");
		commented_text(c, &msg);
		ctx->commented_told[i] = true;
	}
	pep_diags_add(ctx->d, ctx->rule->id, pep_rule_severity(ctx->rule, ctx->profile), ctx->rule->section, line, "%s",
	              pep_buf_str(&msg));
	pep_buf_free(&f);
	pep_buf_free(&msg);
}

/* CMT01: every value typed inside a comment that no rule's message told of
 * gets a warning of its own, at every stage: pep ignores what the person
 * typed, whether or not a rule needs the field yet. */
static void report_commented(pep_rule_ctx *ctx)
{
	const pep_rule *cmt = &pep_rules[PEP_RULE_CMT01];
	for (size_t i = 0; i < ctx->m->ncommented; i++) {
		if (ctx->commented_told[i])
			continue;
		pep_buf msg = PEP_BUF_INIT;
		commented_text(&ctx->m->commented[i], &msg);
		pep_diags_add(ctx->d, cmt->id, pep_rule_severity(cmt, ctx->profile), cmt->section,
		              ctx->m->commented[i].value_line, "%s", pep_buf_str(&msg));
		pep_buf_free(&msg);
	}
}

const char *pep_ymd(pep_day d)
{
	static _Thread_local char buf[8][11];
	static _Thread_local int k;
	k = (k + 1) % 8;
	if (d == PEP_NO_DAY)
		return "(no date)";
	pep_date_format(d, buf[k]);
	return buf[k];
}

int pep_age_on(pep_day birth, pep_day on)
{
	int by, bm, bd, y, m, d;
	pep_date_to_ymd(birth, &by, &bm, &bd);
	pep_date_to_ymd(on, &y, &m, &d);
	int age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

bool pep_has_attachment(const pep_model *m, int kind)
{
	for (size_t i = 0; i < m->attachments.items.n; i++)
		if (m->attachments.items.v[i].kind.v == kind)
			return true;
	return false;
}

bool pep_text_mentions(const char *hay, const char *needle)
{
	/* strcasestr, faster for the long texts and short words the rules
	 * ask about: strpbrk finds each place the word's first letter is, in
	 * either case, and strncasecmp compares there (ASCII letters folded). */
	if (!hay || !*needle)
		return hay != NULL;
	char first[3] = {(char)tolower((unsigned char)needle[0]), (char)toupper((unsigned char)needle[0]), '\0'};
	size_t n = strlen(needle);
	for (const char *p = hay; (p = strpbrk(p, first)) != NULL; p++)
		if (strncasecmp(p, needle, n) == 0)
			return true;
	return false;
}

void pep_list_add(char *buf, size_t size, const char *item)
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
	const pep_rule *cal = &pep_rules[PEP_RULE_CAL01];
	char *msg = pep_cal_uncovered(ctx->cals, ctx->cal_la, ctx->urn, missing, school, ctx->rule->id);
	pep_diags_add(ctx->d, cal->id, cal->severity, cal->section, line, "%s", msg);
	free(msg);
}

bool pep_rule_add_school_days(pep_rule_ctx *ctx, pep_day from, int n, pep_day *out, int line)
{
	pep_day missing;
	if (pep_cal_add_school_days(ctx->cals, ctx->cal_la, ctx->urn, from, n, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, true);
	return false;
}

bool pep_rule_add_working_days(pep_rule_ctx *ctx, pep_day from, int n, pep_day *out, int line)
{
	pep_day missing;
	if (pep_cal_add_working_days(ctx->cals, from, n, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, false);
	return false;
}

bool pep_rule_add_days(pep_rule_ctx *ctx, pep_day from, const pep_limit *n, pep_day *out, int line)
{
	return n->unit == PEP_UNIT_SCHOOL_DAYS ? pep_rule_add_school_days(ctx, from, n->n, out, line)
	                                       : pep_rule_add_working_days(ctx, from, n->n, out, line);
}

bool pep_rule_count_school_days(pep_rule_ctx *ctx, pep_day from, pep_day to, int *out, int line)
{
	pep_day missing;
	if (pep_cal_count_school_days(ctx->cals, ctx->cal_la, ctx->urn, from, to, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, true);
	return false;
}

bool pep_rule_count_working_days(pep_rule_ctx *ctx, pep_day from, pep_day to, int *out, int line)
{
	pep_day missing;
	if (pep_cal_count_working_days(ctx->cals, from, to, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, false);
	return false;
}

bool pep_rule_year_terms(pep_rule_ctx *ctx, pep_day d, pep_term_info out[3], int line)
{
	pep_day missing;
	if (pep_cal_year_terms(ctx->cals, ctx->cal_la, ctx->urn, d, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, true);
	return false;
}

bool pep_rule_term_at(pep_rule_ctx *ctx, pep_day d, pep_term_info *out, int line)
{
	pep_day missing;
	if (pep_cal_term_at(ctx->cals, ctx->cal_la, ctx->urn, d, out, &missing) == PEP_CAL_OK)
		return true;
	report_cal01(ctx, missing, line, true);
	return false;
}

const char *pep_rule_confidence_note(pep_rule_ctx *ctx, pep_day d)
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

void pep_rule_ctx_init(pep_rule_ctx *ctx, const pep_model *m, const pep_rules_env *env, pep_diags *d)
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
	ctx->field_words = env->field_words;
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
	pep_rule_ctx_init(&ctx, m, env, d);
	for (size_t i = 0; i < pep_rules_count; i++) {
		const pep_rule *r = &pep_rules[i];
		if (!r->check || !pep_rule_applies(r, ctx.profile) || r->stage > ctx.stage || field_absent(r, env))
			continue;
		ctx.rule = r;
		r->check(&ctx);
	}
	report_commented(&ctx);
}

/* ------------------------------------------------------------------ */
/* A rule's summary and sources, from the profiles                     */
/* ------------------------------------------------------------------ */

bool pep_rule_uses_limit(const pep_rule *r, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = r->summary_template; (p = strchr(p, '{')) != NULL; p++)
		if (strncmp(p + 1, name, n) == 0 && p[n + 1] == '}')
			return true;
	return false;
}

/* The limit called name of p when p applies r and sets it, else NULL. */
static const pep_limit *rule_limit(const pep_rule *r, const pep_profile *p, const char *name)
{
	const pep_limit *l = pep_profile_limit(p, name);
	return l && l->unit != PEP_UNIT_NONE && pep_rule_applies(r, p) ? l : NULL;
}

/* The limit called name as r states it: the default profile's (or the
 * first's to set it), then the profiles that differ, grouped by value. */
static void rule_limit_text(const pep_rule *r, const char *name, pep_buf *b)
{
	const pep_limit *base = rule_limit(r, pep_profile_default(), name);
	for (size_t i = 0; i < pep_profiles_count && !base; i++)
		base = rule_limit(r, &pep_profiles[i], name);
	char text[48];
	if (!base) {
		pep_buf_printf(b, "the LA's limit (%s)", name);
		return;
	}
	pep_buf_puts(b, pep_limit_text(base, text, sizeof text));
	bool open = false;
	for (size_t i = 0; i < pep_profiles_count; i++) {
		const pep_limit *l = rule_limit(r, &pep_profiles[i], name);
		bool seen = !l || pep_limit_equal(l, base);
		for (size_t k = 0; k < i && !seen; k++) {
			const pep_limit *e = rule_limit(r, &pep_profiles[k], name);
			seen = e && pep_limit_equal(e, l);
		}
		if (seen)
			continue;
		pep_buf_puts(b, open ? "; " : " (");
		open = true;
		for (size_t k = i, n = 0; k < pep_profiles_count; k++) {
			const pep_limit *e = rule_limit(r, &pep_profiles[k], name);
			if (e && pep_limit_equal(e, l))
				pep_buf_printf(b, "%s%s", n++ ? ", " : "", pep_profiles[k].code);
		}
		pep_buf_printf(b, ": %s", pep_limit_text(l, text, sizeof text));
	}
	if (open)
		pep_buf_putc(b, ')');
}

/* Calls fn for each {name} of r's summary, in order. */
static void each_limit_named(const pep_rule *r, void (*fn)(const pep_rule *r, const char *name, void *arg), void *arg)
{
	for (const char *p = r->summary_template; (p = strchr(p, '{')) != NULL; p++) {
		const char *end = strchr(p, '}');
		char name[32];
		if (!end || (size_t)(end - p) > sizeof name)
			break;
		snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
		fn(r, name, arg);
	}
}

void pep_rule_summary(const pep_rule *r, pep_buf *b)
{
	for (const char *p = r->summary_template; *p; p++) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		char name[32];
		if (!end || (size_t)(end - p) > sizeof name) {
			pep_buf_putc(b, *p);
			continue;
		}
		snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
		rule_limit_text(r, name, b);
		p = end;
	}
}

/* A rule's sources as they are gathered: the text, and each source in
 * it (its requirement's parts, then the limits' sources) to name once. */
typedef struct gathered {
	pep_buf text;
	const char *named[32];
	size_t n;
	const char *requirement;
} gathered;

/* Whether the source s is in the list already: one of the requirement's
 * "; "-separated parts, or a limit's source added before. */
static bool gathered_names(const gathered *x, const char *s)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->named[i], s) == 0)
			return true;
	size_t n = strlen(s);
	const char *list = x->requirement;
	for (const char *p = list; (p = strstr(p, s)) != NULL; p += n)
		if ((p == list || (p - list >= 2 && p[-2] == ';' && p[-1] == ' ')) && (p[n] == '\0' || p[n] == ';'))
			return true;
	return false;
}

/* Appends the sources of r's limit called name not yet in the list (a
 * sources *), each with the codes of the profiles that cite it unless
 * every profile that sets the limit does. */
static void add_limit_sources(const pep_rule *r, const char *name, void *arg)
{
	gathered *x = arg;
	size_t setting = 0;
	for (size_t i = 0; i < pep_profiles_count; i++)
		setting += rule_limit(r, &pep_profiles[i], name) != NULL;
	for (size_t i = 0; i < pep_profiles_count; i++) {
		const pep_limit *l = rule_limit(r, &pep_profiles[i], name);
		if (!l || !l->source || gathered_names(x, l->source))
			continue;
		pep_buf codes = PEP_BUF_INIT;
		size_t citing = 0;
		for (size_t k = i; k < pep_profiles_count; k++) {
			const pep_limit *e = rule_limit(r, &pep_profiles[k], name);
			if (e && e->source && strcmp(e->source, l->source) == 0)
				pep_buf_printf(&codes, "%s%s", citing++ ? ", " : "", pep_profiles[k].code);
		}
		pep_buf_printf(&x->text, "%s%s", x->text.len ? "; " : "", l->source);
		if (citing < setting)
			pep_buf_printf(&x->text, " (%s)", pep_buf_str(&codes));
		pep_buf_free(&codes);
		if (x->n < sizeof x->named / sizeof x->named[0])
			x->named[x->n++] = l->source;
	}
}

void pep_rule_source(const pep_rule *r, pep_buf *b)
{
	gathered x = {PEP_BUF_INIT, {NULL}, 0, r->requirement_source};
	pep_buf_puts(&x.text, r->requirement_source);
	each_limit_named(r, add_limit_sources, &x);
	pep_buf_puts(b, x.text.len ? pep_buf_str(&x.text) : "—");
	pep_buf_free(&x.text);
}

/* ------------------------------------------------------------------ */
/* Writing the catalogue                                                */
/* ------------------------------------------------------------------ */

/* The profiles that apply r, with "all" and "all except ..." where they
 * read better than the list; and those that raise it to an error. */
static void profiles_text(const pep_rule *r, pep_buf *b)
{
	const pep_profile *dflt = pep_profile_default();
	if (r->scope == PEP_SCOPE_ALL) {
		pep_buf_puts(b, "all");
		return;
	}
	bool others = pep_rule_applies(r, dflt);
	if (others)
		pep_buf_puts(b, "all except ");
	int k = 0;
	for (size_t i = 0; i < pep_profiles_count; i++) {
		const pep_profile *p = &pep_profiles[i];
		if (p != dflt && pep_rule_applies(r, p) != others)
			pep_buf_printf(b, "%s%s", k++ ? ", " : "", p->code);
	}
}

static void raised_text(const pep_rule *r, pep_buf *b)
{
	int k = 0;
	for (size_t i = 0; i < pep_profiles_count; i++)
		if (pep_rule_severity(r, &pep_profiles[i]) != r->severity)
			pep_buf_printf(b, "%s%s", k++ ? ", " : "", pep_profiles[i].code);
}

static const char *severity_name(pep_severity s)
{
	return s == PEP_ERROR ? "error" : "warning";
}

/* The groups of the catalogue, by the letters that start an id. */
static const struct {
	const char *prefix;
	const char *title;
} groups[] = {
	{"T", "Timescales (T)"}, {"A", "Section A (A)"}, {"B", "Section B (B)"}, {"C", "Section C (C)"},
	{"D", "Section D (D)"}, {"P", "Post-16 (P)"}, {"CAL", "Calendar (CAL)"}, {"CMT", "Comments (CMT)"},
};

static size_t group_of(const pep_rule *r)
{
	size_t n = strspn(r->id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
		if (strlen(groups[g].prefix) == n && strncmp(r->id, groups[g].prefix, n) == 0)
			return g;
	return sizeof groups / sizeof groups[0];
}

/* The ids of the rules that name the limit i, for people: "T01, T04";
 * with p, only those p applies. */
static void limit_rules(size_t i, const pep_profile *p, pep_buf *b)
{
	int k = 0;
	for (size_t r = 0; r < pep_rules_count; r++)
		if (pep_rule_uses_limit(&pep_rules[r], pep_limit_name(i)) && (!p || pep_rule_applies(&pep_rules[r], p)))
			pep_buf_printf(b, "%s%s", k++ ? ", " : "", pep_rules[r].id);
}

static const char *const unit_names[] = {
	[PEP_UNIT_NONE] = "none",
	[PEP_UNIT_SCHOOL_DAYS] = "school-days",
	[PEP_UNIT_WORKING_DAYS] = "working-days",
	[PEP_UNIT_WEEKS] = "weeks",
	[PEP_UNIT_MONTHS] = "months",
	[PEP_UNIT_NUMBER] = "number",
};

/* The profiles as markdown: a table of the limits, one of their sources. */
static void write_profiles_markdown(FILE *out)
{
	fputs("\n## Profiles\n\n"
	      "What each LA's own procedure adds to the rules every LA shares: its local rules, the warnings it\n"
	      "treats as errors, and the limits its rules count with (— where it applies no rule that uses the\n"
	      "limit), each from the place in its documents named in the second table. Every other LA is checked\n"
	      "with the default profile. The rules above state each limit as the default profile (or the first\n"
	      "that applies the rule) sets it, and the profiles that differ in brackets.\n", out);
	pep_buf b = PEP_BUF_INIT;
	char text[48];
	for (int sources = 0; sources < 2; sources++) {
		pep_buf_clear(&b);
		pep_buf_puts(&b, sources ? "\nWhere each limit comes from:\n\n| limit |" : "\n| |");
		for (size_t p = 0; p < pep_profiles_count; p++)
			pep_buf_printf(&b, " %s |", pep_profiles[p].code);
		pep_buf_puts(&b, "\n| --- |");
		for (size_t p = 0; p < pep_profiles_count; p++)
			pep_buf_puts(&b, " --- |");
		pep_buf_putc(&b, '\n');
		if (!sources) {
			pep_buf_puts(&b, "| local rules |");
			for (size_t p = 0; p < pep_profiles_count; p++)
				pep_buf_printf(&b, " %s |", *pep_profiles[p].rules ? pep_profiles[p].rules : "—");
			pep_buf_puts(&b, "\n| warnings that are errors |");
			for (size_t p = 0; p < pep_profiles_count; p++)
				pep_buf_printf(&b, " %s |", *pep_profiles[p].errors ? pep_profiles[p].errors : "—");
			pep_buf_putc(&b, '\n');
		}
		for (size_t i = 0; i < pep_limit_count(); i++) {
			pep_buf_printf(&b, "| %s (", pep_limit_words(i));
			limit_rules(i, NULL, &b);
			pep_buf_puts(&b, ") |");
			for (size_t p = 0; p < pep_profiles_count; p++) {
				const pep_limit *l = pep_profile_limit_at(&pep_profiles[p], i);
				const char *cell = sources ? l->source : pep_limit_text(l, text, sizeof text);
				pep_buf_printf(&b, " %s |", l->unit != PEP_UNIT_NONE && cell && *cell ? cell : "—");
			}
			pep_buf_putc(&b, '\n');
		}
		fputs(pep_buf_str(&b), out);
	}
	pep_buf_free(&b);
}

/* The profiles as text: each one's rules, then its limits with their
 * sources. */
static void write_profiles_text(FILE *out)
{
	fputs("\nProfiles: what each LA's procedure adds (every other LA is checked with the default profile)\n", out);
	pep_buf b = PEP_BUF_INIT;
	char text[48];
	for (size_t p = 0; p < pep_profiles_count; p++) {
		const pep_profile *pr = &pep_profiles[p];
		pep_buf_clear(&b);
		pep_buf_printf(&b, "%s (%s): local rules %s; warnings that are errors %s\n", pr->code, pr->name,
		               *pr->rules ? pr->rules : "none", *pr->errors ? pr->errors : "none");
		for (size_t i = 0; i < pep_limit_count(); i++) {
			const pep_limit *l = pep_profile_limit_at(pr, i);
			if (l->unit == PEP_UNIT_NONE)
				continue;
			pep_buf_printf(&b, "  %s: %s (", pep_limit_words(i), pep_limit_text(l, text, sizeof text));
			limit_rules(i, pr, &b);
			pep_buf_printf(&b, ") [%s]\n", l->source ? l->source : "—");
		}
		fputs(pep_buf_str(&b), out);
	}
	pep_buf_free(&b);
}

/* The forms with no place for field, "Southwark's PEP form (every form)" or
 * "Southwark's PEP form: the review form", into b; false when none. */
static bool lacking_text(const char *field, pep_buf *b)
{
	size_t k = 0;
	for (size_t i = 0; i < pep_format_count(); i++) {
		const pep_format *f = pep_format_at(i);
		bool every = false;
		for (const char *const *a = f->absent; a && *a; a++)
			every |= strcmp(*a, field) == 0;
		if (every) {
			pep_buf_printf(b, "%s%s (every form)", k++ ? "; " : "", f->label);
			continue;
		}
		size_t n = 0;
		for (const pep_format_form *v = f->forms; v && v->root; v++)
			if (pep_format_lacks(f, v->root, field)) {
				if (n++)
					pep_buf_printf(b, ", %s", v->label);
				else
					pep_buf_printf(b, "%s%s: %s", k++ ? "; " : "", f->label, v->label);
			}
	}
	return k > 0;
}

static void write_forms_markdown(FILE *out)
{
	fputs("\n## Forms with no place for a field\n\n"
	      "A rule that judges one field and nothing else is not applied to a PEP on a form that has no\n"
	      "place for that field, unless the file carries a value for it from another form (converted\n"
	      "with `pep convert`): nobody could act on its message on that form. These are the rules, and\n"
	      "the forms the table of formats says have no place for their field.\n\n"
	      "| field | the rule that judges it alone | not applied to a PEP on |\n"
	      "| --- | --- | --- |\n",
	      out);
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < pep_rules_count; i++) {
		const char *field = pep_rule_field(&pep_rules[i]);
		pep_buf_clear(&b);
		if (field && lacking_text(field, &b))
			fprintf(out, "| `%s` | %s | %s |\n", field, pep_rules[i].id, pep_buf_str(&b));
	}
	pep_buf_free(&b);
}

void pep_rules_write_json(FILE *out)
{
	pep_jw w;
	pep_buf b = PEP_BUF_INIT;
	char text[48];
	pep_jw_init_file(&w, out, PEP_JW_LINES);
	pep_jw_object_begin(&w);
	pep_jw_kv_array_begin(&w, "rules");
	for (size_t i = 0; i < pep_rules_count; i++) {
		const pep_rule *r = &pep_rules[i];
		pep_jw_object_begin(&w);
		pep_jw_kv_string(&w, "id", r->id);
		pep_jw_kv_string(&w, "severity", severity_name(r->severity));
		pep_jw_kv_array_begin(&w, "error_in");
		for (size_t k = 0; k < pep_profiles_count; k++)
			if (pep_rule_severity(r, &pep_profiles[k]) != r->severity)
				pep_jw_string(&w, pep_profiles[k].code);
		pep_jw_end(&w);
		pep_jw_kv_array_begin(&w, "profiles");
		for (size_t k = 0; k < pep_profiles_count; k++)
			if (pep_rule_applies(r, &pep_profiles[k]))
				pep_jw_string(&w, pep_profiles[k].code);
		pep_jw_end(&w);
		pep_jw_kv_string(&w, "stage", pep_stage_names[r->stage]);
		if (r->section) {
			char sec[2] = {r->section, '\0'};
			pep_jw_kv_string(&w, "section", sec);
		} else {
			pep_jw_kv_null(&w, "section");
		}
		pep_buf_clear(&b);
		pep_rule_summary(r, &b);
		pep_jw_kv_string(&w, "summary", pep_buf_str(&b));
		pep_buf_clear(&b);
		pep_rule_source(r, &b);
		pep_jw_kv_string(&w, "source", pep_buf_str(&b));
		pep_jw_kv_array_begin(&w, "limits");
		for (size_t k = 0; k < pep_limit_count(); k++)
			if (pep_rule_uses_limit(r, pep_limit_name(k)))
				pep_jw_string(&w, pep_limit_name(k));
		pep_jw_end(&w);
		pep_jw_end(&w);
	}
	pep_jw_end(&w);
	pep_jw_kv_array_begin(&w, "profiles");
	for (size_t i = 0; i < pep_profiles_count; i++) {
		const pep_profile *p = &pep_profiles[i];
		pep_jw_object_begin(&w);
		pep_jw_kv_string(&w, "code", p->code);
		pep_jw_kv_string(&w, "name", p->name);
		pep_jw_kv_bool(&w, "default", p == pep_profile_default());
		pep_jw_kv_object_begin(&w, "limits");
		for (size_t k = 0; k < pep_limit_count(); k++) {
			const pep_limit *l = pep_profile_limit_at(p, k);
			if (l->unit == PEP_UNIT_NONE)
				continue;
			pep_jw_kv_object_begin(&w, pep_limit_name(k));
			pep_jw_kv_string(&w, "text", pep_limit_text(l, text, sizeof text));
			pep_jw_kv_int(&w, "n", l->n);
			if (l->max)
				pep_jw_kv_int(&w, "max", l->max);
			pep_jw_kv_string(&w, "unit", unit_names[l->unit]);
			if (l->source)
				pep_jw_kv_string(&w, "source", l->source);
			else
				pep_jw_kv_null(&w, "source");
			pep_jw_end(&w);
		}
		pep_jw_end(&w);
		pep_jw_end(&w);
	}
	pep_jw_end(&w);
	pep_jw_end(&w);
	fputc('\n', out);
	pep_buf_free(&b);
}

/* The catalogue as a text table, or as docs/rules.md (markdown). */
static void write_table(FILE *out, bool markdown)
{
	pep_buf prof = PEP_BUF_INIT, raised = PEP_BUF_INIT, foot = PEP_BUF_INIT, summary = PEP_BUF_INIT,
	        source = PEP_BUF_INIT;
	if (markdown)
		fputs("# Rules\n\n"
		      "The rule catalogue as `pep` implements it, generated by `pep rules --format markdown`\n"
		      "(a test keeps this file equal to that output). Severity **error** means the PEP must not be\n"
		      "signed off (or uploaded) as it is; **warning** means a quality problem a reviewer should see.\n"
		      "A rule applies at its stage (draft, signoff, upload) and every later one, to the PEPs of the\n"
		      "local authorities (profiles) named; what each profile adds, and its limits, are at the end.\n"
		      "How the rules that needed interpreting are read is in docs/rules-notes.md.\n"
		      "Schema violations are reported as **XSD** and XML that is not well-formed as **XML**.\n"
		      "\n"
		      "The sources, as the tables name them:\n\n"
		      "- **" PEP_DOC_KENT "**, sections as numbered in the policy;\n"
		      "- **" PEP_DOC_SOUTHWARK "**: Southwark children's services procedure, Personal Education Plans;\n"
		      "- **" PEP_DOC_KIRKLEES_GUIDE "** (*Personal Education Plans - 1 minute Guide*), and the\n"
		      "  **" PEP_DOC_KIRKLEES_CHECKLIST "** and **" PEP_DOC_KIRKLEES_POST16 "** that follow it (PEP\n"
		      "  completion checklists, by section A to D);\n"
		      "- **" PEP_DOC_DFE "**: *Promoting the education of looked after children* (DfE, July\n"
		      "  2014), as the Kirklees guide quotes it;\n"
		      "- **" PEP_DOC_VS_PAGE "**: *4. Personal Education Plans*;\n"
		      "- **" PEP_DOC_FAMILIES "**: *Personal Education Plans – PEP: A Guide for Families &\n"
		      "  Professionals*.\n", out);
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		bool first = true;
		for (size_t i = 0; i < pep_rules_count; i++) {
			const pep_rule *r = &pep_rules[i];
			if (group_of(r) != g)
				continue;
			pep_buf_clear(&prof);
			pep_buf_clear(&raised);
			pep_buf_clear(&summary);
			pep_buf_clear(&source);
			profiles_text(r, &prof);
			raised_text(r, &raised);
			pep_rule_summary(r, &summary);
			pep_rule_source(r, &source);
			if (!markdown) {
				fprintf(out, "%-6s %-7s %-27s %-8s %s [%s]\n", r->id,
				        raised.len ? "error*" : severity_name(r->severity), pep_buf_str(&prof),
				        pep_stage_names[r->stage], pep_buf_str(&summary), pep_buf_str(&source));
				if (raised.len)
					pep_buf_printf(&foot, "* %s: error for %s, %s for the other profiles.\n", r->id,
					               pep_buf_str(&raised), severity_name(r->severity));
			} else {
				if (first)
					fprintf(out, "\n## %s\n\n| id | severity | profiles | stage | rule | source |\n"
					        "| --- | --- | --- | --- | --- | --- |\n", groups[g].title);
				fprintf(out, "| %s | ", r->id);
				if (raised.len)
					fprintf(out, "error (%s), %s (others)", pep_buf_str(&raised), severity_name(r->severity));
				else
					fputs(severity_name(r->severity), out);
				fprintf(out, " | %s | %s | %s | %s |\n", pep_buf_str(&prof), pep_stage_names[r->stage],
				        pep_buf_str(&summary), pep_buf_str(&source));
			}
			first = false;
		}
	}
	if (foot.len)
		fprintf(out, "\n%s", pep_buf_str(&foot));
	if (markdown) {
		write_profiles_markdown(out);
		write_forms_markdown(out);
	} else {
		write_profiles_text(out);
	}
	pep_buf_free(&prof);
	pep_buf_free(&raised);
	pep_buf_free(&foot);
	pep_buf_free(&summary);
	pep_buf_free(&source);
}

void pep_rules_write_text(FILE *out)
{
	write_table(out, false);
}

void pep_rules_write_markdown(FILE *out)
{
	write_table(out, true);
}
