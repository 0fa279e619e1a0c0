/* calendar.h: school calendars, bank holidays, and counting days.
 *
 * Counting follows docs/rules-notes.md and docs/calendars.md exactly:
 *   a working day is a Monday to Friday that is not a bank holiday in
 *   England and Wales; a school day is a working day inside a term of the
 *   school's calendar, outside its breaks and closed days. "Within N days
 *   of D": the deadline is the Nth such day after D (D is not counted; when
 *   D is not such a day, counting starts at the next one).
 * When a date lies outside every calendar known for the school, nothing is
 * guessed: the functions return PEP_CAL_UNKNOWN with the first date that
 * could not be judged (the rules report it as a calendar gap).
 *
 * Calendars come from schemas/calendar.xsd files: those installed in
 * DATADIR/data/calendars, those in the folders of $PEP_CALENDAR_PATH
 * (colon-separated), and those given on the command line (--calendar). For a
 * school and a date, the calendar used is the first that covers the date's
 * academic year among: a --calendar file for the school (by URN), a
 * --calendar file for the LA, the school's own calendar (from
 * $PEP_CALENDAR_PATH, then installed), the LA's (likewise). The LA is the
 * one the school is in.
 *
 * Ownership: pep_calendars_load() returns an object freed with
 * pep_calendars_free(); it is read-only afterwards and may be shared by
 * threads. Strings it returns live as long as it does. */
#ifndef PEP_CALENDAR_H
#define PEP_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "diag.h"

typedef struct pep_calendars pep_calendars;

typedef enum pep_cal_status {
	PEP_CAL_OK,
	PEP_CAL_UNKNOWN, /* a date needed lies outside every calendar known */
} pep_cal_status;

typedef enum pep_season { PEP_AUTUMN = 1, PEP_SPRING, PEP_SUMMER } pep_season;
extern const char *const pep_season_names[]; /* "", "autumn", "spring", "summer", NULL */

/* Loads the bank holidays and every calendar: installed ones, those in
 * $PEP_CALENDAR_PATH, and the files given (which win over installed ones).
 * Problems (schema errors, dates out of order, a year defined twice) are
 * added to errs, one pep_diags per file with a problem; returns NULL when
 * there was any. *nerrs receives the number of lists (caller frees each with
 * pep_diags_free and then the array). */
pep_calendars *pep_calendars_load(const char *const *given, size_t ngiven, pep_diags ***errs, size_t *nerrs);
void pep_calendars_free(pep_calendars *c);

/* Checks one calendar or bank-holiday file (schema and sense), adding
 * diagnostics to d. Returns true when it is good; *summary (caller frees)
 * then describes it ("kent 2025-26, medium confidence"). */
bool pep_calendar_check_file(const char *path, pep_diags *d, char **summary);

/* The calendar schema, compiled (caller frees with pep_schema_free), or
 * NULL with *err set (caller frees). */
struct pep_schema;
struct pep_schema *pep_calendar_schema(char **err);
/* Checks a calendar or bank-holiday document held in memory, with a loader
 * for pep_calendar_schema() (for fuzzing and tests); as
 * pep_calendar_check_file, without the summary. */
struct pep_xml_loader;
bool pep_calendar_check_memory(struct pep_xml_loader *l, const char *name, const char *buf, size_t len, pep_diags *d);

/* Whether a day is a working day / a school day of the school (la, urn; urn
 * may be NULL). On PEP_CAL_UNKNOWN, *missing is the date not covered. */
pep_cal_status pep_cal_working_day(const pep_calendars *c, pep_day d, bool *is, pep_day *missing);
pep_cal_status pep_cal_school_day(const pep_calendars *c, const char *la, const char *urn, pep_day d, bool *is,
                                  pep_day *missing);

/* The nth working / school day after from (n >= 0; n == 0 gives from). */
pep_cal_status pep_cal_add_working_days(const pep_calendars *c, pep_day from, int n, pep_day *out, pep_day *missing);
pep_cal_status pep_cal_add_school_days(const pep_calendars *c, const char *la, const char *urn, pep_day from, int n,
                                       pep_day *out, pep_day *missing);
/* How many working / school days lie after from up to and including to
 * (0 when to <= from). */
pep_cal_status pep_cal_count_working_days(const pep_calendars *c, pep_day from, pep_day to, int *out, pep_day *missing);
pep_cal_status pep_cal_count_school_days(const pep_calendars *c, const char *la, const char *urn, pep_day from,
                                         pep_day to, int *out, pep_day *missing);

/* A term as the rules see it. */
typedef struct pep_term_info {
	pep_season season;
	const char *name;      /* the calendar's name for it, or "" */
	const char *year;      /* "2025-26" */
	pep_day first, last;
	pep_day next_first;    /* the next term's first day, PEP_NO_DAY when unknown */
} pep_term_info;

/* The terms of the academic year that contains d, in order (3 of them),
 * from the calendar used for the school. */
pep_cal_status pep_cal_year_terms(const pep_calendars *c, const char *la, const char *urn, pep_day d,
                                  pep_term_info out[3], pep_day *missing);
/* The term d falls in; a holiday belongs to the term before it (a date in
 * the summer holiday belongs to the summer term). */
pep_cal_status pep_cal_term_at(const pep_calendars *c, const char *la, const char *urn, pep_day d,
                               pep_term_info *out, pep_day *missing);

/* For messages: who the dates used for (la, urn, d) belong to and how sure
 * they are, e.g. "Kent County Council 2025-26 (medium confidence)", or NULL
 * when no calendar covers d. */
const char *pep_cal_describe(const pep_calendars *c, const char *la, const char *urn, pep_day d);
/* True when the calendar used for (la, urn, d) has low confidence. */
bool pep_cal_low_confidence(const pep_calendars *c, const char *la, const char *urn, pep_day d);
/* The academic years known for (la, urn), for messages: "2024-25, 2025-26"
 * (caller frees), or an empty string. */
char *pep_cal_years_known(const pep_calendars *c, const char *la, const char *urn);
/* The span of bank holidays known: first and last day covered. */
void pep_cal_bank_span(const pep_calendars *c, pep_day *first, pep_day *last);

/* The LA codes that have a calendar (sorted, no repeats); n of them. */
size_t pep_cal_las(const pep_calendars *c, const char **out, size_t max);

/* For `pep calendar show`: the calendar (file, owner, source) used for
 * (la, urn) in academic year starting in September of start_year. */
typedef struct pep_cal_info {
	const char *file, *owner, *school, *urn, *confidence, *note, *year;
	size_t nterms;
	struct {
		pep_term_info term;
		size_t nbreaks, nclosed;
		const pep_day (*breaks)[2];  /* first, last */
		const pep_day (*closed)[2];
		const char *const *break_names;
		const char *const *closed_names;
	} terms[3];
} pep_cal_info;
bool pep_cal_info_for(const pep_calendars *c, const char *la, const char *urn, int start_year, pep_cal_info *out);
/* The academic start years known for (la, urn), ascending; n of them. */
size_t pep_cal_start_years(const pep_calendars *c, const char *la, const char *urn, int *out, size_t max);

/* What to say when `missing` is not covered (the calendar gap's message): which
 * calendar lacks which date, the years known, and how to add one. school
 * says whether term dates (true) or bank holidays (false) were needed;
 * `needed_by` names what needed them (a rule id, or "this count").
 * Caller frees. */
char *pep_cal_uncovered(const pep_calendars *c, const char *la, const char *urn, pep_day missing, bool school,
                        const char *needed_by);

/* The academic year (its September's year) a date falls in. */
int pep_cal_academic_year(pep_day d);

#endif
