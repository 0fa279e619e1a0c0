/* suppress.c: primary and secondary small-number suppression (suppress.h).
 *
 * How. A count to protect (a target) is one from 1 to 4 that is hidden, or
 * a rest of 1 to 4 that a partition leaves over. Each target needs an
 * alternative: a move, a small change to the hidden counts (shown ones
 * stay) after which every row still holds every fact of its shape and the
 * table still adds up, and the target is different. The moves tried are
 * those a reader could make of the figures themselves, one unit at a time:
 *
 *   alone      one count up or down (a count of its own; a part whose
 *              partition leaves a rest)
 *   swap       one part up, another of its partition down (a PEP's grade
 *              read as another)
 *   unit       the base up or down with one part of each partition and, as
 *              needed, the children and the PP+ requests (a PEP more or less)
 *
 * in a total row alone; between two group rows (the same change in one,
 * its opposite in the other: the total stays); and, for each move of the
 * total, in one group row (or two, the second taking a swap from the
 * first) so that the groups follow it. A target with no move among counts
 * already hidden gets the cheapest move that would be one: the fewest
 * shown counts to hide, then the smallest; they are hidden and the search
 * goes on until every target has its move. Hiding more never takes a move
 * away, so this ends, with every target's alternative at hand: no
 * published figure, no sum and no fact a reader knows can tell the target
 * from its alternative. The oracle in tests/e2e/test_caseload.py checks
 * this independently: an integer program per hidden count over every
 * report of a caseload. */
#include "suppress.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

const char pep_suppress_rule[] =
	"Counts from 1 to 4 are suppressed. So that none can be worked out, more are suppressed too (secondary "
	"suppression): the zeros of any sum with a suppressed count, so a [c] may stand for 0, and others until each "
	"suppressed count, and each count of 1 to 4 the figures leave over (such as PEPs not held in timescale), could "
	"be another number as far as all the figures published tell, under every breakdown.";

enum { MAXC = PEP_SUPPRESS_MAX_COLS, MAXP = PEP_SUPPRESS_MAX_PARTITIONS + PEP_SUPPRESS_MAX_COLS };

/* A row's shape, worked out: its partitions (PART ones, then one per UNITS
 * count) and where their rests are. A row's cells are its counts (0 to
 * cols - 1) and the rests (cols + k for partition k). */
typedef struct shape {
	size_t cols;
	int base; /* -1: none */
	size_t nparts;
	struct {
		int col[MAXC];
		int n;
		bool rest;  /* its parts leave a rest of the base */
		bool units; /* the UNITS count's: at least 1 when the base is */
	} part[MAXP];
	int uses[MAXC];
	size_t nuses;
} shape;

static void shape_make(const pep_table_shape *t, shape *s)
{
	memset(s, 0, sizeof *s);
	s->cols = t->ncols < MAXC ? t->ncols : MAXC;
	s->base = -1;
	size_t parts = 0;
	for (size_t c = 0; c < s->cols; c++)
		if (t->cols[c].role == PEP_COL_PART && (size_t)t->cols[c].part + 1 > parts)
			parts = (size_t)t->cols[c].part + 1;
	if (parts > PEP_SUPPRESS_MAX_PARTITIONS)
		parts = PEP_SUPPRESS_MAX_PARTITIONS;
	s->nparts = parts;
	for (size_t k = 0; k < parts; k++)
		s->part[k].rest = (t->complemented >> k) & 1u;
	for (size_t c = 0; c < s->cols; c++) {
		const pep_col *col = &t->cols[c];
		switch (col->role) {
		case PEP_COL_BASE:
			s->base = (int)c;
			break;
		case PEP_COL_PART:
			if ((size_t)col->part < parts)
				s->part[col->part].col[s->part[col->part].n++] = (int)c;
			break;
		case PEP_COL_UNITS:
			s->part[s->nparts].col[0] = (int)c;
			s->part[s->nparts].n = 1;
			s->part[s->nparts].rest = true;
			s->part[s->nparts].units = true;
			s->nparts++;
			break;
		case PEP_COL_USES:
			s->uses[s->nuses++] = (int)c;
			break;
		case PEP_COL_FREE:
			break;
		}
	}
}

