/* arena.h: a region allocator for one document's model.
 *
 * Everything allocated from an arena is freed at once by pep_arena_free();
 * nothing allocated from it is freed on its own. One arena per loaded
 * document, so a batch keeps nothing per file once the file is done. */
#ifndef PEP_ARENA_H
#define PEP_ARENA_H

#include <stddef.h>

typedef struct pep_arena pep_arena;

pep_arena *pep_arena_new(void);
/* Zeroed memory, aligned for any type. */
void *pep_arena_alloc(pep_arena *a, size_t n);
char *pep_arena_strdup(pep_arena *a, const char *s);
char *pep_arena_strndup(pep_arena *a, const char *s, size_t n);
/* Frees every block; accepts NULL. */
void pep_arena_free(pep_arena *a);

#endif
