/* fuzz_convert.c: the converter in both directions (XSLT, the loss report,
 * the check that nothing was lost unreported, the output's validation).
 * Byte 0: bit 0 the target (the canonical format or Southwark's form), bit 1
 * the strict form (no carried block). */
#include "convert.h"
#include "fuzz.h"

static pep_converter *converter;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	char *err = NULL;
	converter = pep_converter_new(&err);
	if (!converter)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const pep_format *to = pep_format_named(data[0] & 1 ? "southwark" : "kent");
	pep_diags *d = pep_diags_new("fuzz.xml");
	pep_conversion *cv = NULL;
	pep_convert_memory(converter, "fuzz.xml", (const char *)data + 1, size - 1, to,
	                   data[0] & 2 ? PEP_CONVERT_STRICT_FORM : 0, d, &cv);
	if (cv) {
		char **lines = NULL;
		size_t n = pep_conversion_report(cv, data[0] & 4, &lines);
		for (size_t i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
	}
	pep_conversion_free(cv);
	pep_diags_free(d);
	return 0;
}
