/* html.h: a document (document.h) as one self-contained HTML page.
 *
 * The accessible version of what the PDF shows, from the same document:
 * lang="en-GB", the title as the one h1, sections as h2 and their parts as
 * h3, in order; label/value tables with row headers (<th scope="row">),
 * other tables with column headers (<th scope="col">) and their key column
 * as row headers; the marking, the running header, the LA child id and the
 * NOT SIGNED OFF band at the head of the page and, in print, on every page
 * (CSS page margin boxes, with "Page X of Y"). A paper form's empty fields
 * are ruled lines, its empty cells room to write.
 *
 * The document's identity, when it has one, is <meta name="pep-identity">.
 *
 * The page fetches nothing: no script, no font, no image, no link; its
 * Content-Security-Policy says so to the browser (default-src 'none', with
 * only the page's own inline style allowed).
 *
 * Ownership: the text is appended to the caller's buffer; the document is
 * borrowed. */
#ifndef PEP_HTML_H
#define PEP_HTML_H

#include "document.h"
#include "strbuf.h"

/* Appends the HTML page of doc to out (UTF-8). */
void pep_html_write(const pep_document *doc, pep_buf *out);

#endif
