"""Django's SQLite backend with a write lock shared by every thread and process.

SQLite allows one writer at a time. A writer that finds the database locked sleeps in
SQLite's busy handler (1, 2, 5 ... 100 ms) before trying again, which makes the latency
tail long under concurrency. Here every transaction first takes a lock that the kernel
hands to the next waiter the moment it is released: a per-process mutex for threads,
then an flock on a file beside the database for other processes. A statement that may
write outside a transaction (autocommit: `Model.save()`, `QuerySet.update()`) takes it
for that statement. See ADR 0003.
"""

import fcntl
import os
import threading
from pathlib import Path

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

from rewire.care import append_only

_thread_locks: dict[str, threading.Lock] = {}
_lock_files: dict[str, object] = {}
_registry_lock = threading.Lock()


def _forget_inherited_locks():
    """Run in a child after fork(): give it its own lock file and mutexes.

    gunicorn forks its workers from the master, which has already written (migrate)
    and so opened the lock file. An inherited descriptor shares the parent's open file
    description, and flock() locks belong to the description: two workers would both
    "hold" LOCK_EX at once. A mutex may also have been held by a thread that does not
    exist in the child. Closing the inherited copy leaves the parent's lock alone.
    """
    global _registry_lock
    _registry_lock = threading.Lock()
    for lock_file in _lock_files.values():
        lock_file.close()
    _lock_files.clear()
    _thread_locks.clear()


os.register_at_fork(after_in_child=_forget_inherited_locks)


def _locks_for(database_path: str):
    with _registry_lock:
        if database_path not in _thread_locks:
            _thread_locks[database_path] = threading.Lock()
            _lock_files[database_path] = open(f"{database_path}.writelock", "a+b")  # noqa: SIM115
        return _thread_locks[database_path], _lock_files[database_path]


def _queue_autocommit_writes(execute, sql, params, many, context):
    """Execute wrapper: a statement that may write, outside a transaction, takes the lock.

    Without it such a statement would wait in SQLite's busy handler, where writers that
    queue on the lock keep overtaking it (measured: seconds under load).
    """
    db = context["connection"]
    if not db.autocommit or db._holds_write_lock or sql.lstrip()[:6].upper() == "SELECT":
        return execute(sql, params, many, context)
    db._acquire_write_lock()
    try:
        return execute(sql, params, many, context)
    finally:
        db._release_write_lock()


class DatabaseOperations(base.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        """`flush` (an administrator emptying every table, and the test runner between tests)
        lifts the access log's append-only triggers for its DELETE and puts them back: the
        one way its rows go, on purpose, with everything else."""
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if append_only.TABLE not in tables:
            return statements
        return [*append_only.SQLITE_DROP, *statements, *append_only.SQLITE_CREATE]


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False
    ops_class = DatabaseOperations

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(_queue_autocommit_writes)

    _locked_file: str | None = None

    def _write_lock(self):
        if self._locked_file is None:
            name = str(self.settings_dict["NAME"])
            if self.is_in_memory_db() or not Path(name).parent.exists():
                return None
            self._locked_file = name  # checked once: every write asks
        return _locks_for(self._locked_file)

    def _acquire_write_lock(self):
        locks = self._write_lock()
        if locks is None or self._holds_write_lock:
            return
        thread_lock, lock_file = locks
        # Like SQLite's own timeout; also ends a wait on a lock this thread already holds
        # through another connection to the same file, which would otherwise never end.
        if not thread_lock.acquire(timeout=self.settings_dict["OPTIONS"].get("timeout", 5)):
            raise OperationalError("database is locked (rewire.sqlite_backend write lock)")
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        except BaseException:
            thread_lock.release()
            raise
        self._holds_write_lock = True

    def _release_write_lock(self):
        if not self._holds_write_lock:
            return
        thread_lock, lock_file = self._write_lock()
        self._holds_write_lock = False
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
        thread_lock.release()

    def get_new_connection(self, conn_params):
        self._locked_file = None  # the test runner changes NAME between connections
        return super().get_new_connection(conn_params)

    def _start_transaction_under_autocommit(self):
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
