"""Settings for the test suite: the real settings, with a throw-away REWIRE_HOME.

Set before the real settings load, because they read the environment once.
"""

import os
import tempfile

os.environ.setdefault("REWIRE_HOME", tempfile.mkdtemp(prefix="rewire-test-"))
os.environ["REWIRE_PLAIN_STATIC"] = "1"  # the manifest storage breaks live_server
# Playwright's sync API runs an event loop in the test thread; the ORM refuses that otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from rewire.settings import *  # noqa: E402,F403
from rewire.settings import DATABASES, HUEY, REWIRE_HOME, STATIC_ROOT  # noqa: E402

if "sqlite" in DATABASES["default"]["ENGINE"]:
    # A file, not memory: the tests check WAL mode and run a real server against it.
    DATABASES["default"]["TEST"] = {"NAME": str(REWIRE_HOME / "test.sqlite3")}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

# Tasks run where they are queued, with huey's own immediate mode (in memory): a test sees what
# they did at once. tests/test_tasks.py runs the real consumer (`rewire worker`) on the SQLite
# queue, as production does.
HUEY = {**HUEY, "immediate": True}