static long base_of(const shape *s, const long *x)
{
	return s->base >= 0 ? x[s->base] : 0;
}

static long rest_of(const shape *s, const long *x, size_t k)
{
	long sum = 0;
	for (int i = 0; i < s->part[k].n; i++)
		sum += x[s->part[k].col[i]];
	return base_of(s, x) - sum;
}

/* A cell's value: a count, or a partition's rest. */
static long cell_value(const shape *s, const long *x, size_t cell)
{
	return cell < s->cols ? x[cell] : rest_of(s, x, cell - s->cols);
}

static bool sensitive(long v)
{
	return v > 0 && v < PEP_SUPPRESS_BELOW;
}

/* Whether a row's counts hold every fact of its shape. */
static bool row_ok(const shape *s, const long *x)
{
	for (size_t c = 0; c < s->cols; c++)
		if (x[c] < 0)
			return false;
	long base = base_of(s, x);
	for (size_t k = 0; k < s->nparts; k++) {
		long rest = rest_of(s, x, k);
		if (s->part[k].rest ? rest < 0 : rest != 0)
			return false;
		if (s->part[k].units && base > 0 && x[s->part[k].col[0]] < 1)
			return false;
	}
	for (size_t i = 0; i < s->nuses; i++)
		if (x[s->uses[i]] > 0 && base == 0)
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Moves and the search for the cheapest                                */
/* ------------------------------------------------------------------ */

/* The rows a search works on: one total row alone, or the group rows (the
 * total, fixed, is not among them). */
typedef struct table {
	const shape *s;
	size_t rows;
	const long *x;   /* rows x cols */
	bool *hide;      /* rows x cols */
} table;

/* A move: changes to the counts of one or two rows. */
typedef struct move {
	int n;
	size_t row[2];
	long d[2][MAXC];
} move;

typedef struct best {
	bool found;
	size_t cost;  /* shown counts it changes */
	long weight;  /* their sum */
	move m;
} best;

typedef struct search {
	const table *t;
	size_t row, cell; /* the target; cell SIZE_MAX: any move will do (a total's move followed) */
	const long *follow; /* with cell SIZE_MAX: the total's move the groups follow */
	int tier;           /* TIER_*: which counts may fall to 0 */
	best b;
} search;

/* The tiers of a search, tried in turn until one finds a move: a strict
 * move lets no count of 1 or more fall to 0, so that it stands even for a
 * reader who takes every suppressed count to be at least 1 (wrongly: the
 * zeros of a sum with a suppressed count are suppressed too); failing
 * that, any. */
enum { TIER_STRICT, TIER_ANY, TIERS };

static bool changes(const shape *s, const move *m, size_t row, size_t cell)
{
	for (int i = 0; i < m->n; i++) {
		if (m->row[i] != row)
			continue;
		if (cell < s->cols)
			return m->d[i][cell] != 0;
		return rest_of(s, m->d[i], cell - s->cols) != 0;
	}
	return false;
}

/* Weighs the move m: true when it keeps every row whole and changes the
 * target; then b keeps it if it is the cheapest yet. Returns true when
 * the search can stop (a move that changes nothing shown). */
static bool consider(search *sr, const move *m)
{
	const table *t = sr->t;
	const shape *s = t->s;
	if (sr->cell != SIZE_MAX && !changes(s, m, sr->row, sr->cell))
		return false;
	size_t cost = 0, drops = 0;
	long weight = 0;
	for (int i = 0; i < m->n; i++) {
		const long *x = &t->x[m->row[i] * s->cols];
		const bool *h = &t->hide[m->row[i] * s->cols];
		long y[MAXC];
		for (size_t c = 0; c < s->cols; c++) {
			y[c] = x[c] + m->d[i][c];
			drops += x[c] > 0 && y[c] < 1;
			if (m->d[i][c] && !h[c]) {
				cost++;
				weight += x[c];
			}
		}
		if (!row_ok(s, y))
			return false;
	}
	if (drops && sr->tier == TIER_STRICT)
		return false;
	if (!sr->b.found || cost < sr->b.cost || (cost == sr->b.cost && weight < sr->b.weight)) {
		sr->b.found = true;
		sr->b.cost = cost;
		sr->b.weight = weight;
		sr->b.m = *m;
	}
	return sr->b.cost == 0;
}

/* The changes to a row's counts that add d of one unit of the base: the
 * base, and in each partition the part slot[k] (-1: its rest). */
static void unit(const shape *s, long d, const int *slot, long *delta)
{
	memset(delta, 0, MAXC * sizeof *delta);
	if (s->base >= 0)
		delta[s->base] = d;
	for (size_t k = 0; k < s->nparts; k++)
		if (slot[k] >= 0)
			delta[slot[k]] += d;
}

/* Steps the slots (each partition: one of its parts, or its rest) to the
 * next; false after the last. */
static bool next_slots(const shape *s, int *slot, int *idx)
{
	for (size_t k = 0; k < s->nparts; k++) {
		int options = s->part[k].n + (s->part[k].rest ? 1 : 0);
		if (++idx[k] < options) {
			slot[k] = idx[k] < s->part[k].n ? s->part[k].col[idx[k]] : -1;
			return true;
		}
		idx[k] = 0;
		slot[k] = s->part[k].n ? s->part[k].col[0] : -1;
	}
	return false;
}

static void first_slots(const shape *s, int *slot, int *idx)
{
	for (size_t k = 0; k < s->nparts; k++) {
		idx[k] = 0;
		slot[k] = s->part[k].n ? s->part[k].col[0] : -1;
	}
}

/* When a row's base falls to 0 its PP+ requests go with it: to the other
 * row of the move (o, or nowhere). */
static void uses_follow(const shape *s, const long *x, long *d, long *o)
{
	if (s->base < 0 || x[s->base] + d[s->base] != 0)
		return;
	for (size_t i = 0; i < s->nuses; i++) {
		int c = s->uses[i];
		long q = x[c] + d[c];
		d[c] -= q;
		if (o)
			o[c] += q;
	}
}

/* Whether the unit of the slots can change the target cell of its row. */
static bool unit_touches(const shape *s, const int *slot, size_t cell)
{
	if ((int)cell == s->base || cell == SIZE_MAX)
		return true;
	for (size_t k = 0; k < s->nparts; k++) {
		if (cell == s->cols + k)
			return slot[k] < 0;
		if (slot[k] == (int)cell)
			return true;
	}
	for (size_t i = 0; i < s->nuses; i++)
		if (s->uses[i] == (int)cell)
			return true;
	return false;
}

/* The partition a count is a part of, or -1. */
static int partition_of(const shape *s, size_t cell)
{
	if (cell >= s->cols)
		return (int)(cell - s->cols);
	for (size_t k = 0; k < s->nparts; k++)
		for (int i = 0; i < s->part[k].n; i++)
			if (s->part[k].col[i] == (int)cell)
				return (int)k;
	return -1;
}

/* Tries the moves of row g that change the target by d: one count alone
 * (for a rest, one of its partition's parts), a swap within its partition,
 * a unit more or less; with a partner row h (SIZE_MAX: none), h takes the
 * opposite change, so the total stays. True when the search can stop. */
static bool try_moves(search *sr, size_t g, size_t h, long d)
{
	const table *t = sr->t;
	const shape *s = t->s;
	int k = partition_of(s, sr->cell);
	move m;
	memset(&m, 0, sizeof m);
	m.n = h == SIZE_MAX ? 1 : 2;
	m.row[0] = g;
	m.row[1] = h;
	int alone[MAXC + 1], nalone = 0;
	if (sr->cell < s->cols)
		alone[nalone++] = (int)sr->cell;
	else
		for (int i = 0; i < s->part[k].n; i++)
			alone[nalone++] = s->part[k].col[i];
	for (int i = 0; i < nalone; i++) {
		memset(m.d, 0, sizeof m.d);
		m.d[0][alone[i]] = d;
		m.d[1][alone[i]] = -d;
		if (consider(sr, &m))
			return true;
	}
	if (k >= 0 && sr->cell < s->cols)
		for (int i = 0; i < s->part[k].n; i++) {
			int other = s->part[k].col[i];
			if (other == (int)sr->cell)
				continue;
			memset(m.d, 0, sizeof m.d);
			m.d[0][sr->cell] = m.d[1][other] = d;
			m.d[0][other] = m.d[1][sr->cell] = -d;
			if (consider(sr, &m))
				return true;
		}
	int slot[MAXP], idx[MAXP];
	first_slots(s, slot, idx);
	do {
		if (!unit_touches(s, slot, sr->cell))
			continue;
		unit(s, d, slot, m.d[0]);
		unit(s, -d, slot, m.d[1]);
		if (h == SIZE_MAX) {
			uses_follow(s, &t->x[g * s->cols], m.d[0], NULL);
		} else {
			uses_follow(s, &t->x[g * s->cols], m.d[0], m.d[1]);
			uses_follow(s, &t->x[h * s->cols], m.d[1], m.d[0]);
		}
		if (consider(sr, &m))
			return true;
	} while (next_slots(s, slot, idx));
	return false;
}

/* The cheapest move of a total row alone that changes its cell: up first,
 * as a total's move up is one its groups can follow (one of them takes
 * it), whatever they hold. */
static void search_alone(search *sr)
{
	for (long d = 1; d >= -1; d -= 2)
		if (try_moves(sr, 0, SIZE_MAX, d))
			return;
}

/* The cheapest move between the target's group row and another that
 * changes the target, leaving the total as it is. */
static void search_groups(search *sr)
{
	for (long d = -1; d <= 1; d += 2)
		for (size_t h = 0; h < sr->t->rows; h++)
			if (h != sr->row && try_moves(sr, sr->row, h, d))
				return;
}

/* The cheapest way for the group rows to follow a move of the total (its
 * changes d): all in one row, or in two, the first taking with it a swap
 * or a count that the second gives back. */
static void search_follow(search *sr)
{
	const long *d = sr->follow;
	const table *t = sr->t;
	const shape *s = t->s;
	move m;
	memset(&m, 0, sizeof m);
	m.n = 1;
	for (size_t g = 0; g < t->rows; g++) {
		m.row[0] = g;
		memcpy(m.d[0], d, s->cols * sizeof *d);
		if (consider(sr, &m))
			return;
	}
	if (sr->b.found)
		return;
	m.n = 2;
	for (size_t g = 0; g < t->rows; g++)
		for (size_t h = 0; h < t->rows; h++) {
			if (g == h)
				continue;
			m.row[0] = g;
			m.row[1] = h;
			for (size_t c = 0; c < s->cols; c++)
				for (long e = -1; e <= 1; e += 2) {
					memcpy(m.d[0], d, s->cols * sizeof *d);
					memset(m.d[1], 0, sizeof m.d[1]);
					m.d[0][c] += e;
					m.d[1][c] -= e;
					if (consider(sr, &m))
						return;
					for (size_t k = 0; k < s->nparts; k++)
						for (int i = 0; i < s->part[k].n; i++) {
							int o = s->part[k].col[i];
							if (o == (int)c || partition_of(s, c) != (int)k)
								continue;
							m.d[0][o] -= e;
							m.d[1][o] += e;
							bool stop = consider(sr, &m);
							m.d[0][o] += e;
							m.d[1][o] -= e;
							if (stop)
								return;
						}
				}
		}
	if (sr->b.found)
		return;
	/* The first taking with it a unit that the second gives back. */
	for (size_t g = 0; g < t->rows; g++)
		for (size_t h = 0; h < t->rows; h++) {
			if (g == h)
				continue;
			m.row[0] = g;
			m.row[1] = h;
			int slot[MAXP], idx[MAXP];
			first_slots(s, slot, idx);
			do {
				for (long e = -1; e <= 1; e += 2) {
					long u[MAXC];
					unit(s, e, slot, u);
					for (int with_units = 0; with_units < 2; with_units++) {
						for (size_t c = 0; c < s->cols; c++) {
							m.d[0][c] = d[c] + u[c];
							m.d[1][c] = -u[c];
						}
						for (size_t k = 0; with_units && k < s->nparts; k++)
							if (s->part[k].units) {
								m.d[0][s->part[k].col[0]] += e;
								m.d[1][s->part[k].col[0]] -= e;
							}
						uses_follow(s, &t->x[g * s->cols], m.d[0], m.d[1]);
						uses_follow(s, &t->x[h * s->cols], m.d[1], m.d[0]);
						if (consider(sr, &m))
							return;
					}
				}
			} while (next_slots(s, slot, idx));
		}
}

/* Runs a search in each tier in turn, until one finds a move. */
static void find(search *sr, void (*fn)(search *))
{
	for (sr->tier = 0; sr->tier < TIERS && !sr->b.found; sr->tier++)
		fn(sr);
}

/* Hides the shown counts the move changes; true if it hid any. */
static bool hide_move(const table *t, const move *m)
{
	bool any = false;
	for (int i = 0; i < m->n; i++)
		for (size_t c = 0; c < t->s->cols; c++)
			if (m->d[i][c] && !t->hide[m->row[i] * t->s->cols + c]) {
				t->hide[m->row[i] * t->s->cols + c] = true;
				any = true;
			}
	return any;
}

/* Hides every count of the rows (the last resort; a table hidden whole
 * always has its moves). */
static bool hide_all(const table *t)
{
	bool any = false;
	for (size_t i = 0; i < t->rows * t->s->cols; i++)
		if (!t->hide[i]) {
			t->hide[i] = true;
			any = true;
		}
	return any;
}

/* The zeros of every sum that holds a suppressed count are suppressed
 * too, so that no reader can take a suppressed count to be at least 1
 * from the zeros shown beside it: the parts and base of each partition of
 * a row; with a total (total, total_hide: its counts), each column of the
 * group rows with the total's count. A sum whose total is shown as 0 is
 * all zeros, known: it is left as it is, and so is a group's 0 in a column
 * whose total is a 0 shown. Repeated until no sum changes; true if it hid
 * any. */
static bool zero_rule(const table *t, const long *total, const bool *total_hide)
{
	const shape *s = t->s;
	bool any = false;
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t r = 0; r < t->rows; r++) {
			const long *x = &t->x[r * s->cols];
			bool *h = &t->hide[r * s->cols];
			for (size_t k = 0; k < s->nparts; k++) {
				bool hidden = s->base >= 0 && h[s->base];
				for (int i = 0; i < s->part[k].n; i++)
					hidden |= h[s->part[k].col[i]];
				if (!hidden || (s->base >= 0 && !h[s->base] && x[s->base] == 0))
					continue;
				if (s->base >= 0 && x[s->base] == 0 && !h[s->base])
					continue;
				for (int i = -1; i < s->part[k].n; i++) {
					int c = i < 0 ? s->base : s->part[k].col[i];
					/* (A 0 in a column whose total is a 0 shown is known.) */
					if (c >= 0 && x[c] == 0 && !h[c] && !(total && !total_hide[c] && total[c] == 0))
						changed = h[c] = true;
				}
			}
		}
		for (size_t c = 0; total && c < s->cols; c++) {
			bool hidden = total_hide[c];
			for (size_t r = 0; r < t->rows && !hidden; r++)
				hidden = t->hide[r * s->cols + c];
			if (!hidden || (!total_hide[c] && total[c] == 0))
				continue;
			for (size_t r = 0; r < t->rows; r++)
				if (t->x[r * s->cols + c] == 0 && !t->hide[r * s->cols + c])
					changed = t->hide[r * s->cols + c] = true;
		}
		any |= changed;
	}
	return any;
}

