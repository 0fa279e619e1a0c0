/* paths.h: where pep finds its own data (schemas, stylesheets, calendars).
 *
 * Never from a document: only from, in order, the PEP_DATADIR environment
 * variable (when set, it alone is used), the installed tree next to the
 * program (BIN/../share/pep), the source tree the program was built in
 * (BIN/..), and the data directory compiled in (PREFIX/share/pep). */
#ifndef PEP_PATHS_H
#define PEP_PATHS_H

#include <stddef.h>

/* The path of rel (e.g. "schemas/pep.xsd") in the first data directory that
 * has it, or NULL. Caller frees. */
char *pep_data_file(const char *rel);
/* The same, for a file pep cannot work without: NULL with *err (caller
 * frees) saying where it looked and what to do, when there is none. */
char *pep_data_file_needed(const char *rel, char **err);
/* The data directories searched, for messages: "a, b, c". Caller frees. */
char *pep_data_dirs(void);
/* The folders pep reads its own data from, as real paths: schemas/,
 * stylesheets/, fonts/, data/ and icc/ of every data directory above that
 * has them, and each folder of $PEP_CALENDAR_PATH. No output is ever
 * written in them (outfile.h). Fills out[] (each caller-freed) and returns
 * how many, at most max. */
size_t pep_data_folders(char **out, size_t max);

#endif
