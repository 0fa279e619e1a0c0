/* date.h: calendar dates as day numbers.
 *
 * A pep_day counts days from 1970-01-01 (day 0) in the proleptic Gregorian
 * calendar, so that "the day after" is +1 and differences are subtractions.
 * PEP_NO_DAY marks a date that is absent. One parser for every date the
 * program reads: the XML loader, the command-line options, calendars. */
#ifndef PEP_DATE_H
#define PEP_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t pep_day;
#define PEP_NO_DAY INT32_MIN

/* The dates pep works with: those a PEP may hold (schemas/pep.xsd's date
 * type, 1900-01-01 to 2099-12-31). A date given on the command line, or
 * computed from one, outside them is refused (exit 2), never printed
 * wrapped or passed on to be refused later. */
#define PEP_DATE_FIRST "1900-01-01"
#define PEP_DATE_LAST "2099-12-31"
/* True when day lies within PEP_DATE_FIRST..PEP_DATE_LAST. */
bool pep_date_in_range(pep_day day);

/* Parses exactly YYYY-MM-DD (years 1000-9999) naming a real date.
 * Returns false, leaving *out alone, for anything else. */
bool pep_date_parse(const char *s, pep_day *out);
/* The day number of y-m-d; m and d must name a real date. */
pep_day pep_date_from_ymd(int y, int m, int d);
void pep_date_to_ymd(pep_day day, int *y, int *m, int *d);
/* 1 = Monday ... 7 = Sunday. */
int pep_date_weekday(pep_day day);
bool pep_date_is_leap(int y);
int pep_date_days_in_month(int y, int m);
/* The same day of the month n months later, clamped to the last day of a
 * shorter month (31 August + 6 months = 28 or 29 February). rules.md. */
pep_day pep_date_add_months(pep_day day, int n);
/* Writes YYYY-MM-DD (11 bytes with the NUL). */
void pep_date_format(pep_day day, char out[11]);
/* Writes "30 January 2026" (at most 18 bytes with the NUL). */
void pep_date_format_long(pep_day day, char out[32]);
/* Today's date in local time: the default "as of" date. */
pep_day pep_date_today(void);
/* The date to print as a document's generation date: the date of
 * SOURCE_DATE_EPOCH (UTC) when that is set, for reproducible output;
 * otherwise today. */
pep_day pep_date_generated(void);
/* The moment of generation in seconds since 1970-01-01 UTC: SOURCE_DATE_EPOCH
 * when it is set to a valid value, otherwise now. */
long long pep_date_generated_time(void);

#endif
