/* fuzz_validate.c: load (any format: its schema, the conversion in memory) and
 * every rule (what pep validate does).
 * Byte 0: bits 0-1 the stage, bits 2-3 an LA override, bit 4 the as-of date. */
#include <string.h>

#include "check.h"
#include "fuzz.h"

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
	static const char *const las[] = {NULL, "kent", "southwark", "medway"};
	pep_rules_env env;
	memset(&env, 0, sizeof env);
	env.cals = pep_checker_calendars(checker);
	env.stage = (pep_stage)(data[0] & 3) % 3;
	env.la = las[(data[0] >> 2) & 3];
	pep_date_parse(data[0] & 16 ? "2026-07-17" : "2025-01-31", &env.as_of);
	env.redact = data[0] & 32;
	pep_diags *d = pep_diags_new("fuzz.xml");
	pep_doc *doc = NULL;
	if (pep_checker_load_memory(checker, loader, "fuzz.xml", (const char *)data + 1, size - 1, false, d, &doc) ==
	    PEP_LOAD_OK) {
		pep_rules_run(pep_doc_model(doc), &env, d);
		pep_diags_sort(d);
		pep_doc_free(doc);
	}
	pep_diags_free(d);
	return 0;
}
