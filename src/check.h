/* check.h: checking one PEP file, the pipeline every command shares.
 *
 *   read -> parse (XML) -> the format, from the root's namespace (format.h)
 *        -> validate against that format's schema (XSD)
 *        -> (another format) convert to the canonical format in memory
 *        -> typed model -> rules
 *
 * Every command reads every format through here. A file in another format
 * than the canonical one is checked against its own schema (its messages
 * name its own fields and lines), converted in memory (convert.h), and
 * judged by the rules; their diagnostics point at the line of the file that
 * holds the value, give the section of the file's own form, and say which
 * form the file is on. The file's format is in its diagnostics
 * (pep_diags_format()).
 *
 * A pep_checker holds what is loaded once and shared read-only by every
 * file and every thread: every format's compiled schema and stylesheets, the
 * calendars and the configuration. Each thread checks files with its own
 * pep_xml_loader (pep_checker_loader()).
 *
 * Ownership: pep_checker_new() returns an object freed with
 * pep_checker_free(); documents returned through *keep are the caller's. */
#ifndef PEP_CHECK_H
#define PEP_CHECK_H

#include <stdbool.h>

#include "date.h"
#include "diag.h"
#include "calendar.h"
#include "model.h"
#include "rules.h"
#include "convert.h"
#include "xml.h"

typedef struct pep_check_config {
	const char *la;          /* LA code overriding the document's, or NULL */
	pep_stage stage;
	pep_day as_of;           /* the date overdue checks compare with */
	const char *const *calendars; /* extra calendar files (--calendar) */
	size_t ncalendars;
	bool strict;             /* warnings count as errors */
	bool redact;             /* messages quote no personal data (batch reports) */
	size_t max_size;         /* the largest file read, in bytes (0: PEP_MAX_FILE_SIZE) */
} pep_check_config;

typedef struct pep_checker pep_checker;

/* Loads the canonical schema and the calendars (with cfg's --calendar
 * files), and checks cfg's LA code. cfg is copied (its strings are borrowed
 * and must outlive the checker). Returns NULL and sets *err (caller frees;
 * a message naming each bad file and line) when something cannot be used. */
pep_checker *pep_checker_new(const pep_check_config *cfg, char **err);
void pep_checker_free(pep_checker *c);
const pep_check_config *pep_checker_config(const pep_checker *c);
/* The canonical schema, and the converter holding every format. */
const pep_schema *pep_checker_schema(const pep_checker *c);
const pep_converter *pep_checker_converter(const pep_checker *c);
/* The calendars loaded (installed, $PEP_CALENDAR_PATH, --calendar). */
const pep_calendars *pep_checker_calendars(const pep_checker *c);
/* The LA codes --la accepts, for messages: "kent, kirklees, southwark,
 * default" (caller frees): the LAs with their own rules or a calendar. */
char *pep_known_las(const pep_calendars *cals);
bool pep_la_known(const pep_calendars *cals, const char *la);
/* How the rules judge documents under this checker. */
void pep_checker_env(const pep_checker *c, pep_rules_env *env);
/* The LA's name as its latest installed calendar gives it ("Kent County
 * Council"), or "" (borrowed from the calendars). */
const char *pep_la_name(const pep_calendars *cals, const char *la);
/* A loader for the calling thread (caller frees with pep_xml_loader_free). */
pep_xml_loader *pep_checker_loader(const pep_checker *c);

/* Loads the PEP at path, in any format, as the canonical typed model: read,
 * parse, validate against its own format's schema, convert (convert.h).
 * Diagnostics (IO, XML, XSD, CONV) go into d, with the file's format.
 * Returns PEP_LOAD_OK and *out (caller frees; with keep_xml it keeps the
 * canonical XML tree, pep_doc_xml()), or how far it got. No rules. */
pep_load_status pep_checker_load(const pep_checker *c, pep_xml_loader *l, const char *path, bool keep_xml,
                                 pep_diags *d, pep_doc **out);
/* The same for a document in memory, buf[0..len); name is used in messages. */
pep_load_status pep_checker_load_memory(const pep_checker *c, pep_xml_loader *l, const char *name, const char *buf,
                                        size_t len, bool keep_xml, pep_diags *d, pep_doc **out);

/* Checks the file at path, in any format: every diagnostic goes into d,
 * whose LA, stage and format are set. Returns how far it got. When keep is
 * not NULL and the file is schema-valid, *keep receives the canonical
 * document (caller frees). */
pep_load_status pep_check_file(const pep_checker *c, pep_xml_loader *l, const char *path, pep_diags *d,
                               pep_doc **keep);
/* The same for a document in memory, buf[0..len) (name is used in messages;
 * `pep edit` checks the form's state this way, as it would be saved). */
pep_load_status pep_check_memory(const pep_checker *c, pep_xml_loader *l, const char *name, const char *buf,
                                 size_t len, pep_diags *d, pep_doc **keep);

#endif
