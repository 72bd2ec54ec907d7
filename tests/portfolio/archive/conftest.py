"""The archive of a richly populated account, made once per test session: the bytes, what
the account held, and its owner's email address. The owner and their programme are then
deleted, so a test can give a fresh account that address (to which the badges were
issued) and import into it."""

from dataclasses import dataclass
from typing import Any

import pytest

from accounts.models import User
from portfolio.models import Programme
from tests.portfolio.archive.builders import export_archive, rich_account
from tests.portfolio.archive.describe import describe


@dataclass(frozen=True)
class Archived:
    data: bytes
    before: dict[str, Any]
    email: str


_made: list[Archived] = []


@pytest.fixture
def archived(people: Any) -> Archived:
    if not _made:
        rich_account(people.learner, people.tutor)
        before = describe(people.learner)
        data = export_archive(people.learner)
        email = people.learner.email
        User.objects.filter(pk=people.learner.pk).delete()
        Programme.objects.all().delete()
        _made.append(Archived(data=data, before=before, email=email))
    return _made[0]


@pytest.fixture
def archive(archived: Archived) -> bytes:
    return archived.data
