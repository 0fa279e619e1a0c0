/* fuzz.h: what every fuzz target shares.
 *
 * Each fuzz_*.c defines LLVMFuzzerTestOneInput for libFuzzer (make fuzz) and
 * is also linked with replay.c into a plain program that runs the seeds and
 * the saved regressions (make check). The first byte of an input chooses
 * options, so the fuzzer explores them too. Schemas and calendars are loaded
 * once, from the source tree (PEP_SOURCE_DIR) unless PEP_DATADIR is set. */
#ifndef PEP_FUZZ_H
#define PEP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "xml.h"

#ifndef PEP_SOURCE_DIR
#define PEP_SOURCE_DIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline void fuzz_setup(void)
{
	setenv("PEP_DATADIR", PEP_SOURCE_DIR, 0);
	unsetenv("PEP_CALENDAR_PATH");
	pep_xml_init();
}

/* A checker with the default configuration (the targets' one, kept for
 * the process's life); aborts if the schemas cannot be loaded. */
static inline pep_checker *fuzz_checker(void)
{
	pep_check_config cfg = {0};
	char *err = NULL;
	pep_checker *c = pep_checker_new(&cfg, &err);
	if (!c)
		abort();
	return c;
}

#endif
