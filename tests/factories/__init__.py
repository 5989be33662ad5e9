"""Test data from builders: "one of each" thing, made through the real actions.

Import as `factories` (tests/ is on sys.path, as for `helpers`). The URL and API walking that
uses these things is in `factories.walk`.
"""

from .things import SECRET_NOTE, one_of_each_thing

__all__ = ["SECRET_NOTE", "one_of_each_thing"]
