/* test_edit.c: a PEP open in the form (src/edit.c). */
#include "test.h"

#include <ctype.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include "author.h"
#include "edit.h"

static pep_checker *checker;
static pep_form *form;
static char dir[] = "/tmp/pep-test-edit-XXXXXX";

static int setup(void **state)
{
	(void)state;
	pep_xml_init();
	pep_check_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.stage = PEP_STAGE_SIGNOFF;
	pep_date_parse("2026-07-17", &cfg.as_of);
	char *err = NULL;
	checker = pep_checker_new(&cfg, &err);
	if (checker)
		form = pep_form_load_installed(&err);
	if (err)
		fprintf(stderr, "%s\n", err);
	free(err);
	return checker && form && mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pep_form_free(form);
	pep_checker_free(checker);
	return test_remove_tree(dir);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, k, m);
	fclose(f);
	fclose(m);
	if (len)
		*len = n;
	return buf;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A copy of samples/NAME in the scratch folder (caller frees the path). */
static char *copy_sample(const char *name)
{
	char *from = pep_xasprintf("%s/samples/%s", repo_root(), name);
	char *to = pep_xasprintf("%s/%s", dir, name);
	char *text = slurp(from, NULL);
	spit(to, text);
	free(text);
	free(from);
	return to;
}

/* A new PEP of kind for Kent, to be saved at path (NULL with *err when it
 * cannot be started there). */
static pep_edit *new_pep(const char *path, int kind, char **err)
{
	pep_xml_loader *l = pep_checker_loader(checker);
	pep_diags *d = pep_diags_new("new");
	size_t len = 0;
	char *text = pep_author_new(form, l, kind, "kent", "Kent County Council", d, &len);
	assert_non_null(text);
	pep_edit *e = pep_edit_new(checker, form, path, text, len, err);
	free(text);
	pep_diags_free(d);
	pep_xml_loader_free(l);
	return e;
}

static pep_edit *open_file(const char *path)
{
	pep_diags *d = pep_diags_new(path);
	char *err = NULL;
	pep_edit *e = pep_edit_open(checker, form, path, d, &err);
	if (!e)
		fail_msg("%s: %s", path, err);
	pep_diags_free(d);
	return e;
}

/* The id of the nth (from 1) element called name in a state or reply
 * (where an element of the document is {"id": N, "name": "..."). */
static long id_named(const char *json, const char *name, int nth)
{
	char *tail = pep_xasprintf(", \"name\": \"%s\"", name);
	int seen = 0;
	for (const char *p = json; (p = strstr(p, "\"id\": ")); p++) {
		char *end;
		long id = strtol(p + 6, &end, 10);
		if (strncmp(end, tail, strlen(tail)) == 0 && ++seen == nth) {
			free(tail);
			return id;
		}
	}
	free(tail);
	fail_msg("no element %s (%d) in the JSON", name, nth);
	return -1;
}

static size_t blank_lines(const char *s)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, "\n\n")); p++)
		n++;
	return n;
}

static pep_buf state_of(pep_edit *e)
{
	pep_buf b = PEP_BUF_INIT;
	pep_edit_state_json(e, &b);
	return b;
}

static pep_edit_status set(pep_edit *e, long at, const char *path, const char *attr, const char *value, pep_buf *out)
{
	pep_edit_op op = {PEP_EDIT_SET, at, path, attr, value, strlen(value)};
	pep_buf_clear(out);
	return pep_edit_apply(e, &op, out);
}

static void expect_in(const char *json, const char *want)
{
	if (!strstr(json, want))
		fail_msg("'%s' is not in %.2000s", want, json);
}

/* ------------------------------------------------------------------ */

/* Nothing changed, nothing lost: every sample is written back byte for
 * byte (comments, layout, attributes and all). */
