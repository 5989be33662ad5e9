#!/usr/bin/env python
"""Benchmark: creating check-ins through Rewire's API, beside a bare Django INSERT view.

    python3 bench/checkin_create.py              # SQLite, wrk, 1/4/16 clients
    python3 bench/checkin_create.py --write-doc  # and update docs/performance.md
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python3 bench/checkin_create.py          # the same on PostgreSQL

What it does, in about two minutes (never a test; nothing in tests/ is timed):

1. Makes a throw-away directory with two homes, `ours/` and `bare/`.
2. Rewire: `rewire migrate`, `rewire user create`, `rewire token create`, then
   `rewire serve --host 127.0.0.1 --port <free> --workers W --threads T`: the production
   server (gunicorn gthread), as a real subprocess.
3. Bare: `bench/bare/serve.py`, a Django project with one model and one view that parses the
   same JSON body and INSERTs one row in one transaction. Its DATABASES is Rewire's own
   `_databases()` (same engine `rewire.sqlite_backend` and write lock, same OPTIONS and
   PRAGMAs, its own database file), and its gunicorn options are Rewire's `server_options()`
   with the same W and T. W and T default to `rewire serve`'s own defaults.
4. Warms every worker of both servers, then runs 5 rounds; in each, for 1, 4 and 16
   concurrent keep-alive clients and for each server in turn, 1 s of warm-up and 3 s of
   measured POSTs (only to 127.0.0.1). Every answer must be 2xx, and at the end the row counts
   must cover every request counted.
5. Prints a Markdown table of the rounds' medians: throughput (and its range), p50 and p99
   latency (and the worst p99), the ratio ours/bare, and the CPU time per request of each
   server and of the load generator; `--write-doc` puts it and the machine description into
   docs/performance.md between the `bench:results` markers. Single runs vary by 10-40 %
   even on a quiet machine, mostly because gunicorn's workers share the clients' keep-alive
   connections at random (16 may land 8/8 or 16/0 on 2 workers); hence the rounds.

Load generator: `wrk` (Debian: `apt-get install wrk`) with bench/post.lua, one thread, one
keep-alive connection per client. On a 2-core machine it must be cheap: measured, wrk costs
about 0.05-0.07 ms of CPU per request (5 % of the bare server's, 1 % of Rewire's);
`--client python`, a small asyncio client used when wrk is missing, about 0.11-0.14 ms. Both
are reported. Latency runs from sending a request to the end of its response, per request,
on the client (closed loop: each client sends its next request when the last is answered).

Shared machine: the table has an "other load" column (CPU used by every other process during
each run, from /proc/stat) and a warning above 0.2 cores. As root, `nice -n -10 python ...`
keeps other work from disturbing the runs much.

PostgreSQL: with DATABASE_URL=postgres://user@host:port/db set, both servers use PostgreSQL
(Rewire's settings: conn_max_age 60). The benchmark creates two databases next to `db`
(`rewire_bench_<pid>_ours`, `_bare`) through that URL and drops them at the end.
"""

import argparse
import asyncio
import collections
import http.client
import json
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import common
from common import (
    BENCH,
    DOC,
    HOST,
    REPO,
    TICK,
    busy_cpu_seconds,
    code_version,
    command_line,
    drop_postgres_databases,
    free_port,
    postgres_databases,
    postgres_version,
    rewire_command,
    stop_process,
    version,
    write_doc,
)

BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
BODY = json.dumps({"pain": 4, "note": "benchmark"})


# --- Server processes -------------------------------------------------------------------------


