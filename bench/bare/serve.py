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
from gunicorn.app.base import BaseApplication  # noqa: E402


class Server(BaseApplication):
    """Same as rewire.server.management.commands.serve.Server."""

    def __init__(self, application, options):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


if __name__ == "__main__":
    # Like `rewire serve`, which migrates in the gunicorn master before the workers fork.
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    Server(get_wsgi_application(), json.loads(os.environ["BENCH_SERVER_OPTIONS"])).run()
