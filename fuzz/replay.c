/* replay.c: runs a fuzz target on files, without libFuzzer: each argument
 * is a file, or a folder whose files are all run. make check replays the
 * seeds and fuzz/regressions/ this way, under the sanitizers when asked. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	static unsigned char buf[40 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	/* A target may change folder when it starts (fuzz_cli does): make the
	 * paths absolute first. */
	static char abs[64][4096];
	for (int i = 1; i < argc && i < 64; i++)
		if (realpath(argv[i], abs[i]))
			argv[i] = abs[i];
	LLVMFuzzerInitialize(&argc, &argv);
	int failures = 0, count = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			for (struct dirent *e; d && (e = readdir(d));) {
				if (e->d_name[0] == '.')
					continue;
				char path[4096];
				snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
				failures += run_file(path);
				count++;
			}
			if (d)
				closedir(d);
		} else {
			failures += run_file(argv[i]);
			count++;
		}
	}
	printf("replayed %d inputs\n", count);
	return failures != 0;
}
