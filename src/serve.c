/* serve.c: the editor's web server (see serve.h). */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "strbuf.h"
#include "web.h"
#include "xalloc.h"

#define SECRET_BYTES 16 /* 128 bits */
#define SECRET_HEX (2 * SECRET_BYTES)
#define MAX_CONNECTIONS 16

/* The page: its own script, style and images only; no inline script or
 * style, no plugins, no frames, no form posts, no base element. */
static const char page_csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/* The PDF: Chrome's viewer draws it in a document of its own that a
 * stricter policy breaks; a PDF runs no script of ours. */
static const char pdf_csp[] = "frame-ancestors 'none'";

/* The rate limit: a bucket of PEP_SERVE_BURST requests, refilled at
 * PEP_SERVE_RATE a second. */
typedef struct bucket {
	double tokens;
	struct timespec last;
} bucket;

/* A connection that has not yet sent the headers of an admitted request:
 * it is closed at its deadline (the sweeper), whatever it is sending. */
typedef struct pending {
	int fd;                   /* the connection's socket: valid while it is in the table */
	struct timespec deadline;
	bool admitted;            /* its request was admitted: no deadline now */
	bool shut;                /* shut down at its deadline */
} pending;

struct pep_serve {
	struct MHD_Daemon *d;
	pep_edit *e;
	pep_serve_options o;
	char secret[SECRET_HEX + 1];
	char url[96];
	char hosts[2][48];   /* "127.0.0.1:PORT", "localhost:PORT" */
	char origins[2][48]; /* "http://127.0.0.1:PORT", ... */
	bucket user;         /* requests with the secret */
	bucket strangers;    /* requests without it: never the user's */
	/* The connections waiting for their headers, and the thread that
	 * closes them at their deadline: asleep (no timeout) when there are
	 * none, so the server idle costs nothing. */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t sweeper;
	bool sweeping, stopping;
	pending *conns[MAX_CONNECTIONS + 8];
};

typedef enum route {
	R_NONE,
	R_FILE,   /* a file of the page */
	R_STATE,  /* GET api/state */
	R_PDF,    /* GET preview.pdf */
	R_CHANGE, /* POST api/change */
	R_SAVE,
	R_RELOAD,
	R_CLOSE,
} route;

enum { F_OP, F_AT, F_PATH, F_ATTR, F_VALUE, NFIELDS };
static const char *const field_names[NFIELDS] = {"op", "at", "path", "attr", "value"};

typedef struct request {
	route route;
	const pep_web_file *file;
	struct MHD_PostProcessor *pp;
	size_t got;              /* body bytes so far */
	pep_buf fields[NFIELDS];
	bool seen[NFIELDS];
	bool bad;                /* a field unknown or given twice */
	bool closing;            /* Close: signal done_fd once answered */
} request;

/* ------------------------------------------------------------------ */
/* Responses                                                            */
/* ------------------------------------------------------------------ */

/* Queues a response of len bytes at data (mode as libmicrohttpd's) with
 * the headers every response carries. */
static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type, void *data, size_t len,
                               enum MHD_ResponseMemoryMode mode, bool pdf)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, mode);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "Content-Security-Policy", pdf ? pdf_csp : page_csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	if (pdf)
		MHD_add_response_header(r, "Content-Disposition", "inline; filename=\"preview.pdf\"");
	if (status == 429)
		MHD_add_response_header(r, "Retry-After", "1");
	if (status == 405)
		MHD_add_response_header(r, "Allow", "GET, POST");
	/* (the refusals of admit(): a connection is kept open only for requests
	 * that were admitted) */
	if (status == 403 || status == 404 || status == 405 || status == 413 || status == 415 || status == 429)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A refusal in one line of plain text. A request refused before it was
 * admitted closes its connection: only an admitted one is kept open. */
static enum MHD_Result refuse(struct MHD_Connection *c, unsigned status, const char *why)
{
	char *msg = xasprintf("pep edit: %s\n", why);
	return respond(c, status, "text/plain; charset=utf-8", msg, strlen(msg), MHD_RESPMEM_MUST_FREE, false);
}

static enum MHD_Result json(struct MHD_Connection *c, unsigned status, pep_buf *b)
{
	size_t len = b->len;
	char *s = pep_buf_detach(b);
	return respond(c, status, "application/json", s, len, MHD_RESPMEM_MUST_FREE, false);
}

