"""The person's whole record as one JSON document, and back in; and the registry of which
app owns which personal data (ADR 0011).

Each app declares its part in its own `portability.py`: a `Section` subclass, decorated with
`@register`, naming the document's keys it fills and their schema, the models it owns (each
either exported, at a path in the document, or left out with the reason), and how to export,
check and write its records. Nothing here names an app: sections are found by autodiscovery,
as the Django admin finds each `admin.py`. The same declarations drive the export, the
import, erasure (`erase_account`), the system check that fails on a personal model nobody
declared (checks.py) and the tests' access sweeps.

Import checks the whole document first, section by section, then writes every section in one
transaction into an account that has none of their records yet.
"""

import datetime as dt
from functools import cache
from typing import Any, ClassVar, Literal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from pydantic import Field, ValidationError, create_model

from rewire.core.errors import ImportRejected
from rewire.core.schemas import Moment, Quiet, Strict

FORMAT = "rewire-export"
VERSION = 1

# Ids per query: well under SQLite's smallest limit on query parameters.
ID_BATCH = 900

# A place's offset from UTC is at most 14 hours, so its date is within a day of the UTC date.
DATE_SLACK = dt.timedelta(days=1)

REQUIRED = ...  # a document field with no default: every document has it


class Section:
    """An app's part of the export document and of the person's data.

    Subclasses set:
    - `name` (the app's label) and `order` (its place in the document: a section whose
      records name another's, such as a thought record naming its check-in, comes after it);
    - `fields`: {document key: (schema, default or REQUIRED)} — the keys this section fills;
    - `exported`: {model label: path in the document} for every model whose rows it exports
      ("*" for each item of a list), children and many-to-many tables included;
    - `left_out`: {model label: why it is not exported} for the rest of its personal models;
    - `not_personal`: {model label: why it holds nobody's data}, for installed models of
      other packages that the section vouches for;
    - `counts`: {ImportResult key: (description, words for "{} records")};
    - `conflict`: what an import into an account that has these records already says (at
      `conflict_at`, else at the section's first key).

    and implement `export`, `parse` and `write`. `erase` deletes the section's rows.
    """

    name: ClassVar[str]
    order: ClassVar[int]
    fields: ClassVar[dict[str, tuple[Any, Any]]] = {}
    exported: ClassVar[dict[str, tuple[str, ...]]] = {}
    left_out: ClassVar[dict[str, str]] = {}
    not_personal: ClassVar[dict[str, str]] = {}
    counts: ClassVar[dict[str, tuple[str, str]]] = {}
    conflict: ClassVar[str] = ""
    conflict_at: ClassVar[str] = ""  # the key the conflict is reported at; else the first

    def export(self, user, links: dict) -> dict:
        """{document key: value} for this section's keys. `links` carries what a later
        section needs from an earlier one (such as each check-in's place in the document)."""
        return {}

    def parse(self, document, *, prefix: tuple) -> tuple[Any, list[dict]]:
        """Check every record against the rules the actions apply, before anything is
        written. Returns the parsed records and the problems, [{loc, msg, type}]."""
        return None, []

    def write(self, user, parsed, links: dict) -> dict[str, int]:
        """Bulk-write checked records with their own times; returns {count key: how many}."""
        return {}

    def owned_models(self) -> list:
        """The models whose rows belong to one person through a key of their own (children
        and link tables go with their parent): what erasure deletes."""
        return self._keyed_to_the_user([*self.exported, *self.left_out])

    def record_models(self) -> list:
        """The owned models this section exports: the person's records."""
        return self._keyed_to_the_user(self.exported)

    def holds_records(self, user) -> bool:
        """Whether an import would meet records of this section already in the account."""
        return any(model.objects.for_user(user).exists() for model in self.record_models())

    @staticmethod
    def _keyed_to_the_user(labels) -> list:
        lookups = owner_lookups()
        return [apps.get_model(label) for label in labels if lookups.get(label) == "user"]

    def erase(self, user) -> None:
        for model in self.owned_models():
            model._default_manager.filter(user=user).delete()


