/* outfile.h: outputs written atomically.
 *
 * An output is written to a temporary file in the target's own folder and
 * renamed into place only when complete and flushed to disk, so a failure,
 * a full disk or a kill never leaves a partial file at the target and never
 * replaces a good one with a bad one. Where the filesystem supports it
 * (O_TMPFILE: ext4, xfs, btrfs, tmpfs) the temporary file has no name
 * until it is complete, so even a SIGKILL leaves nothing behind (but for
 * the instant, when replacing, between naming the whole file ".NAME.XXXXXX.tmp"
 * and renaming it over NAME). Elsewhere
 * it is a hidden ".NAME.XXXXXX.tmp", removed on failure and, if SIGINT,
 * SIGTERM or SIGHUP arrive, before the program dies; only after a SIGKILL
 * there can one remain (never NAME itself).
 *
 * Ownership: pep_outfile_open() returns an object that pep_outfile_commit()
 * or pep_outfile_abort() consumes (exactly one of them, once). */
#ifndef PEP_OUTFILE_H
#define PEP_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct pep_outfile pep_outfile;

/* Opens a temporary file beside path. With replace false, committing fails
 * if path exists by then (the check and the rename are one step). Returns
 * NULL and sets *err (caller frees; says what and why) on failure. */
pep_outfile *pep_outfile_open(const char *path, bool replace, char **err);
/* The stream to write to (borrowed). */
FILE *pep_outfile_stream(pep_outfile *o);
/* Flushes, syncs and renames the file into place. Returns false and sets
 * *err when anything failed (a write error included); the temporary file
 * is then removed and the target is as it was. */
bool pep_outfile_commit(pep_outfile *o, char **err);
/* Removes the temporary file; the target is untouched. Accepts NULL. */
void pep_outfile_abort(pep_outfile *o);
/* For the tests: false makes every later open use the named temporary
 * file, as on a filesystem without O_TMPFILE (default true). */
void pep_outfile_allow_unnamed(bool allow);

#endif
