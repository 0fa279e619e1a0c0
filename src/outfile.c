/* outfile.c: the output policy (outfile.h), atomic outputs (an O_TMPFILE
 * linked into place when complete, or a hidden temporary file + rename),
 * and cleanup on fatal signals. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

struct pep_outfile {
	char *path;   /* the target (a link's target when the path was a link) */
	char *shown;  /* the output as given, for messages */
	char *tmp;    /* the temporary name beside it */
	FILE *f;
	bool replace; /* an existing target may be replaced */
	bool unnamed; /* an O_TMPFILE: no name until it is complete */
	bool has_tmp; /* the temporary name exists on disk (ours to remove) */
	bool stream;  /* a device or FIFO: written in place, no temporary file */
	bool std_out; /* standard output: not ours to close */
	int slot;     /* index in the signal-cleanup table, or -1 */
};

/* ------------------------------------------------------------------ */
/* Inputs                                                               */
/* ------------------------------------------------------------------ */

struct pep_inputs {
	struct {
		dev_t dev;
		ino_t ino;
	} *v;
	size_t n;
};

pep_inputs *pep_inputs_new(void)
{
	return pep_xcalloc(1, sizeof(pep_inputs));
}

void pep_inputs_add(pep_inputs *in, const char *path)
{
	struct stat st;
	if (!path || stat(path, &st) != 0)
		return;
	in->v = pep_xrealloc(in->v, (in->n + 1) * sizeof *in->v);
	in->v[in->n].dev = st.st_dev;
	in->v[in->n].ino = st.st_ino;
	in->n++;
}

void pep_inputs_free(pep_inputs *in)
{
	if (!in)
		return;
	free(in->v);
	free(in);
}

static bool is_input(const pep_inputs *in, const struct stat *st)
{
	for (size_t i = 0; in && i < in->n; i++)
		if (in->v[i].dev == st->st_dev && in->v[i].ino == st->st_ino)
			return true;
	return false;
}

/* The folder of pep's own data (paths.h) that the file at real (a real
 * path) is in, or NULL (caller frees). */
static char *data_folder_of(const char *real)
{
	char *folders[32], *found = NULL;
	size_t n = pep_data_folders(folders, 32);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(folders[i]);
		if (!found && strncmp(real, folders[i], len) == 0 && (real[len] == '/' || real[len] == '\0'))
			found = folders[i];
		else
			free(folders[i]);
	}
	return found;
}

/* Refuses (false, with *err) an output at path (a file, or a name still to
 * be made) that would be in one of pep's own data folders: the schemas,
 * stylesheets, fonts and calendars every later run reads. Never, not even
 * with --force. */
static bool outside_data(const char *path, const char *shown, char **err)
{
	char real[PATH_MAX];
	const char *slash = strrchr(path, '/');
	char *dir = slash ? pep_xstrndup(path, (size_t)(slash - path) + 1) : pep_xstrdup(".");
	char *base = pep_xstrdup(slash ? slash + 1 : path);
	char *folder = NULL;
	if (realpath(dir, real)) {
		char *where = pep_xasprintf("%s/%s", real, base);
		folder = data_folder_of(where);
		free(where);
	}
	free(dir);
	free(base);
	if (!folder)
		return true;
	*err = pep_xasprintf("%s is in pep's own data (%s), which every run reads: pep never writes there, not even with "
	                 "--force; give a name in another folder",
	                 shown, folder);
	free(folder);
	return false;
}

