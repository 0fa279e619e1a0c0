/* cmd_convert.c: pep convert --to FORMAT [options] FILE [-o OUT] */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "convert.h"
#include "json.h"
#include "outfile.h"
#include "xalloc.h"

enum { OPT_TO = 300, OPT_STRICT_FORM, OPT_SHOW_VALUES };

static const char *const report_formats[] = {"text", "json", NULL};

static const pep_option options[] = {
	{"to", OPT_TO, "FORMAT", "the format to convert to: kent (the canonical A-D format) or southwark (Southwark's 1-4 form)"},
	{"output", 'o', "OUT", "write the converted PEP to OUT (default: standard output)"},
	PEP_FORCE_OPTION,
	{"strict-form", OPT_STRICT_FORM, NULL, "write only what the target form holds, without the carried block"},
	{"strict", PEP_OPT_STRICT, NULL, "refuse to convert when any value would be left out"},
	{"show-values", OPT_SHOW_VALUES, NULL, "quote values from the file in the report: the ones the target form has no place for, and in problems"},
	{"format", PEP_OPT_FORMAT, "FORMAT", "the report on standard error: text (the default) or json"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {
	"convert --to FORMAT [--strict-form] [--strict] [--show-values] FILE [-o OUT [--force]]", NULL};

static const pep_usage usage = {
	synopsis,
	"Converts a PEP between the Kent (canonical, sections A-D) format and\n"
	"Southwark's PEP form (sections 1-4) with the project's XSLT stylesheets. The\n"
	"file's format is found from its namespace, and the file is checked against\n"
	"its own schema first; the result is checked against the target's schema\n"
	"before it is written. What the target form has no place for (the workflow\n"
	"history, the quality assurance, ...) is carried in a block of its own at the\n"
	"end of the converted file and put back when it is converted back, so a round\n"
	"trip loses nothing; --strict-form leaves the block out.\n"
	"\n"
	"The report on standard error starts with one line of totals:\n"
	"  22 values have no place in Southwark's PEP form: workflow history (12), ...;\n"
	"  they are carried in the file and restored when it is converted back\n"
	"then one line per field, in the form's own words, with its lines and what to do:\n"
	"  carried: section D, how the child's views were used (line 300); Southwark's ...\n"
	"  (lost: with --strict-form), and one line per field the target form needs\n"
	"that the file does not have:\n"
	"  missing: section 3, conduct: the PEP has no conduct record: ask the school ...\n"
	"Converting back, a carried value is put back only while what it belongs to on\n"
	"the form is unchanged (the workflow history and quality assurance: the whole\n"
	"form); the others are listed as not restored:, with why and what to do.\n"
	"It quotes no value from the file, in the report or in a problem (\"UPN\n"
	"(value not shown) is not valid\"), unless --show-values is given: standard\n"
	"error ends up in logs. 'pep validate FILE' shows the problems with their values.",
	options,
	"Exit status: 0 converted; 1 the file is not a valid PEP, the result would not\n"
	"be valid, or (with --strict) a value would be left out, and nothing is\n"
	"written; 2 not done as asked (bad option, a file that cannot be read or\n"
	"written).",
};

struct args {
	const pep_format *to;
	pep_output_args out;
	bool strict, strict_form, show_values;
	int format; /* index in report_formats */
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int i;
	switch (key) {
	case OPT_TO:
		if (!pep_cli_choice(cli, "to", arg, pep_format_names(), &i))
			return PEP_EXIT_USAGE;
		a->to = pep_format_at((size_t)i);
		return 0;
	case 'o':
	case PEP_OPT_FORCE:
		return pep_output_args_option(&a->out, key, arg);
	case PEP_OPT_STRICT:
		a->strict = true;
		return 0;
	case OPT_STRICT_FORM:
		a->strict_form = true;
		return 0;
	case OPT_SHOW_VALUES:
		a->show_values = true;
		return 0;
	case PEP_OPT_FORMAT:
		return pep_cli_choice(cli, "format", arg, report_formats, &a->format) ? 0 : PEP_EXIT_USAGE;
	default:
		return PEP_EXIT_USAGE;
	}
}

/* The report and the diagnostics as one JSON document on standard error. */
static void write_json(pep_cli *cli, const char *path, const struct args *a, const pep_conversion *cv,
                       const pep_diags *d, bool written)
{
	pep_jw w;
	pep_jw_init_file(&w, cli->err, PEP_JW_LINES);
	pep_jw_object_begin(&w);
	pep_jw_kv_string(&w, "file", path);
	pep_jw_kv_bool(&w, "written", written);
	pep_jw_kv_string(&w, "output", written ? (a->out.path && strcmp(a->out.path, "-") != 0 ? a->out.path : "-") : NULL);
	pep_jw_kv_bool(&w, "strict_form", a->strict_form);
	if (cv) {
		pep_conversion_write_json(cv, a->show_values, &w);
	} else {
		pep_jw_kv_null(&w, "from");
		pep_jw_kv_string(&w, "to", a->to->name);
	}
	pep_jw_kv_array_begin(&w, "diagnostics");
	for (size_t i = 0; i < pep_diags_count(d); i++) {
		const pep_diag *g = pep_diags_at(d, i);
		pep_jw_object_begin(&w);
		pep_jw_kv_string(&w, "rule", g->rule);
		pep_jw_kv_string(&w, "severity", g->severity == PEP_ERROR ? "error" : "warning");
		if (g->line > 0)
			pep_jw_kv_int(&w, "line", g->line);
		else
			pep_jw_kv_null(&w, "line");
		pep_jw_kv_string(&w, "message", g->message);
		pep_jw_end(&w);
	}
	pep_jw_end(&w);
	pep_jw_end(&w);
	fputc('\n', cli->err);
}

int pep_cmd_convert(pep_cli *cli, int argc, char **argv)
{
	struct args a = {NULL, {NULL, false}, false, false, false, 0};
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (!a.to) {
		char *names = pep_format_name_list("--to ");
		r = pep_cli_usage_error(cli, "say which format to convert to: %s", names);
		free(names);
		return r;
	}
	if (first >= argc)
		return pep_cli_usage_error(cli, "no file given: name the PEP file to convert");
	if (argc - first > 1)
		return pep_cli_usage_error(cli, "one file at a time: '%s' and '%s' were both given", argv[first],
		                           argv[first + 1]);
	const char *path = argv[first];
	pep_inputs *inputs = pep_inputs_new();
	pep_inputs_add(inputs, path);
	if (pep_cli_check_output(cli, &a.out, inputs, NULL, false) != PEP_EXIT_OK) {
		pep_inputs_free(inputs);
		return PEP_EXIT_USAGE;
	}

	char *err = NULL;
	pep_converter *c = pep_converter_new(&err);
	if (!c) {
		pep_cli_error(cli, "%s", err);
		free(err);
		pep_inputs_free(inputs);
		return PEP_EXIT_USAGE;
	}
	bool json = a.format == 1;
	pep_diags *d = pep_diags_new(path);
	pep_conversion *cv = NULL;
	pep_convert_status st =
	    pep_convert_file(c, path, a.to,
	                     (a.strict_form ? PEP_CONVERT_STRICT_FORM : 0) | (a.show_values ? PEP_CONVERT_SHOW_VALUES : 0), d,
	                     &cv);

	/* The report first: even a refused conversion says what is missing. */
	if (cv && !json) {
		char **lines = NULL;
		size_t n = pep_conversion_report(cv, a.show_values, &lines);
		for (size_t i = 0; i < n; i++) {
			fprintf(cli->err, "%s\n", lines[i]);
			free(lines[i]);
		}
		free(lines);
	}
	int status;
	bool written = false;
	size_t left_out = cv ? pep_conversion_lost(cv) - pep_conversion_carried(cv) : 0;
	switch (st) {
	case PEP_CONVERT_OK:
		if (a.strict && left_out) {
			pep_diags_add(d, "CONV", PEP_ERROR, 0, 0, "%zu value%s would be left out of %s (--strict): nothing written",
			              left_out, left_out == 1 ? "" : "s", a.to->label);
			if (!json)
				pep_cli_error(cli, "%s: %s", path, pep_diags_at(d, pep_diags_count(d) - 1)->message);
			status = PEP_EXIT_ERRORS;
		} else {
			size_t len;
			const char *bytes = pep_conversion_output(cv, &len);
			status = pep_cli_write_output(cli, &a.out, inputs, bytes, len);
			written = status == PEP_EXIT_OK;
		}
		break;
	case PEP_CONVERT_INVALID:
	case PEP_CONVERT_OUTPUT_INVALID:
		pep_diags_sort(d);
		if (!json)
			pep_diags_write_text(cli->err, d);
		status = PEP_EXIT_ERRORS;
		break;
	default: /* unreadable, same format, failed: not done as asked */
		for (size_t k = 0; !json && k < pep_diags_count(d); k++)
			pep_cli_error(cli, "%s: %s", path, pep_diags_at(d, k)->message);
		status = PEP_EXIT_USAGE;
		break;
	}
	if (json)
		write_json(cli, path, &a, cv, d, written);
	pep_conversion_free(cv);
	pep_diags_free(d);
	pep_converter_free(c);
	pep_inputs_free(inputs);
	return status;
}
