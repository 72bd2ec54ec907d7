"""Writes with business meaning for artefacts."""

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from core.html import render_markdown
from core.models import Visibility
from core.storage import files_delete_on_commit, files_removed_on_error
from core.tags import tags_set
from core.uploads import UploadRejected, inspect_upload, safe_display_name


@dataclass(frozen=True)
class Details:
    """What a learner says about any artefact."""

    title: str
    description: str = ""
    learned_on: date | None = None
    visibility: str = Visibility.TUTORS
    tags: tuple[str, ...] = ()


def storage_used(*, owner: Any) -> int:
    return int(Artefact.objects.filter(owner=owner).aggregate(total=Sum("size"))["total"] or 0)


def storage_remaining(*, owner: Any) -> int:
    return max(0, settings.ARTEFACT_QUOTA_BYTES - storage_used(owner=owner))


def storage_reserve(*, owner: Any, size: int) -> None:
    """Make sure `size` more bytes fit in the owner's quota, and hold them.

    Locks the owner's user row until the surrounding transaction ends, so every
    check-and-record of a learner's stored bytes happens one at a time: the caller must
    record the artefact (with its `size`) in that same transaction. Raises UploadRejected
    if the bytes do not fit, and RuntimeError if called outside a transaction (the lock
    would end at once).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("storage_reserve must run inside transaction.atomic()")
    list(get_user_model().objects.select_for_update().filter(pk=owner.pk).values_list("pk"))
    _refuse_over_quota(owner=owner, size=size)


def _refuse_over_quota(*, owner: Any, size: int) -> None:
    remaining = storage_remaining(owner=owner)
    if size > remaining:
        raise UploadRejected(
            _(
                "This file (%(size)s) is more than the space you have left (%(left)s). "
                "Delete evidence you no longer need, or upload a smaller copy."
            )
            % {"size": filesizeformat(size), "left": filesizeformat(remaining)}
        )


def artefact_duplicate_of(*, owner: Any, sha256: str) -> Artefact | None:
    """The learner's artefact holding exactly these bytes, if there is one."""
    return Artefact.objects.filter(owner=owner, sha256=sha256).order_by("created_at").first()


def artefact_create_file(*, owner: Any, upload: UploadedFile, details: Details) -> Artefact:
    """Check the upload, store it under a generated name and record it.

    Raises UploadRejected (with a message for the learner): an image is decoded whole
    first, so a damaged one is refused before anything is stored. The quota is checked
    before storing and again, under the learner's lock, when the row is written; if that
    or anything else in recording fails, the stored file is removed again. An image's
    served copy and thumbnail are made afterwards by a task; until then `preview` is
    PENDING.
    """
    file_type = inspect_upload(upload, max_image_pixels=settings.ARTEFACT_MAX_IMAGE_PIXELS)
    size = int(upload.size or 0)
    if size > settings.ARTEFACT_MAX_UPLOAD_BYTES:
        raise UploadRejected(
            _("This file is larger than the %(limit)s limit. Upload a smaller copy.")
            % {"limit": filesizeformat(settings.ARTEFACT_MAX_UPLOAD_BYTES)}
        )
    _refuse_over_quota(owner=owner, size=size)  # early, so a full quota stores nothing
    sha256 = getattr(upload, "sha256", None) or _sha256_of(upload)
    original_name = safe_display_name(upload.name or "")
    artefact = Artefact(
        owner=owner,
        kind=Artefact.Kind.FILE,
        original_filename=original_name,
        file_type=file_type.key,
        content_type=file_type.mime,
        media=file_type.media,
        size=size,
        sha256=sha256,
        preview=Artefact.Preview.PENDING
        if file_type.media == "image" and file_type.inline
        else Artefact.Preview.NONE,
    )
    _apply(artefact, details, default_title=original_name.rsplit(".", 1)[0])
    with files_removed_on_error() as saved:
        artefact.file.save(original_name, upload, save=False)
        saved.append(str(artefact.file.name))
        with transaction.atomic():
            storage_reserve(owner=owner, size=size)  # again, locked, now it counts
            artefact.save()
            tags_set(item=artefact, owner=owner, names=details.tags)
            if artefact.preview == Artefact.Preview.PENDING:
                _enqueue_preview(artefact)
    return artefact