bool pep_outfile_stream_refused(FILE *out, const pep_inputs *in, char **err)
{
	struct stat st;
	*err = NULL;
	if (!out || fstat(fileno(out), &st) != 0 || !S_ISREG(st.st_mode))
		return false; /* a pipe, a terminal, /dev/null: nothing to destroy */
	char link[64], real[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fileno(out));
	ssize_t r = readlink(link, real, sizeof real - 1);
	real[r > 0 ? r : 0] = '\0';
	const char *name = r > 0 ? real : "a file";
	if (is_input(in, &st)) {
		*err = pep_xasprintf("standard output is %s, a file this command reads: writing there would destroy it; send "
		                 "the output somewhere else",
		                 name);
		return true;
	}
	char *folder = r > 0 ? data_folder_of(real) : NULL;
	if (folder) {
		*err = pep_xasprintf("standard output is %s, in pep's own data (%s), which every run reads: send the output "
		                 "somewhere else",
		                 name, folder);
		free(folder);
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Identity                                                             */
/* ------------------------------------------------------------------ */

char *pep_output_identity(const char *la, const char *child_id, const char *meeting, const char *variant)
{
	/* Each part ends with a NUL byte, so that no two lists of parts run
	 * together into the same bytes. The full record's PDF has four parts
	 * (as before variants were told apart, so its PDFs made then are still
	 * recognised); any other output has a fifth. */
	const char *parts[] = {"pep identity 1", la, child_id, meeting, variant};
	size_t nparts = variant && *variant ? 5 : 4;
	pep_buf b = PEP_BUF_INIT;
	for (size_t i = 0; i < nparts; i++) {
		pep_buf_puts(&b, parts[i] ? parts[i] : "");
		pep_buf_putc(&b, '\0');
	}
	unsigned char d[32];
	pep_sha256(b.s, b.len, d);
	pep_buf_free(&b);
	char *id = pep_xmalloc(5 + 32 + 1);
	memcpy(id, "pep1-", 5);
	for (int i = 0; i < 16; i++)
		snprintf(id + 5 + 2 * i, 3, "%02x", d[i]);
	return id;
}

/* The identity is recognised only where its writer puts it, by reading the
 * file's structure, never by searching its bytes: a PEP's own text (its
 * summary, say) may quote another child's mark, and that text is in the
 * PDF's page contents or the HTML page's body. */

/* A reader of the PDF syntax pep's PDFs have (ISO 32000-1, 7.2-7.5): enough
 * to follow startxref to the cross-reference table and its trailer, the
 * trailer's /Info to its object, and read one key of that dictionary. */
typedef struct pdf_in {
	const char *s;
	size_t n, i;
} pdf_in;

static bool pdf_white(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static bool pdf_delim(char c)
{
	return pdf_white(c) || strchr("()<>[]{}/%", c);
}

static void pdf_space(pdf_in *p)
{
	while (p->i < p->n) {
		if (pdf_white(p->s[p->i]))
			p->i++;
		else if (p->s[p->i] == '%')
			while (p->i < p->n && p->s[p->i] != '\n' && p->s[p->i] != '\r')
				p->i++;
		else
			break;
	}
}

/* The keyword kw, whole, next. */
static bool pdf_keyword(pdf_in *p, const char *kw)
{
	pdf_space(p);
	size_t k = strlen(kw);
	if (p->n - p->i < k || memcmp(p->s + p->i, kw, k) != 0 || (p->i + k < p->n && !pdf_delim(p->s[p->i + k])))
		return false;
	p->i += k;
	return true;
}

/* A non-negative integer. */
static bool pdf_int(pdf_in *p, size_t *v)
{
	pdf_space(p);
	size_t start = p->i;
	*v = 0;
	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9' && p->i - start < 12)
		*v = *v * 10 + (size_t)(p->s[p->i++] - '0');
	return p->i > start && (p->i == p->n || pdf_delim(p->s[p->i]));
}

/* A name (/Info), its bytes into out. */
static bool pdf_name(pdf_in *p, char *out, size_t size)
{
	pdf_space(p);
	if (p->i >= p->n || p->s[p->i] != '/')
		return false;
	size_t k = 0;
	for (p->i++; p->i < p->n && !pdf_delim(p->s[p->i]); p->i++)
		if (k + 1 < size)
			out[k++] = p->s[p->i];
	out[k] = '\0';
	return true;
}

/* A literal string, (...) with its escapes and balanced parentheses,
 * decoded into out when out is not NULL. */
static bool pdf_literal(pdf_in *p, pep_buf *out)
{
	pdf_space(p);
	if (p->i >= p->n || p->s[p->i] != '(')
		return false;
	int depth = 1;
	for (p->i++; p->i < p->n; p->i++) {
		char c = p->s[p->i];
		if (c == '\\') {
			if (++p->i >= p->n)
				return false;
			c = p->s[p->i];
			if (c >= '0' && c <= '7') {
				int v = 0;
				for (int k = 0; k < 3 && p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '7'; k++)
					v = v * 8 + (p->s[p->i++] - '0');
				p->i--;
				c = (char)v;
			} else if (c == 'n') {
				c = '\n';
			} else if (c == 'r') {
				c = '\r';
			} else if (c == 't') {
				c = '\t';
			} else if (c == 'b') {
				c = '\b';
			} else if (c == 'f') {
				c = '\f';
			} else if (c == '\n' || c == '\r') {
				continue; /* a line continued */
			}
		} else if (c == '(') {
			depth++;
		} else if (c == ')' && --depth == 0) {
			p->i++;
			return true;
		}
		if (out)
			pep_buf_putc(out, c);
	}
	return false;
}

static bool pdf_skip(pdf_in *p, int depth);

/* Passes over the value of a dictionary's key: the objects up to the next
 * key or the end (a reference, "3 0 R", is three). */
static bool pdf_value(pdf_in *p, int depth)
{
	do {
		if (!pdf_skip(p, depth))
			return false;
		pdf_space(p);
	} while (p->i < p->n && p->s[p->i] != '/' && p->s[p->i] != '>');
	return true;
}

/* Passes over one object of any kind (at most 32 deep). */
static bool pdf_skip(pdf_in *p, int depth)
{
	pdf_space(p);
	if (p->i >= p->n || depth > 32)
		return false;
	char c = p->s[p->i];
	if (c == '(')
		return pdf_literal(p, NULL);
	if (c == '<' && p->i + 1 < p->n && p->s[p->i + 1] == '<') {
		p->i += 2;
		for (;;) {
			pdf_space(p);
			if (p->n - p->i >= 2 && memcmp(p->s + p->i, ">>", 2) == 0) {
				p->i += 2;
				return true;
			}
			char key[2];
			if (!pdf_name(p, key, sizeof key) || !pdf_value(p, depth + 1))
				return false;
		}
	}
	if (c == '<') {
		const char *end = memchr(p->s + p->i, '>', p->n - p->i);
		if (!end)
			return false;
		p->i = (size_t)(end - p->s) + 1;
		return true;
	}
	if (c == '[') {
		for (p->i++;;) {
			pdf_space(p);
			if (p->i < p->n && p->s[p->i] == ']') {
				p->i++;
				return true;
			}
			if (!pdf_skip(p, depth + 1))
				return false;
		}
	}
	if (c == '/') {
		char name[2];
		return pdf_name(p, name, sizeof name);
	}
	if (pdf_delim(c))
		return false;
	while (p->i < p->n && !pdf_delim(p->s[p->i])) /* a number, a keyword, R */
		p->i++;
	return true;
}

/* The identity in the document information dictionary of a PDF as pep
 * writes it: the last startxref, its cross-reference table, the trailer's
 * /Info N G R, and in object N G the key /PepIdentity with a literal
 * string (a PDF with a cross-reference stream is not one of pep's). */
static bool pdf_identity(const char *buf, size_t n, const char *identity)
{
	const char *sx = NULL;
	for (size_t from = n > 1024 ? n - 1024 : 0; from < n;) {
		const char *f = memmem(buf + from, n - from, "startxref", 9);
		if (!f)
			break;
		sx = f;
		from = (size_t)(f - buf) + 9;
	}
	if (!sx)
		return false;
	pdf_in p = {buf, n, (size_t)(sx - buf) + 9};
	size_t xref;
	if (!pdf_int(&p, &xref) || xref >= n)
		return false;
	p.i = xref;
	if (!pdf_keyword(&p, "xref"))
		return false;
	struct {
		size_t first, count, at;
	} sub[64];
	size_t nsub = 0;
	for (size_t first, count; nsub < 64 && pdf_int(&p, &first);) {
		if (!pdf_int(&p, &count))
			return false;
		pdf_space(&p);
		if (count > (n - p.i) / 20)
			return false;
		sub[nsub].first = first;
		sub[nsub].count = count;
		sub[nsub].at = p.i;
		nsub++;
		p.i += count * 20; /* each entry is exactly 20 bytes */
	}
	if (!pdf_keyword(&p, "trailer") || !pdf_keyword(&p, "<<"))
		return false;
	size_t info = 0, gen = 0;
	bool has_info = false;
	for (;;) {
		char key[16];
		if (pdf_keyword(&p, ">>"))
			break;
		if (!pdf_name(&p, key, sizeof key))
			return false;
		if (strcmp(key, "Info") == 0 && !has_info) {
			if (!pdf_int(&p, &info) || !pdf_int(&p, &gen) || !pdf_keyword(&p, "R"))
				return false;
			has_info = true;
		} else if (!pdf_value(&p, 0)) {
			return false;
		}
	}
	size_t at = 0;
	bool found_at = false;
	for (size_t k = 0; k < nsub && has_info && !found_at; k++) {
		if (info < sub[k].first || info - sub[k].first >= sub[k].count)
			continue;
		pdf_in e = {buf, n, sub[k].at + (info - sub[k].first) * 20};
		size_t g;
		found_at = pdf_int(&e, &at) && pdf_int(&e, &g) && g == gen && pdf_keyword(&e, "n") && at < n;
	}
	if (!found_at)
		return false;
	p.i = at;
	size_t num, g;
	if (!pdf_int(&p, &num) || num != info || !pdf_int(&p, &g) || g != gen || !pdf_keyword(&p, "obj") ||
	    !pdf_keyword(&p, "<<"))
		return false;
	for (;;) {
		char key[32];
		if (pdf_keyword(&p, ">>") || !pdf_name(&p, key, sizeof key))
			return false;
		if (strcmp(key, PEP_IDENTITY_PDF_KEY) != 0) {
			if (!pdf_value(&p, 0))
				return false;
			continue;
		}
		pep_buf v = PEP_BUF_INIT;
		bool same = pdf_literal(&p, &v) && v.len == strlen(identity) && memcmp(v.s, identity, v.len) == 0;
		pep_buf_free(&v);
		return same;
	}
}

/* The identity in an HTML page as pep writes it: after the doctype, <html>
 * and <head>, among the <meta> elements (and the <title>) that open the
 * head, before its style and its body: <meta name="pep-identity"
 * content="...">. (The page's text is escaped: no '<' in it is markup.) */
static bool html_identity(const char *buf, size_t n, const char *identity)
{
	static const char doctype[] = "<!DOCTYPE html>";
	if (n < sizeof doctype - 1 || memcmp(buf, doctype, sizeof doctype - 1) != 0)
		return false;
	pdf_in p = {buf, n, sizeof doctype - 1};
	bool in_head = false;
	for (;;) {
		while (p.i < n && (buf[p.i] == ' ' || buf[p.i] == '\n' || buf[p.i] == '\r' || buf[p.i] == '\t'))
			p.i++;
		if (p.i >= n || buf[p.i] != '<')
			return false;
		const char *end = memchr(buf + p.i, '>', n - p.i);
		if (!end)
			return false;
		size_t tag = p.i, len = (size_t)(end - buf) + 1 - tag;
		p.i = tag + len;
		if (!in_head) {
			if (len >= 6 && memcmp(buf + tag, "<html", 5) == 0 && (buf[tag + 5] == ' ' || buf[tag + 5] == '>'))
				continue;
			if (len == 6 && memcmp(buf + tag, "<head>", 6) == 0) {
				in_head = true;
				continue;
			}
			return false;
		}
		if (len == 7 && memcmp(buf + tag, "<title>", 7) == 0) {
			const char *close = memmem(buf + p.i, n - p.i, "</title>", 8);
			if (!close)
				return false;
			p.i = (size_t)(close - buf) + 8;
			continue;
		}
		if (len < 6 || memcmp(buf + tag, "<meta ", 6) != 0)
			return false; /* the style, the end of the head: no mark */
		char *want = pep_xasprintf("<meta name=\"" PEP_IDENTITY_HTML_META "\" content=\"%s\">", identity);
		bool same = strlen(want) == len && memcmp(want, buf + tag, len) == 0;
		static const char mark[] = "<meta name=\"" PEP_IDENTITY_HTML_META "\"";
		bool named = len > sizeof mark - 1 && memcmp(buf + tag, mark, sizeof mark - 1) == 0;
		free(want);
		if (same || named)
			return same; /* the first mark is the page's */
	}
}

bool pep_output_has_identity(const char *path, const char *identity)
{
	if (!identity || !*identity)
		return false;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return false;
	struct stat st;
	bool found = false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= (off_t)256 << 20) {
		size_t size = (size_t)st.st_size, n = 0;
		char *buf = pep_xmalloc(size);
		for (ssize_t r; n < size && ((r = read(fd, buf + n, size - n)) > 0 || (r < 0 && errno == EINTR));)
			if (r > 0)
				n += (size_t)r;
		if (n >= 5 && memcmp(buf, "%PDF-", 5) == 0)
			found = pdf_identity(buf, n, identity);
		else
			found = html_identity(buf, n, identity);
		free(buf);
	}
	close(fd);
	return found;
}

/* Temporary files to remove if a fatal signal arrives. A fixed table of
 * fixed-size paths, so the handler only reads memory and calls unlink(),
 * both async-signal-safe. This is the program's one piece of global state:
 * a signal handler has nowhere else to look. */
#define SLOTS 64
static char pending[SLOTS][PATH_MAX];
static volatile sig_atomic_t pending_used[SLOTS];
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

static void on_fatal_signal(int sig)
{
	for (int i = 0; i < SLOTS; i++)
		if (pending_used[i])
			unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;
		sigaction(sigs[i], NULL, &old);
		if (old.sa_handler != SIG_DFL)
			continue; /* someone else handles it (or ignores it): leave it */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

static int remember(const char *tmp)
{
	if (strlen(tmp) >= PATH_MAX)
		return -1;
	pthread_once(&handlers_once, install_handlers);
	pthread_mutex_lock(&pending_lock);
	int slot = -1;
	for (int i = 0; i < SLOTS && slot < 0; i++)
		if (!pending_used[i]) {
			memcpy(pending[i], tmp, strlen(tmp) + 1);
			pending_used[i] = 1;
			slot = i;
		}
	pthread_mutex_unlock(&pending_lock);
	return slot;
}

static void forget(int slot)
{
	if (slot < 0)
		return;
	pthread_mutex_lock(&pending_lock);
	pending_used[slot] = 0;
	pthread_mutex_unlock(&pending_lock);
}

static bool unnamed_allowed = true;

void pep_outfile_allow_unnamed(bool allow)
{
	unnamed_allowed = allow;
}

/* ------------------------------------------------------------------ */
/* Opening under the policy                                             */
/* ------------------------------------------------------------------ */

static pep_outfile *new_outfile(const char *path, const char *shown)
{
	pep_outfile *o = pep_xcalloc(1, sizeof *o);
	o->path = pep_xstrdup(path);
	o->shown = pep_xstrdup(shown);
	o->slot = -1;
	return o;
}

/* A device or FIFO, written where it is. */
static pep_outfile *open_stream(const char *path, const char *shown, const pep_output_policy *p, char **err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*err = pep_xasprintf("cannot write %s: %s", shown, strerror(errno));
		return NULL;
	}
	if (p->binary && isatty(fd)) {
		close(fd);
		*err = pep_xasprintf("%s is a terminal: the output is not text; give a file name, or a pipe", shown);
		return NULL;
	}
	pep_outfile *o = new_outfile(path, shown);
	o->stream = true;
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		close(fd);
		*err = pep_xasprintf("cannot write %s: %s", shown, strerror(errno));
		free(o->path);
		free(o->shown);
		free(o);
		return NULL;
	}
	return o;
}

/* Whether the existing regular file st at path may be replaced under p;
 * if not, *err says why. */
static bool may_replace(const char *path, const char *shown, const struct stat *st, const pep_output_policy *p,
                        char **err)
{
	if (is_input(p->inputs, st)) {
		*err = pep_xasprintf("%s is a file this command reads: writing the output there would destroy it; give "
		                 "another name",
		                 shown);
		return false;
	}
	if (p->replace == PEP_REPLACE_ALWAYS)
		return true;
	if (p->replace == PEP_REPLACE_SAME && pep_output_has_identity(path, p->identity))
		return true;
	if (p->replace == PEP_REPLACE_SAME)
		*err = pep_xasprintf("%s already exists and is not what pep made for the same child's same meeting (the same "
		                 "copy, as a PDF or as a page): give another name, or use --force to replace it",
		                 shown);
	else
		*err = pep_xasprintf("%s already exists; use --force to replace it", shown);
	return false;
}

/* The temporary file beside path: unnamed where the filesystem allows,
 * else a hidden name. When old is not NULL (replacing it), the new file
 * takes its mode, owner and group, never widening them. */
static pep_outfile *open_temporary(const char *path, const char *shown, bool replace, const struct stat *old,
                                   char **err)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? pep_xstrndup(path, (size_t)(slash - path + 1)) : pep_xstrdup("");
	const char *base = slash ? slash + 1 : path;
	char *tmp = pep_xasprintf("%s.%s.XXXXXX.tmp", dir, base);
	/* Where the filesystem allows, the file has no name at all until it
	 * is complete (O_TMPFILE, named later through /proc/self/fd): a kill
	 * then leaves nothing behind. Elsewhere it is a hidden temporary name,
	 * removed on failure and on SIGINT, SIGTERM and SIGHUP. */
	bool unnamed = false;
	int fd = -1;
#ifdef O_TMPFILE
	if (unnamed_allowed && access("/proc/self/fd", X_OK) == 0) {
		fd = open(*dir ? dir : ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
		unnamed = fd >= 0;
	}
#endif
	free(dir);
	if (fd < 0)
		fd = mkostemps(tmp, 4, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		*err = pep_xasprintf("cannot write %s: %s%s", shown, strerror(e),
		                 e == EACCES || e == EROFS ? " (is the folder read-only?)"
		                 : e == ENOENT            ? " (does the folder exist?)"
		                                          : "");
		free(tmp);
		return NULL;
	}
	if (old) {
		/* Keep the owner and group where we may (root may; a member of
		 * the group may keep the group). A group that cannot be kept
		 * loses its permissions: they would pass to another group. */
		mode_t mode = old->st_mode & 0777;
		if (fchown(fd, old->st_uid, old->st_gid) != 0 && fchown(fd, (uid_t)-1, old->st_gid) != 0) {
			struct stat now;
			if (fstat(fd, &now) != 0 || now.st_gid != old->st_gid)
				mode &= ~(mode_t)070;
		}
		fchmod(fd, mode);
	} else if (!unnamed) {
		/* mkostemps creates 0600; an output is an ordinary file (0666 & ~umask). */
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	pep_outfile *o = new_outfile(path, shown);
	o->tmp = tmp;
	o->replace = replace;
	o->unnamed = unnamed;
	o->has_tmp = !unnamed;
	o->slot = unnamed ? -1 : remember(tmp);
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		close(fd);
		*err = pep_xasprintf("cannot write %s: %s", shown, strerror(errno));
		pep_outfile_abort(o);
		return NULL;
	}
	return o;
}

/* What the output path is, and whether policy p lets it be written: the
 * checks of pep_outfile_create, without opening anything. */
typedef enum out_kind { OUT_STDOUT, OUT_NEW, OUT_REPLACE, OUT_STREAM } out_kind;

static bool examine(const char *path, const pep_output_policy *p, out_kind *kind, struct stat *st, char **target,
                    char **err)
{
	*err = NULL;
	*target = NULL;
	if (p->std_out && strcmp(path, "-") == 0) {
		*kind = OUT_STDOUT;
		if (p->binary && isatty(fileno(p->std_out))) {
			*err = pep_xstrdup("standard output is a terminal, and the output is not text: redirect it to a file or "
			               "a pipe, or give a file name");
			return false;
		}
		/* (a shell's ">> in.xml" or "1<> in.xml" opens an input) */
		return !pep_outfile_stream_refused(p->std_out, p->inputs, err);
	}
	if (lstat(path, st) != 0) {
		if (errno != ENOENT) {
			*err = pep_xasprintf("cannot write %s: %s", path, strerror(errno));
			return false;
		}
		*kind = OUT_NEW; /* it must still not exist when it is given its name */
		return outside_data(path, path, err);
	}
	if (S_ISLNK(st->st_mode)) {
		char real[PATH_MAX];
		if (stat(path, st) != 0 || !realpath(path, real)) {
			*err = pep_xasprintf("%s is a symbolic link to nothing: pep does not create a file where a link points; "
			                 "remove the link, or give another name",
			                 path);
			return false;
		}
		*target = pep_xstrdup(real);
	}
	if (S_ISDIR(st->st_mode)) {
		*err = pep_xasprintf("%s is a folder; give a file name for the output", path);
	} else if (S_ISCHR(st->st_mode) || S_ISFIFO(st->st_mode)) {
		*kind = OUT_STREAM;
		return true;
	} else if (!S_ISREG(st->st_mode)) {
		*err = pep_xasprintf("%s is not a regular file (a %s): give a file name for the output", path,
		                 S_ISBLK(st->st_mode) ? "block device" : S_ISSOCK(st->st_mode) ? "socket" : "special file");
	} else if (may_replace(*target ? *target : path, path, st, p, err) &&
	           outside_data(*target ? *target : path, path, err)) {
		*kind = OUT_REPLACE;
		return true;
	}
	free(*target);
	*target = NULL;
	return false;
}

bool pep_outfile_check(const char *path, const pep_output_policy *p, char **err)
{
	out_kind kind;
	struct stat st;
	char *target = NULL;
	bool ok = examine(path, p, &kind, &st, &target, err);
	free(target);
	return ok;
}

pep_outfile *pep_outfile_create(const char *path, const pep_output_policy *p, char **err)
{
	out_kind kind;
	struct stat st;
	char *target = NULL;
	if (!examine(path, p, &kind, &st, &target, err))
		return NULL;
	const char *where = target ? target : path;
	pep_outfile *o = NULL;
	switch (kind) {
	case OUT_STDOUT:
		o = new_outfile("-", "standard output");
		o->f = p->std_out;
		o->std_out = true;
		o->stream = true;
		break;
	case OUT_NEW:
		o = open_temporary(path, path, p->replace == PEP_REPLACE_ALWAYS, NULL, err);
		break;
	case OUT_STREAM:
		o = open_stream(where, path, p, err);
		break;
	case OUT_REPLACE:
		o = open_temporary(where, path, true, &st, err);
		break;
	}
	free(target);
	return o;
}

pep_outfile *pep_outfile_open(const char *path, bool replace, char **err)
{
	pep_output_policy p = {replace ? PEP_REPLACE_ALWAYS : PEP_REPLACE_NEVER, NULL, NULL, NULL, false};
	return pep_outfile_create(path, &p, err);
}

/* ------------------------------------------------------------------ */
/* Names                                                                */
/* ------------------------------------------------------------------ */

char *pep_outfile_clean_name(const char *text, size_t max)
{
	pep_buf b = PEP_BUF_INIT;
	for (const char *p = text ? text : ""; *p && b.len < max; p++) {
		char c = *p;
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		          (c == '.' && b.len > 0);
		if (!ok)
			c = '-';
		if (c == '-' && (b.len == 0 || b.s[b.len - 1] == '-'))
			continue; /* never first, never two */
		pep_buf_putc(&b, c);
	}
	while (b.len && (b.s[b.len - 1] == '-' || b.s[b.len - 1] == '.'))
		b.s[--b.len] = '\0';
	if (!b.len)
		pep_buf_puts(&b, "none");
	return pep_buf_detach(&b);
}

struct pep_outfile_names {
	pthread_mutex_t lock;
	struct taken {
		char *path, *identity;
	} *v;
	size_t n;
};

pep_outfile_names *pep_outfile_names_new(void)
{
	pep_outfile_names *s = pep_xcalloc(1, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

void pep_outfile_names_free(pep_outfile_names *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].identity);
	}
	free(s->v);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* The identity a name was taken for in this run ("" for none), or NULL. */
static const char *taken_for(const pep_outfile_names *s, const char *path)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (strcmp(s->v[i].path, path) == 0)
			return s->v[i].identity;
	return NULL;
}

