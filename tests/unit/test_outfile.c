/* test_outfile.c: atomic outputs (src/outfile.c). */
#include "test.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outfile.h"
#include "strbuf.h"
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


/* A PDF laid out as libharu writes one: a catalogue, a page's contents
 * (text, which may quote any mark), the document information holding
 * identity (when not NULL), the cross-reference table and the trailer
 * naming them. Caller frees. */
static char *pdf_with(const char *identity, const char *text)
{
	pep_buf b = PEP_BUF_INIT;
	size_t at[4];
	pep_buf_puts(&b, "%PDF-1.3\n%\xb7\xbe\xad\xaa\n");
	at[1] = b.len;
	pep_buf_puts(&b, "1 0 obj\n<<\n/Type /Catalog\n>>\nendobj\n");
	at[2] = b.len;
	pep_buf_printf(&b, "2 0 obj\n<<\n/Length %zu\n>>\nstream\n%s\nendstream\nendobj\n", strlen(text ? text : ""),
	               text ? text : "");
	at[3] = b.len;
	pep_buf_puts(&b, "3 0 obj\n<<\n/Producer (Haru Free PDF Library 2.3.0)\n/Title (a \\(quoted\\) \\051 title)\n"
	                 "/Subject <FEFF0050>\n/Keys [1 (/PepIdentity \\(x\\)) << /A (b) >>]\n");
	if (identity)
		pep_buf_printf(&b, "/" PEP_IDENTITY_PDF_KEY " (%s)\n", identity);
	pep_buf_puts(&b, "/CreationDate (D:20261201153935Z00'00')\n>>\nendobj\n");
	size_t xref = b.len;
	pep_buf_puts(&b, "xref\n0 4\n0000000000 65535 f\r\n");
	for (int i = 1; i < 4; i++)
		pep_buf_printf(&b, "%010zu 00000 n\r\n", at[i]);
	pep_buf_printf(&b, "trailer\n<<\n/Root 1 0 R\n/Info 3 0 R\n/Size 4\n>>\nstartxref\n%zu\n%%%%EOF\n", xref);
	return pep_buf_detach(&b);
}

/* An HTML page as pep writes one, its identity (when not NULL) among the
 * head's <meta> elements, and body in its body. Caller frees. */
static char *html_with(const char *identity, const char *body)
{
	pep_buf b = PEP_BUF_INIT;
	pep_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>A &lt;PEP&gt;</title>\n"
	                 "<meta name=\"author\" content=\"Kent\">\n");
	if (identity)
		pep_buf_printf(&b, "<meta name=\"" PEP_IDENTITY_HTML_META "\" content=\"%s\">\n", identity);
	pep_buf_printf(&b, "<style>\np { margin: 0 }\n</style>\n</head>\n<body>\n%s\n</body>\n</html>\n", body ? body : "");
	return pep_buf_detach(&b);
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


/* Writes s to path (replacing it). */
static void put(const char *path, const char *s)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

/* Writes s through the policy; returns the error (caller frees) or NULL. */
static char *write_with(const char *path, const pep_output_policy *p, const char *s)
{
	char *err = NULL;
	pep_outfile *o = pep_outfile_create(path, p, &err);
	if (!o)
		return err;
	fputs(s, pep_outfile_stream(o));
	if (!pep_outfile_commit(o, &err))
		return err;
	return NULL;
}

static void test_an_input_is_never_written_over(void **state)
{
	(void)state;
	char *in = xasprintf("%s/in.xml", dir), *dot = xasprintf("%s/./in.xml", dir);
	char *sym = xasprintf("%s/link.xml", dir), *hard = xasprintf("%s/hard.xml", dir);
	put(in, "the PEP");
	assert_int_equal(symlink("in.xml", sym), 0);
	assert_int_equal(link(in, hard), 0);
	pep_inputs *inputs = pep_inputs_new();
	pep_inputs_add(inputs, in);
	pep_inputs_add(inputs, "/nonexistent/x.xml"); /* skipped, not an error */
	pep_output_policy p = {PEP_REPLACE_ALWAYS, NULL, inputs, NULL, false};
	const char *const ways[] = {in, dot, sym, hard};
	for (int i = 0; i < 4; i++) {
		char *err = NULL;
		assert_false(pep_outfile_check(ways[i], &p, &err));
		assert_non_null(strstr(err, "is a file this command reads"));
		free(err);
		err = write_with(ways[i], &p, "a PDF");
		assert_non_null(err);
		assert_non_null(strstr(err, ways[i])); /* named as given */
		free(err);
	}
	char *s = slurp(in);
	assert_string_equal(s, "the PEP");
	free(s);
	/* A file that is not an input is written. */
	char *other = xasprintf("%s/other.pdf", dir);
	assert_null(write_with(other, &p, "a PDF"));
	pep_inputs_free(inputs);
	unlink(in);
	unlink(sym);
	unlink(hard);
	unlink(other);
	free(in);
	free(dot);
	free(sym);
	free(hard);
	free(other);
}

