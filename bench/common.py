"""What the benchmarks share: free ports, the `rewire` command, the machine's CPU and load,
the description of the machine and code a run had, scratch PostgreSQL databases, and writing
results into docs/performance.md between a benchmark's markers. Standard library only (psycopg
is imported where a PostgreSQL run needs it)."""

import datetime as dt
import os
import platform
import signal
import socket
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DOC = REPO / "docs" / "performance.md"
HOST = "127.0.0.1"
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def rewire_command() -> list[str]:
    script = Path(sys.executable).with_name("rewire")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rewire"]


def busy_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy so far (all processes, all cores)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / TICK


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM, then after 20 s SIGKILL to its whole process group (gunicorn's workers too)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def version(module: str) -> str:
    try:
        return __import__(module).__version__
    except (ImportError, AttributeError):
        return "?"


def code_version() -> str:
    """The commit, and how many files under rewire/ differ from it."""
    commit = (
        subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        or "?"
    )
    changed = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "rewire"],
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    if changed:
        commit += f" plus uncommitted changes to {len(changed)} file(s) under rewire/"
    return commit


def _filesystem(path: Path) -> str:
    best, kind = "", "?"
    for line in Path("/proc/mounts").read_text().splitlines():
        _, mount, fstype, *_ = line.split()
        if str(path).startswith(mount) and len(mount) > len(best):
            best, kind = mount, fstype
    return kind


def machine(tmp: Path, database: str, commit: str, versions: dict[str, str]) -> list[str]:
    """Markdown list items: when, which commit, the CPU and memory, Python and the `versions`
    ({"Django": "5.2.19", ...}), the database and the temp dir's file system."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return [
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; commit {commit}",
        f"- CPU: {cpu}; `nproc` = {os.cpu_count()}; memory {memory_kb / 1024 / 1024:.1f} GiB; "
        f"Linux {platform.release()}",
        f"- Python {platform.python_version()}, "
        + ", ".join(f"{name} {number}" for name, number in versions.items()),
        f"- Database: {database}; temp dir on {_filesystem(tmp)}",
    ]


def command_line(script: str, argv, base_url: str) -> str:
    """The command that ran this benchmark, as someone would type it again."""
    words = ["python", script, *(sys.argv[1:] if argv is None else argv)]
    if os.getpriority(os.PRIO_PROCESS, 0):
        words[:0] = ["nice", "-n", str(os.getpriority(os.PRIO_PROCESS, 0))]
    if base_url:
        words.insert(0, f"DATABASE_URL={base_url}")
    return " ".join(words)


def write_doc(begin: str, end: str, block: str) -> None:
    """Put `block` into docs/performance.md between the `begin` and `end` markers, adding
    them at the end of the file the first time."""
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    if begin not in text or end not in text:
        text = text.rstrip("\n") + f"\n\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    DOC.write_text(f"{head}{begin}\n{block}\n{end}{tail}")


# --- PostgreSQL -------------------------------------------------------------------------------


def postgres_url() -> str:
    """DATABASE_URL when it names PostgreSQL, else "" (SQLite: a file in each REWIRE_HOME)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def server_environment() -> dict[str, str]:
    """The environment for a benchmark's server: this one without Rewire's settings or
    DATABASE_URL (a benchmark sets its own), with a throwaway secret key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REWIRE_", "DATABASE_URL"))}
    env["REWIRE_SECRET_KEY"] = "bench-only-not-secret"
    return env


def postgres_databases(url: str, suffixes) -> dict[str, str]:
    """Fresh databases `rewire_bench_<pid>_<suffix>` beside the one in `url`: their URLs."""
    import psycopg

    parts = urlsplit(url)
    names = {s: f"rewire_bench_{os.getpid()}_{s}" for s in suffixes}
    with psycopg.connect(url, autocommit=True) as connection:
        for name in names.values():
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    return {s: urlunsplit(parts._replace(path=f"/{n}")) for s, n in names.items()}


def drop_postgres_databases(url: str, urls: dict) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for database_url in urls.values():
            name = urlsplit(database_url).path.lstrip("/")
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]
