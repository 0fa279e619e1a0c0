/* cohort.h: what a batch report needs from each PEP, and the cohort figures.
 *
 * A batch keeps no model: the worker that checked a file extracts these few
 * facts (dates, flags, sums), and the report is built from them. The cohort
 * summary is aggregates only, and a count from 1 to 4 is shown as "fewer than
 * 5" (with its percentage), so that no child can be picked out of a small
 * group; the same for a PP+ total made of fewer than 5 requests. */
#ifndef PEP_COHORT_H
#define PEP_COHORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "date.h"
#include "diag.h"
#include "model.h"

#define PEP_AREAS 7 /* pep_area values, 0 = no area */

typedef struct pep_facts {
	bool loaded;              /* schema-valid: the facts below are known */
	pep_day meeting;          /* this meeting, PEP_NO_DAY when not recorded */
	pep_day due;              /* the next PEP due: the next meeting, or 6 months after this one */
	const char *due_basis;    /* "next meeting" or "6-month review" (static) */
	bool attendance_known;
	int64_t attendance;       /* hundredths of a per cent */
	bool reduced;             /* reduced timetable or personalised package */
	bool no_provision;
	bool neet;
	int64_t pp_pence[PEP_AREAS]; /* PP+ requested, by target area */
	int pp_count[PEP_AREAS];
} pep_facts;

/* The facts of a loaded PEP. */
void pep_facts_from_model(const pep_model *m, pep_facts *f);

typedef struct pep_cohort {
	size_t files, loaded, not_loaded;
	size_t red, amber, green;
	size_t recent_meeting;       /* a meeting within 6 months before as-of */
	size_t attendance_below_90, reduced, no_provision, neet;
	int64_t pp_pence[PEP_AREAS];
	size_t pp_count[PEP_AREAS];
} pep_cohort;

void pep_cohort_add(pep_cohort *c, const pep_facts *f, const pep_diags *d, pep_day as_of);

typedef enum pep_report_format { PEP_REPORT_TEXT, PEP_REPORT_JSON, PEP_REPORT_CSV } pep_report_format;

/* Writes the cohort figures as of as_of. */
void pep_cohort_write(FILE *out, const pep_cohort *c, pep_day as_of, pep_report_format format, bool excel);

/* One line of the due list: a PEP whose next PEP is overdue or due soon. */
typedef struct pep_due {
	char *file, *la;          /* owned */
	const char *grade, *basis; /* static */
	pep_day deadline;
	int days_left;            /* negative: overdue */
} pep_due;

typedef struct pep_due_list {
	pep_due *v;
	size_t n, cap;
	size_t not_due, no_meeting, not_loaded;
} pep_due_list;

/* Adds the file when its next PEP is due within `within` days of as_of (or
 * overdue); counts it otherwise. */
void pep_due_add(pep_due_list *l, const pep_facts *f, const pep_diags *d, pep_day as_of, int within);
/* Sorts by deadline (overdue first), then path, and writes. Frees nothing. */
void pep_due_write(FILE *out, pep_due_list *l, pep_day as_of, int within, pep_report_format format, bool excel);
void pep_due_free(pep_due_list *l);

#endif
