"""The APEL pages at size: the learner's claim page (its coverage matrix, every outcome
with its evidence and forms, the transcript) and the assessor's page of the same claim,
for OUTCOMES outcomes and ITEMS pieces of evidence, served by a real server.

The claim is against a published programme of the learner's institution. Its evidence
is bench/datagen.py's (links, written pieces and reflections), one item in ten a
verified badge and one in thirty a photo with its thumbnail; each item is mapped to one
outcome and every third also to a second, and every outcome has a justification. The
learner's page is read while the claim is a draft (every form shown); the claim is then
submitted to an assessor of the institution, who has judged every other outcome, and
the assessor's page is read.

Both are served by gunicorn (WORKERS workers x THREADS threads) on loopback against the
bench database, as the shared showcase's load run is (bench/showcase.py), with a signed-in
session's cookie. Each page is fetched REPEAT times after WARM_UP fetches, one after
another on one keep-alive connection; the table gives the median and p90 latency. The
floor is the showcase benchmarks' floor: the page's own bytes written as a static file
(showcase.write_floor) and served by the same gunicorn in the same run, fetched the
same way, so the ratio is what building the page adds over sending its bytes. The SQL
queries are counted on one more fetch in-process (Django's test client). BENCH_SCALE
multiplies the outcomes and the items.
"""

import http.client
import io
import os
import shutil
import statistics
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.institutions.models import MembershipRole
from accounts.institutions.services import institution_default, membership_ensure
from accounts.models import Role, User
from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file, artefact_prepare_preview
from badges.models import Badge, Identity, Status
from bench import datagen
from bench.environment import BENCH_FLOOR, reset_database
from bench.harness import BenchmarkError, format_grid, scaled
from bench.server import Server, gunicorn_log_tail, running_gunicorn
from bench.showcase import SETTINGS_MODULE, THREADS, WORKERS, write_floor
from portfolio.apel import assessors, services
from portfolio.apel.programmes import programme_publish
from portfolio.models import Claim, LearningOutcome, Programme
from reflections.models import Reflection

OUTCOMES = 60
ITEMS = 300
BADGE_EVERY = 10
PHOTO_EVERY = 30
REPEAT = 20
WARM_UP = 3
LOCAL_MAIL = "django.core.mail.backends.locmem.EmailBackend"


@dataclass(frozen=True)
class Page:
    name: str
    floor_file: str  # the name of its floor's static file
    path: str
    cookie: str
    markers: dict[bytes, int]  # what the page must hold, and how many times


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p90_ms: float


@dataclass(frozen=True)
class Measured:
    page: Page
    size: int  # bytes
    queries: int
    timing: Timing
    floor_url: str
    floor: Timing

    @property
    def ratio(self) -> float:
        return self.timing.median_ms / self.floor.median_ms


def run() -> dict[str, Any]:
    """From an empty database: the claim, then each page and its floor through gunicorn."""
    reset_database()
    outcomes, items = scaled((OUTCOMES,))[0], scaled((ITEMS,))[0]
    started = time.perf_counter()
    with override_settings(EMAIL_BACKEND=LOCAL_MAIL):  # the assessor's email stays here
        claim, learner, assessor = _arrange(outcomes, items)
    arranged_s = time.perf_counter() - started
    env = {"DATABASE_URL": os.environ["DATABASE_URL"], "DJANGO_DEBUG": "1"}
    rows = []
    shutil.rmtree(BENCH_FLOOR, ignore_errors=True)
    try:
        with running_gunicorn(
            env=env, workers=WORKERS, threads=THREADS, settings_module=SETTINGS_MODULE
        ) as gunicorn:
            rows.append(_measure(gunicorn.server, _claim_page(claim, learner, outcomes, items)))
            with override_settings(EMAIL_BACKEND=LOCAL_MAIL):
                _submit_and_judge(claim, assessor)
            rows.append(_measure(gunicorn.server, _assessor_page(claim, assessor, outcomes, items)))
    finally:
        shutil.rmtree(BENCH_FLOOR, ignore_errors=True)
    return {"outcomes": outcomes, "items": items, "arranged_s": arranged_s, "rows": rows}


# --- The claim --------------------------------------------------------------------------


