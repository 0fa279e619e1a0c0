/* cmd_due.c: pep due --la CODE --from DATE (--school-days N | --working-days N | --months N) */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"

enum { OPT_FROM = 300, OPT_SCHOOL, OPT_WORKING, OPT_MONTHS, OPT_URN };

static const pep_option options[] = {
	{"la", PEP_OPT_LA, "CODE", "the local authority whose term dates count (kent, southwark, kirklees, ...)"},
	{"from", OPT_FROM, "YYYY-MM-DD", "the day counting starts after (it is not counted itself)"},
	{"school-days", OPT_SCHOOL, "N", "the Nth school day after --from"},
	{"working-days", OPT_WORKING, "N", "the Nth working day (Monday to Friday, not a bank holiday) after --from"},
	{"months", OPT_MONTHS, "N", "the same day N months later (clamped to the end of a shorter month)"},
	{"urn", OPT_URN, "URN", "count with this school's own calendar, when one is installed"},
	{"calendar", PEP_OPT_CALENDAR, "FILE", "add or replace a calendar (may be repeated)"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {
	"due --la CODE --from YYYY-MM-DD (--school-days N | --working-days N | --months N)", NULL};

static const pep_usage usage = {
	synopsis,
	"Prints a statutory deadline, counted as docs/rules-notes.md says: \"within N\n"
	"school days of D\" ends on the Nth school day after D (D is not counted);\n"
	"school days are the working days inside a term of the school calendar;\n"
	"\"within 6 months\" ends on the same day 6 months later, clamped.\n"
	"Examples: Kent's initial PEP after an unplanned placement (10 school days),\n"
	"Southwark's initial PEP (10 working days), a review (6 months).",
	options,
	"Exit status: 0 the deadline is printed; 2 bad usage, or no calendar covers the\n"
	"dates needed (the message says which, and how to add one).",
};

struct args {
	pep_check_args check;
	pep_day from;
	int kind; /* OPT_SCHOOL, OPT_WORKING, OPT_MONTHS, or 0 */
	long n;
	const char *urn;
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	switch (key) {
	case OPT_FROM:
		return pep_cli_date(cli, "from", arg, &a->from) ? 0 : PEP_EXIT_USAGE;
	case OPT_SCHOOL:
	case OPT_WORKING:
	case OPT_MONTHS:
		if (a->kind && a->kind != key)
			return pep_cli_usage_error(cli, "give one of --school-days, --working-days or --months");
		a->kind = key;
		return pep_cli_int(cli, key == OPT_SCHOOL ? "school-days" : key == OPT_WORKING ? "working-days" : "months", arg,
		                   0, key == OPT_MONTHS ? 120 : 1000, &a->n)
		           ? 0
		           : PEP_EXIT_USAGE;
	case OPT_URN:
		if (strlen(arg) != 6 || strspn(arg, "0123456789") != 6)
			return pep_cli_usage_error(cli, "--urn '%s' is not a URN: 6 digits", arg);
		a->urn = arg;
		return 0;
	default: {
		int r = pep_check_args_option(cli, &a->check, key, arg);
		return r >= 0 ? r : PEP_EXIT_USAGE;
	}
	}
}

int pep_cmd_due(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	pep_check_args_init(&a.check);
	a.from = PEP_NO_DAY;
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first < argc)
		return pep_cli_usage_error(cli, "unexpected argument '%s'", argv[first]);
	if (!a.check.cfg.la)
		return pep_cli_usage_error(cli, "--la is required: the local authority whose calendar counts");
	if (a.from == PEP_NO_DAY)
		return pep_cli_usage_error(cli, "--from is required: the date counting starts after");
	if (!a.kind)
		return pep_cli_usage_error(cli, "give one of --school-days N, --working-days N or --months N");

	pep_diags **errs = NULL;
	size_t nerrs = 0;
	if (pep_cli_check_stdout(cli, a.check.cfg.calendars, a.check.cfg.ncalendars) != PEP_EXIT_OK)
		return PEP_EXIT_USAGE;
	pep_calendars *cals = pep_calendars_load(a.check.cfg.calendars, a.check.cfg.ncalendars, &errs, &nerrs);
	if (!cals) {
		for (size_t i = 0; i < nerrs; i++) {
			for (size_t k = 0; k < pep_diags_count(errs[i]); k++) {
				const pep_diag *g = pep_diags_at(errs[i], k);
				pep_cli_error(cli, "%s:%d: [%s] %s", pep_diags_file(errs[i]), g->line, g->rule, g->message);
			}
			pep_diags_free(errs[i]);
		}
		free(errs);
		return PEP_EXIT_USAGE;
	}
	int status = PEP_EXIT_OK;
	const char *la = a.check.cfg.la;
	if (!pep_la_known(cals, la) || strcmp(la, "default") == 0) {
		if (a.kind == OPT_SCHOOL && !a.urn) {
			char *known = pep_known_las(cals);
			pep_cli_error(cli, "unknown LA '%s' for counting school days: the LAs with term dates are %s", la, known);
			free(known);
			status = PEP_EXIT_USAGE;
			goto out;
		}
	}
	pep_day out = PEP_NO_DAY, missing = PEP_NO_DAY;
	pep_cal_status st = PEP_CAL_OK;
	if (a.kind == OPT_MONTHS)
		out = pep_date_add_months(a.from, (int)a.n);
	else if (a.kind == OPT_WORKING)
		st = pep_cal_add_working_days(cals, a.from, (int)a.n, &out, &missing);
	else
		st = pep_cal_add_school_days(cals, la, a.urn, a.from, (int)a.n, &out, &missing);
	if (st != PEP_CAL_OK) {
		char *msg = pep_cal_uncovered(cals, la, a.urn, missing, a.kind == OPT_SCHOOL, "this count");
		pep_cli_error(cli, "[%s] %s", pep_rules[PEP_RULE_CAL01].id, msg);
		free(msg);
		status = PEP_EXIT_USAGE;
		goto out;
	}
	char buf[11];
	if (!pep_date_in_range(out)) {
		/* (out may be past year 9999: only its side is said) */
		pep_date_format(a.from, buf);
		pep_cli_error(cli, "the deadline counted from %s falls %s %s, outside the dates a PEP can hold: check --from",
		              buf, out < a.from ? "before" : "after", out < a.from ? PEP_DATE_FIRST : PEP_DATE_LAST);
		status = PEP_EXIT_USAGE;
		goto out;
	}
	pep_date_format(out, buf);
	fprintf(cli->out, "%s\n", buf);
	if (a.kind == OPT_SCHOOL && pep_cal_low_confidence(cals, la, a.urn, out))
		pep_cli_error(cli, "note: counted with term dates of low confidence: %s",
		              pep_cal_describe(cals, la, a.urn, out));
out:
	pep_calendars_free(cals);
	return status;
}
