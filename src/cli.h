/* cli.h: the command line. Only main.c, cli.c and the cmd_*.c files read
 * argv, print, or decide the exit status.
 *
 * Exit status (docs/pep.1, EXIT STATUS): 0 done and nothing checked has an error; 1 done
 * and at least one file has an error; 2 not done as asked. */
#ifndef PEP_CLI_H
#define PEP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "batch.h"
#include "check.h"
#include "outfile.h"
#include "report.h"

enum { PEP_EXIT_OK = 0, PEP_EXIT_ERRORS = 1, PEP_EXIT_USAGE = 2 };

/* Runs the program: `pep COMMAND ARGS...`, writing to out and err. Returns
 * the exit status. Callable repeatedly in one process (tests, fuzzers). */
int pep_main(int argc, char **argv, FILE *out, FILE *err);

typedef struct pep_cli {
	FILE *out, *err;
	const char *command; /* "validate", ... */
	bool parse_only;     /* read the options, do nothing (the fuzzer's mode) */
} pep_cli;

/* pep_main with the streams and mode in cli (its command is set here). */
int pep_cli_run(pep_cli *cli, int argc, char **argv);

/* One option of a subcommand: drives getopt_long and the --help text. */
typedef struct pep_option {
	const char *name; /* long name */
	int key;          /* short option letter, or a code >= 256 for long-only */
	const char *arg;  /* the argument's name, NULL for a flag */
	const char *help; /* one line */
} pep_option;

/* A subcommand's usage: synopsis lines (each without "pep "), a paragraph,
 * its options (ending with {NULL}) and an optional closing paragraph. */
typedef struct pep_usage {
	const char *const *synopsis;
	const char *description;
	const pep_option *options;
	const char *epilog;
} pep_usage;

/* Parses the options of argv[1..] with getopt_long, calling on_option for
 * each (it returns 0 to go on, or an exit status to stop). --help prints the
 * usage and stops with 0. Returns -1 when parsing finished, with *first the
 * index of the first operand; otherwise the exit status to return. With
 * cli->parse_only, returns 0 where it would return -1. */
typedef int (*pep_on_option)(pep_cli *cli, void *ctx, int key, const char *arg);
int pep_cli_parse(pep_cli *cli, const pep_usage *u, int argc, char **argv, pep_on_option on_option,
                  void *ctx, int *first);
