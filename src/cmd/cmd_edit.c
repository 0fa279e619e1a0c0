/* cmd_edit.c: pep edit FILE.xml [--new --la CODE --kind KIND] [--stage STAGE]
 * [--as-of DATE] [--port N] [--no-open] */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "edit.h"
#include "serve.h"
#include "xalloc.h"

extern char **environ;

enum { OPT_NEW = 300, OPT_KIND, OPT_PORT, OPT_NO_OPEN };

static const pep_option options[] = {
	{"new", OPT_NEW, NULL, "start a new PEP for the LA --la names, of the kind --kind names; FILE must not exist yet"},
	{"kind", OPT_KIND, "KIND", "with --new: initial, review, transition, post-16, early-years or no-provision"},
	PEP_CHECK_OPTIONS,
	{"port", OPT_PORT, "N", "listen on port N of 127.0.0.1 (default: a free port the system chooses)"},
	{"no-open", OPT_NO_OPEN, NULL, "print the address only; do not open the browser"},
	{NULL, 0, NULL, NULL},
};

static const char *const synopsis[] = {
	"edit FILE.xml [--stage STAGE] [--as-of DATE] [--port N] [--no-open]",
	"edit FILE.xml --new --la CODE --kind KIND [--stage STAGE] [--as-of DATE] [--port N] [--no-open]",
	NULL,
};

static const pep_usage usage = {
	synopsis,
	"Opens the PEP in FILE as a form in your web browser, served by pep on this\n"
	"computer only (127.0.0.1): each part of the PEP on its own tab, every box\n"
	"labelled and explained in the schema's own words, lists to choose from,\n"
	"dates from a calendar, items added and removed with a button. Every change\n"
	"is checked at once, as 'pep validate' checks a file, and each message is\n"
	"shown beside its box and in a list at the top. Save writes FILE (only when\n"
	"it matches the schema; never over a file changed on disk since it was\n"
	"opened), keeping everything the form does not show. Preview shows the PDF.\n"
	"A PEP on another LA's form (Southwark's) is shown in the canonical sections\n"
	"A to D, checked as the file would be, and saved back on its own form.\n"
	"The address printed holds a secret: anyone with it can read the PEP, so do\n"
	"not share it. pep edit stops on Ctrl-C or when the page's Close is pressed.",
	options,
	"Exit status: 0 stopped, and FILE as saved has no error; 1 FILE has an error\n"
	"(at the stage checked); 2 not done as asked (a bad option, FILE cannot be\n"
	"read or is not a PEP, the port is taken).",
};

struct args {
	pep_check_args check;
	bool new_pep;
	int kind;
	long port;
	bool no_open;
};

static int on_option(pep_cli *cli, void *ctx, int key, const char *arg)
{
	struct args *a = ctx;
	int i;
	switch (key) {
	case OPT_NEW:
		a->new_pep = true;
		return 0;
	case OPT_KIND:
		if (!pep_cli_choice(cli, "kind", arg, pep_kind_names + 1, &i))
			return PEP_EXIT_USAGE;
		a->kind = i + 1;
		return 0;
	case OPT_PORT:
		return pep_cli_int(cli, "port", arg, 1, 65535, &a->port) ? 0 : PEP_EXIT_USAGE;
	case OPT_NO_OPEN:
		a->no_open = true;
		return 0;
	default: {
		int r = pep_check_args_option(cli, &a->check, key, arg);
		return r >= 0 ? r : PEP_EXIT_USAGE;
	}
	}
}

/* A page, readable by this user only, that sends the browser on to url:
 * the browser is started with its path, not the address, so the secret
 * never appears in the list of processes other users can see. It is made
 * in $XDG_RUNTIME_DIR when that is this user's own private folder, else in
 * a private folder (0700) made for it in $TMPDIR or /tmp. Returns its path
 * (caller frees, and removes it with forget_launcher()), or NULL when
 * neither can be made: then no browser is started. */
