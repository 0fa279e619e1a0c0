/* batch.h: checking many files: finding them, and checking them in parallel
 * with results delivered in the order of their paths.
 *
 * The checker (schema, calendars, rule table) is shared read-only by the
 * worker threads; each thread parses and validates with its own loader.
 * Results are handed to the caller one at a time, in path order, from the
 * calling thread, and workers never run more than a bounded window ahead, so
 * memory stays flat however many files there are: nothing per file is kept
 * once its result has been handed over.
 *
 * Ownership: pep_batch_walk() fills a pep_walk caller frees with
 * pep_walk_free(); each item's diagnostics passed to the emit callback
 * belong to the callback. */
#ifndef PEP_BATCH_H
#define PEP_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "cohort.h"
#include "diag.h"

typedef struct pep_walk {
	char **files;          /* sorted by byte value, no repeats */
	size_t nfiles;
	pep_diags **problems;  /* folders that could not be read, symlink loops */
	size_t nproblems;
	char **missing;        /* named paths that do not exist */
	size_t nmissing;
} pep_walk;

/* Every *.xml below each folder named (recursively, following symbolic
 * links but never round a loop, skipping hidden files and folders), and
 * every file named whatever its name. */
void pep_batch_walk(const char *const *paths, size_t n, pep_walk *out);
void pep_walk_free(pep_walk *w);

typedef struct pep_batch_item {
	pep_diags *diags; /* the file's diagnostics (the callback owns them) */
	pep_facts facts;  /* what the cohort figures need; facts.loaded false when not schema-valid */
} pep_batch_item;

/* Called in path order, from the calling thread. */
typedef void (*pep_batch_emit)(void *ctx, size_t index, pep_batch_item *item);

/* Checks files[0..n) with `threads` workers (1 checks in the calling
 * thread), calling emit for each in order. */
void pep_batch_run(const pep_checker *c, char *const *files, size_t n, int threads, pep_batch_emit emit, void *ctx);

/* The number of processors available, at least 1. */
int pep_batch_cores(void);

#endif