static void test_saving_unchanged_keeps_every_byte(void **state)
{
	(void)state;
	glob_t g;
	char *pattern = pep_xasprintf("%s/samples/*.xml", repo_root());
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	free(pattern);
	assert_true(g.gl_pathc >= 9);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/') + 1;
		char *path = copy_sample(name);
		size_t before_len, after_len;
		char *before = slurp(path, &before_len);
		pep_edit *e = open_file(path);
		assert_false(pep_edit_dirty(e));
		pep_buf out = PEP_BUF_INIT;
		assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_OK);
		expect_in(out.s, "\"ok\": true");
		char *after = slurp(path, &after_len);
		if (before_len != after_len || memcmp(before, after, before_len) != 0)
			fail_msg("%s changed on a save without changes", name);
		assert_int_equal(pep_edit_failures(e), 0); /* the samples are fine at sign-off */
		free(before);
		free(after);
		pep_buf_free(&out);
		pep_edit_free(e);
		free(path);
	}
	globfree(&g);

	/* Other encodings, a BOM, CDATA: the same PEP after a save (the same
	 * state: every value and attribute), still valid; a UTF-8 file byte
	 * for byte but for CDATA, written as text. A file in another encoding
	 * is read as UTF-8 (xml.c decodes it once) and saved as UTF-8. */
	pattern = pep_xasprintf("%s/tests/hostile/*-valid.xml", repo_root());
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	free(pattern);
	assert_true(g.gl_pathc >= 5);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/') + 1;
		char *path = pep_xasprintf("%s/%s", dir, name);
		size_t before_len, after_len;
		char *before = slurp(g.gl_pathv[i], &before_len);
		FILE *f = fopen(path, "wb");
		fwrite(before, 1, before_len, f);
		fclose(f);
		pep_edit *e = open_file(path);
		pep_buf was = state_of(e), out = PEP_BUF_INIT;
		if (pep_edit_save(e, &out) != PEP_EDIT_OK)
			fail_msg("%s: %s", name, out.s);
		assert_int_equal(pep_edit_failures(e), 0);
		pep_edit *again = open_file(path);
		pep_buf is = state_of(again);
		assert_string_equal(is.s, was.s);
		char *after = slurp(path, &after_len);
		bool same = before_len == after_len && memcmp(before, after, before_len) == 0;
		if (!same && strstr(name, "utf8") && !strstr(name, "cdata"))
			fail_msg("%s changed on a save without changes", name);
		free(before);
		free(after);
		pep_buf_free(&was);
		pep_buf_free(&is);
		pep_buf_free(&out);
		pep_edit_free(e);
		pep_edit_free(again);
		free(path);
	}
	globfree(&g);
}

/* A PEP on Southwark's form is shown in the canonical form and saved on
 * its own: saved unchanged, every sample is the same PEP when read again
 * (the same state: every value), on the same form, its comment kept. */
static void test_another_formats_form_is_saved_on_it(void **state)
{
	(void)state;
	glob_t g;
	char *pattern = pep_xasprintf("%s/samples/southwark/*.xml", repo_root());
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	free(pattern);
	assert_true(g.gl_pathc >= 5);
	char *sub = pep_xasprintf("%s/southwark", dir);
	mkdir(sub, 0700);
	free(sub);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/') + 1;
		char *rel = pep_xasprintf("southwark/%s", name);
		char *path = copy_sample(rel);
		char *before = slurp(path, NULL);
		pep_edit *e = open_file(path);
		pep_buf was = state_of(e), out = PEP_BUF_INIT;
		expect_in(was.s, "\"format\": {\"name\": \"southwark\", \"label\": \"Southwark's PEP form\", \"canonical\": false");
		expect_in(was.s, "{\"id\": 1, \"name\": \"pep\""); /* shown as the canonical PEP */
		if (pep_edit_save(e, &out) != PEP_EDIT_OK)
			fail_msg("%s: %s", name, out.s);
		expect_in(out.s, "on Southwark's PEP form");
		assert_int_equal(pep_edit_failures(e), 0);
		pep_edit *again = open_file(path);
		pep_buf is = state_of(again);
		assert_string_equal(is.s, was.s);
		char *after = slurp(path, NULL);
		const char *root = strstr(before, "\n<pep"), *end = root ? strchr(root, ' ') : NULL;
		assert_non_null(end);
		char *start = pep_xstrndup(before, (size_t)(end - before)); /* the declaration, comment and root */
		if (strncmp(after, start, strlen(start)) != 0)
			fail_msg("%s: saved, it starts otherwise:\n%.600s", name, after);
		free(start);
		free(before);
		free(after);
		pep_buf_free(&was);
		pep_buf_free(&is);
		pep_buf_free(&out);
		pep_edit_free(e);
		pep_edit_free(again);
		free(path);
		free(rel);
	}
	globfree(&g);
}

