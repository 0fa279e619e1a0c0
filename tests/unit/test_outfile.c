/* test_outfile.c: atomic outputs (src/outfile.c). */
#include "test.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "xalloc.h"

static char dir[] = "/tmp/pep-outfile-XXXXXX";

static bool unnamed = true, named = false;

static int setup(void **state)
{
	*state = &unnamed;
	strcpy(dir, "/tmp/pep-outfile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

/* The same tests again with the named temporary file that filesystems
 * without O_TMPFILE get. */
static int setup_named(void **state)
{
	pep_outfile_allow_unnamed(false);
	int rc = setup(state);
	*state = &named;
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	return test_remove_tree(dir);
}

static int entries(void)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = xcalloc(1, 4096);
	size_t n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_commit_writes_and_abort_leaves_nothing(void **state)
{
	(void)state;
	char *path = xasprintf("%s/a.txt", dir), *err = NULL;
	pep_outfile *o = pep_outfile_open(path, false, &err);
	assert_non_null(o);
	fputs("hello", pep_outfile_stream(o));
	assert_int_equal(access(path, F_OK), -1); /* not there until committed */
	/* Where the filesystem can hold an unnamed file, not even a temporary
	 * name is there: a SIGKILL now would leave nothing behind. */
	int probe = open(dir, O_TMPFILE | O_WRONLY, 0600);
	if (probe >= 0)
		close(probe);
	if (probe >= 0 && *(bool *)*state) {
		assert_int_equal(entries(), 0);
	} else {
		/* Elsewhere one hidden name, beside the target. */
		assert_int_equal(entries(), 1);
		DIR *d = opendir(dir);
		bool found = false;
		for (struct dirent *e; (e = readdir(d));)
			found |= strncmp(e->d_name, ".a.txt.", 7) == 0;
		closedir(d);
		assert_true(found);
	}
	assert_true(pep_outfile_commit(o, &err));
	char *s = slurp(path);
	assert_string_equal(s, "hello");
	free(s);

	o = pep_outfile_open(path, true, &err);
	fputs("partial", pep_outfile_stream(o));
	pep_outfile_abort(o);
	s = slurp(path);
	assert_string_equal(s, "hello"); /* the good file is untouched */
	free(s);
	assert_int_equal(entries(), 1);    /* and no temporary file is left */

	o = pep_outfile_open(path, true, &err); /* replacing: the new file, alone */
	fputs("bye", pep_outfile_stream(o));
	assert_true(pep_outfile_commit(o, &err));
	s = slurp(path);
	assert_string_equal(s, "bye");
	free(s);
	assert_int_equal(entries(), 1);
	unlink(path);
	free(path);
}

static void test_no_replace_without_permission(void **state)
{
	(void)state;
	char *path = xasprintf("%s/b.txt", dir), *err = NULL;
	FILE *f = fopen(path, "w");
	fputs("old", f);
	fclose(f);
	assert_null(pep_outfile_open(path, false, &err));
	assert_non_null(strstr(err, "already exists; use --force"));
	free(err);
	/* Created by someone else between open and commit: still refused. */
	unlink(path);
	pep_outfile *o = pep_outfile_open(path, false, &err);
	assert_non_null(o);
	f = fopen(path, "w");
	fputs("theirs", f);
	fclose(f);
	fputs("mine", pep_outfile_stream(o));
	assert_false(pep_outfile_commit(o, &err));
	assert_non_null(strstr(err, "already exists"));
	free(err);
	char *s = slurp(path);
	assert_string_equal(s, "theirs");
	free(s);
	unlink(path);
	free(path);
	assert_int_equal(entries(), 0);
}

static void test_missing_folder_is_explained(void **state)
{
	(void)state;
	char *err = NULL;
	assert_null(pep_outfile_open("/nonexistent-dir/x.pdf", true, &err));
	assert_non_null(strstr(err, "does the folder exist?"));
	free(err);
	assert_null(pep_outfile_open(dir, true, &err));
	assert_non_null(strstr(err, "is a folder"));
	free(err);
}

static void test_a_full_disk_fails_the_commit(void **state)
{
	(void)state;
	/* /dev/full cannot hold a temporary file beside it, so simulate the
	 * full disk on the stream: a write error must fail the commit. */
	char *path = xasprintf("%s/c.txt", dir), *err = NULL;
	pep_outfile *o = pep_outfile_open(path, true, &err);
	FILE *f = pep_outfile_stream(o);
	fputs("x", f);
	/* Force the stream into its error state, as ENOSPC would. */
	int fd = fileno(f);
	fflush(f);
	int devfull = open("/dev/full", O_WRONLY);
	if (devfull < 0) {
		pep_outfile_abort(o);
		free(path);
		skip();
	}
	dup2(devfull, fd);
	close(devfull);
	for (int i = 0; i < 10000; i++)
		fputs("more data ", f);
	assert_false(pep_outfile_commit(o, &err));
	assert_non_null(strstr(err, "disk is full"));
	free(err);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_writes_and_abort_leaves_nothing),
		cmocka_unit_test(test_no_replace_without_permission),
		cmocka_unit_test(test_missing_folder_is_explained),
		cmocka_unit_test(test_a_full_disk_fails_the_commit),
	};
	int failed = cmocka_run_group_tests_name("unnamed temporary file", tests, setup, teardown);
	return failed + cmocka_run_group_tests_name("named temporary file", tests, setup_named, teardown);
}
