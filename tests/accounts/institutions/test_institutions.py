"""Institution records: brand colour rules, memberships in several institutions, tutor
visibility within an institution, registries per institution, and the data migration."""

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.institutions.models import Membership, validate_brand_colour
from accounts.institutions.services import (
    InstitutionError,
    branding_update,
    cohort_add_people,
    membership_ensure,
)
from accounts.models import Cohort, Role, User
from artefacts.models import Artefact
from badges.models import Identity, Status
from badges.registries.services import registry_add_file
from badges.services import badge_import
from tests.accounts.institutions.conftest import Staff
from tests.badges.issuers import credential, sign_did_key
from tests.badges.registries import listing, registry_bytes, upload
from tests.conftest import People
from tests.factories import LearnerFactory, TutorFactory
from tests.filemakers import png

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("colour", ["#1f4e79", "#000000", "#7A1F5C"])
def test_dark_brand_colours_are_accepted(colour: str) -> None:
    validate_brand_colour(colour)


@pytest.mark.parametrize(
    ("colour", "message"),
    [("#ffff00", "contrast of 1.1:1"), ("#9fc5e8", "Choose a darker colour"),
     ("blue", "six hex digits"), ("#12345", "six hex digits")],
)  # fmt: skip
def test_light_or_malformed_colours_are_refused(colour: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate_brand_colour(colour)


def test_a_logo_must_be_an_image(staff: Staff) -> None:
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(InstitutionError):
        branding_update(institution=staff.institution, logo=fake)
    staff.institution.refresh_from_db()
    assert not staff.institution.logo
    branding_update(institution=staff.institution, logo=SimpleUploadedFile("logo.png", png()))
    assert staff.institution.logo_type == "image/png"


def test_a_person_has_a_role_in_each_institution(people: People, staff: Staff) -> None:
    membership_ensure(user=people.tutor, institution=staff.other_institution, role="learner")
    roles = dict(
        Membership.objects.filter(user=people.tutor).values_list("institution__slug", "role")
    )
    assert roles == {"default": "tutor", "other": "learner"}
    people.tutor.refresh_from_db()
    assert people.tutor.role == Role.TUTOR  # their main pages stay a tutor's


def test_a_tutor_sees_nobody_where_they_are_suspended(people: People, staff: Staff) -> None:
    Membership.objects.filter(user=people.tutor).update(state="suspended")
    assert not User.objects.taught_by(people.tutor).exists()
    assert not Cohort.objects.taught_by(people.tutor).exists()


def test_tutors_see_only_their_own_institutions_learners(staff: Staff) -> None:
    tutor = TutorFactory.create(institution=staff.other_institution)
    ours, theirs = (
        LearnerFactory.create(),
        LearnerFactory.create(institution=staff.other_institution),
    )
    cohort = Cohort.objects.create(institution=staff.other_institution, name="Theirs")
    cohort_add_people(cohort=cohort, users=[tutor], as_role="tutor")
    cohort_add_people(cohort=cohort, users=[theirs], as_role="learner")
    assert list(User.objects.taught_by(tutor)) == [theirs]
    assert ours not in User.objects.taught_by(tutor)


def test_a_learners_evidence_stays_theirs_when_they_leave(people: People) -> None:
    artefact = Artefact.objects.create(owner=people.learner, title="My essay")
    Membership.objects.filter(user=people.learner).delete()
    people.cohort.learners.remove(people.learner)
    assert Artefact.objects.filter(pk=artefact.pk, owner=people.learner).exists()
    assert people.learner not in User.objects.taught_by(people.tutor)


def _unidentified(owner: Any) -> tuple[Any, str]:
    signed = sign_did_key(
        credential(
            issuer="did:key:x",
            name="Python",
            achievement_id="https://badges.test/p",
            recipient=owner.email,
        )
    )
    badge = badge_import(owner=owner, payload=json.dumps(signed), source="json")
    assert badge.status == Status.UNIDENTIFIED
    return badge.public_id, signed["issuer"]["id"]


def test_a_registry_vouches_only_for_its_institutions_learners(
    people: People, staff: Staff, django_capture_on_commit_callbacks: Any
) -> None:
    outsider = LearnerFactory.create(institution=staff.other_institution)
    ours_id, issuer = _unidentified(people.learner)
    theirs_id, _issuer = _unidentified(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        registry_add_file(
            name="Ours", upload=upload(registry_bytes(listing(issuer))), added_by=staff.admin
        )
    from badges.models import Badge

    ours, theirs = Badge.objects.get(public_id=ours_id), Badge.objects.get(public_id=theirs_id)
    assert (ours.status, ours.issuer_identity) == (Status.VERIFIED, Identity.REGISTRY)
    assert theirs.status == Status.UNIDENTIFIED


@pytest.mark.django_db(transaction=True)
def test_existing_people_and_cohorts_move_into_a_default_institution(settings: Any) -> None:
    settings.DEFAULT_INSTITUTION_NAME = "Northfield College"
    executor = MigrationExecutor(connection)
    executor.migrate(
        [("accounts", "0002_institutions"), ("badges", "0003_recheck_under_new_rules")]
    )
    apps = executor.loader.project_state(
        [("accounts", "0002_institutions"), ("badges", "0003_recheck_under_new_rules")]
    ).apps
    OldUser, OldCohort = apps.get_model("accounts", "User"), apps.get_model("accounts", "Cohort")
    tutor = OldUser.objects.create(email="t@example.org", role="tutor")
    learner = OldUser.objects.create(email="l@example.org", role="learner")
    cohort = OldCohort.objects.create(name="Old cohort")
    cohort.tutors.add(tutor)
    cohort.learners.add(learner)
    registry = apps.get_model("badges", "IssuerRegistry").objects.create(name="R", format="dcc")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = Cohort.objects.get(name="Old cohort")
    assert moved.institution.name == "Northfield College"
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles == {"t@example.org": "tutor", "l@example.org": "learner"}
    assert list(User.objects.taught_by(User.objects.get(email="t@example.org"))) == [
        User.objects.get(email="l@example.org")
    ]
    from badges.models import IssuerRegistry

    assert IssuerRegistry.objects.get(pk=registry.pk).institution == moved.institution


def test_a_tutor_cannot_read_a_suspended_or_archived_learners_shared_work(
    people: People,
) -> None:
    shared = Artefact.objects.create(owner=people.learner, title="Shared", visibility="tutors")
    assert Artefact.objects.readable_by(people.tutor).filter(pk=shared.pk).exists()
    Membership.objects.filter(user=people.learner).update(state="suspended")
    assert not Artefact.objects.readable_by(people.tutor).filter(pk=shared.pk).exists()
    Membership.objects.filter(user=people.learner).update(state="active")
    Cohort.objects.filter(pk=people.cohort.pk).update(archived_at="2026-01-01T00:00:00Z")
    assert not Artefact.objects.readable_by(people.tutor).filter(pk=shared.pk).exists()


def test_an_institution_name_with_a_line_break_still_makes_a_valid_from_header(db) -> None:
    """A name typed with a line break (or pasted with one) must not break every email the
    institution sends: the From header is one line."""
    from django.core.mail import EmailMessage

    from accounts.institutions.branding import institution_from_email
    from tests.factories import InstitutionFactory

    institution = InstitutionFactory.create(name="Northfield\nCollege\r\nBcc: x@evil.test")
    sender = institution_from_email(institution)
    assert "\n" not in sender and "\r" not in sender
    message = EmailMessage("Hello", "Body", sender, ["someone@example.org"]).message()
    assert message["From"].startswith('"Northfield College Bcc: x@evil.test via')
    assert message["Bcc"] is None
