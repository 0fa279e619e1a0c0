/* fuzz_convert.c: the converter in both directions (XSLT, the loss report,
 * the check that nothing was lost unreported, the output's validation).
 * Byte 0: bit 0 the target (Kent or Southwark). */
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
	pep_format to = data[0] & 1 ? PEP_FORMAT_SOUTHWARK : PEP_FORMAT_KENT;
	pep_diags *d = pep_diags_new("fuzz.xml");
	pep_conversion *cv = NULL;
	pep_convert_memory(converter, "fuzz.xml", (const char *)data + 1, size - 1, to, d, &cv);
	pep_conversion_free(cv);
	pep_diags_free(d);
	return 0;
}