_sections: dict[str, Section] = {}
_schemas: dict[str, type] = {}


def register(cls: type[Section]) -> type[Section]:
    """Class decorator: add the app's section to the registry."""
    if cls.name in _sections and type(_sections[cls.name]) is not cls:
        raise ValueError(f"Two export sections are named {cls.name!r}.")
    _sections[cls.name] = cls()
    _schemas.clear()  # built again with the new section
    return cls


def autodiscover() -> None:
    """Import every installed app's `portability` module, which registers its section."""
    autodiscover_modules("portability")


def sections() -> list[Section]:
    """Every registered section, in the document's order (CoreConfig.ready() has found them)."""
    return sorted(_sections.values(), key=lambda section: section.order)


# The document's schema, built from the sections.


def _document_schema():
    if "document" not in _schemas:
        document_fields = {
            "format": (Literal[FORMAT], FORMAT),
            "version": (Literal[VERSION], VERSION),
            "exported_at": (Moment | None, None),
        }
        result_fields = {}
        for section in sections():
            for key, (schema, default) in section.fields.items():
                if default is REQUIRED:
                    document_fields[key] = (schema, ...)
                elif callable(default):
                    # Optional, so a document from before this part existed still imports.
                    document_fields[key] = (schema, Field(default_factory=default))
                else:
                    document_fields[key] = (schema, default)
            for key, (description, _) in section.counts.items():
                result_fields[key] = (int, Field(description=description) if description else ...)
        _schemas["document"] = create_model(
            "ExportDocument",
            __base__=Strict,
            __doc__="The whole record as one document: `GET /api/v1/export`, "
            "`POST /api/v1/import`.",
            **document_fields,
        )
        _schemas["result"] = create_model(
            "ImportResult",
            __base__=Quiet,
            __doc__="How many records an import created.",
            **result_fields,
        )
    return _schemas["document"]


def document_schema() -> type:
    """The export document's pydantic schema (ExportDocument in the OpenAPI document)."""
    return _document_schema()


def import_result_schema() -> type:
    """ImportResult: how many records of each kind an import created."""
    _document_schema()
    return _schemas["result"]


# Helpers for the sections.


def grouped(ids, queryset, *fields, parent: str) -> dict[int, list]:
    """{parent id: [field values...]} for the given parents (`parent` names the key column,
    such as "checkin_id"), in the queryset's order."""
    groups: dict[int, list] = {}
    for start in range(0, len(ids), ID_BATCH):
        batch = queryset.filter(**{f"{parent}__in": ids[start : start + ID_BATCH]})
        for parent_id, *rest in batch.values_list(parent, *fields):
            groups.setdefault(parent_id, []).append(rest)
    return groups


def iso(row: dict, *names) -> dict:
    """The row with each named date or time written as ISO 8601 text (None stays None)."""
    for name in names:
        if row[name] is not None:
            row[name] = row[name].isoformat()
    return row


def date_problem(local_date: dt.date, moment: dt.datetime, moment_name: str) -> str | None:
    """A record's local date must be within a day of the UTC date of its time."""
    if abs(local_date - moment.astimezone(dt.UTC).date()) > DATE_SLACK:
        return f"More than a day away from the date of {moment_name}."
    return None


def problems_at(location: list, problems: dict) -> list[dict]:
    """Each problem at its place under `location`: a field's name, or a tuple for a place
    deeper down, such as ("answers", "phq9_9")."""
    return [
        {
            "loc": [*location, *(name if isinstance(name, tuple) else (name,))],
            "msg": reason,
            "type": "value_error",
        }
        for name, reason in problems.items()
    ]


# The document, out and in.


def export_diary(user) -> dict:
    """Everything the person recorded, as one document (docs/api.md)."""
    document = {"format": FORMAT, "version": VERSION, "exported_at": timezone.now().isoformat()}
    links: dict = {}
    for section in sections():
        document.update(section.export(user, links))
    return document


