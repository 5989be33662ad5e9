import atexit
import ctypes
import gc
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django.urls import get_resolver
from gunicorn.app.base import BaseApplication

from rewire.handlers import Application
from rewire.measures.checks import missing_helplines


class Server(BaseApplication):
    def __init__(self, application, options):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def server_options(*, host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        # Several servers may run side by side; gunicorn 27's shared control socket clashes.
        "control_socket_disable": True,
        # No access log: URLs and query strings can carry health data (tag names).
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
        "graceful_timeout": 10,
    }


def helpline_banner() -> str:
    """The missing-helpline warning (rewire.W001) framed so it is not lost at start, or ""."""
    warning = missing_helplines()
    if warning is None:
        return ""
    rule = "!" * 72
    return (
        f"{rule}\n"
        f"WARNING ({warning.id}): NO CRISIS HELPLINE IS CONFIGURED.\n"
        f"{warning.msg}\n"
        f"How to fix it: {warning.hint}\n"
        f"{rule}\n"
    )


def _stop_with_parent():
    """In the child: be sent SIGTERM when the parent dies, even by kill -9 (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _spawn_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rewire", "worker"],
        preexec_fn=_stop_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
    )


def start_task_worker(*, check_every: float = 5.0) -> dict:
    """The task queue's consumer (`rewire worker`) beside the web server, so one command runs
    everything on one machine. Watched: if it stops (killed, out of memory), it is started
    again and the error log says so. It stops when the server does."""
    parent = os.getpid()
    state = {"worker": _spawn_worker(), "stopping": False}

    def watch():
        while not state["stopping"]:
            time.sleep(check_every)
            # gunicorn's arbiter may reap it first (waitpid(-1)): poll() then says 0.
            if not state["stopping"] and state["worker"].poll() is not None:
                sys.stderr.write("The task worker stopped; starting it again.\n")
                state["worker"] = _spawn_worker()

    def stop():
        # Only here: gunicorn's workers fork from this process and inherit this hook.
        if os.getpid() != parent:
            return
        state["stopping"] = True
        worker = state["worker"]
        if worker.poll() is None:
            worker.terminate()  # SIGTERM: huey lets running tasks finish (settings.HUEY)
            try:
                worker.wait(timeout=40)
            except subprocess.TimeoutExpired:
                worker.kill()

    threading.Thread(target=watch, name="task-worker-watch", daemon=True).start()
    atexit.register(stop)
    return state


class Command(BaseCommand):
    help = "Apply migrations, then serve Rewire with gunicorn (a production-grade server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("REWIRE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("REWIRE_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("REWIRE_WORKERS", "2")),
            help="Worker processes (default 2, or REWIRE_WORKERS).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("REWIRE_THREADS", "4")),
            help="Threads per worker (default 4, or REWIRE_THREADS).",
        )
        parser.add_argument(
            "--debug", action="store_true", help="Turn DEBUG on (never in production)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            default=os.environ.get("REWIRE_WORKER", "1") == "0",
            help="Do not start the task queue's consumer here (it runs as `rewire worker` "
            "elsewhere; or REWIRE_WORKER=0).",
        )

    def handle(self, *args, host, port, workers, threads, debug, no_worker, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("cleanup", verbosity=0)
        if host not in ("0.0.0.0", "::") and host not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append(host)
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
        engine = settings.DATABASES["default"]["ENGINE"]
        where = (
            f"SQLite in {settings.REWIRE_HOME}"
            if "sqlite" in engine
            else "the DATABASE_URL database"
        )
        banner = helpline_banner()
        if banner:
            self.stderr.write(banner, ending="")
            self.stderr.flush()
        self.stdout.write(
            f"Rewire is running. Open http://{shown}:{port}/ in your browser.\n"
            f"Data: {where}.{' DEBUG is on.' if settings.DEBUG else ''} Stop with Ctrl+C."
        )
        self.stdout.flush()
        # SQLite says a connection must not cross fork(): the workers open their own.
        connections.close_all()
        if not no_worker:
            start_task_worker()
        # Load every view (and numpy, for the insights) now, then move all of it out of the
        # garbage collector's reach: it lives as long as the process, and a full collection
        # that scans it costs about 100 ms (docs/performance.md, "Insights on a long diary").
        # The workers fork from here, so they share it too.
        application = Application()
        loaded = get_resolver().url_patterns
        gc.freeze()
        del loaded
        Server(
            application,
            server_options(host=host, port=port, workers=workers, threads=threads),
        ).run()
