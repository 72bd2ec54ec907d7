"""The APEL evidence PDF export: a claim of OUTCOMES outcomes and ITEMS pieces of evidence.

The evidence is what a claim holds: photos (uploaded as a learner uploads them, through
the preview task that makes each print copy), reflections, links and verified badges,
each mapped to one outcome and every third also to a second. Every outcome has a
justification and a judgement, and the claim an overall recommendation, so the PDF has
everything it can print (matrix, outcomes, transcript, assessment, badge appendix).

Measured as bench/exports.py measures the showcase PDF, with its own child processes:
the export (`services.export_render`: claim view, images, the claim's JSON, layout,
tagged PDF/A-3u with the JSON embedded, signing, hashing, storing, the history line and
the notification) against the same floor, WeasyPrint alone rendering the same final
HTML with the same prepared images (a plain PDF, nothing embedded, no signature). Each
takes ROUNDS turns in a fresh process; the table shows the median times and the showcase
benchmark's goals. BENCH_SCALE multiplies the outcomes and the items.
"""

import io
import json
import time
from decimal import Decimal
from typing import Any

from django.db import connections

from bench.environment import reset_database
from bench.exports import (
    GOAL_PDF_MB,
    GOAL_RATIO,
    GOAL_RSS_MB,
    MB,
    ROUNDS,
    median_report,
    run_child,
)
from bench.harness import BenchmarkError, format_grid, scaled

OUTCOMES = 60
ITEMS = 300
PHOTO_EVERY = 10  # one item in ten is a photo, one in ten a badge
PHOTO_SIZE = (2400, 1800)  # a phone photo, downsized by the learner's phone or app


def run() -> dict[str, Any]:
    reset_database()
    outcomes, items = _sizes()
    started = time.perf_counter()
    export_ids = _arrange(outcomes, items)
    arranged_s = time.perf_counter() - started
    connections.close_all()  # the children open their own
    exports, floors = [], []
    for export_id in export_ids:  # taken in turns, so a busy spell hits both alike
        exports.append(run_child("export", export_id))
        floors.append(run_child("floor", export_id))
    return {
        "outcomes": outcomes,
        "items": items,
        "arranged_s": arranged_s,
        "rounds": len(export_ids),
        "export": median_report(exports),
        "floor": median_report(floors),
    }


def _sizes() -> tuple[int, int]:
    [outcomes], [items] = scaled((OUTCOMES,)), scaled((ITEMS,))
    return outcomes, items


