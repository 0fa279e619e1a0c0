/* paths.c: finding pep's data files. */
#include "paths.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
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
