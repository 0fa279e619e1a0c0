/* test_suppress.c: small-number suppression (src/suppress.c).
 *
 * The proof that no suppressed count can be worked out is the integer
 * programs of tests/e2e/sdc_oracle.py; these tests check the rule's parts
 * on tables made here, and the run time on a large one. With arguments,
 * `test_suppress --tables SEED N` prints N random caseloads' tables, each
 * as pep caseload --summary reports them under three breakdowns and none
 * (one JSON array of reports a line, then an object with the true counts),
 * for the oracle to attack (tests/e2e/test_caseload.py, RandomTables). */
#include "test.h"

#include <time.h>

#include "caseload.h"
#include "json.h"
#include "suppress.h"

/* ------------------------------------------------------------------ */
/* The rule's parts                                                     */
/* ------------------------------------------------------------------ */

static const pep_col free_cols[5] = {{PEP_COL_FREE, 0}, {PEP_COL_FREE, 0}, {PEP_COL_FREE, 0},
                                     {PEP_COL_FREE, 0}, {PEP_COL_FREE, 0}};
static const pep_table_shape free_shape = {free_cols, 5, 0};

static void test_primary_suppression(void **state)
{
	(void)state;
	size_t v[] = {0, 1, 4, 5, 120};
	bool hide[5];
	pep_suppress_total(&free_shape, v, hide, NULL);
	assert_false(hide[0]); /* counts of their own: no sum, nothing to protect but themselves */
	assert_true(hide[1]);
	assert_true(hide[2]);
	assert_false(hide[3]);
	assert_false(hide[4]);
}

/* The reviewer's cohort: 7 children, 1 overdue, 1 due soon, 5 not due yet,
 * none without a date; 6 of the 7 with a meeting in 6 months. Hiding the
 * 1 and 1 alone gave them away (7 - 5 - 0 = 2, each at least 1). */
static void test_the_cohort_gives_nothing_away(void **state)
{
	(void)state;
	size_t v[PEP_CF_COUNT] = {0};
	v[PEP_CF_CHILDREN] = 7;
	v[PEP_CF_OVERDUE] = 1;
	v[PEP_CF_DUE_SOON] = 1;
	v[PEP_CF_OK] = 5;
	v[PEP_CF_GREEN] = 7;
	v[PEP_CF_RECENT] = 6;
	bool hide[PEP_CF_COUNT];
	pep_moves *moves;
	pep_suppress_total(&pep_cohort_shape, v, hide, &moves);
	assert_true(hide[PEP_CF_OVERDUE]);
	assert_true(hide[PEP_CF_DUE_SOON]);
	/* Their partner: one that can give to them and stay at least 1 (5),
	 * and the 0 of their sum (a suppressed count may be 0). */
	assert_true(hide[PEP_CF_OK]);
	assert_true(hide[PEP_CF_NO_DATE]);
	/* 6 of 7 leaves 1 over: hidden too. */
	assert_true(hide[PEP_CF_RECENT]);
	assert_false(hide[PEP_CF_CHILDREN]);
	assert_false(hide[PEP_CF_GREEN]);
	/* A sum with nothing suppressed keeps its zeros. */
	assert_false(hide[PEP_CF_RED]);
	assert_false(hide[PEP_CF_NEET]);
	pep_moves_free(moves);
}

/* The reviewer's term: the whole caseload's "no PEP" is 10, made of ten
 * schools with 1 each and three with 0. Each 1 hidden, the 0s shown: each
 * [c] was 1 (10 of them add up to 10). Now the 0s are hidden too. */
static void test_ten_ones_and_the_zeros_beside_them(void **state)
{
	(void)state;
	enum { G = 13 };
	size_t total[PEP_TF_COUNT] = {0}, v[G * PEP_TF_COUNT] = {0};
	total[PEP_TF_NO_PEP] = 10;
	for (size_t g = 0; g < 10; g++)
		v[g * PEP_TF_COUNT + PEP_TF_NO_PEP] = 1;
	bool total_hide[PEP_TF_COUNT], hide[G * PEP_TF_COUNT];
	pep_moves *moves;
	pep_suppress_total(&pep_term_shape, total, total_hide, &moves);
	for (int f = 0; f < PEP_TF_COUNT; f++)
		assert_false(total_hide[f]); /* 10 and 0s: nothing small in the whole caseload's row */
	pep_suppress_groups(&pep_term_shape, v, G, total, total_hide, moves, hide);
	for (size_t g = 0; g < G; g++) {
		assert_true(hide[g * PEP_TF_COUNT + PEP_TF_NO_PEP]);
		assert_false(hide[g * PEP_TF_COUNT + PEP_TF_PEPS]); /* a column of zeros with a total of 0 */
	}
	pep_moves_free(moves);
}