@transaction.atomic
def artefact_create_link(*, owner: Any, url: str, details: Details) -> Artefact:
    """A link is recorded as given; the server never fetches it."""
    artefact = Artefact(owner=owner, kind=Artefact.Kind.LINK, url=url)
    _apply(artefact, details, default_title=url)
    artefact.save()
    tags_set(item=artefact, owner=owner, names=details.tags)
    return artefact


@transaction.atomic
def artefact_create_text(*, owner: Any, body_markdown: str, details: Details) -> Artefact:
    artefact = Artefact(owner=owner, kind=Artefact.Kind.TEXT)
    artefact.body_markdown = body_markdown
    artefact.body_html = render_markdown(body_markdown)
    _apply(artefact, details, default_title=_("Untitled piece"))
    artefact.save()
    tags_set(item=artefact, owner=owner, names=details.tags)
    return artefact


@transaction.atomic
def artefact_update(
    *,
    artefact: Artefact,
    details: Details,
    url: str | None = None,
    body_markdown: str | None = None,
) -> Artefact:
    """Edit what the learner said about an artefact. A stored file is never replaced."""
    _apply(artefact, details, default_title=artefact.title)
    if artefact.kind == Artefact.Kind.LINK and url is not None:
        artefact.url = url
    if artefact.kind == Artefact.Kind.TEXT and body_markdown is not None:
        artefact.body_markdown = body_markdown
        artefact.body_html = render_markdown(body_markdown)
    artefact.save()
    tags_set(item=artefact, owner=artefact.owner, names=details.tags)
    return artefact


@transaction.atomic
def artefact_delete(*, artefact: Artefact) -> None:
    """Delete the row now and its stored files once that has committed."""
    files_delete_on_commit(artefact.stored_names)
    artefact.delete()


def artefact_prepare_preview(*, artefact_id: int) -> None:
    """Make an image's served copy and thumbnail. Idempotent: safe to run twice, and
    a no-op for an artefact deleted meanwhile or already prepared."""
    from core.images import make_thumbnail, reencode_for_serving

    artefact = Artefact.objects.filter(pk=artefact_id, kind=Artefact.Kind.FILE).first()
    if artefact is None or artefact.preview != Artefact.Preview.PENDING:
        return
    # Reading storage may fail for a moment (the task retries); a decoding failure is
    # final and shown as such.
    with artefact.file.open("rb") as source:
        try:
            display, display_ext = reencode_for_serving(source)
            source.seek(0)
            thumb, thumb_ext = make_thumbnail(source)
        except Exception:
            Artefact.objects.filter(pk=artefact.pk).update(preview=Artefact.Preview.FAILED)
            return
    try:
        with files_removed_on_error() as saved:
            artefact.display_file.save(f"display.{display_ext}", display, save=False)
            saved.append(str(artefact.display_file.name))
            artefact.thumbnail.save(f"thumb.{thumb_ext}", thumb, save=False)
            saved.append(str(artefact.thumbnail.name))
            updated = Artefact.objects.filter(
                pk=artefact.pk, preview=Artefact.Preview.PENDING
            ).update(
                display_file=artefact.display_file.name,
                thumbnail=artefact.thumbnail.name,
                preview=Artefact.Preview.READY,
            )
            if not updated:
                raise _Superseded
    except _Superseded:
        pass  # deleted or prepared by another run meanwhile; our copies are gone again


class _Superseded(Exception):
    pass


def _apply(artefact: Artefact, details: Details, *, default_title: str) -> None:
    artefact.title = (details.title or default_title)[:200]
    artefact.description = details.description
    if details.learned_on:
        artefact.learned_on = details.learned_on
    artefact.visibility = details.visibility


def _enqueue_preview(artefact: Artefact) -> None:
    from artefacts.tasks import artefact_prepare_preview_task

    artefact_id = artefact.pk
    transaction.on_commit(lambda: artefact_prepare_preview_task.delay(artefact_id))


def _sha256_of(upload: UploadedFile) -> str:
    hasher = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()
