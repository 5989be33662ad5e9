"""Migrations that change what people see: people who started the programme before sessions
were paced keep going at their own pace; new people and people who chose get what they chose."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rewire.accounts.actions import create_user
from rewire.program.models import ProgrammeSettings, SessionCompletion

BEFORE = [("program", "0002_programmesettings")]


def migrate(targets=None):
    """To `targets`, or to the newest of every app (as the rest of the suite expects)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_people_mid_course_keep_their_own_pace_and_new_people_get_the_trials():
    migrate(BEFORE)  # the tables are the same before and after: 0003 only writes rows
    started, new, picked = (
        create_user(email=f"{name}@example.com", password="a long passphrase 1")
        for name in ("started", "new", "picked")
    )
    for person in (started, picked):
        SessionCompletion.objects.create(user=person, session="intake")
    SessionCompletion.objects.create(user=started, session="evidence")
    ProgrammeSettings.objects.create(user=picked, pace="every_day")

    migrate()  # through 0003_keep_the_pace_of_people_mid_course
    paces = dict(ProgrammeSettings.objects.values_list("user__email", "pace"))
    assert paces == {"started@example.com": "no_wait", "picked@example.com": "every_day"}
    assert new.email not in paces  # no row: the trial's rhythm, the default
