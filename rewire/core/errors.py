"""The errors every app raises and answers the same way."""


class InvalidEntry(Exception):
    """The entry breaks a rule; `problems` maps each field to the reason."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in problems.items()))
        self.problems = problems


class ImportRejected(Exception):
    """The document cannot be imported; `errors` lists [{loc, msg, type}] like a 422."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
        self.errors = errors
