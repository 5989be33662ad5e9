#!/usr/bin/env python
"""Benchmark: how many bytes each page a patient opens costs on the wire (issue 17).

    python3 bench/page_weight.py              # SQLite; prints the table
    python3 bench/page_weight.py --write-doc  # and update docs/performance.md
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python3 bench/page_weight.py          # the same on PostgreSQL (the bytes do not change)

The target: the home page's first visit (its HTML with every stylesheet, script and icon it
loads, nothing cached) at most 60 KB as transferred with gzip.

What it does, in under a minute (never a test; nothing in tests/ is timed or weighed):

1. Makes a throw-away REWIRE_HOME, runs `rewire migrate` and
   `rewire demo --days 90 --email page-weight@rewire.invalid` (90 days of check-ins, most of
   the programme done, a fear ladder, an experiment: what a person a few months in has).
2. Starts `rewire serve --workers 1 --threads 2` as a real process (gunicorn, WhiteNoise with
   the `.gz` files `collectstatic` wrote, the full middleware chain) and signs in through the
   sign-in form with the demo's password, as a browser does.
3. For each page in PAGES: `GET` with `Accept-Encoding: gzip` and the session cookie, then
   every stylesheet, script, icon and manifest the HTML names (`<link href>`, `<script src>`,
   `<img src>`), each with `Accept-Encoding: gzip`. "Transferred" is what came over the socket
   for each answer: status line, headers and the (compressed) body; "uncompressed" is the
   body after gunzip. A page that does not answer 200 with HTML is listed apart.
4. Prints a Markdown table: per page, the HTML (transferred / uncompressed), its assets, and
   the first visit's total (HTML + every asset, nothing cached) and the cost of opening it
   after the home page (HTML + assets the home page did not already load; static files are
   cached for a year by their hashed names). `--write-doc` puts it, with the machine and
   commit, into docs/performance.md between the `bench:page-weight` markers.
"""

import argparse
import gzip
import http.client
import os
import re
import shutil
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import common
from common import HOST, code_version, command_line, free_port, rewire_command, stop_process

TARGET_KB = 60
EMAIL = "page-weight@rewire.invalid"
# Every page the navigation reaches, and the pages a patient opens from them most.
PAGES = [
    "/",
    "/programme",
    "/programme/sessions/tracking",
    "/programme/practice/somatic_tracking",
    "/programme/flare-plan",
    "/programme/evidence",
    "/movement",
    "/movement/ladder",
    "/history",
    "/insights",
    "/questionnaires",
    "/settings",
    "/settings/reminders",
    "/sharing",
    "/report",
    "/urgent-help",
]
BEGIN, END = "<!-- bench:page-weight:begin -->", "<!-- bench:page-weight:end -->"


class Assets(HTMLParser):
    """The addresses of the files a page makes the browser load."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "link"
            and attrs.get("href")
            and attrs.get("rel")
            in (
                "stylesheet",
                "icon",
                "manifest",
                "apple-touch-icon",
                "preload",
                "modulepreload",
            )
        ):
            self.found.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.found.append(attrs["src"])


class Browser:
    """One keep-alive connection with a cookie jar, asking for gzip like a browser."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = {"Accept-Encoding": "gzip", "Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + sum(
            len(f"{name}: {value}\r\n") for name, value in response.getheaders()
        )
        encoded = response.getheader("Content-Encoding", "")
        plain = gzip.decompress(raw) if encoded == "gzip" else raw
        return response, head + 2 + len(raw), plain

    def sign_in(self, email: str, password: str) -> None:
        _, _, page = self.request("GET", "/accounts/login")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password})
        response, _, _ = self.request(
            "POST",
            "/accounts/login",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"signing in failed: {response.status}")


