/* test_pdf.c: the PEP's pages (src/render/sections.c drawn by
 * src/render/pdf.c) through their API: the NOT SIGNED OFF marking from a
 * hand-made diagnostics list, the child's copy, errors, and identical bytes
 * for identical input. Text is read back with poppler's pdftotext. */
#include "test.h"

#include "format.h"

#include <unistd.h>

#include "model.h"
#include "pdf.h"
#include "sections.h"
#include "strbuf.h"
#include "xalloc.h"

static pep_schema *schema;
static pep_xml_loader *loader;
static pep_doc *doc_;

static int setup(void **state)
{
	(void)state;
	pep_xml_init();
	schema = test_schema_load();
	if (!schema)
		return -1;
	loader = pep_xml_loader_new(schema);
	pep_diags *d = pep_diags_new("sample");
	char *sample = pep_xasprintf("%s/samples/kent-review-y10-ehcp.xml", repo_root());
	pep_load_status st = pep_doc_load(loader, sample, false, d, &doc_);
	free(sample);
	pep_diags_free(d);
	return st == PEP_LOAD_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pep_doc_free(doc_);
	pep_xml_loader_free(loader);
	pep_schema_free(schema);
	return 0;
}

/* The options of both steps. */
typedef struct options {
	bool child_copy, pdfa, strict;
	const char *font;
	const pep_format *source_format;
} options_t;

static options_t options(void)
{
	options_t o = {false, false, false, NULL, NULL};
	return o;
}

static bool render(const pep_diags *d, const options_t *o, unsigned char **pdf, size_t *len, size_t *pages,
                   char **err)
{
	pep_sections_options so = {o->child_copy, false, o->strict, pep_date_from_ymd(2026, 3, 24), "pep test",
	                           o->source_format};
	pep_pdf_options po = {o->pdfa, o->font, 1774353600LL, "pep test", NULL, NULL};
	pep_document *doc = pep_sections_build(pep_doc_model(doc_), d, &so);
	bool ok = pep_pdf_write(doc, &po, pdf, len, pages, err);
	pep_document_free(doc);
	return ok;
}

