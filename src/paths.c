/* paths.c: finding pep's data files. */
#include "paths.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "xalloc.h"

#ifndef PEP_DATADIR_DEFAULT
#define PEP_DATADIR_DEFAULT "/usr/local/share/pep"
#endif

/* The directory of the running program (caller frees), or NULL. */
static char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(buf);
}

/* Fills dirs[] (each caller-freed) and returns how many. */
static int candidates(char *dirs[4])
{
	int n = 0;
	const char *env = getenv("PEP_DATADIR");
	if (env && *env) {
		dirs[n++] = xstrdup(env);
		return n;
	}
	char *exe = exe_dir();
	if (exe) {
		dirs[n++] = xasprintf("%s/../share/pep", exe);
		dirs[n++] = xasprintf("%s/..", exe);
		free(exe);
	}
	dirs[n++] = xstrdup(PEP_DATADIR_DEFAULT);
	return n;
}

char *pep_data_file(const char *rel)
{
	char *dirs[4];
	int n = candidates(dirs);
	char *found = NULL;
	for (int i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dirs[i], rel);
		char real[PATH_MAX];
		if (!found && access(p, R_OK) == 0)
			found = xstrdup(realpath(p, real) ? real : p);
		free(p);
		free(dirs[i]);
	}
	return found;
}

char *pep_data_file_needed(const char *rel, char **err)
{
	char *found = pep_data_file(rel);
	if (!found) {
		char *dirs = pep_data_dirs();
		const char *slash = strrchr(rel, '/');
		*err = xasprintf("cannot find %s in %s; reinstall pep, or set PEP_DATADIR to the folder that holds %.*s/",
		                 rel, dirs, slash ? (int)(slash - rel) : 0, rel);
		free(dirs);
	}
	return found;
}

char *pep_data_dirs(void)
{
	char *dirs[4];
	int n = candidates(dirs);
	pep_buf b = PEP_BUF_INIT;
	for (int i = 0; i < n; i++) {
		if (i)
			pep_buf_puts(&b, ", ");
		pep_buf_puts(&b, dirs[i]);
		free(dirs[i]);
	}
	return pep_buf_detach(&b);
}

/* Remembers the folder at path (its real path) in out[*n] when it is one. */
static void add_folder(const char *path, char **out, size_t max, size_t *n)
{
	char real[PATH_MAX];
	struct stat st;
	if (*n < max && realpath(path, real) && stat(real, &st) == 0 && S_ISDIR(st.st_mode))
		out[(*n)++] = xstrdup(real);
}

size_t pep_data_folders(char **out, size_t max)
{
	static const char *const parts[] = {"schemas", "stylesheets", "fonts", "data", "icc"};
	char *dirs[4];
	int nd = candidates(dirs);
	size_t n = 0;
	for (int i = 0; i < nd; i++) {
		for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
			char *p = xasprintf("%s/%s", dirs[i], parts[k]);
			add_folder(p, out, max, &n);
			free(p);
		}
		free(dirs[i]);
	}
	const char *path = getenv("PEP_CALENDAR_PATH");
	if (path && *path) {
		char *copy = xstrdup(path), *save = NULL;
		for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
			add_folder(dir, out, max, &n);
		free(copy);
	}
	return n;
}