def parse_export(data, *, prefix=()) -> tuple[Any, dict[str, Any]]:
    """Validate the whole document before anything is written: the document and each
    section's parsed records. `prefix` starts each error's loc."""
    schema = document_schema()
    try:
        document = data if isinstance(data, schema) else schema.model_validate(data)
    except ValidationError as error:
        raise ImportRejected(
            [
                {"loc": [*prefix, *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in error.errors()
            ]
        ) from None
    parsed, errors = {}, []
    for section in sections():
        parsed[section.name], found = section.parse(document, prefix=tuple(prefix))
        errors += found
    if errors:
        raise ImportRejected(errors)
    return document, parsed


def import_diary(user, data, *, prefix=()) -> dict[str, int]:
    """Load a document into an account holding none of the records it brings (starter tags
    aside). Returns how many of each kind were created (ImportResult).

    The document is checked first, outside the transaction, so the write lock is held only
    for the writes.
    """
    _, parsed = parse_export(data, prefix=prefix)
    counts: dict[str, int] = {}
    with transaction.atomic():
        # Two imports at once: the second waits here, then finds the account no longer empty.
        type(user).objects.select_for_update().filter(pk=user.pk).first()
        for section in sections():
            if section.conflict and section.holds_records(user):
                location = [*prefix, section.conflict_at or next(iter(section.fields))]
                raise ImportRejected(
                    [{"loc": location, "msg": section.conflict, "type": "conflict"}]
                )
        links: dict = {}
        for section in sections():
            counts |= section.write(user, parsed[section.name], links)
    return counts


def import_summary(counts: dict[str, int]) -> str:
    """What an import created, in words: "3 check-ins, 2 new tags and 1 ..."."""
    said = [
        words.format(counts[key])
        for section in sections()
        for key, (_, words) in section.counts.items()
    ]
    return ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else "".join(said)


def clear_records(user) -> None:
    """Delete every record the export holds, keeping the account, its tokens and shares (the
    demo account starts again from this)."""
    for section in reversed(sections()):
        for model in section.record_models():
            model.objects.for_user(user).delete()


def erase_account(user) -> None:
    """Erase every row of the person's, section by section (the latest first), then the
    account itself; what a section's models hang on goes with them."""
    for section in reversed(sections()):
        section.erase(user)
    user.delete()


# Which models hold personal data: the walk the system check and the tests share.


def installed_models() -> dict[str, type]:
    return {m._meta.label: m for m in apps.get_models(include_auto_created=True)}


@cache
def owner_lookups() -> dict[str, str]:
    """Every model holding personal data, with the lookup from it to its owner ("user",
    "checkin__user", ...; "pk" for the user model itself).

    A model holds personal data when it has a ForeignKey or OneToOneField to the user model,
    or to another model that does (the tables behind ManyToMany fields count too). Models
    that name a person without such a key (sessions, sign-in attempts, the access log) are
    not found this way: every installed model must be declared by some section anyway."""
    user_model = get_user_model()
    lookups = {user_model: "pk"}
    changed = True
    while changed:
        changed = False
        for model in installed_models().values():
            if model in lookups:
                continue
            keys = [
                f
                for f in model._meta.concrete_fields
                if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in lookups
            ]
            if not keys:
                continue
            # The straightest way to the owner: a key to the user, else one that is never null.
            key = min(keys, key=lambda f: (f.related_model is not user_model, f.null))
            parent = lookups[key.related_model]
            lookups[model] = key.name if parent == "pk" else f"{key.name}__{parent}"
            changed = True
    return {model._meta.label: lookup for model, lookup in lookups.items()}


@register
class CoreSection(Section):
    """Core's own model: no part of the document."""

    name = "core"
    order = 0
    left_out = {
        # Retry bookkeeping for the API and forms (a key, a digest and the id created), no
        # content of its own, deleted by `rewire cleanup` after 30 days.
        "core.IdempotencyKey": "short-lived retry bookkeeping",
    }