static void test_replace_never_same_or_always(void **state)
{
	(void)state;
	char *path = xasprintf("%s/x.pdf", dir), *err = NULL;
	char *id = pep_output_identity("kent", "KCC 1", "2026-03-11", NULL);
	char *other = pep_output_identity("kent", "KCC/1", "2026-03-11", NULL);
	put(path, "old, with no identity");
	pep_output_policy never = {PEP_REPLACE_NEVER, NULL, NULL, NULL, false};
	pep_output_policy same = {PEP_REPLACE_SAME, id, NULL, NULL, false};
	pep_output_policy always = {PEP_REPLACE_ALWAYS, id, NULL, NULL, false};
	err = write_with(path, &never, "new");
	assert_non_null(strstr(err, "already exists; use --force"));
	free(err);
	err = write_with(path, &same, "new");
	assert_non_null(strstr(err, "is not what pep made for the same child's same meeting"));
	free(err);
	/* Another child's PDF is not this one's ... */
	char *theirs = pdf_with(other, NULL);
	put(path, theirs);
	err = write_with(path, &same, "new");
	assert_non_null(err);
	free(err);
	char *s = slurp(path);
	assert_string_equal(s, theirs);
	free(s);
	/* ... this child's PDF of this meeting is, and so is its page. */
	char *mine = pdf_with(id, NULL);
	put(path, mine);
	assert_null(write_with(path, &same, "new"));
	s = slurp(path);
	assert_string_equal(s, "new");
	free(s);
	char *html = html_with(id, NULL);
	put(path, html);
	assert_null(write_with(path, &same, "newer"));
	/* The identity quoted as text, outside its place, does not count:
	 * another child's PDF or page whose text quotes this child's mark (in
	 * either form), a mark in a PDF that is not in its information, in a
	 * page's body or after its style, or in a file that is neither. */
	char *pdf_mark = xasprintf("/" PEP_IDENTITY_PDF_KEY " (%s)", id);
	char *meta_mark = xasprintf("<meta name=\"" PEP_IDENTITY_HTML_META "\" content=\"%s\">", id);
	char *both = xasprintf("%s %s", pdf_mark, meta_mark);
	char *stolen[] = {
		pdf_with(other, both),
		pdf_with(NULL, both),
		html_with(other, both),
		html_with(NULL, both),
		xasprintf("<!DOCTYPE html>\n<html>\n<head>\n<style></style>\n%s\n</head>\n", meta_mark),
		xasprintf("<!DOCTYPE html>\n<html>\n<head>\n<title>%s</title>\n</head>\n", both),
		xasprintf("%%PDF-1.3\n%s\n", pdf_mark),
		xstrdup(both),
		xstrdup(id),
	};
	for (size_t i = 0; i < sizeof stolen / sizeof stolen[0]; i++) {
		put(path, stolen[i]);
		err = write_with(path, &same, "new");
		if (!err)
			fail_msg("case %zu: replaced", i);
		free(err);
		s = slurp(path);
		assert_string_equal(s, stolen[i]);
		free(s);
		free(stolen[i]);
	}
	/* A PDF whose information is not where its trailer says is not read. */
	char *moved = pdf_with(id, NULL);
	char *info = strstr(moved, "\n3 0 obj");
	info[1] = '4';
	put(path, moved);
	err = write_with(path, &same, "new");
	assert_non_null(err);
	free(err);
	free(moved);
	assert_null(write_with(path, &always, "forced"));
	s = slurp(path);
	assert_string_equal(s, "forced");
	free(s);
	unlink(path);
	free(path);
	free(id);
	free(other);
	free(theirs);
	free(mine);
	free(html);
	free(pdf_mark);
	free(meta_mark);
	free(both);
}

