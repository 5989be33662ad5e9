"""The docs are tested like code: each test fails when something is left undocumented.

- every environment variable the code reads has a row in docs/configuration.md;
- every management command the project adds is described in docs/cli.md as `rewire <name>`;
- every API operation has a heading in docs/api.md such as ### `GET /api/v1/checkins`;
- the README's two commands are the ones CI runs;
- docs/architecture.md names only paths that exist, and names every Rewire app.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# os.environ.get("X" / os.environ["X"] / os.environ.setdefault("X" / os.getenv("X"
# / env_flag("X" / env_list("X"
PYTHON_ENV_READ = re.compile(
    r"""(?:os\.environ\.get|os\.environ\.setdefault|os\.getenv|env_flag|env_list)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)
# $X, ${X}, ${X:-default} and `env -u X` in shell scripts.
SHELL_ENV_READ = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)|\benv\s+-u\s+([A-Z][A-Z0-9_]*)")


def names_in(pattern: re.Pattern, text: str) -> set[str]:
    return {name for match in pattern.finditer(text) for name in match.groups() if name}


def env_vars_read_by_the_code() -> set[str]:
    names = set()
    for path in (ROOT / "rewire").rglob("*.py"):
        names |= names_in(PYTHON_ENV_READ, path.read_text(encoding="utf-8"))
    names |= names_in(SHELL_ENV_READ, (ROOT / "scripts" / "test").read_text(encoding="utf-8"))
    return names


def documented_env_vars() -> set[str]:
    """The variables with a row of their own in a table: | `NAME` | default | effect |."""
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", text, flags=re.MULTILINE))


def management_commands() -> list[str]:
    return sorted(
        path.stem
        for path in ROOT.glob("rewire/*/management/commands/*.py")
        if not path.stem.startswith("_")
    )


def api_operations() -> list[str]:
    from rewire.api.api import api

    return sorted(
        f"{method.upper()} {path}"
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    )


def documented_api_operations() -> set[str]:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    return set(re.findall(r"^#+ `([A-Z]+ /api/\S+)`\s*$", text, flags=re.MULTILINE))


# A path in the text: a word with at least one slash, not itself part of a longer path or an
# address (`/api/v1/`, `https://...`). `<language>` and `*` stand for any one name.
NAMED_PATH = re.compile(r"(?<![\w./<>*:-])([A-Za-z_][\w.-]*(?:/(?:[\w.*-]+|<\w+>)?)+)")
ROOT_FOLDERS = ("rewire", "docs", "tests", "bench", "scripts")
# A Markdown link to a file beside the page: [text](target) or [text](target#anchor).
RELATIVE_LINK = re.compile(r"\]\((?![a-z]+:|#)([^)#\s]+)(?:#[^)\s]*)?\)")


def rewire_apps() -> list[str]:
    """Rewire's Django apps: the folders under rewire/ with an apps.py."""
    return sorted(path.parent.name for path in ROOT.glob("rewire/*/apps.py"))


def paths_named_in(text: str, *, folder: Path = DOCS) -> set[str]:
    """The repository paths a page in `folder` names: those written from the root
    (rewire/..., docs/..., tests/..., bench/..., scripts/...) as they are, those written from
    inside rewire/ (`diary/entry.py`, `templates/program/`) with rewire/ in front, and the
    targets of its relative links. Other words with a slash (before/after,
    REWIRE_HOME/secret_key) are not paths of the repository."""
    folders_in_rewire = {path.name for path in (ROOT / "rewire").iterdir() if path.is_dir()}
    named = set()
    for match in NAMED_PATH.finditer(text):
        path = match.group(1).rstrip(".").rstrip("/")
        first = path.split("/")[0]
        if first in ROOT_FOLDERS:
            named.add(path)
        elif first in folders_in_rewire:
            named.add(f"rewire/{path}")
    for target in RELATIVE_LINK.findall(text):
        named.add((folder / target).resolve().relative_to(ROOT).as_posix().rstrip("/"))
    return named


def exists(path: str) -> bool:
    """Whether the path, with each `<name>` or `*` standing for any one name, matches a file
    or folder of the repository."""
    pattern = re.sub(r"<\w+>", "*", path)
    return any(ROOT.glob(pattern)) if "*" in pattern else (ROOT / pattern).exists()


def fenced_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)]


# (a) environment variables


