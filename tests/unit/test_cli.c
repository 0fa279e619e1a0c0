/* test_cli.c: the command line, run in-process (src/cli.c, src/cmd_*.c). */
#include "test.h"

#include <unistd.h>

#include "cli.h"

typedef struct run {
	int status;
	char *out, *err;
} run;

/* Runs `pep ARGS...` in-process with captured output. */
static run pep(const char *first, ...)
{
	char *argv[32] = {"pep"};
	int argc = 1;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	capture_file o, e;
	capture_open(&o);
	capture_open(&e);
	run r;
	r.status = pep_main(argc, argv, o.f, e.f);
	r.out = strdup(capture_text(&o));
	r.err = strdup(capture_text(&e));
	capture_close(&o);
	capture_close(&e);
	return r;
}

static void done(run *r)
{
	free(r->out);
	free(r->err);
}

static void contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fprintf(stderr, "not found: %s\nin: %s\n", needle, hay);
	assert_non_null(strstr(hay, needle));
}

static void test_help_and_version(void **state)
{
	(void)state;
	run r = pep("--help", NULL);
	assert_int_equal(r.status, 0);
	contains(r.out, "usage: pep");
	contains(r.out, "validate");
	assert_string_equal(r.err, "");
	done(&r);
	r = pep("--version", NULL);
	assert_int_equal(r.status, 0);
	contains(r.out, "pep ");
	done(&r);
	r = pep(NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "usage: pep");
	done(&r);
}

static void test_unknown_command(void **state)
{
	(void)state;
	run r = pep("valdate", "x.xml", NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "'valdate' is not a pep command");
	contains(r.err, "validate");
	done(&r);
}

static void test_validate_usage_errors(void **state)
{
	(void)state;
	run r = pep("validate", NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "no file given");
	done(&r);
	r = pep("validate", "--as-of", "2026-02-30", "x.xml", NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "--as-of '2026-02-30' is not a date");
	done(&r);
	r = pep("validate", "--stage", "final", "x.xml", NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "--stage 'final' is not known: use draft, signoff or upload");
	done(&r);
	r = pep("validate", "--format", "xml", "x.xml", NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "--format 'xml' is not known: use text or json");
	done(&r);
	r = pep("validate", "--la", "Kent!", "x.xml", NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "--la 'Kent!' is not an LA code");
	done(&r);
	r = pep("validate", "--bogus", "x.xml", NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "unknown option '--bogus'");
	contains(r.err, "Try 'pep validate --help'");
	done(&r);
	r = pep("validate", "--la", NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "option '--la' needs a value");
	done(&r);
}

static void test_validate_help(void **state)
{
	(void)state;
	run r = pep("validate", "--help", NULL);
	assert_int_equal(r.status, 0);
	contains(r.out, "usage: pep validate [options] FILE...");
	contains(r.out, "--as-of YYYY-MM-DD");
	done(&r);
}

static void test_missing_file_is_exit_2_on_stderr(void **state)
{
	(void)state;
	run r = pep("validate", "/nonexistent/x.xml", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
	contains(r.err, "/nonexistent/x.xml: cannot read the file");
	done(&r);
}

static void test_write_failure_is_an_error(void **state)
{
	(void)state;
	FILE *full = fopen("/dev/full", "w");
	if (!full)
		skip();
	capture_file e;
	capture_open(&e);
	char *argv[] = {"pep", "--help", NULL};
	int status = pep_main(2, argv, full, e.f);
	assert_int_equal(status, 2);
	contains(capture_text(&e), "cannot write to standard output");
	capture_close(&e);
	fclose(full);
}

/* pep new and pep next, run in-process one after the other: -o, --force,
 * standard output and the exit statuses. */
static void test_new_and_next_in_process(void **state)
{
	(void)state;
	char dir[] = "/tmp/pep-test-cli-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64], prev[512];
	snprintf(path, sizeof path, "%s/new.xml", dir);
	snprintf(prev, sizeof prev, "%s/samples/kent-review-y10-ehcp.xml", repo_root());

	run r = pep("new", "--la", "kent", "--kind", "review", "-o", path, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "");
	done(&r);
	r = pep("new", "--kind", "post-16", "--la", "kirklees", "--output", path, NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "already exists; use --force to replace it");
	done(&r);
	r = pep("new", "--kind", "post-16", "--la", "kirklees", "--output", path, "--force", NULL);
	assert_int_equal(r.status, 0);
	done(&r);

	r = pep("next", prev, NULL);
	assert_int_equal(r.status, 0);
	contains(r.out, "<formState>draft</formState>");
	contains(r.err, "pep next: note: attachment");
	done(&r);
	r = pep("next", path, "-o", "-", NULL); /* a draft: refused */
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	contains(r.err, "[NEXT] the previous PEP is still a draft");
	done(&r);
	r = pep("next", prev, "--date", "someday", NULL);
	assert_int_equal(r.status, 2);
	contains(r.err, "--date 'someday' is not a date");
	done(&r);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0); /* nothing else was left there */
}

int main(void)
{
	setenv("PEP_DATADIR", repo_root(), 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_validate_usage_errors),
		cmocka_unit_test(test_validate_help),
		cmocka_unit_test(test_missing_file_is_exit_2_on_stderr),
		cmocka_unit_test(test_write_failure_is_an_error),
		cmocka_unit_test(test_new_and_next_in_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
