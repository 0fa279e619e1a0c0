/* batch.c: walking folders, and checking files in parallel in path order. */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* ------------------------------------------------------------------ */
/* Walking                                                              */
/* ------------------------------------------------------------------ */

typedef struct strv {
	char **v;
	size_t n, cap;
} strv;

static void strv_push(strv *s, char *str)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = str;
}

typedef struct walker {
	strv files;
	pep_diags **problems;
	size_t nproblems;
	/* The folders from the top to the current one, to catch a symbolic
	 * link that leads back to one of them. */
	dev_t devs[256];
	ino_t inos[256];
	int depth;
} walker;

static void problem(walker *w, const char *path, const char *fmt, const char *detail)
{
	pep_diags *d = pep_diags_new(path);
	pep_diags_add(d, "IO", PEP_ERROR, 0, 0, fmt, detail);
	pep_diags_set_unchecked(d, true);
	w->problems = xrealloc(w->problems, (w->nproblems + 1) * sizeof *w->problems);
	w->problems[w->nproblems++] = d;
}

static bool ends_with_xml(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

static void walk_dir(walker *w, const char *dir, const struct stat *st)
{
	for (int i = 0; i < w->depth; i++)
		if (w->devs[i] == st->st_dev && w->inos[i] == st->st_ino) {
			problem(w, dir, "%s", "a symbolic link here leads back to a folder that contains it; this loop was skipped");
			return;
		}
	if (w->depth == (int)(sizeof w->devs / sizeof w->devs[0])) {
		problem(w, dir, "%s", "folders are nested too deep (more than 256); this one was skipped");
		return;
	}
	DIR *dp = opendir(dir);
	if (!dp) {
		problem(w, dir, "cannot read this folder: %s; its files were not checked", strerror(errno));
		return;
	}
	w->devs[w->depth] = st->st_dev;
	w->inos[w->depth] = st->st_ino;
	w->depth++;
	/* Collect the names first, so that the folder is not held open while
	 * walking deeper. */
	strv names = {0};
	for (struct dirent *e; (e = readdir(dp));)
		if (e->d_name[0] != '.') /* hidden files and folders, and . and .. */
			strv_push(&names, xstrdup(e->d_name));
	closedir(dp);
	for (size_t i = 0; i < names.n; i++) {
		size_t len = strlen(dir);
		char *path = xasprintf("%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", names.v[i]);
		struct stat s;
		if (stat(path, &s) != 0) {
			/* A dangling symbolic link, or a file that vanished. */
			if (ends_with_xml(names.v[i]))
				strv_push(&w->files, path); /* reported as unreadable when checked */
			else
				free(path);
		} else if (S_ISDIR(s.st_mode)) {
			walk_dir(w, path, &s);
			free(path);
		} else if (ends_with_xml(names.v[i])) {
			strv_push(&w->files, path);
		} else {
			free(path);
		}
		free(names.v[i]);
	}
	free(names.v);
	w->depth--;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void pep_batch_walk(const char *const *paths, size_t n, pep_walk *out)
{
	walker w;
	memset(&w, 0, sizeof w);
	strv missing = {0};
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				strv_push(&missing, xstrdup(paths[i]));
			else
				strv_push(&w.files, xstrdup(paths[i])); /* reported when it is checked */
		} else if (S_ISDIR(st.st_mode)) {
			walk_dir(&w, paths[i], &st);
		} else {
			strv_push(&w.files, xstrdup(paths[i]));
		}
	}
	if (w.files.n)
		qsort(w.files.v, w.files.n, sizeof *w.files.v, cmp_path);
	size_t k = 0;
	for (size_t i = 0; i < w.files.n; i++) {
		if (k && strcmp(w.files.v[k - 1], w.files.v[i]) == 0)
			free(w.files.v[i]);
		else
			w.files.v[k++] = w.files.v[i];
	}
	out->files = w.files.v;
	out->nfiles = k;
	out->problems = w.problems;
	out->nproblems = w.nproblems;
	out->missing = missing.v;
	out->nmissing = missing.n;
}

