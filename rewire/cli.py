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
    import django
    from django.core.management import call_command, execute_from_command_line, get_commands

    if argv and not {"-h", "--help"} & set(argv):
        django.setup()
        # Rewire's own commands work on a fresh install, even as the very first command.
        if get_commands().get(argv[0], "").startswith("rewire."):
            call_command("migrate", interactive=False, verbosity=0)
    execute_from_command_line(["rewire", *(argv or ["help"])])


if __name__ == "__main__":
    main()
