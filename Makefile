# pep: Personal Education Plans, checked, rendered and converted.
#
#   make demo     install what is missing, build, and run pep on the samples
#   make check    install what is missing, build, and run every test
#   make check SANITIZE=1   the same under AddressSanitizer + UBSan
#   make install PREFIX=/usr/local DESTDIR=   (the program, schemas, stylesheets, man page)
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
PKGS      := libxml-2.0 libxslt libexslt

# Debian packages the build, the tests and the demo need.
DEB_PKGS  := gcc make pkg-config libxml2-dev libxslt1-dev libhpdf-dev libcmocka-dev \
             libxml2-utils xsltproc python3 jq qpdf poppler-utils fonts-dejavu-core

SANITIZE  ?=
ifeq ($(SANITIZE),1)
BUILD     := build/asan
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
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
ALL_CFLAGS = -std=c11 $(OPT) $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) -MMD -MP \
             -D_GNU_SOURCE -DPEP_VERSION='"$(VERSION)"' -DPEP_DATADIR_DEFAULT='"$(DATADIR)"' $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
LIBS       = $(PKG_LIBS) -lhpdf -lpthread -lm

LIB_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/src/%.o)
TEST_SRC  := $(wildcard tests/unit/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
PEP       := $(BUILD)/pep
DEPS_OK   := build/.deps-ok

.PHONY: all deps demo check unit e2e sanitize install uninstall clean docs
.DEFAULT_GOAL := all

all: $(DEPS_OK) bin/pep

# bin/pep is the current build's binary (release, or SANITIZE=1), copied so
# that it finds ../schemas; always refreshed, since either build may be newer.
.PHONY: bin/pep
bin/pep: $(PEP)
	@mkdir -p bin
	@cmp -s $(PEP) $@ || cp $(PEP) $@

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
	@echo "== pep validate --stage draft samples/*.xml  (prints nothing when every file is fine)"
	@bin/pep validate --stage draft samples/*.xml && \
	  echo "   all $$(ls samples/*.xml | wc -l) sample PEPs are valid"
	@echo
	@echo "== pep validate samples/invalid/*.xml  (each breaks one thing)"
	@bin/pep validate samples/invalid/*.xml; test $$? = 1
	@echo
	@echo "== pep convert --to southwark samples/southwark-child-in-kent.xml -o out/southwark-child-in-kent.xml  (what did not fit, on stderr)"
	@mkdir -p out && bin/pep convert --to southwark samples/southwark-child-in-kent.xml -o out/southwark-child-in-kent.xml

# ---------------------------------------------------------------- tests
check: all unit e2e

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do \
	  echo "unit: $$t"; PEP_DATADIR=$(CURDIR) $$t; \
	done

e2e: bin/pep
	@python3 tests/run_e2e.py --pep bin/pep

sanitize:
	$(MAKE) check SANITIZE=1

# ---------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/schemas $(DESTDIR)$(MANDIR)
	install -m 755 $(PEP) $(DESTDIR)$(BINDIR)/pep
	install -m 644 schemas/*.xsd $(DESTDIR)$(DATADIR)/schemas/
	if ls stylesheets/*.xsl >/dev/null 2>&1; then install -d $(DESTDIR)$(DATADIR)/stylesheets && \
	  install -m 644 stylesheets/*.xsl $(DESTDIR)$(DATADIR)/stylesheets/; fi
	if ls data/calendars/*.xml >/dev/null 2>&1; then install -d $(DESTDIR)$(DATADIR)/data/calendars && \
	  install -m 644 data/calendars/*.xml $(DESTDIR)$(DATADIR)/data/calendars/; fi
	install -m 644 docs/pep.1 $(DESTDIR)$(MANDIR)/pep.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pep $(DESTDIR)$(MANDIR)/pep.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build/release build/asan bin out
