/* caseload.h: the virtual school's view of its PEPs: children, not files.
 *
 * The files a batch checked (their facts and diagnostics, facts.h) are
 * grouped by child: the LA and the LA child id, with the UPN linking a
 * child's PEPs across LAs; a PEP with neither is a child of its own. A
 * child's current PEP is the one with the latest meeting date, except that
 * a draft with no meeting yet is the PEP in progress and so the current
 * one; the others are history, which feeds the termly figures only.
 *
 * When the next PEP is due, from the current PEP: its meeting when that is
 * still ahead; else the next meeting it records, or the 6-month review
 * limit (T07) when that comes first or none is recorded. For a PEP in
 * progress: an initial PEP's deadline (T01-T04); for a review, what the
 * child's previous PEP set, else 6 months after the last meeting in its
 * history (T05). Every deadline is the rule engine's (rules.h).
 *
 * Memory: a small record per child (identity, the current PEP's facts, and
 * a few numbers per PEP), whatever the files hold.
 *
 * Ownership: pep_caseload_new() returns an object freed with
 * pep_caseload_free(); the report from pep_caseload_finish() and every
 * string in it belong to it. */
#ifndef PEP_CASELOAD_H
#define PEP_CASELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "diag.h"
#include "facts.h"
#include "suppress.h"

typedef enum pep_status { PEP_STATUS_OVERDUE, PEP_STATUS_DUE_SOON, PEP_STATUS_OK, PEP_STATUS_NO_DATE } pep_status;
extern const char *const pep_status_names[];  /* "overdue", "due-soon", "ok", "no-date" */
extern const char *const pep_status_labels[]; /* "OVERDUE", "due soon", "ok", "no date" */

/* The breakdowns of the termly figures: X(NAME, "option value", "heading"). */
#define PEP_BREAKDOWN_LIST(X) \
	X(NONE, "none", "") \
	X(SCHOOL, "school", "School") \
	X(SOCIAL_WORKER, "social-worker", "Social worker") \
	X(YEAR_GROUP, "year-group", "Year group") \
	X(KEY_STAGE, "key-stage", "Key stage") \
	X(LA, "la", "Local authority")
#define PEP_BREAKDOWN_ITEM(n, v, h) PEP_BY_##n,
typedef enum pep_breakdown { PEP_BREAKDOWN_LIST(PEP_BREAKDOWN_ITEM) } pep_breakdown;
#undef PEP_BREAKDOWN_ITEM
extern const char *const pep_breakdown_names[];    /* NULL-terminated */
extern const char *const pep_breakdown_headings[];

typedef struct pep_caseload_opts {
	pep_day as_of;
	int within;         /* due soon: within this many days of as_of */
	bool names;         /* keep the children's names (the report is then OFFICIAL-SENSITIVE) */
	pep_breakdown by;   /* the termly figures' breakdown */
	int terms;          /* how many terms, up to the one of as_of */
	bool summary;       /* aggregates only: the cohort figures are suppressed too */
} pep_caseload_opts;

/* A child, as the report shows them (strings NULL when not recorded). */
typedef struct pep_child {
	const char *la, *id, *upn;
	bool identified;           /* false: a PEP with neither an LA child id nor a UPN, a child of its own */
	const char *name;          /* only with opts.names */
	const char *school_urn, *school_name, *social_worker, *designated_teacher;
	int year;                  /* pep_year */
	/* The current PEP */
	const char *file;
	const char *kind;          /* the meeting's kind ("review"), else the PEP's */
	pep_day meeting;           /* PEP_NO_DAY: in progress */
	const char *grade;         /* "red", "amber", "green" (pep_diags_grade) */
	size_t errors, warnings;
	int qa;                    /* pep_qa_grade the virtual school recorded */
	size_t peps;               /* PEPs of the child read */
	/* Due */
	pep_day next_due;          /* PEP_NO_DAY: no date */
	const char *basis;         /* "next meeting", "6-month review", "initial PEP", "meeting booked", or "" */
	const char *rule;          /* the id of the rule that sets it (rules_list.h), or NULL */
	int days_left;             /* negative: overdue */
	pep_status status;
	pep_day no_calendar;       /* no date because no calendar covers this day (CAL01), else PEP_NO_DAY */
	/* Sign-off (T09) */
	pep_day signoff_due;       /* 10 school days after the meeting; PEP_NO_DAY when not known */
	pep_day signed_off;        /* PEP_NO_DAY when not (or not dated) */
	bool signoff_late;         /* T09 applies, and the PEP was not signed off by signoff_due */
} pep_child;

/* The termly figures: X(NAME, "key", "label"). */
#define PEP_TERM_FIGURES(X) \
	X(CHILDREN, "children", "children with a PEP meeting in the term") \
	X(NO_PEP, "no_pep", "children due a PEP in the term with none") \
	X(PEPS, "peps", "PEP meetings held") \
	X(IN_TIMESCALE, "in_timescale", "held within timescale (initial: 10 or 20 days; reviews: 6 months)") \
	X(SIGNED_IN_TIME, "signed_off_in_time", "signed off within 10 school days") \
	X(RED, "red", "QA grade red") \
	X(AMBER, "amber", "QA grade amber") \
	X(GREEN, "green", "QA grade green") \
	X(PP_REQUESTS, "pp_requests", "PP+ requests")