/* Complements: 6 PEPs, 5 in timescale leaves 1 that was not. */
static void test_a_count_left_over_is_protected(void **state)
{
	(void)state;
	size_t v[PEP_TF_COUNT] = {0};
	v[PEP_TF_CHILDREN] = v[PEP_TF_PEPS] = v[PEP_TF_GREEN] = v[PEP_TF_SIGNED_IN_TIME] = 6;
	v[PEP_TF_IN_TIMESCALE] = 5;
	bool hide[PEP_TF_COUNT];
	pep_suppress_total(&pep_term_shape, v, hide, NULL);
	assert_true(hide[PEP_TF_IN_TIMESCALE] || hide[PEP_TF_PEPS]);
	/* One PEP beyond one a child: 6 PEPs of 5 children. */
	v[PEP_TF_IN_TIMESCALE] = 6;
	v[PEP_TF_CHILDREN] = 5;
	pep_suppress_total(&pep_term_shape, v, hide, NULL);
	assert_true(hide[PEP_TF_CHILDREN] || hide[PEP_TF_PEPS]);
}

/* ------------------------------------------------------------------ */
/* Random tables                                                        */
/* ------------------------------------------------------------------ */

typedef struct rng {
	uint64_t s;
} rng;

static unsigned rnd(rng *r, unsigned n)
{
	r->s = r->s * 6364136223846793005u + 1442695040888963407u;
	return (unsigned)((r->s >> 33) % n);
}

enum { BREAKDOWNS = 3, MAX_GROUPS = 16, MAX_UNITS = 60, MAX_SCHOOLS = 8 };

/* A random caseload: units (children) with their term figures and cohort
 * facts, each in a group of each breakdown (skewed: some groups small). */
typedef struct caseload {
	size_t units;
	size_t term[MAX_UNITS][PEP_TF_COUNT];
	int64_t pence[MAX_UNITS];
	size_t cohort[MAX_UNITS][PEP_CF_COUNT];
	size_t group[MAX_UNITS][BREAKDOWNS];
	size_t groups[BREAKDOWNS];
	size_t school[MAX_UNITS], schools;
} caseload;

static void random_caseload(rng *r, caseload *c)
{
	memset(c, 0, sizeof *c);
	c->units = 3 + rnd(r, MAX_UNITS - 3);
	for (int b = 0; b < BREAKDOWNS; b++)
		c->groups[b] = 1 + rnd(r, b == 0 ? MAX_GROUPS : 8);
	c->schools = 1 + rnd(r, MAX_SCHOOLS);
	for (size_t u = 0; u < c->units; u++) {
		size_t *t = c->term[u];
		if (rnd(r, 4) == 0) {
			t[PEP_TF_NO_PEP] = 1;
		} else if (rnd(r, 5)) {
			size_t peps = 1 + (rnd(r, 8) == 0);
			t[PEP_TF_CHILDREN] = 1;
			t[PEP_TF_PEPS] = peps;
			for (size_t p = 0; p < peps; p++) {
				t[PEP_TF_RED + rnd(r, 3)]++;
				t[PEP_TF_IN_TIMESCALE] += rnd(r, 4) != 0;
				t[PEP_TF_SIGNED_IN_TIME] += rnd(r, 3) != 0;
				size_t pp = rnd(r, 3) == 0 ? 1 + rnd(r, 2) : 0;
				t[PEP_TF_PP_REQUESTS] += pp;
				c->pence[u] += (int64_t)pp * 30000;
			}
		}
		size_t *k = c->cohort[u];
		k[PEP_CF_CHILDREN] = 1;
		k[PEP_CF_OVERDUE + rnd(r, 4)] = 1;
		k[PEP_CF_RED + rnd(r, 3)] = 1;
		static const int binaries[] = {PEP_CF_SIGNOFF_LATE, PEP_CF_RECENT, PEP_CF_ATTENDANCE_BELOW_90, PEP_CF_REDUCED,
		                               PEP_CF_NO_PROVISION, PEP_CF_NEET};
		for (size_t i = 0; i < sizeof binaries / sizeof binaries[0]; i++)
			k[binaries[i]] = rnd(r, 5) == 0;
		k[PEP_CF_PP_REQUESTS] = rnd(r, 3) == 0;
		/* Skewed groups: half the units in the first few. */
		for (int b = 0; b < BREAKDOWNS; b++)
			c->group[u][b] = rnd(r, 2) ? rnd(r, c->groups[b] < 3 ? c->groups[b] : 3) : rnd(r, c->groups[b]);
		c->school[u] = rnd(r, c->schools);
	}
}