/* pep_outfile_name, passing over the names s gave others in this run. */
static char *choose_name(const pep_outfile_names *s, const char *dir, const char *stem, const char *ext,
                         const pep_output_policy *p, bool *renamed, bool *duplicate, char **err)
{
	*err = NULL;
	*renamed = false;
	*duplicate = false;
	size_t dl = strlen(dir);
	const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
	char *free_name = NULL;
	for (int k = 1; k <= 99; k++) {
		char *cand = k == 1 ? pep_xasprintf("%s%s%s%s", dir, sep, stem, ext) : pep_xasprintf("%s%s%s-%d%s", dir, sep, stem, k, ext);
		const char *id = taken_for(s, cand);
		if (id && p->identity && strcmp(id, p->identity) == 0) {
			*err = pep_xasprintf("%s was just made from another file for the same child's same meeting", cand);
			*duplicate = true;
			free(cand);
			free(free_name);
			return NULL;
		}
		struct stat st;
		if (id) {
			/* another child's, this run */
		} else if (lstat(cand, &st) != 0) {
			if (errno == ENOENT && !free_name) {
				free_name = cand;
				continue;
			}
		} else {
			struct stat t;
			bool regular = S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) && stat(cand, &t) == 0 && S_ISREG(t.st_mode));
			if (S_ISLNK(st.st_mode) && regular)
				st = t;
			if (regular && !is_input(p->inputs, &st) &&
			    ((k == 1 && p->replace == PEP_REPLACE_ALWAYS) ||
			     (p->replace != PEP_REPLACE_NEVER && pep_output_has_identity(cand, p->identity)))) {
				free(free_name);
				*renamed = k > 1;
				return cand;
			}
		}
		free(cand);
	}
	if (!free_name) {
		*err = pep_xasprintf("%s%s%s%s and the 98 names after it are taken by other files: move them, or give another "
		                 "folder",
		                 dir, sep, stem, ext);
		return NULL;
	}
	size_t n = strlen(dir) + strlen(sep) + strlen(stem) + strlen(ext);
	*renamed = strlen(free_name) != n;
	return free_name;
}

