/* batch.c: walking folders, and checking files in parallel in path order. */
#include "batch.h"

#include <dirent.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* ------------------------------------------------------------------ */
/* Walking                                                              */
/* ------------------------------------------------------------------ */

typedef struct entry {
	char *name; /* a name in its folder, or a whole path at the top */
	bool dir;
	bool outside; /* a symbolic link that leads out of the folders named */
	bool known;   /* dev and ino were read when the folder was listed */
	dev_t dev;
	ino_t ino;
} entry;

/* The (device, inode) of every folder and file met in the walk: each real
 * folder is walked and each real file checked once, however many links
 * (symbolic or hard) lead to it. Open addressing, doubled when half full. */
typedef struct seen_set {
	struct seen_key {
		dev_t dev;
		ino_t ino;
		bool used;
	} *v;
	size_t n, cap;
} seen_set;

static size_t seen_hash(dev_t dev, ino_t ino, size_t cap)
{
	uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15u) ^ ((uint64_t)ino * 0xC2B2AE3D27D4EB4Fu);
	h ^= h >> 29;
	return (size_t)(h & (cap - 1));
}

/* Adds (dev, ino); false when it was there already. */
static bool seen_add(seen_set *s, dev_t dev, ino_t ino)
{
	if (2 * (s->n + 1) > s->cap) {
		seen_set bigger = {pep_xcalloc(s->cap ? 2 * s->cap : 64, sizeof *s->v), 0, s->cap ? 2 * s->cap : 64};
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i].used)
				seen_add(&bigger, s->v[i].dev, s->v[i].ino);
		free(s->v);
		*s = bigger;
	}
	for (size_t i = seen_hash(dev, ino, s->cap);; i = (i + 1) & (s->cap - 1)) {
		if (!s->v[i].used) {
			s->v[i].dev = dev;
			s->v[i].ino = ino;
			s->v[i].used = true;
			s->n++;
			return true;
		}
		if (s->v[i].dev == dev && s->v[i].ino == ino)
			return false;
	}
}

typedef struct frame {
	char *path;  /* the folder (NULL for the named paths at the top) */
	entry *v;
	size_t n, i; /* entries, and the next one */
	dev_t dev;
	ino_t ino;
} frame;

#define MAX_DEPTH 256

struct pep_walker {
	frame top;                 /* the named paths */
	frame stack[MAX_DEPTH];    /* the folders being walked */
	int depth;
	char **missing;
	size_t nmissing;
	char *current;             /* the path last returned */
	char **roots;              /* the real paths of the folders named */
	size_t nroots;
	bool follow_links;         /* follow links out of them too */
	seen_set seen;             /* every folder and file met */
};

/* The i-th byte of an entry's sort key: its name, and '/' after a folder's
 * name (so that entries sort in the byte order of their full paths); -1
 * past the end. */
static int key_at(const entry *e, size_t i, size_t len)
{
	if (i < len)
		return (unsigned char)e->name[i];
	if (i == len && e->dir && !(len && e->name[len - 1] == '/'))
		return '/';
	return -1;
}

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	size_t lx = strlen(x->name), ly = strlen(y->name);
	for (size_t i = 0;; i++) {
		int cx = key_at(x, i, lx), cy = key_at(y, i, ly);
		if (cx != cy)
			return cx < cy ? -1 : 1;
		if (cx < 0)
			return 0;
	}
}

static bool ends_with_xml(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

static char *join(const char *dir, const char *name)
{
	size_t len = strlen(dir);
	return pep_xasprintf("%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", name);
}

static void free_frame(frame *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].name);
	free(f->v);
	free(f->path);
	memset(f, 0, sizeof *f);
}

static pep_diags *problem(const char *path, const char *fmt, const char *detail)
{
	pep_diags *d = pep_diags_new(path);
	pep_diags_add(d, "IO", PEP_ERROR, 0, 0, fmt, detail);
	pep_diags_set_unchecked(d, true);
	return d;
}

/* Opens folder `path` as a new frame (its hidden entries skipped, the rest
 * that matter sorted); returns a problem instead when it cannot. */
/* Whether the real path of a link lies inside one of the folders named. */
static bool inside_roots(const pep_walker *w, const char *path)
{
	char real[PATH_MAX];
	if (!realpath(path, real))
		return true; /* dangling: reading it reports why it cannot be read */
	for (size_t i = 0; i < w->nroots; i++) {
		size_t n = strlen(w->roots[i]);
		if (strncmp(real, w->roots[i], n) == 0 && (real[n] == '\0' || real[n] == '/' || (n == 1 && real[0] == '/')))
			return true;
	}
	return false;
}

