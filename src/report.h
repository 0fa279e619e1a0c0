/* report.h: the output formats pep writes, in one table.
 *
 * A command that writes a report offers some of these formats, with one
 * writer for each in a table indexed by pep_report_format (NULL where it
 * offers none). --format picks the writer by name (pep_cli_format in
 * cli.h); the command then calls writers[format], and nothing compares
 * format numbers. */
#ifndef PEP_REPORT_H
#define PEP_REPORT_H

/* X(NAME, "name", a): a is passed through (see PEP_REPORT_OFFERED). */
#define PEP_REPORT_FORMAT_LIST(X, a) \
	X(TEXT, "text", a) \
	X(JSON, "json", a) \
	X(CSV, "csv", a) \
	X(MARKDOWN, "markdown", a) \
	X(HTML, "html", a)

#define PEP_REPORT_FORMAT_ITEM(n, s, a) PEP_REPORT_##n,
typedef enum pep_report_format { PEP_REPORT_FORMAT_LIST(PEP_REPORT_FORMAT_ITEM, ) PEP_REPORT_FORMATS } pep_report_format;
#undef PEP_REPORT_FORMAT_ITEM

/* The formats a writer table offers, as a mask of 1u << format: its
 * entries that are not NULL. */
#define PEP_REPORT_OFFER(n, s, t) | ((t)[PEP_REPORT_##n] ? 1u << PEP_REPORT_##n : 0u)
#define PEP_REPORT_OFFERED(t) (0u PEP_REPORT_FORMAT_LIST(PEP_REPORT_OFFER, t))

/* "text", "json", ... (PEP_REPORT_FORMATS of them, then NULL). */
extern const char *const pep_report_format_names[];

#endif
