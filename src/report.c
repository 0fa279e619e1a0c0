/* report.c: the names of the output formats (report.h). */
#include "report.h"

#include <stddef.h>

#define PEP_REPORT_FORMAT_NAME(n, s, a) s,
const char *const pep_report_format_names[] = {PEP_REPORT_FORMAT_LIST(PEP_REPORT_FORMAT_NAME, ) NULL};
