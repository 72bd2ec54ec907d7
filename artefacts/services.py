"""Writes with business meaning for artefacts."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from artefacts.signals import previews_settled
from core.enqueue import task_enqueue, task_enqueue_on_commit
from core.html import render_markdown
from core.models import Visibility
from core.storage import files_delete_on_commit, files_removed_on_error
from core.tags import tags_set
from core.uploads import UploadRejected, inspect_upload, safe_display_name

# A preview is made within seconds of the upload; one still pending after this lost its
# task, and one pending for a day will not be made.
PREVIEW_RETRY_AFTER = timedelta(minutes=2)
PREVIEW_GIVE_UP_AFTER = timedelta(days=1)


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
    """Edit what the learner said about an artefact. A stored file is never replaced.
    A change to what it says (not its tags or visibility) is dated in
    `content_changed_at`."""
    before = artefact.content_fingerprint_parts
    _apply(artefact, details, default_title=artefact.title)
    if artefact.kind == Artefact.Kind.LINK and url is not None:
        artefact.url = url
    if artefact.kind == Artefact.Kind.TEXT and body_markdown is not None:
        artefact.body_markdown = body_markdown
        artefact.body_html = render_markdown(body_markdown)
    if artefact.content_fingerprint_parts != before:
        artefact.content_changed_at = timezone.now()
    artefact.save()
    tags_set(item=artefact, owner=artefact.owner, names=details.tags)
    return artefact


@transaction.atomic
def artefact_delete(*, artefact: Artefact) -> None:
    """Delete the row now and its stored files once that has committed."""
    files_delete_on_commit(artefact.stored_names)
    artefact.delete()


def artefact_prepare_preview(*, artefact_id: int) -> None:
    """Make an image's served copy, print copy (EXPORT_IMAGE_MAX_SIDE, for PDF exports)
    and thumbnail, from one decoding. Idempotent: safe to run twice, and a no-op for an
    artefact deleted meanwhile or already prepared.

    The copies are written under a folder of their own for the artefact, so a run that
    died (worker killed) between writing them and recording them leaves nothing behind:
    the next run removes what is in that folder before writing.
    """
    from core.images import served_copies

    artefact = Artefact.objects.filter(pk=artefact_id, kind=Artefact.Kind.FILE).first()
    if artefact is None or artefact.preview != Artefact.Preview.PENDING:
        return
    # Reading storage may fail for a moment (the sweep queues it again); a decoding
    # failure is final and shown as such.
    with artefact.file.open("rb") as source:
        try:
            copies = served_copies(source, print_side=settings.EXPORT_IMAGE_MAX_SIDE)
            width, height = _pixel_size(copies.display[0])
        except Exception:
            Artefact.objects.filter(pk=artefact.pk).update(preview=Artefact.Preview.FAILED)
            previews_settled.send(sender=Artefact, artefact_ids=[artefact.pk])
            return
    storage = artefact.display_file.storage
    folder = _preview_folder(artefact)
    _remove_leftovers(storage, folder)
    try:
        with files_removed_on_error() as saved:
            for data, extension in (copies.display, copies.print, copies.thumbnail):
                saved.append(storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", data))
            updated = Artefact.objects.filter(
                pk=artefact.pk, preview=Artefact.Preview.PENDING
            ).update(
                display_file=saved[0],
                print_file=saved[1],
                thumbnail=saved[2],
                preview=Artefact.Preview.READY,
                display_width=width,
                display_height=height,
            )
            if not updated:
                raise _Superseded
            previews_settled.send(sender=Artefact, artefact_ids=[artefact.pk])
    except _Superseded:
        pass  # deleted or prepared by another run meanwhile; our copies are gone again


def _pixel_size(image: "ContentFile[bytes]") -> tuple[int, int]:
    """Width and height of an image we just encoded (reads its header only)."""
    from PIL import Image

    image.seek(0)
    with Image.open(image) as opened:
        size = opened.size
    image.seek(0)
    return size


def artefact_preview_sweep(*, now: datetime | None = None) -> int:
    """Queue again every preview still pending after PREVIEW_RETRY_AFTER (its task was
    lost, or the broker was down when the upload was saved); give up, as failed, on
    those pending longer than PREVIEW_GIVE_UP_AFTER. Returns how many were queued."""
    from artefacts.tasks import artefact_prepare_preview_task

    now = now or timezone.now()
    pending = Artefact.objects.filter(kind=Artefact.Kind.FILE, preview=Artefact.Preview.PENDING)
    given_up = list(
        pending.filter(created_at__lt=now - PREVIEW_GIVE_UP_AFTER).values_list("pk", flat=True)
    )
    if given_up:
        Artefact.objects.filter(pk__in=given_up, preview=Artefact.Preview.PENDING).update(
            preview=Artefact.Preview.FAILED
        )
        previews_settled.send(sender=Artefact, artefact_ids=given_up)
    ids = list(
        pending.filter(created_at__lt=now - PREVIEW_RETRY_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    return sum(1 for pk in ids if task_enqueue(artefact_prepare_preview_task, pk))


def _preview_folder(artefact: Artefact) -> str:
    return f"previews/{artefact.public_id.hex[:2]}/{artefact.public_id.hex}"


def _remove_leftovers(storage: Any, folder: str) -> None:
    try:
        _, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        storage.delete(f"{folder}/{name}")


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

    # A broker outage here is logged, not raised: the upload is saved and its page says
    # the preview is being prepared; artefact_preview_sweep queues it later.
    task_enqueue_on_commit(artefact_prepare_preview_task, artefact.pk)


def _sha256_of(upload: UploadedFile) -> str:
    hasher = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()
