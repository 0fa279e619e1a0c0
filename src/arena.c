/* arena.c: region allocator (blocks of 16 KiB, bigger requests get their own). */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define BLOCK_SIZE (16 * 1024)

struct block {
	struct block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

struct pep_arena {
	struct block *head;
};

pep_arena *pep_arena_new(void)
{
	return pep_xcalloc(1, sizeof(pep_arena));
}

static struct block *new_block(size_t size)
{
	struct block *b = pep_xmalloc(sizeof(struct block) + size);
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

void *pep_arena_alloc(pep_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	struct block *b = a->head;
	if (!b || b->size - b->used < n) {
		if (n > BLOCK_SIZE / 4) {
			/* A big request gets a block of its own, kept behind the head
			 * so that the head's free space is not wasted. */
			struct block *big = new_block(n);
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				a->head = big;
			}
			big->used = n;
			memset(big->data, 0, n);
			return big->data;
		}
		b = new_block(BLOCK_SIZE);
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *pep_arena_strndup(pep_arena *a, const char *s, size_t n)
{
	char *p = pep_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *pep_arena_strdup(pep_arena *a, const char *s)
{
	return pep_arena_strndup(a, s, strlen(s));
}

void pep_arena_free(pep_arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}
