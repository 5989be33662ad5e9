"""The `rewire` command: `rewire serve`, `rewire demo`, `rewire user create`, ...

Each subcommand is a Django management command (see docs/cli.md); any other Django
command works too, such as `rewire migrate` or `rewire check --deploy`.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rewire.settings")
    if argv[:1] == ["serve"] and "--debug" in argv:
        # Settings read DEBUG when they load, which is before the command parses its options.
        os.environ["REWIRE_DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rewire", *(argv or ["help"])])


if __name__ == "__main__":
    main()