/* Shows again each suppressed 0 that the figures shown beside it fix: the
 * only count suppressed in a row's partition without a rest, or in a
 * column whose total is shown. Every reader knows it, and it is in no
 * move (a move cannot change it), so showing it tells nothing, and a sum
 * never has exactly one suppressed count for a reader to work out. */
static void show_known_zeros(const table *t, const long *total, const bool *total_hide)
{
	const shape *s = t->s;
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t r = 0; r < t->rows; r++) {
			const long *x = &t->x[r * s->cols];
			bool *h = &t->hide[r * s->cols];
			for (size_t k = 0; k < s->nparts; k++) {
				if (s->part[k].rest || s->base < 0)
					continue;
				int hidden = -1, n = 0;
				for (int i = -1; i < s->part[k].n; i++) {
					int c = i < 0 ? s->base : s->part[k].col[i];
					if (h[c]) {
						hidden = c;
						n++;
					}
				}
				if (n == 1 && x[hidden] == 0) {
					h[hidden] = false;
					changed = true;
				}
			}
		}
		for (size_t c = 0; total && c < s->cols; c++) {
			if (total_hide[c])
				continue;
			size_t hidden = SIZE_MAX, n = 0;
			for (size_t r = 0; r < t->rows; r++)
				if (t->hide[r * s->cols + c]) {
					hidden = r;
					n++;
				}
			if (n == 1 && t->x[hidden * s->cols + c] == 0) {
				t->hide[hidden * s->cols + c] = false;
				changed = true;
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* The moves of a total                                                 */
/* ------------------------------------------------------------------ */

struct pep_moves {
	size_t n, cols;
	long *d; /* n x cols */
};

static void moves_add(pep_moves *ms, const long *d)
{
	for (size_t i = 0; i < ms->n; i++)
		if (memcmp(&ms->d[i * ms->cols], d, ms->cols * sizeof *d) == 0)
			return;
	ms->d = pep_xrealloc(ms->d, (ms->n + 1) * ms->cols * sizeof *ms->d);
	memcpy(&ms->d[ms->n * ms->cols], d, ms->cols * sizeof *d);
	ms->n++;
}

void pep_moves_free(pep_moves *m)
{
	if (!m)
		return;
	free(m->d);
	free(m);
}

pep_moves *pep_moves_project(const pep_moves *m, const int *map, size_t ncols)
{
	pep_moves *p = pep_xcalloc(1, sizeof *p);
	p->cols = ncols;
	long d[MAXC];
	for (size_t i = 0; m && i < m->n; i++) {
		bool any = false;
		for (size_t c = 0; c < ncols && c < MAXC; c++) {
			d[c] = map[c] >= 0 && (size_t)map[c] < m->cols ? m->d[i * m->cols + (size_t)map[c]] : 0;
			any |= d[c] != 0;
		}
		if (any)
			moves_add(p, d);
	}
	return p;
}

/* ------------------------------------------------------------------ */
/* Suppressing                                                          */
/* ------------------------------------------------------------------ */

/* The targets of rows x: (row, cell) of every hidden count of 1 to 4 and
 * every rest of 1 to 4. */
static size_t targets_of(const table *t, size_t **out)
{
	const shape *s = t->s;
	size_t cells = s->cols + s->nparts, n = 0;
	size_t *v = pep_xcalloc(t->rows * cells + 1, 2 * sizeof *v);
	for (size_t r = 0; r < t->rows; r++)
		for (size_t c = 0; c < cells; c++) {
			const long *x = &t->x[r * s->cols];
			if (c >= s->cols && !s->part[c - s->cols].rest)
				continue;
			if (sensitive(cell_value(s, x, c)) && (c >= s->cols || t->hide[r * s->cols + c])) {
				v[2 * n] = r;
				v[2 * n + 1] = c;
				n++;
			}
		}
	*out = v;
	return n;
}

static void primary(const shape *s, const long *x, size_t rows, bool *hide)
{
	for (size_t i = 0; i < rows * s->cols; i++)
		hide[i] = sensitive(x[i]);
}

void pep_suppress_total(const pep_table_shape *shape_in, const size_t *v, bool *hide, pep_moves **moves)
{
	shape s;
	shape_make(shape_in, &s);
	long x[MAXC];
	for (size_t c = 0; c < s.cols; c++)
		x[c] = (long)v[c];
	primary(&s, x, 1, hide);
	table t = {&s, 1, x, hide};
	pep_moves *ms = pep_xcalloc(1, sizeof *ms);
	ms->cols = s.cols;
	size_t *tg;
	size_t n = targets_of(&t, &tg);
	bool *done = pep_xcalloc(n + 1, sizeof *done);
	for (bool changed = true; changed;) {
		changed = false;
		zero_rule(&t, NULL, NULL);
		for (size_t i = 0; i < n; i++) {
			if (done[i])
				continue;
			search sr = {&t, 0, tg[2 * i + 1], NULL, 0, {0}};
			find(&sr, search_alone);
			if (sr.b.found && sr.b.cost == 0) {
				done[i] = true;
				moves_add(ms, sr.b.m.d[0]);
			} else {
				changed |= sr.b.found ? hide_move(&t, &sr.b.m) : hide_all(&t);
			}
		}
	}
	show_known_zeros(&t, NULL, NULL);
	free(done);
	free(tg);
	if (moves)
		*moves = ms;
	else
		pep_moves_free(ms);
}

void pep_suppress_groups(const pep_table_shape *shape_in, const size_t *v, size_t rows, const size_t *total,
                         const bool *total_hide, const pep_moves *moves, bool *hide)
{
	shape s;
	shape_make(shape_in, &s);
	if (rows == 0)
		return;
	if (rows == 1) {
		/* One group: the total itself, hidden alike. */
		memcpy(hide, total_hide, s.cols * sizeof *hide);
		return;
	}
	long *x = pep_xcalloc(rows * s.cols, sizeof *x);
	for (size_t i = 0; i < rows * s.cols; i++)
		x[i] = (long)v[i];
	primary(&s, x, rows, hide);
	table t = {&s, rows, x, hide};
	size_t *tg;
	size_t n = targets_of(&t, &tg);
	bool *done = pep_xcalloc(n + 1, sizeof *done);
	size_t nmoves = moves ? moves->n : 0;
	bool *followed = pep_xcalloc(nmoves + 1, sizeof *followed);
	move *follow = pep_xcalloc(nmoves + 1, sizeof *follow);
	long tot[MAXC];
	for (size_t c = 0; c < s.cols; c++)
		tot[c] = (long)total[c];
	for (bool changed = true; changed;) {
		changed = false;
		zero_rule(&t, tot, total_hide);
		/* The groups follow each move of the total... */
		for (size_t i = 0; i < nmoves; i++) {
			if (followed[i])
				continue;
			search sr = {&t, 0, SIZE_MAX, &moves->d[i * moves->cols], 0, {0}};
			find(&sr, search_follow);
			if (sr.b.found && sr.b.cost == 0) {
				followed[i] = true;
				follow[i] = sr.b.m;
			} else {
				changed |= sr.b.found ? hide_move(&t, &sr.b.m) : hide_all(&t);
			}
		}
		/* ...and each target has a move of its own, or is changed by one
		 * that follows the total. */
		for (size_t i = 0; i < n; i++) {
			if (done[i])
				continue;
			size_t r = tg[2 * i], c = tg[2 * i + 1];
			for (size_t j = 0; j < nmoves && !done[i]; j++)
				done[i] = followed[j] && changes(&s, &follow[j], r, c);
			if (done[i])
				continue;
			search sr = {&t, r, c, NULL, 0, {0}};
			find(&sr, search_groups);
			if (sr.b.found && sr.b.cost == 0)
				done[i] = true;
			else
				changed |= sr.b.found ? hide_move(&t, &sr.b.m) : hide_all(&t);
		}
	}
	show_known_zeros(&t, tot, total_hide);
	free(follow);
	free(followed);
	free(done);
	free(tg);
	free(x);
}