/* Prints the usage of the current command to out. */
void pep_cli_usage(pep_cli *cli, const pep_usage *u, FILE *out);
/* Prints "pep CMD: message" and "Try 'pep CMD --help'." to err; returns 2. */
int pep_cli_usage_error(pep_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "pep CMD: message" to err. */
void pep_cli_error(pep_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Strict value parsers: false (after a usage message) on a bad value. */
bool pep_cli_date(pep_cli *cli, const char *opt, const char *arg, pep_day *out);
bool pep_cli_int(pep_cli *cli, const char *opt, const char *arg, long min, long max, long *out);
/* arg must be one of names[] (NULL-terminated); *out gets its index. */
bool pep_cli_choice(pep_cli *cli, const char *opt, const char *arg, const char *const *names, int *out);

/* The options of the batch commands (check, caseload): -j, --excel,
 * --no-progress and --follow-links. */
enum { PEP_OPT_JOBS = 'j', PEP_OPT_EXCEL = 290, PEP_OPT_NO_PROGRESS, PEP_OPT_FOLLOW_LINKS };
#define PEP_BATCH_OPTIONS \
	{"jobs", PEP_OPT_JOBS, "N", "check with N threads (default: the number of processors)"}, \
	{"excel", PEP_OPT_EXCEL, NULL, "CSV for Excel: a UTF-8 byte-order mark, formulas neutralised (implies --format csv)"}, \
	{"no-progress", PEP_OPT_NO_PROGRESS, NULL, "no progress line on a terminal"}, \
	{"follow-links", PEP_OPT_FOLLOW_LINKS, NULL, "follow symbolic links that lead outside the folders named too"}

typedef struct pep_batch_args {
	long jobs;         /* threads */
	bool excel;        /* --excel */
	bool progress;     /* a progress line (on a terminal, unless --no-progress) */
	bool follow_links; /* --follow-links */
} pep_batch_args;

void pep_batch_args_init(pep_cli *cli, pep_batch_args *b);
/* Handles one of the batch options: 0 when handled, 2 on a bad value, -1
 * when key is not one of them. */
int pep_batch_args_option(pep_cli *cli, pep_batch_args *b, int key, const char *arg);

/* --format: arg must name one of the formats offered (a mask of
 * 1u << pep_report_format: PEP_REPORT_OFFERED of the command's writers). */
bool pep_cli_format(pep_cli *cli, const char *arg, unsigned offered, pep_report_format *out);

/* The walk of a batch command (check, caseload) over paths[0..n): names
 * each path that does not exist (then *status is 2), checks every file
 * with b's threads calling emit in path order (following links as b says),
 * shows a progress line on a terminal when b asks, and says so when no
 * file was found (*status 2). Returns how many items there were. */
size_t pep_cli_batch(pep_cli *cli, const pep_checker *checker, const char *const *paths, size_t n,
                     const pep_batch_args *b, pep_batch_emit emit, void *ctx, int *status);

/* The options of a command that writes a file: -o FILE and --force. Every
 * output follows outfile.h's one policy: an existing file is replaced only
 * with --force (or, for a PDF, when it is pep's own for the same child's
 * same meeting), never an input, never a device renamed over. */
enum { PEP_OPT_FORCE = 270 };
#define PEP_FORCE_OPTION {"force", PEP_OPT_FORCE, NULL, "replace FILE if it exists (never a file the command reads)"}
#define PEP_OUTPUT_OPTIONS \
	{"output", 'o', "FILE", "write to FILE (default: standard output)"}, \
	PEP_FORCE_OPTION

typedef struct pep_output_args {
	const char *path; /* NULL or "-": standard output */
	bool force;       /* replace an existing file */
} pep_output_args;

/* Handles -o or --force: 0 when handled, -1 when key is neither. */
int pep_output_args_option(pep_output_args *o, int key, const char *arg);
/* The outfile.h policy for these options: PEP_REPLACE_ALWAYS with --force,
 * else PEP_REPLACE_SAME when the output has an identity, else
 * PEP_REPLACE_NEVER; "-" is cli->out. inputs and identity are borrowed. */
pep_output_policy pep_output_args_policy(pep_cli *cli, const pep_output_args *o, const pep_inputs *inputs,
                                         const char *identity, bool binary);
/* Refuses at once what the output could not be (outfile.h's
 * pep_outfile_check under that policy), before the command does its work:
 * prints why and returns 2, or returns 0. */
int pep_cli_check_output(pep_cli *cli, const pep_output_args *o, const pep_inputs *inputs, const char *identity,
                         bool binary);
/* Writes text[0..len) to o->path (or standard output) under that policy
 * (no identity, text). Returns 0 when written; otherwise prints why and
 * returns 2. */
int pep_cli_write_output(pep_cli *cli, const pep_output_args *o, const pep_inputs *inputs, const char *text,
                         size_t len);

/* Refuses (prints why, returns 2) standard output that is one of files[0..n)
 * or in pep's own data (a shell's ">> in.xml": outfile.h's
 * pep_outfile_stream_refused), before the work; else returns 0. */
int pep_cli_check_stdout(pep_cli *cli, const char *const *files, size_t n);

/* The options every checking command shares: --la --stage --as-of
 * --calendar --strict (and --format, whose names differ per command). */
enum { PEP_OPT_LA = 256, PEP_OPT_STAGE, PEP_OPT_AS_OF, PEP_OPT_CALENDAR, PEP_OPT_STRICT, PEP_OPT_FORMAT, PEP_OPT_MAX_SIZE };
/* --max-size: the largest PEP file read (xml.h's PEP_MAX_FILE_SIZE unless given). */
#define PEP_MAX_SIZE_OPTION \
	{"max-size", PEP_OPT_MAX_SIZE, "MB", "read files of up to MB megabytes (default 8; a PEP is 20 to 60 KB)"}
#define PEP_CHECK_OPTIONS \
	{"la", PEP_OPT_LA, "CODE", "check with this LA's rules instead of the document's (kent, southwark, kirklees, ...)"}, \
	{"stage", PEP_OPT_STAGE, "STAGE", "draft, signoff (the default) or upload"}, \
	{"as-of", PEP_OPT_AS_OF, "YYYY-MM-DD", "the date overdue checks compare with (default: today)"}, \
	{"calendar", PEP_OPT_CALENDAR, "FILE", "add or replace a school calendar (may be repeated)"}, \
	{"strict", PEP_OPT_STRICT, NULL, "count warnings as errors"}, \
	PEP_MAX_SIZE_OPTION

typedef struct pep_check_args {
	pep_check_config cfg;
	const char *calendars[64];
} pep_check_args;

void pep_check_args_init(pep_check_args *a);
/* Handles one of the shared options (and --max-size): 0 when handled, 2 on
 * a bad value, -1 when key is not a shared option. */
int pep_check_args_option(pep_cli *cli, pep_check_args *a, int key, const char *arg);
/* The checker for these options (caller frees with pep_checker_free), or
 * NULL after printing why it could not be made (exit status 2). */
pep_checker *pep_check_args_checker(pep_cli *cli, const pep_check_args *a);

/* The skeleton of a new PEP of kind (a pep_kind) for the LA with code la,
 * as pep new writes it (author.h), made with the checker's schema and
 * calendars; an LA pep does not know is noted on standard error. Returns
 * the text (caller frees) and *len, or NULL after printing why (exit 2). */
char *pep_cli_skeleton(pep_cli *cli, pep_checker *checker, const char *la, int kind, size_t *len);

/* Subcommands (cmd_*.c). */
int cmd_validate(pep_cli *cli, int argc, char **argv);
int cmd_rules(pep_cli *cli, int argc, char **argv);
int cmd_check(pep_cli *cli, int argc, char **argv);
int cmd_due(pep_cli *cli, int argc, char **argv);
int cmd_calendar(pep_cli *cli, int argc, char **argv);
int cmd_render(pep_cli *cli, int argc, char **argv);
int cmd_convert(pep_cli *cli, int argc, char **argv);
int cmd_new(pep_cli *cli, int argc, char **argv);
int cmd_next(pep_cli *cli, int argc, char **argv);
int cmd_caseload(pep_cli *cli, int argc, char **argv);
int cmd_edit(pep_cli *cli, int argc, char **argv);

#endif
