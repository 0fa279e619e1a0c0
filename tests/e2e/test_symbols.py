"""Every global symbol of libpep.a has the pep_ prefix, with no exception
(the commands are pep_cmd_*, the allocators that abort when memory runs out
pep_x*): a library that others link must not take plain names such as rd,
list_add, cmd_check or xmalloc. Everything else is static."""
import os
import re
import shutil
import subprocess
import unittest

from peptest import ROOT

LIB = os.environ.get("PEP_LIB") or os.path.join(ROOT, "build", "release", "libpep.a")
ALLOWED = re.compile(r"pep_\w+")


class Symbols(unittest.TestCase):
    def test_every_global_symbol_is_prefixed(self):
        if not shutil.which("nm"):
            self.skipTest("nm (binutils) is not installed")
        self.assertTrue(os.path.exists(LIB), "%s is not built (make sets PEP_LIB)" % LIB)
        out = subprocess.run(["nm", "-g", "--defined-only", LIB], check=True, stdout=subprocess.PIPE,
                             universal_newlines=True).stdout
        symbols = [line.split()[-1] for line in out.splitlines() if re.match(r"^[0-9a-f]+ [A-Z] ", line)]
        # AddressSanitizer adds __odr_asan.NAME beside each global NAME.
        symbols = [s[len("__odr_asan."):] if s.startswith("__odr_asan.") else s for s in symbols]
        self.assertGreater(len(symbols), 100, "nm found too few symbols in %s" % LIB)
        self.assertEqual([s for s in symbols if not ALLOWED.fullmatch(s)], [])