void pep_walk_free(pep_walk *w)
{
	for (size_t i = 0; i < w->nfiles; i++)
		free(w->files[i]);
	free(w->files);
	for (size_t i = 0; i < w->nproblems; i++)
		pep_diags_free(w->problems[i]);
	free(w->problems);
	for (size_t i = 0; i < w->nmissing; i++)
		free(w->missing[i]);
	free(w->missing);
	memset(w, 0, sizeof *w);
}

/* ------------------------------------------------------------------ */
/* Checking in parallel                                                 */
/* ------------------------------------------------------------------ */

/* Workers run at most this far ahead of the results handed over. */
#define WINDOW 512

typedef struct pool {
	const pep_checker *checker;
	char *const *files;
	size_t n;
	pep_batch_item **slots; /* [WINDOW], indexed by file index % WINDOW */
	size_t next;            /* the next file a worker will take */
	size_t emitted;         /* files handed over so far */
	pthread_mutex_t lock;
	pthread_cond_t ready;   /* a slot was filled */
	pthread_cond_t room;    /* a slot was emptied */
} pool;

static pep_batch_item *check_one(const pep_checker *c, pep_xml_loader *l, const char *path)
{
	pep_batch_item *it = xcalloc(1, sizeof *it);
	pep_doc *doc = NULL;
	it->diags = pep_diags_new(path);
	pep_check_file(c, l, path, it->diags, &doc);
	if (doc) {
		pep_facts_from_model(pep_doc_model(doc), &it->facts);
		pep_doc_free(doc);
	}
	return it;
}

static void *worker(void *arg)
{
	pool *p = arg;
	pep_xml_loader *l = pep_checker_loader(p->checker);
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (p->next < p->n && p->next >= p->emitted + WINDOW)
			pthread_cond_wait(&p->room, &p->lock);
		if (p->next >= p->n) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);

		pep_batch_item *it = check_one(p->checker, l, p->files[i]);

		pthread_mutex_lock(&p->lock);
		p->slots[i % WINDOW] = it;
		pthread_cond_broadcast(&p->ready);
		pthread_mutex_unlock(&p->lock);
	}
	pep_xml_loader_free(l);
	return NULL;
}

void pep_batch_run(const pep_checker *c, char *const *files, size_t n, int threads, pep_batch_emit emit, void *ctx)
{
	if (threads <= 1 || n <= 1) {
		pep_xml_loader *l = pep_checker_loader(c);
		for (size_t i = 0; i < n; i++) {
			pep_batch_item *it = check_one(c, l, files[i]);
			emit(ctx, i, it);
			free(it);
		}
		pep_xml_loader_free(l);
		return;
	}
	pool p;
	memset(&p, 0, sizeof p);
	p.checker = c;
	p.files = files;
	p.n = n;
	p.slots = xcalloc(WINDOW, sizeof *p.slots);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.room, NULL);
	if ((size_t)threads > n)
		threads = (int)n;
	pthread_t *tids = xcalloc((size_t)threads, sizeof *tids);
	int started = 0;
	for (int t = 0; t < threads; t++)
		if (pthread_create(&tids[t], NULL, worker, &p) == 0)
			started++;
	if (started == 0) {
		/* No thread could be started: check here instead. */
		p.next = n;
		free(tids);
		tids = NULL;
		pep_batch_run(c, files, n, 1, emit, ctx);
	} else {
		for (size_t i = 0; i < n; i++) {
			pthread_mutex_lock(&p.lock);
			while (!p.slots[i % WINDOW])
				pthread_cond_wait(&p.ready, &p.lock);
			pep_batch_item *it = p.slots[i % WINDOW];
			p.slots[i % WINDOW] = NULL;
			pthread_mutex_unlock(&p.lock);
			emit(ctx, i, it);
			free(it);
			pthread_mutex_lock(&p.lock);
			p.emitted = i + 1;
			pthread_cond_broadcast(&p.room);
			pthread_mutex_unlock(&p.lock);
		}
		for (int t = 0; t < started; t++)
			pthread_join(tids[t], NULL);
	}
	free(tids);
	free(p.slots);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.room);
}

int pep_batch_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}
