"""A richly populated account exported and imported into a fresh account comes back the
same: files (by hash), reflection text, badge originals, showcase structure, order and
captions, claims and mappings, attestations. Importing it again makes nothing new."""

import pytest
from django.test import Client

from portfolio.models import (
    ArchiveImportState,
    Attestation,
    Claim,
    ImportedRecord,
    Programme,
    ShareLink,
)
from tests.factories import LearnerFactory
from tests.portfolio.apel.apel_data import programme
from tests.portfolio.archive.builders import account_rows, import_archive, stored_files
from tests.portfolio.archive.describe import describe

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_fresh_account_gets_back_everything_the_archive_holds(archived):
    fresh = LearnerFactory.create(email=archived.email)

    done = import_archive(fresh, archived.data)

    assert done.state == ArchiveImportState.DONE, done.error
    assert describe(fresh) == archived.before
    assert done.report["skipped"] == []
    assert done.report["created"]["artefacts"] == len(archived.before["artefacts"])


def test_imported_attestations_are_kept_and_marked_as_imported(archived):
    fresh = LearnerFactory.create(email=archived.email)
    import_archive(fresh, archived.data)
    attestation = Attestation.objects.get(learner=fresh)
    assert attestation.imported_at is not None
    assert attestation.withdraw_token_hash is None and attestation.request_id is None
    client = Client()
    client.force_login(fresh)
    page = client.get(attestation.item.get_absolute_url()).content.decode()
    assert "Came in an archive imported on" in page


def test_share_links_are_not_carried_over(archived):
    fresh = LearnerFactory.create(email=archived.email)
    import_archive(fresh, archived.data)
    assert not ShareLink.objects.filter(showcase__owner=fresh).exists()


def test_importing_the_same_archive_twice_makes_nothing_new(archived):
    fresh = LearnerFactory.create(email=archived.email)
    import_archive(fresh, archived.data, key="first")
    rows, records = account_rows(fresh), ImportedRecord.objects.count()

    again = import_archive(fresh, archived.data, key="second")

    assert again.state == ArchiveImportState.DONE, again.error
    assert account_rows(fresh) == rows
    assert ImportedRecord.objects.count() == records
    assert again.report["created"] == {}
    assert again.report["existing"]["artefacts"] == rows["artefacts"]


def test_the_uploaded_archive_is_deleted_once_imported(archived, _media_root):
    fresh = LearnerFactory.create(email=archived.email)
    done = import_archive(fresh, archived.data)
    assert done.upload.name == ""
    assert not [name for name in stored_files(_media_root) if name.startswith("archive-")]


def test_a_programme_not_here_is_entered_as_the_learners_own(archived):
    fresh = LearnerFactory.create(email=archived.email)
    import_archive(fresh, archived.data)
    claim = Claim.objects.get(learner=fresh)
    assert claim.programme.entered_by == fresh
    assert list(claim.programme.outcomes.values_list("code", flat=True)) == ["LO1", "LO2", "LO3"]


def test_a_published_programme_of_the_same_institution_and_code_is_used(archived):
    published = programme(outcomes=3, courses=1)
    fresh = LearnerFactory.create(email=archived.email)
    import_archive(fresh, archived.data)
    assert Claim.objects.get(learner=fresh).programme == published
    assert Programme.objects.count() == 1


def test_badges_issued_to_someone_else_are_left_out_and_the_report_says_why(archived):
    stranger = LearnerFactory.create()

    done = import_archive(stranger, archived.data)

    assert done.state == ArchiveImportState.DONE, done.error
    assert account_rows(stranger)["badges"] == 0
    skipped = {(entry["kind"], entry["title"]) for entry in done.report["skipped"]}
    assert ("badges", "Python programming") in skipped
    assert ("showcases", "Application to Acme") in skipped  # the badge's item
    reasons = " ".join(entry["reason"] for entry in done.report["skipped"])
    assert "email" in reasons


def test_an_imported_submitted_claim_still_holds_all_it_was_submitted_with(archived):
    """Its history names the evidence submitted by the items this import made, so the
    claim's pages report nothing removed since submission."""
    from portfolio.apel.selectors import claim_view

    fresh = LearnerFactory.create(email=archived.email)
    import_archive(fresh, archived.data)
    claim = Claim.objects.get(learner=fresh)
    assert claim.submitted_at is not None
    submitted = claim.events.get(kind="submitted").detail["evidence"]
    assert submitted and claim_view(claim=claim).removed == []
