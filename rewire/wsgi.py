import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rewire.settings")

from rewire.handlers import get_application  # noqa: E402

application = get_application()
