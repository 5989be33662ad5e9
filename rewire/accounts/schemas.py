"""The account's part of the export document: its time zone (the email and password stay
on this server: see portability.py)."""

from rewire.core.schemas import Strict, TimezoneName


class ExportedAccount(Strict):
    timezone: TimezoneName
