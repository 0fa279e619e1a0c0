/* rules_impl.h: what the rule checks share (internal to rules*.c).
 *
 * A check, pep_check_ID() for each rule of rules_list.h, reads ctx->m (the
 * model), ctx->profile (the limits of the LA whose rules apply) and the
 * facts derived once per document below, and reports through
 * pep_rule_report(), which applies the rule's id, severity and section.
 * Checks that count days go through the pep_rule_*_days helpers, which
 * report the calendar gap (once per date) when no calendar covers a day they need and
 * then return false: the check stops there rather than guess. */
#ifndef PEP_RULES_IMPL_H
#define PEP_RULES_IMPL_H

#include "rules.h"

struct pep_rule_ctx {
	const pep_model *m;
	const pep_rule *rule;   /* the rule being checked */
	const pep_profile *profile; /* the LA's limits */
	const char *la;         /* the LA whose rules apply */
	const char *cal_la;     /* the LA whose term dates count: the school's LA */
	const char *urn;        /* the school's URN, or NULL */
	pep_stage stage;
	pep_day as_of;
	const pep_calendars *cals;
	pep_diags *d;
	bool redact;            /* never quote free text or a date of birth (batch reports) */
	bool field_words;       /* name fields in words, not by path (pep_rule_report) */
	bool commented_told[8]; /* which of m->commented a message has told of */

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
	pep_day cal01[16];      /* dates already reported as calendar gaps */
	size_t ncal01;
};

/* Sets up ctx for judging m under env (the facts derived once), reporting
 * into d; ctx->rule is left for the caller. */
void pep_rule_ctx_init(pep_rule_ctx *ctx, const pep_model *m, const pep_rules_env *env, pep_diags *d);

/* Reports the current rule at line. A field's path in fmt is written
 * {path|words}: the path for a file in the canonical format, the words
 * (which may be empty) for a file on another form, whose paths differ
 * ("fill in {essentialInformation/personal|the personal information}").
 * Braces are for that alone; the arguments are never read for them. When
 * a value was typed inside a comment in the element at line (or in its
 * empty field), the message says so (rules.c). */
void pep_rule_report(pep_rule_ctx *ctx, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Day counting that reports a calendar gap and returns false when not covered. */
bool pep_rule_add_school_days(pep_rule_ctx *ctx, pep_day from, int n, pep_day *out, int line);
bool pep_rule_add_working_days(pep_rule_ctx *ctx, pep_day from, int n, pep_day *out, int line);
bool pep_rule_count_school_days(pep_rule_ctx *ctx, pep_day from, pep_day to, int *out, int line);
bool pep_rule_count_working_days(pep_rule_ctx *ctx, pep_day from, pep_day to, int *out, int line);
/* The same for a limit of school or working days (profile.h). */
bool pep_rule_add_days(pep_rule_ctx *ctx, pep_day from, const pep_limit *n, pep_day *out, int line);
bool pep_rule_year_terms(pep_rule_ctx *ctx, pep_day d, pep_term_info out[3], int line);
bool pep_rule_term_at(pep_rule_ctx *ctx, pep_day d, pep_term_info *out, int line);
/* "; term dates from ..." when the calendar used for d is of low
 * confidence, else "". Borrowed until the next call. */
const char *pep_rule_confidence_note(pep_rule_ctx *ctx, pep_day d);

/* Small helpers. */
#define BLANK(t) pep_text_blank(t)
/* YYYY-MM-DD into one of a few rotating buffers (valid for a few calls). */
const char *pep_ymd(pep_day d);
/* Age in whole years on day `on`. */
int pep_age_on(pep_day birth, pep_day on);
/* True when an attachment of kind k is listed. */
bool pep_has_attachment(const pep_model *m, int kind);
/* Case-insensitive substring test on UTF-8 text (ASCII letters folded). */
bool pep_text_mentions(const char *hay, const char *needle);
/* Appends item to a ", "-separated list in buf (size bytes). */
void pep_list_add(char *buf, size_t size, const char *item);

/* The checks, one per rule of rules_list.h. */
#define PEP_RULE(id, ...) void pep_check_##id(pep_rule_ctx *ctx);
#define PEP_RULE_REPORTED(id, ...)
#include "rules_list.h"
#undef PEP_RULE
#undef PEP_RULE_REPORTED

/* The UPN check letter of the 12 characters after it (DfE), or 0 when they
 * are not digits (the last may be a letter). */
char pep_upn_check_letter(const char *upn);

#endif