/* The form as the page draws it: labels, help, who, boxes, lists. */
static void test_the_state_describes_the_form(void **state)
{
	(void)state;
	char *path = copy_sample("kent-review-y10-ehcp.xml");
	pep_edit *e = open_file(path);
	pep_buf b = state_of(e);
	const char *s = pep_buf_str(&b);
	expect_in(s, "\"stage\": \"signoff\"");
	expect_in(s, "\"asOf\": \"2026-07-17\"");
	expect_in(s, "\"label\": \"A. Essential information\"");
	expect_in(s, "\"section\": \"A\"");
	/* Who completes it, in words, taken out of the help; a date's help
	 * without the file's date form (the picker shows the computer's). */
	expect_in(s, "\"label\": \"Date of birth\", \"help\": \"Date of birth.\", \"who\": \"The virtual "
	             "school; checked by the social worker\"");
	/* A closed list with the model's labels and the schema's help. */
	expect_in(s, "{\"value\": \"iro\", \"label\": \"Independent reviewing officer\", \"help\": \"The Independent "
	             "Reviewing Officer.\"}");
	/* Numbers with their limits, dates, times, long text. */
	expect_in(s, "\"widget\": \"number\", \"name\": \"Percentage\", \"empty\": true");
	expect_in(s, "\"min\": \"0\", \"max\": \"100\", \"step\": \"0.01\"");
	expect_in(s, "\"widget\": \"date\", \"name\": \"Date\"");
	expect_in(s, "\"widget\": \"time\"");
	expect_in(s, "\"widget\": \"text\", \"name\": \"Text\"");
	/* The phase variants say for which kinds they are. */
	expect_in(s, "\"name\": \"post16\", \"path\": \"educationInformation/post16\"");
	expect_in(s, "\"kinds\": [\"post-16\"]");
	expect_in(s, "\"kinds\": [\"no-provision\"]");
	/* The document's values, with ids. */
	expect_in(s, "\"name\": \"percentage\", \"text\": \"");
	assert_true(id_named(s, "percentage", 1) > 0);
	pep_buf_free(&b);
	pep_edit_free(e);
	free(path);
}

/* An invalid value: the command line's message, tied to the field; save
 * refused and the file left alone; corrected, saved. */
static void test_an_invalid_value_is_shown_at_its_field_and_not_saved(void **state)
{
	(void)state;
	char *path = copy_sample("kent-review-y10-ehcp.xml");
	char *before = slurp(path, NULL);
	pep_edit *e = open_file(path);
	pep_buf b = state_of(e), out = PEP_BUF_INIT;
	long pct = id_named(b.s, "percentage", 1);
	assert_int_equal(set(e, pct, "", NULL, "120", &out), PEP_EDIT_OK);
	expect_in(out.s, "\"saveable\": false");
	char *want = pep_xasprintf("\"rule\": \"XSD\", \"severity\": \"error\", \"section\": \"B\", \"line\": 153, \"id\": %ld, "
	                       "\"message\": \"percentage \\\"120\\\" is not valid: expected a percentage from 0 to 100 "
	                       "with at most two decimal places and no %% sign (for example 93.5), or empty while not yet "
	                       "known (educationInformation/attendance/percentage)\"",
	                       pct);
	expect_in(out.s, want);
	free(want);
	assert_true(pep_edit_dirty(e));
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_REFUSED);
	expect_in(out.s, "\"why\": \"invalid\"");
	expect_in(out.s, "not saved: the PEP does not match the schema yet (1 problem marked \u201cfix to save\u201d)");
	char *now = slurp(path, NULL);
	assert_string_equal(now, before);
	free(now);
	unsigned char *pdf = NULL;
	size_t len = 0;
	char *why = NULL;
	pep_edit_preview none;
	memset(&none, 0, sizeof none);
	assert_false(pep_edit_pdf(e, &none, &pdf, &len, &why));
	expect_in(why, "does not match the schema yet");
	free(why);

	/* Below 90 %: the rule's warning, not the schema's error. */
	assert_int_equal(set(e, pct, "", NULL, "85.5", &out), PEP_EDIT_OK);
	expect_in(out.s, "\"saveable\": true");
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_OK);
	assert_false(pep_edit_dirty(e));
	now = slurp(path, NULL);
	assert_non_null(strstr(now, "<percentage>85.5</percentage>"));
	/* Only that value changed. */
	char *p = strstr(before, "<percentage>"), *q = strstr(p, "</percentage>");
	char *expect = pep_xasprintf("%.*s<percentage>85.5%s", (int)(p - before), before, q);
	assert_string_equal(now, expect);
	free(expect);
	free(now);
	pep_edit_preview po;
	memset(&po, 0, sizeof po);
	po.pdf.generator = po.sections.generator = "pep test";
	pep_date_parse("2026-07-17", &po.sections.generated);
	assert_true(pep_edit_pdf(e, &po, &pdf, &len, &why));
	assert_true(len > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
	free(pdf);
	pep_buf_free(&b);
	pep_buf_free(&out);
	pep_edit_free(e);
	free(before);
	free(path);
}

