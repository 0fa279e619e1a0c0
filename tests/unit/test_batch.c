/* test_batch.c: walking, ordered parallel checking (src/batch.c), CSV
 * fields (src/diag.c). The caseload: test_caseload.c. */
#include "test.h"

#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "xalloc.h"
#include "xml.h"

static char dir[] = "/tmp/pep-batch-XXXXXX";

static void touch(const char *rel, const char *text)
{
	char *p = pep_xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static int setup(void **state)
{
	(void)state;
	pep_xml_init();
	if (!mkdtemp(dir))
		return -1;
	char *cmd = pep_xasprintf("mkdir -p %s/b/c %s/.hid %s/a && ln -s .. %s/b/c/up", dir, dir, dir, dir);
	int rc = system(cmd);
	free(cmd);
	touch("z.xml", "<x/>");
	touch("a/m.xml", "<x/>");
	touch("b/c/k.xml", "<x/>");
	touch("b/readme.txt", "not xml");
	touch(".hid/h.xml", "<x/>");
	touch("a/.h.xml", "<x/>");
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	return test_remove_tree(dir);
}

static void test_walk(void **state)
{
	(void)state;
	char *named = pep_xasprintf("%s/b/readme.txt", dir), *missing = pep_xasprintf("%s/nope", dir);
	char *a = pep_xasprintf("%s/a", dir);
	const char *paths[] = {dir, named, missing, a};
	pep_walker *w = pep_walker_new(paths, 4);
	size_t nmissing;
	const char *const *m = pep_walker_missing(w, &nmissing);
	assert_int_equal(nmissing, 1);
	assert_string_equal(m[0], missing);
	/* In path order, no repeats (a/m.xml is reached twice), hidden
	 * skipped, non-.xml skipped unless named (then it comes after the
	 * folder named); the link b/c/up -> .. leads back round: one problem,
	 * in its place. */
	const char *want[] = {"/a/m.xml", "/b/c/k.xml", "/b/c/up", "/z.xml", "/b/readme.txt"};
	size_t n = 0;
	const char *path;
	pep_diags *problem;
	while (pep_walker_next(w, &path, &problem)) {
		assert_true(n < 5);
		char *full = pep_xasprintf("%s%s", dir, want[n]);
		if (n == 2) {
			assert_non_null(problem);
			assert_string_equal(pep_diags_file(problem), full);
			assert_non_null(strstr(pep_diags_at(problem, 0)->message, "leads back"));
			assert_true(pep_diags_unchecked(problem));
			pep_diags_free(problem);
		} else {
			assert_null(problem);
			assert_string_equal(path, full);
		}
		free(full);
		n++;
	}
	assert_int_equal(n, 5);
	pep_walker_free(w);
	assert_int_equal(pep_batch_count(paths, 4, false), 5);
	free(named);
	free(missing);
	free(a);
}

typedef struct seen {
	size_t order[64];
	size_t n;
} seen;

static void on_item(void *ctx, size_t index, pep_batch_item *item)
{
	seen *s = ctx;
	s->order[s->n++] = index;
	/* The item is the index-th file in path order. */
	char *want = pep_xasprintf("%s/many/f%02zu.xml", dir, index);
	assert_string_equal(pep_diags_file(item->diags), want);
	free(want);
	assert_false(item->facts.loaded); /* none of these files is a PEP */
	pep_diags_free(item->diags);
	pep_facts_free(&item->facts);
}

static void test_run_delivers_in_order(void **state)
{
	(void)state;
	setenv("PEP_DATADIR", repo_root(), 1);
	pep_check_config cfg = {0};
	cfg.stage = PEP_STAGE_SIGNOFF;
	char *err = NULL;
	pep_checker *c = pep_checker_new(&cfg, &err);
	assert_non_null(c);
	/* 40 files in one folder, half of them not XML at all. */
	char *many = pep_xasprintf("%s/many", dir);
	assert_int_equal(mkdir(many, 0700), 0);
	for (int i = 0; i < 40; i++) {
		char *rel = pep_xasprintf("many/f%02d.xml", i);
		touch(rel, i % 2 ? "<x/>" : "not xml");
		free(rel);
	}
	const char *paths[] = {many};
	for (int threads = 1; threads <= 4; threads++) {
		seen s = {{0}, 0};
		pep_walker *w = pep_walker_new(paths, 1);
		assert_int_equal(pep_batch_run(c, w, threads, on_item, &s), 40);
		pep_walker_free(w);
		assert_int_equal(s.n, 40);
		for (size_t i = 0; i < 40; i++)
			assert_int_equal(s.order[i], i);
	}
	free(many);
	pep_checker_free(c);
	assert_true(pep_batch_cores() >= 1);
}

/* Files and folders that vanish after the walk has listed them, as when
 * someone tidies a shared folder during a long check: each is reported in
 * its place, and the rest are checked. (With one thread the walk, the check
 * and the emit take turns, so the deletion falls between them exactly.) */
typedef struct vanish {
	size_t n;
	char *names[16];
	bool io[16];
} vanish;

static void on_vanish(void *ctx, size_t index, pep_batch_item *item)
{
	vanish *v = ctx;
	assert_true(v->n < 16);
	const char *file = pep_diags_file(item->diags);
	v->names[v->n] = pep_xstrdup(file + strlen(dir));
	v->io[v->n] = pep_diags_count(item->diags) > 0 && strcmp(pep_diags_at(item->diags, 0)->rule, "IO") == 0;
	v->n++;
	if (index == 0) {
		char *f = pep_xasprintf("%s/gone/f2.xml", dir), *sub = pep_xasprintf("%s/gone/sub", dir);
		assert_int_equal(unlink(f), 0);
		assert_int_equal(test_remove_tree(sub), 0);
		free(f);
		free(sub);
	}
	pep_diags_free(item->diags);
	pep_facts_free(&item->facts);
}

static void test_a_file_that_vanishes_is_reported_in_its_place(void **state)
{
	(void)state;
	pep_check_config cfg = {0};
	cfg.stage = PEP_STAGE_SIGNOFF;
	char *err = NULL;
	pep_checker *c = pep_checker_new(&cfg, &err);
	assert_non_null(c);
	char *cmd = pep_xasprintf("mkdir -p '%s/gone/sub'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	touch("gone/f1.xml", "<x/>");
	touch("gone/f2.xml", "<x/>");
	touch("gone/f3.xml", "<x/>");
	touch("gone/sub/s.xml", "<x/>");
	char *gone = pep_xasprintf("%s/gone", dir);
	const char *paths[] = {gone};
	pep_walker *w = pep_walker_new(paths, 1);
	vanish v = {0};
	assert_int_equal(pep_batch_run(c, w, 1, on_vanish, &v), 4);
	pep_walker_free(w);
	const char *want[] = {"/gone/f1.xml", "/gone/f2.xml", "/gone/f3.xml", "/gone/sub"};
	bool io[] = {false, true, false, true};
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(v.names[i], want[i]);
		assert_int_equal(v.io[i], io[i]);
		free(v.names[i]);
	}
	free(gone);
	pep_checker_free(c);
}

static void test_csv_fields(void **state)
{
	(void)state;
	capture_file out;
	capture_open(&out);
	pep_csv_field(out.f, "plain", false);
	fputc('|', out.f);
	pep_csv_field(out.f, "a,b", false);
	fputc('|', out.f);
	pep_csv_field(out.f, "say \"hi\"", false);
	fputc('|', out.f);
	pep_csv_field(out.f, "=1+1", false);
	fputc('|', out.f);
	pep_csv_field(out.f, "=1+1", true);
	fputc('|', out.f);
	pep_csv_field(out.f, "Zoë", true);
	assert_string_equal(capture_text(&out), "plain|\"a,b\"|\"say \"\"hi\"\"\"|=1+1|\"'=1+1\"|Zoë");
	capture_close(&out);
}


/* Collects what a walk over paths yields: files as "f:PATH", problems as
 * "p:PATH:severity" (the rule is IO), one a line. Caller frees. */
static char *walk_all(const char *const *paths, size_t n, bool follow)
{
	pep_walker *w = pep_walker_new(paths, n);
	if (follow)
		pep_walker_follow_links(w);
	char *out = pep_xstrdup("");
	const char *path;
	pep_diags *prob;
	while (pep_walker_next(w, &path, &prob)) {
		const char *shown = prob ? pep_diags_file(prob) : path;
		size_t skip = strlen(dir) + 1;
		char *next = pep_xasprintf("%s%s:%s%s\n", out, prob ? "p" : "f", shown + (strncmp(shown, dir, skip - 1) == 0 ? skip : 0),
		                       prob ? (pep_diags_at(prob, 0)->severity == PEP_WARNING ? ":warning" : ":error") : "");
		free(out);
		out = next;
		pep_diags_free(prob);
	}
	pep_walker_free(w);
	return out;
}

static void test_links_lattices_and_the_way_out(void **state)
{
	(void)state;
	/* 19 folders, two links each to the next: 2^19 paths, 20 real folders. */
	char *cmd = pep_xasprintf("mkdir -p %s/lat %s/out && cd %s/lat && for i in $(seq 0 19); do mkdir d$i && "
	                      "echo '<x/>' > d$i/p.xml; done && for i in $(seq 0 18); do ln -s ../d$((i+1)) d$i/a && "
	                      "ln -s ../d$((i+1)) d$i/b; done && echo '<x/>' > ../out/o.xml && ln -s ../../out d0/away && "
	                      "ln d0/p.xml d0/hard.xml && ln -s p.xml d0/soft.xml",
	                      dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *lat = pep_xasprintf("%s/lat", dir), *d0 = pep_xasprintf("%s/lat/d0", dir);
	const char *paths[] = {lat};
	char *got = walk_all(paths, 1, false);
	size_t files = 0;
	for (const char *p = got; (p = strstr(p, "f:")); p++)
		files++;
	assert_int_equal(files, 20); /* each real file once: hard and soft links too */
	assert_non_null(strstr(got, "p:lat/d0/away:warning\n")); /* out of the tree: reported, not followed */
	assert_null(strstr(got, "o.xml"));
	free(got);
	/* From d0 alone, d1 is out of the tree too; --follow-links goes on. */
	const char *one[] = {d0};
	got = walk_all(one, 1, false);
	/* (hard.xml, p.xml and soft.xml are one file: the first in path order is checked) */
	assert_string_equal(got, "p:lat/d0/a:warning\np:lat/d0/away:warning\np:lat/d0/b:warning\nf:lat/d0/hard.xml\n");
	free(got);
	got = walk_all(one, 1, true);
	files = 0;
	for (const char *p = got; (p = strstr(p, "f:")); p++)
		files++;
	assert_int_equal(files, 21); /* the 20, and out/o.xml */
	assert_non_null(strstr(got, "f:lat/d0/away/o.xml\n"));
	assert_int_equal(pep_batch_count(one, 1, true), 21);
	free(got);
	free(lat);
	free(d0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_links_lattices_and_the_way_out),
		cmocka_unit_test(test_run_delivers_in_order),
		cmocka_unit_test(test_a_file_that_vanishes_is_reported_in_its_place),
		cmocka_unit_test(test_csv_fields),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