static unsigned http_status(pep_edit_status st)
{
	switch (st) {
	case PEP_EDIT_OK: return MHD_HTTP_OK;
	case PEP_EDIT_BAD: return MHD_HTTP_BAD_REQUEST;
	default: return MHD_HTTP_CONFLICT;
	}
}

/* ------------------------------------------------------------------ */
/* Who may ask                                                          */
/* ------------------------------------------------------------------ */

/* Only loopback connects (the socket is bound to 127.0.0.1 besides). */
static enum MHD_Result accept_loopback(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)cls;
	if (addr->sa_family != AF_INET || len < (socklen_t)sizeof(struct sockaddr_in))
		return MHD_NO;
	const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
	return (ntohl(in->sin_addr.s_addr) >> 24) == 127 ? MHD_YES : MHD_NO;
}

/* Takes one request from bucket b: false when it is empty. */
static bool within_rate(bucket *b)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double dt = (double)(now.tv_sec - b->last.tv_sec) + (double)(now.tv_nsec - b->last.tv_nsec) / 1e9;
	b->last = now;
	b->tokens += dt * PEP_SERVE_RATE;
	if (b->tokens > PEP_SERVE_BURST)
		b->tokens = PEP_SERVE_BURST;
	if (b->tokens < 1)
		return false;
	b->tokens -= 1;
	return true;
}

/* The secret at the start of the path, in constant time: "/SECRET/rest"
 * gives "rest" in *rest; false for any other path. */
static bool has_secret(const pep_serve *s, const char *url, const char **rest)
{
	size_t n = strnlen(url, SECRET_HEX + 2);
	unsigned diff = n < SECRET_HEX + 2 ? 1u : 0u;
	/* Compare every byte whatever the path holds (past its end, NULs). */
	diff |= (unsigned char)url[0] ^ '/';
	for (size_t i = 0; i < SECRET_HEX; i++) {
		unsigned char u = i + 1 < n ? (unsigned char)url[i + 1] : 0;
		diff |= u ^ (unsigned char)s->secret[i];
	}
	diff |= (n > SECRET_HEX + 1 ? (unsigned char)url[SECRET_HEX + 1] : 0) ^ '/';
	if (diff)
		return false;
	*rest = url + SECRET_HEX + 2;
	return true;
}

static bool equals_one(const char *v, const char (*set)[48], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v && strcmp(v, set[i]) == 0)
			return true;
	return false;
}

static route route_of(const char *rest, bool post, const pep_web_file **file)
{
	*file = NULL;
	if (post) {
		if (strcmp(rest, "api/change") == 0)
			return R_CHANGE;
		if (strcmp(rest, "api/save") == 0)
			return R_SAVE;
		if (strcmp(rest, "api/reload") == 0)
			return R_RELOAD;
		if (strcmp(rest, "api/close") == 0)
			return R_CLOSE;
		return R_NONE;
	}
	if (strcmp(rest, "api/state") == 0)
		return R_STATE;
	if (strcmp(rest, "preview.pdf") == 0)
		return R_PDF;
	const char *name = *rest ? rest : "edit.html";
	for (const pep_web_file *f = pep_web_files; f->name; f++)
		if (strcmp(f->name, name) == 0) {
			*file = f;
			return R_FILE;
		}
	return R_NONE;
}

/* Decides whether a request may go on, from its headers: 0, or the status
 * to refuse it with (and *why). */
