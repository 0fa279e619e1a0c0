/* rules.h: the statutory rule catalogue and the engine that applies it.
 *
 * The catalogue is one list, rules_list.h: each rule's id, severity, scope
 * (every LA, or only the LAs whose profile names it), the stage from which
 * it applies, the PEP section it concerns, a one-line summary and the
 * documents it comes from. The table pep_rules[] and its index, the
 * prototypes of the checks, `pep rules`, docs/rules.md and the tests are all
 * made from it. What each LA adds (its local rules, stricter severities and
 * limits) is data in profile_list.h.
 *
 * Rules read the typed model (model.h) only. Each diagnostic names the values
 * it judged, the limit it used and what would fix it. Rules that count days
 * use the calendars (calendar.h); when no calendar covers a date they need,
 * they report the calendar gap instead of guessing. How each rule is read is in
 * docs/rules-notes.md. */
#ifndef PEP_RULES_H
#define PEP_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "calendar.h"
#include "date.h"
#include "diag.h"
#include "model.h"
#include "profile.h"
#include "strbuf.h"

/* The stage a PEP is checked at; a rule applies at its stage and later. */
typedef enum pep_stage {
	PEP_STAGE_DRAFT,   /* before the meeting */
	PEP_STAGE_SIGNOFF, /* the meeting is held, the PEP is about to be signed off */
	PEP_STAGE_UPLOAD,  /* after QA, before upload */
} pep_stage;

extern const char *const pep_stage_names[]; /* "draft", "signoff", "upload", NULL */

/* Which LAs a rule applies to. */
typedef enum pep_rule_scope {
	PEP_SCOPE_ALL, /* every LA */
	PEP_SCOPE_LA,  /* only the LAs whose profile names it */
} pep_rule_scope;

typedef struct pep_rule_ctx pep_rule_ctx;

typedef struct pep_rule {
	const char *id;          /* fixed once published */
	pep_severity severity;   /* a profile may raise a warning to an error */
	pep_rule_scope scope;
	pep_stage stage;
	char section;            /* 'A'..'D', or 0 */
	const char *summary_template; /* what it checks, the LA's limits as {field}: read pep_rule_summary() */
	const char *requirement_source; /* where its requirement comes from, by title and section ("" when it is
	                                   all limit): read pep_rule_source(), which adds the limits' own */
	void (*check)(pep_rule_ctx *ctx); /* NULL for a rule the engine reports itself */
} pep_rule;

/* The index of each rule in pep_rules[]: PEP_RULE_T01, ... */
typedef enum pep_rule_index {
#define PEP_RULE(id, ...) PEP_RULE_##id,
#define PEP_RULE_REPORTED(id, ...) PEP_RULE_##id,
#include "rules_list.h"
#undef PEP_RULE
#undef PEP_RULE_REPORTED
	PEP_RULES_COUNT
} pep_rule_index;

extern const pep_rule pep_rules[PEP_RULES_COUNT];
extern const size_t pep_rules_count;

/* The rule with this id, or NULL. */
const pep_rule *pep_rule_find(const char *id);
/* Whether profile p applies rule r, and with which severity. */
bool pep_rule_applies(const pep_rule *r, const pep_profile *p);
pep_severity pep_rule_severity(const pep_rule *r, const pep_profile *p);
/* What r checks, for people, appended to b: its summary with each {limit}
 * filled in from the profiles that apply r, those that differ from the
 * default (or the first) in brackets: "within 20 school days (medway: 15
 * school days)". */
void pep_rule_summary(const pep_rule *r, pep_buf *b);
/* Where r comes from, appended to b: its requirement's source, then the
 * sources of its limits from the profiles that apply it, each once, with
 * the profiles' codes where not every one cites it. */
void pep_rule_source(const pep_rule *r, pep_buf *b);
/* Whether r's summary names the limit called name ({name}). */
bool pep_rule_uses_limit(const pep_rule *r, const char *name);
/* The one field of the PEP rule r judges and nothing else, as a canonical
 * path below the root ("educationInformation/previousSchools"), or NULL
 * when it judges more (or nothing of the file). */
const char *pep_rule_field(const pep_rule *r);

/* How to judge a document. */
typedef struct pep_rules_env {
	const pep_calendars *cals; /* required by the T rules */
	pep_stage stage;
	pep_day as_of;
	const char *la;            /* overrides the document's LA when not NULL */
	bool redact;               /* batch reports: never quote free text or a date of birth */
	/* The canonical fields the file's form has no place for and the file
	 * does not carry a value for (format.h), NULL-terminated, or NULL: the
	 * rules that judge only such a field (pep_rule_field) are not applied. */
	const char *const *absent;
	bool field_words;          /* the file is on another format's form: messages name fields in
	                              words, never by the canonical format's paths */
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
	pep_day review;           /* T07: the LA's review limit after this meeting; without a meeting, T05: after
	                             the latest in the PEP history; PEP_NO_DAY when neither is known */
	const char *review_rule;  /* "T07", "T05" or NULL */
	pep_day signoff;          /* T09's limit after the meeting (PEP_NO_DAY without one); where the LA does
	                             not apply T09, 10 school days (the termly figures' measure) */
	bool signoff_rule;        /* T09 applies to the PEP's LA */
	pep_day uncovered;        /* the first date no calendar covers, when a deadline above could not be
	                             counted; PEP_NO_DAY otherwise */
} pep_deadlines;

void pep_rules_deadlines(const pep_model *m, const pep_rules_env *env, pep_deadlines *out);
/* T05/T07: the last day for the next review PEP after a meeting on `day`
 * under the LA's profile. */
pep_day pep_rules_review_limit(const char *la, pep_day day);
/* T09's limit for signing a PEP off after its meeting under the LA's
 * profile (*rule true); where the LA does not apply T09, the 10 school
 * days that measure the termly figure "signed off in time" (*rule false;
 * rule may be NULL). */
const pep_limit *pep_rules_signoff_limit(const char *la, bool *rule);

/* The catalogue as the program implements it, one writer per format:
 * a text table, docs/rules.md, or JSON; each ends with the profiles and
 * their limits, with the sources of each. */
void pep_rules_write_text(FILE *out);
void pep_rules_write_markdown(FILE *out);
void pep_rules_write_json(FILE *out);

#endif