#define PEP_TF_ITEM(n, k, l) PEP_TF_##n,
enum { PEP_TERM_FIGURES(PEP_TF_ITEM) PEP_TF_COUNT };
#undef PEP_TF_ITEM
extern const char *const pep_term_figure_keys[];
extern const char *const pep_term_figure_labels[];

typedef struct pep_term_row {
	const char *group;          /* the breakdown's group; NULL for the whole caseload */
	size_t v[PEP_TF_COUNT];
	bool hide[PEP_TF_COUNT];    /* suppressed */
	int64_t pp_pence;           /* PP+ requested; hidden with PP_REQUESTS */
} pep_term_row;

typedef struct pep_term {
	int term;                   /* facts.h numbering */
	char label[24];             /* "2025-26 spring" */
	pep_term_row *rows;         /* one per group (sorted), then the whole caseload */
	size_t nrows;
} pep_term;

/* The cohort figures of the children's current PEPs: X(NAME, "key", "label", "of"),
 * "of" naming the figure it is a share of (or -1). */
#define PEP_COHORT_FIGURES(X) \
	X(CHILDREN, "children", "children", -1) \
	X(OVERDUE, "overdue", "next PEP overdue", PEP_CF_CHILDREN) \
	X(DUE_SOON, "due_soon", "next PEP due soon", PEP_CF_CHILDREN) \
	X(OK, "ok", "next PEP not due yet", PEP_CF_CHILDREN) \
	X(NO_DATE, "no_date", "no date for the next PEP", PEP_CF_CHILDREN) \
	X(SIGNOFF_LATE, "signoff_late", "current PEP not signed off within its LA's limit", PEP_CF_CHILDREN) \
	X(RED, "red", "current PEP QA grade red", PEP_CF_CHILDREN) \
	X(AMBER, "amber", "current PEP QA grade amber", PEP_CF_CHILDREN) \
	X(GREEN, "green", "current PEP QA grade green", PEP_CF_CHILDREN) \
	X(RECENT, "meeting_in_last_6_months", "a PEP meeting in the 6 months before the as-of date", PEP_CF_CHILDREN) \
	X(ATTENDANCE_BELOW_90, "attendance_below_90", "attendance under 90 %", PEP_CF_CHILDREN) \
	X(REDUCED, "reduced_timetable", "on a reduced timetable or personalised package", PEP_CF_CHILDREN) \
	X(NO_PROVISION, "no_educational_provision", "with no educational provision", PEP_CF_CHILDREN) \
	X(NEET, "post16_neet", "post-16 NEET", PEP_CF_CHILDREN) \
	X(PP_REQUESTS, "pp_requests", "PP+ requests in current PEPs", -1)
#define PEP_CF_ITEM(n, k, l, o) PEP_CF_##n,
enum { PEP_COHORT_FIGURES(PEP_CF_ITEM) PEP_CF_COUNT };
#undef PEP_CF_ITEM
extern const char *const pep_cohort_figure_keys[];
extern const char *const pep_cohort_figure_labels[];
extern const int pep_cohort_figure_of[];

/* QA grades of the children's current PEPs at one school, for the chart. */
typedef struct pep_school_rag {
	const char *school;         /* "Name (URN)", or "no school place" */
	size_t v[4];                /* children, red, amber, green */
	bool hide[4];               /* suppressed (only with opts.summary) */
} pep_school_rag;

/* A file that could not be read as a PEP. */
typedef struct pep_unread {
	const char *file;
	const char *rule;           /* "IO", "XML" or "XSD" */
} pep_unread;

typedef struct pep_caseload_report {
	pep_caseload_opts opts;
	const pep_child *children;  /* sorted: status (overdue first), days left, LA, id */
	size_t nchildren;
	const pep_term *terms;      /* oldest first */
	size_t nterms;
	bool terms_by_months;       /* some term came from the calendar months (facts.h) */
	size_t cohort[PEP_CF_COUNT];
	bool cohort_hide[PEP_CF_COUNT]; /* suppressed (only with opts.summary) */
	int64_t pp_pence;           /* of the current PEPs; hidden with PEP_CF_PP_REQUESTS */
	const pep_school_rag *schools; /* by number of children, most first */
	size_t nschools;
	const pep_unread *unread;   /* in path order */
	size_t nunread;
	size_t files, peps;         /* files read; PEPs among them */
} pep_caseload_report;

typedef struct pep_caseload pep_caseload;

pep_caseload *pep_caseload_new(const pep_caseload_opts *opts);
void pep_caseload_free(pep_caseload *c);
/* Adds one checked file: its facts (facts.loaded false when it could not
 * be read as a PEP) and its diagnostics (the file's name and grade). Both
 * stay the caller's. */
void pep_caseload_add(pep_caseload *c, const pep_facts *f, const pep_diags *d);
/* Groups, dates and counts what was added; the report lives as long as c.
 * Call once, after the last pep_caseload_add. */
const pep_caseload_report *pep_caseload_finish(pep_caseload *c);

/* The writers of the report, one per format (report.h). */
void pep_caseload_write_text(FILE *out, const pep_caseload_report *r);
void pep_caseload_write_json(FILE *out, const pep_caseload_report *r);
void pep_caseload_write_csv(FILE *out, const pep_caseload_report *r, bool excel);
/* One self-contained HTML page (caseload_html.c). */
void pep_caseload_write_html(FILE *out, const pep_caseload_report *r);

#endif
