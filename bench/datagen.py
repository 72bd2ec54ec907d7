"""Bulk data for benchmarks: learners in cohorts, each cohort with one tutor.

`generate` expects an empty database (the harness flushes between data sizes) and
writes with bulk inserts and one precomputed password hash, so thousands of people
take well under a second. Later benchmarks extend `generate` with more of each
learner's data (evidence items, reflections, badges) as those features arrive.
"""

from dataclasses import dataclass
from math import ceil

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Cohort, Role, User

EMAIL_DOMAIN = "bench.example"
PASSWORD = "bench-password-not-secret"  # noqa: S105 (throwaway accounts, throwaway database)


@dataclass(frozen=True)
class Dataset:
    learner_ids: list[int]
    tutor_ids: list[int]
    cohort_ids: list[int]

    @property
    def sample_learner(self) -> User:
        """A learner in the middle of the data, in a full cohort with its tutor."""
        return User.objects.get(pk=self.learner_ids[len(self.learner_ids) // 2])


def _people(*, role: Role, count: int, password_hash: str) -> list[int]:
    users = [
        User(
            email=f"bench-{role}-{number:05d}@{EMAIL_DOMAIN}",
            name=f"Bench {role.label} {number:05d}",
            role=role,
            password=password_hash,
        )
        for number in range(1, count + 1)
    ]
    User.objects.bulk_create(users, batch_size=500)
    # Re-read the ids: not every database backend returns them from a bulk insert.
    ids = list(
        User.objects.filter(role=role, email__endswith=f"@{EMAIL_DOMAIN}")
        .order_by("email")
        .values_list("pk", flat=True)
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=user.email, primary=True, verified=True)
            for pk, user in zip(ids, users, strict=True)
        ],
        batch_size=500,
    )
    return ids


@transaction.atomic
def generate(*, learners: int, learners_per_cohort: int = 25) -> Dataset:
    """Create `learners` learners in cohorts of `learners_per_cohort`, one tutor each."""
    if learners < 1 or learners_per_cohort < 1:
        raise ValueError("learners and learners_per_cohort must be at least 1.")
    cohort_count = ceil(learners / learners_per_cohort)
    password_hash = make_password(PASSWORD)
    learner_ids = _people(role=Role.LEARNER, count=learners, password_hash=password_hash)
    tutor_ids = _people(role=Role.TUTOR, count=cohort_count, password_hash=password_hash)

    Cohort.objects.bulk_create(
        [Cohort(name=f"Bench cohort {number:05d}") for number in range(1, cohort_count + 1)]
    )
    cohort_ids = list(
        Cohort.objects.filter(name__startswith="Bench cohort ")
        .order_by("name")
        .values_list("pk", flat=True)
    )

    TutorLink = Cohort.tutors.through
    LearnerLink = Cohort.learners.through
    TutorLink.objects.bulk_create(
        [
            TutorLink(cohort_id=cohort_id, user_id=tutor_id)
            for cohort_id, tutor_id in zip(cohort_ids, tutor_ids, strict=True)
        ]
    )
    LearnerLink.objects.bulk_create(
        [
            LearnerLink(cohort_id=cohort_ids[index // learners_per_cohort], user_id=learner_id)
            for index, learner_id in enumerate(learner_ids)
        ],
        batch_size=500,
    )
    return Dataset(learner_ids=learner_ids, tutor_ids=tutor_ids, cohort_ids=cohort_ids)
