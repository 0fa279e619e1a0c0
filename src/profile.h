/* profile.h: the rule profiles of the local authorities, as data.
 *
 * A profile is what one LA's own procedure adds to the rules every LA
 * shares: which of the local rules (scope LA in rules_list.h) it applies,
 * which warnings it treats as errors, and the limits its rules count with.
 * Every LA without a profile of its own gets the default one. The table is
 * in profile.c; a new LA is a row there, plus at most its own rules.
 *
 * Ownership: everything here is static, read-only data. */
#ifndef PEP_PROFILE_H
#define PEP_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

/* A number of school days (counted with the school's term dates) or of
 * working days (Monday to Friday, not a bank holiday). */
typedef struct pep_days {
	int n;
	bool school;
} pep_days;

typedef struct pep_profile {
	const char *code;   /* the LA code documents and --la use: "kent"; "default" for any other LA */
	const char *name;   /* for messages: "Kent allows 10 school days ..." */
	const char *rules;  /* the local rules it applies, by id, space-separated: "T01 T02 A05" */
	const char *errors; /* the warning rules it treats as errors, likewise */
	/* The limits its rules use; zero where it does not apply the rule. */
	pep_days initial_planned;   /* T01, T03, T04: the initial PEP, after a planned placement */
	pep_days initial_unplanned; /* the same, after an unplanned (emergency) placement */
	pep_days initial_no_place;  /* T02: the initial PEP of a child with no school place */
	pep_days transition;        /* T08: the transition PEP, after starting the new school */
	pep_days sections_done;     /* T09: every section marked complete, after the meeting */
	int lar_min_days;           /* T10: the meeting at least this long before the next */
	int lar_max_days;           /*      Looked After Review, and at most this long */
	int review_months;          /* T05, T07, D06: the longest time from one PEP meeting to the next */
	int targets_min;            /* D04: how many new targets are agreed */
	int targets_max;
} pep_profile;

/* Every profile, the default last. */
extern const pep_profile pep_profiles[];
extern const size_t pep_profiles_count;

/* The profile of the LA with this code; the default one for NULL, for
 * "default" and for any LA without a profile of its own. */
const pep_profile *pep_profile_for(const char *la);
/* The default profile. */
const pep_profile *pep_profile_default(void);
/* True when the space-separated list of rule ids names id. */
bool pep_profile_lists(const char *list, const char *id);

#endif
