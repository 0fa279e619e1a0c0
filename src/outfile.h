/* outfile.h: every file pep writes, and the one policy for writing it.
 *
 * Every command that writes (new, next, convert, render -o and -d, and any
 * later one) opens its output here, with a policy, so that the rules below
 * hold everywhere and are written once. docs/security.md (promise 3) and
 * pep(1) (OUTPUT FILES) state them for users; tests/unit/test_outfile.c and
 * tests/e2e/test_faults.py hold them.
 *
 *  - "-" is standard output (when the policy names it).
 *  - Never over an input: an output that is the same file as one the
 *    command reads (same device and inode: "./x", a symbolic link or a hard
 *    link to it; standard output opened on it by the shell) is refused,
 *    and so is any output in pep's own data folders (paths.h: the schemas,
 *    stylesheets, fonts and calendars every run reads), even with --force.
 *  - Never replace without leave: a file that exists is replaced only when
 *    the policy says so: never (PEP_REPLACE_NEVER: new, next and convert
 *    without --force), only when it holds the same identity
 *    (PEP_REPLACE_SAME: render, whose PDFs carry the LA, LA child id,
 *    meeting date and copy they were made for), or always (--force).
 *  - Never widen permissions: a replaced file keeps its mode, owner and
 *    group where the system lets pep keep them; when its group cannot be
 *    kept, the group loses its permissions rather than pass them to another
 *    group. A new file gets 0666 less the umask.
 *  - Never replace what is not a regular file: a character device or a FIFO
 *    (/dev/null, a named pipe) is written as a stream, never renamed over; a
 *    terminal is refused for binary output (a PDF); a folder, a block
 *    device or a socket is refused.
 *  - A symbolic link is followed to the file it names, which is replaced
 *    there (the link stays a link); a link to nothing is refused, so pep
 *    never creates a file at a place a link points to.
 *  - Never half written: a regular file is written to a temporary file in
 *    the target's own folder and renamed into place only when complete and
 *    flushed to disk, so a failure, a full disk or a kill never leaves a
 *    partial file at the target and never replaces a good one with a bad
 *    one. Where the filesystem supports it (O_TMPFILE: ext4, xfs, btrfs,
 *    tmpfs) the temporary file has no name until it is complete, so even a
 *    SIGKILL leaves nothing behind (but for the instant, when replacing,
 *    between naming the whole file ".NAME.XXXXXX.tmp" and renaming it over
 *    NAME). Elsewhere it is a hidden ".NAME.XXXXXX.tmp", removed on failure
 *    and, if SIGINT, SIGTERM or SIGHUP arrive, before the program dies;
 *    only after a SIGKILL can one remain (never NAME itself).
 *
 * Messages (in *err) name the output as given and say what to do; they may
 * hold any bytes of a path: print them with the escaping of diag.h.
 *
 * Ownership: pep_outfile_create() returns an object that pep_outfile_commit()
 * or pep_outfile_abort() consumes (exactly one of them, once); *err and the
 * strings returned by pep_output_identity(), pep_outfile_clean_name(),
 * pep_outfile_name() and pep_outfile_names_take() are the caller's
 * (free()); pep_inputs_new() and pep_outfile_names_new() return objects
 * freed with pep_inputs_free() and pep_outfile_names_free(). */
#ifndef PEP_OUTFILE_H
#define PEP_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The files a command reads: an output must never be one of them. */
typedef struct pep_inputs pep_inputs;
pep_inputs *pep_inputs_new(void);
/* Remembers the device and inode of the file at path (following links);
 * a path that cannot be looked at is skipped: it cannot be written over
 * as an input either. */
void pep_inputs_add(pep_inputs *in, const char *path);
void pep_inputs_free(pep_inputs *in);

typedef enum pep_replace {
	PEP_REPLACE_NEVER,  /* a file that exists is kept: the output is refused */
	PEP_REPLACE_SAME,   /* replaced only when it holds the policy's identity */
	PEP_REPLACE_ALWAYS, /* replaced (--force) */
} pep_replace;

typedef struct pep_output_policy {
	pep_replace replace;
	const char *identity;     /* what this output is (pep_output_identity), or NULL */
	const pep_inputs *inputs; /* never written over; NULL when there are none */
	FILE *std_out;            /* where "-" goes; NULL: "-" is a file name */
	bool binary;              /* never to a terminal (a PDF) */
} pep_output_policy;

/* The identity of an output made for one child's one meeting, for
 * PEP_REPLACE_SAME: "pep1-" and 32 hex digits, a SHA-256 of the LA code,
 * the LA child id, the meeting date (YYYY-MM-DD) and which output of that
 * meeting it is (variant: NULL or "" for the full record's PDF, else a word
 * for each way it differs: "child" for the child's copy, "html" for the
 * page, "child html"), any of which may be NULL. So the child's copy never
 * replaces the full record, nor a page a PDF. A writer puts it in the
 * output's own metadata, in exactly one of these places:
 *   PDF:  the document information dictionary (the object the trailer's
 *         /Info names): the key /PepIdentity with a literal string
 *   HTML: <meta name="pep-identity" content="pep1-..."> among the <meta>
 *         elements that open the <head>, before its style */
