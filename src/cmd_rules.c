/* cmd_rules.c: pep rules [--format text|markdown|json] */
#include "cli.h"

static const pep_option options[] = {
	{"format", PEP_OPT_FORMAT, "FORMAT", "text (the default), markdown (as docs/rules.md) or json"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {"rules [--format text|markdown|json]", NULL};

static const pep_usage usage = {
	synopsis,
	"Lists the rule catalogue as this program implements it: each rule's id,\n"
	"severity, the local authorities (profiles) it applies to, the stage from\n"
	"which it applies, what it checks and the documents it comes from. The\n"
	"markdown (docs/rules.md) ends with what each LA's profile adds: its local\n"
	"rules, the warnings it treats as errors and its limits; the JSON lists the\n"
	"profiles too.",
	options,
	NULL,
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	int *format = ctx;
	if (key == PEP_OPT_FORMAT)
		return pep_cli_choice(cli, "format", arg, pep_rules_format_names, format) ? 0 : PEP_EXIT_USAGE;
	return PEP_EXIT_USAGE;
}

int cmd_rules(pep_cli *cli, int argc, char **argv)
{
	int format = PEP_RULES_TEXT, first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &format, &first);
	if (r >= 0)
		return r;
	if (first < argc)
		return pep_cli_usage_error(cli, "unexpected argument '%s'", argv[first]);
	pep_rules_write(cli->out, (pep_rules_format)format);
	return PEP_EXIT_OK;
}