char *pep_outfile_name(const char *dir, const char *stem, const char *ext, const pep_output_policy *p,
                       bool *renamed, char **err)
{
	bool duplicate;
	return choose_name(NULL, dir, stem, ext, p, renamed, &duplicate, err);
}

char *pep_outfile_names_take(pep_outfile_names *s, const char *dir, const char *stem, const char *ext,
                             const pep_output_policy *p, bool *renamed, bool *duplicate, char **err)
{
	pthread_mutex_lock(&s->lock);
	char *path = choose_name(s, dir, stem, ext, p, renamed, duplicate, err);
	if (path) {
		s->v = pep_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
		s->v[s->n].path = pep_xstrdup(path);
		s->v[s->n].identity = pep_xstrdup(p->identity ? p->identity : "");
		s->n++;
	}
	pthread_mutex_unlock(&s->lock);
	return path;
}

FILE *pep_outfile_stream(pep_outfile *o)
{
	return o->f;
}

static void discard(pep_outfile *o)
{
	if (o->f && !o->std_out)
		fclose(o->f);
	if (o->has_tmp)
		unlink(o->tmp); /* (an unnamed file vanishes when closed) */
	forget(o->slot);
	free(o->tmp);
	free(o->path);
	free(o->shown);
	free(o);
}

/* Gives the complete unnamed file its name: the target itself when it must
 * not be replaced (linkat refuses an existing name); else a temporary name,
 * renamed over the target at once. Only a SIGKILL in the instant between
 * those two calls can leave the temporary name behind (whole, never
 * partial): the other signals remove it. */