def _arrange(outcomes: int, items: int) -> list[int]:
    """A learner's claim against their own programme of `outcomes` outcomes, `items`
    pieces of evidence mapped to it, submitted and assessed; ROUNDS queued exports."""
    from accounts.models import Role, User
    from portfolio.apel import services
    from portfolio.models import Export, ExportKind, LearningOutcome, Programme

    owner = User.objects.create_user(
        email="apel@bench.test", password=None, name="Bench Applicant", role=Role.LEARNER
    )
    programme = Programme.objects.create(
        entered_by=owner, code="BENCH1", title="BSc Bench Engineering", credit_cap=Decimal(60)
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
    claim = services.claim_create(learner=owner, programme=programme, title="Bench claim")
    answers = list(claim.answers.select_related("outcome").order_by("outcome__position"))
    evidence = _evidence(owner, items)
    for n, item in enumerate(evidence):
        services.mapping_add(answer=answers[n % outcomes], item=item, note="It shows the skill.")
        if n % 3 == 0:
            services.mapping_add(answer=answers[(n + 7) % outcomes], item=item)
    for answer in answers:
        services.answer_justify(answer=answer, justification=_JUSTIFICATION)
    claim = services.claim_submit(claim=claim, declared=True)
    for n, answer in enumerate(claim.answers.select_related("claim", "outcome")):
        services.judgement_record(
            answer=answer, judgement=("meets", "partly")[n % 2], comment="Seen.", by="Assessor"
        )
    services.recommendation_record(
        claim=claim, recommendation="partial", comment="Most outcomes met.", by="Assessor"
    )
    exports = [
        Export.objects.create(
            owner=owner,
            claim=claim,
            kind=ExportKind.APEL_PDF,
            title=f"APEL claim: {claim.title} v{claim.version}",
            idempotency_key=f"bench-apel-{round_}",
        )
        for round_ in range(ROUNDS)
    ]
    return [export.pk for export in exports]


_JUSTIFICATION = (
    "I did this at work for two years. The photos show the result, the reflection what I "
    "learned from it, and the badge that my employer's training assessed it."
)


def _evidence(owner: Any, count: int) -> list[Any]:
    """`count` items: one in ten a photo, one in ten a badge, the rest reflections and
    links in turn."""
    from artefacts.services import Details, artefact_create_link
    from reflections.services import ReflectionInput, reflection_create

    base = _scene()
    made: list[Any] = []
    for n in range(count):
        if n % PHOTO_EVERY == 0:
            made.append(_photo(owner, base, n))
        elif n % PHOTO_EVERY == 5:
            made.append(_badge(owner, n))
        elif n % 2:
            made.append(
                reflection_create(
                    owner=owner,
                    data=ReflectionInput(title=f"Reflection {n}", body_markdown=_REFLECTION),
                )
            )
        else:
            made.append(
                artefact_create_link(
                    owner=owner,
                    url=f"https://example.org/work/{n}",
                    details=Details(title=f"Link {n}"),
                )
            )
    return made


_REFLECTION = (
    "The job went *well*, mostly because I planned it.\n\n"
    "- I would check the drawings earlier next time.\n"
    "- I would ask for help sooner."
)


def _scene() -> Any:
    from PIL import Image

    width, height = PHOTO_SIZE
    sky = Image.linear_gradient("L").resize((width, height))
    grain = Image.effect_noise((width, height), 12)
    return Image.merge("RGB", (sky, Image.blend(sky, grain, 0.3), grain))


def _photo(owner: Any, base: Any, number: int) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import ImageDraw

    from artefacts.models import Artefact
    from artefacts.services import Details, artefact_create_file, artefact_prepare_preview

    image = base.copy()
    ImageDraw.Draw(image).rectangle((100, 100, 300 + number, 300), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    photo = artefact_create_file(
        owner=owner,
        upload=SimpleUploadedFile(f"photo-{number}.jpg", out.getvalue()),
        details=Details(title=f"Photo {number}"),
    )
    artefact_prepare_preview(artefact_id=photo.pk)  # a no-op if it ran in-process
    photo.refresh_from_db()
    if photo.preview != Artefact.Preview.READY or not photo.print_file:
        raise BenchmarkError(f"Photo {number}: no print copy was prepared")
    return photo


def _badge(owner: Any, number: int) -> Any:
    """A verified Open Badges 3.0 badge as the import leaves it (checks and report
    stored), written directly: the benchmark measures the export, not the import."""
    from django.utils import timezone

    from badges.models import Badge, Identity, Status

    now = timezone.now()
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://issuer.example", "name": "Example College"},
        "validFrom": now.isoformat(),
        "credentialSubject": {
            "achievement": {
                "name": f"Skill {number}",
                "criteria": {"narrative": "Passed the practical assessment."},
                "creditsAvailable": 2,
            }
        },
    }
    checks = [
        {"key": key, "result": "passed", "ok": True, "message": message}
        for key, message in [
            ("structure", "Has everything an Open Badges 3.0 credential needs."),
            ("signature", "The issuer's signature is valid."),
            ("recipient", "It names an email address you have verified with us."),
        ]
    ]
    return Badge.objects.create(
        owner=owner,
        source=Badge.Source.JSON,
        original_payload=json.dumps(document),
        document=document,
        spec_version="3.0",
        name=f"Skill {number}",
        issuer_name="Example College",
        issuer_url="https://issuer.example",
        issued_at=now,
        details={"criteria": {"narrative": "Passed the practical assessment."}},
        fingerprint=f"bench-badge-{number}",
        status=Status.VERIFIED,
        checks=checks,
        last_checked_at=now,
        issuer_identity=Identity.DOMAIN,
        issuer_domain="issuer.example",
        report={
            "status": "verified",
            "checks": checks,
            "key": {"id": "https://issuer.example/keys/1", "found_at": "https://issuer.example"},
            "issuer": {"registry": None},
            "fetched": [{"url": "https://issuer.example/keys/1", "status": 200}],
        },
    )


def format_result(result: dict[str, Any]) -> str:
    export, floor = result["export"], result["floor"]
    ratio = export["seconds"] / floor["seconds"]
    peak_mb, size_mb = export["peak"] / MB, export["size"] / MB
    yes = {True: "yes", False: "no"}
    cells: list[tuple[str, ...]] = [
        ("export", "measured", "floor", "goal (showcase PDF's)", "met"),
        ("time", f"{export['seconds']:.1f} s", f"{floor['seconds']:.1f} s",
         f"<= {GOAL_RATIO}x floor ({ratio:.2f}x)", yes[ratio <= GOAL_RATIO]),
        ("peak RSS", f"{peak_mb:.0f} MB", f"{floor['peak'] / MB:.0f} MB",
         f"<= {GOAL_RSS_MB} MB", yes[peak_mb <= GOAL_RSS_MB]),
        ("PDF size", f"{size_mb:.1f} MB", f"{floor['size'] / MB:.1f} MB",
         f"<= {GOAL_PDF_MB} MB", yes[size_mb <= GOAL_PDF_MB]),
    ]  # fmt: skip
    photos = len(range(0, result["items"], PHOTO_EVERY))
    return (
        f"APEL evidence PDF export: {result['outcomes']} outcomes, {result['items']} items "
        f"({photos} photos of {PHOTO_SIZE[0] * PHOTO_SIZE[1] / 1e6:.1f} MP), judged "
        f"({export['pdfa'] or 'plain PDF'} with claim.json embedded, signed; arranged in "
        f"{result['arranged_s']:.0f} s)\n"
        + format_grid(cells)
        + "\nFloor: WeasyPrint alone on the same final HTML and prepared images (plain PDF, "
        "nothing embedded), as for the showcase PDF. Times are the median of "
        f"{result['rounds']} rounds, each export and floor in a fresh process with its "
        "URLconf loaded; peak RSS is the highest VmHWM."
    )