/* Opens folder `path` as a new frame (its hidden entries skipped, the rest
 * that matter sorted); returns a problem instead when it cannot, and NULL
 * with *skipped set when the folder was walked already (reached again by
 * another link). */
static pep_diags *push(pep_walker *w, const char *path, const struct stat *st, bool *skipped)
{
	*skipped = false;
	for (int i = 0; i < w->depth; i++)
		if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
			return problem(path, "%s", "a symbolic link here leads back to a folder that contains it; this loop was skipped");
	if (!seen_add(&w->seen, st->st_dev, st->st_ino)) {
		*skipped = true;
		return NULL;
	}
	if (w->depth == MAX_DEPTH)
		return problem(path, "%s", "folders are nested too deep (more than 256); this one was skipped");
	DIR *dp = opendir(path);
	if (!dp)
		return problem(path, "cannot read this folder: %s; its files were not checked", strerror(errno));
	frame *f = &w->stack[w->depth];
	memset(f, 0, sizeof *f);
	size_t cap = 0;
	for (struct dirent *e; (e = readdir(dp));) {
		if (e->d_name[0] == '.')
			continue; /* hidden files and folders, and . and .. */
		char *full = join(path, e->d_name);
		struct stat s;
		bool known = stat(full, &s) == 0;
		bool dir = known && S_ISDIR(s.st_mode);
		dev_t dev = known ? s.st_dev : 0;
		ino_t ino = known ? s.st_ino : 0;
		bool link = e->d_type == DT_LNK || (e->d_type == DT_UNKNOWN && lstat(full, &s) == 0 && S_ISLNK(s.st_mode));
		/* A dangling link or vanished file named .xml is kept: checking it
		 * reports why it cannot be read. */
		if (!dir && !ends_with_xml(e->d_name)) {
			free(full);
			continue;
		}
		bool outside = link && !w->follow_links && !inside_roots(w, full);
		free(full);
		if (f->n == cap) {
			cap = cap ? cap * 2 : 32;
			f->v = pep_xrealloc(f->v, cap * sizeof *f->v);
		}
		f->v[f->n].name = pep_xstrdup(e->d_name);
		f->v[f->n].dir = dir;
		f->v[f->n].outside = outside;
		f->v[f->n].known = known;
		f->v[f->n].dev = dev;
		f->v[f->n].ino = ino;
		f->n++;
	}
	closedir(dp);
	if (f->n)
		qsort(f->v, f->n, sizeof *f->v, cmp_entry);
	f->path = pep_xstrdup(path);
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	w->depth++;
	return NULL;
}

/* Whether the walk of a folder reaches `rest`, a path below it ("/x/y.xml"
 * or "x/y.xml"): no hidden step on the way, and a folder or a *.xml file. */
static bool walked(const char *rest, bool dir)
{
	if (rest[0] == '.' || strstr(rest, "/."))
		return false;
	return dir || ends_with_xml(rest);
}