/* A new item goes where the schema's order puts it, laid out like its
 * neighbours; its ids let the page fill it in; removing takes it out. */
static void test_adding_and_removing_items(void **state)
{
	(void)state;
	char *path = copy_sample("kent-review-y10-ehcp.xml");
	pep_edit *e = open_file(path);
	pep_buf b = state_of(e), out = PEP_BUF_INIT;
	long meeting = id_named(b.s, "pepMeeting", 1);
	pep_edit_op add = {PEP_EDIT_ADD, meeting, "targets/target", NULL, NULL, 0};
	assert_int_equal(pep_edit_apply(e, &add, &out), PEP_EDIT_OK);
	expect_in(out.s, "\"item\": {\"id\": ");
	long target = id_named(out.s, "target", 1);
	assert_int_equal(set(e, target, "area", NULL, "academic", &out), PEP_EDIT_OK);
	assert_int_equal(set(e, target, "description", NULL, "I will read a chapter book — Zoë's choice", &out),
	                 PEP_EDIT_OK);
	assert_int_equal(set(e, target, "description", "words", "child", &out), PEP_EDIT_OK);
	assert_int_equal(set(e, target, "ppPlus/amount", NULL, "120.00", &out), PEP_EDIT_OK);
	expect_in(out.s, "\"ids\": [");
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_OK);
	char *now = slurp(path, NULL);
	/* After the sample's three targets, before the actions, indented. */
	const char *t = strstr(now, "      <target>\n        <area>academic</area>\n        <description words=\"child\">I "
	                            "will read a chapter book — Zoë's choice</description>\n        <ppPlus>\n          "
	                            "<amount>120.00</amount>\n        </ppPlus>\n      </target>\n    </targets>");
	if (!t)
		fail_msg("the new target is not where it belongs:\n%s", strstr(now, "<targets>"));
	pep_buf_free(&out);

	/* An attendee removed, with its line. */
	size_t attendees = 0;
	for (const char *p = now; (p = strstr(p, "<attendee>")); p++)
		attendees++;
	char *before = pep_xstrdup(now);
	long second = id_named(b.s, "attendee", 2);
	pep_edit_op rm = {PEP_EDIT_REMOVE, second, "", NULL, NULL, 0};
	assert_int_equal(pep_edit_apply(e, &rm, &out), PEP_EDIT_OK);
	/* Gone: the same id again is stale. */
	assert_int_equal(pep_edit_apply(e, &rm, &out), PEP_EDIT_STALE);
	expect_in(out.s, "is no longer in the document: reload the page");
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_OK);
	free(now);
	now = slurp(path, NULL);
	size_t left = 0;
	for (const char *p = now; (p = strstr(p, "<attendee>")); p++)
		left++;
	assert_int_equal(left, attendees - 1);
	assert_int_equal(blank_lines(now), blank_lines(before));
	assert_non_null(strstr(now, "</attendee>\n      <attendee>"));
	free(before);
	free(now);
	pep_buf_free(&b);
	pep_buf_free(&out);
	pep_edit_free(e);
	free(path);
}