static void test_the_identity_is_a_digest_of_la_id_and_meeting(void **state)
{
	(void)state;
	/* SHA-256 of "pep identity 1\0kent\0KCC 1\0" "2026-03-11\0", first 16 bytes
	 * (Python: hashlib.sha256(...).hexdigest()[:32]). */
	char *a = pep_output_identity("kent", "KCC 1", "2026-03-11", NULL);
	assert_string_equal(a, "pep1-5a32b106b5ef5734218f0a62dfde9573");
	char *b = pep_output_identity(NULL, NULL, NULL, NULL);
	assert_string_equal(b, "pep1-1a429f2ce8b5d2271dbf7bb5e298418c");
	char *c = pep_output_identity("kent", "KCC/1", "2026-03-11", NULL);
	char *d = pep_output_identity("kent", "KCC 1", "2026-03-12", NULL);
	char *e = pep_output_identity("kentK", "CC 1", "2026-03-11", NULL); /* parts never run together */
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	assert_string_not_equal(a, e);
	/* The full record's PDF is as it was ("" is no variant); every other
	 * output of the meeting is another: SHA-256 of "pep identity 1\0kent\0KCC
	 * 1\0" "2026-03-11\0child\0", first 16 bytes. */
	char *full = pep_output_identity("kent", "KCC 1", "2026-03-11", "");
	assert_string_equal(full, a);
	char *child = pep_output_identity("kent", "KCC 1", "2026-03-11", "child");
	assert_string_equal(child, "pep1-1bda6fde5e502821bd928a17414f3a42");
	char *page = pep_output_identity("kent", "KCC 1", "2026-03-11", "html");
	char *child_page = pep_output_identity("kent", "KCC 1", "2026-03-11", "child html");
	assert_string_not_equal(child, a);
	assert_string_not_equal(page, a);
	assert_string_not_equal(page, child);
	assert_string_not_equal(child_page, child);
	assert_string_not_equal(child_page, page);
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
	free(full);
	free(child);
	free(page);
	free(child_page);
}

static void test_permissions_are_kept_never_widened(void **state)
{
	(void)state;
	char *path = xasprintf("%s/secret.pdf", dir);
	pep_output_policy always = {PEP_REPLACE_ALWAYS, NULL, NULL, NULL, false};
	const mode_t modes[] = {0600, 0640, 0604, 0400};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		put(path, "old");
		chmod(path, modes[i]);
		assert_null(write_with(path, &always, "new"));
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, modes[i]);
		unlink(path);
	}
	/* A new file follows the umask. */
	mode_t old = umask(027);
	assert_null(write_with(path, &always, "new"));
	umask(old);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	unlink(path);
	free(path);
}

static void test_devices_and_fifos_are_streams(void **state)
{
	(void)state;
	pep_output_policy p = {PEP_REPLACE_NEVER, NULL, NULL, NULL, true};
	/* /dev/null: written, never replaced (even without leave to replace). */
	assert_null(write_with("/dev/null", &p, "into nothing"));
	struct stat st;
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	/* A FIFO: the bytes come out of it, and it stays a FIFO. */
	char *fifo = xasprintf("%s/pipe", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int r = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(r >= 0);
	assert_null(write_with(fifo, &p, "through the pipe"));
	char buf[64] = "";
	assert_int_equal(read(r, buf, sizeof buf - 1), 16);
	assert_string_equal(buf, "through the pipe");
	close(r);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	unlink(fifo);
	free(fifo);
	/* A terminal is refused for binary output. */
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0) {
		char *err = write_with(ptsname(m), &p, "%PDF");
		assert_non_null(err);
		assert_non_null(strstr(err, "is a terminal"));
		free(err);
	}
	if (m >= 0)
		close(m);
	/* A folder is refused. */
	char *err = write_with(dir, &p, "x");
	assert_non_null(strstr(err, "is a folder"));
	free(err);
}

