"""A real browser for the end-to-end tests: Debian's chromium, headless,
driven through chromium-driver with python3-selenium (make deps installs all
three).

    from browser import Browser
    with Browser() as b:
        b.open_file("out/report.html")        # or b.get("http://127.0.0.1:...")
        b.text()                              # the page's visible text
        b.console_errors()                    # severe console messages
        png = b.screenshot("out/shot.png")    # bytes, also written to the path
        ink(png) > 0.01                       # share of pixels that are not white

Chromium runs with no network beyond loopback (the flags of
/work/.library/env: no background networking, no component updates, no sync)
and a fresh profile in a temporary folder, removed on close. Tests that need
it call requires_browser() in setUp, which fails (not skips) when chromium is
missing: make deps installs it, so a missing browser is a broken setup.
"""
import os
import sys
import shutil
import struct
import tempfile
import zlib

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def requires_browser(test):
    """Fails the test with what to install when the browser stack is missing."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("python3-selenium (for %s)" % sys.executable)
    if missing:
        test.fail("the browser tests need %s: run make deps" % ", ".join(missing))


class Browser:
    def __init__(self, width=1280, height=900):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="pep-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--user-data-dir=" + self.profile,
                     "--window-size=%d,%d" % (width, height)):
            opts.add_argument(flag)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        self.driver.set_page_load_timeout(30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def get(self, url):
        self.driver.get(url)

    def open_file(self, path):
        self.driver.get("file://" + os.path.abspath(path))

    def text(self):
        """The visible text of the page's body."""
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.TAG_NAME, "body").text

    def console_errors(self):
        """Console messages of level SEVERE (errors, failed loads, CSP violations)."""
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def screenshot(self, path=None):
        png = self.driver.get_screenshot_as_png()
        if path:
            with open(path, "wb") as f:
                f.write(png)
        return png


def png_pixels(png):
    """(width, height, rows) of an 8-bit RGB or RGBA PNG, rows as bytes per pixel row."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", data[:10])
            if depth != 8 or colour not in (2, 6):
                raise ValueError("only 8-bit RGB/RGBA PNGs are read here")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += data
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def ink(png, threshold=240):
    """The share of pixels (0..1) with any channel darker than threshold."""
    width, height, bpp, rows = png_pixels(png)
    dark = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            if row[x] < threshold or row[x + 1] < threshold or row[x + 2] < threshold:
                dark += 1
    return dark / float(width * height)