/* A group made to hold a value: sdq/score on a PEP without an SDQ. */
static void test_setting_a_value_makes_its_groups(void **state)
{
	(void)state;
	char *path = pep_xasprintf("%s/made.xml", dir);
	char *err = NULL;
	pep_edit *e = new_pep(path, PEP_KIND_REVIEW, &err);
	assert_non_null(e);
	pep_buf b = state_of(e), out = PEP_BUF_INIT;
	assert_null(strstr(b.s, "<!--")); /* the skeleton's comments are left to the form */
	long health = id_named(b.s, "health", 1);
	long sdq = id_named(b.s, "sdq", 1);
	/* Emptying what is not there makes nothing. */
	assert_int_equal(set(e, health, "sdq/score", NULL, "", &out), PEP_EDIT_OK);
	expect_in(out.s, "\"ids\": [");
	assert_int_equal(set(e, sdq, "score", NULL, "17", &out), PEP_EDIT_OK);
	/* An empty form state is not a form state: the element goes. */
	long fs = id_named(b.s, "formState", 1);
	assert_int_equal(set(e, fs, "", NULL, "", &out), PEP_EDIT_OK);
	char *gone = pep_xasprintf("\"removed\": %ld", fs);
	expect_in(out.s, gone);
	free(gone);
	assert_int_equal(pep_edit_apply(e, &(pep_edit_op){PEP_EDIT_REMOVE, fs, "", NULL, NULL, 0}, &out), PEP_EDIT_STALE);
	long header = id_named(b.s, "header", 1);
	assert_int_equal(set(e, header, "formState", NULL, "meeting-held", &out), PEP_EDIT_OK);
	expect_in(out.s, "\"saveable\": true");
	assert_false(access(path, F_OK) == 0); /* nothing written before Save */
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_OK);
	char *now = slurp(path, NULL);
	assert_non_null(strstr(now, "<score>17</score>"));
	assert_non_null(strstr(now, "    <formState>meeting-held</formState>\n    <stateHistory>"));
	free(now);
	free(err);
	pep_buf_free(&b);
	pep_buf_free(&out);
	pep_edit_free(e);
	assert_null(new_pep(path, PEP_KIND_REVIEW, &err));
	expect_in(err, "already exists");
	free(err);
	free(path);
}

/* The school or no provision: choosing one drops the other. */
static void test_choosing_an_alternative(void **state)
{
	(void)state;
	char *path = copy_sample("kent-no-provision.xml");
	pep_edit *e = open_file(path);
	pep_buf b = state_of(e), out = PEP_BUF_INIT;
	long a = id_named(b.s, "essentialInformation", 1);
	pep_edit_op choose = {PEP_EDIT_CHOOSE, a, "school", NULL, NULL, 0};
	assert_int_equal(pep_edit_apply(e, &choose, &out), PEP_EDIT_OK);
	expect_in(out.s, "\"item\": {\"id\": ");
	expect_in(out.s, "\"name\": \"school\", \"kids\": []");
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_OK);
	char *now = slurp(path, NULL);
	assert_null(strstr(now, "noEducationalProvision"));
	assert_non_null(strstr(now, "<school></school>"));
	free(now);
	pep_edit_op bad = {PEP_EDIT_CHOOSE, a, "care", NULL, NULL, 0};
	assert_int_equal(pep_edit_apply(e, &bad, &out), PEP_EDIT_BAD);
	expect_in(out.s, "<care> is not one of the alternatives of <essentialInformation>");
	pep_buf_free(&b);
	pep_buf_free(&out);
	pep_edit_free(e);
	free(path);
}

