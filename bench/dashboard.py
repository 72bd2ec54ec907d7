"""The learner dashboard at a small and a large data size.

The dashboard shows only the learner's own cohorts, so its query count must not grow
with the number of learners in the institution. BENCH_SCALE (a float, default 1)
multiplies both data sizes, for a quick run (0.1) or a harder one (10).
"""

from django.test import Client
from django.urls import reverse

from accounts.models import User
from bench import datagen
from bench.environment import reset_database
from bench.harness import BenchmarkError, Row, measure, measure_floor, scaled

PAGE = "learner dashboard"
SIZES = (30, 3000)
REPEAT = 200


def _check_shows_own_cohort(client: Client, url: str, *, learner: User) -> None:
    """Time a populated page, not an empty state or a page for someone else."""
    cohort = learner.cohorts.get()
    if cohort.name.encode() not in client.get(url).content:
        raise BenchmarkError(f"{url} does not list {learner.email}'s cohort {cohort.name!r}.")


def run() -> list[Row]:
    url = reverse("portfolio:learner_dashboard")
    rows = []
    for size in scaled(SIZES):
        reset_database()
        dataset = datagen.generate(learners=size)
        learner = dataset.sample_learner
        client = Client()
        client.force_login(learner)
        _check_shows_own_cohort(client, url, learner=learner)
        rows.append(
            Row(
                page=f"{PAGE} {url}",
                data_size=f"{size} learners",
                measurement=measure(client, url, repeat=REPEAT),
                floor=measure_floor(client, repeat=REPEAT),
            )
        )
    return rows
