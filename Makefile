# pep: Personal Education Plans, checked, rendered and converted.
#
#   make demo     install what is missing, build, and run pep on the samples
#   make check    install what is missing, build, and run every test
#   make check SANITIZE=1   the same under AddressSanitizer + UBSan
#   make install PREFIX=/usr/local DESTDIR=   (the program, its data, the sample PEPs, the man page)
#
# Debian packages that are missing are installed with apt-get when run as
# root; otherwise the exact command is printed.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR     = $(PREFIX)/bin
DATADIR    = $(PREFIX)/share/pep
MANDIR     = $(PREFIX)/share/man/man1

CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS      := libxml-2.0 libxslt libexslt zlib libmicrohttpd

# Debian packages the build, the tests and the demo need.
DEB_PKGS  := gcc make pkg-config libxml2-dev libxslt1-dev libhpdf-dev zlib1g-dev libcmocka-dev \
             libxml2-utils xsltproc python3 jq qpdf poppler-utils fonts-dejavu-core \
             fonttools icc-profiles-free time strace \
             chromium chromium-driver python3-selenium python3-scipy libmicrohttpd-dev $(DEB_EXTRA)

# The tests' Python: Debian's, which sees the Debian packages the tests use
# (python3-selenium, fonttools); a python3 earlier on the PATH (pyenv, a
# virtualenv) may not.
PYTHON    ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

SANITIZE  ?=
ifeq ($(SANITIZE),1)
BUILD     := build/asan
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT       := -O1 -g
else ifeq ($(SANITIZE),thread)
BUILD     := build/tsan
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
OPT       := -O1 -g
else
BUILD     := build/release
SAN_FLAGS :=
OPT       := -O2 -g
endif

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wno-format-nonliteral -Wpointer-arith -Wvla
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 $(OPT) $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) $(INCLUDES) -MMD -MP \
             -D_GNU_SOURCE -DPEP_VERSION='"$(VERSION)"' -DPEP_DATADIR_DEFAULT='"$(DATADIR)"' $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
LIBS       = $(PKG_LIBS) -lhpdf -lpthread -lm

# The fonts pep render embeds: DejaVu Sans cut down to the scripts a PEP's
# names and text need (Latin with its extensions, Vietnamese, Greek,
# Cyrillic, punctuation, currency, letterlike symbols, arrows), so that each
# PDF carries about 15 KB per font instead of 85, with every composite glyph
# decomposed, so that libharu's subsetting cannot drop a part of a letter
# (build-aux/pepsans.py says why). A document with any other character is
# set in the full DejaVu Sans instead (src/render/pdf.c).
DEJAVU    := /usr/share/fonts/truetype/dejavu
FONT_UNICODES := U+0020-007E,U+00A0-024F,U+0300-036F,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+2000-206F,U+20A0-20BF,U+2100-214F,U+2190-2199,U+2212,U+FFFD
FONTS     := fonts/PepSans.ttf fonts/PepSans-Bold.ttf