/* The file changed on disk: save refused, reload offered and done. */
static void test_a_file_changed_on_disk_is_not_overwritten(void **state)
{
	(void)state;
	char *path = copy_sample("kent-early-years.xml");
	chmod(path, 0600);
	pep_edit *e = open_file(path);
	pep_buf b = state_of(e), out = PEP_BUF_INIT;
	long place = id_named(b.s, "place", 1);
	assert_int_equal(set(e, place, "", NULL, "The library", &out), PEP_EDIT_OK);
	char *text = slurp(path, NULL);
	char *other = pep_xasprintf("%s<!-- someone else -->\n", text);
	spit(path, other);
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_REFUSED);
	expect_in(out.s, "\"why\": \"changed\"");
	expect_in(out.s, "was changed on disk since it was opened here");
	char *now = slurp(path, NULL);
	assert_string_equal(now, other);
	free(now);
	assert_int_equal(pep_edit_reload(e, &b), PEP_EDIT_OK);
	expect_in(b.s, "\"dirty\": false");
	assert_false(pep_edit_dirty(e));
	/* The old ids are gone; the new ones work; the mode is kept. */
	assert_int_equal(set(e, place, "", NULL, "x", &out), PEP_EDIT_STALE);
	place = id_named(b.s, "place", 1);
	assert_int_equal(set(e, place, "", NULL, "The library", &out), PEP_EDIT_OK);
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_OK);
	now = slurp(path, NULL);
	assert_non_null(strstr(now, "<place>The library</place>"));
	assert_non_null(strstr(now, "<!-- someone else -->"));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Removed under it: a new save writes it again. */
	unlink(path);
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_REFUSED);
	expect_in(out.s, "was removed since it was opened here");
	assert_int_equal(pep_edit_reload(e, &out), PEP_EDIT_REFUSED);
	expect_in(out.s, "is not on disk: nothing to reload");
	free(now);
	free(text);
	free(other);
	pep_buf_free(&b);
	pep_buf_free(&out);
	pep_edit_free(e);
	free(path);
}

/* What the form does not know is kept: comments, processing instructions,
 * a prefix, an unknown element (reported by the schema, never dropped). */
static void test_what_the_form_does_not_show_is_kept(void **state)
{
	(void)state;
	char *sample = pep_xasprintf("%s/samples/kent-early-years.xml", repo_root());
	char *text = slurp(sample, NULL);
	free(sample);
	/* The same PEP with the prefix p: and a comment inside a value. */
	pep_buf t = PEP_BUF_INIT;
	for (const char *p = text; *p; p++) {
		if (*p == '<' && (isalpha((unsigned char)p[1]) || (p[1] == '/' && isalpha((unsigned char)p[2])))) {
			pep_buf_puts(&t, p[1] == '/' ? "</p:" : "<p:");
			p += p[1] == '/' ? 1 : 0;
			continue;
		}
		pep_buf_putc(&t, *p);
	}
	char *prefixed = pep_buf_detach(&t);
	char *x = strstr(prefixed, "xmlns=");
	assert_non_null(x);
	memmove(x + 8, x + 6, strlen(x + 6) + 1);
	memcpy(x, "xmlns:p=", 8);
	char *place = strstr(prefixed, "<p:place>");
	assert_non_null(place);
	pep_buf u = PEP_BUF_INIT;
	pep_buf_add(&u, prefixed, (size_t)(place - prefixed) + 9);
	pep_buf_puts(&u, "<!-- ask the carer -->");
	pep_buf_puts(&u, place + 9);
	char *path = pep_xasprintf("%s/prefixed.xml", dir);
	spit(path, pep_buf_str(&u));
	pep_edit *e = open_file(path);
	pep_buf b = state_of(e), out = PEP_BUF_INIT;
	long id = id_named(b.s, "place", 1);
	assert_int_equal(set(e, id, "", NULL, "Room 4 <by the hall> & more", &out), PEP_EDIT_OK);
	long a = id_named(b.s, "essentialInformation", 1);
	assert_int_equal(set(e, a, "health/sdq/completedBy", NULL, "Łukasz", &out), PEP_EDIT_OK);
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_OK);
	char *now = slurp(path, NULL);
	expect_in(now, "<p:place><!-- ask the carer -->Room 4 &lt;by the hall&gt; &amp; more</p:place>");
	expect_in(now, "<p:completedBy>Łukasz</p:completedBy>");
	assert_null(strstr(now, "xmlns=\""));
	free(now);
	pep_buf_free(&b);
	pep_buf_free(&out);
	pep_edit_free(e);

	/* An element the schema does not know: shown as kept, reported, never
	 * dropped; the schema's error stops Save. */
	char *extra = pep_xasprintf("%s", text);
	char *end = strstr(extra, "</youngPersonsViews>");
	assert_non_null(end);
	pep_buf v = PEP_BUF_INIT;
	pep_buf_add(&v, extra, (size_t)(end - extra));
	pep_buf_puts(&v, "<favouriteColour>green</favouriteColour>");
	pep_buf_puts(&v, end);
	spit(path, pep_buf_str(&v));
	e = open_file(path);
	pep_buf_clear(&b);
	pep_edit_state_json(e, &b);
	expect_in(b.s, "\"name\": \"favouriteColour\", \"unknown\": true");
	expect_in(b.s, "<favouriteColour> is not an element of this form");
	id = id_named(b.s, "place", 1);
	assert_int_equal(set(e, id, "", NULL, "Hall", &out), PEP_EDIT_OK);
	assert_int_equal(pep_edit_save(e, &out), PEP_EDIT_REFUSED);
	pep_buf_free(&b);
	pep_buf_free(&u);
	pep_buf_free(&v);
	pep_buf_free(&out);
	pep_edit_free(e);
	free(extra);
	free(prefixed);
	free(text);
	free(path);
}