static unsigned admit(pep_serve *s, struct MHD_Connection *c, const char *url, const char *method, request *r,
                      const char **why)
{
	/* Who asks first, then how often: a request without the Host and the
	 * secret takes from the strangers' bucket, never the user's, so no
	 * flood of them can shut the user out. */
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	const char *rest = NULL;
	bool known = has_secret(s, url, &rest); /* (in constant time, whatever else is wrong) */
	if (!equals_one(host, s->hosts, 2) || !known) {
		if (!within_rate(&s->strangers)) {
			*why = "too many requests: wait a moment";
			return 429;
		}
		*why = !equals_one(host, s->hosts, 2)
		           ? "this server answers only to the address it printed (the Host header names another)"
		           : "this address is not the one pep edit printed: open that one";
		return 403;
	}
	if (!within_rate(&s->user)) {
		*why = "too many requests: wait a moment";
		return 429;
	}
	bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	if ((origin || post) && !equals_one(origin, s->origins, 2)) {
		*why = "a request from another site (or without its Origin) is refused";
		return 403;
	}
	const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
	const char *mode = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Mode");
	bool navigate = mode && strcmp(mode, "navigate") == 0;
	if (site && !navigate && strcmp(site, "same-origin") != 0) {
		*why = "a request from another site is refused";
		return 403;
	}
	if (!post && !get) {
		*why = "only GET and POST are answered";
		return 405;
	}
	r->route = route_of(rest, post, &r->file);
	if (r->route == R_NONE) {
		*why = "there is nothing at this address";
		return 404;
	}
	if (post) {
		const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		const char *mark = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Pep-Edit");
		const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (!mark || strcmp(mark, "1") != 0) {
			*why = "a change must come from the editor's page (X-Pep-Edit is missing)";
			return 403;
		}
		if (!type || strncmp(type, "application/x-www-form-urlencoded", 33) != 0) {
			*why = "a change must be sent as application/x-www-form-urlencoded";
			return 415;
		}
		if (len && strtoull(len, NULL, 10) > PEP_SERVE_MAX_BODY) {
			*why = "the request is too large";
			return 413;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Answers                                                              */
/* ------------------------------------------------------------------ */

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                                const char *content_type, const char *transfer_encoding, const char *data,
                                uint64_t off, size_t size)
{
	request *r = cls;
	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	int f = 0;
	while (f < NFIELDS && strcmp(field_names[f], key) != 0)
		f++;
	if (f == NFIELDS || (off == 0 && r->seen[f])) {
		r->bad = true;
		return MHD_YES;
	}
	r->seen[f] = true;
	if (size)
		pep_buf_add(&r->fields[f], data, size);
	return MHD_YES;
}

static enum MHD_Result answer_get(pep_serve *s, struct MHD_Connection *c, request *r)
{
	if (r->route == R_FILE)
		return respond(c, MHD_HTTP_OK, r->file->type, (void *)r->file->data, r->file->len, MHD_RESPMEM_PERSISTENT,
		               false);
	if (r->route == R_STATE) {
		pep_buf b = PEP_BUF_INIT;
		pep_edit_state_json(s->e, &b);
		return json(c, MHD_HTTP_OK, &b);
	}
	unsigned char *pdf = NULL;
	size_t len = 0;
	char *why = NULL;
	if (!pep_edit_pdf(s->e, &s->o.preview, &pdf, &len, &why)) {
		char *msg = xasprintf("pep edit cannot show this PEP as a PDF yet: %s.\n", why);
		free(why);
		return respond(c, MHD_HTTP_CONFLICT, "text/plain; charset=utf-8", msg, strlen(msg), MHD_RESPMEM_MUST_FREE,
		               false);
	}
	return respond(c, MHD_HTTP_OK, "application/pdf", pdf, len, MHD_RESPMEM_MUST_FREE, true);
}

static enum MHD_Result answer_post(pep_serve *s, struct MHD_Connection *c, request *r)
{
	pep_buf b = PEP_BUF_INIT;
	pep_edit_status st;
	if (r->bad) {
		return refuse(c, MHD_HTTP_BAD_REQUEST, "the request has a field it should not have, or one twice");
	} else if (r->route == R_CHANGE) {
		static const char *const ops[] = {"set", "add", "remove", "choose"};
		const char *op = pep_buf_str(&r->fields[F_OP]);
		int k = 0;
		while (k < 4 && strcmp(ops[k], op) != 0)
			k++;
		char *end = NULL;
		const char *at = pep_buf_str(&r->fields[F_AT]);
		long id = strtol(at, &end, 10);
		if (k == 4 || !*at || *end)
			return refuse(c, MHD_HTTP_BAD_REQUEST, "a change needs op (set, add, remove or choose) and at (an id)");
		pep_edit_op o = {(pep_edit_op_kind)k, id, pep_buf_str(&r->fields[F_PATH]),
		                 r->fields[F_ATTR].len ? pep_buf_str(&r->fields[F_ATTR]) : NULL,
		                 pep_buf_str(&r->fields[F_VALUE]), r->fields[F_VALUE].len};
		st = pep_edit_apply(s->e, &o, &b);
	} else if (r->route == R_SAVE) {
		st = pep_edit_save(s->e, &b);
	} else if (r->route == R_RELOAD) {
		st = pep_edit_reload(s->e, &b);
	} else {
		pep_jw w;
		pep_jw_init_buf(&w, &b, PEP_JW_COMPACT);
		pep_jw_object_begin(&w);
		pep_jw_kv_bool(&w, "ok", true);
		pep_jw_kv_bool(&w, "dirty", pep_edit_dirty(s->e));
		pep_jw_end(&w);
		r->closing = true;
		st = PEP_EDIT_OK;
	}
	return json(c, http_status(st), &b);
}

/* ------------------------------------------------------------------ */
/* Deadlines                                                            */
/* ------------------------------------------------------------------ */

/* libmicrohttpd's timeout counts idle time only: a client sending a byte
 * of its headers every few seconds would hold a connection for ever, and
 * sixteen of them every slot. So each connection has PEP_SERVE_HEADER_SECONDS
 * from being accepted to send the headers of a request that is admitted
 * (a refused request closes its connection); the sweeper shuts down the
 * socket of one that has not by then, and libmicrohttpd closes it. The
 * socket is shut down under the lock, and a connection leaves the table
 * (NOTIFY_CLOSED, under the lock) before libmicrohttpd closes its socket,
 * so the descriptor shut down is always still that connection's. */

static double until(struct timespec t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(t.tv_sec - now.tv_sec) + (double)(t.tv_nsec - now.tv_nsec) / 1e9;
}

static void *sweep(void *cls)
{
	pep_serve *s = cls;
	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		pending *next = NULL;
		for (size_t i = 0; i < sizeof s->conns / sizeof s->conns[0]; i++) {
			pending *p = s->conns[i];
			if (!p || p->admitted || p->shut)
				continue;
			if (until(p->deadline) <= 0) {
				shutdown(p->fd, SHUT_RDWR);
				p->shut = true;
			} else if (!next || until(p->deadline) < until(next->deadline)) {
				next = p;
			}
		}
		if (!next) {
			pthread_cond_wait(&s->wake, &s->lock); /* nothing to wait for: asleep */
		} else {
			struct timespec at = next->deadline;
			pthread_cond_timedwait(&s->wake, &s->lock, &at);
		}
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	pep_serve *s = cls;
	pthread_mutex_lock(&s->lock);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		pending *p = xcalloc(1, sizeof *p);
		p->fd = info ? info->connect_fd : -1;
		clock_gettime(CLOCK_MONOTONIC, &p->deadline);
		p->deadline.tv_sec += PEP_SERVE_HEADER_SECONDS;
		p->admitted = p->fd < 0;
		size_t i = 0;
		while (i < sizeof s->conns / sizeof s->conns[0] && s->conns[i])
			i++;
		if (i < sizeof s->conns / sizeof s->conns[0]) {
			s->conns[i] = p;
			*socket_context = p;
			pthread_cond_signal(&s->wake);
		} else {
			free(p); /* (cannot be: libmicrohttpd holds at most 16) */
		}
	} else if (*socket_context) {
		for (size_t i = 0; i < sizeof s->conns / sizeof s->conns[0]; i++)
			if (s->conns[i] == *socket_context)
				s->conns[i] = NULL;
		free(*socket_context);
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&s->lock);
}

/* A request of c's was admitted: its connection has no deadline now. */
static void admitted(pep_serve *s, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	pthread_mutex_lock(&s->lock);
	if (info && info->socket_context)
		((pending *)info->socket_context)->admitted = true;
	pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	pep_serve *s = cls;
	request *r = *con_cls;
	(void)version;
	if (!r) {
		/* The headers are in: decide before any body is read. */
		r = xcalloc(1, sizeof *r);
		*con_cls = r;
		const char *why = NULL;
		unsigned status = admit(s, c, url, method, r, &why);
		if (status)
			return refuse(c, status, why);
		admitted(s, c);
		if (r->route == R_FILE || r->route == R_STATE || r->route == R_PDF)
			return answer_get(s, c, r);
		r->pp = MHD_create_post_processor(c, 16 * 1024, on_field, r);
		if (!r->pp)
			return refuse(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "the body cannot be read as a form");
		return MHD_YES;
	}
	if (*upload_size) {
		r->got += *upload_size;
		if (r->got > PEP_SERVE_MAX_BODY)
			return MHD_NO; /* no answer can be sent mid-body: the connection is closed */
		if (MHD_post_process(r->pp, upload, *upload_size) != MHD_YES)
			r->bad = true;
		*upload_size = 0;
		return MHD_YES;
	}
	/* The whole body is in: the processor hands over its last field when
	 * destroyed. */
	if (r->pp && MHD_destroy_post_processor(r->pp) != MHD_YES)
		r->bad = true;
	r->pp = NULL;
	return answer_post(s, c, r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	pep_serve *s = cls;
	request *r = *con_cls;
	(void)c;
	if (!r)
		return;
	if (r->closing && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK && s->o.done_fd >= 0) {
		ssize_t w = write(s->o.done_fd, "x", 1);
		(void)w; /* a full pipe has a byte in it already */
	}
	if (r->pp)
		MHD_destroy_post_processor(r->pp);
	for (int i = 0; i < NFIELDS; i++)
		pep_buf_free(&r->fields[i]);
	free(r);
	*con_cls = NULL;
}

/* ------------------------------------------------------------------ */
/* Starting and stopping                                                */
/* ------------------------------------------------------------------ */

pep_serve *pep_serve_start(pep_edit *e, const pep_serve_options *o, char **err)
{
	*err = NULL;
	if (o->port > 65535) {
		*err = xasprintf("port %u is not a port number (1 to 65535)", o->port);
		return NULL;
	}
	unsigned char raw[SECRET_BYTES];
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = xasprintf("cannot make a secret for the address: getrandom: %s", strerror(errno));
			return NULL;
		}
		got += (size_t)n;
	}
	pep_serve *s = xcalloc(1, sizeof *s);
	s->e = e;
	s->o = *o;
	for (size_t i = 0; i < SECRET_BYTES; i++)
		snprintf(s->secret + 2 * i, 3, "%02x", raw[i]);
	s->user.tokens = s->strangers.tokens = PEP_SERVE_BURST;
	clock_gettime(CLOCK_MONOTONIC, &s->user.last);
	s->strangers.last = s->user.last;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wake, &ca);
	pthread_condattr_destroy(&ca);
	s->sweeping = pthread_create(&s->sweeper, NULL, sweep, s) == 0;
	if (!s->sweeping) {
		*err = xstrdup("cannot start the server's timer thread");
		pep_serve_stop(s);
		return NULL;
	}

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)o->port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	errno = 0;
	s->d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC, (uint16_t)o->port, accept_loopback, NULL,
	                        handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT,
	                        (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	                        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	                        MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
	                        MHD_OPTION_END);
	if (!s->d) {
		int e2 = errno;
		if (o->port)
			*err = xasprintf("cannot listen on 127.0.0.1 port %u%s%s", o->port, e2 ? ": " : "",
			                 e2 == EADDRINUSE ? "it is in use (choose another with --port, or leave --port out)"
			                 : e2         ? strerror(e2)
			                              : " (is it in use?)");
		else
			*err = xasprintf("cannot listen on 127.0.0.1%s%s", e2 ? ": " : "", e2 ? strerror(e2) : "");
		pep_serve_stop(s);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : o->port;
	snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u/%s/", port, s->secret);
	snprintf(s->hosts[0], sizeof s->hosts[0], "127.0.0.1:%u", port);
	snprintf(s->hosts[1], sizeof s->hosts[1], "localhost:%u", port);
	snprintf(s->origins[0], sizeof s->origins[0], "http://127.0.0.1:%u", port);
	snprintf(s->origins[1], sizeof s->origins[1], "http://localhost:%u", port);
	return s;
}

const char *pep_serve_url(const pep_serve *s)
{
	return s->url;
}

void pep_serve_stop(pep_serve *s)
{
	if (!s)
		return;
	if (s->sweeping) {
		pthread_mutex_lock(&s->lock);
		s->stopping = true;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->sweeper, NULL);
	}
	if (s->d)
		MHD_stop_daemon(s->d); /* (every connection's NOTIFY_CLOSED frees its entry) */
	for (size_t i = 0; i < sizeof s->conns / sizeof s->conns[0]; i++)
		free(s->conns[i]);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