static void json_counts(pep_jw *w, const char *const *keys, size_t n, const size_t *v, const bool *hide)
{
	for (size_t i = 0; i < n; i++)
		if (hide[i])
			pep_jw_kv_null(w, keys[i]);
		else
			pep_jw_kv_int(w, keys[i], (long long)v[i]);
}

/* Prints the caseload's reports: no breakdown, then each breakdown. */
static void print_reports(FILE *out, const caseload *c)
{
	size_t total[PEP_TF_COUNT] = {0}, cohort[PEP_CF_COUNT] = {0};
	int64_t pence = 0;
	for (size_t u = 0; u < c->units; u++) {
		for (int f = 0; f < PEP_TF_COUNT; f++)
			total[f] += c->term[u][f];
		for (int f = 0; f < PEP_CF_COUNT; f++)
			cohort[f] += c->cohort[u][f];
		pence += c->pence[u];
	}
	bool total_hide[PEP_TF_COUNT], cohort_hide[PEP_CF_COUNT];
	pep_moves *moves, *cohort_moves;
	pep_suppress_total(&pep_term_shape, total, total_hide, &moves);
	pep_suppress_total(&pep_cohort_shape, cohort, cohort_hide, &cohort_moves);
	/* The schools, adding up to the cohort's children and grades. */
	size_t sv[MAX_SCHOOLS * 4] = {0}, st[4];
	bool sh[MAX_SCHOOLS * 4], sth[4];
	for (size_t u = 0; u < c->units; u++)
		for (int j = 0; j < 4; j++)
			sv[c->school[u] * 4 + (size_t)j] += c->cohort[u][pep_school_of_cohort[j]];
	for (int j = 0; j < 4; j++) {
		st[j] = cohort[pep_school_of_cohort[j]];
		sth[j] = cohort_hide[pep_school_of_cohort[j]];
	}
	pep_moves *sm = pep_moves_project(cohort_moves, pep_school_of_cohort, 4);
	pep_suppress_groups(&pep_school_shape, sv, c->schools, st, sth, sm, sh);
	pep_moves_free(sm);

	pep_jw w;
	pep_jw_init_file(&w, out, PEP_JW_COMPACT);
	pep_jw_array_begin(&w);
	for (int b = -1; b < BREAKDOWNS; b++) {
		pep_jw_object_begin(&w);
		char by[16];
		snprintf(by, sizeof by, "b%d", b);
		if (b < 0)
			pep_jw_kv_null(&w, "by");
		else
			pep_jw_kv_string(&w, "by", by);
		pep_jw_kv_array_begin(&w, "terms");
		pep_jw_object_begin(&w);
		pep_jw_kv_string(&w, "term", "t");
		json_counts(&w, pep_term_figure_keys, PEP_TF_COUNT, total, total_hide);
		if (total_hide[PEP_TF_PP_REQUESTS])
			pep_jw_kv_null(&w, "pp_pence");
		else
			pep_jw_kv_int(&w, "pp_pence", pence);
		if (b >= 0) {
			size_t n = c->groups[b];
			size_t *v = pep_xcalloc(n * PEP_TF_COUNT, sizeof *v);
			int64_t *gp = pep_xcalloc(n, sizeof *gp);
			bool *hide = pep_xcalloc(n * PEP_TF_COUNT, sizeof *hide);
			for (size_t u = 0; u < c->units; u++) {
				for (int f = 0; f < PEP_TF_COUNT; f++)
					v[c->group[u][b] * PEP_TF_COUNT + (size_t)f] += c->term[u][f];
				gp[c->group[u][b]] += c->pence[u];
			}
			pep_suppress_groups(&pep_term_shape, v, n, total, total_hide, moves, hide);
			pep_jw_kv_array_begin(&w, "groups");
			for (size_t g = 0; g < n; g++) {
				pep_jw_object_begin(&w);
				char name[24];
				snprintf(name, sizeof name, "g%zu", g);
				pep_jw_kv_string(&w, "group", name);
				json_counts(&w, pep_term_figure_keys, PEP_TF_COUNT, &v[g * PEP_TF_COUNT], &hide[g * PEP_TF_COUNT]);
				if (hide[g * PEP_TF_COUNT + PEP_TF_PP_REQUESTS])
					pep_jw_kv_null(&w, "pp_pence");
				else
					pep_jw_kv_int(&w, "pp_pence", gp[g]);
				pep_jw_end(&w);
			}
			pep_jw_end(&w);
			free(v);
			free(gp);
			free(hide);
		}
		pep_jw_end(&w);
		pep_jw_end(&w);
		pep_jw_kv_object_begin(&w, "summary");
		json_counts(&w, pep_cohort_figure_keys, PEP_CF_COUNT, cohort, cohort_hide);
		pep_jw_kv_null(&w, "pp_pence");
		pep_jw_end(&w);
		pep_jw_kv_array_begin(&w, "schools");
		static const char *const school_cols[4] = {"children", "red", "amber", "green"};
		for (size_t i = 0; i < c->schools; i++) {
			pep_jw_object_begin(&w);
			char name[24];
			snprintf(name, sizeof name, "s%zu", i);
			pep_jw_kv_string(&w, "school", name);
			json_counts(&w, school_cols, 4, &sv[i * 4], &sh[i * 4]);
			pep_jw_end(&w);
		}
		pep_jw_end(&w);
		pep_jw_end(&w);
	}
	/* Last, the counts themselves, by the oracle's names, to judge what a
	 * reader who takes every [c] to be at least 1 makes of them. */
	pep_jw_object_begin(&w);
	pep_jw_kv_object_begin(&w, "truth");
	char name[64];
	for (int f = 0; f < PEP_TF_COUNT; f++) {
		snprintf(name, sizeof name, "t %s", pep_term_figure_keys[f]);
		pep_jw_kv_int(&w, name, (long long)total[f]);
	}
	for (int b = 0; b < BREAKDOWNS; b++)
		for (size_t g = 0; g < c->groups[b]; g++)
			for (int f = 0; f < PEP_TF_COUNT; f++) {
				size_t x = 0;
				for (size_t u = 0; u < c->units; u++)
					x += c->group[u][b] == g ? c->term[u][f] : 0;
				snprintf(name, sizeof name, "t b%d=g%zu %s", b, g, pep_term_figure_keys[f]);
				pep_jw_kv_int(&w, name, (long long)x);
			}
	for (int f = 0; f < PEP_CF_COUNT; f++) {
		snprintf(name, sizeof name, "cohort %s", pep_cohort_figure_keys[f]);
		pep_jw_kv_int(&w, name, (long long)cohort[f]);
	}
	static const char *const school_keys[4] = {"children", "red", "amber", "green"};
	for (size_t i = 0; i < c->schools; i++)
		for (int j = 0; j < 4; j++) {
			snprintf(name, sizeof name, "school s%zu %s", i, school_keys[j]);
			pep_jw_kv_int(&w, name, (long long)sv[i * 4 + (size_t)j]);
		}
	pep_jw_end(&w);
	pep_jw_end(&w);
	pep_jw_end(&w);
	fputc('\n', out);
	pep_moves_free(moves);
	pep_moves_free(cohort_moves);
}

