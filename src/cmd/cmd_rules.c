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
	"which it applies, what it checks and the documents it comes from. Limits\n"
	"an LA sets (days, months, targets) come from its profile, the profiles that\n"
	"differ in brackets. Every format ends with the profiles: their local rules,\n"
	"the warnings they treat as errors, their limits and where each comes from\n"
	"(docs/rules.md is the markdown).",
	options,
	NULL,
};

/* The writers, one per format offered. */
static void (*const writers[PEP_REPORT_FORMATS])(FILE *out) = {
	[PEP_REPORT_TEXT] = pep_rules_write_text,
	[PEP_REPORT_MARKDOWN] = pep_rules_write_markdown,
	[PEP_REPORT_JSON] = pep_rules_write_json,
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	pep_report_format *format = ctx;
	if (key == PEP_OPT_FORMAT)
		return pep_cli_format(cli, arg, PEP_REPORT_OFFERED(writers), format) ? 0 : PEP_EXIT_USAGE;
	return PEP_EXIT_USAGE;
}

int pep_cmd_rules(pep_cli *cli, int argc, char **argv)
{
	pep_report_format format = PEP_REPORT_TEXT;
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &format, &first);
	if (r >= 0)
		return r;
	if (first < argc)
		return pep_cli_usage_error(cli, "unexpected argument '%s'", argv[first]);
	writers[format](cli->out);
	return PEP_EXIT_OK;
}
