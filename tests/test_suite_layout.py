"""The suite's own shape: test modules share code through `helpers` and `factories`, never by
importing one another, so each can be read, moved or deleted on its own."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def imported_names(path: Path):
    """Every module named by the file's imports, and every name imported from one."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module or ""
            yield from (alias.name for alias in node.names)


def is_test_module(name: str) -> bool:
    return any(part.startswith("test_") or part.endswith("_test") for part in name.split("."))


def test_no_test_module_imports_another():
    imports = sorted(
        f"{path.relative_to(TESTS)} imports {name}"
        for path in TESTS.rglob("*.py")
        for name in imported_names(path)
        if is_test_module(name)
    )
    assert imports == [], "move what they share into helpers.py or factories/"