class Target:
    """A server started as a subprocess; `command(port)` gives its command line."""

    def __init__(self, name, command, env, path, token, log):
        self.name, self.path, self.token = name, path, token
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            command(self.port),
            env=env,
            cwd=log.parent,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.path}"

    def request(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def wait_ready(self, count_path, timeout=90.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} server exited:\n{self.log.read_text()}")
            try:
                status, _ = self.request("GET", count_path)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} server not ready after {timeout} s:\n{self.log.read_text()}")

    def cpu_seconds(self) -> float:
        """User + system CPU of the gunicorn master and its workers, so far."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(stat.parent.name)
            if pid == self.process.pid or int(fields[1]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])
        return total / TICK

    def workers(self) -> int:
        return len(self.worker_pids())

    def worker_pids(self) -> list[int]:
        return sorted(
            int(stat.parent.name)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if _ppid(stat) == self.process.pid
        )

    def connection_split(self) -> str:
        """How the clients' connections are shared among the workers now, e.g. "9+7"."""
        try:
            out = subprocess.run(
                ["ss", "-tnpH", "state", "established", f"( sport = :{self.port} )"],
                capture_output=True,
                text=True,
                timeout=5,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return "?"
        held = collections.Counter(re.findall(r"pid=(\d+)", out))
        return "+".join(str(held.get(str(pid), 0)) for pid in self.worker_pids()) or "?"

    def stop(self):
        stop_process(self.process)


def _ppid(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError):
        return None


# --- Load generators --------------------------------------------------------------------------


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(target: Target, clients: int, seconds: float) -> dict:
    env = {**os.environ, "BENCH_TOKEN": target.token or "", "BENCH_BODY": BODY}
    before = children_cpu()
    done = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(BENCH / "post.lua"),
            target.url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    cpu = children_cpu() - before
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line[len("BENCH ") :])
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "seconds": raw["duration_us"] / 1e6,
        "failed": raw["non2xx"] + errors,
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "client_cpu": cpu,
    }


async def _python_load(target: Target, clients: int, seconds: float) -> tuple[list[int], int]:
    headers = [
        f"POST {target.path} HTTP/1.1",
        f"Host: {HOST}:{target.port}",
        "Content-Type: application/json",
        f"Content-Length: {len(BODY)}",
    ]
    if target.token:
        headers.append(f"Authorization: Bearer {target.token}")
    request = ("\r\n".join(headers) + "\r\n\r\n" + BODY).encode()
    latencies: list[int] = []
    failed = 0
    deadline = time.perf_counter() + seconds

    async def client():
        nonlocal failed
        reader, writer = await asyncio.open_connection(HOST, target.port)
        while time.perf_counter() < deadline:
            start = time.perf_counter_ns()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if length := re.search(rb"(?i)\r\ncontent-length: *(\d+)", head):
                await reader.readexactly(int(length.group(1)))
            else:  # chunked (the bare view sets no Content-Length)
                while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                    await reader.readexactly(size + 2)
                await reader.readuntil(b"\r\n")
            latencies.append(time.perf_counter_ns() - start)
            if not head.startswith(b"HTTP/1.1 2"):
                failed += 1
            if re.search(rb"(?i)\r\nconnection: *close", head):
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, target.port)
        writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, failed


def run_python(target: Target, clients: int, seconds: float) -> dict:
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    latencies, failed = asyncio.run(_python_load(target, clients, seconds))
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    latencies.sort()

    def pct(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1e6

    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "failed": failed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": latencies[-1] / 1e6,
        "client_cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
    }


def measure(target: Target, clients: int, seconds: float, load) -> dict:
    cpu_before, busy_before = target.cpu_seconds(), busy_cpu_seconds()
    split = {}
    look = threading.Timer(min(1.0, seconds / 2), lambda: split.update(s=target.connection_split()))
    look.start()
    result = load(target, clients, seconds)
    look.join()
    result["split"] = split.get("s", "?")
    result["server_cpu"] = target.cpu_seconds() - cpu_before
    result["rps"] = result["requests"] / result["seconds"]
    # Whatever else ran meanwhile (other processes on the machine), in cores.
    other = busy_cpu_seconds() - busy_before - result["server_cpu"] - result["client_cpu"]
    result["other_cores"] = max(0.0, other) / result["seconds"]
    return result


# --- Machine and results ----------------------------------------------------------------------


def machine(tmp: Path, load_name: str, database: str) -> list[str]:
    if load_name == "wrk":
        wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
        load_name = (wrk.stdout + wrk.stderr).split("[")[0].strip() or "wrk"
    else:
        load_name = "bench/checkin_create.py asyncio client"
    versions = {
        "Django": version("django"),
        "django-ninja": version("ninja"),
        "gunicorn": version("gunicorn"),
        "SQLite": sqlite3.sqlite_version,
        "psycopg": version("psycopg"),
    }
    return [
        *common.machine(tmp, database, code_version(), versions),
        f"- Load generator: {load_name}, on the same machine",
    ]


