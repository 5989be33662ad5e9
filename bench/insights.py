#!/usr/bin/env python
"""Benchmark: the insights page and API on diaries of one to twenty years.

    python3 bench/insights.py              # SQLite: 365, 730, 1825, 3650 and 7300 days
    python3 bench/insights.py --write-doc  # and update docs/performance.md
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python3 bench/insights.py          # the same on PostgreSQL

The target (issue 6): insights for a 10-year diary (`rewire demo --days 3650`, 18,000+
check-ins) in at most 150 ms of server time, the cost growing linearly with the diary.

What it does, in about five minutes (never a test; nothing in tests/ is timed):

1. Makes a throw-away REWIRE_HOME, runs `rewire migrate`, then for each N
   `rewire demo --days N --email bench-N@rewire.invalid`: five diaries side by side in one
   database (about 5 check-ins a day, with their emotions and tags, plus the programme,
   questionnaire and fear-ladder records the demo writes), and a token for each
   (`rewire token create`).
2. Starts `rewire serve --host 127.0.0.1 --port <free> --workers 1 --threads 1` as a real
   process, and in this process `django.setup()` with the same settings (same environment,
   same database); then, as `rewire serve` does before its workers fork, loads every view
   and freezes what is loaded out of the garbage collector's full passes (`gc.freeze()`).
3. Warms up (the first request of a fresh process is slower; its time is reported apart),
   then 5 rounds; in each, for each N in turn, 20 requests of each kind:
   - server, `GET /insights` with a session cookie and `GET /api/v1/insights` with the token:
     the time from sending the request to the last byte of the answer, one keep-alive
     client on 127.0.0.1. Rewire sends no `Server-Timing` header, so this is "request time
     on localhost", an upper bound on the server time (it adds the loopback and the
     client's parsing, well under a millisecond). Also the CPU time of the gunicorn
     processes per request, from /proc.
   - in-process, the same two URLs through `django.test.Client` (signed in with
     `force_login`; the full middleware chain, no network, no gunicorn), and inside each of
     those requests the time spent in `rewire.insights.data.daily`, `stats.analyse`,
     `stats.trends` and the page's template rendering. Those are timed by wrappers put
     around the functions only while the in-process requests run, and removed after: the
     app is not changed. "Rest" is the request's time minus those parts (middleware,
     sessions, the view's other queries, the API's JSON). Python's full (generation 2)
     garbage collections are counted and timed too, with `gc.callbacks`: they fall inside
     whichever part was running.
   - the database's share of `daily`: its queries (caught once per round with
     `connection.execute_wrapper`) re-run with a plain cursor, execute + fetchall, without
     Django's conversion of each value into Python objects.
   Every answer must be 200.
4. Prints Markdown tables: per N, the rows (days, check-ins) and the median of the rounds'
   medians and the p90 of all requests; a least-squares line time = a + b * days with R^2
   for each series, and the cost per 1000 days between neighbouring N (constant if the
   growth is linear); what dominates; whether the 150 ms target holds at 3650 days.
   `--write-doc` writes them and the machine into docs/performance.md between the
   `bench:insights:sqlite` (or `bench:insights:postgresql`) markers.

Shared machine: each batch of 20 records the CPU that every process other than this one,
the server and PostgreSQL's used meanwhile (from /proc), and a batch during which that was
above 0.2 cores is measured again after a 10 s pause, up to `--retries` (3) times; the
results say how many were, and warn if any batch kept was still disturbed. The load
average before and after is noted. As root, `nice -n -10 python3 bench/insights.py` keeps
other work from disturbing the runs much. If the code under rewire/ changes during a run
(another commit), the results say so.

PostgreSQL: with DATABASE_URL=postgres://user@host:port/db set, the benchmark creates a
database `rewire_bench_<pid>_insights` next to `db` through that URL and drops it at the end.
It runs `ANALYZE` after loading the diaries, as autovacuum would soon do by itself.
"""

import argparse
import gc
import http.client
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common
from common import (
    DOC,
    HOST,
    REPO,
    TICK,
    busy_cpu_seconds,
    code_version,
    command_line,
    drop_postgres_databases,
    free_port,
    loadavg,
    postgres_databases,
    postgres_version,
    rewire_command,
    stop_process,
    version,
    write_doc,
)

