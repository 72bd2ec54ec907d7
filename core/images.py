"""Copies of learners' images that are safe to serve: decoded only by the decoders we allow,
turned upright, stripped of every piece of metadata (EXIF with its GPS position, XMP, ICC,
comments) and no larger than they need to be."""

from __future__ import annotations

import io
from typing import IO, Literal

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from core.uploads import PILLOW_FORMATS, damaged_image, open_image

_JPEG_QUALITY = 85
_DEFAULT_MAX_PIXELS = 40_000_000

_Encoding = Literal["JPEG", "PNG"]


def reencode_for_serving(
    source: IO[bytes], *, max_side: int = 2560, max_pixels: int | None = None
) -> tuple[ContentFile[bytes], str]:
    """A served copy of a JPEG, PNG, GIF (first frame) or WebP image, and its extension.

    JPEG stays JPEG (RGB, quality 85); everything else becomes PNG, keeping transparency.
    Neither side exceeds `max_side`. Raises UploadRejected for an image that is damaged,
    not one of those formats, or over `max_pixels` (default ARTEFACT_MAX_IMAGE_PIXELS).
    """
    image, source_format = _upright_within(source, box=max_side, max_pixels=max_pixels)
    if source_format == "JPEG":
        return _encode(image, "JPEG")
    return _encode(image, "PNG")


def make_thumbnail(
    source: IO[bytes], *, size: int = 480, max_pixels: int | None = None
) -> tuple[ContentFile[bytes], str]:
    """A thumbnail that fits in `size` x `size`, and its extension: PNG if any pixel is
    transparent, JPEG otherwise. Decoded and stripped as `reencode_for_serving`."""
    image, _ = _upright_within(source, box=size, max_pixels=max_pixels)
    return _encode(image, "PNG" if _is_see_through(image) else "JPEG")


def _upright_within(
    source: IO[bytes], *, box: int, max_pixels: int | None
) -> tuple[Image.Image, str]:
    """The first frame of `source`, upright, within `box` x `box`, with no metadata; and the
    Pillow format it was decoded from."""
    if max_pixels is None:
        max_pixels = getattr(settings, "ARTEFACT_MAX_IMAGE_PIXELS", _DEFAULT_MAX_PIXELS)
    keys = tuple(PILLOW_FORMATS)
    with open_image(source, keys=keys, max_pixels=max_pixels) as opened:
        source_format = str(opened.format)
        # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale: far less memory for a thumbnail.
        # A square box keeps this right whichever way the photo is turned.
        opened.draft(None, (box, box))
        try:
            upright = ImageOps.exif_transpose(opened)  # decodes the pixels
        except Exception as error:  # truncated data, broken EXIF: Pillow fails in many ways
            raise damaged_image(keys) from error
    upright.thumbnail((box, box), Image.Resampling.LANCZOS)
    return _pixels_only(upright), source_format


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding nothing but the pixels: no EXIF, XMP, ICC profile or comments
    can ride along into what we serve, whatever the encoder would copy from `info`."""
    mode = "RGBA" if image.has_transparency_data else "RGB"
    pixels = image.convert(mode)
    plain = Image.new(mode, pixels.size)
    plain.paste(pixels)
    return plain


def _is_see_through(image: Image.Image) -> bool:
    if image.mode != "RGBA":
        return False
    # Inverted, every pixel that is not fully opaque is non-zero: is there any?
    return ImageOps.invert(image.getchannel("A")).getbbox() is not None


def _encode(image: Image.Image, encoding: _Encoding) -> tuple[ContentFile[bytes], str]:
    buffer = io.BytesIO()
    if encoding == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=_JPEG_QUALITY, optimize=True)
        return ContentFile(buffer.getvalue()), "jpg"
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue()), "png"