def combine(runs: list[dict]) -> dict:
    """Several runs of one server at one concurrency: medians, the range and the sums."""
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "rps_low": min(r["rps"] for r in runs),
        "rps_high": max(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "p99_high": max(r["p99_ms"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "server_cpu": sum(r["server_cpu"] for r in runs),
        "client_cpu": sum(r["client_cpu"] for r in runs),
        "other_cores": max(r["other_cores"] for r in runs),
        "splits": [r["split"] for r in runs],
    }


def table(results: dict, clients: list[int]) -> list[str]:
    rows = [
        "| clients | Rewire req/s (range) | p50 ms | p99 ms (worst) | bare req/s (range) "
        "| p50 ms | p99 ms (worst) | ratio req/s | server CPU ms/req (Rewire / bare) "
        "| client CPU ms/req | other load, cores (most) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in clients:
        ours, bare = results["ours"][c], results["bare"][c]
        client_cpu = (ours["client_cpu"] + bare["client_cpu"]) / (
            ours["requests"] + bare["requests"]
        )
        rows.append(
            f"| {c} | {ours['rps']:.0f} ({ours['rps_low']:.0f}-{ours['rps_high']:.0f}) "
            f"| {ours['p50_ms']:.1f} | {ours['p99_ms']:.1f} ({ours['p99_high']:.1f}) "
            f"| {bare['rps']:.0f} ({bare['rps_low']:.0f}-{bare['rps_high']:.0f}) "
            f"| {bare['p50_ms']:.1f} | {bare['p99_ms']:.1f} ({bare['p99_high']:.1f}) "
            f"| {ours['rps'] / bare['rps']:.2f} "
            f"| {1000 * ours['server_cpu'] / ours['requests']:.2f} / "
            f"{1000 * bare['server_cpu'] / bare['requests']:.2f} "
            f"| {1000 * client_cpu:.2f} "
            f"| {ours['other_cores']:.2f} / {bare['other_cores']:.2f} |"
        )
    top = max(clients)
    rows += [
        "",
        f"Connections per worker at {top} clients, round by round: Rewire "
        f"{', '.join(results['ours'][top]['splits'])}; bare "
        f"{', '.join(results['bare'][top]['splits'])}.",
    ]
    busiest = max(r["other_cores"] for runs in results.values() for r in runs.values())
    if os.environ.get("DATABASE_URL"):
        rows += ["", 'On PostgreSQL, "other load" includes the PostgreSQL server itself.']
    elif busiest > 0.2:
        rows += [
            "",
            f"Warning: other processes used up to {busiest:.2f} of the "
            f"{os.cpu_count()} cores during a run; these numbers are disturbed.",
        ]
    return rows


def serve_defaults() -> tuple[int, int]:
    """`rewire serve`'s own defaults for --workers and --threads (REWIRE_WORKERS/THREADS)."""
    from rewire.server.management.commands.serve import Command

    options = Command().create_parser("rewire", "serve").parse_args([])
    return options.workers, options.threads


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="1,4,16", help="Concurrencies (default 1,4,16).")
    parser.add_argument("--seconds", type=float, default=3, help="Measured time per run.")
    parser.add_argument("--warmup", type=float, default=1, help="Unmeasured time before each run.")
    parser.add_argument("--repeat", type=int, default=5, help="Rounds; the table has medians.")
    parser.add_argument("--workers", type=int, help="Default: rewire serve's default.")
    parser.add_argument("--threads", type=int, help="Default: rewire serve's default.")
    parser.add_argument("--client", choices=["wrk", "python"], help="Default: wrk if installed.")
    parser.add_argument("--write-doc", action="store_true", help="Update docs/performance.md.")
    parser.add_argument("--keep", action="store_true", help="Keep the temp dir and server logs.")
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",")]
    client = args.client or ("wrk" if shutil.which("wrk") else "python")
    load = run_wrk if client == "wrk" else run_python
    if max(clients) > 1000:
        parser.error("at most 1000 clients")

    tmp = Path(tempfile.mkdtemp(prefix="rewire-bench-"))
    homes = {name: tmp / name for name in ("ours", "bare")}
    for home in homes.values():
        home.mkdir()
    base_url = common.postgres_url()  # "": SQLite, each server its own file in its REWIRE_HOME
    env = common.server_environment()
    env_for = {name: {**env, "REWIRE_HOME": str(home)} for name, home in homes.items()}
    database_urls = {}
    if base_url:
        database_urls = postgres_databases(base_url, homes)
        for name, database_url in database_urls.items():
            env_for[name]["DATABASE_URL"] = database_url
    database = (
        f"PostgreSQL {postgres_version(base_url)} (DATABASE_URL)"
        if base_url
        else "SQLite, WAL, synchronous=FULL, BEGIN IMMEDIATE, rewire.sqlite_backend write lock"
    )

    # The harness reads server_options() and the defaults with Rewire's own settings.
    os.environ.update(env_for["ours"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "rewire.settings"
    import django

    django.setup()
    from rewire.server.management.commands.serve import server_options

    default_workers, default_threads = serve_defaults()
    workers = args.workers or default_workers
    threads = args.threads or default_threads

    rewire = rewire_command()
    targets: dict[str, Target] = {}
    started = time.monotonic()
    try:
        subprocess.run([*rewire, "migrate", "--verbosity", "0"], env=env_for["ours"], check=True)
        subprocess.run(
            [*rewire, "user", "create", "--email", "bench@example.org"],
            env=env_for["ours"],
            input="correct horse battery staple\n",
            text=True,
            check=True,
            capture_output=True,
        )
        token = subprocess.run(
            [*rewire, "token", "create", "--email", "bench@example.org"],
            env=env_for["ours"],
            text=True,
            check=True,
            capture_output=True,
        ).stdout.strip()

        targets["ours"] = Target(
            "Rewire",
            lambda port: [
                *rewire,
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env_for["ours"],
            "/api/v1/checkins",
            token,
            homes["ours"] / "server.log",
        )

        def bare_command(port):
            options = server_options(host=HOST, port=port, workers=workers, threads=threads)
            env_for["bare"]["BENCH_SERVER_OPTIONS"] = json.dumps(options)
            return [sys.executable, str(BENCH / "bare" / "serve.py")]

        targets["bare"] = Target(
            "bare", bare_command, env_for["bare"], "/insert", None, homes["bare"] / "server.log"
        )
        targets["ours"].wait_ready("/api/v1/checkins?limit=1")
        targets["bare"].wait_ready("/insert")
        options = json.loads(env_for["bare"]["BENCH_SERVER_OPTIONS"])
        print(f"server_options(): {options}", flush=True)

        # Warm every worker and thread of both servers once, at the highest concurrency.
        for target in targets.values():
            load(target, max(clients), 2)
        # Rounds interleave the servers and concurrencies, so drift hits both alike.
        runs: dict[str, dict[int, list]] = {name: {c: [] for c in clients} for name in targets}
        for round_ in range(1, args.repeat + 1):
            for c in clients:
                for name, target in targets.items():
                    if args.warmup:
                        load(target, c, args.warmup)
                    result = measure(target, c, args.seconds, load)
                    runs[name][c].append(result)
                    print(
                        f"round {round_} {target.name:>6} {c:>3} clients: "
                        f"{result['rps']:7.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
                        f"p99 {result['p99_ms']:6.1f} ms  max {result['max_ms']:6.1f} ms  "
                        f"failed {result['failed']}  other load {result['other_cores']:.2f} cores  "
                        f"connections per worker {result['split']}",
                        flush=True,
                    )
                    if result["failed"]:
                        raise SystemExit(f"{result['failed']} requests failed; see {target.log}")
        results = {name: {c: combine(rs) for c, rs in by_c.items()} for name, by_c in runs.items()}

        # Every answered request must be a stored row (in-flight ones at the end may add more).
        stored = {
            "ours": json.loads(targets["ours"].request("GET", "/api/v1/checkins?limit=1")[1])[
                "count"
            ],
            "bare": json.loads(targets["bare"].request("GET", "/insert")[1])["count"],
        }
        worker_count = {name: target.workers() for name, target in targets.items()}
        for name in targets:
            counted = sum(r["requests"] for r in results[name].values())
            if stored[name] < counted:
                raise SystemExit(f"{name}: {stored[name]} rows stored but {counted} answered")
    finally:
        for target in targets.values():
            target.stop()
        if database_urls:
            drop_postgres_databases(base_url, database_urls)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    elapsed = time.monotonic() - started
    block = "\n".join(
        [
            *machine(tmp, client, database),
            f"- Server: gunicorn via `server_options()`: {workers} worker(s) x {threads} threads "
            f"(gthread), the same for both; {worker_count['ours']} Rewire and "
            f"{worker_count['bare']} bare worker processes seen",
            f"- {args.repeat} rounds; in each, per server and concurrency, {args.warmup:g} s "
            f"warm-up, then {args.seconds:g} s measured; the table has the medians of the rounds; "
            f"body `{BODY}`; every answer 2xx; rows stored: Rewire {stored['ours']}, "
            f"bare {stored['bare']}; whole benchmark {elapsed:.0f} s",
            f"- Command: `{command_line('bench/checkin_create.py', argv, base_url)}`",
            "",
            *table(results, clients),
        ]
    )
    print()
    print(block)
    if args.write_doc:
        write_doc(BEGIN, END, block)
        print(f"\nWrote {DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