/* "a/b/" -> "a/b", "./a" -> "a" (so that the same folder is one spelling). */
static char *tidy(const char *path)
{
	while (path[0] == '.' && path[1] == '/' && path[2])
		path += 2;
	char *p = pep_xstrdup(path);
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

pep_walker *pep_walker_new(const char *const *paths, size_t n)
{
	pep_walker *w = pep_xcalloc(1, sizeof *w);
	entry *v = pep_xcalloc(n + 1, sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		char *p = tidy(paths[i]);
		if (stat(p, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
			w->missing = pep_xrealloc(w->missing, (w->nmissing + 1) * sizeof *w->missing);
			w->missing[w->nmissing++] = p;
			continue;
		}
		v[k].name = p;
		v[k].dir = S_ISDIR(st.st_mode);
		k++;
	}
	qsort(v, k, sizeof *v, cmp_entry);
	/* A path named twice, or inside a folder named, is walked once: in this
	 * order a folder comes before everything inside it. (A file the walk of
	 * that folder would skip, hidden or not *.xml, is still checked because
	 * it was named: it comes after the folder.) */
	size_t kept = 0;
	for (size_t i = 0; i < k; i++) {
		bool inside = false;
		for (size_t j = 0; j < kept && !inside; j++) {
			size_t len = strlen(v[j].name);
			if (strcmp(v[j].name, v[i].name) == 0)
				inside = true;
			else if (v[j].dir && strncmp(v[j].name, v[i].name, len) == 0 &&
			         (v[i].name[len] == '/' || v[j].name[len - 1] == '/'))
				inside = walked(v[i].name + len, v[i].dir);
		}
		if (inside)
			free(v[i].name);
		else
			v[kept++] = v[i];
	}
	w->top.v = v;
	w->top.n = kept;
	/* The trees named: links inside them are followed, links out of them
	 * only when asked. */
	w->roots = pep_xcalloc(kept + 1, sizeof *w->roots);
	for (size_t i = 0; i < kept; i++) {
		char real[PATH_MAX];
		if (v[i].dir && realpath(v[i].name, real))
			w->roots[w->nroots++] = pep_xstrdup(real);
	}
	return w;
}

void pep_walker_follow_links(pep_walker *w)
{
	w->follow_links = true;
}

void pep_walker_free(pep_walker *w)
{
	if (!w)
		return;
	while (w->depth > 0)
		free_frame(&w->stack[--w->depth]);
	free_frame(&w->top);
	for (size_t i = 0; i < w->nmissing; i++)
		free(w->missing[i]);
	free(w->missing);
	free(w->current);
	for (size_t i = 0; i < w->nroots; i++)
		free(w->roots[i]);
	free(w->roots);
	free(w->seen.v);
	free(w);
}

const char *const *pep_walker_missing(const pep_walker *w, size_t *n)
{
	*n = w->nmissing;
	return (const char *const *)w->missing;
}

bool pep_walker_next(pep_walker *w, const char **path, pep_diags **problem_out)
{
	*path = NULL;
	*problem_out = NULL;
	for (;;) {
		frame *f = w->depth ? &w->stack[w->depth - 1] : &w->top;
		if (f->i == f->n) {
			if (!w->depth)
				return false;
			free_frame(&w->stack[--w->depth]);
			continue;
		}
		entry *e = &f->v[f->i++];
		free(w->current);
		w->current = f->path ? join(f->path, e->name) : pep_xstrdup(e->name);
		if (e->outside) {
			pep_diags *p = pep_diags_new(w->current);
			pep_diags_add(p, "IO", PEP_WARNING, 0, 0,
			              "not checked: a symbolic link here leads outside the folders named; name where it leads, "
			              "or give --follow-links");
			*problem_out = p;
			return true;
		}
		struct stat st;
		if (!e->dir) {
			/* A file reached again (a hard link, or a second symbolic
			 * link to it) is checked once. One that cannot be read now is
			 * passed on: checking it says why. */
			bool known = e->known || stat(w->current, &st) == 0;
			if (known && !seen_add(&w->seen, e->known ? e->dev : st.st_dev, e->known ? e->ino : st.st_ino))
				continue;
			*path = w->current;
			return true;
		}
		bool skipped = false;
		pep_diags *p = stat(w->current, &st) == 0 ? push(w, w->current, &st, &skipped)
		                                          : problem(w->current, "cannot read this folder: %s", strerror(errno));
		if (p) {
			*problem_out = p;
			return true;
		}
	}
}

size_t pep_batch_count(const char *const *paths, size_t n, bool follow_links)
{
	pep_walker *w = pep_walker_new(paths, n);
	if (follow_links)
		pep_walker_follow_links(w);
	size_t count = 0;
	const char *path;
	pep_diags *p;
	while (pep_walker_next(w, &path, &p)) {
		pep_diags_free(p);
		count++;
	}
	pep_walker_free(w);
	return count;
}

/* ------------------------------------------------------------------ */
/* Checking in parallel                                                 */
/* ------------------------------------------------------------------ */

/* Workers run at most this far ahead of the results handed over. */
#define WINDOW 512

typedef struct pool {
	const pep_checker *checker;
	pep_walker *walker;
	pep_batch_item **slots; /* [WINDOW], indexed by item index % WINDOW */
	size_t next;            /* the index of the next item a worker takes */
	size_t emitted;         /* items handed over so far */
	bool done;              /* the walker is exhausted ... */
	size_t total;           /* ... after this many items */
	size_t budget;          /* the bytes of input the workers may hold at once ... */
	size_t held;            /* ... and what they hold */
	pthread_mutex_t lock;
	pthread_cond_t ready;   /* a slot was filled, or the walk ended */
	pthread_cond_t room;    /* a slot was emptied */
	pthread_cond_t freed;   /* input memory was given back */
} pool;

/* Memory: a file takes some 12 to 15 times its size to check (the parsed
 * tree, validation, the model). The workers hold at most two of the
 * largest files pep reads at once (16 MB of input by default), whatever
 * -j says: a worker waits for room before it reads a file (but any one
 * file may be read while nothing else is held). At 20 to 60 KB a PEP,
 * hundreds fit, so ordinary batches never wait. */
static size_t input_budget(const pep_checker *c)
{
	size_t max = pep_checker_config(c)->max_size;
	return 2 * (max ? max : PEP_MAX_FILE_SIZE);
}

/* A file this large leaves enough freed memory behind to return. */
#define LARGE_INPUT ((size_t)1024 * 1024)

/* The bytes checking path will hold as input (0 when it cannot be read:
 * the check reports why). */
static size_t input_size(const pep_checker *c, const char *path)
{
	struct stat st;
	size_t max = pep_checker_config(c)->max_size;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0)
		return 0;
	/* A file over the limit is refused before it is read. */
	return (size_t)st.st_size > (max ? max : PEP_MAX_FILE_SIZE) ? 0 : (size_t)st.st_size;
}

static pep_batch_item *check_one(const pep_checker *c, pep_xml_loader *l, const char *path)
{
	pep_batch_item *it = pep_xcalloc(1, sizeof *it);
	pep_doc *doc = NULL;
	it->diags = pep_diags_new(path);
	pep_check_file(c, l, path, it->diags, &doc);
	if (doc) {
		pep_rules_env env;
		pep_checker_env(c, &env);
		pep_facts_from_model(pep_doc_model(doc), &env, &it->facts);
		pep_doc_free(doc);
	}
	return it;
}

static pep_batch_item *problem_item(pep_diags *d)
{
	pep_batch_item *it = pep_xcalloc(1, sizeof *it);
	it->diags = d;
	return it;
}

static void *worker(void *arg)
{
	pool *p = arg;
	pep_xml_loader *l = pep_checker_loader(p->checker);
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->done && p->next >= p->emitted + WINDOW)
			pthread_cond_wait(&p->room, &p->lock);
		if (p->done) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		const char *path;
		pep_diags *prob;
		if (!pep_walker_next(p->walker, &path, &prob)) {
			p->done = true;
			p->total = p->next;
			pthread_cond_broadcast(&p->ready);
			pthread_cond_broadcast(&p->room);
			pthread_mutex_unlock(&p->lock);
			break;
		}
		size_t i = p->next++;
		char *mine = prob ? NULL : pep_xstrdup(path);
		pthread_mutex_unlock(&p->lock);

		size_t size = mine ? input_size(p->checker, mine) : 0;
		if (size) {
			pthread_mutex_lock(&p->lock);
			while (p->held && p->held + size > p->budget)
				pthread_cond_wait(&p->freed, &p->lock);
			p->held += size;
			pthread_mutex_unlock(&p->lock);
		}
		pep_batch_item *it = prob ? problem_item(prob) : check_one(p->checker, l, mine);
		free(mine);
#ifdef __GLIBC__
		/* glibc keeps what a thread freed in that thread's own arena: after
		 * a large file, give it back, or each thread would keep the peak of
		 * the largest file it ever checked. */
		if (size >= LARGE_INPUT)
			malloc_trim(0);
#endif
		if (size) {
			pthread_mutex_lock(&p->lock);
			p->held -= size;
			pthread_cond_broadcast(&p->freed);
			pthread_mutex_unlock(&p->lock);
		}

		pthread_mutex_lock(&p->lock);
		p->slots[i % WINDOW] = it;
		pthread_cond_broadcast(&p->ready);
		pthread_mutex_unlock(&p->lock);
	}
	pep_xml_loader_free(l);
	return NULL;
}