/* Renders and returns pdftotext's output (caller frees); *pages set. */
static char *render_text(const pep_diags *d, const options_t *o, size_t *pages)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	char *err = NULL;
	bool ok = render(d, o, &pdf, &len, pages, &err);
	if (!ok)
		fail_msg("render failed: %s", err);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-1.", 7);
	char path[] = "/tmp/pep-test-pdf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf, len), (ssize_t)len);
	close(fd);
	free(pdf);
	char *cmd = pep_xasprintf("pdftotext -raw '%s' - 2>&1", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	pep_buf out = PEP_BUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		pep_buf_add(&out, buf, n);
	assert_int_equal(pclose(p), 0);
	unlink(path);
	free(cmd);
	return pep_buf_detach(&out);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_no_failing_rule_no_marking(void **state)
{
	(void)state;
	pep_diags *d = pep_diags_new("x.xml");
	pep_diags_add(d, "W01", PEP_WARNING, 'B', 3, "a warning only");
	options_t o = options();
	size_t pages;
	char *text = render_text(d, &o, &pages);
	assert_null(strstr(text, "NOT SIGNED OFF"));
	assert_null(strstr(text, "W01"));
	assert_int_equal(pep_sections_failures(d, false), 0);
	free(text);
	pep_diags_free(d);
}

/* formats: a PEP read from another LA's form says which, in the title block. */
static void test_the_form_it_was_made_from(void **state)
{
	(void)state;
	options_t o = options();
	size_t pages;
	char *text = render_text(NULL, &o, &pages);
	assert_null(strstr(text, "Made from"));
	free(text);
	o.source_format = pep_format_named("kent");
	text = render_text(NULL, &o, &pages);
	assert_null(strstr(text, "Made from")); /* the canonical form is not named */
	free(text);
	o.source_format = pep_format_named("southwark");
	assert_non_null(o.source_format);
	text = render_text(NULL, &o, &pages);
	assert_non_null(strstr(text, "Made from"));
	assert_non_null(strstr(text, "Southwark's PEP form (read by pep,")); /* the rest wraps */
	free(text);
}

static void test_rule_errors_mark_every_page_and_list_the_rules(void **state)
{
	(void)state;
	pep_diags *d = pep_diags_new("x.xml");
	pep_diags_add(d, "T01", PEP_ERROR, 'D', 12, "initial PEP held 23 school days after becoming looked after");
	pep_diags_add(d, "W01", PEP_WARNING, 'B', 3, "attendance data older than a term");
	options_t o = options();
	size_t pages;
	char *text = render_text(d, &o, &pages);
	assert_true(pages >= 2);
	/* the band on every page, and the first page's notice */
	assert_int_equal(count(text, "NOT SIGNED OFF — 1 error\n"), (int)pages);
	assert_int_equal(count(text, "NOT SIGNED OFF — 1 error."), 1);
	assert_non_null(strstr(text, "[T01] initial PEP held 23 school days"));
	assert_null(strstr(text, "[W01]"));
	free(text);

	/* with strict, the warning counts too */
	o.strict = true;
	text = render_text(d, &o, &pages);
	assert_int_equal(count(text, "NOT SIGNED OFF — 2 errors\n"), (int)pages);
	assert_non_null(strstr(text, "[W01] attendance data"));
	assert_int_equal(pep_sections_failures(d, true), 2);
	free(text);
	pep_diags_free(d);
}

static void test_many_failing_rules_are_listed_up_to_a_limit(void **state)
{
	(void)state;
	pep_diags *d = pep_diags_new("x.xml");
	for (int i = 0; i < 40; i++)
		pep_diags_add(d, "D09", PEP_ERROR, 'D', i + 1, "problem number %d", i);
	options_t o = options();
	size_t pages;
	char *text = render_text(d, &o, &pages);
	assert_int_equal(count(text, "NOT SIGNED OFF — 40 errors\n"), (int)pages);
	assert_non_null(strstr(text, "problem number 24"));
	assert_null(strstr(text, "problem number 25"));
	assert_non_null(strstr(text, "and 15 more: run pep validate"));
	free(text);
	pep_diags_free(d);
}

static void test_the_childs_copy(void **state)
{
	(void)state;
	options_t o = options();
	o.child_copy = true;
	size_t pages;
	char *text = render_text(NULL, &o, &pages);
	assert_non_null(strstr(text, "This is the child's copy."));
	assert_non_null(strstr(text, "Personal Education Plan (child's copy): Łukasz Piotr Wiśniewski"));
	assert_null(strstr(text, "shares it with"));               /* parental responsibility */
	assert_null(strstr(text, "Supervised video calls"));       /* contact arrangements */
	assert_null(strstr(text, "moved to Kent from Gda"));       /* pre-care history */
	assert_null(strstr(text, "Sensory sensitivity"));          /* health issues */
	assert_null(strstr(text, "school counsellor fortnightly")); /* emotional wellbeing */
	assert_null(strstr(text, "SDQ score"));
	assert_non_null(strstr(text, "I want a 7 in Computer Science")); /* the child's own views stay */
	free(text);

	o.child_copy = false;
	text = render_text(NULL, &o, &pages);
	assert_null(strstr(text, "child's copy"));
	assert_non_null(strstr(text, "Supervised video calls"));
	assert_non_null(strstr(text, "SDQ score"));
	free(text);
}

static void test_same_input_same_bytes(void **state)
{
	(void)state;
	options_t o = options();
	o.pdfa = true;
	unsigned char *a = NULL, *b = NULL;
	size_t la, lb, pages;
	char *err = NULL;
	assert_true(render(NULL, &o, &a, &la, &pages, &err));
	assert_true(render(NULL, &o, &b, &lb, &pages, &err));
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
}

/* The identity the output policy reads back (outfile.h): in the PDF's
 * document information, as a literal string. */
static void test_the_identity_is_in_the_document_information(void **state)
{
	(void)state;
	pep_sections_options so = {false, false, false, pep_date_from_ymd(2026, 3, 24), "pep test", NULL};
	pep_pdf_options po = {false, NULL, 1774353600LL, "pep test", NULL, NULL};
	pep_document *d = pep_sections_build(pep_doc_model(doc_), NULL, &so);
	pep_document_set_identity(d, "pep1-0123456789abcdef0123456789abcdef");
	unsigned char *pdf = NULL;
	size_t len, pages;
	char *err = NULL;
	assert_true(pep_pdf_write(d, &po, &pdf, &len, &pages, &err));
	assert_non_null(memmem(pdf, len, "/PepIdentity (pep1-0123456789abcdef0123456789abcdef)", 52));
	free(pdf);
	pep_document_free(d);
}

static void test_a_font_that_cannot_be_read(void **state)
{
	(void)state;
	options_t o = options();
	o.font = "/nonexistent/font.ttf";
	unsigned char *pdf = NULL;
	size_t len, pages;
	char *err = NULL;
	assert_false(render(NULL, &o, &pdf, &len, &pages, &err));
	assert_null(pdf);
	assert_non_null(strstr(err, "cannot read the font /nonexistent/font.ttf"));
	free(err);

	char path[] = "/tmp/pep-test-font-XXXXXX";
	int fd = mkstemp(path);
	assert_int_equal(write(fd, "not a font", 10), 10);
	close(fd);
	o.font = path;
	assert_false(render(NULL, &o, &pdf, &len, &pages, &err));
	assert_non_null(strstr(err, "it is not a TrueType font"));
	free(err);

	/* a real font cut short: the table directory points past the end */
	FILE *in = fopen("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "rb");
	if (in) {
		unsigned char head[4096];
		size_t n = fread(head, 1, sizeof head, in);
		fclose(in);
		FILE *out = fopen(path, "wb");
		fwrite(head, 1, n, out);
		fclose(out);
		assert_false(render(NULL, &o, &pdf, &len, &pages, &err));
		assert_non_null(strstr(err, "lies outside the file"));
		free(err);
	}
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_failing_rule_no_marking),
		cmocka_unit_test(test_the_form_it_was_made_from),
		cmocka_unit_test(test_rule_errors_mark_every_page_and_list_the_rules),
		cmocka_unit_test(test_many_failing_rules_are_listed_up_to_a_limit),
		cmocka_unit_test(test_the_childs_copy),
		cmocka_unit_test(test_same_input_same_bytes),
		cmocka_unit_test(test_the_identity_is_in_the_document_information),
		cmocka_unit_test(test_a_font_that_cannot_be_read),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
