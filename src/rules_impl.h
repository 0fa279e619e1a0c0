/* rules_impl.h: what the rule checks share (internal to rules*.c).
 *
 * A check reads ctx->m (the model) and the facts derived once per document
 * below, and reports through rule_report(), which applies the rule's id,
 * severity and section. Checks that count days go through the rc_* helpers,
 * which report CAL01 (once per date) when no calendar covers a day they need
 * and then return false: the check stops there rather than guess. */
#ifndef PEP_RULES_IMPL_H
#define PEP_RULES_IMPL_H

#include "rules.h"

struct pep_rule_ctx {
	const pep_model *m;
	const pep_rule *rule;   /* the rule being checked */
	pep_profile profile;
	const char *la;         /* the LA whose rules apply */
	const char *cal_la;     /* the LA whose term dates count: the school's LA */
	const char *urn;        /* the school's URN, or NULL */
	pep_stage stage;
	pep_day as_of;
	const pep_calendars *cals;
	pep_diags *d;
	bool redact;            /* never quote personal data (batch reports) */

	/* Facts derived once. */
	pep_day meeting;        /* this meeting's date, PEP_NO_DAY when not recorded */
	int meeting_line;
	pep_day ref;            /* the meeting date, or as-of when there is none */
	int year;               /* pep_year, 0 when unknown */
	bool initial;           /* the initial PEP */
	bool transition;        /* a transition PEP */
	bool post16;            /* post-16 kind, or Year 12 and above */
	bool no_provision;      /* noEducationalProvision instead of a school */
	bool neet;              /* post-16 participation is NEET */
	pep_day cal01[16];      /* dates already reported as CAL01 */
	size_t ncal01;
};

/* Sets up ctx for judging m under env (the facts derived once), reporting
 * into d; ctx->rule is left for the caller. */
void rule_ctx_init(pep_rule_ctx *ctx, const pep_model *m, const pep_rules_env *env, pep_diags *d);

/* Reports the current rule at line. */
void rule_report(pep_rule_ctx *ctx, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Day counting that reports CAL01 and returns false when not covered.
 * `what` says what the count was for, for the CAL01 message. */
bool rc_add_school_days(pep_rule_ctx *ctx, pep_day from, int n, pep_day *out, int line);
bool rc_add_working_days(pep_rule_ctx *ctx, pep_day from, int n, pep_day *out, int line);
bool rc_count_school_days(pep_rule_ctx *ctx, pep_day from, pep_day to, int *out, int line);
bool rc_count_working_days(pep_rule_ctx *ctx, pep_day from, pep_day to, int *out, int line);
bool rc_year_terms(pep_rule_ctx *ctx, pep_day d, pep_term_info out[3], int line);
bool rc_term_at(pep_rule_ctx *ctx, pep_day d, pep_term_info *out, int line);
/* " (term dates: ..., low confidence)" when the calendar used for d is of
 * low confidence, else "". Borrowed until the next call. */
const char *rc_confidence_note(pep_rule_ctx *ctx, pep_day d);

/* Small helpers. */
#define BLANK(t) pep_text_blank(t)
/* YYYY-MM-DD into one of a few rotating buffers (valid for a few calls). */
const char *rd(pep_day d);
/* Age in whole years on day `on`. */
int age_on(pep_day birth, pep_day on);
/* True when an attachment of kind k is listed. */
bool has_attachment(const pep_model *m, int kind);
/* Case-insensitive substring test on UTF-8 text (ASCII letters folded). */
bool text_mentions(const char *hay, const char *needle);
/* Appends item to a ", "-separated list in buf (size bytes). */
void list_add(char *buf, size_t size, const char *item);

/* The checks, one per rule (rules_t.c, rules_a.c, rules_b.c, rules_cd.c,
 * rules_p.c). */
#define PEP_RULE_CHECKS(X) \
	X(t01) X(t02) X(t03) X(t04) X(t05) X(t06) X(t07) X(t08) X(t09) X(t10) X(t11) X(t12) X(t13) \
	X(a01) X(a02) X(a03) X(a04) X(a05) X(a06) X(a07) X(a08) \
	X(b01) X(b02) X(b03) X(b04) X(b05) X(b06) X(b07) X(b08) X(b09) X(b10) X(b11) \
	X(c01) X(c02) X(c03) \
	X(d01) X(d02) X(d03) X(d04) X(d05) X(d06) X(d07) X(d08) X(d09) X(d10) X(d11) X(d12) \
	X(p01) X(p02) X(p03)
#define PEP_DECLARE_CHECK(name) void check_##name(pep_rule_ctx *ctx);
PEP_RULE_CHECKS(PEP_DECLARE_CHECK)
#undef PEP_DECLARE_CHECK

/* The UPN check letter of the 12 characters after it (DfE), or 0 when they
 * are not digits (the last may be a letter). */
char pep_upn_check_letter(const char *upn);

#endif