# The sources: src/ and its module folders (src/render: the PEP as a
# document, its layout, and the PDF and HTML writers).
SRC_DIRS  := src src/cmd src/rules src/render
INCLUDES  := $(SRC_DIRS:%=-I%)
LIB_SRC   := $(filter-out src/main.c,$(wildcard $(SRC_DIRS:%=%/*.c)))
# The editor's page (src/web/), compiled in as a table (src/web.h says why).
WEB_FILES := $(wildcard src/web/*.html src/web/*.css src/web/*.js src/web/*.svg)
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/src/%.o) $(BUILD)/gen/web.o
TEST_SRC  := $(wildcard tests/unit/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
PEP       := $(BUILD)/pep
# The binary the tests run. bin/pep is always the release build: an
# instrumented build (SANITIZE=1, SANITIZE=thread) stays under its own
# build folder, as $(BUILD)/bin/pep beside a share/pep link to this tree
# (where it finds ../share/pep/schemas and the rest), so that whoever runs
# bin/pep next never gets a slow instrumented binary.
ifeq ($(SANITIZE),)
RUN_PEP   := bin/pep
else
RUN_PEP   := $(BUILD)/bin/pep
endif
DEPS_OK   := build/.deps-ok

.PHONY: all deps demo check unit e2e replay sanitize valgrind install install-data uninstall clean docs bench tsan fuzz screenshots
.DEFAULT_GOAL := all

all: $(DEPS_OK) $(RUN_PEP) $(FONTS)

# bin/pep is the release binary, copied so that it finds ../schemas.
bin/pep: build/release/pep
	@mkdir -p bin
	@cmp -s $< $@ || cp $< $@

ifneq ($(SANITIZE),)
$(RUN_PEP): $(PEP)
	@mkdir -p $(BUILD)/bin $(BUILD)/share
	@ln -sfn ../../.. $(BUILD)/share/pep
	@cmp -s $(PEP) $@ || cp $(PEP) $@
endif

$(PEP): $(BUILD)/src/main.o $(BUILD)/libpep.a
	@echo "  LINK    $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libpep.a: $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/src/%.o: src/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libpep.a
	@mkdir -p $(dir $@)
	@echo "  TEST-CC $<"
	@$(CC) $(ALL_CFLAGS) -Isrc $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null) -o $@ $< \
	    $(BUILD)/libpep.a $(ALL_LDFLAGS) $(LIBS) $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d

$(BUILD)/gen/web.c: $(WEB_FILES) src/web/embed.sh
	@mkdir -p $(dir $@)
	@echo "  EMBED   $@"
	@sh src/web/embed.sh $(WEB_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/web.o: $(BUILD)/gen/web.c
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

fonts/PepSans.ttf: build-aux/pepsans.py $(DEPS_OK)
	@mkdir -p fonts
	@echo "  FONT    $@"
	@$(PYTHON) build-aux/pepsans.py $(DEJAVU)/DejaVuSans.ttf $@ '$(FONT_UNICODES)'

fonts/PepSans-Bold.ttf: build-aux/pepsans.py $(DEPS_OK)
	@mkdir -p fonts
	@echo "  FONT    $@"
	@$(PYTHON) build-aux/pepsans.py $(DEJAVU)/DejaVuSans-Bold.ttf $@ '$(FONT_UNICODES)'

# ---------------------------------------------------------------- deps
$(DEPS_OK):
	@$(MAKE) --no-print-directory deps
	@mkdir -p build && touch $@

deps:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	  done; \
	else \
	  for p in $(PKGS) cmocka; do $(PKG_CONFIG) --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	  [ -f /usr/include/hpdf.h ] || missing="$$missing libhpdf"; \
	  if [ -n "$$missing" ]; then echo "pep: missing libraries:$$missing (install their development packages)"; exit 1; fi; \
	fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "pep: installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "pep: these Debian packages are missing:$$missing"; \
	  echo "run:  sudo apt-get install -y$$missing"; \
	  exit 1; \
	fi

# ---------------------------------------------------------------- use
demo: all
	@echo "== pep validate --as-of 2026-07-17 samples/*.xml"
	@echo "   (schema and statutory rules at sign-off; prints nothing when every PEP is fine)"
	@bin/pep validate --as-of 2026-07-17 samples/*.xml && \
	  echo "   all $$(ls samples/*.xml | wc -l) sample PEPs pass for their LA (Kent, Southwark, Kirklees, Medway)"
	@echo
	@echo "== pep due --la kent --from 2025-12-15 --school-days 10   (an initial PEP after an unplanned placement)"
	@bin/pep due --la kent --from 2025-12-15 --school-days 10
	@echo
	@echo "== pep caseload --as-of 2026-03-01 samples  (the virtual school's children: who is overdue, who acts next)"
	@bin/pep caseload --as-of 2026-03-01 samples; test $$? -le 1
	@mkdir -p out && bin/pep caseload --as-of 2026-03-01 --format html -o out/caseload.html --force samples; test $$? -le 1
	@echo "   the same as a page: $(CURDIR)/out/caseload.html"
	@echo
	@echo "== pep validate samples/invalid/*.xml  (each breaks one thing)"
	@bin/pep validate samples/invalid/*.xml; test $$? = 1
	@echo
	@echo "== pep render --as-of 2026-07-17 -d out samples/*.xml  (one PDF per sample, named by LA child id and meeting date)"
	@mkdir -p out
	@bin/pep render --as-of 2026-07-17 -d out samples/*.xml; test $$? -le 1
	@echo "   the PDFs are in $(CURDIR)/out/"
	@echo
	@echo "== pep convert --to southwark samples/southwark-child-in-kent.xml -o out/southwark-child-in-kent.xml  (what did not fit, on stderr)"
	@mkdir -p out && bin/pep convert --to southwark samples/southwark-child-in-kent.xml -o out/southwark-child-in-kent.xml --force

# ---------------------------------------------------------------- measure
# Figures, not assertions: pep check beside xmllint --schema (throughput, and
# memory at 20k and 100k files), then pep render (PDFs/s, size).
bench: all
	@sh bench/check.sh
	@echo
	@$(PYTHON) bench/render.py --pep bin/pep

# ---------------------------------------------------------------- tests
check: all unit e2e replay

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do \
	  echo "unit: $$t"; PEP_DATADIR=$(CURDIR) $$t; \
	done

# Under the sanitizers pep runs some three times slower: the tests' time
# bounds stretch to match (PEP_TEST_SLOWDOWN, as make valgrind sets it).
E2E_SLOWDOWN := $(if $(SANITIZE),3,1)
e2e: $(RUN_PEP)
	@PEP_LIB=$(BUILD)/libpep.a PEP_TEST_SLOWDOWN=$${PEP_TEST_SLOWDOWN:-$(E2E_SLOWDOWN)} $(PYTHON) tests/run_e2e.py --pep $(RUN_PEP)

sanitize:
	$(MAKE) check SANITIZE=1

# valgrind's memcheck (release build, -O2 -g) over the unit tests, the fuzz
# replays and a representative part of the end-to-end tests (VALGRIND_E2E:
# every command on real files, the rule fixtures, the hostile inputs and the
# faults; not the browser, edit-server, font and slowest conversion tests),
# the last in $(nproc) shards at once. Under valgrind pep is some 30 times slower:
# PEP_TEST_SLOWDOWN stretches the tests' time bounds to match. The whole suite
# runs under ASan + UBSan (make sanitize). Logs: build/valgrind/.
VALGRIND       := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
                  --show-leak-kinds=definite,indirect --num-callers=30
VALGRIND_JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
VALGRIND_E2E   ?= test_validate. test_check. test_formats. test_render. test_rules. test_hostile. \
                  test_faults. test_cmd. test_authoring. test_confinement. \
                  test_convert.RoundTrips test_convert.Errors test_caseload.Children
valgrind:
	@$(MAKE) --no-print-directory deps DEB_EXTRA=valgrind
	@$(MAKE) --no-print-directory all $(TEST_BIN) $(REPLAY_BIN)
	@mkdir -p build/valgrind
	@set -e; for t in $(TEST_BIN); do \
	  echo "valgrind unit: $$t"; PEP_DATADIR=$(CURDIR) PEP_TEST_SLOWDOWN=30 $(VALGRIND) $$t > build/valgrind/$$(basename $$t).log 2>&1 \
	    || { cat build/valgrind/$$(basename $$t).log; exit 1; }; \
	done
	@$(PYTHON) fuzz/seeds.py $(BUILD)/replay/seeds
	@set -e; for t in $(FUZZ_TARGETS); do \
	  printf "valgrind replay %-9s " $$t; $(VALGRIND) $(BUILD)/replay/replay_$$t $(BUILD)/replay/seeds/$$t fuzz/regressions/$$t; \
	done
	@echo "valgrind e2e: $(VALGRIND_JOBS) shards (logs in build/valgrind/e2e-*.log)"
	@pids=""; for i in $$(seq 1 $(VALGRIND_JOBS)); do \
	  PEP_VALGRIND_BIN=$(CURDIR)/bin/pep PEP_TEST_SLOWDOWN=30 $(PYTHON) tests/run_e2e.py --pep tests/tools/valgrind-pep \
	    $(addprefix -k ,$(VALGRIND_E2E)) --shard $$i/$(VALGRIND_JOBS) --durations 10 > build/valgrind/e2e-$$i.log 2>&1 & pids="$$pids $$!"; \
	done; fail=0; i=0; for p in $$pids; do i=$$((i+1)); \
	  if wait $$p; then tail -n 11 build/valgrind/e2e-$$i.log; else cat build/valgrind/e2e-$$i.log; fail=1; fi; \
	done; exit $$fail

# ---------------------------------------------------------------- fuzzing
# make fuzz FUZZ_SECONDS=N runs each libFuzzer target (clang, ASan + UBSan)
# for N seconds (FUZZ_RUNS=N stops each after N executions, FUZZ_TARGETS
# picks some), seeded from the samples, calendars and hostile inputs; a
# crash is saved in fuzz/regressions/TARGET/, which make check then replays.
FUZZ_TARGETS ?= validate render convert calendar cli ttf edit
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?=
FUZZ_CC      ?= clang
FUZZ_BUILD   := build/fuzz
FUZZ_FLAGS    = -std=c11 -O1 -g -Wall -Wextra -Werror -Wno-unused-command-line-argument $(PKG_CFLAGS) -D_GNU_SOURCE \
                -DPEP_VERSION='"$(VERSION)"' -DPEP_SOURCE_DIR='"$(CURDIR)"' $(INCLUDES) -Ifuzz
FUZZ_LIB_OBJ := $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/src/%.o) $(FUZZ_BUILD)/gen/web.o
.SECONDARY: $(FUZZ_LIB_OBJ)

# clang, and its libFuzzer runtime (a Recommends of clang that Debian names by version).
$(FUZZ_BUILD)/.deps-ok: | $(DEPS_OK)
	@$(MAKE) --no-print-directory deps DEB_EXTRA=clang
	@$(MAKE) --no-print-directory deps DEB_EXTRA="libclang-rt-$$($(FUZZ_CC) -dumpversion | cut -d. -f1)-dev"
	@mkdir -p $(FUZZ_BUILD) && touch $@

$(FUZZ_BUILD)/src/%.o: src/%.c | $(FUZZ_BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@echo "  FUZZ-CC $<"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

$(FUZZ_BUILD)/gen/web.o: $(BUILD)/gen/web.c | $(FUZZ_BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@echo "  FUZZ-CC $<"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(FUZZ_LIB_OBJ)
	@echo "  FUZZ    $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_LIB_OBJ) $(LIBS)

fuzz: all $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@$(PYTHON) fuzz/seeds.py $(FUZZ_BUILD)/seeds
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/corpus/$$t fuzz/regressions/$$t; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s$(if $(FUZZ_RUNS), or $(FUZZ_RUNS) runs)"; \
	  rc=0; $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS)) \
	    -timeout=10 -rss_limit_mb=2048 -max_len=200000 \
	    -dict=$(CURDIR)/$(FUZZ_BUILD)/seeds/pep.dict -artifact_prefix=$(CURDIR)/fuzz/regressions/$$t/ -print_final_stats=1 \
	    $(CURDIR)/fuzz/corpus/$$t $(CURDIR)/$(FUZZ_BUILD)/seeds/$$t > $(FUZZ_BUILD)/$$t.log 2>&1 || rc=$$?; \
	  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|Done" $(FUZZ_BUILD)/$$t.log || true; \
	  if [ $$rc != 0 ]; then echo "fuzz $$t: failed (exit $$rc); the input is in fuzz/regressions/$$t/, the log in $(FUZZ_BUILD)/$$t.log"; exit 1; fi; \
	done

# The fuzz targets without libFuzzer: make check replays the seeds and the
# saved regressions through them (under the sanitizers with SANITIZE=1).
REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/replay/replay_%)

$(BUILD)/replay/replay_%: fuzz/fuzz_%.c fuzz/replay.c fuzz/fuzz.h $(BUILD)/libpep.a
	@mkdir -p $(dir $@)
	@echo "  REPLAY  $@"
	@$(CC) $(ALL_CFLAGS) -DPEP_SOURCE_DIR='"$(CURDIR)"' -Isrc -Ifuzz -o $@ fuzz/fuzz_$*.c fuzz/replay.c \
	    $(BUILD)/libpep.a $(ALL_LDFLAGS) $(LIBS)

replay: $(REPLAY_BIN)
	@$(PYTHON) fuzz/seeds.py $(BUILD)/replay/seeds
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/regressions/$$t; \
	  printf "replay %-9s " $$t; $(BUILD)/replay/replay_$$t $(BUILD)/replay/seeds/$$t fuzz/regressions/$$t; \
	done

# The batch checker, the caseload and render -j under ThreadSanitizer.
tsan:
	$(MAKE) --no-print-directory SANITIZE=thread build/tsan/bin/pep
	@$(PYTHON) tests/run_e2e.py --pep build/tsan/bin/pep -k Batch -k Paths -k Views -k SamplesPass -k Parallel -k Caseload -k test_formats.Check

# The pictures of pep edit and of the caseload page in docs/guide.md, taken
# from the real pages.
screenshots: bin/pep
	$(PYTHON) tests/tools/edit_screenshots.py --pep bin/pep --out docs
	$(PYTHON) tests/tools/caseload_screenshot.py --pep bin/pep --out docs/caseload.png

# docs/rules.md is generated from the rule table; a test keeps it equal.
docs: bin/pep
	bin/pep rules --format markdown > docs/rules.md

# ---------------------------------------------------------------- install
# install-data installs what needs no building (the guide's test uses it):
# the schemas, stylesheets, calendars, the sample PEPs docs/guide.md works
# with, and the man page.
install: all install-data
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/fonts
	install -m 755 $(PEP) $(DESTDIR)$(BINDIR)/pep
	install -m 644 $(FONTS) $(DESTDIR)$(DATADIR)/fonts/

install-data:
	install -d $(DESTDIR)$(DATADIR)/schemas $(DESTDIR)$(MANDIR)
	install -m 644 schemas/*.xsd $(DESTDIR)$(DATADIR)/schemas/
	if ls stylesheets/*.xsl >/dev/null 2>&1; then install -d $(DESTDIR)$(DATADIR)/stylesheets && \
	  install -m 644 stylesheets/*.xsl $(DESTDIR)$(DATADIR)/stylesheets/; fi
	if ls data/calendars/*.xml >/dev/null 2>&1; then install -d $(DESTDIR)$(DATADIR)/data/calendars && \
	  install -m 644 data/calendars/*.xml $(DESTDIR)$(DATADIR)/data/calendars/; fi
	for d in samples samples/invalid samples/southwark; do \
	  install -d $(DESTDIR)$(DATADIR)/$$d && install -m 644 $$d/*.xml $(DESTDIR)$(DATADIR)/$$d/ || exit 1; \
	done
	install -m 644 docs/pep.1 $(DESTDIR)$(MANDIR)/pep.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pep $(DESTDIR)$(MANDIR)/pep.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build/release build/asan build/tsan bin out fonts
