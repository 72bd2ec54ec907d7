"""The sweep after a worker died mid-render: an export left `rendering` past the hard
time limit is queued again once, then failed with a message for the learner, and the
part of a file the dead worker may have written is never left behind."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from portfolio.exports import messages, services
from portfolio.exports.tasks import exports_sweep_task
from portfolio.models import Export, ExportKind, ExportState, Notification, NotificationKind
from portfolio.showcases import services as showcase_services
from tests.portfolio.exports.builders import pdf_bytes
from tests.portfolio.showcase_data import link_artefact

pytestmark = pytest.mark.django_db

PARTIAL = b"%PDF-1.7\n% half written by a worker that was killed"


def _past_the_limit() -> Any:
    return timezone.now() - timedelta(seconds=settings.EXPORT_TIME_LIMIT + 31)


def _stuck(owner: Any, *, attempts: int, started_at: Any = None) -> Export:
    """An export whose worker died while rendering it, after writing part of its file."""
    showcase = showcase_services.showcase_create(owner=owner, title="Placement evidence")
    section = showcase_services.section_add(showcase=showcase, heading="Work")
    showcase_services.items_add(section=section, targets=[link_artefact(owner)])
    export = Export.objects.create(
        owner=owner,
        showcase=showcase,
        kind=ExportKind.SHOWCASE_PDF,
        title=showcase.title,
        idempotency_key=f"stuck-{attempts}",
        state=ExportState.RENDERING,
        stage="Laying out the pages",
        attempts=attempts,
        started_at=started_at or _past_the_limit(),
    )
    default_storage.save(export.file_name, ContentFile(PARTIAL))
    return export


def _stored(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_a_stuck_export_is_queued_again_and_the_retry_replaces_the_partial_file(
    people: Any, django_capture_on_commit_callbacks: Any, _media_root: Path
) -> None:
    export = _stuck(people.learner, attempts=1)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert services.exports_sweep() == 1
    export.refresh_from_db()
    assert export.state == ExportState.QUEUED
    assert export.stage == "Waiting to start again"
    assert (export.done, export.total) == (0, 0)
    assert len(queued) == 1  # one task, not one per sweep run

    for task in queued:
        task()  # the queued task, run here as a worker would
    export.refresh_from_db()
    assert export.state == ExportState.DONE, export.error
    assert export.attempts == 2
    data = pdf_bytes(export)
    assert data.startswith(b"%PDF") and data != PARTIAL
    exports_stored = [name for name in _stored(_media_root) if name.startswith("exports/")]
    assert exports_stored == [export.file.name] == [export.file_name]


def test_a_retry_that_dies_again_is_failed_with_a_message_and_leaves_no_file(
    people: Any, django_capture_on_commit_callbacks: Any, _media_root: Path
) -> None:
    export = _stuck(people.learner, attempts=1)
    with django_capture_on_commit_callbacks(execute=False):
        services.exports_sweep()  # queued again once
    # A worker took the retry and was killed too.
    Export.objects.filter(pk=export.pk).update(
        state=ExportState.RENDERING, attempts=2, started_at=_past_the_limit()
    )
    assert settings.EXPORT_MAX_ATTEMPTS == 2

    with django_capture_on_commit_callbacks(execute=True) as after:
        assert exports_sweep_task.delay().get() == 1
    export.refresh_from_db()
    assert export.state == ExportState.FAILED
    assert export.error == str(messages.STOPPED)
    assert export.stage == "Failed" and export.finished_at is not None
    assert not export.file
    assert not [c for c in after if c.__qualname__.startswith("_enqueue")]  # not queued again
    assert not default_storage.exists(export.file_name)
    assert not [name for name in _stored(_media_root) if name.startswith("exports/")]
    notice = Notification.objects.get(recipient=people.learner, kind=NotificationKind.EXPORT)
    assert "could not be made" in notice.text and notice.url == export.get_absolute_url()


def test_the_failed_export_page_tells_the_learner_what_to_do(
    people: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    export = _stuck(people.learner, attempts=settings.EXPORT_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        services.exports_sweep()
    client.force_login(people.learner)
    page = client.get(export.get_absolute_url()).content.decode()
    assert "The export stopped before it finished. Try again" in page
    assert "Download PDF" not in page
    progress = client.get(f"/exports/{export.public_id}/progress.json").json()
    assert progress["state"] == "failed" and progress["running"] is False
    assert progress["error"] == str(messages.STOPPED)


def test_exports_still_within_the_limit_or_finished_are_left_alone(
    people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    recent = _stuck(
        people.learner,
        attempts=1,
        started_at=timezone.now() - timedelta(seconds=settings.EXPORT_TIME_LIMIT - 5),
    )
    waiting = _stuck(people.learner, attempts=0)
    Export.objects.filter(pk=waiting.pk).update(state=ExportState.QUEUED)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert services.exports_sweep() == 0
    assert not queued
    states = dict(Export.objects.values_list("pk", "state"))
    assert states == {recent.pk: ExportState.RENDERING, waiting.pk: ExportState.QUEUED}
    assert default_storage.exists(recent.file_name)  # its worker may still save it