static void test_links_are_followed_and_dangling_ones_refused(void **state)
{
	(void)state;
	char *target = xasprintf("%s/real.pdf", dir), *link = xasprintf("%s/current.pdf", dir);
	char *dangling = xasprintf("%s/dangling.pdf", dir), *nowhere = xasprintf("%s/nowhere/x.pdf", dir);
	put(target, "old");
	assert_int_equal(symlink("real.pdf", link), 0);
	pep_output_policy always = {PEP_REPLACE_ALWAYS, NULL, NULL, NULL, false};
	assert_null(write_with(link, &always, "new"));
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode)); /* still a link ... */
	char *s = slurp(target);
	assert_string_equal(s, "new"); /* ... to the file replaced */
	free(s);
	assert_int_equal(symlink(nowhere, dangling), 0);
	char *err = write_with(dangling, &always, "x");
	assert_non_null(strstr(err, "is a symbolic link to nothing"));
	free(err);
	assert_int_equal(access(nowhere, F_OK), -1);
	unlink(target);
	unlink(link);
	unlink(dangling);
	free(target);
	free(link);
	free(dangling);
	free(nowhere);
}

static void test_clean_names(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{"KCC 1", "KCC-1"}, {"KCC/1", "KCC-1"}, {"///", "none"}, {"", "none"}, {NULL, "none"},
		{"-rf", "rf"}, {"--help", "help"}, {"..", "none"}, {"../../etc/passwd", "etc-passwd"},
		{".hidden", "hidden"}, {"a..b", "a..b"}, {"x-", "x"}, {"x.", "x"}, {"\xc5\x81ukasz 7", "ukasz-7"},
		{"new\nline", "new-line"}, {"KCC_1970442", "KCC_1970442"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *n = pep_outfile_clean_name(cases[i].in, 64);
		assert_string_equal(n, cases[i].out);
		free(n);
	}
	char *n = pep_outfile_clean_name("abcdefghij", 4);
	assert_string_equal(n, "abcd");
	free(n);
}

static void test_names_for_children_whose_ids_clean_alike(void **state)
{
	(void)state;
	char *a = pep_output_identity("kent", "KCC 1", "2026-03-11", NULL);
	char *b = pep_output_identity("kent", "KCC/1", "2026-03-11", NULL);
	pep_output_policy pa = {PEP_REPLACE_SAME, a, NULL, NULL, true}, pb = {PEP_REPLACE_SAME, b, NULL, NULL, true};
	bool renamed;
	char *err = NULL;
	char *na = pep_outfile_name(dir, "KCC-1_PEP_2026-03-11", ".pdf", &pa, &renamed, &err);
	assert_false(renamed);
	char *pdf_a = pdf_with(a, NULL), *pdf_b = pdf_with(b, NULL);
	put(na, pdf_a);
	char *nb = pep_outfile_name(dir, "KCC-1_PEP_2026-03-11", ".pdf", &pb, &renamed, &err);
	assert_true(renamed);
	assert_non_null(strstr(nb, "KCC-1_PEP_2026-03-11-2.pdf"));
	put(nb, pdf_b);
	/* Each run finds its own again, whatever the order. */
	for (int round = 0; round < 2; round++) {
		char *x = pep_outfile_name(dir, "KCC-1_PEP_2026-03-11", ".pdf", &pb, &renamed, &err);
		assert_string_equal(x, nb);
		free(x);
		x = pep_outfile_name(dir, "KCC-1_PEP_2026-03-11", ".pdf", &pa, &renamed, &err);
		assert_string_equal(x, na);
		free(x);
	}
	/* A file that is nobody's PDF moves a third child on, and so does an input. */
	char *c = pep_output_identity("kent", "KCC:1", "2026-03-11", NULL);
	pep_inputs *in = pep_inputs_new();
	char *third = xasprintf("%s/KCC-1_PEP_2026-03-11-3.pdf", dir);
	put(third, "an input");
	pep_inputs_add(in, third);
	pep_output_policy pc = {PEP_REPLACE_SAME, c, in, NULL, true};
	char *nc = pep_outfile_name(dir, "KCC-1_PEP_2026-03-11", ".pdf", &pc, &renamed, &err);
	assert_non_null(strstr(nc, "KCC-1_PEP_2026-03-11-4.pdf"));
	/* With --force the first name is taken, never an input. */
	pep_output_policy force = {PEP_REPLACE_ALWAYS, c, in, NULL, true};
	char *nf = pep_outfile_name(dir, "KCC-1_PEP_2026-03-11", ".pdf", &force, &renamed, &err);
	assert_string_equal(nf, na);
	free(nf);
	nf = pep_outfile_name(dir, "KCC-1_PEP_2026-03-11-3", ".pdf", &force, &renamed, &err);
	assert_true(renamed);
	free(nf);
	/* One run remembers what it took: with --force, a name it gave another
	 * child this run is passed over; the same child twice is refused. */
	pep_outfile_names *run = pep_outfile_names_new();
	bool duplicate;
	pep_output_policy fa = {PEP_REPLACE_ALWAYS, a, NULL, NULL, true}, fb = {PEP_REPLACE_ALWAYS, b, NULL, NULL, true};
	char *ta = pep_outfile_names_take(run, dir, "KCC-1_PEP_2026-03-11", ".pdf", &fa, &renamed, &duplicate, &err);
	assert_string_equal(ta, na);
	char *tb = pep_outfile_names_take(run, dir, "KCC-1_PEP_2026-03-11", ".pdf", &fb, &renamed, &duplicate, &err);
	assert_string_equal(tb, nb); /* not na, although --force */
	assert_null(pep_outfile_names_take(run, dir, "KCC-1_PEP_2026-03-11", ".pdf", &fa, &renamed, &duplicate, &err));
	assert_true(duplicate);
	assert_non_null(strstr(err, "was just made from another file for the same child's same meeting"));
	free(err);
	free(ta);
	free(tb);
	pep_outfile_names_free(run);
	pep_inputs_free(in);
	unlink(na);
	unlink(nb);
	unlink(third);
	free(a);
	free(b);
	free(c);
	free(na);
	free(nb);
	free(nc);
	free(third);
	free(pdf_a);
	free(pdf_b);
}

