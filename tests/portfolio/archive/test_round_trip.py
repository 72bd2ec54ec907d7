"""A richly populated account exported and imported into a fresh account comes back the
same: files (by hash), reflection text, badge originals, showcase structure, order and
captions, claims and mappings, attestations. Importing it again makes nothing new."""

import pytest

from accounts.models import User
from portfolio.models import ArchiveImportState, Attestation
from tests.factories import LearnerFactory
from tests.portfolio.archive.builders import (
    account_rows,
    export_archive,
    import_archive,
    rich_account,
)
from tests.portfolio.archive.describe import describe

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def exported(people):
    """The learner's archive, and what their account held; the learner then leaves (so
    a fresh account can take their email address, to which their badges were issued)."""
    rich_account(people.learner, people.tutor)
    before = describe(people.learner)
    data = export_archive(people.learner)
    email = people.learner.email
    User.objects.filter(pk=people.learner.pk).delete()
    return data, before, email


def test_a_fresh_account_gets_back_everything_the_archive_holds(exported):
    data, before, email = exported
    fresh = LearnerFactory.create(email=email)

    done = import_archive(fresh, data)

    assert done.state == ArchiveImportState.DONE, done.error
    assert describe(fresh) == before
    assert done.report["skipped"] == []


def test_imported_attestations_are_marked_as_imported(exported):
    data, _before, email = exported
    fresh = LearnerFactory.create(email=email)
    import_archive(fresh, data)
    assert Attestation.objects.filter(learner=fresh, imported_at__isnull=False).count() == 1
    assert Attestation.objects.filter(learner=fresh, withdraw_token_hash__isnull=False).count() == 0


def test_importing_the_same_archive_twice_makes_nothing_new(exported):
    data, _before, email = exported
    fresh = LearnerFactory.create(email=email)
    import_archive(fresh, data, key="first")
    rows = account_rows(fresh)

    again = import_archive(fresh, data, key="second")

    assert again.state == ArchiveImportState.DONE, again.error
    assert account_rows(fresh) == rows
    assert again.report["created"] == {}
    assert again.report["existing"]["artefacts"] == rows["artefacts"]