/* Every count of 1 to 4 is hidden, and no sum with a hidden count shows a
 * 0 (unless its total is a 0 shown), on many random tables. */
static void test_random_tables_keep_the_rule(void **state)
{
	(void)state;
	rng r = {11};
	caseload *c = pep_xcalloc(1, sizeof *c);
	for (int round = 0; round < 200; round++) {
		random_caseload(&r, c);
		size_t total[PEP_TF_COUNT] = {0};
		for (size_t u = 0; u < c->units; u++)
			for (int f = 0; f < PEP_TF_COUNT; f++)
				total[f] += c->term[u][f];
		bool total_hide[PEP_TF_COUNT];
		pep_moves *moves;
		pep_suppress_total(&pep_term_shape, total, total_hide, &moves);
		size_t n = c->groups[0];
		size_t *v = pep_xcalloc(n * PEP_TF_COUNT, sizeof *v);
		bool *hide = pep_xcalloc(n * PEP_TF_COUNT, sizeof *hide);
		for (size_t u = 0; u < c->units; u++)
			for (int f = 0; f < PEP_TF_COUNT; f++)
				v[c->group[u][0] * PEP_TF_COUNT + (size_t)f] += c->term[u][f];
		pep_suppress_groups(&pep_term_shape, v, n, total, total_hide, moves, hide);
		for (int f = 0; f < PEP_TF_COUNT; f++) {
			if (total[f] > 0 && total[f] < PEP_SUPPRESS_BELOW)
				assert_true(total_hide[f]);
			bool any = total_hide[f];
			for (size_t g = 0; g < n; g++) {
				size_t x = v[g * PEP_TF_COUNT + (size_t)f];
				if (x > 0 && x < PEP_SUPPRESS_BELOW)
					assert_true(hide[g * PEP_TF_COUNT + (size_t)f]);
				any |= hide[g * PEP_TF_COUNT + (size_t)f];
			}
			/* A column with a hidden count shows no 0 (its total is no 0),
			 * but one its row fixes: PEPs, red, amber and green all shown. */
			for (size_t g = 0; g < n && any && total[f] > 0; g++) {
				const bool *h = &hide[g * PEP_TF_COUNT];
				bool known = !h[PEP_TF_PEPS] && !h[PEP_TF_RED] && !h[PEP_TF_AMBER] && !h[PEP_TF_GREEN] &&
				             (f == PEP_TF_PEPS || f == PEP_TF_RED || f == PEP_TF_AMBER || f == PEP_TF_GREEN);
				if (v[g * PEP_TF_COUNT + (size_t)f] == 0 && !known)
					assert_true(h[f]);
			}
			/* And no sum has exactly one hidden count: the column... */
			size_t hidden = total_hide[f];
			for (size_t g = 0; g < n; g++)
				hidden += hide[g * PEP_TF_COUNT + (size_t)f];
			assert_true(hidden != 1 || total_hide[f] || n == 1);
		}
		/* ...and red + amber + green = PEPs in each row. */
		for (size_t g = 0; g < n; g++) {
			const bool *h = &hide[g * PEP_TF_COUNT];
			assert_true(h[PEP_TF_PEPS] + h[PEP_TF_RED] + h[PEP_TF_AMBER] + h[PEP_TF_GREEN] != 1);
		}
		free(v);
		free(hide);
		pep_moves_free(moves);
	}
	free(c);
}