def wait_ready(server: subprocess.Popen, port: int, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited:\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/accounts/login")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise SystemExit(f"the server was not ready after {timeout} s:\n{log.read_text()}")


def weigh(browser: Browser) -> tuple[list[dict], dict[str, dict], list[str]]:
    pages, assets, skipped = [], {}, []
    for path in PAGES:
        response, transferred, plain = browser.request("GET", path)
        kind = response.getheader("Content-Type", "")
        if response.status != 200 or "html" not in kind:
            skipped.append(f"{path} ({response.status})")
            continue
        parser = Assets()
        parser.feed(plain.decode())
        names = []
        for address in parser.found:
            address = urlsplit(urljoin(path, address)).path
            names.append(address)
            if address not in assets:
                answer, size, body = browser.request("GET", address)
                assert answer.status == 200, (address, answer.status)
                assets[address] = {
                    "transferred": size,
                    "plain": len(body),
                    "encoding": answer.getheader("Content-Encoding", "none"),
                }
        pages.append(
            {
                "path": path,
                "transferred": transferred,
                "plain": len(plain),
                "encoding": response.getheader("Content-Encoding", "none"),
                "assets": names,
            }
        )
    return pages, assets, skipped


def unhashed(name: str) -> str:
    """`rewire.3f2a1b0c9d8e.css` -> `rewire.css` (the storage's content hash left out)."""
    return re.sub(r"[.][0-9a-f]{12}[.]", ".", name)


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def report(pages, assets, skipped) -> list[str]:
    home = next(page for page in pages if page["path"] == "/")
    cached = set(home["assets"])
    lines = [
        "| page | HTML KB transferred (uncompressed) | assets | assets KB transferred | "
        "first visit KB | after the home page KB |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for page in pages:
        own = sum(assets[a]["transferred"] for a in page["assets"])
        later = page["transferred"] + sum(
            assets[a]["transferred"] for a in page["assets"] if a not in cached
        )
        names = ", ".join(unhashed(Path(a).name) for a in page["assets"]) or "none"
        lines.append(
            f"| `{page['path']}` | {kb(page['transferred'])} ({kb(page['plain'])}) | {names} | "
            f"{kb(own)} | {kb(page['transferred'] + own)} | {kb(later)} |"
        )
    lines += [
        "",
        "| static file | KB transferred | KB uncompressed | Content-Encoding |",
        "|---|---:|---:|---|",
    ]
    for address, asset in sorted(assets.items()):
        lines.append(
            f"| `{unhashed(address)}` | {kb(asset['transferred'])} | "
            f"{kb(asset['plain'])} | {asset['encoding']} |"
        )
    first = home["transferred"] + sum(assets[a]["transferred"] for a in home["assets"])
    encodings = {page["encoding"] for page in pages}
    lines += [
        "",
        f"Home page, first visit: **{kb(first)} KB** transferred (target at most {TARGET_KB} KB): "
        + ("**met**." if first <= TARGET_KB * 1024 else "**not met**."),
        f"Pages sent with Content-Encoding: {', '.join(sorted(encodings))}.",
    ]
    if skipped:
        lines.append(f"Not weighed (no HTML page at that address): {', '.join(skipped)}.")
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=90, help="Days of demo diary.")
    parser.add_argument("--write-doc", action="store_true", help="Update docs/performance.md.")
    parser.add_argument("--keep", action="store_true", help="Keep the temp dir and server log.")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="rewire-bench-weight-"))
    home = tmp / "home"
    home.mkdir()
    base_url = common.postgres_url()
    env = common.server_environment()
    env["REWIRE_HOME"] = str(home)
    # The code of this checkout, also where the package is installed from another one.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(common.REPO), env.get("PYTHONPATH")]))
    database_urls = {}
    if base_url:
        database_urls = common.postgres_databases(base_url, ["weight"])
        env["DATABASE_URL"] = database_urls["weight"]
        database = f"PostgreSQL {common.postgres_version(base_url)}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    rewire = rewire_command()
    server = None
    log = tmp / "server.log"
    try:
        subprocess.run([*rewire, "migrate", "--verbosity", "0"], env=env, check=True)
        demo = subprocess.run(
            [*rewire, "demo", "--days", str(args.days), "--email", EMAIL],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        print(demo.splitlines()[0], flush=True)
        password = re.search(r"and password (\S+)", demo).group(1)
        commit = code_version()
        port = free_port()
        server = subprocess.Popen(
            [*rewire, "serve", "--host", HOST, "--port", str(port)]
            + ["--workers", "1", "--threads", "2", "--no-worker"],
            env=env,
            cwd=tmp,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_ready(server, port, log)
        browser = Browser(port)
        browser.sign_in(EMAIL, password)
        pages, assets, skipped = weigh(browser)
    finally:
        if server is not None:
            stop_process(server)
        if database_urls:
            common.drop_postgres_databases(base_url, database_urls)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    import django

    lines = common.machine(tmp, database, commit, {"Django": django.__version__})
    lines += [
        f"- Demo diary: `rewire demo --days {args.days}`; server `rewire serve --workers 1 "
        "--threads 2` (gunicorn, WhiteNoise), signed in through the sign-in form",
        f"- Command: `{command_line('bench/page_weight.py', argv, base_url and 'postgres://...')}`",
        "",
        *report(pages, assets, skipped),
    ]
    block = "\n".join(lines)
    print(block)
    if args.write_doc:
        common.write_doc(BEGIN, END, block)
        print(f"\nWritten to {common.DOC}")


if __name__ == "__main__":
    main()
