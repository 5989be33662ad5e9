"""Logging that never carries health data.

A traceback's last line repeats the exception's message, and messages can quote the
input that caused them (a note, a tag, a thought). Error records keep where it happened
(the type, and file, line and function of each frame) and drop every message.
"""

import logging
import traceback


class WhereNotWhat(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            frames = traceback.extract_tb(trace)
            where = " <- ".join(
                f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno} {frame.name}"
                for frame in reversed(frames[-6:])
            )
            record.msg = f"{record.getMessage()} [{kind.__module__}.{kind.__qualname__} at {where}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True
