/* paths.h: where pep finds its own data (schemas, stylesheets, calendars).
 *
 * Never from a document: only from, in order, the PEP_DATADIR environment
 * variable (when set, it alone is used), the installed tree next to the
 * program (BIN/../share/pep), the source tree the program was built in
 * (BIN/..), and the data directory compiled in (PREFIX/share/pep). */
#ifndef PEP_PATHS_H
#define PEP_PATHS_H

/* The path of rel (e.g. "schemas/pep.xsd") in the first data directory that
 * has it, or NULL. Caller frees. */
char *pep_data_file(const char *rel);
/* The same, for a file pep cannot work without: NULL with *err (caller
 * frees) saying where it looked and what to do, when there is none. */
char *pep_data_file_needed(const char *rel, char **err);
/* The data directories searched, for messages: "a, b, c". Caller frees. */
char *pep_data_dirs(void);

#endif
