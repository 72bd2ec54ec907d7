"""The tutor dashboard at 30 and 300 learners, all in one tutor's cohort.

`tutor_dashboard_rows` promises one query whatever the number of learners, so the
query count must stay flat while the time grows only with the rows it returns. The
selector is timed directly; the page too once its URL ("review_tutor:dashboard")
exists. BENCH_SCALE (a float, default 1) multiplies both data sizes.
"""

import statistics
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from bench import datagen
from bench.environment import reset_database
from bench.harness import (
    BenchmarkError,
    Measurement,
    Row,
    format_table,
    measure,
    measure_floor,
    queries_flat,
    scaled,
)
from core.html import render_markdown
from portfolio.models import FeedbackComment, FeedbackRequest, FeedbackThread, Goal, ReviewMark
from portfolio.review.selectors import tutor_dashboard_rows

SIZES = (30, 300)
ITEMS_PER_LEARNER = 6
THREADS_PER_LEARNER = 2
SELECTOR_REPEAT = 30
PAGE_REPEAT = 30
FLOOR_REPEAT = 100
PAGE_URL_NAME = "review_tutor:dashboard"
_COMMENT = "Good start. **Next:** say what you would change."


@dataclass
class ReviewResult:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def _review_data(*, tutor_id: int, learner_ids: list[int]) -> None:
    """Per learner: THREADS_PER_LEARNER whole-portfolio threads (one open) with a
    comment each, a goal; every other learner a review mark, every third an open
    request for feedback."""
    now = timezone.now()
    FeedbackThread.objects.bulk_create(
        [
            FeedbackThread(
                learner_id=learner_id,
                started_by_id=tutor_id,
                status=FeedbackThread.Status.OPEN
                if number == 0
                else FeedbackThread.Status.ADDRESSED,
            )
            for learner_id in learner_ids
            for number in range(THREADS_PER_LEARNER)
        ],
        batch_size=datagen.BATCH_SIZE,
    )
    # Re-read the ids: not every database backend returns them from a bulk insert.
    thread_ids = list(
        FeedbackThread.objects.filter(learner_id__in=learner_ids).values_list("pk", flat=True)
    )
    html = render_markdown(_COMMENT)
    FeedbackComment.objects.bulk_create(
        [
            FeedbackComment(
                thread_id=pk, author_id=tutor_id, body_markdown=_COMMENT, body_html=html
            )
            for pk in thread_ids
        ],
        batch_size=datagen.BATCH_SIZE,
    )
    Goal.objects.bulk_create(
        [
            Goal(learner_id=pk, title="Rehearse with a timer", created_by_id=tutor_id)
            for pk in learner_ids
        ],
        batch_size=datagen.BATCH_SIZE,
    )
    ReviewMark.objects.bulk_create(
        [
            ReviewMark(tutor_id=tutor_id, learner_id=pk, reviewed_up_to=now)
            for pk in learner_ids[::2]
        ]
    )
    FeedbackRequest.objects.bulk_create(
        [FeedbackRequest(learner_id=pk, question="Is this enough?") for pk in learner_ids[::3]]
    )


def _measure_selector(tutor: User, *, expected_rows: int) -> Measurement:
    rows = tutor_dashboard_rows(tutor=tutor)
    if len(rows) != expected_rows:
        raise BenchmarkError(
            f"tutor_dashboard_rows returned {len(rows)} rows, not {expected_rows}; "
            "check the benchmark's data."
        )
    for _ in range(3):
        tutor_dashboard_rows(tutor=tutor)
    timings_ms = []
    for _ in range(SELECTOR_REPEAT):
        start = time.perf_counter()
        tutor_dashboard_rows(tutor=tutor)
        timings_ms.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        tutor_dashboard_rows(tutor=tutor)
    return Measurement(
        median_ms=statistics.median(timings_ms),
        p90_ms=statistics.quantiles(timings_ms, n=10, method="inclusive")[8],
        queries=len(captured.captured_queries),
    )


def _page_url() -> str | None:
    try:
        return reverse(PAGE_URL_NAME)
    except NoReverseMatch:
        return None


def run() -> ReviewResult:
    result = ReviewResult()
    url = _page_url()
    if url is None:
        result.notes.append(f"Page: skipped (no URL named {PAGE_URL_NAME!r} yet).")
    for size in scaled(SIZES):
        reset_database()
        # One cohort, so the one tutor sees every learner.
        dataset = datagen.generate(
            learners=size, learners_per_cohort=size, items_per_learner=ITEMS_PER_LEARNER
        )
        [tutor_id] = dataset.tutor_ids
        _review_data(tutor_id=tutor_id, learner_ids=dataset.learner_ids)
        tutor = User.objects.get(pk=tutor_id)
        client = Client()
        client.force_login(tutor)
        floor = measure_floor(client, repeat=FLOOR_REPEAT)
        data_size = f"{size} learners"
        result.rows.append(
            Row(
                page="tutor dashboard selector tutor_dashboard_rows()",
                data_size=data_size,
                measurement=_measure_selector(tutor, expected_rows=size),
                floor=floor,
            )
        )
        if url is None:
            continue
        try:
            page = measure(client, url, repeat=PAGE_REPEAT)
        except BenchmarkError as error:  # the page is being built alongside this bench
            result.notes.append(f"Page {url} at {data_size}: not measured ({error})")
            continue
        result.rows.append(
            Row(page=f"tutor dashboard {url}", data_size=data_size, measurement=page, floor=floor)
        )
    return result


def format_result(result: ReviewResult) -> str:
    lines = ["Tutor dashboard (one tutor, every learner in their cohort):"]
    if result.rows:
        lines.append(format_table(result.rows))
    lines += [
        f"{page}: queries flat: {'yes' if flat else 'no'}"
        for page, flat in queries_flat(result.rows).items()
    ]
    lines += result.notes
    return "\n".join(lines)
