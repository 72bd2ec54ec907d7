from typing import Any

from django.core.management import call_command

from accounts.models import Cohort, Institution, Membership, Role, User


def test_seed_creates_the_demo_people_and_is_idempotent(db: None) -> None:
    call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")
    assert User.objects.count() == 7
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    ours = Cohort.objects.get(name="Web Development 2026")
    assert {u.email for u in ours.learners.all()} == {
        "learner1@demo.example",
        "learner2@demo.example",
    }
    assert [t.email for t in ours.tutors.all()] == ["tutor@demo.example"]
    other = Cohort.objects.exclude(pk=ours.pk).get()
    assert [u.email for u in other.learners.all()] == ["learner3@demo.example"]
    assert User.objects.get(email="learner1@demo.example").emailaddress_set.get().verified
    # One institution: everyone a member with their role, both cohorts its own.
    institution = Institution.objects.get()
    roles = dict(
        Membership.objects.filter(institution=institution).values_list("user__email", "role")
    )
    assert roles["admin@demo.example"] == "admin" and roles["tutor2@demo.example"] == "tutor"
    assert roles["assessor@demo.example"] == "assessor"
    assert len(roles) == 7 and Cohort.objects.filter(institution=institution).count() == 2


def test_seed_adds_evidence_and_badges_that_verify_offline(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    from artefacts.models import Artefact
    from badges.models import Badge, Stack
    from reflections.models import Reflection

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")  # idempotent
    learner = User.objects.get(email="learner1@demo.example")
    assert Artefact.objects.filter(owner=learner, media="image", preview="ready").count() == 1
    assert Reflection.objects.filter(owner=learner).count() == 2
    statuses = sorted(Badge.objects.filter(owner=learner).values_list("status", flat=True))
    assert statuses == ["expired", "unidentified", "verified", "verified"]
    self_issued = Badge.objects.get(owner=learner, status="unidentified")
    assert self_issued.issuer_name == "University of Northbridge"
    assert self_issued.issuer_identity == "none" and self_issued.issuer_web_page == ""
    verified = Badge.objects.filter(owner=learner, status="verified")
    assert {b.issuer_identity for b in verified} == {"registry"}
    assert {b.issuer_registry["name"] for b in verified} == {"Demo institution registry"}
    other = User.objects.get(email="learner2@demo.example")
    assert sorted(Badge.objects.filter(owner=other).values_list("status", flat=True)) == [
        "expired", "verified", "verified"]  # fmt: skip
    baked = Badge.objects.filter(owner=learner, source="image").exclude(original_image="")
    assert baked.count() == 3
    stack = Stack.objects.get(owner=None)
    assert stack.items.filter(required=True).count() == 3


def test_seed_adds_a_review_history_once_without_emailing_it(
    db: None, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    from portfolio.models import FeedbackThread, Goal, Notification, ReviewMeeting

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")  # idempotent
    lena = User.objects.get(email="learner1@demo.example")
    leo = User.objects.get(email="learner2@demo.example")
    assert FeedbackThread.objects.filter(learner=lena).count() == 4
    assert FeedbackThread.objects.filter(learner=lena, status="addressed").count() == 2
    assert FeedbackThread.objects.filter(learner=leo).count() == 1
    assert ReviewMeeting.objects.filter(learner=lena).count() == 1
    goals = Goal.objects.filter(learner=lena)
    assert goals.filter(status="done").count() == 2 and goals.exclude(status="done").count() == 2
    assert goals.filter(source_comment__isnull=False).count() == 1  # a next step
    assert leo.feedback_requests.filter(resolved_at=None).count() == 1
    assert Notification.objects.filter(recipient=lena, read_at=None).count() == 2
    assert not Notification.objects.filter(emailed_at=None).exists()
    assert mailoutbox == []


def test_seed_adds_a_draft_apel_claim_ready_for_the_demo_assessor(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    from portfolio.apel.selectors import claim_view
    from portfolio.models import Claim

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")  # idempotent
    claim = Claim.objects.get()
    assert claim.learner.email == "learner1@demo.example" and claim.state == "draft"
    view = claim_view(claim=claim, suggest=True)
    assert len(view.rows) == 5 and view.gaps == 1  # WD-LO2 is left for the learner
    suggested = [m for r in view.rows for m in r.mappings if m.suggested_because]
    assert len(suggested) == 2 and view.suggestions == []  # both badge alignments accepted
