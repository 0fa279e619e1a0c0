/* suppress.h: small-number suppression for tables of counts that people
 * share, so that no child can be picked out of a small group.
 *
 * Primary: a count from 1 to PEP_SUPPRESS_BELOW - 1 is suppressed (0 is
 * shown: it picks out nobody). Secondary: where a suppressed count could be
 * worked out by subtraction, from a total and the other counts that make
 * it up, another count in that sum is suppressed too: the smallest one
 * above 0 among the parts, or the total when every other part is 0. This is
 * repeated until every sum has no suppressed count or at least two, so that
 * no suppressed figure can be recovered from the others. (A count that no
 * sum holds, such as "PEPs held in timescale" out of "PEPs held", whose
 * complement is not shown, needs no second suppression.)
 *
 * The table is rows x cols counts. Its sums: each pep_sum applies within
 * every row (one column the total of others); with col_sums, the last row
 * is the total of the rows above it, column by column. */
#ifndef PEP_SUPPRESS_H
#define PEP_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#define PEP_SUPPRESS_BELOW 5
#define PEP_SUPPRESS_MAX_PARTS 8

/* The footnote that says the rule, for every report that applies it. */
extern const char pep_suppress_rule[];

typedef struct pep_sum {
	int total;                          /* the column holding the total */
	int parts[PEP_SUPPRESS_MAX_PARTS];  /* the columns that add up to it */
	int nparts;
} pep_sum;

/* Sets hide[r * cols + c] for every count v[r * cols + c] to suppress
 * (hide is cleared first). */
void pep_suppress(const size_t *v, bool *hide, size_t rows, size_t cols, const pep_sum *sums, size_t nsums,
                  bool col_sums);

#endif
