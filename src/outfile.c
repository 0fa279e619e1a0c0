/* outfile.c: temporary file + rename, and cleanup on fatal signals. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

struct pep_outfile {
	char *path;   /* the target */
	char *tmp;    /* the temporary file beside it */
	FILE *f;
	bool replace;
	int slot;     /* index in the signal-cleanup table, or -1 */
};

/* Temporary files to remove if a fatal signal arrives. A fixed table of
 * fixed-size paths, so the handler only reads memory and calls unlink(),
 * both async-signal-safe. This is the program's one piece of global state:
 * a signal handler has nowhere else to look. */
#define SLOTS 64
static char pending[SLOTS][PATH_MAX];
static volatile sig_atomic_t pending_used[SLOTS];
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

static void on_fatal_signal(int sig)
{
	for (int i = 0; i < SLOTS; i++)
		if (pending_used[i])
			unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;
		sigaction(sigs[i], NULL, &old);
		if (old.sa_handler != SIG_DFL)
			continue; /* someone else handles it (or ignores it): leave it */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

static int remember(const char *tmp)
{
	if (strlen(tmp) >= PATH_MAX)
		return -1;
	pthread_once(&handlers_once, install_handlers);
	pthread_mutex_lock(&pending_lock);
	int slot = -1;
	for (int i = 0; i < SLOTS && slot < 0; i++)
		if (!pending_used[i]) {
			memcpy(pending[i], tmp, strlen(tmp) + 1);
			pending_used[i] = 1;
			slot = i;
		}
	pthread_mutex_unlock(&pending_lock);
	return slot;
}

static void forget(int slot)
{
	if (slot < 0)
		return;
	pthread_mutex_lock(&pending_lock);
	pending_used[slot] = 0;
	pthread_mutex_unlock(&pending_lock);
}

pep_outfile *pep_outfile_open(const char *path, bool replace, char **err)
{
	*err = NULL;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		*err = xasprintf("%s is a folder; give a file name for the output", path);
		return NULL;
	}
	if (!replace && access(path, F_OK) == 0) {
		*err = xasprintf("%s already exists; use --force to replace it", path);
		return NULL;
	}
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup("");
	const char *base = slash ? slash + 1 : path;
	char *tmp = xasprintf("%s.%s.XXXXXX.tmp", dir, base);
	free(dir);
	int fd = mkostemps(tmp, 4, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		*err = xasprintf("cannot write %s: %s%s", path, strerror(e),
		                 e == EACCES || e == EROFS ? " (is the folder read-only?)"
		                 : e == ENOENT            ? " (does the folder exist?)"
		                                          : "");
		free(tmp);
		return NULL;
	}
	/* mkostemps creates 0600; an output is an ordinary file (0666 & ~umask). */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	pep_outfile *o = xcalloc(1, sizeof *o);
	o->path = xstrdup(path);
	o->tmp = tmp;
	o->replace = replace;
	o->slot = remember(tmp);
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		close(fd);
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		pep_outfile_abort(o);
		return NULL;
	}
	return o;
}

FILE *pep_outfile_stream(pep_outfile *o)
{
	return o->f;
}

static void discard(pep_outfile *o)
{
	if (o->f)
		fclose(o->f);
	unlink(o->tmp);
	forget(o->slot);
	free(o->tmp);
	free(o->path);
	free(o);
}

bool pep_outfile_commit(pep_outfile *o, char **err)
{
	*err = NULL;
	int e = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(o->f)) != 0 && errno != EINVAL)
		e = errno;
	int rc = fclose(o->f);
	o->f = NULL;
	if (!e && rc != 0)
		e = errno ? errno : EIO;
	if (!e) {
		if (o->replace) {
			if (rename(o->tmp, o->path) != 0)
				e = errno;
		} else if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_NOREPLACE) != 0) {
			e = errno;
			if (e == EINVAL || e == ENOSYS) {
				/* A filesystem without RENAME_NOREPLACE: link() also
				 * refuses to replace. */
				e = link(o->tmp, o->path) == 0 ? 0 : errno;
			}
		}
	}
	if (e) {
		*err = e == EEXIST ? xasprintf("%s already exists; use --force to replace it", o->path)
		                   : xasprintf("cannot write %s: %s%s", o->path, strerror(e),
		                               e == ENOSPC ? " (the disk is full; nothing was written)" : "");
	}
	discard(o); /* after a successful rename, the temporary name is gone */
	return e == 0;
}

void pep_outfile_abort(pep_outfile *o)
{
	if (o)
		discard(o);
}
