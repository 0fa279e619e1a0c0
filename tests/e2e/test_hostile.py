"""The hostile inputs of tests/hostile/MANIFEST: for each, pep must end
within its bound, with its exit status and rule, read nothing it was not
given (no line of /etc/passwd in any output) and write nothing it was not
asked to."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from peptest import PEP, ROOT, SLOWDOWN, Result, TempDirTest, pep

HOSTILE = os.path.join(ROOT, "tests", "hostile")
SAMPLE = os.path.join(ROOT, "samples", "kent-initial-unplanned-primary.xml")
PWNED = "/tmp/pep-pwned.txt"
# Peak memory means little under valgrind or the sanitizers (shadow memory).
MEASURE_MEMORY = SLOWDOWN == 1 and not os.environ.get("PEP_VALGRIND_BIN") and "/build/" not in PEP


def measured(args, timeout):
    """Runs pep with args from the root: (Result, seconds of processor time,
    peak RSS in MB, both of that one process, from wait4). Processor time,
    not time on the clock: the bound holds on a machine busy with other
    work too (a hang still ends at the timeout)."""
    env = dict(os.environ)
    env.pop("PEP_DATADIR", None)
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([PEP] + args, cwd=ROOT, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        deadline = t0 + timeout * SLOWDOWN
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                killed = True
                break
            time.sleep(0.005)
        took = time.monotonic() - t0 if killed else usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        proc.stdout, proc.stderr = out.read(), err.read()
    return Result(proc), took, usage.ru_maxrss / 1024.0


def manifest():
    rows = []
    with open(os.path.join(HOSTILE, "MANIFEST"), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, cmd, code, rule, bound, mb, why = re.split(r"\s+", line.strip(), maxsplit=6)
            rows.append(dict(name=name, cmd=cmd, code=int(code), rule=None if rule == "-" else rule,
                             bound=float(bound), mb=float(mb), why=why))
    return rows


def passwd_lines():
    try:
        with open("/etc/passwd") as f:
            return [l.strip() for l in f if l.strip()]
    except OSError:
        return []


def sample_text():
    with open(SAMPLE, encoding="utf-8") as f:
        return f.read()


# Characters that would act on a terminal or reorder a line, were a value
# holding them printed raw.
CONTROLS = ["\u202e", "\u2028", "\u2029", "\u0085", "\u009b", "\u2066"]


def attribute_bomb(n):
    return '<pep xmlns="https://pep-tool.org/ns/pep/1" %s/>' % " ".join('a%d="x"' % i for i in range(n))


def with_declaration(text, encoding):
    """The sample with its XML declaration naming encoding."""
    return re.sub(r'^<\?xml[^>]*\?>', '<?xml version="1.0" encoding="%s"?>' % encoding, text)


def many(base, item, n):
    """The sample with its new targets replaced by n copies of item."""
    targets = base.index("<targets>")
    start = base.index("<target>", targets)
    close = base.index("</targets>", start)
    return base[:start] + (item + "\n") * n + base[close:]


def generate(name, path):
    """Writes the generated input `name` at path."""
    base = sample_text()
    binary = None
    data = None
    if name == "attributes-ebcdic.xml":
        binary = ('<?xml version="1.0" encoding="IBM037"?>' + attribute_bomb(90000)).encode("cp037")
    elif name == "attributes-utf7.xml":
        text = attribute_bomb(60000).replace("=", "+AD0-").replace('"', "+ACI-")
        binary = ('<?xml version="1.0" encoding="UTF-7"?>' + text).encode("ascii")
    elif name == "attributes-utf16.xml":
        binary = attribute_bomb(60000).encode("utf-16-le")
    elif name == "attributes-utf32.xml":
        binary = attribute_bomb(25000).encode("utf-32")
    elif name == "attributes-latin1.xml":
        tag = "<x %s/>" % " ".join('a%d="\u00eb"' % i for i in range(60000))
        binary = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<pep xmlns="https://pep-tool.org/ns/pep/1">'
                  "<!-- Zo\u00eb -->\n" + tag + "</pep>").encode("latin-1")
    elif name == "ebcdic-valid.xml":
        binary = with_declaration(base, "IBM037").encode("cp037", errors="replace")
    elif name == "utf32-valid.xml":
        binary = with_declaration(base, "UTF-32").encode("utf-32")
    elif name == "unknown-encoding.xml":
        data = with_declaration(base, "x-no-such-encoding")
    elif name == "sjis-bad-byte.xml":
        binary = with_declaration(base, "Shift_JIS").encode("ascii", errors="replace").replace(b"Kent", b"K\x81\x7fnt", 1)
    elif name == "comments-8mb.xml":
        i = base.index("<pep ")
        data = base[:i] + "<!---->" * ((8 * 2**20 - 4096 - len(base)) // 7) + base[i:]
    elif name == "comments-32mb.xml":
        i = base.index("<pep ")
        with open(path, "w", encoding="utf-8") as f:
            f.write(base[:i])
            for _ in range(32):
                f.write("<!---->" * (2**20 // 7))
            f.write(base[i:])
        return
    elif name == "comments-199k.xml":
        i = base.index("<pep ")
        data = base[:i] + "<!---->" * 199000 + base[i:]
    elif name == "elements-250k.xml":
        j = base.index("</pep>")
        data = base[:j] + "<x/>" * 250000 + base[j:]
    elif name == "errors-28000.xml":
        small = "<target><area>bogus</area></target>"
        data = many(base, small, (2**20 - len(base)) // (len(small) + 1))
    elif name == "unknown-28000.xml":
        data = many(base, "<target><Amelia/></target>", 28000)
    elif name == "plain-text.xml":
        data = "".join("user%d:x:%d:%d:Fictional User %d:/home/user%d:/bin/sh\n" % (i, 1000 + i, 1000 + i, i, i)
                       for i in range(40))
    elif name == "binary.xml":
        binary = bytes((i * 7919 + 13) % 256 for i in range(4096))
    elif name == "a-pdf.xml":
        binary = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
    elif name == "a-zip.xml":
        binary = b"PK\x03\x04\x14\x00\x06\x00" + bytes(200)
    elif name == "utf16-declared-on-utf8.xml":
        data = with_declaration(base, "utf-16")
    elif name == "ucs4-declared-on-latin1.xml":
        binary = with_declaration(base, "ISO-10646-UCS-4").encode("latin-1", errors="replace")
    elif name == "controls-in-values.xml":
        # Each control in a value the schema refuses, so that it is quoted.
        data = base
        for ch, element in zip(CONTROLS, ["upn", "percentage", "score", "dateOfBirth", "urn", "yearGroup"]):
            assert "<%s>" % element in data, element
            data = re.sub(r"<%s>([^<])" % element, lambda m: "<%s>%s%s" % (element, m.group(1), ch), data, count=1)
    elif name == "line-separators-valid.xml":
        data = re.sub(r"<summary>.*?</summary>", "<summary>First line\u0085second line\u2028third line\u2029"
                      "a new paragraph.</summary>", base, count=1, flags=re.S)
    if binary is not None or data is not None:
        with open(path, "wb") as f:
            f.write(binary if binary is not None else data.encode("utf-8"))
        return
    if name == "deep-100000.xml":
        data = "<a>" * 100000 + "</a>" * 100000
    elif name == "text-200mb.xml":
        with open(path, "wb") as f:
            f.write(b'<pep xmlns="https://pep-tool.org/ns/pep/1">')
            chunk = b"x" * (1 << 20)
            for _ in range(200):
                f.write(chunk)
            f.write(b"</pep>")
        return
    elif name == "attributes-million.xml":
        data = "<pep " + " ".join('a%d="x"' % i for i in range(1000000)) + "/>"
    elif name in ("targets-10000.xml", "targets-10000-12mb.xml"):
        # The first new target (not the <target> of an attainment subject),
        # repeated 10,000 times in place of all of them: its texts cut to 30
        # characters (4 MB in all, under the 8 MB limit), or whole (12 MB).
        targets = base.index("<targets>")
        start = base.index("<target>", targets)
        end = base.index("</target>", start) + len("</target>")
        close = base.index("</targets>", end)
        target = base[start:end]
        if name == "targets-10000.xml":
            target = re.sub(r">([^<]{30})[^<]+<", r">\1<", target)
        data = base[:start] + (target + "\n") * 10000 + base[close:]
    elif name == "error-at-line-70000.xml":
        pad = "\n" * 70000
        data = base.replace("<healthIssues>", pad + "<healthIssues>", 1).replace("<score>18</score>", "<score>41</score>")
    else:  # the names: a copy of a valid sample
        data = base
    with open(path, "w", encoding="utf-8") as f:
        f.write(data)


class HostileInputs(TempDirTest):
    @classmethod
    def setUpClass(cls):
        cls.passwd = passwd_lines()

    def run_case(self, c):
        name = c["name"]
        if name.startswith("*"):
            name = name[1:].replace("⏎", "\n").replace("␣", " ")
            path = os.path.join(self.tmp, name)
            generate(name, path)
        else:
            path = os.path.join(HOSTILE, name)
        if os.path.exists(PWNED):
            os.unlink(PWNED)
        if c["cmd"] in ("validate", "check"):
            args = [c["cmd"], "--as-of", "2026-07-17", "--format", "json", path]
        elif c["cmd"] == "render":
            args = ["render", "--as-of", "2026-07-17", path, "-o", os.path.join(self.tmp, "out.pdf"), "--force"]
        else:
            args = ["next", path, "-o", os.path.join(self.tmp, "next.xml"), "--force"]
        r, took, mb = measured(args, timeout=c["bound"] + 60)
        r.path = path
        self.assertLess(took, c["bound"] * SLOWDOWN, "%s took %.1fs" % (name, took))
        if MEASURE_MEMORY:
            self.assertLess(mb, c["mb"], "%s took %.0f MB" % (name, mb))
        self.assertEqual(r.code, c["code"], r)
        for line in self.passwd:
            self.assertNotIn(line, r.out + r.err, "a line of /etc/passwd appeared")
        self.assertFalse(os.path.exists(PWNED), "something was written to %s" % PWNED)
        if name == "line-separators-valid.xml":
            self.assertNotIn("[FONT]", r.err)  # (U+0085 was "printed as an empty box")
        if c["cmd"] in ("validate", "check"):
            diags = json.loads(r.out)["files"][0]["diagnostics"]
            rules = {d["rule"] for d in diags}
            if c["rule"]:
                self.assertIn(c["rule"], rules, r)
            elif c["code"] == 0:
                self.assertFalse(rules & {"XML", "XSD", "IO"}, r)
            if name == "error-at-line-70000.xml":
                self.assertEqual([d["line"] for d in diags if d["rule"] == "XSD"], [70099], r)
            self.check_words(name, c["cmd"], diags, r)
            if name.startswith("new\n"):
                t = pep("validate", "--as-of", "2026-07-17", "--stage", "upload", "--la", "kirklees", path)
                self.assertNotIn("new\nline", t.out)  # a diagnostic stays one line
        return r

    def check_words(self, name, cmd, diags, r):
        """What the messages of some cases must say."""
        text = "\n".join(d["message"] for d in diags)
        if name.startswith("attributes-") and name != "attributes-million.xml":
            self.assertIn("more than 256 attributes", text)
        if name in ("errors-28000.xml", "unknown-28000.xml"):
            self.assertEqual(len(diags), 101, "the first 100, then one line")
            self.assertRegex(diags[-1]["message"], r"^and \d+ more \(\d+ errors\) not listed")
            total = json.loads(r.out)["summary"]["errors"]
            self.assertEqual(total, 100 + int(diags[-1]["message"].split()[1]), "the counts include them all")
        if name == "unknown-28000.xml" or cmd == "check":
            self.assertNotIn("Amelia", r.out + r.err) if cmd == "check" else None
        if name.startswith("comments-8mb") or name.startswith("elements-250k"):
            self.assertIn("more than 200,000 elements and comments", text)
        if name.startswith("comments-32mb") or name.startswith("targets-10000-12mb"):
            self.assertIn("larger than the 8 MB a PEP can be", text)
        if name == "ebcdic-valid.xml":
            self.assertEqual(diags, [], r)
        if name == "unknown-encoding.xml":
            self.assertIn('declares the encoding "x-no-such-encoding", which pep cannot read', text)
        if name == "sjis-bad-byte.xml":
            self.assertIn("not valid Shift_JIS here", text)
        if name == "plain-text.xml":
            self.assertIn("this is not XML: it looks like plain text", text)
            self.assertNotIn("empty", text)
        if name == "binary.xml":
            self.assertIn("this is not XML: it looks like binary data", text)
        if name == "a-pdf.xml":
            self.assertIn("this is a PDF, not XML", text)
        if name == "a-zip.xml":
            self.assertIn("zip archive", text)
        if name.startswith("utf16-declared-on-utf8"):
            self.assertNotIn("plain text", text)
            if cmd == "validate":
                self.assertIn('declares encoding="utf-16", but the file is saved one byte a character (its content '
                              'is UTF-8)', text)
                self.assertIn('change it to encoding="UTF-8"', text)
            else:
                self.assertIn("the first line declares an encoding of two or four bytes a character", text)
                self.assertNotIn("utf-16", text)
        if name == "ucs4-declared-on-latin1.xml":
            self.assertIn('declares encoding="ISO-10646-UCS-4", but the file is saved one byte a character', text)
        if name == "controls-in-values.xml":
            # In the JSON and in the text report alike: '?' where each was.
            t = pep("validate", "--as-of", "2026-07-17", r.path)
            quoted = re.findall(r'"[^"]*\?[^"]*"', text)
            self.assertGreaterEqual(len(quoted), len(CONTROLS), text)
            for ch in CONTROLS:
                self.assertNotIn(ch, r.out + r.err + t.out + t.err)

    @unittest.skipUnless(MEASURE_MEMORY, "peak memory is measured on the release build only")
    def test_check_memory_does_not_grow_with_its_threads(self):
        # Four 6 MB PEPs (10,000 targets each): one thread holds one at a
        # time; sixteen hold at most two (twice the largest size) between them.
        folder = os.path.join(self.tmp, "big")
        os.mkdir(folder)
        generate("targets-10000.xml", os.path.join(folder, "t1.xml"))
        for i in (2, 3, 4):
            shutil.copy(os.path.join(folder, "t1.xml"), os.path.join(folder, "t%d.xml" % i))
        r1, _, one = measured(["check", "--as-of", "2026-07-17", "-j", "1", folder], timeout=60)
        r16, _, sixteen = measured(["check", "--as-of", "2026-07-17", "-j", "16", folder], timeout=60)
        self.assertEqual(r1.out, r16.out)
        self.assertLess(sixteen, 2.5 * one, "-j 16 took %.0f MB where -j 1 took %.0f MB" % (sixteen, one))
        self.assertLess(sixteen, 250)

    def test_max_size_reads_a_larger_file(self):
        path = os.path.join(self.tmp, "t.xml")
        generate("targets-10000-12mb.xml", path)
        r = pep("validate", "--as-of", "2026-07-17", "--max-size", "16", path, timeout=60)
        self.assertEqual(r.code, 0, r)
        r = pep("validate", "--as-of", "2026-07-17", "--max-size", "0", path)
        self.assertEqual(r.code, 2, r)

    def test_manifest_has_at_least_30_inputs(self):
        self.assertGreaterEqual(len(manifest()), 30)
        for c in manifest():
            if not c["name"].startswith("*"):
                self.assertTrue(os.path.exists(os.path.join(HOSTILE, c["name"])), c["name"])

    def test_each_input(self):
        for c in manifest():
            with self.subTest(input=c["name"], command=c["cmd"]):
                self.run_case(c)

    def test_a_directory_and_a_missing_path_are_exit_2(self):
        r = pep("validate", self.tmp)
        self.assertEqual(r.code, 2, r)
        self.assertIn("this is a folder", r.err)
        r = pep("validate", os.path.join(self.tmp, "nope.xml"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("nope.xml: cannot read the file: No such file or directory", r.err)

    def test_latin1_names_are_decoded(self):
        r = pep("render", "--stage", "draft", os.path.join(HOSTILE, "latin1-declared-valid.xml"),
                "-o", os.path.join(self.tmp, "l.pdf"))
        self.assertEqual(r.code, 0, r)
        import subprocess
        text = subprocess.run(["pdftotext", os.path.join(self.tmp, "l.pdf"), "-"], stdout=subprocess.PIPE).stdout.decode()
        self.assertIn("Zoë", text)


if __name__ == "__main__":
    unittest.main()


class Privacy(TempDirTest):
    """pep check quotes nothing from a file, whatever is broken in it: an
    entity name, an element or attribute name, a namespace URI, bytes of bad
    UTF-8 or an encoding name made from a child's name (issue 13.10)."""

    NAME = "Amelia"

    def variants(self):
        base = sample_text()
        n = self.NAME
        return {
            "entity.xml": base.replace("<enjoys>", "<enjoys>&%s;" % n, 1),
            "element.xml": base.replace("<enjoys>", "<%s/><enjoys>" % n, 1),
            "unknown-root.xml": '<?xml version="1.0"?>\n<%s/>\n' % n,
            "attribute.xml": base.replace("<enjoys>", '<enjoys %s="1">' % n, 1),
            "duplicate-attribute.xml": base.replace("<enjoys>", '<enjoys %s="1" %s="2">' % (n, n), 1),
            "namespace.xml": base.replace('xmlns="https://pep-tool.org/ns/pep/1"', 'xmlns="urn:%s"' % n, 1),
            "prefix.xml": base.replace("<enjoys>", "<%s:enjoys>" % n, 1),
            "mismatch.xml": base.replace("<enjoys>", "<%s>" % n, 1),
            "truncated.xml": base[:base.index("<enjoys>")] + "<%s>" % n,
            "namespace-uri.xml": base.replace("<enjoys>", '<enjoys xmlns:a="%s %s">' % (n, n), 1),
            "encoding.xml": with_declaration(base, "x-%s" % n),
            "bad-utf8.xml": base.replace("<enjoys>", "<enjoys>%s\udce9" % n, 1),
            "pi.xml": base.replace("<enjoys>", "<?%s x?><enjoys>" % n, 1),
        }

    def test_check_quotes_nothing_from_the_file(self):
        folder = os.path.join(self.tmp, "batch")
        os.mkdir(folder)
        for name, text in self.variants().items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(text.encode("utf-8", "surrogateescape"))
        for fmt in ("text", "json", "csv"):
            with self.subTest(format=fmt):
                r = pep("check", "--as-of", "2026-07-17", "--format", fmt, folder)
                self.assertEqual(r.code, 1, r)
                self.assertNotIn(self.NAME, r.out + r.err)
                self.assertNotIn(self.NAME.lower(), (r.out + r.err).lower())
        # The test can fail: validate, for the person fixing one file, names
        # what is wrong in it.
        r = pep("validate", os.path.join(folder, "entity.xml"))
        self.assertIn("&%s;" % self.NAME, r.out)
