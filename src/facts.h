/* facts.h: what the batch commands need from each PEP.
 *
 * A batch keeps no model: the worker that checked a file extracts these
 * facts (who the child is, their school and the staff who act, the dates
 * and the deadlines the rules set, a few flags and sums) and frees the
 * document; `pep caseload` builds its children, due dates and termly
 * figures from them alone.
 *
 * Terms are numbered so that they sort and subtract: 3 x the academic
 * year's start + 0 (autumn), 1 (spring) or 2 (summer); autumn 2025 is 6075.
 * A date's term comes from the school's calendar (the rules' choice of
 * calendar); where no calendar covers it, from the calendar months
 * (September to December autumn, January to March spring, April to August
 * summer), and the facts say so.
 *
 * Ownership: the strings of a pep_facts are its own, freed by
 * pep_facts_free() (which leaves it empty). */
#ifndef PEP_FACTS_H
#define PEP_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "model.h"
#include "rules.h"

#define PEP_AREAS 7 /* pep_area values, 0 = no area */

typedef struct pep_facts {
	bool loaded;                /* schema-valid: the facts below are known */
	/* Who, and who acts (NULL when not recorded) */
	char *la, *child_id, *upn;
	char *name;                 /* given and family names */
	char *school_urn, *school_name, *social_worker, *designated_teacher;
	int year;                   /* pep_year, 0 when not recorded */
	/* This PEP */
	int kind;                   /* pep_kind of the header */
	int meeting_kind;           /* pep_meeting_kind of the meeting */
	int form_state;             /* pep_form_state */
	int qa_grade;               /* pep_qa_grade the virtual school recorded, 0 when none */
	bool initial;               /* an initial PEP */
	pep_day meeting;            /* this meeting; PEP_NO_DAY when not recorded */
	pep_day next_meeting;       /* the next meeting it records */
	pep_day history_last;       /* the latest meeting of its PEP history before this one */
	pep_day became_lac;
	pep_day signed_off;         /* the last section marked complete, all four being; else the
	                               state change to signed-off; PEP_NO_DAY when not known */
	bool is_signed;             /* signed off (or later), dated or not */
	pep_deadlines deadlines;    /* the rule engine's */
	/* Terms */
	int term;                   /* of the meeting, -1 without one */
	int first_term;             /* the first term a PEP was due in: looked after 4 weeks before its
	                               end (as T11 counts); -1 when not known */
	int as_of_term;             /* the term of the as-of date */
	bool term_by_months;        /* a term above came from the calendar months */
	/* For the cohort figures */
	bool attendance_known;
	int64_t attendance;         /* hundredths of a per cent */
	bool reduced;               /* reduced timetable or personalised package */
	bool no_provision;
	bool neet;
	int64_t pp_pence[PEP_AREAS]; /* PP+ requested, by target area */
	int pp_count[PEP_AREAS];
} pep_facts;

/* The facts of a loaded PEP, judged under env (its calendars and as-of). */
void pep_facts_from_model(const pep_model *m, const pep_rules_env *env, pep_facts *f);
void pep_facts_free(pep_facts *f);

/* The term number of an academic year (its September's year) and season;
 * and back: its label, "2025-26 autumn". */
int pep_term_index(int start_year, pep_season season);
void pep_term_label(int term, char out[24]);
/* The term of a date by the calendar months alone. */
int pep_term_by_months(pep_day d);

#endif
