"""Copies of learners' images that are safe to serve: decoded only by the decoders we allow,
turned upright, stripped of every piece of metadata (EXIF with its GPS position, XMP, ICC,
comments) and no larger than they need to be."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ServedCopies:
    """An uploaded image's copies, each with its extension: `display` (what is served as
    the image), `print` (what an exported PDF embeds) and `thumbnail`."""

    display: tuple[ContentFile[bytes], str]
    print: tuple[ContentFile[bytes], str]
    thumbnail: tuple[ContentFile[bytes], str]


def served_copies(
    source: IO[bytes],
    *,
    display_side: int = 2560,
    print_side: int = 1600,
    thumbnail_size: int = 480,
    max_pixels: int | None = None,
) -> ServedCopies:
    """The display copy, print copy and thumbnail of an image, decoded once: each smaller
    copy is scaled from the one before it, so a 12-megapixel photo is decoded (at the
    largest JPEG draft scale the display copy allows) and resampled from full size once.
    Formats and refusals as `reencode_for_serving` and `make_thumbnail`."""
    image, source_format = _upright_within(source, box=display_side, max_pixels=max_pixels)
    encoding: _Encoding = "JPEG" if source_format == "JPEG" else "PNG"
    display = _encode(image, encoding)
    image = _shrunk(image, print_side)
    printed = _encode(image, encoding)
    image = _shrunk(image, thumbnail_size)
    return ServedCopies(
        display=display,
        print=printed,
        thumbnail=_encode(image, "PNG" if _is_see_through(image) else "JPEG"),
    )


def _shrunk(image: Image.Image, box: int) -> Image.Image:
    if max(image.size) <= box:
        return image
    smaller = image.copy()
    smaller.thumbnail((box, box), Image.Resampling.LANCZOS)
    return smaller


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
        # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale: far less time and memory. The
        # size asked for is the stored picture fitted in the box: turning it upright
        # only swaps its sides, and a square box would refuse every draft scale that
        # leaves the short side under `box` (a 4000 x 3000 photo for a 1600 box).
        opened.draft(None, _fitted(opened.size, box))
        try:
            upright = ImageOps.exif_transpose(opened)  # decodes the pixels
        except Exception as error:  # truncated data, broken EXIF: Pillow fails in many ways
            raise damaged_image(keys) from error
    upright.thumbnail((box, box), Image.Resampling.LANCZOS)
    return _pixels_only(upright), source_format


def _fitted(size: tuple[int, int], box: int) -> tuple[int, int]:
    """`size` scaled down (never up) so its longer side is `box`, rounded up."""
    scale = min(1.0, box / max(size))
    return math.ceil(size[0] * scale), math.ceil(size[1] * scale)


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