static void test_standard_output(void **state)
{
	(void)state;
	capture_file cap;
	capture_open(&cap);
	pep_output_policy p = {PEP_REPLACE_NEVER, NULL, NULL, cap.f, false};
	assert_null(write_with("-", &p, "to stdout"));
	assert_string_equal(capture_text(&cap), "to stdout");
	capture_close(&cap);
	/* Without std_out, "-" is a file name like any other. */
	char *cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(dir), 0);
	pep_output_policy q = {PEP_REPLACE_NEVER, NULL, NULL, NULL, false};
	assert_null(write_with("-", &q, "a file called -"));
	char *s = slurp("-");
	assert_string_equal(s, "a file called -");
	free(s);
	unlink("-");
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
}

/* Standard output opened by the shell on an input (">> in.xml", "1<>
 * in.xml") is refused before anything is written; a pipe, a terminal and
 * /dev/null never are. */
static void test_standard_output_on_an_input_is_refused(void **state)
{
	(void)state;
	char *in_path = xasprintf("%s/in.xml", dir), *other = xasprintf("%s/other.txt", dir);
	put(in_path, "<pep/>");
	pep_inputs *in = pep_inputs_new();
	pep_inputs_add(in, in_path);
	FILE *f = fopen(in_path, "ab");
	char *err = NULL;
	assert_true(pep_outfile_stream_refused(f, in, &err));
	assert_non_null(strstr(err, "standard output is "));
	assert_non_null(strstr(err, "in.xml, a file this command reads"));
	free(err);
	pep_output_policy p = {PEP_REPLACE_ALWAYS, NULL, in, f, false};
	err = write_with("-", &p, "appended");
	assert_non_null(err);
	free(err);
	fclose(f);
	char *s = slurp(in_path);
	assert_string_equal(s, "<pep/>");
	free(s);
	/* Another file, /dev/null and a pipe are written. */
	f = fopen(other, "wb");
	assert_false(pep_outfile_stream_refused(f, in, &err));
	assert_null(err);
	fclose(f);
	f = fopen("/dev/null", "wb");
	assert_false(pep_outfile_stream_refused(f, in, &err));
	fclose(f);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	f = fdopen(fds[1], "wb");
	assert_false(pep_outfile_stream_refused(f, in, &err));
	fclose(f);
	close(fds[0]);
	pep_inputs_free(in);
	unlink(in_path);
	unlink(other);
	free(in_path);
	free(other);
}

