"""What every export document shares: a temporary folder of prepared files the renderer
may read, progress reporting, learner HTML cleaned once more, and the verification
address printed on each page."""

import io
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import segno
from bleach.sanitizer import Cleaner
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from core.html import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS
from core.images import reencode_for_serving
from core.uploads import open_image
from portfolio.exports.renderer import Embedded, file_url
from portfolio.models import Export

Progress = Callable[[str, int, int], None]
PROGRESS_INTERVAL = 0.25  # seconds


@dataclass
class Prepared:
    """A document ready to render: its HTML, the stylesheets it names, the files (by
    token) the renderer may serve it, and what the PDF embeds (at most one attachment,
    kept beside the PDF as the export's `attachment`). `folder` is removed by `close()`."""

    folder: Path
    html: str = ""
    stylesheets: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    attachment: Embedded | None = None

    def add(self, data: bytes | IO[bytes], extension: str) -> str:
        """Store bytes (or a stream) as a file the renderer may read; its export-file URL."""
        token = uuid.uuid4().hex
        path = self.folder / f"{token}.{extension}"
        with path.open("wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            else:
                shutil.copyfileobj(data, out)
        self.files[token] = path
        return file_url(token)

    def add_image(self, source: IO[bytes]) -> str:
        """A copy of an image no larger than print needs (EXPORT_IMAGE_MAX_SIDE)."""
        scaled, extension = reencode_for_serving(source, max_side=settings.EXPORT_IMAGE_MAX_SIDE)
        return self.add(scaled.read(), extension)

    def add_print_copy(self, source: IO[bytes], extension: str) -> str:
        """An image's prepared print copy as it is, without decoding it; scaled like any
        other image only if it is larger than print needs now (EXPORT_IMAGE_MAX_SIDE was
        lowered after it was made). Only its header is read to tell."""
        data = source.read()
        max_pixels = settings.ARTEFACT_MAX_IMAGE_PIXELS
        with open_image(io.BytesIO(data), max_pixels=max_pixels) as image:
            fits = max(image.size) <= settings.EXPORT_IMAGE_MAX_SIDE
        return self.add(data, extension) if fits else self.add_image(io.BytesIO(data))

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def prepared() -> Prepared:
    return Prepared(folder=Path(tempfile.mkdtemp(prefix="export-")))


def clean_html(html: str) -> SafeString:
    """Stored learner HTML, sanitised again with the same allowlist as core.html (no
    link, style, object, img or svg can reach the renderer, whatever is in the row)."""
    return mark_safe(  # noqa: S308 - the output of an allowlist sanitiser
        Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
        ).clean(html)
    )


@dataclass(frozen=True)
class VerifyAddress:
    url: str  # full, for the QR code and links
    printed: str  # without the scheme, for the footer


def verify_address(export: Export) -> VerifyAddress:
    url = f"{settings.SITE_URL}/verify/{export.display_code}/"
    return VerifyAddress(url=url, printed=url.split("://", 1)[-1])


def qr_png(url: str) -> bytes:
    out = Path(tempfile.mkstemp(suffix=".png")[1])
    try:
        segno.make(url, error="m").save(str(out), kind="png", scale=6, border=2)
        return out.read_bytes()
    finally:
        out.unlink(missing_ok=True)


def every(
    total: int, report: Progress, stage: str, *, seconds: float = PROGRESS_INTERVAL
) -> Callable[[int], None]:
    """A step counter that reports the last step, and before it at most about 50 times
    whatever the total and no more often than every `seconds`: each report is a write,
    and the learner's page polls only every two seconds."""
    step = max(1, total // 50)
    last = time.monotonic()

    def tick(done: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done == total or (done % step == 0 and now - last >= seconds):
            last = now
            report(stage, done, total)

    return tick


def badge_facts(badge: Any) -> dict[str, Any]:
    """What the export record keeps about a printed badge (its live status is looked up
    by `id` on the verification page)."""
    return {"id": badge.pk, "name": badge.name, "issuer": badge.issuer_name}
