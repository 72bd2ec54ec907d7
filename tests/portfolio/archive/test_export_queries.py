"""Making an archive reads the account in a fixed number of queries, however much it
holds."""

import shutil
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.archive.export import archive_build
from portfolio.models import Export, ExportKind
from portfolio.models.exports import new_file_name
from portfolio.showcases import services as showcases
from tests.portfolio.showcase_data import badge, image_artefact, link_artefact, reflection

pytestmark = pytest.mark.django_db


def _grow(owner: Any, count: int, start: int) -> None:
    showcase = showcases.showcase_create(owner=owner, title=f"Showcase {start}")
    section = showcases.section_add(showcase=showcase, heading="Work")
    for n in range(start, start + count):
        photo = image_artefact(owner, f"Photo {n}")
        thoughts = reflection(owner, f"Reflection {n}", artefacts=[photo])
        earned = badge(owner, f"Badge {n}")
        showcases.items_add(section=section, targets=[photo, thoughts, earned])
        link_artefact(owner, f"Link {n}")


def _queries(owner: Any) -> int:
    export = Export.objects.create(
        owner=owner,
        kind=ExportKind.ARCHIVE_ZIP,
        title="Everything",
        file_name=new_file_name("zip"),
        idempotency_key=f"k{Export.objects.count()}",
    )
    with CaptureQueriesContext(connection) as queries:
        made = archive_build(export=export, report=lambda *_: None)
    shutil.rmtree(made.parent)
    return len(queries)


def test_the_queries_stay_the_same_as_the_account_grows(people):
    _grow(people.learner, 1, 0)
    few = _queries(people.learner)
    _grow(people.learner, 4, 10)
    assert _queries(people.learner) == few