static char *launcher(const char *url, char **folder)
{
	*folder = NULL;
	const char *dir = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (!dir || !*dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		const char *tmp = getenv("TMPDIR");
		*folder = pep_xasprintf("%s/pep-edit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(*folder)) { /* (0700) */
			free(*folder);
			*folder = NULL;
			return NULL;
		}
		dir = *folder;
	}
	char *path = pep_xasprintf("%s/pep-edit-XXXXXX.html", dir);
	int fd = mkostemps(path, 5, O_CLOEXEC); /* 0600 */
	if (fd < 0) {
		free(path);
		path = NULL;
	} else {
		char *page = pep_xasprintf("<!DOCTYPE html><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">"
		                       "<meta http-equiv=\"refresh\" content=\"0;url=%s\"><title>pep edit</title>"
		                       "<p>Opening the PEP editor…</p>\n",
		                       url);
		bool ok = write(fd, page, strlen(page)) == (ssize_t)strlen(page);
		free(page);
		if (close(fd) != 0 || !ok) {
			unlink(path);
			free(path);
			path = NULL;
		}
	}
	if (!path && *folder) {
		rmdir(*folder);
		free(*folder);
		*folder = NULL;
	}
	return path;
}

/* Removes the page launcher() made, and its folder when it made one. */
static void forget_launcher(char *page, char *folder)
{
	if (page)
		unlink(page);
	if (folder)
		rmdir(folder);
	free(page);
	free(folder);
}

/* Starts xdg-open on target (with the signals the browser should have),
 * its output discarded. Returns its pid, or -1. */