/* Requests that make no sense are refused with a reason; nothing changes. */
static void test_bad_requests(void **state)
{
	(void)state;
	char *path = copy_sample("kent-early-years.xml");
	pep_edit *e = open_file(path);
	pep_buf b = state_of(e), out = PEP_BUF_INIT;
	long a = id_named(b.s, "essentialInformation", 1);
	long meeting = id_named(b.s, "pepMeeting", 1);
	assert_int_equal(set(e, 999999, "", NULL, "x", &out), PEP_EDIT_STALE);
	assert_int_equal(set(e, -1, "", NULL, "x", &out), PEP_EDIT_STALE);
	assert_int_equal(set(e, a, "nope", NULL, "x", &out), PEP_EDIT_BAD);
	expect_in(out.s, "<essentialInformation> has no element <nope> in the schema");
	assert_int_equal(set(e, meeting, "targets/target/area", NULL, "x", &out), PEP_EDIT_BAD);
	expect_in(out.s, "<target> is a list: name its items by their ids");
	assert_int_equal(set(e, a, "care", NULL, "x", &out), PEP_EDIT_BAD);
	expect_in(out.s, "<care> holds elements, not a value");
	assert_int_equal(set(e, a, "care/placement", "nope", "x", &out), PEP_EDIT_BAD);
	expect_in(out.s, "<placement> has no attribute nope in the schema");
	assert_int_equal(set(e, a, "care/placementType", NULL, "a\001b", &out), PEP_EDIT_BAD);
	expect_in(out.s, "a character a PEP file cannot hold");
	assert_int_equal(set(e, a, "care/placementType", NULL, "\xff", &out), PEP_EDIT_BAD);
	assert_int_equal(set(e, a, "care/placementType", NULL, "\xef\xbf\xbe", &out), PEP_EDIT_BAD);
	long root = id_named(b.s, "pep", 1);
	pep_edit_op rm = {PEP_EDIT_REMOVE, root, "", NULL, NULL, 0};
	assert_int_equal(pep_edit_apply(e, &rm, &out), PEP_EDIT_BAD);
	rm.at = id_named(b.s, "localAuthority", 1);
	assert_int_equal(pep_edit_apply(e, &rm, &out), PEP_EDIT_BAD);
	expect_in(out.s, "<localAuthority> is required: it cannot be removed");
	pep_edit_op add = {PEP_EDIT_ADD, meeting, "signOff/sectionComplete", NULL, NULL, 0};
	assert_int_equal(pep_edit_apply(e, &add, &out), PEP_EDIT_BAD); /* the sample has all four */
	expect_in(out.s, "<signOff> may hold at most 4 <sectionComplete>");
	assert_false(pep_edit_dirty(e));
	pep_buf_free(&b);
	pep_buf_free(&out);
	pep_edit_free(e);

	/* What cannot be opened says why. */
	pep_diags *d = pep_diags_new("x");
	char *err = NULL;
	char *bad = pep_xasprintf("%s/bad.xml", dir);
	spit(bad, "<pep xmlns=\"https://pep-tool.org/ns/pep/1\"><header>");
	assert_null(pep_edit_open(checker, form, bad, d, &err));
	expect_in(err, "is not well-formed XML");
	assert_true(pep_diags_count(d) > 0);
	free(err);
	spit(bad, "<form xmlns=\"https://pep-tool.org/ns/southwark/1\"/>");
	assert_null(pep_edit_open(checker, form, bad, d, &err));
	expect_in(err, "is on Southwark's PEP form, but does not match its schema (see above)");
	free(err);
	spit(bad, "<pep xmlns=\"urn:another\"/>");
	assert_null(pep_edit_open(checker, form, bad, d, &err));
	expect_in(err, "is not a PEP in a format pep reads (see above)");
	free(err);
	free(bad);
	bad = pep_xasprintf("%s/missing.xml", dir);
	assert_null(pep_edit_open(checker, form, bad, d, &err));
	expect_in(err, "does not exist: give the file of a PEP, or start one with --new");
	free(err);
	free(bad);
	pep_diags_free(d);
	free(path);
}

