/* fuzz_calendar.c: the calendar loader (schema and sense checks). */
#include "calendar.h"
#include "fuzz.h"

static pep_xml_loader *loader;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	char *err = NULL;
	pep_schema *s = pep_calendar_schema(&err);
	if (!s)
		abort();
	loader = pep_xml_loader_new(s); /* the schema lives as long as the process */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pep_diags *d = pep_diags_new("fuzz.xml");
	pep_calendar_check_memory(loader, "fuzz.xml", (const char *)data, size, d);
	pep_diags_free(d);
	return 0;
}