static size_t run_here(const pep_checker *c, pep_walker *w, pep_batch_emit emit, void *ctx)
{
	pep_xml_loader *l = pep_checker_loader(c);
	size_t i = 0;
	const char *path;
	pep_diags *prob;
	while (pep_walker_next(w, &path, &prob)) {
		pep_batch_item *it = prob ? problem_item(prob) : check_one(c, l, path);
		emit(ctx, i++, it);
		free(it);
	}
	pep_xml_loader_free(l);
	return i;
}

size_t pep_batch_run(const pep_checker *c, pep_walker *w, int threads, pep_batch_emit emit, void *ctx)
{
	if (threads <= 1)
		return run_here(c, w, emit, ctx);
	pool p;
	memset(&p, 0, sizeof p);
	p.checker = c;
	p.walker = w;
	p.slots = pep_xcalloc(WINDOW, sizeof *p.slots);
	p.budget = input_budget(c);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.room, NULL);
	pthread_cond_init(&p.freed, NULL);
	pthread_t *tids = pep_xcalloc((size_t)threads, sizeof *tids);
	int started = 0;
	for (int t = 0; t < threads; t++)
		if (pthread_create(&tids[t], NULL, worker, &p) == 0)
			started++;
	size_t n = 0;
	if (started == 0) {
		n = run_here(c, w, emit, ctx); /* no thread could be started */
	} else {
		for (size_t i = 0;; i++) {
			pthread_mutex_lock(&p.lock);
			while (!p.slots[i % WINDOW] && !(p.done && i >= p.total))
				pthread_cond_wait(&p.ready, &p.lock);
			pep_batch_item *it = p.slots[i % WINDOW];
			p.slots[i % WINDOW] = NULL;
			pthread_mutex_unlock(&p.lock);
			if (!it)
				break;
			emit(ctx, i, it);
			free(it);
			pthread_mutex_lock(&p.lock);
			p.emitted = i + 1;
			pthread_cond_broadcast(&p.room);
			pthread_mutex_unlock(&p.lock);
			n = i + 1;
		}
		for (int t = 0; t < started; t++)
			pthread_join(tids[t], NULL);
	}
	free(tids);
	free(p.slots);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.room);
	pthread_cond_destroy(&p.freed);
	return n;
}

