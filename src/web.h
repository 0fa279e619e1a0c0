/* web.h: the editor's page (`pep edit`), built into the program.
 *
 * The page's files are real files in src/web/ (edit.html, edit.css,
 * edit.js, icon.svg); the Makefile turns them into a C table
 * (src/web/embed.sh) that is compiled into pep. They are embedded rather
 * than installed so that the page served is exactly the one built and
 * tested with this pep: no file in the data directory can change the script
 * that runs with access to a child's PEP, and serving the page opens no
 * file at all.
 *
 * Ownership: the table and its bytes are static. */
#ifndef PEP_WEB_H
#define PEP_WEB_H

#include <stddef.h>

typedef struct pep_web_file {
	const char *name; /* "edit.js" */
	const char *type; /* its Content-Type */
	const unsigned char *data;
	size_t len;
} pep_web_file;

/* Every file of the page; ends with {NULL}. */
extern const pep_web_file pep_web_files[];

#endif
