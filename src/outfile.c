/* outfile.c: atomic outputs (an O_TMPFILE linked into place when complete, or
 * a hidden temporary file + rename), and cleanup on fatal signals. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"

struct pep_outfile {
	char *path;   /* the target */
	char *tmp;    /* the temporary name beside it */
	FILE *f;
	bool replace;
	bool unnamed; /* an O_TMPFILE: no name until it is complete */
	bool has_tmp; /* the temporary name exists on disk (ours to remove) */
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

static bool unnamed_allowed = true;

void pep_outfile_allow_unnamed(bool allow)
{
	unnamed_allowed = allow;
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
	/* Where the filesystem allows, the file has no name at all until it
	 * is complete (O_TMPFILE, named later through /proc/self/fd): a kill
	 * then leaves nothing behind. Elsewhere it is a hidden temporary name,
	 * removed on failure and on SIGINT, SIGTERM and SIGHUP. */
	bool unnamed = false;
	int fd = -1;
#ifdef O_TMPFILE
	if (unnamed_allowed && access("/proc/self/fd", X_OK) == 0) {
		fd = open(*dir ? dir : ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
		unnamed = fd >= 0;
	}
#endif
	free(dir);
	if (fd < 0)
		fd = mkostemps(tmp, 4, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		*err = xasprintf("cannot write %s: %s%s", path, strerror(e),
		                 e == EACCES || e == EROFS ? " (is the folder read-only?)"
		                 : e == ENOENT            ? " (does the folder exist?)"
		                                          : "");
		free(tmp);
		return NULL;
	}
	if (!unnamed) {
		/* mkostemps creates 0600; an output is an ordinary file (0666 & ~umask). */
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	pep_outfile *o = xcalloc(1, sizeof *o);
	o->path = xstrdup(path);
	o->tmp = tmp;
	o->replace = replace;
	o->unnamed = unnamed;
	o->has_tmp = !unnamed;
	o->slot = unnamed ? -1 : remember(tmp);
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
	if (o->has_tmp)
		unlink(o->tmp); /* (an unnamed file vanishes when closed) */
	forget(o->slot);
	free(o->tmp);
	free(o->path);
	free(o);
}

/* Gives the complete unnamed file its name: the target itself when it must
 * not be replaced (linkat refuses an existing name); else a temporary name,
 * renamed over the target at once. Only a SIGKILL in the instant between
 * those two calls can leave the temporary name behind (whole, never
 * partial): the other signals remove it. */
static int name_unnamed(pep_outfile *o)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->f));
	if (!o->replace)
		return linkat(AT_FDCWD, proc, AT_FDCWD, o->path, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
	/* A free temporary name: linkat itself refuses one that exists, so no
	 * placeholder file is made (a kill could leave that behind, empty). */
	static atomic_uint counter;
	char *x = o->tmp + strlen(o->tmp) - strlen("XXXXXX.tmp");
	for (int attempt = 0; attempt < 100; attempt++) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t v = ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
		             ((uint64_t)atomic_fetch_add(&counter, 1) * 0x9E3779B97F4A7C15u);
		for (int i = 0; i < 6; i++, v /= 62)
			x[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[v % 62];
		o->slot = remember(o->tmp);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0) {
			o->has_tmp = true;
			if (rename(o->tmp, o->path) != 0)
				return errno; /* (discard removes the temporary name) */
			o->has_tmp = false;
			return 0;
		}
		int e = errno;
		forget(o->slot); /* the name is not ours: leave it */
		o->slot = -1;
		if (e != EEXIST)
			return e;
	}
	return EEXIST;
}

/* Makes the rename itself durable (best effort: some filesystems cannot). */
static void sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

bool pep_outfile_commit(pep_outfile *o, char **err)
{
	*err = NULL;
	int e = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(o->f)) != 0 && errno != EINVAL)
		e = errno;
	if (!e && o->unnamed) {
		e = name_unnamed(o);
		if (!e)
			goto done; /* named in place: nothing to rename */
	}
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
done:
	if (e) {
		*err = e == EEXIST ? xasprintf("%s already exists; use --force to replace it", o->path)
		                   : xasprintf("cannot write %s: %s%s", o->path, strerror(e),
		                               e == ENOSPC ? " (the disk is full; nothing was written)" : "");
	} else {
		sync_folder(o->path);
	}
	discard(o); /* after a successful rename, the temporary name is gone */
	return e == 0;
}

void pep_outfile_abort(pep_outfile *o)
{
	if (o)
		discard(o);
}
