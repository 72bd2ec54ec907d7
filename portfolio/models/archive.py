"""Archive imports: a learner's upload of a full-account archive, and what each import
recreated, so importing the same archive again creates nothing new.

The uploaded archive is stored under a random name only until its import has finished
(either way). An `ImportedRecord` ties one record of the archive (the exporting
account's id, the record's kind and its id there) to the row made from it here.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


def new_upload_name() -> str:
    return f"archive-imports/{uuid.uuid4().hex}.zip"


class ArchiveImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Refused")


class ArchiveImport(BaseModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="archive_imports"
    )
    state = models.CharField(
        max_length=16, choices=ArchiveImportState.choices, default=ArchiveImportState.QUEUED
    )
    stage = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The uploaded archive, under a random name, until the import has finished.
    upload = models.FileField(max_length=200, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # The archive's own id and the account it was exported from (from its manifest).
    archive_id = models.CharField(max_length=64, blank=True)
    source_account = models.CharField(max_length=64, blank=True)
    # What a refused import was refused for, in plain words.
    error = models.CharField(max_length=1000, blank=True)
    # What was imported ({"counts": {kind: n}}) and skipped ({"skipped": [{kind, title,
    # reason}]}): see portfolio.archive.report.
    report = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "started_at"])]

    def __str__(self) -> str:
        return self.original_name or str(self.public_id)

    def get_absolute_url(self) -> str:
        return reverse("archive:import_detail", kwargs={"public_id": self.public_id})

    @property
    def is_running(self) -> bool:
        return self.state in (ArchiveImportState.QUEUED, ArchiveImportState.RUNNING)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class ImportedRecord(models.Model):
    """One record of an archive recreated in `owner`'s account as row `local_id` of
    `kind` (an artefact, a badge, a showcase...)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_records"
    )
    archive_import = models.ForeignKey(
        ArchiveImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    source_account = models.CharField(max_length=64)
    kind = models.CharField(max_length=24)
    source_id = models.CharField(max_length=64)
    local_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source_account", "kind", "source_id"],
                name="imported_record_once_per_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id} -> {self.local_id}"