def test_the_env_var_finder_finds_the_known_ones():
    # Guards the regular expressions: a finder that finds nothing would pass every check.
    found = env_vars_read_by_the_code()
    for name in (
        "REWIRE_HOME",
        "DATABASE_URL",
        "REWIRE_HTTPS",
        "REWIRE_ALLOWED_HOSTS",
        "REWIRE_PORT",
        "REWIRE_SMTP_HOST",
        "REWIRE_TEST_POSTGRES_URL",
    ):
        assert name in found


@pytest.mark.parametrize("name", sorted(env_vars_read_by_the_code()))
def test_every_env_var_is_documented(name):
    assert name in documented_env_vars(), (
        f"{name} is read by the code but has no row in docs/configuration.md"
    )


def test_every_documented_env_var_is_read_somewhere():
    stale = documented_env_vars() - env_vars_read_by_the_code()
    assert not stale, f"docs/configuration.md documents variables nothing reads: {stale}"


# (b) management commands


def test_the_command_finder_finds_the_known_ones():
    assert {"serve", "demo", "user", "token", "export", "import", "cleanup"} <= set(
        management_commands()
    )


@pytest.mark.parametrize("name", management_commands())
def test_every_command_is_documented(name):
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert re.search(rf"^#+ `rewire {re.escape(name)}[ `]", text, flags=re.MULTILINE), (
        f"docs/cli.md has no heading for `rewire {name}`"
    )


# (c) API operations


def test_the_api_has_operations():
    assert "GET /api/v1/checkins" in api_operations()


@pytest.mark.parametrize("operation", api_operations())
def test_every_api_operation_is_documented(operation):
    assert operation in documented_api_operations(), f"docs/api.md has no heading ### `{operation}`"


def test_every_documented_api_operation_exists():
    stale = documented_api_operations() - set(api_operations())
    assert not stale, f"docs/api.md documents operations the API does not have: {stale}"


# (d) README and CI


def test_readme_has_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert fenced_blocks(readme) == ["python3 -m pip install . && rewire serve", "scripts/test"]


def test_ci_runs_the_readme_test_command():
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    assert "scripts/test" in commands
    assert (ROOT / "scripts" / "test").stat().st_mode & 0o111, "scripts/test is not executable"
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111, ".ci/run is not executable"


def test_every_test_the_hazard_log_cites_exists():
    """A control without a test does not count: each cited test must be there."""
    log = (DOCS / "safety" / "hazard-log.md").read_text()
    cited, current = [], None
    for path, name in re.findall(r"`(?:(tests/[\w/]+\.py))?::(\w+)`", log):
        current = path or current
        cited.append((current, name))
    assert len(cited) >= 20
    for path, name in cited:
        source = (ROOT / path).read_text()
        assert f"def {name}(" in source, f"{path}::{name}"


# (e) docs/architecture.md


ARCHITECTURE = DOCS / "architecture.md"


def architecture_paths() -> list[str]:
    return sorted(paths_named_in(ARCHITECTURE.read_text(encoding="utf-8")))


def test_the_path_finder_finds_paths_and_only_paths():
    # Guards the regular expressions: a finder that finds nothing would pass every check.
    sample = (
        "`rewire/api/portability.py` moved to `core/portability.py`; content in "
        "`program/content/<language>/`; see [the ADRs](adr/), `tests/test_access.py`, "
        "`GET /api/v1/checkins`, https://example.org/docs/x, before/after, "
        "REWIRE_HOME/secret_key and `/programme/sessions/<id>`."
    )
    assert paths_named_in(sample) == {
        "rewire/api/portability.py",
        "rewire/core/portability.py",
        "rewire/program/content/<language>",
        "docs/adr",
        "tests/test_access.py",
    }
    assert not exists("rewire/api/portability.py")
    assert exists("rewire/program/content/<language>")
    assert {"rewire/core/portability.py", "rewire/diary/entry.py"} <= set(architecture_paths())
    assert {"core", "diary", "care"} <= set(rewire_apps())


@pytest.mark.parametrize("path", architecture_paths())
def test_every_path_the_architecture_names_exists(path):
    assert exists(path), f"docs/architecture.md names {path}, which does not exist"


@pytest.mark.parametrize("app", rewire_apps())
def test_every_app_has_a_row_in_the_architecture(app):
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert re.search(rf"^\| `{re.escape(app)}` \|", text, flags=re.MULTILINE), (
        f"docs/architecture.md has no row | `{app}` | in its table of apps"
    )
