"""pep edit, started and spoken to over HTTP, for the tests and the guide's
screenshots.

    with Editor("samples/x.xml", "--as-of", "2026-07-17") as ed:
        ed.url                       # http://127.0.0.1:PORT/SECRET/
        ed.state()                   # GET api/state, as JSON
        ed.change(op="set", at=12, path="", value="x")
        status, headers, body = ed.request("GET", "/" + ed.secret + "/")
    ed.code, ed.out, ed.err          # after it stopped (Ctrl-C by default)
"""
import http.client
import json
import os
import select
import signal
import subprocess
import time
import urllib.parse

from peptest import PEP, ROOT, SLOWDOWN


class Editor:
    def __init__(self, path, *args, cwd=ROOT, prefix=(), env=None, wait=True):
        e = dict(os.environ)
        e.pop("PEP_DATADIR", None)
        if env:
            e.update(env)
        self.proc = subprocess.Popen(list(prefix) + [PEP, "edit", path, "--no-open"] + [str(a) for a in args],
                                     cwd=cwd, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.code = self.out = self.err = None
        self.url = self.secret = self.port = None
        self._head = b""
        if wait:
            self._read_address()

    def _read_address(self):
        deadline = time.time() + 20 * SLOWDOWN
        fd = self.proc.stdout.fileno()
        while b"\n  http://" not in self._head or not self._head.split(b"\n  http://", 1)[1].count(b"\n"):
            left = deadline - time.time()
            if left <= 0 or self.proc.poll() is not None:
                self.stop()
                raise AssertionError("pep edit printed no address:\n%s%s" % (self.out, self.err))
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    continue
                self._head += chunk
        line = self._head.split(b"\n  http://", 1)[1].split(b"\n", 1)[0].decode()
        self.url = "http://" + line
        u = urllib.parse.urlsplit(self.url)
        self.port = u.port
        self.secret = u.path.strip("/")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self, sig=signal.SIGINT, timeout=20):
        """Stops it (Ctrl-C) unless it stopped already; returns the exit code."""
        if self.code is None:
            if self.proc.poll() is None:
                self.proc.send_signal(sig)
            try:
                out, err = self.proc.communicate(timeout=timeout * SLOWDOWN)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                out, err = self.proc.communicate()
            self.code = self.proc.returncode
            self.out = (self._head + out).decode("utf-8", "replace")
            self.err = err.decode("utf-8", "replace")
        return self.code

    # -------------------------------------------------------------- HTTP
    def origin(self):
        return "http://127.0.0.1:%d" % self.port

    def request(self, method, target, body=None, headers=None, host=None, timeout=10):
        """One request on a fresh connection: (status, headers, body)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout * SLOWDOWN)
        try:
            c.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            if host is not False:
                c.putheader("Host", "127.0.0.1:%d" % self.port if host is None else host)
            for k, v in (headers or {}).items():
                c.putheader(k, v)
            if body is not None:
                c.putheader("Content-Length", str(len(body)))
            c.endheaders(body)
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def get(self, rest, **kw):
        return self.request("GET", "/%s/%s" % (self.secret, rest), **kw)

    def post(self, rest, fields, headers=None, **kw):
        h = {"Origin": self.origin(), "X-Pep-Edit": "1", "Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        h = {k: v for k, v in h.items() if v is not None}
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", "/%s/%s" % (self.secret, rest), body=body, headers=h, **kw)

    def state(self):
        status, _, body = self.get("api/state")
        assert status == 200, (status, body)
        return json.loads(body)

    def change(self, expect=200, **fields):
        status, _, body = self.post("api/change", {k: str(v) for k, v in fields.items()})
        assert status == expect, (status, body)
        return json.loads(body)

    def save(self, expect=200):
        status, _, body = self.post("api/save", {})
        assert status == expect, (status, body)
        return json.loads(body)


def find(node, path):
    """The first element of the state's document at a slash-separated path of
    names below node ("pepMeeting/targets/target"); None when there is none."""
    for name in [p for p in path.split("/") if p]:
        kids = [k for k in node.get("kids", []) if k["name"] == name]
        if not kids:
            return None
        node = kids[0]
    return node


def find_all(node, path):
    *up, last = path.split("/")
    parent = find(node, "/".join(up))
    return [k for k in (parent or {}).get("kids", []) if k["name"] == last]
