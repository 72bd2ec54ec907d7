from django.core.management import call_command

from accounts.models import Cohort, Role, User


def test_seed_creates_the_demo_people_and_is_idempotent(db: None) -> None:
    call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")
    assert User.objects.count() == 6
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
