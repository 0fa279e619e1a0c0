/* rules.h: the statutory rule catalogue and the engine that applies it.
 *
 * One table (pep_rules[]) is the single source of truth for the catalogue of
 * spec/rules.md: id, severity, the profiles (LAs) it applies to, the stage
 * from which it applies, the PEP section it concerns, a one-line summary, the
 * source it comes from, and the function that checks it. `pep rules`,
 * docs/rules.md, the validator and the tests all read this table.
 *
 * Rules read the typed model (model.h) only. Each diagnostic names the values
 * it judged, the limit it used and what would fix it. Rules that count days
 * use the calendars (calendar.h); when no calendar covers a date they need,
 * they report CAL01 instead of guessing. */
#ifndef PEP_RULES_H
#define PEP_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "calendar.h"
#include "date.h"
#include "diag.h"
#include "model.h"

/* The stage a PEP is checked at; a rule applies at its stage and later. */
typedef enum pep_stage {
	PEP_STAGE_DRAFT,   /* before the meeting */
	PEP_STAGE_SIGNOFF, /* the meeting is held, the PEP is about to be signed off */
	PEP_STAGE_UPLOAD,  /* after QA, before upload */
} pep_stage;

extern const char *const pep_stage_names[]; /* "draft", "signoff", "upload", NULL */

/* Rule profiles, one per LA with its own procedure, and a default. */
typedef enum pep_profile {
	PEP_PROFILE_KENT = 1,
	PEP_PROFILE_SOUTHWARK = 2,
	PEP_PROFILE_KIRKLEES = 4,
	PEP_PROFILE_DEFAULT = 8, /* every other LA */
} pep_profile;
#define PEP_PROFILES_ALL 15u

/* The profile for an LA code: kent, southwark, kirklees, otherwise the
 * default ("default" itself names it). */
pep_profile pep_profile_for(const char *la);
/* "kent", "southwark", "kirklees" or "default". */
const char *pep_profile_name(pep_profile p);

typedef struct pep_rule_ctx pep_rule_ctx;

typedef struct pep_rule {
	const char *id;          /* "T01" ... fixed, as in spec/rules.md */
	pep_severity severity;
	unsigned profiles;       /* PEP_PROFILE_* bits */
	pep_stage stage;
	char section;            /* 'A'..'D', or 0 */
	const char *summary;
	const char *source;      /* seed sections, e.g. "000 §2, §3, §4(i)" */
	void (*check)(pep_rule_ctx *ctx); /* NULL for CAL01, which the counting reports */
	unsigned error_in;       /* profiles where a warning rule is an error (D04) */
} pep_rule;

extern const pep_rule pep_rules[];
extern const size_t pep_rules_count;

/* The rule with this id, or NULL. */
const pep_rule *pep_rule_find(const char *id);
/* The rule's severity under profile p. */
pep_severity pep_rule_severity(const pep_rule *r, pep_profile p);

/* How to judge a document. */
typedef struct pep_rules_env {
	const pep_calendars *cals; /* required by the T rules */
	pep_stage stage;
	pep_day as_of;
	const char *la;            /* overrides the document's LA when not NULL */
	bool redact;               /* batch reports: never quote a date of birth */
} pep_rules_env;

/* Applies every rule for the document's profile and stage, adding
 * diagnostics to d. */
void pep_rules_run(const pep_model *m, const pep_rules_env *env, pep_diags *d);

/* Whose term dates count for the PEP's day counting: *la and *urn for
 * calendar.h (borrowed from m or env; urn may be NULL). */
void pep_rules_school_calendar(const pep_model *m, const pep_rules_env *env, const char **la, const char **urn);

/* The deadlines the timescale rules set for a PEP, counted as the checks
 * count them (the same calendars and limits), for the caseload's due dates
 * and termly figures. Nothing is judged and nothing reported. */
typedef struct pep_deadlines {
	pep_day initial;          /* T01-T04: an initial PEP's meeting is due by this day; PEP_NO_DAY when
	                             not an initial PEP, or not known (no date looked after, no placement) */
	const char *initial_rule; /* "T01" ... "T04" (static), or NULL */
	pep_day review;           /* T07: 6 months after this meeting; without a meeting, T05: 6 months after
	                             the latest in the PEP history; PEP_NO_DAY when neither is known */
	const char *review_rule;  /* "T07", "T05" or NULL */
	pep_day signoff;          /* T09's limit: the 10th school day after the meeting (PEP_NO_DAY without one) */
	bool signoff_rule;        /* T09 applies to the PEP's LA */
	pep_day uncovered;        /* the first date no calendar covers, when a deadline above could not be
	                             counted; PEP_NO_DAY otherwise */
} pep_deadlines;

void pep_rules_deadlines(const pep_model *m, const pep_rules_env *env, pep_deadlines *out);
/* T05/T07: the last day for the next review PEP after a meeting on `day`. */
pep_day pep_rules_review_limit(pep_day day);

typedef enum pep_rules_format { PEP_RULES_TEXT, PEP_RULES_MARKDOWN, PEP_RULES_JSON } pep_rules_format;
extern const char *const pep_rules_format_names[]; /* "text", "markdown", "json", NULL */
/* Writes the catalogue as the program implements it. */
void pep_rules_write(FILE *out, pep_rules_format format);

#endif
