"""Django's SQLite backend with a write lock shared by every thread and process.

SQLite allows one writer at a time. A writer that finds the database locked sleeps in
SQLite's busy handler (1, 2, 5 ... 100 ms) before trying again, which makes the latency
tail long under concurrency. Here every transaction first takes a lock that the kernel
hands to the next waiter the moment it is released: a per-process mutex for threads,
then an flock on a file beside the database for other processes. See ADR 0003.
"""

import fcntl
import os
import threading
from pathlib import Path

from django.db.backends.sqlite3 import base

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


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _write_lock(self):
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not Path(name).parent.exists():
            return None
        return _locks_for(name)

    def _acquire_write_lock(self):
        locks = self._write_lock()
        if locks is None or self._holds_write_lock:
            return
        thread_lock, lock_file = locks
        thread_lock.acquire()
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
