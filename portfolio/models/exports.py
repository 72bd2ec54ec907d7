"""Exports: documents we render for a learner (the showcase PDF first), and the record
that lets anyone check later that a file is the one we issued.

The row is the source of truth. A task renders a queued export; while it runs the row
holds the stage and counts the progress bar shows; once done it holds the file, its
SHA-256 and size. The stored file's name is fixed before rendering starts, so a
worker killed half way leaves a name the sweep can delete, never an unknown orphan.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

# Crockford's base32 without I, L, O, U: nothing to misread when typed from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 bits: too many to guess, short enough to type from a footer


def new_verify_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_file_name(extension: str = "pdf") -> str:
    return f"exports/{uuid.uuid4().hex}.{extension}"


class ExportKind(models.TextChoices):
    SHOWCASE_PDF = "showcase_pdf", _("Showcase PDF")
    APEL_PDF = "apel_pdf", _("APEL evidence PDF")
    # Everything in a learner's account (portfolio.archive): a private copy for its owner,
    # never a document issued to others, so it has no verification page.
    ARCHIVE_ZIP = "archive_zip", _("Archive of everything")
    # The learner's portfolio in Leap2A 2010-07 (portfolio.archive.leap2a_export), for
    # Mahara and other e-portfolios: a private copy too, with no verification page.
    LEAP2A_ZIP = "leap2a_zip", _("Leap2A export")


# What each kind of export is stored and downloaded as: (extension, content type).
FILE_FORMATS: dict[str, tuple[str, str]] = {
    ExportKind.SHOWCASE_PDF: ("pdf", "application/pdf"),
    ExportKind.APEL_PDF: ("pdf", "application/pdf"),
    ExportKind.ARCHIVE_ZIP: ("zip", "application/zip"),
    ExportKind.LEAP2A_ZIP: ("zip", "application/zip"),
}
ISSUED_KINDS = (ExportKind.SHOWCASE_PDF, ExportKind.APEL_PDF)


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RENDERING = "rendering", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Export(BaseModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    # Null for document types that are not about one showcase, and once it is deleted:
    # the record (and the verification page) outlives it.
    showcase = models.ForeignKey(
        "portfolio.Showcase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exports",
    )
    # Set for an APEL evidence PDF; kept null once the claim is deleted, like `showcase`.
    claim = models.ForeignKey(
        "portfolio.Claim",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exports",
    )
    kind = models.CharField(max_length=32, choices=ExportKind.choices)
    state = models.CharField(max_length=16, choices=ExportState.choices, default=ExportState.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # What the document is called, as printed on it (kept if the showcase is renamed).
    title = models.CharField(max_length=200)
    file = models.FileField(max_length=200, blank=True)
    # The name the file will be stored under, chosen before rendering starts.
    file_name = models.CharField(max_length=200, default=new_file_name, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.BigIntegerField(default=0)
    # A machine-readable copy embedded in the PDF (the APEL claim's JSON), stored as the
    # exact bytes embedded so the verification page can offer the same file.
    attachment = models.FileField(max_length=200, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    pdfa = models.CharField(_("archival level"), max_length=16, blank=True)
    pdfa_note = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # The badges printed in it, as printed: the verification page shows their live status.
    badges = models.JSONField(default=list)
    idempotency_key = models.CharField(max_length=64, unique=True)
    verify_code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_verify_code)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "started_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exports:detail", kwargs={"public_id": self.public_id})

    def get_verify_url(self) -> str:
        return reverse("verify", kwargs={"code": self.verify_code})

    @property
    def display_code(self) -> str:
        code = self.verify_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    @property
    def is_running(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RENDERING)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def extension(self) -> str:
        return FILE_FORMATS[self.kind][0]

    @property
    def content_type(self) -> str:
        return FILE_FORMATS[self.kind][1]

    @property
    def is_issued_document(self) -> bool:
        """A document we issue to others, with a verification page (not an archive)."""
        return self.kind in ISSUED_KINDS

    @property
    def download_name(self) -> str:
        safe = "".join(c if c.isalnum() or c in " -_" else " " for c in self.title)
        return f"{' '.join(safe.split())[:80] or 'export'}.{self.extension}"