/* A large breakdown (400 groups, most with counts of 1 or 2) is done in
 * well under a second. */
static void test_a_large_table_is_quick(void **state)
{
	(void)state;
	enum { G = 400 };
	rng r = {5};
	size_t *v = pep_xcalloc(G * PEP_TF_COUNT, sizeof *v), total[PEP_TF_COUNT] = {0};
	bool *hide = pep_xcalloc(G * PEP_TF_COUNT, sizeof *hide), total_hide[PEP_TF_COUNT];
	for (size_t g = 0; g < G; g++) {
		size_t *x = &v[g * PEP_TF_COUNT];
		x[PEP_TF_NO_PEP] = rnd(&r, 2);
		x[PEP_TF_PEPS] = x[PEP_TF_CHILDREN] = rnd(&r, 3);
		for (size_t p = 0; p < x[PEP_TF_PEPS]; p++) {
			x[PEP_TF_RED + rnd(&r, 3)]++;
			x[PEP_TF_IN_TIMESCALE] += rnd(&r, 2);
			x[PEP_TF_SIGNED_IN_TIME] += rnd(&r, 2);
		}
		for (int f = 0; f < PEP_TF_COUNT; f++)
			total[f] += x[f];
	}
	clock_t start = clock();
	pep_moves *moves;
	pep_suppress_total(&pep_term_shape, total, total_hide, &moves);
	pep_suppress_groups(&pep_term_shape, v, G, total, total_hide, moves, hide);
	double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
	const char *slow = getenv("PEP_TEST_SLOWDOWN");
	assert_true(seconds < 1.0 * (slow ? atof(slow) : 1) * 3); /* sanitizers run some three times slower */
	pep_moves_free(moves);
	free(v);
	free(hide);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--tables") == 0) {
		rng r = {strtoull(argv[2], NULL, 10) * 2654435761u + 1};
		caseload *c = pep_xcalloc(1, sizeof *c);
		for (long i = 0, n = atol(argv[3]); i < n; i++) {
			random_caseload(&r, c);
			print_reports(stdout, c);
		}
		free(c);
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_primary_suppression),
		cmocka_unit_test(test_the_cohort_gives_nothing_away),
		cmocka_unit_test(test_ten_ones_and_the_zeros_beside_them),
		cmocka_unit_test(test_a_count_left_over_is_protected),
		cmocka_unit_test(test_random_tables_keep_the_rule),
		cmocka_unit_test(test_a_large_table_is_quick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
