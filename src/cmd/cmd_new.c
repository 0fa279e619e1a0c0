/* cmd_new.c: pep new --la CODE --kind KIND [-o FILE] [--force] */
#include <stdlib.h>
#include <string.h>

#include "author.h"
#include "cli.h"

enum { OPT_KIND = 300 };

static const pep_option options[] = {
	{"la", PEP_OPT_LA, "CODE", "the LA that looks after the child (kent, southwark, kirklees, medway, ...)"},
	{"kind", OPT_KIND, "KIND", "initial, review, transition, post-16, early-years or no-provision"},
	PEP_OUTPUT_OPTIONS,
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"new --la CODE --kind KIND [-o FILE] [--force]", NULL};

static const pep_usage usage = {
	synopsis,
	"Writes a skeleton PEP of that kind for that LA: every element of the form in\n"
	"the schema's order, each with a comment saying what goes there and who\n"
	"completes it (the schema's own words), empty where a person must decide.\n"
	"It is valid as it stands; 'pep validate --stage draft FILE' lists what is\n"
	"still to fill in. A no-provision PEP has noEducationalProvision instead of\n"
	"school; only a post-16 PEP has the post16 block. docs/guide.md shows each step.",
	options,
	"Exit status: 0 written; 2 not done as asked (a bad option, FILE exists\n"
	"without --force, or FILE cannot be written; nothing is then written).",
};

struct args {
	pep_check_args check; /* for --la, parsed as every command parses it */
	int kind;             /* pep_kind, 0 until given */
	pep_output_args out;
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int i;
	switch (key) {
	case OPT_KIND:
		if (!pep_cli_choice(cli, "kind", arg, pep_kind_names + 1, &i))
			return PEP_EXIT_USAGE;
		a->kind = i + 1;
		return 0;
	default:
		if (pep_output_args_option(&a->out, key, arg) == 0)
			return 0;
		int r = pep_check_args_option(cli, &a->check, key, arg);
		return r >= 0 ? r : PEP_EXIT_USAGE;
	}
}

int pep_cmd_new(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	pep_check_args_init(&a.check);
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first < argc)
		return pep_cli_usage_error(cli, "unexpected argument '%s' (the output file is given with -o FILE)", argv[first]);
	const char *la = a.check.cfg.la;
	if (!la)
		return pep_cli_usage_error(cli, "--la is required: the code of the LA that looks after the child, e.g. kent");
	if (!a.kind)
		return pep_cli_usage_error(cli, "--kind is required: initial, review, transition, post-16, early-years or no-provision");

	if (pep_cli_check_output(cli, &a.out, NULL, NULL, false) != PEP_EXIT_OK)
		return PEP_EXIT_USAGE;
	int status = PEP_EXIT_USAGE;
	char *err = NULL, *text = NULL;
	a.check.cfg.la = NULL; /* any LA may be written; the checker judges documents */
	pep_checker *checker = pep_checker_new(&a.check.cfg, &err);
	if (!checker) {
		pep_cli_error(cli, "%s", err);
		goto out;
	}
	size_t len = 0;
	text = pep_cli_skeleton(cli, checker, la, a.kind, &len);
	if (!text)
		goto out;
	status = pep_cli_write_output(cli, &a.out, NULL, text, len);
out:
	free(text);
	free(err);
	pep_checker_free(checker);
	return status;
}
