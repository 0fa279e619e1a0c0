/* fuzz_cli.c: the command line's option parsing, for every command. The
 * input is split into arguments at NUL and newline bytes; byte 0 chooses the
 * command. The options are read and checked as the command reads them (every
 * value parser, every usage error, --help), and the command then stops
 * (cli.parse_only), so the fuzzer reads and writes no file; what the
 * commands do with their files is fuzzed by the other targets. Arguments
 * naming a path are still confined to a sample and a folder without PEPs. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz.h"

static FILE *null_out;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	null_out = fopen("/dev/null", "w");
	if (!null_out || chdir(PEP_SOURCE_DIR "/samples") != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const commands[] = {"validate", "check", "render", "convert", "new", "next",
	                                       "due", "rules", "calendar", "--help", "--version", "nonsense", "edit",
	                                       "caseload"};
	if (size < 1 || size > 4096)
		return 0;
	char *copy = malloc(size);
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	char *argv[64];
	int argc = 0;
	argv[argc++] = "pep";
	argv[argc++] = (char *)commands[data[0] % (sizeof commands / sizeof commands[0])];
	char *p = copy, *end = copy + size - 1;
	while (p < end && argc < 62) {
		char *q = p;
		while (q < end && *q && *q != '\n')
			q++;
		*q = '\0';
		/* A path is only ever the sample, or a folder without PEPs. */
		if (*p == '/' || strstr(p, ".."))
			argv[argc++] = "kent-early-years.xml";
		else if (*p && *p != '-' && strchr(p, '/'))
			argv[argc++] = "invalid";
		else
			argv[argc++] = p;
		p = q + 1;
	}
	argv[argc] = NULL;
	pep_cli cli = {null_out, null_out, NULL, true};
	pep_cli_run(&cli, argc, argv);
	free(copy);
	return 0;
}
