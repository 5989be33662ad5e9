"""`rewire check` fails when a model holds personal data that no app has declared: every
installed model must be in some section's `exported`, `left_out` or `not_personal`
(portability.py). A new model cannot slip out of the export, erasure and the access sweeps
unnoticed."""

from django.core import checks

from rewire.core import portability


@checks.register(checks.Tags.models)
def every_model_is_declared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    declared: dict[str, str] = {}
    problems = []
    for section in portability.sections():
        for listing in ("exported", "left_out", "not_personal"):
            for label in getattr(section, listing):
                if label in declared:
                    problems.append(
                        checks.Error(
                            f"{label} is declared twice (sections {declared[label]} and "
                            f"{section.name}).",
                            hint="Declare each model in one section only.",
                            id="rewire.E002",
                        )
                    )
                declared[label] = section.name
                if listing == "not_personal" and label in portability.owner_lookups():
                    problems.append(
                        checks.Error(
                            f"{label} is declared as not personal, but it leads to a person.",
                            hint="Export it or leave it out with the reason.",
                            id="rewire.E003",
                        )
                    )
    installed = portability.installed_models()
    for label in sorted(set(declared) - set(installed)):
        problems.append(
            checks.Error(
                f"The section {declared[label]} declares {label}, which is not installed.",
                id="rewire.E004",
            )
        )
    personal = portability.owner_lookups()
    for label in sorted(set(installed) - set(declared)):
        what = "holds personal data" if label in personal else "is not declared"
        problems.append(
            checks.Error(
                f"{label} {what}, but no app's export section says what happens to it.",
                hint="In its app's portability.py, add it to the section's `exported` (with "
                "its path in the document), `left_out` (with the reason) or `not_personal`.",
                obj=installed[label],
                id="rewire.E001",
            )
        )
    return problems
