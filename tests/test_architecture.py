"""The house plan holds (docs/architecture.md, ADR 0011): read from the source, not run.

- rewire/core imports no other Rewire app, and rewire/api none but to mount routers (it names
  none at all: routers are found by autodiscovery, and the API's authentication classes are
  named by the setting API_AUTHENTICATION, as Django names AUTHENTICATION_BACKENDS);
- no module imports a private name (`_x`) from another app;
- the domain modules import no Django, not even through another Rewire module;
- no two modules import each other, directly or round a longer loop.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rewire"

# Plain Python: scoring, statistics, rules, content. Fast to test and easy to read.
DJANGO_FREE = [
    "rewire.core.validation",
    "rewire.core.content",
    "rewire.diary.entry",
    "rewire.diary.vocabulary",
    "rewire.diary.trends",
    "rewire.diary.demo",
    "rewire.program.progress",
    "rewire.measures.instruments",
    "rewire.measures.schedule",
    "rewire.measures.outcome",
    "rewire.care.fhir",
    "rewire.program.rules",
    "rewire.program.recap",
    "rewire.program.content",
    "rewire.exposure.rules",
    "rewire.exposure.ladder",
    "rewire.exposure.pacing",
    "rewire.exposure.library",
    "rewire.insights.stats",
    "rewire.insights.experiments",
    "rewire.insights.sleep",
    "rewire.measures.scoring",
    "rewire.measures.worsening",
    "rewire.measures.suitability",
    "rewire.insights.medicines",
    "rewire.reminders.schedule",
]


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


MODULES = modules()


def imports_of(name: str) -> list[tuple[str, str | None]]:
    """(module imported, name imported from it or None) for every import in the module,
    at any depth (an import inside a function counts too)."""
    found = []
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "rewire" and len(parts) > 2 else None


def rewire_targets(name: str) -> set[str]:
    """The Rewire modules a module imports (`from rewire.x import y` names module rewire.x.y
    when that is a module)."""
    targets = set()
    for module, imported in imports_of(name):
        if not module.startswith("rewire"):
            continue
        full = f"{module}.{imported}" if imported else module
        targets.add(full if full in MODULES else module)
    return targets & set(MODULES) - {name}


def test_the_source_is_read():
    assert "rewire.core.portability" in MODULES and "rewire.diary.api" in MODULES
    assert ("rewire.core.errors", "InvalidEntry") in imports_of("rewire.diary.actions")


@pytest.mark.parametrize("package", ["core", "api"])
def test_core_and_the_api_import_no_feature_app(package):
    allowed = {None, "core"} if package == "core" else {None, "core", "api"}
    offending = [
        f"{name} imports {target}"
        for name in MODULES
        if app_of(name) == package or name == f"rewire.{package}"
        for target in rewire_targets(name)
        if app_of(target) not in allowed and target not in ("rewire.settings",)
    ]
    assert not offending


def other_apps_modules_by_alias(name: str) -> dict[str, str]:
    """{local name: module} for each module of another app that the module imports whole
    (`from rewire.x import y as m`, `import rewire.x.y as m`)."""
    aliases = {}
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in MODULES and app_of(full) != app_of(name):
                    aliases[alias.asname or alias.name] = full
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in MODULES and app_of(alias.name) != app_of(name):
                    aliases[alias.asname] = alias.name
    return aliases


def test_no_module_imports_a_private_name_from_another_app():
    offending = [
        f"{name} imports {imported} from {module}"
        for name in MODULES
        for module, imported in imports_of(name)
        if module.startswith("rewire.")
        and imported
        and imported.startswith("_")
        and app_of(module + ".x") != app_of(name)
    ]
    # Nor through a module of another app: `documents._grouped`.
    for name in MODULES:
        aliases = other_apps_modules_by_alias(name)
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        offending += [
            f"{name} uses {aliases[node.value.id]}.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
        ]
    assert not offending


def test_the_private_name_check_sees_a_module_alias():
    assert other_apps_modules_by_alias("rewire.care.report")  # it uses diary's trends module


@pytest.mark.parametrize("name", DJANGO_FREE)
def test_domain_modules_import_no_django(name):
    seen, queue = set(), [name]
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        for module, _ in imports_of(current):
            assert not module.startswith(("django", "ninja")), f"{current} imports {module}"
        queue += rewire_targets(current)


def test_no_import_cycles():
    edges = {name: rewire_targets(name) for name in MODULES}
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(name, path):
        state[name] = 1
        for target in edges[name]:
            if state.get(target) == 1:
                loop = path[path.index(target) :] + [target]
                pytest.fail("import cycle: " + " -> ".join(loop))
            if target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name, [name])