/* A new section's completion takes the next free letter. */
static void test_a_new_section_completion_takes_a_free_letter(void **state)
{
	(void)state;
	char *path = pep_xasprintf("%s/letters.xml", dir);
	char *err = NULL;
	pep_edit *e = new_pep(path, PEP_KIND_INITIAL, &err);
	assert_non_null(e);
	pep_buf b = state_of(e), out = PEP_BUF_INIT;
	long second = id_named(b.s, "sectionComplete", 2);
	pep_edit_op rm = {PEP_EDIT_REMOVE, second, "", NULL, NULL, 0};
	assert_int_equal(pep_edit_apply(e, &rm, &out), PEP_EDIT_OK);
	long meeting = id_named(b.s, "pepMeeting", 1);
	pep_edit_op add = {PEP_EDIT_ADD, meeting, "signOff/sectionComplete", NULL, NULL, 0};
	assert_int_equal(pep_edit_apply(e, &add, &out), PEP_EDIT_OK);
	expect_in(out.s, "\"attrs\": {\"section\": \"B\"}");
	/* An attachment comes with its required name and kind. */
	long root = id_named(b.s, "pep", 1);
	add = (pep_edit_op){PEP_EDIT_ADD, root, "attachments/attachment", NULL, NULL, 0};
	assert_int_equal(pep_edit_apply(e, &add, &out), PEP_EDIT_OK);
	expect_in(out.s, "\"name\": \"attachment\", \"kids\": [{\"id\": ");
	expect_in(out.s, "\"name\": \"kind\", \"text\": \"\"");
	expect_in(out.s, "\"saveable\": false"); /* an empty kind is not a kind */
	pep_buf_free(&b);
	pep_buf_free(&out);
	pep_edit_free(e);
	free(err);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_saving_unchanged_keeps_every_byte),
		cmocka_unit_test(test_another_formats_form_is_saved_on_it),
		cmocka_unit_test(test_the_state_describes_the_form),
		cmocka_unit_test(test_an_invalid_value_is_shown_at_its_field_and_not_saved),
		cmocka_unit_test(test_adding_and_removing_items),
		cmocka_unit_test(test_setting_a_value_makes_its_groups),
		cmocka_unit_test(test_choosing_an_alternative),
		cmocka_unit_test(test_a_file_changed_on_disk_is_not_overwritten),
		cmocka_unit_test(test_what_the_form_does_not_show_is_kept),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_a_new_section_completion_takes_a_free_letter),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
