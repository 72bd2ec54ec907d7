"""The demo seed publishes a programme whose outcomes the demo badges align to, and the
badges still verify with their alignments signed in."""

from typing import Any

from django.core.management import call_command

from accounts.models import User
from badges.models import Badge
from portfolio.models import Programme


def test_the_demo_programme_is_published_with_outcomes_the_demo_badges_align_to(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")  # idempotent
    programme = Programme.objects.get()
    assert programme.is_published and programme.institution is not None
    assert programme.institution.slug == "default"
    assert programme.outcomes.count() == 8 and programme.courses.count() == 3
    codes = set(programme.outcomes.values_list("code", flat=True))
    learner = User.objects.get(email="learner1@demo.example")
    aligned = {
        alignment["targetCode"]
        for badge in Badge.objects.filter(owner=learner)
        for alignment in badge.details["alignments"]
    }
    assert aligned == {"WD-LO1", "WD-LO4", "WD-LO6"} and aligned <= codes
    statuses = sorted(Badge.objects.filter(owner=learner).values_list("status", flat=True))
    assert statuses == ["expired", "unidentified", "verified", "verified"]
