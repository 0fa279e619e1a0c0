/* profile.h: the rule profiles of the local authorities, as data.
 *
 * A profile is what one LA's own procedure adds to the rules every LA
 * shares: which of the local rules (scope LA in rules_list.h) it applies,
 * which warnings it treats as errors, and the limits its rules count with,
 * each with the place in the LA's documents that sets it. Every LA without
 * a profile of its own gets the default one.
 *
 * The rows are in profile_list.h, one per LA, the default last; profiles.c
 * makes the table pep_profiles[] from them (and nothing else, so that a
 * test may link a table of its own). A new LA is a row there, plus at most
 * its own rules: the rules' messages, the catalogue's summaries and sources
 * (`pep rules`, docs/rules.md) and the deadlines all read the limits from
 * the row. A rule's summary names the limits it uses as {field}
 * (rules_list.h).
 *
 * Ownership: everything here is static, read-only data; the text functions
 * write into the caller's buffer. */
#ifndef PEP_PROFILE_H
#define PEP_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

/* The documents the rules and the limits come from, by the titles people
 * know them by (code comments cite them by seed file instead: 000 ... 004). */
#define PEP_DOC_KENT "Kent Virtual School PEP policy"                  /* seed 000 */
#define PEP_DOC_SOUTHWARK "Southwark procedure 3.5.2"                  /* seed 001 */
#define PEP_DOC_VS_PAGE "a virtual school's PEP page"                   /* seed 002 */
#define PEP_DOC_KIRKLEES_GUIDE "Kirklees PEP 1 minute guide"            /* seed 003 */
#define PEP_DOC_KIRKLEES_CHECKLIST "Kirklees ePEP checklist"            /* seed 003 */
#define PEP_DOC_KIRKLEES_POST16 "Kirklees ePEP Post16 checklist"        /* seed 003 */
#define PEP_DOC_DFE "DfE statutory guidance"                            /* quoted in seed 003 */
#define PEP_DOC_FAMILIES "PEP guide for families and professionals"     /* seed 004 */

/* What a limit counts. */
typedef enum pep_unit {
	PEP_UNIT_NONE,         /* the profile sets no such limit */
	PEP_UNIT_SCHOOL_DAYS,  /* days in a term of the school's calendar */
	PEP_UNIT_WORKING_DAYS, /* Monday to Friday, not a bank holiday */
	PEP_UNIT_WEEKS,
	PEP_UNIT_MONTHS,       /* the same day n months later, clamped */
	PEP_UNIT_NUMBER,       /* a number of things (targets) */
} pep_unit;

/* One limit: n of unit, or n to max for a range, and where the LA's
 * documents set it (title and section, for people). */
typedef struct pep_limit {
	int n;
	int max;            /* a range's other end; 0 when not a range */
	pep_unit unit;
	const char *source; /* PEP_DOC_KENT " §3"; NULL only where no profile cites it */
} pep_limit;

/* The limits in a row of profile_list.h. */
#define PEP_SCHOOL_DAYS(n, source) {(n), 0, PEP_UNIT_SCHOOL_DAYS, (source)}
#define PEP_WORKING_DAYS(n, source) {(n), 0, PEP_UNIT_WORKING_DAYS, (source)}
#define PEP_MONTHS(n, source) {(n), 0, PEP_UNIT_MONTHS, (source)}
#define PEP_WEEKS_RANGE(n, max, source) {(n), (max), PEP_UNIT_WEEKS, (source)}
#define PEP_NUMBER_RANGE(n, max, source) {(n), (max), PEP_UNIT_NUMBER, (source)}
#define PEP_NUMBER(n, source) {(n), 0, PEP_UNIT_NUMBER, (source)}

/* Every limit a profile may set, one line each (after jq's opcode_list.h):
 *   X(field, "what it limits, for people")
 * The field is the profile's member and the {field} of the rules'
 * summaries. */
#define PEP_LIMITS(X)                                                                    \
	X(initial, "initial PEP, planned placement or not")                                  \
	X(initial_planned, "initial PEP, after a planned placement")                         \
	X(initial_unplanned, "initial PEP, after an unplanned placement")                    \
	X(initial_no_place, "initial PEP, for a child with no school place")                 \
	X(transition, "transition PEP, after starting at the new school")                    \
	X(sections_done, "every section marked complete, after the meeting")                 \
	X(lar, "the PEP meeting, before the next Looked After Review")                       \
	X(review, "from one PEP meeting to the next")                                        \
	X(targets, "new targets at each PEP")                                               \
	X(per_year, "PEP meetings in each academic year, by the summer term")

typedef struct pep_profile {
	const char *code;   /* the LA code documents and --la use: "kent"; "default" for any other LA */
	const char *name;   /* for messages: "Kent allows 10 school days ..." */
	const char *rules;  /* the local rules it applies, by id, space-separated: "T01 T02 A05" */
	const char *errors; /* the warning rules it treats as errors, likewise */
	/* The limits (PEP_LIMITS): pep_limit initial, initial_planned, ...;
	 * unit PEP_UNIT_NONE where the profile applies no rule that uses it. */
#define PEP_LIMIT_MEMBER(field, words) pep_limit field;
	PEP_LIMITS(PEP_LIMIT_MEMBER)
#undef PEP_LIMIT_MEMBER
} pep_profile;

/* Every profile, the default last (profiles.c, from profile_list.h). */
extern const pep_profile pep_profiles[];
extern const size_t pep_profiles_count;

/* The profile of the LA with this code; the default one for NULL, for
 * "default" and for any LA without a profile of its own. */
const pep_profile *pep_profile_for(const char *la);
/* The default profile. */
const pep_profile *pep_profile_default(void);
/* True when the space-separated list of rule ids names id. */
bool pep_profile_lists(const char *list, const char *id);

/* The limits by name (PEP_LIMITS): how many, the i-th one's field name and
 * words, and a profile's limit by field name (NULL for an unknown name). */
size_t pep_limit_count(void);
const char *pep_limit_name(size_t i);
const char *pep_limit_words(size_t i);
const pep_limit *pep_profile_limit(const pep_profile *p, const char *name);
const pep_limit *pep_profile_limit_at(const pep_profile *p, size_t i);

/* A limit in words: "20 school days", "6 months", "2 to 6 weeks", "1 to
 * 3"; "" for one not set. Returns buf, which holds size bytes (48 is
 * enough). */
const char *pep_limit_text(const pep_limit *l, char *buf, size_t size);
/* "school" or "working", for a count of days. */
const char *pep_limit_days_unit(const pep_limit *l);
/* Whether two limits are the same (their sources aside). */
bool pep_limit_equal(const pep_limit *a, const pep_limit *b);

#endif
