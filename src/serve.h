/* serve.h: the editor's web server (`pep edit`), on GNU libmicrohttpd.
 *
 * It serves one session (edit.h) to one person's browser, and holds a
 * child's personal data, so (docs/security.md says how each is tested):
 *   - it listens on 127.0.0.1 only, and accepts connections from loopback only;
 *   - every request must carry the random secret (128 bits from getrandom())
 *     as the first part of its path, compared in constant time;
 *   - the Host header must name 127.0.0.1 or localhost with its port (DNS
 *     rebinding), and an Origin header, required on every POST, must be
 *     this server's (cross-site requests); a fetch from another site
 *     (Sec-Fetch-Site) is refused; a change must come as a form body with
 *     the header X-Pep-Edit, which no cross-site form can send;
 *   - it serves its own page (web.h), the state, and the PDF of the PEP,
 *     and writes only the PEP's file (through the session): no path from a
 *     request ever names a file;
 *   - a request body is at most PEP_SERVE_MAX_BODY bytes, headers at most
 *     64 KB, 16 connections at once; a connection that has not sent the
 *     headers of an admitted request PEP_SERVE_HEADER_SECONDS after it was
 *     accepted is closed, however slowly it sends them, and a refused
 *     request closes its connection; more than PEP_SERVE_BURST requests in
 *     a burst (PEP_SERVE_RATE a second after that) are answered 429, with
 *     a bucket for requests that carry the Host and the secret and another
 *     for those that do not (which can never shut the user out);
 *   - every response says Cache-Control: no-store, and the page's a strict
 *     Content-Security-Policy (nothing but its own script, style and images;
 *     no inline script; no frames; no form posts), no referrer, no sniffing.
 *
 * One thread (libmicrohttpd's, waiting in epoll when idle: no polling)
 * answers every request in turn, so the session is never used by two at
 * once; another closes connections at their deadline (asleep when none is
 * waiting). It prints nothing.
 *
 * Ownership: pep_serve_start() returns a server that pep_serve_stop()
 * stops and frees; it borrows the session, which must outlive it. */
#ifndef PEP_SERVE_H
#define PEP_SERVE_H

#include "edit.h"

#define PEP_SERVE_MAX_BODY (2u * 1024u * 1024u)
#define PEP_SERVE_BURST 200
#define PEP_SERVE_RATE 100
#define PEP_SERVE_HEADER_SECONDS 5

typedef struct pep_serve pep_serve;

typedef struct pep_serve_options {
	unsigned port;             /* 0: one the system chooses */
	int done_fd;               /* one byte is written here once the page's Close is answered */
	pep_edit_preview preview;  /* how the preview is rendered */
} pep_serve_options;

/* Starts serving e. Returns NULL and sets *err (caller frees) when it
 * cannot (the port is taken, say). */
pep_serve *pep_serve_start(pep_edit *e, const pep_serve_options *o, char **err);
/* The address to open: "http://127.0.0.1:PORT/SECRET/" (borrowed). */
const char *pep_serve_url(const pep_serve *s);
/* Stops (after the request in hand) and frees s; accepts NULL. */
void pep_serve_stop(pep_serve *s);

#endif