def _arrange(outcomes: int, items: int) -> tuple[Claim, User, User]:
    """A learner of the default institution with `items` pieces of evidence, a draft
    claim against its published programme of `outcomes` outcomes with all of it mapped,
    and an assessor of the institution."""
    learner = datagen.generate(learners=1).sample_learner
    assessor = User.objects.create_user(
        email="assessor@bench.test", password=None, name="Bench Assessor", role=Role.TUTOR
    )
    institution = institution_default()
    membership_ensure(user=assessor, institution=institution, role=MembershipRole.ASSESSOR)
    programme = Programme.objects.create(
        institution=institution,
        code="BENCH2",
        title="BSc Bench Engineering",
        credit_cap=Decimal(60),
        currency_years=2,  # the older third of the evidence is not current
    )
    LearningOutcome.objects.bulk_create(
        LearningOutcome(
            programme=programme,
            code=f"LO{n + 1}",
            text=f"Outcome {n + 1}: plan, carry out and review a piece of work of kind {n + 1}.",
            credits=Decimal(3),
            position=n,
        )
        for n in range(outcomes)
    )
    programme_publish(programme=programme)
    claim = services.claim_create(learner=learner, programme=programme, title="Bench claim")
    answers = list(claim.answers.select_related("outcome").order_by("outcome__position"))
    for n, item in enumerate(_evidence(learner, items)):
        services.mapping_add(answer=answers[n % outcomes], item=item, note="It shows the skill.")
        if n % 3 == 0:
            services.mapping_add(answer=answers[(n + 7) % outcomes], item=item)
    for answer in answers:
        services.answer_justify(
            answer=answer,
            justification="I did this at work for two years; the evidence shows the result.",
        )
    return claim, learner, assessor


def _evidence(owner: Any, count: int) -> list[Any]:
    """`count` items: datagen's artefacts and reflections, with one in BADGE_EVERY a
    verified badge and one in PHOTO_EVERY a photo in their places."""
    badges = [n for n in range(count) if n % BADGE_EVERY == BADGE_EVERY // 2]
    photos = [n for n in range(count) if n % PHOTO_EVERY == 0]
    datagen.evidence_generate(owner_ids=[owner.pk], items_each=count - len(badges) - len(photos))
    generated = [
        *Artefact.objects.filter(owner=owner).order_by("pk"),
        *Reflection.objects.filter(owner=owner).order_by("pk"),
    ]
    made = {n: _badge(owner, n) for n in badges} | {n: _photo(owner, n) for n in photos}
    rest = iter(generated)
    return [made[n] if n in made else next(rest) for n in range(count)]


def _photo(owner: Any, number: int) -> Artefact:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((1200, 900)).convert("RGB").save(out, "JPEG")
    photo = artefact_create_file(
        owner=owner,
        upload=SimpleUploadedFile(f"photo-{number}.jpg", out.getvalue()),
        details=Details(title=f"Photo {number}"),
    )
    artefact_prepare_preview(artefact_id=photo.pk)  # a no-op if it ran in-process
    photo.refresh_from_db()
    if photo.preview != Artefact.Preview.READY:
        raise BenchmarkError(f"Photo {number}: no thumbnail was prepared")
    return photo


def _badge(owner: Any, number: int) -> Badge:
    """A verified badge as an import leaves it, written directly: the benchmark measures
    the pages, not the import."""
    now = timezone.now()
    checks = [{"key": "signature", "result": "passed", "ok": True, "message": "Valid."}]
    return Badge.objects.create(
        owner=owner,
        source=Badge.Source.JSON,
        original_payload="{}",
        document={"type": ["VerifiableCredential", "OpenBadgeCredential"]},
        spec_version="3.0",
        name=f"Skill {number}",
        issuer_name="Example College",
        issuer_url="https://issuer.example",
        issued_at=now,
        details={"criteria": {"narrative": "Passed the practical assessment."}},
        fingerprint=f"bench-apel-pages-{number}",
        status=Status.VERIFIED,
        checks=checks,
        last_checked_at=now,
        issuer_identity=Identity.DOMAIN,
        issuer_domain="issuer.example",
    )


def _submit_and_judge(claim: Claim, assessor: User) -> None:
    assigned = assessors.claim_submit_to(claim=claim, declared=True, user=assessor).assessor
    answers = claim.answers.select_related("claim", "outcome").order_by("outcome__position")
    for answer in list(answers)[::2]:
        assessors.assessor_judge(
            assessor=assigned, answer=answer, judgement="partly", comment="Add a dated log."
        )


def _cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)  # a session in the database the server reads
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _claim_page(claim: Claim, learner: User, outcomes: int, items: int) -> Page:
    return Page(
        "learner's claim page (draft)",
        "apel-claim.html",
        claim.get_absolute_url(),
        _cookie(learner),
        {b'<section class="card apel-outcome"': outcomes, b'class="apel-matrix__item"': items},
    )


