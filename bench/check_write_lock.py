#!/usr/bin/env python
"""Check that rewire.sqlite_backend's write lock excludes writers across forked processes.

    python3 bench/check_write_lock.py

Like `rewire serve`, the parent process writes first (which opens the lock file) and then
forks workers; each worker runs threads that take the write lock, hold it briefly and let
it go. A marker file created with O_EXCL inside the lock shows any overlap. Before the
at-fork reset in base.py, workers shared the parent's open file description and so its
flock(): they overlapped constantly. Prints the overlaps (must be 0) and exits 1 if any.
Not a test (nothing in tests/): a diagnostic, a few seconds long.
"""

import os
import sys
import tempfile
import threading
import time

WORKERS, THREADS, ROUNDS = 3, 4, 200


def main() -> int:
    home = tempfile.mkdtemp(prefix="rewire-lockcheck-")
    os.environ.update(REWIRE_HOME=home, REWIRE_SECRET_KEY="check-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "rewire.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connection, connections, transaction

    with transaction.atomic():  # the parent writes, as `rewire serve` does when it migrates
        connection.cursor().execute("CREATE TABLE IF NOT EXISTS lockcheck (x)")
    marker = os.path.join(home, "inside")
    read_end, write_end = os.pipe()
    children = []
    for _ in range(WORKERS):
        pid = os.fork()
        if pid:
            children.append(pid)
            continue
        overlaps = 0

        def work():
            nonlocal overlaps
            wrapper = connections["default"]  # this thread's own connection
            for _ in range(ROUNDS):
                wrapper._acquire_write_lock()
                try:
                    fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                except FileExistsError:
                    overlaps += 1
                else:
                    time.sleep(0.0002)
                    os.close(fd)
                    os.unlink(marker)
                finally:
                    wrapper._release_write_lock()

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        os.write(write_end, f"{overlaps}\n".encode())
        os._exit(0)
    for pid in children:
        os.waitpid(pid, 0)
    os.close(write_end)
    overlaps = sum(int(n) for n in os.read(read_end, 4096).split())
    total = WORKERS * THREADS * ROUNDS
    print(f"{WORKERS} processes x {THREADS} threads, {total} lock holds: {overlaps} overlaps")
    return 1 if overlaps else 0


if __name__ == "__main__":
    sys.exit(main())