char *pep_output_identity(const char *la, const char *child_id, const char *meeting, const char *variant);
#define PEP_IDENTITY_PDF_KEY "PepIdentity"
#define PEP_IDENTITY_HTML_META "pep-identity"

/* True when the regular file at path holds identity in its place above,
 * found by reading the file's structure (the PDF's cross-reference table
 * and trailer, the HTML page's head), never by searching its bytes: the
 * mark quoted in a PEP's own text (in the page contents, the body) is not
 * the file's. Files over 256 MB are not read, and do not hold it. */
bool pep_output_has_identity(const char *path, const char *identity);

typedef struct pep_outfile pep_outfile;

/* Opens the output path under policy p: checks every rule above, then
 * opens a temporary file beside the target (or the stream). Returns NULL
 * and sets *err (what and why, and what to do) when the output may not or
 * cannot be written. */
pep_outfile *pep_outfile_create(const char *path, const pep_output_policy *p, char **err);
/* The same checks, opening nothing: whether path may be written under p
 * (false with *err saying why). A command asks this before its work, so
 * that it refuses at once what it would refuse at the end. */
bool pep_outfile_check(const char *path, const pep_output_policy *p, char **err);
/* Whether writing to the stream out (standard output) would destroy a
 * file the command reads: out is a regular file (a pipe, a terminal or
 * /dev/null never is; a shell's ">> in.xml" or "1<>in.xml" is) that is one
 * of in (which may be NULL), or is in pep's own data. True with *err
 * saying so (caller frees); false when it may be written. Every command
 * that reads files and prints asks this before its work. */
bool pep_outfile_stream_refused(FILE *out, const pep_inputs *in, char **err);
/* pep_outfile_create with no inputs, no identity, "-" a file name:
 * PEP_REPLACE_ALWAYS when replace, else PEP_REPLACE_NEVER. (For callers of
 * the first version of this module: commands use pep_outfile_create, and
 * name their inputs.) */
pep_outfile *pep_outfile_open(const char *path, bool replace, char **err);
/* The stream to write to (borrowed). */
FILE *pep_outfile_stream(pep_outfile *o);
/* Flushes, syncs and renames the file into place (a stream is flushed and
 * closed; standard output is flushed only: pep_main checks it). Returns
 * false and sets *err when anything failed (a write error included); the
 * temporary file is then removed and the target is as it was. */
bool pep_outfile_commit(pep_outfile *o, char **err);
/* Removes the temporary file; the target is untouched. Accepts NULL. */
void pep_outfile_abort(pep_outfile *o);

/* A file name made from untrusted text (an LA child id): letters, digits,
 * '.', '-' and '_' kept, anything else (a '/', a space, any non-ASCII
 * byte) made '-', runs of '-' made one, at most max bytes; never starting
 * with '-' or '.', never ending with '-', never empty ("none" then).
 * Caller frees. */
char *pep_outfile_clean_name(const char *text, size_t max);

/* The path of the output STEM + EXT in folder dir under policy p (one
 * output per child in a folder: render -d): STEM+EXT itself when it is
 * free, holds p's identity, or p says PEP_REPLACE_ALWAYS; otherwise the
 * first of STEM-2+EXT ... STEM-99+EXT that holds p's identity, else the
 * first that is free. So two children whose ids clean to the same name get
 * two files, and each run finds its own again. A name that is an input is
 * never chosen. *renamed says the name is not STEM+EXT. Returns NULL with
 * *err when all 99 are taken. Caller frees. */
char *pep_outfile_name(const char *dir, const char *stem, const char *ext, const pep_output_policy *p,
                       bool *renamed, char **err);

/* The names one command gives its outputs (render -d, one PDF per child):
 * pep_outfile_name that also remembers what this run took, so that a name
 * it gave another child is passed over (even with --force: that file is
 * not one from before) and a second output for the same identity is
 * refused: NULL, with *err saying so and *duplicate set. Safe to call from
 * several threads at once (a name is reserved when it is chosen, before
 * the file is written). */
typedef struct pep_outfile_names pep_outfile_names;
pep_outfile_names *pep_outfile_names_new(void);
void pep_outfile_names_free(pep_outfile_names *s);
char *pep_outfile_names_take(pep_outfile_names *s, const char *dir, const char *stem, const char *ext,
                             const pep_output_policy *p, bool *renamed, bool *duplicate, char **err);

/* For the tests: false makes every later open use the named temporary
 * file, as on a filesystem without O_TMPFILE (default true). */
void pep_outfile_allow_unnamed(bool allow);

#endif
