/* fuzz_render.c: a schema-valid PEP (in any format) rendered to a PDF and
 * to HTML in memory. Byte 0: bit 0 the child's copy, bit 1 PDF/A, bit 2
 * strict, bit 3 a blank form, bit 4 a source form's label. */
#include <string.h>

#include "check.h"
#include "format.h"
#include "fuzz.h"
#include "html.h"
#include "pdf.h"
#include "sections.h"

static pep_checker *checker;
static pep_xml_loader *loader;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	checker = fuzz_checker();
	loader = pep_checker_loader(checker);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	pep_diags *d = pep_diags_new("fuzz.xml");
	pep_doc *doc = NULL;
	if (pep_checker_load_memory(checker, loader, "fuzz.xml", (const char *)data + 1, size - 1, false, d, &doc) ==
	    PEP_LOAD_OK) {
		pep_rules_env env;
		memset(&env, 0, sizeof env);
		env.cals = pep_checker_calendars(checker);
		env.stage = PEP_STAGE_SIGNOFF;
		pep_date_parse("2026-07-17", &env.as_of);
		pep_rules_run(pep_doc_model(doc), &env, d);
		pep_sections_options so = {data[0] & 1, data[0] & 8, data[0] & 4, env.as_of, "pep fuzz",
		                           data[0] & 16 ? pep_format_named("southwark") : NULL};
		pep_pdf_options po = {data[0] & 2, NULL, 1784246400 /* 2026-07-17 */, "pep fuzz", NULL, NULL};
		pep_document *rd = pep_sections_build(pep_doc_model(doc), d, &so);
		unsigned char *pdf = NULL;
		size_t len = 0, pages = 0;
		char *err = NULL;
		pep_pdf_write(rd, &po, &pdf, &len, &pages, &err);
		free(pdf);
		free(err);
		pep_buf html = PEP_BUF_INIT;
		pep_html_write(rd, &html);
		pep_buf_free(&html);
		pep_document_free(rd);
		pep_doc_free(doc);
	}
	pep_diags_free(d);
	return 0;
}