def _assessor_page(claim: Claim, assessor: User, outcomes: int, items: int) -> Page:
    judged = "Judged “Partly meets”".encode()
    return Page(
        "assessor's page (half judged)",
        "apel-assessor.html",
        reverse("apel:assess_claim", args=[claim.public_id]),
        _cookie(assessor),
        {
            b'class="form apel-judge"': outcomes,
            judged: len(range(0, outcomes, 2)),
            b'<article class="card apel-item"': items,
        },
    )


# --- Measuring --------------------------------------------------------------------------


def _fetch(conn: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    return response.status, response.read()


def _time(server: Server, path: str, cookie: str, size: int) -> Timing:
    """WARM_UP fetches, then REPEAT timed ones, back to back on one connection; each
    must answer 200 with `size` bytes."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    timings_ms = []
    try:
        for n in range(WARM_UP + REPEAT):
            start = time.perf_counter()
            status, body = _fetch(conn, path, cookie)
            if status != 200 or len(body) != size:
                raise BenchmarkError(
                    f"GET {path} answered {status} with {len(body)} bytes, not 200 with "
                    f"{size}:\n{gunicorn_log_tail()}"
                )
            if n >= WARM_UP:
                timings_ms.append((time.perf_counter() - start) * 1000)
    finally:
        conn.close()
    return Timing(
        median_ms=statistics.median(timings_ms),
        p90_ms=statistics.quantiles(timings_ms, n=10, method="inclusive")[8],
    )


def _measure(server: Server, page: Page) -> Measured:
    response = server.request("GET", page.path, headers={"Cookie": page.cookie}, timeout=60)
    body = response.body
    if response.status != 200:
        raise BenchmarkError(f"GET {page.path} answered {response.status}:\n{gunicorn_log_tail()}")
    for marker, expected in page.markers.items():
        if (found := body.count(marker)) != expected:
            raise BenchmarkError(f"{page.name} holds {marker!r} {found} times, not {expected}.")
    floor_url = write_floor(page.floor_file, body)
    floor = server.request("GET", floor_url)
    if floor.status != 200 or floor.body != body:
        raise BenchmarkError(f"GET {floor_url} answered {floor.status}, not the page's bytes.")
    client = Client()
    client.cookies.load(page.cookie)
    with CaptureQueriesContext(connection) as captured:
        if client.get(page.path).status_code != 200:
            raise BenchmarkError(f"GET {page.path} in-process did not answer 200.")
    return Measured(
        page=page,
        size=len(body),
        queries=len(captured.captured_queries),
        timing=_time(server, page.path, page.cookie, len(body)),
        floor_url=floor_url,
        floor=_time(server, floor_url, page.cookie, len(body)),
    )


def format_result(result: dict[str, Any]) -> str:
    cells: list[tuple[str, ...]] = [
        ("APEL page (gunicorn)", "page size", "median ms", "p90 ms", "SQL", "ratio to floor")
    ]
    for row in result["rows"]:
        kb = f"{row.size / 1024:,.0f} KB"
        cells.append(
            (
                row.page.name,
                kb,
                f"{row.timing.median_ms:.1f}",
                f"{row.timing.p90_ms:.1f}",
                str(row.queries),
                f"{row.ratio:.1f}x",
            )
        )
        cells.append((f"  floor {row.floor_url}", kb, f"{row.floor.median_ms:.1f}",
                      f"{row.floor.p90_ms:.1f}", "-", "1.0x"))  # fmt: skip
    return (
        f"APEL pages: {result['outcomes']} outcomes x {result['items']} items (arranged in "
        f"{result['arranged_s']:.0f} s)\n"
        + format_grid(cells)
        + f"\nServed by gunicorn {WORKERS} workers x {THREADS} threads on 127.0.0.1, bench "
        f"database, DJANGO_DEBUG=1; {REPEAT} fetches after {WARM_UP} of warm-up, one at a time "
        "on one keep-alive connection with a signed-in session. Floor: the page's own bytes "
        "as a static file (WhiteNoise) from the same gunicorn, as for the shared showcase; "
        "SQL: queries of one in-process fetch."
    )