/* Nothing is ever written in pep's own data folders (the schemas, style
 * sheets, fonts, calendars of PEP_DATADIR, and $PEP_CALENDAR_PATH), not
 * even with --force: neither over a file there nor as a new one. */
static void test_never_into_peps_own_data(void **state)
{
	(void)state;
	const char *old = getenv("PEP_DATADIR");
	char *keep = old ? xstrdup(old) : NULL;
	char *data = xasprintf("%s/share", dir), *fonts = xasprintf("%s/share/fonts", dir),
	     *font = xasprintf("%s/share/fonts/PepSans.ttf", dir), *fresh = xasprintf("%s/share/fonts/new.pdf", dir),
	     *cals = xasprintf("%s/cals", dir), *cal = xasprintf("%s/cals/term.xml", dir),
	     *beside = xasprintf("%s/share/README", dir), *link = xasprintf("%s/to-font.ttf", dir);
	assert_int_equal(mkdir(data, 0700), 0);
	assert_int_equal(mkdir(fonts, 0700), 0);
	assert_int_equal(mkdir(cals, 0700), 0);
	put(font, "a font");
	put(cal, "a calendar");
	assert_int_equal(symlink(font, link), 0);
	setenv("PEP_DATADIR", data, 1);
	setenv("PEP_CALENDAR_PATH", cals, 1);
	pep_output_policy force = {PEP_REPLACE_ALWAYS, NULL, NULL, NULL, false};
	const char *refused[] = {font, fresh, cal, link};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		char *err = write_with(refused[i], &force, "an output");
		if (!err)
			fail_msg("%s was written", refused[i]);
		assert_non_null(strstr(err, "in pep's own data"));
		free(err);
	}
	char *s = slurp(font);
	assert_string_equal(s, "a font");
	free(s);
	s = slurp(cal);
	assert_string_equal(s, "a calendar");
	free(s);
	assert_int_equal(access(fresh, F_OK), -1);
	/* The data directory itself is not one of its folders. */
	assert_null(write_with(beside, &force, "fine"));
	FILE *f = fopen(font, "ab");
	char *err = NULL;
	assert_true(pep_outfile_stream_refused(f, NULL, &err));
	assert_non_null(strstr(err, "in pep's own data"));
	free(err);
	fclose(f);
	if (keep)
		setenv("PEP_DATADIR", keep, 1);
	else
		unsetenv("PEP_DATADIR");
	unsetenv("PEP_CALENDAR_PATH");
	free(keep);
	unlink(link);
	free(data);
	free(fonts);
	free(font);
	free(fresh);
	free(cals);
	free(cal);
	free(beside);
	free(link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_writes_and_abort_leaves_nothing),
		cmocka_unit_test(test_no_replace_without_permission),
		cmocka_unit_test(test_missing_folder_is_explained),
		cmocka_unit_test(test_a_full_disk_fails_the_commit),
		cmocka_unit_test(test_an_input_is_never_written_over),
		cmocka_unit_test(test_replace_never_same_or_always),
		cmocka_unit_test(test_the_identity_is_a_digest_of_la_id_and_meeting),
		cmocka_unit_test(test_permissions_are_kept_never_widened),
		cmocka_unit_test(test_devices_and_fifos_are_streams),
		cmocka_unit_test(test_links_are_followed_and_dangling_ones_refused),
		cmocka_unit_test(test_clean_names),
		cmocka_unit_test(test_names_for_children_whose_ids_clean_alike),
		cmocka_unit_test(test_standard_output),
		cmocka_unit_test(test_standard_output_on_an_input_is_refused),
		cmocka_unit_test(test_never_into_peps_own_data),
	};
	int failed = cmocka_run_group_tests_name("unnamed temporary file", tests, setup, teardown);
	return failed + cmocka_run_group_tests_name("named temporary file", tests, setup_named, teardown);
}
