/* suppress.c: primary and secondary small-number suppression (suppress.h). */
#include "suppress.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

const char pep_suppress_rule[] =
	"Counts from 1 to 4 are suppressed; where a suppressed count could be worked out by subtraction from a total "
	"and the other counts in it, the next smallest count in that total is suppressed too (secondary suppression), "
	"so that no suppressed figure can be recovered.";

static bool small(size_t v)
{
	return v > 0 && v < PEP_SUPPRESS_BELOW;
}

/* One sum: cells[0] the total, cells[1..n] its parts (indexes into v).
 * When exactly one of them is hidden, hides one more; true if it did. */
static bool protect(const size_t *v, bool *hide, const size_t *cells, size_t n)
{
	size_t hidden = 0;
	for (size_t i = 0; i < n; i++)
		hidden += hide[cells[i]];
	if (hidden != 1)
		return false;
	/* The smallest part above 0 that is shown; else the total. */
	size_t pick = (size_t)-1;
	for (size_t i = 1; i < n; i++)
		if (!hide[cells[i]] && v[cells[i]] > 0 && (pick == (size_t)-1 || v[cells[i]] < v[pick]))
			pick = cells[i];
	if (pick == (size_t)-1) {
		if (hide[cells[0]])
			return false; /* the total is the hidden one and every part shown is 0: nothing to recover */
		pick = cells[0];
	}
	hide[pick] = true;
	return true;
}

void pep_suppress(const size_t *v, bool *hide, size_t rows, size_t cols, const pep_sum *sums, size_t nsums,
                  bool col_sums)
{
	size_t n = rows * cols;
	for (size_t i = 0; i < n; i++)
		hide[i] = small(v[i]);
	size_t *cells = xcalloc(rows + PEP_SUPPRESS_MAX_PARTS + 1, sizeof *cells);
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t r = 0; r < rows; r++)
			for (size_t s = 0; s < nsums; s++) {
				cells[0] = r * cols + (size_t)sums[s].total;
				for (int p = 0; p < sums[s].nparts; p++)
					cells[1 + p] = r * cols + (size_t)sums[s].parts[p];
				changed |= protect(v, hide, cells, 1 + (size_t)sums[s].nparts);
			}
		if (!col_sums || rows < 2)
			continue;
		for (size_t c = 0; c < cols; c++) {
			cells[0] = (rows - 1) * cols + c;
			for (size_t r = 0; r + 1 < rows; r++)
				cells[1 + r] = r * cols + c;
			changed |= protect(v, hide, cells, rows);
		}
	}
	free(cells);
}