/* ------------------------------------------------------------------ */
/* Any work in parallel, results in order                               */
/* ------------------------------------------------------------------ */

typedef struct map {
	size_t n, window;
	void *(*init)(void *ctx);
	void (*fini)(void *state);
	pep_map_work work;
	void *ctx;
	void **slots;   /* [window], by index % window */
	bool *filled;   /* the slot holds a result (which may be NULL) */
	size_t next;    /* the next index a worker takes */
	size_t emitted; /* results handed over so far */
	pthread_mutex_t lock;
	pthread_cond_t ready, room;
} map;

static void *map_worker(void *arg)
{
	map *m = arg;
	void *state = m->init ? m->init(m->ctx) : NULL;
	for (;;) {
		pthread_mutex_lock(&m->lock);
		while (m->next < m->n && m->next >= m->emitted + m->window)
			pthread_cond_wait(&m->room, &m->lock);
		if (m->next >= m->n) {
			pthread_mutex_unlock(&m->lock);
			break;
		}
		size_t i = m->next++;
		pthread_mutex_unlock(&m->lock);
		void *r = m->work(m->ctx, i, state);
		pthread_mutex_lock(&m->lock);
		m->slots[i % m->window] = r;
		m->filled[i % m->window] = true;
		pthread_cond_broadcast(&m->ready);
		pthread_mutex_unlock(&m->lock);
	}
	if (m->fini)
		m->fini(state);
	return NULL;
}

void pep_batch_map(size_t n, int threads, void *(*init)(void *ctx), void (*fini)(void *state), pep_map_work work,
                   pep_map_emit emit, void *ctx)
{
	if (threads > 1 && (size_t)threads > n)
		threads = (int)n;
	map m;
	memset(&m, 0, sizeof m);
	m.n = n;
	m.window = threads > 1 ? 4 * (size_t)threads : 1;
	m.init = init;
	m.fini = fini;
	m.work = work;
	m.ctx = ctx;
	pthread_t *tids = NULL;
	int started = 0;
	if (threads > 1) {
		m.slots = pep_xcalloc(m.window, sizeof *m.slots);
		m.filled = pep_xcalloc(m.window, sizeof *m.filled);
		pthread_mutex_init(&m.lock, NULL);
		pthread_cond_init(&m.ready, NULL);
		pthread_cond_init(&m.room, NULL);
		tids = pep_xcalloc((size_t)threads, sizeof *tids);
		for (int t = 0; t < threads; t++)
			if (pthread_create(&tids[t], NULL, map_worker, &m) == 0)
				started++;
	}
	if (!started) {
		/* one thread, or none could be started: here, in order */
		void *state = init ? init(ctx) : NULL;
		for (size_t i = 0; i < n; i++)
			emit(ctx, i, work(ctx, i, state));
		if (fini)
			fini(state);
	} else {
		for (size_t i = 0; i < n; i++) {
			pthread_mutex_lock(&m.lock);
			while (!m.filled[i % m.window])
				pthread_cond_wait(&m.ready, &m.lock);
			void *r = m.slots[i % m.window];
			m.slots[i % m.window] = NULL;
			m.filled[i % m.window] = false;
			pthread_mutex_unlock(&m.lock);
			emit(ctx, i, r);
			pthread_mutex_lock(&m.lock);
			m.emitted = i + 1;
			pthread_cond_broadcast(&m.room);
			pthread_mutex_unlock(&m.lock);
		}
		for (int t = 0; t < started; t++)
			pthread_join(tids[t], NULL);
	}
	if (threads > 1) {
		pthread_mutex_destroy(&m.lock);
		pthread_cond_destroy(&m.ready);
		pthread_cond_destroy(&m.room);
	}
	free(tids);
	free(m.slots);
	free(m.filled);
}

int pep_batch_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}