static int name_unnamed(pep_outfile *o)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->f));
	if (!o->replace)
		return linkat(AT_FDCWD, proc, AT_FDCWD, o->path, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
	/* A free temporary name: linkat itself refuses one that exists, so no
	 * placeholder file is made (a kill could leave that behind, empty). */
	static atomic_uint counter;
	char *x = o->tmp + strlen(o->tmp) - strlen("XXXXXX.tmp");
	for (int attempt = 0; attempt < 100; attempt++) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t v = ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
		             ((uint64_t)atomic_fetch_add(&counter, 1) * 0x9E3779B97F4A7C15u);
		for (int i = 0; i < 6; i++, v /= 62)
			x[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[v % 62];
		o->slot = remember(o->tmp);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0) {
			o->has_tmp = true;
			if (rename(o->tmp, o->path) != 0)
				return errno; /* (discard removes the temporary name) */
			o->has_tmp = false;
			return 0;
		}
		int e = errno;
		forget(o->slot); /* the name is not ours: leave it */
		o->slot = -1;
		if (e != EEXIST)
			return e;
	}
	return EEXIST;
}

/* Makes the rename itself durable (best effort: some filesystems cannot). */
static void sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? pep_xstrndup(path, (size_t)(slash - path + 1)) : pep_xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* A stream is written in place: flushed, and closed unless it is standard
 * output (which pep_main checks, and reports, itself). */