TARGET_DAYS, TARGET_MS = 3650, 150.0
QUIET = 0.2  # cores of other load above which a batch is measured again
RETRY_PAUSE = 10  # seconds
PAGE, API = "/insights", "/api/v1/insights"
KINDS = ("server page", "server api", "in-process page", "in-process api")


def markers(database: str) -> tuple[str, str]:
    return f"<!-- bench:insights:{database}:begin -->", f"<!-- bench:insights:{database}:end -->"


# --- The server -------------------------------------------------------------------------------


class Server:
    """`rewire serve` with one worker and one thread, as a subprocess."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [
                *rewire_command(),
                "serve",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--workers",
                "1",
                "--threads",
                "1",
            ],
            env=env,
            cwd=log.parent,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, headers: dict, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited:\n{self.log.read_text()}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
                connection.request("GET", "/api/v1/checkins?limit=1", headers=headers)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.2)
        raise SystemExit(f"the server was not ready after {timeout} s:\n{self.log.read_text()}")

    def cpu_seconds(self) -> tuple[float, dict[int, float]]:
        """User + system CPU so far of the gunicorn master and its worker, and of each
        process called `postgres` (by pid: they come and go)."""
        server, postgres = 0, {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                name, rest = stat.read_text().rsplit(")", 1)
            except OSError:
                continue
            fields = rest.split()
            pid, ticks = int(stat.parent.name), int(fields[11]) + int(fields[12])
            if pid == self.process.pid or int(fields[1]) == self.process.pid:
                server += ticks
            elif name.endswith("(postgres"):
                postgres[pid] = ticks / TICK
        return server / TICK, postgres

    def stop(self) -> None:
        stop_process(self.process)


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Load:
    """CPU used during a batch by the server, and by every other process on the machine
    except this one, the server and PostgreSQL's ("other load", in cores)."""

    def __init__(self, server: Server):
        self.server = server

    def __enter__(self):
        self.before = (*self.server.cpu_seconds(), own_cpu_seconds(), busy_cpu_seconds())
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        wall = time.perf_counter() - self.started
        after = (*self.server.cpu_seconds(), own_cpu_seconds(), busy_cpu_seconds())
        server, own, busy = (after[i] - self.before[i] for i in (0, 2, 3))
        # What each PostgreSQL process used meanwhile (one that ended is not counted).
        postgres = sum(
            max(0.0, used - self.before[1].get(pid, 0.0)) for pid, used in after[1].items()
        )
        self.server_cpu = server
        self.other_cores = max(0.0, busy - server - postgres - own) / wall


