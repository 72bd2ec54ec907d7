"""Demo evidence for `make run`: real small files made on the spot (an image, a
recording, a PDF), links, written pieces and reflections, added through the same
services a learner's browser uses."""

import io
import math
import struct
import wave
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from artefacts.models import Artefact
from artefacts.services import (
    Details,
    artefact_create_file,
    artefact_create_link,
    artefact_create_text,
)
from reflections.services import ReflectionInput, reflection_create


def poster_png(title: str, colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (960, 640), colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, 960, 48):
        draw.line([(step, 640), (step + 320, 0)], fill=(255, 255, 255), width=2)
    draw.rectangle([(60, 230), (900, 410)], fill=(255, 255, 255))
    draw.text((90, 290), title, fill=(20, 20, 20), font=ImageFont.load_default(size=64))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def spoken_wav(seconds: float = 2.0, rate: int = 16000) -> bytes:
    """A short two-tone recording (a stand-in for a voice note)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        frames = bytearray()
        for i in range(int(seconds * rate)):
            tone = 440 if i < rate * seconds / 2 else 660
            frames += struct.pack("<h", int(9000 * math.sin(2 * math.pi * tone * i / rate)))
        audio.writeframes(bytes(frames))
    return out.getvalue()


def report_pdf(title: str, paragraphs: list[str]) -> bytes:
    from weasyprint import HTML  # imported here: it loads fonts and is only for seeding

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return bytes(HTML(string=f"<h1>{title}</h1>{body}").write_pdf())


def seed_evidence(learner: Any, *, today: date) -> int:
    """Add the demo learner's evidence unless they already have some. Returns how many
    items were added."""
    if Artefact.objects.filter(owner=learner).exists():
        return 0
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    poster = artefact_create_file(
        owner=learner,
        upload=SimpleUploadedFile(
            "accessibility-poster.png", poster_png("Accessible forms", (31, 79, 168))
        ),
        details=Details(
            title="Poster: accessible web forms",
            description="The poster I presented at the showcase day.",
            learned_on=day(40),
            tags=("accessibility", "presentation"),
        ),
    )
    recording = artefact_create_file(
        owner=learner,
        upload=SimpleUploadedFile("standup-recording.wav", spoken_wav()),
        details=Details(
            title="Stand-up recording",
            description="Me explaining the sprint goal to the team.",
            learned_on=day(25),
            tags=("teamwork", "communication"),
        ),
    )
    report = artefact_create_file(
        owner=learner,
        upload=SimpleUploadedFile(
            "usability-report.pdf",
            report_pdf(
                "Usability test report",
                [
                    "Five participants completed the sign-up task.",
                    "Two could not find the error messages; we moved them next to the fields.",
                ],
            ),
        ),
        details=Details(
            title="Usability test report",
            description="Findings from testing our sign-up form.",
            learned_on=day(18),
            tags=("accessibility", "research"),
        ),
    )
    repo = artefact_create_link(
        owner=learner,
        url="https://github.com/example/accessible-forms",
        details=Details(
            title="Code for the accessible sign-up form",
            description="My pull requests are the ones about error messages.",
            learned_on=day(12),
            tags=("code",),
        ),
    )
    artefact_create_text(
        owner=learner,
        body_markdown=(
            "# Why labels matter\n\nScreen readers announce the **label**, not the "
            "placeholder. In our tests:\n\n- 3 of 5 people missed placeholder-only hints\n"
            "- every participant used the labels\n"
        ),
        details=Details(
            title="Short essay: why labels matter",
            learned_on=day(8),
            tags=("accessibility", "writing"),
        ),
    )
    artefact_create_text(
        owner=learner,
        body_markdown="Ideas for my next placement. Not ready to share yet.",
        details=Details(title="Private notes", learned_on=day(2), visibility="private"),
    )
    reflection_create(
        owner=learner,
        data=ReflectionInput(
            title="What the usability test taught me",
            body_markdown=(
                "## What happened?\n\nWe watched five people sign up.\n\n"
                "## So what?\n\nError messages far from the field were invisible.\n\n"
                "## Now what?\n\nI will test with a screen reader before every release."
            ),
            written_on=day(16),
            tags=("accessibility",),
            artefacts=[report, poster],
        ),
    )
    reflection_create(
        owner=learner,
        data=ReflectionInput(
            title="Explaining the sprint goal",
            body_markdown="Listening back, I spoke too fast. Next time: one goal, one example.",
            written_on=day(24),
            tags=("communication",),
            artefacts=[recording, repo],
        ),
    )
    return 8


def seed_showcase(learner: Any) -> str:
    """A showcase of the learner's best evidence with one share link. Returns the link's
    token when it was created now (it can be shown only once), else ""."""
    from badges.models import Badge, Status
    from portfolio.models import Showcase
    from portfolio.showcases import services

    if Showcase.objects.filter(owner=learner).exists():
        return ""
    showcase = services.showcase_create(
        owner=learner,
        title="Application to Acme Ltd: junior web developer",
        audience="Acme Ltd recruitment team",
        summary="I build web forms that everyone can use, and I test them with real people.",
        theme="modern",
    )
    work = services.section_add(showcase=showcase, heading="Accessible web forms",
                                intro="From design to usability testing.")  # fmt: skip
    evidence = list(
        Artefact.objects.filter(owner=learner, visibility="tutors").order_by("learned_on")
    )
    reflections = list(learner.reflections.order_by("written_on"))
    services.items_add(section=work, targets=[*evidence, *reflections[:1]])
    credentials = services.section_add(showcase=showcase, heading="Credentials")
    services.items_add(
        section=credentials,
        targets=list(
            Badge.objects.filter(owner=learner, status__in=[Status.VERIFIED, Status.UNIDENTIFIED])
        ),
    )
    return services.link_create(showcase=showcase, label="Acme Ltd recruiter").token
