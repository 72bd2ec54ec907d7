"""Shared fixtures: people of each role in two cohorts, a clean cache, and a temporary
media root. Fixtures for real services (Celery worker) live in tests/services.py."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache

from accounts.models import Cohort, User
from portfolio.celery import app as celery_app
from tests.factories import (
    CohortFactory,
    InstitutionAdminFactory,
    LearnerFactory,
    TutorFactory,
)

pytest_plugins = ["tests.services", "tests.fakeweb"]


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    # allauth's rate limits live in the cache; one test's failed logins must not
    # lock out the next test's user.
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process_unless_a_worker_is_used(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests read sent mail from Django's outbox, so tasks run in this process, as they
    do under `make run`. Tests that take the `celery_worker` fixture go through the
    real broker and worker instead."""
    if "celery_worker" in request.fixturenames:
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path: Path) -> Path:
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
    }
    return media


@dataclass
class People:
    """Two cohorts: ours (tutor, learner, other_learner) and another (other_tutor,
    outsider), plus an institution admin."""

    admin: User
    tutor: User
    learner: User
    classmate: User
    cohort: Cohort
    other_tutor: User
    outsider: User
    other_cohort: Cohort


@pytest.fixture
def people(db: None) -> People:
    tutor, other_tutor = TutorFactory.create(), TutorFactory.create()
    learner, classmate, outsider = LearnerFactory.create_batch(3)
    cohort = CohortFactory.create(tutors=[tutor], learners=[learner, classmate])
    other_cohort = CohortFactory.create(tutors=[other_tutor], learners=[outsider])
    return People(
        admin=InstitutionAdminFactory.create(),
        tutor=tutor,
        learner=learner,
        classmate=classmate,
        cohort=cohort,
        other_tutor=other_tutor,
        outsider=outsider,
        other_cohort=other_cohort,
    )