static pid_t open_browser(const char *target)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none;
	pid_t pid = -1;
	char *argv[] = {(char *)"xdg-open", (char *)target, NULL};
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	if (posix_spawnp(&pid, "xdg-open", &fa, &at, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return pid;
}

/* The file as it is on disk now, checked: what the exit status reports. */
static int report(pep_cli *cli, const pep_checker *checker, const char *path, bool dirty)
{
	char *shown = pep_path_shown(path);
	if (access(path, F_OK) != 0) {
		fprintf(cli->out, "pep edit: stopped; %s was not saved, so nothing was written\n", shown);
		free(shown);
		return PEP_EXIT_OK;
	}
	pep_xml_loader *l = pep_checker_loader(checker);
	pep_diags *d = pep_diags_new(path);
	pep_check_file(checker, l, path, d, NULL);
	bool strict = pep_checker_config(checker)->strict;
	size_t errors = pep_diags_errors(d), warnings = pep_diags_warnings(d);
	int status = pep_diags_unchecked(d) ? PEP_EXIT_USAGE : pep_diags_valid(d, strict) ? PEP_EXIT_OK : PEP_EXIT_ERRORS;
	if (dirty)
		pep_cli_error(cli, "the changes made in the form since the last save were not saved");
	const char *stage = pep_diags_stage(d);
	fprintf(cli->out, "pep edit: stopped; %s has %zu error%s and %zu warning%s at the %s stage%s\n", shown, errors,
	        errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
	        stage && strcmp(stage, "signoff") == 0 ? "sign-off" : stage ? stage : "",
	        errors || warnings ? " ('pep validate' lists them)" : "");
	free(shown);
	pep_diags_free(d);
	pep_xml_loader_free(l);
	return status;
}

int pep_cmd_edit(pep_cli *cli, int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	pep_check_args_init(&a.check);
	int first;
	int r = pep_cli_parse(cli, &usage, argc, argv, on_option, &a, &first);
	if (r >= 0)
		return r;
	if (first >= argc)
		return pep_cli_usage_error(cli, "no file given: name the PEP file to edit (with --new, the file to start)");
	if (argc - first > 1)
		return pep_cli_usage_error(cli, "one file at a time: '%s' is one too many", argv[first + 1]);
	const char *la = a.check.cfg.la;
	if (a.new_pep && (!la || !a.kind))
		return pep_cli_usage_error(cli, "--new needs --la CODE (the LA that looks after the child) and --kind KIND");
	if (!a.new_pep && a.kind)
		return pep_cli_usage_error(cli, "--kind is for a new PEP (with --new); an existing PEP's kind is in the form");
	const char *path = argv[first];

	int status = PEP_EXIT_USAGE;
	char *err = NULL, *page = NULL, *page_folder = NULL;
	pep_form *form = NULL;
	pep_edit *e = NULL;
	pep_serve *server = NULL;
	pep_diags *d = pep_diags_new(path);
	int done[2] = {-1, -1}, sfd = -1;
	sigset_t stop, old;
	pid_t browser = -1;
	if (a.new_pep)
		a.check.cfg.la = NULL; /* the new PEP names its LA; the checker reads it there */
	pep_checker *checker = pep_check_args_checker(cli, &a.check);
	if (!checker)
		goto out;
	form = pep_form_load_installed(&err);
	if (!form) {
		pep_cli_error(cli, "%s", err);
		goto out;
	}
	if (a.new_pep) {
		size_t len = 0;
		char *text = pep_cli_skeleton(cli, checker, la, a.kind, &len);
		if (!text)
			goto out;
		e = pep_edit_new(checker, form, path, text, len, &err);
		free(text);
	} else {
		e = pep_edit_open(checker, form, path, d, &err);
		if (!e)
			pep_diags_write_text(cli->err, d);
	}
	if (!e) {
		pep_cli_error(cli, "%s", err);
		goto out;
	}

	/* Ctrl-C, SIGTERM and SIGHUP are read from a descriptor by this thread:
	 * blocked before the server's thread starts, so that it inherits the
	 * mask and a save it is making always finishes. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	sfd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (sfd < 0 || pipe2(done, O_CLOEXEC | O_NONBLOCK) != 0) {
		pep_cli_error(cli, "cannot wait for Ctrl-C: %s", strerror(errno));
		goto restore;
	}
	pep_serve_options so;
	memset(&so, 0, sizeof so);
	so.port = (unsigned)a.port;
	so.done_fd = done[1];
	so.preview.sections.strict = a.check.cfg.strict;
	so.preview.sections.generated = pep_date_generated();
	so.preview.sections.generator = "pep " PEP_VERSION;
	so.preview.pdf.created = pep_date_generated_time();
	so.preview.pdf.generator = "pep " PEP_VERSION;
	server = pep_serve_start(e, &so, &err);
	if (!server) {
		pep_cli_error(cli, "%s", err);
		goto restore;
	}
	const char *url = pep_serve_url(server);
	char *shown = pep_path_shown(path);
	fprintf(cli->out,
	        "pep edit: %s is open at\n"
	        "  %s\n"
	        "This address is the key to the PEP: do not share it. Stop with Ctrl-C here, or Close on the page.\n",
	        shown, url);
	free(shown);
	fflush(cli->out);
	if (!a.no_open) {
		/* Never the address itself on xdg-open's command line: anyone on
		 * this computer could read it in the list of processes. */
		page = launcher(url, &page_folder);
		browser = page ? open_browser(page) : -1;
		if (!page)
			fprintf(cli->out, "pep edit: cannot make a private page to open the browser with: open the address "
			                  "above in your browser\n");
		else if (browser < 0)
			fprintf(cli->out, "pep edit: cannot start xdg-open: open the address above in your browser\n");
		fflush(cli->out);
	}

	/* Nothing to do until a signal or the page's Close: poll sleeps. */
	struct pollfd w[2] = {{sfd, POLLIN, 0}, {done[0], POLLIN, 0}};
	while (poll(w, 2, -1) < 0 && errno == EINTR)
		;
	if (w[0].revents & POLLIN) {
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof si) > 0)
			fputc('\n', cli->out);
	}
	pep_serve_stop(server);
	server = NULL;
	status = report(cli, checker, path, pep_edit_dirty(e));

restore:
	if (sfd >= 0)
		close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
out:
	pep_serve_stop(server);
	if (browser > 0)
		waitpid(browser, NULL, WNOHANG);
	forget_launcher(page, page_folder);
	for (int i = 0; i < 2; i++)
		if (done[i] >= 0)
			close(done[i]);
	free(err);
	pep_diags_free(d);
	pep_edit_free(e);
	pep_form_free(form);
	pep_checker_free(checker);
	return status;
}