def server_batch(server: Server, path: str, headers: dict, count: int) -> dict:
    """`count` GETs over one keep-alive connection; times from sending to the last byte."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
    connection.connect()  # outside the timed requests
    times, sizes = [], []
    load = Load(server).__enter__()
    try:
        for _ in range(count):
            begin = time.perf_counter_ns()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            times.append((time.perf_counter_ns() - begin) / 1e6)
            if response.status != 200:
                raise SystemExit(f"GET {path} answered {response.status}; see {server.log}")
            sizes.append(len(body))
    finally:
        connection.close()
    load.__exit__()
    return {
        "times": times,
        "bytes": statistics.median(sizes),
        "server_cpu": load.server_cpu,
        "other_cores": load.other_cores,
    }


# --- In this process --------------------------------------------------------------------------


class Parts:
    """Wrappers around the insights functions and the template backend's render(), installed
    only inside `with Parts():` and removed on leaving it, that add each call's time to
    `self.now` (a fresh dict per request). Only the outermost template render counts, so
    templates rendered inside it (includes, form widgets) are not counted twice. Also, with
    `gc.callbacks`, the time of Python's full (generation 2) garbage collections, which
    fall inside whichever part was running and are counted there too, as `gc`."""

    def __enter__(self):
        from django.template.backends.django import Template

        from rewire.insights import data, stats

        self.now: dict[str, float] = {}
        self.depth = 0
        self.saved = [
            (data, "daily", data.daily, "daily"),
            (stats, "analyse", stats.analyse, "analyse"),
            (stats, "trends", stats.trends, "trends"),
            (Template, "render", Template.render, "template"),
        ]
        for owner, attribute, original, label in self.saved:
            setattr(owner, attribute, self._timed(original, label))
        gc.callbacks.append(self._collected)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self._collected)
        for owner, attribute, original, _ in self.saved:
            setattr(owner, attribute, original)

    def _collected(self, phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            self.gc_started = time.perf_counter_ns()
        else:
            self.gc.append((time.perf_counter_ns() - self.gc_started) / 1e6)

    def _timed(self, function, label):
        nested = label == "template"

        def timed(*args, **kwargs):
            self.depth += nested
            begin = time.perf_counter_ns()
            try:
                return function(*args, **kwargs)
            finally:
                self.depth -= nested
                if self.depth == 0:
                    spent = (time.perf_counter_ns() - begin) / 1e6
                    self.now[label] = self.now.get(label, 0) + spent

        return timed


def inprocess_batch(client, path: str, count: int, parts: Parts, server: Server) -> dict:
    times, sizes, breakdown, collections = [], [], [], []
    with Load(server) as load:
        for _ in range(count):
            parts.now, parts.gc = {}, []
            begin = time.perf_counter_ns()
            response = client.get(path)
            total = (time.perf_counter_ns() - begin) / 1e6
            if response.status_code != 200:
                raise SystemExit(f"in-process GET {path} answered {response.status_code}")
            times.append(total)
            sizes.append(len(response.content))
            breakdown.append({**parts.now, "rest": total - sum(parts.now.values())})
            collections += parts.gc
    return {
        "times": times,
        "bytes": statistics.median(sizes),
        "parts": breakdown,
        "gc": collections,
        "other_cores": load.other_cores,
    }


def days_with_data(diary) -> int:
    """Calendar days with any record: those have a count of practices, if only 0."""
    import numpy as np

    from rewire.insights.stats import MEASURES

    return int((~np.isnan(diary.measures[:, MEASURES.index("practices")])).sum())


def daily_queries(user, today) -> list[tuple[str, object]]:
    from django.db import connection

    from rewire.insights import data

    caught = []

    def catch(execute, sql, params, many, context):
        caught.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(catch):
        data.daily(user, last=today)
    return caught


def database_ms(queries) -> float:
    """The daily queries run with a plain cursor: execute + fetchall, no conversions."""
    from django.db import connection

    begin = time.perf_counter_ns()
    for sql, params in queries:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter_ns() - begin) / 1e6


# --- Statistics -------------------------------------------------------------------------------


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def line_fit(xs, ys) -> tuple[float, float, float]:
    """Least squares y = a + b x: (a, b, R^2)."""
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    b = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    a = mean_y - b * mean_x
    total = sum((y - mean_y) ** 2 for y in ys)
    residual = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return a, b, 1 - residual / total if total else 1.0


# --- Machine and report -----------------------------------------------------------------------


def machine(tmp: Path, database: str, commit: str) -> list[str]:
    versions = {
        "Django": version("django"),
        "django-ninja": version("ninja"),
        "gunicorn": version("gunicorn"),
        "numpy": version("numpy"),
        "scipy": version("scipy"),
    }
    return common.machine(tmp, database, commit, versions)


def summarise(batches: list[dict]) -> dict:
    """Several rounds of one kind at one N: the median of the rounds' medians, the p90 of all
    requests, and the range of the rounds' medians."""
    medians = [statistics.median(b["times"]) for b in batches]
    everything = [t for b in batches for t in b["times"]]
    return {
        "median": statistics.median(medians),
        "low": min(medians),
        "high": max(medians),
        "p90": percentile(everything, 0.90),
        "requests": len(everything),
        "bytes": statistics.median(b["bytes"] for b in batches),
        "other_cores": max(b["other_cores"] for b in batches),
        "cpu_ms": (
            1000 * sum(b["server_cpu"] for b in batches) / len(everything)
            if "server_cpu" in batches[0]
            else None
        ),
        "parts": (
            {
                label: statistics.median(
                    statistics.median(request.get(label, 0.0) for request in b["parts"])
                    for b in batches
                )
                for label in ("daily", "analyse", "trends", "template", "rest")
            }
            if "parts" in batches[0]
            else None
        ),
        "gc": (
            {
                "per_100": 100 * sum(len(b["gc"]) for b in batches) / len(everything),
                "ms": statistics.median([t for b in batches for t in b["gc"]] or [0.0]),
            }
            if "gc" in batches[0]
            else None
        ),
    }


