/* batch.h: checking many files: finding them, and checking them in parallel
 * with results delivered in the order of their paths.
 *
 * Finding: a walker yields every *.xml below each folder named (skipping
 * hidden files and folders) and every file named, in the byte order of
 * their full paths, one at a time: it holds one sorted folder listing per
 * level of depth, never the list of all files. (Depth-first with each
 * folder's entries sorted by name, a folder counting as its name followed
 * by '/', is exactly that order.) One exception: a file named inside a
 * folder named, that the walk would skip (hidden, or not *.xml), comes
 * straight after that folder's files.
 *
 * Links: the walker follows symbolic links that stay inside the folders
 * named, never round a loop (a link back to a folder that contains it is
 * reported), and walks each real folder and checks each real file once,
 * however many links (symbolic or hard) lead to it: it remembers the device
 * and inode of every folder and file for the whole walk (16 bytes each). A
 * link that leads outside the folders named is reported as a warning and
 * not followed, unless pep_walker_follow_links() says to.
 *
 * Checking: the checker (schema, calendars, rule table) is shared read-only
 * by the worker threads; each thread parses and validates with its own
 * loader. Results are handed to the caller one at a time, in path order,
 * from the calling thread, and workers never run more than a bounded window
 * ahead, so memory stays flat however many files there are. Nor does it
 * grow with the number of threads: the workers hold at most twice the
 * largest file size (--max-size; 16 MB by default) of input at once.
 *
 * Ownership: pep_walker_new() returns a walker freed with pep_walker_free();
 * the diagnostics and the facts of each item passed to the emit callback
 * belong to it (pep_diags_free, pep_facts_free). */
#ifndef PEP_BATCH_H
#define PEP_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "facts.h"
#include "diag.h"

typedef struct pep_walker pep_walker;

/* A walker over paths[0..n) (borrowed until pep_walker_free). A named path
 * inside another folder named is walked once. */
pep_walker *pep_walker_new(const char *const *paths, size_t n);
/* Follow symbolic links out of the folders named too (--follow-links).
 * Call before the first pep_walker_next. */
void pep_walker_follow_links(pep_walker *w);
void pep_walker_free(pep_walker *w);

/* The next thing to report, in path order: a file to check (*problem NULL;
 * *path valid until the next call), or a folder that could not be walked
 * (*problem set, an IO diagnostic the caller owns). False at the end. */
bool pep_walker_next(pep_walker *w, const char **path, pep_diags **problem);

/* The named paths that do not exist (borrowed), known when the walker is
 * made; n of them. */
const char *const *pep_walker_missing(const pep_walker *w, size_t *n);

/* How many items (files and problems) pep_walker_next would yield for these
 * paths: a quick pass that keeps nothing, for a progress line. */
size_t pep_batch_count(const char *const *paths, size_t n, bool follow_links);

typedef struct pep_batch_item {
	pep_diags *diags; /* the file's diagnostics (the callback owns them) */
	pep_facts facts;  /* what the caseload needs; facts.loaded false when not schema-valid */
} pep_batch_item;

/* Called in path order, from the calling thread. */
typedef void (*pep_batch_emit)(void *ctx, size_t index, pep_batch_item *item);

/* Checks everything the walker yields with `threads` workers (1 checks in
 * the calling thread), calling emit for each in order; returns how many
 * items there were. */
size_t pep_batch_run(const pep_checker *c, pep_walker *w, int threads, pep_batch_emit emit, void *ctx);

/* Any work in parallel, results in order: work(ctx, i, state) for every
 * i in [0, n) on `threads` threads (1: in the calling thread), each result
 * handed to emit(ctx, i, result) in index order from the calling thread.
 * Each thread's state is made by init(ctx) and freed by fini(state) (both
 * may be NULL). Workers run at most a few items ahead of emit, so results
 * never pile up. */
typedef void *(*pep_map_work)(void *ctx, size_t i, void *state);
typedef void (*pep_map_emit)(void *ctx, size_t i, void *result);
void pep_batch_map(size_t n, int threads, void *(*init)(void *ctx), void (*fini)(void *state), pep_map_work work,
                   pep_map_emit emit, void *ctx);

/* The number of processors available, at least 1. */
int pep_batch_cores(void);

#endif
