"""Deciding whether to accept an upload: its content, its name, and for images its header."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from typing import IO

from django.core.files.base import File
from django.utils.translation import gettext as _
from PIL import Image, ImageFile

from core.uploads.names import extension_of, safe_display_name
from core.uploads.reader import READ_LIMIT, BoundedReader, ReadLimitExceeded, as_io, size_of
from core.uploads.sniff import sniff
from core.uploads.types import (
    FILE_TYPES,
    IMAGE_FORMAT_NAMES,
    KIND_BY_EXTENSION,
    OLE_BY_EXTENSION,
    PILLOW_FORMATS,
    FileType,
    UnacceptedFormat,
    UploadRejected,
)
from core.uploads.wording import extension_choices, misnamed, or_list, with_article


def inspect_upload(upload: File[bytes], *, max_image_pixels: int) -> FileType:
    """The kind of file `upload` is, judged by its content; the name must agree.

    Raises UploadRejected for anything not allowed. Reads only the head of the file, a ZIP
    central directory and an image header, and leaves the file at position 0 either way.
    """
    upload.seek(0)
    try:
        size = size_of(upload)
        reader = BoundedReader(upload, size=size, limit=READ_LIMIT)
        extension = extension_of(safe_display_name(upload.name or ""))
        try:
            try:
                found = sniff(reader)
            except UnacceptedFormat as refusal:
                if extension not in KIND_BY_EXTENSION or not (
                    refusal.found or KIND_BY_EXTENSION[extension] != FILE_TYPES["text"].label
                ):  # say so unless it's unreadable "text": that's not misnamed, just unknown
                    raise
                claimed = with_article(KIND_BY_EXTENSION[extension])
                raise UploadRejected(
                    misnamed(refusal, extension=extension, claimed=claimed)
                ) from None
            kind = _agree_with_name(found, extension)
            if kind.key in PILLOW_FORMATS:
                open_image(as_io(reader), keys=[kind.key], max_pixels=max_image_pixels).close()
                # Every pixel, now: a damaged image is refused here, not found out later.
                upload.seek(0)
                whole = BoundedReader(upload, size=size, limit=size + READ_LIMIT)
                decode_image(as_io(whole), key=kind.key, max_pixels=max_image_pixels)
        except ReadLimitExceeded:
            raise UploadRejected(
                _(
                    "This file is too large or complex for us to check. "
                    "Save a smaller or simpler copy and upload that."
                )
            ) from None
        return kind
    finally:
        upload.seek(0)


def _agree_with_name(found: FileType, extension: str) -> FileType:
    what = with_article(found.label)
    rename_to = extension_choices(found)
    if not extension:
        raise UploadRejected(
            _(
                "This file's name doesn't end in an extension like .pdf or .jpg. "
                "It is %(what)s, so rename it to end in %(extensions)s and upload it again."
            )
            % {"what": what, "extensions": rename_to}
        )
    if extension not in found.extensions:
        # Text named as an image, a PDF...: the wrong file was chosen, not a wrong name.
        wrong_file = found.media == "text" and extension in KIND_BY_EXTENSION
        advice = (
            _("Check you chose the right file and upload it again.")
            if wrong_file
            else _("Rename it to %(extensions)s or upload the right file.")
            % {"extensions": rename_to}
        )
        raise UploadRejected(
            _("This file is named .%(extension)s but its content is %(what)s. %(advice)s")
            % {"extension": extension[:20], "what": what, "advice": advice}
        )
    if found.key == "ole":
        label, mime = OLE_BY_EXTENSION[extension]
        return replace(found, label=label, mime=mime)
    return found


def open_image(
    fp: IO[bytes], *, keys: Sequence[str] = tuple(PILLOW_FORMATS), max_pixels: int
) -> ImageFile.ImageFile:
    """Open an image with only the Pillow decoders for `keys`, reading its header, no pixels.

    Raises UploadRejected if the header cannot be parsed or claims more than `max_pixels`;
    Pillow's own decompression-bomb warning counts as a refusal too. The caller closes it.
    """
    try:
        # Not thread-safe, but only decides whether Pillow's warning raises: the explicit
        # pixel check below refuses the same images either way.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(fp, formats=[PILLOW_FORMATS[key] for key in keys])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except ReadLimitExceeded:
        raise
    except Exception as error:  # Pillow's parsers fail in many ways on hostile input.
        raise damaged_image(keys) from error
    if image.width * image.height > max_pixels:
        image.close()
        raise _too_many_pixels(max_pixels)
    return image


def decode_image(fp: IO[bytes], *, key: str, max_pixels: int) -> None:
    """Decode an image of kind `key` whole (a JPEG at 1/8 scale, which still reads all of
    it), so a truncated or corrupt one is refused now. Raises UploadRejected."""
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported
    # (PDF exports, and any test run that renders one), after which Pillow pads a
    # truncated image with grey instead of failing. This app never wants that: put it back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with open_image(fp, keys=[key], max_pixels=max_pixels) as image:
        if key == "jpeg":
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
        try:
            image.load()
        except ReadLimitExceeded:
            raise
        except Exception as error:  # truncated data, bad checksums: Pillow fails in many ways
            raise incomplete_image(key, error) from error


def incomplete_image(key: str, error: Exception) -> UploadRejected:
    """The refusal for an image whose header is fine but whose pixels cannot be read."""
    if "truncated" in str(error) or isinstance(error, EOFError):
        reason = _("the file stops before the picture ends")
    else:
        reason = _("its picture data can't be read")
    return UploadRejected(
        _(
            "This %(format)s is damaged or incomplete: %(reason)s, so nothing was added. "
            "Open it in a photo app, save it again, and upload the new copy."
        )
        % {"format": IMAGE_FORMAT_NAMES[key], "reason": reason}
    )


def damaged_image(keys: Sequence[str]) -> UploadRejected:
    """The refusal for an image that is not a readable image of the kinds in `keys`."""
    return UploadRejected(
        _(
            "This image is damaged or isn't really a %(formats)s. "
            "Open it in a photo app, save it again, and upload the new copy."
        )
        % {"formats": or_list([IMAGE_FORMAT_NAMES[key] for key in keys])}
    )


def _too_many_pixels(max_pixels: int) -> UploadRejected:
    return UploadRejected(
        _(
            "This image has too many pixels: the limit is %(megapixels)g megapixels. "
            "Resize it to make it smaller and upload it again."
        )
        % {"megapixels": max_pixels / 1_000_000}
    )
