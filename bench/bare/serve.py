"""Serve the bare baseline with the options `rewire serve` would use.

The benchmark computes the gunicorn options with Rewire's own `server_options()` and
passes them here as JSON in BENCH_SERVER_OPTIONS; this process only creates the one
table and runs gunicorn with them, exactly as `rewire serve` does for Rewire.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bare.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connections  # noqa: E402

# The very class `rewire serve` runs.
from rewire.server.management.commands.serve import Server  # noqa: E402

if __name__ == "__main__":
    # Like `rewire serve`, which migrates in the gunicorn master before the workers fork.
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    connections.close_all()  # as `rewire serve` does before the workers fork
    Server(get_wsgi_application(), json.loads(os.environ["BENCH_SERVER_OPTIONS"])).run()