static bool commit_stream(pep_outfile *o, char **err)
{
	int e = 0;
	if (o->std_out) {
		fflush(o->f);
	} else {
		if (fflush(o->f) != 0 || ferror(o->f))
			e = errno ? errno : EIO;
		if (fclose(o->f) != 0 && !e)
			e = errno ? errno : EIO;
		if (e)
			*err = pep_xasprintf("cannot write %s: %s", o->shown, strerror(e));
	}
	o->f = NULL;
	discard(o);
	return e == 0;
}

bool pep_outfile_commit(pep_outfile *o, char **err)
{
	*err = NULL;
	if (o->stream)
		return commit_stream(o, err);
	int e = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(o->f)) != 0 && errno != EINVAL)
		e = errno;
	if (!e && o->unnamed) {
		e = name_unnamed(o);
		if (!e)
			goto done; /* named in place: nothing to rename */
	}
	int rc = fclose(o->f);
	o->f = NULL;
	if (!e && rc != 0)
		e = errno ? errno : EIO;
	if (!e) {
		if (o->replace) {
			if (rename(o->tmp, o->path) != 0)
				e = errno;
		} else if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_NOREPLACE) != 0) {
			e = errno;
			if (e == EINVAL || e == ENOSYS) {
				/* A filesystem without RENAME_NOREPLACE: link() also
				 * refuses to replace. */
				e = link(o->tmp, o->path) == 0 ? 0 : errno;
			}
		}
	}
done:
	if (e) {
		*err = e == EEXIST ? pep_xasprintf("%s already exists; use --force to replace it", o->shown)
		                   : pep_xasprintf("cannot write %s: %s%s", o->shown, strerror(e),
		                               e == ENOSPC ? " (the disk is full; nothing was written)" : "");
	} else {
		sync_folder(o->path);
	}
	discard(o); /* after a successful rename, the temporary name is gone */
	return e == 0;
}

void pep_outfile_abort(pep_outfile *o)
{
	if (o)
		discard(o);
}