def linearity(results, sizes, kinds) -> list[str]:
    """The least-squares lines over the diary lengths, and whether the growth is linear."""
    days = sorted(results)
    xs = [sizes[n]["days"] for n in days]
    lines = [
        "",
        "Least-squares line over the medians, time = a + b x days (days with data), and the "
        "cost per 1,000 days between neighbouring lengths (constant when the growth is linear):",
        "",
        "| series | a, ms | b, ms per 1,000 days | R² | ms per 1,000 days, step by step |",
        "|---|---:|---:|---:|---|",
    ]
    series = {
        "page, localhost": "server page",
        "API, localhost": "server api",
        "page, in-process": "in-process page",
        "API, in-process": "in-process api",
    }
    fits = {}
    for label, kind in series.items():
        if kind not in kinds:
            continue
        ys = [results[n][kind]["median"] for n in days]
        a, b, r2 = line_fit(xs, ys)
        steps = [1000 * (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)]
        fits[kind] = (a, b, r2, steps)
        step_text = ", ".join(
            f"{days[i]:,}→{days[i + 1]:,}: {step:.1f}" for i, step in enumerate(steps)
        )
        lines.append(f"| {label} | {a:.1f} | {1000 * b:.1f} | {r2:.4f} | {step_text} |")
    parts_fit = {}
    for label in ("daily", "analyse"):
        ys = [results[n]["in-process page"]["parts"][label] for n in days]
        parts_fit[label] = line_fit(xs, ys)
        a, b, r2 = parts_fit[label]
        lines.append(f"| `{label}` alone | {a:.1f} | {1000 * b:.1f} | {r2:.4f} | |")

    # The verdicts.
    lines.append("")
    page_fit = fits["server page"]
    steps = page_fit[3][1:] or page_fit[3]  # the first step (365→730) is the noisiest
    linear = page_fit[2] >= 0.99 and max(steps) <= 1.5 * min(steps)
    lines.append(
        f"**Linear?** {'Yes' if linear else 'Not clearly'}: the page's line on localhost has "
        f"R² = {page_fit[2]:.4f}, and from 730 days on each further 1,000 days cost "
        f"{min(steps):.1f}-{max(steps):.1f} ms. "
        + (
            "Every line above, `daily` and `analyse` alone included, has R² of at least 0.99."
            if linear and all(fit[2] >= 0.99 for fit in [*fits.values(), *parts_fit.values()])
            else "Look at the step-by-step costs above: they should be about constant."
        )
    )
    return lines


