/* suppress.h: small-number suppression for tables of counts that people
 * share, so that no child can be picked out of a small group.
 *
 * The rule (pep_suppress_rule says it to the reader). Primary: every count
 * from 1 to PEP_SUPPRESS_BELOW - 1 is suppressed. Secondary: the zeros of
 * every sum that holds a suppressed count are suppressed too, so that a
 * suppressed count may stand for 0 (a 0 that the figures shown beside it
 * already fix stays shown: every reader knows it); and more counts are
 * suppressed until no suppressed count, and no count of 1 to 4 that the
 * published figures leave over (PEPs held but not in timescale, PEPs beyond
 * one a child, children without a cohort figure), can be worked out from
 * everything published: for each such count there is another table of
 * counts that agrees with every published figure, every sum the tables
 * state and the facts any reader knows (no count below 0; children with a
 * PEP at most the PEPs, and at least one when there are PEPs; no PP+
 * request without a PEP), in which that count is different. That table is
 * the count's alternative; the secondary suppression is chosen so that one
 * exists, hiding as few counts, and as small ones, as it can; where it can,
 * the alternative lets no count of 1 or more fall to 0, so that it stands
 * even for a reader who takes every suppressed count to be at least 1.
 *
 * Tables. A row's counts are described by a shape: the row's base (PEPs
 * held, children), partitions of the base (red + amber + green = PEPs;
 * in timescale + the rest = PEPs, the rest not shown), the children the
 * PEPs are of, and counts of their own. A table is a total row (the whole
 * caseload) and, with a breakdown, group rows that add up to it column by
 * column. The total row is suppressed alone (pep_suppress_total), from its
 * own counts only, so that it is suppressed alike under every breakdown;
 * its alternatives are kept (pep_moves), and each group table of it is
 * then suppressed (pep_suppress_groups) so that the group rows can follow
 * every alternative of the total, and each group count has an alternative
 * that leaves the total as it is. So no two reports of one caseload (any
 * breakdown, any format) together reveal a count either of them hides.
 *
 * Every allocation is the caller's: pep_suppress_total returns moves freed
 * with pep_moves_free(). */
#ifndef PEP_SUPPRESS_H
#define PEP_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#define PEP_SUPPRESS_BELOW 5
#define PEP_SUPPRESS_MAX_COLS 24       /* counts in a row */
#define PEP_SUPPRESS_MAX_PARTITIONS 16 /* partitions of a row's base */

/* The footnote that says the rule, for every report that applies it. */
extern const char pep_suppress_rule[];

/* What a count is in its row. */
typedef enum pep_col_role {
	PEP_COL_FREE,  /* a count of its own, in no sum of its row (children due a PEP with none) */
	PEP_COL_BASE,  /* the row's base (PEPs held; children); one per row */
	PEP_COL_PART,  /* a part of the base, in partition .part: its parts add up to the base, or (when
	                  the partition is complemented) to at most the base, the rest a count not shown */
	PEP_COL_UNITS, /* the children the base's PEPs are of: at most the base, at least 1 when the base
	                  is; the rest (PEPs beyond one per child) is a count not shown */
	PEP_COL_USES,  /* a count of its own that is 0 when the base is (PP+ requests: none without a PEP) */
} pep_col_role;

typedef struct pep_col {
	pep_col_role role;
	int part; /* PEP_COL_PART: its partition, 0 to PEP_SUPPRESS_MAX_PARTITIONS - 1 */
} pep_col;

typedef struct pep_table_shape {
	const pep_col *cols;
	size_t ncols;          /* at most PEP_SUPPRESS_MAX_COLS */
	unsigned complemented; /* bit k: partition k's parts leave a rest of the base */
} pep_table_shape;

/* The alternatives of a total row's protected counts (opaque). */
typedef struct pep_moves pep_moves;

/* Suppresses a total row: sets hide[c] for each count of v[c] to suppress,
 * and *moves (when moves is not NULL) to the alternatives its group tables
 * must allow. */
void pep_suppress_total(const pep_table_shape *t, const size_t *v, bool *hide, pep_moves **moves);

/* Suppresses the group rows v[r * ncols + c] (rows of them, adding up to
 * a total row suppressed by pep_suppress_total: its counts, its hide and
 * its moves): sets hide[r * ncols + c]. */
void pep_suppress_groups(const pep_table_shape *t, const size_t *v, size_t rows, const size_t *total,
                         const bool *total_hide, const pep_moves *moves, bool *hide);

/* The moves of a total row in the columns of another shape whose column c
 * is the total's column map[c] (a table of some of its counts; the caller
 * frees the result with pep_moves_free). */
pep_moves *pep_moves_project(const pep_moves *m, const int *map, size_t ncols);
void pep_moves_free(pep_moves *m);

#endif