def report(results, sizes, kinds, database_share, first_request, notes) -> list[str]:
    days = sorted(results)
    lines = [
        "| days asked | days with data | check-ins | emotion ratings | tag links | demo s |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n in days:
        s = sizes[n]
        lines.append(
            f"| {n:,} | {s['days']:,} | {s['checkins']:,} | {s['emotions']:,} | {s['tags']:,} "
            f"| {s['demo_seconds']:.1f} |"
        )

    def cell(r):
        return f"{r['median']:.1f} | {r['p90']:.1f}"

    has_api = "server api" in kinds
    head = "| days | page: localhost ms | p90 | server CPU ms |"
    rule = "|---:|---:|---:|---:|"
    if has_api:
        head += " API: localhost ms | p90 | server CPU ms |"
        rule += "---:|---:|---:|"
    head += " page: in-process ms | p90 |"
    rule += "---:|---:|"
    if has_api:
        head += " API: in-process ms | p90 |"
        rule += "---:|---:|"
    head += " page / API KB | other load, cores (most) |"
    rule += "---:|---:|"
    lines += ["", head, rule]
    for n in days:
        r = results[n]
        row = f"| {n:,} | {cell(r['server page'])} | {r['server page']['cpu_ms']:.1f} |"
        if has_api:
            row += f" {cell(r['server api'])} | {r['server api']['cpu_ms']:.1f} |"
        row += f" {cell(r['in-process page'])} |"
        if has_api:
            row += f" {cell(r['in-process api'])} |"
        size = f"{r['server page']['bytes'] / 1024:.0f}"
        if has_api:
            size += f" / {r['server api']['bytes'] / 1024:.0f}"
        other = max(r[k]["other_cores"] for k in kinds)
        lines.append(f"{row} {size} | {other:.2f} |")

    # Where the in-process time goes.
    lines += [
        "",
        "In-process, per request (medians, ms): where the time goes.",
        "",
        "| days | `daily` | of which database | `analyse` | `trends` | page template "
        "| page rest | page total |"
        + (" API rest | API total |" if has_api else "")
        + " full GCs per 100 page requests | ms each |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|"
        + ("---:|---:|" if has_api else "")
        + "---:|---:|",
    ]
    for n in days:
        page = results[n]["in-process page"]
        p = page["parts"]
        row = (
            f"| {n:,} | {p['daily']:.1f} | {database_share[n]:.1f} | {p['analyse']:.1f} "
            f"| {p['trends']:.2f} | {p['template']:.1f} | {p['rest']:.1f} | {page['median']:.1f} |"
        )
        if has_api:
            api = results[n]["in-process api"]
            row += f" {api['parts']['rest']:.1f} | {api['median']:.1f} |"
        row += f" {page['gc']['per_100']:.0f} | {page['gc']['ms']:.0f} |"
        lines.append(row)

    if len(days) >= 2:  # a line needs two lengths or more
        lines += linearity(results, sizes, kinds)
    if TARGET_DAYS in results:
        r = results[TARGET_DAYS]
        worst = [r["server page"]]
        if has_api:
            worst.append(r["server api"])
        holds_median = all(x["median"] <= TARGET_MS for x in worst)
        holds_p90 = all(x["p90"] <= TARGET_MS for x in worst)
        text = f"page {r['server page']['median']:.0f} ms (p90 {r['server page']['p90']:.0f})" + (
            f", API {r['server api']['median']:.0f} ms (p90 {r['server api']['p90']:.0f})"
            if has_api
            else ""
        )
        verdict = (
            "holds"
            if holds_median and holds_p90
            else "holds for the median but not the p90"
            if holds_median
            else "does not hold"
        )
        lines.append(
            f"\n**Target, at most {TARGET_MS:.0f} ms for {TARGET_DAYS:,} days: it {verdict}.** "
            f"Request time on localhost (an upper bound on server time): {text}; in-process "
            f"page {r['in-process page']['median']:.0f} ms"
            + (f", API {r['in-process api']['median']:.0f} ms" if has_api else "")
            + "."
        )
        p = r["in-process page"]["parts"]
        total = r["in-process page"]["median"]
        lines.append(
            f"\n**What dominates** at {TARGET_DAYS:,} days (in-process page, {total:.0f} ms): "
            f"`daily` {p['daily']:.0f} ms ({100 * p['daily'] / total:.0f} %), of which "
            f"about {database_share[TARGET_DAYS]:.0f} ms is the database running its queries and "
            f"handing over {sizes[TARGET_DAYS]['query_rows']:,} result rows, and the rest is "
            f"Python turning them into columns over calendar days; `analyse` {p['analyse']:.0f} ms "
            f"({100 * p['analyse'] / total:.0f} %); the template {p['template']:.0f} ms; "
            f"`trends` {p['trends']:.1f} ms; the rest {p['rest']:.0f} ms."
        )
        collections = r["in-process page"]["gc"]
        if collections["per_100"] == 0:
            tail = "no full (generation 2) garbage collection ran during the requests."
        else:
            tail = (
                f"Python's full (generation 2) garbage collection ran in "
                f"{collections['per_100']:.0f} of every 100 requests and took "
                f"{collections['ms']:.0f} ms each time (median); "
                + (
                    "more than one request in ten, so it adds to the p90."
                    if collections["per_100"] > 10
                    else "at most one request in ten, so it does not set the p90."
                )
            )
        lines.append(f"\n**Garbage collection** (in-process page, {TARGET_DAYS:,} days): {tail}")
    lines.append(
        f"\nThe first `GET {PAGE}` of a fresh server process ({days[0]:,} days) took "
        f"{first_request:.0f} ms, against {results[days[0]]['server page']['median']:.0f} ms "
        "warm: the warm-up requests are left out of every number above."
    )
    lines += [f"\n{note}" for note in notes]
    return lines


# --- Main -------------------------------------------------------------------------------------


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", default="365,730,1825,3650,7300", help="Diary lengths.")
    parser.add_argument("--rounds", type=int, default=5, help="Rounds; the tables have medians.")
    parser.add_argument("--requests", type=int, default=20, help="Requests per kind and round.")
    parser.add_argument("--warmup", type=int, default=3, help="Unmeasured requests first.")
    parser.add_argument(
        "--retries",
        type=int,
        default=3,
        help=f"Measure a batch again (after {RETRY_PAUSE} s) while other load > {QUIET} cores.",
    )
    parser.add_argument("--write-doc", action="store_true", help="Update docs/performance.md.")
    parser.add_argument("--keep", action="store_true", help="Keep the temp dir and server log.")
    args = parser.parse_args(argv)
    days = sorted(int(d) for d in args.days.split(","))

    tmp = Path(tempfile.mkdtemp(prefix="rewire-bench-insights-"))
    home = tmp / "home"
    home.mkdir()
    base_url = common.postgres_url()
    env = common.server_environment()
    env["REWIRE_HOME"] = str(home)
    database_urls = {}
    if base_url:
        database_urls = postgres_databases(base_url, ["insights"])
        env["DATABASE_URL"] = database_urls["insights"]
        database_key = "postgresql"
        database = f"PostgreSQL {postgres_version(base_url)} (DATABASE_URL, conn_max_age 60)"
    else:
        database_key = "sqlite"
        database = f"SQLite {sqlite3.sqlite_version}, WAL, rewire.sqlite_backend"
    rewire = rewire_command()
    load_before = loadavg()
    started = time.monotonic()
    server = None
    try:
        subprocess.run([*rewire, "migrate", "--verbosity", "0"], env=env, check=True)
        demo_seconds, tokens = {}, {}
        for n in days:
            email = f"bench-{n}@rewire.invalid"
            begin = time.monotonic()
            done = subprocess.run(
                [*rewire, "demo", "--days", str(n), "--email", email],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            demo_seconds[n] = time.monotonic() - begin
            print(done.stdout.splitlines()[0], flush=True)
            tokens[n] = subprocess.run(
                [*rewire, "token", "create", "--email", email],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()

        if base_url:
            # Autovacuum analyses tables within a minute or so of a load this size; analysing
            # here means every run measures the plans of a settled database, not whichever
            # tables autovacuum happened to have reached.
            import psycopg

            with psycopg.connect(database_urls["insights"], autocommit=True) as connection:
                connection.execute("ANALYZE")

        # The server collects the static files the in-process pages need, so it starts first.
        commit = code_version()  # the code the server and this process load
        server = Server(env, tmp / "server.log")
        server.wait_ready({"Authorization": f"Bearer {tokens[days[0]]}"})

        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "rewire.settings"
        import django

        django.setup()
        # As `rewire serve` does before its workers fork: load every view, then freeze what
        # is loaded out of the garbage collector's full passes.
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 (loads every view)
        gc.freeze()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        from rewire.diary.models import CheckIn, EmotionRating
        from rewire.insights import data

        users, clients, headers, sizes = {}, {}, {}, {}
        for n in days:
            user = get_user_model().objects.get(email=f"bench-{n}@rewire.invalid")
            users[n] = user
            client = Client(HTTP_HOST=HOST)
            client.force_login(user)
            clients[n] = client
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            headers[n] = {
                "server page": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
                "server api": {"Authorization": f"Bearer {tokens[n]}"},
            }
            checkins = CheckIn.objects.for_user(user)
            sizes[n] = {
                "days": days_with_data(data.daily(user, last=user.today())),
                "checkins": checkins.count(),
                "emotions": EmotionRating.objects.filter(checkin__in=checkins).count(),
                "tags": CheckIn.tags.through.objects.filter(checkin__in=checkins).count()
                + CheckIn.helped.through.objects.filter(checkin__in=checkins).count(),
                "demo_seconds": demo_seconds[n],
            }

        notes = []
        kinds = list(KINDS)
        if clients[days[0]].get(API).status_code == 404:
            kinds = [k for k in kinds if not k.endswith("api")]
            notes.append(f"`GET {API}` does not exist yet (404): the API was not measured.")
            print(notes[-1], flush=True)
        paths = {"page": PAGE, "api": API}

        def batch(kind, n, count, parts):
            path = paths[kind.rsplit(" ", 1)[1]]
            if kind.startswith("server"):
                return server_batch(server, path, headers[n][kind], count)
            return inprocess_batch(clients[n], path, count, parts, server)

        # Warm-up: the first requests of a process are slower than the rest.
        parts = Parts()
        first = server_batch(server, PAGE, headers[days[0]]["server page"], 1)["times"][0]
        with parts:
            for n in days:
                for kind in kinds:
                    batch(kind, n, args.warmup, parts)

        runs = {n: {kind: [] for kind in kinds} for n in days}
        redone = 0
        database_runs = {n: [] for n in days}
        for round_ in range(1, args.rounds + 1):
            for n in days:
                for kind in kinds:
                    for attempt in range(args.retries + 1):
                        if attempt:
                            redone += 1
                            time.sleep(RETRY_PAUSE)
                        with parts:
                            result = batch(kind, n, args.requests, parts)
                        print(
                            f"round {round_} {n:>5} days {kind:<16} "
                            f"median {statistics.median(result['times']):7.1f} ms  "
                            f"max {max(result['times']):7.1f} ms  "
                            f"other load {result['other_cores']:.2f} cores",
                            flush=True,
                        )
                        if result["other_cores"] <= QUIET:
                            break
                    runs[n][kind].append(result)
                today = users[n].today()
                queries = daily_queries(users[n], today)
                database_runs[n].append(statistics.median(database_ms(queries) for _ in range(5)))
        for n in days:
            today = users[n].today()
            sizes[n]["query_rows"] = 0
            for sql, params in daily_queries(users[n], today):
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    sizes[n]["query_rows"] += len(cursor.fetchall())
        results = {n: {kind: summarise(runs[n][kind]) for kind in kinds} for n in days}
        database_share = {n: statistics.median(database_runs[n]) for n in days}
    finally:
        if server is not None:
            server.stop()
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if database_urls:
            drop_postgres_databases(base_url, database_urls)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    elapsed = time.monotonic() - started
    if code_version() != commit:
        notes.append(
            f"Warning: the code changed during the run (from {commit} to {code_version()}); "
            "the numbers are for the first."
        )
    kept = [b for by_kind in runs.values() for batches in by_kind.values() for b in batches]
    disturbed = [b["other_cores"] for b in kept if b["other_cores"] > QUIET]
    retried = (
        f"{redone} batch(es) measured again because other processes used more than {QUIET} "
        f"cores meanwhile"
    )
    if disturbed:
        notes.append(
            f"Warning: {retried}, and {len(disturbed)} of the {len(kept)} batches kept were "
            f"still disturbed (other load up to {max(disturbed):.2f} of the {os.cpu_count()} "
            "cores): their numbers, the p90s most, are not clean."
        )
    else:
        notes.append(f"Every batch kept ran on a quiet machine ({retried}).")
    block = "\n".join(
        [
            *machine(tmp, database, commit),
            f"- Load average (1, 5, 15 min): {load_before} before, {loadavg()} after",
            "- Server: `rewire serve --workers 1 --threads 1` (gunicorn gthread), one keep-alive "
            "client on the same machine; in-process: `django.test.Client` in the benchmark's "
            "own process",
            f"- {args.rounds} rounds of {args.requests} requests per diary length and kind, "
            f'after {args.warmup} unmeasured requests of each; "ms" is the median of the '
            f"rounds' medians, p90 that of all {args.rounds * args.requests} requests; every "
            f"answer 200; whole benchmark {elapsed:.0f} s",
            f"- Command: `{command_line('bench/insights.py', argv, base_url)}`",
            "",
            *report(results, sizes, kinds, database_share, first, notes),
        ]
    )
    print()
    print(block)
    if args.write_doc:
        write_doc(*markers(database_key), block)
        print(f"\nWrote {DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
