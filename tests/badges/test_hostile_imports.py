"""Hostile and broken badges, through the import page as a learner would send them. Each is
refused with a 400 and words a learner can act on, and leaves nothing behind: no badge row,
no stored file. A badge whose drawing carries script imports, and is served without it."""

import hashlib
import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from badges.baking import bake_png, bake_svg
from badges.models import Badge
from tests import filemakers as make
from tests.badges.bakery import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    itxt_chunk,
    png_with_chunk_claiming,
    raw_png,
    svg,
    zlib_bomb,
    ztxt_chunk,
)
from tests.badges.issuers import (
    credential,
    earner,
    earner_client,
    form_errors,
    import_badge,
    sign_trusted,
)

__all__ = ["earner", "earner_client"]  # fixtures

MB = 1024 * 1024


def valid_credential() -> str:
    """A credential for the earner that verifies with no network (its did:key issuer is
    listed in a trusted test registry)."""
    return json.dumps(sign_trusted(credential(issuer="did:key:placeholder")))


def noise(size: int) -> bytes:
    """`size` bytes that look random and are the same on every run."""
    blocks = (hashlib.sha256(str(n).encode()).digest() for n in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def assert_refused(response: Any, says: str, media: Path) -> None:
    assert response.status_code == 400
    assert says in form_errors(response)
    assert says in html.unescape(response.content.decode())  # shown to the learner
    assert not Badge.objects.exists()
    assert stored_files(media) == []


# --- images ---------------------------------------------------------------------------------


def _compressed_bomb() -> bytes:
    """A 64 KB PNG whose badge text inflates to 64 MB."""
    return raw_png(itxt_chunk("openbadges", zlib_bomb(64 * MB), compressed=True))


def _ztxt_bomb() -> bytes:
    return raw_png(ztxt_chunk("openbadgecredential", zlib_bomb(64 * MB)))


def _oversized_chunk() -> bytes:
    """A badge chunk of 2 MB: real bytes, not a lie about its length."""
    return raw_png(itxt_chunk("openbadges", b"{" + b" " * (2 * MB) + b"}"))


def _lying_chunk() -> bytes:
    """A badge chunk that claims nearly 2 GB and holds a few bytes."""
    return png_with_chunk_claiming(2**31 - 1)


def _over_the_size_limit() -> bytes:
    """A real baked badge with 21 MB after its end: only its size is wrong."""
    return bake_png(make.png(), valid_credential()) + bytes(21 * MB)


HOSTILE_IMAGES = {
    "compressed bomb in iTXt": ("bomb.png", _compressed_bomb, "unpacks to more than"),
    "compressed bomb in zTXt": ("bomb.png", _ztxt_bomb, "unpacks to more than"),
    "oversized badge chunk": ("big.png", _oversized_chunk, "more than any real badge needs"),
    "chunk claiming 2 GB": ("liar.png", _lying_chunk, "damaged or cut short"),
    "billion laughs svg": (
        "laughs.svg",
        lambda: BILLION_LAUGHS,
        "declares a document type or XML entities of its own",
    ),
    "external entity svg": (
        "xxe.svg",
        lambda: EXTERNAL_ENTITY,
        "declares a document type or XML entities of its own",
    ),
    "jpeg": ("photo.jpg", make.jpeg, "Only PNG and SVG badge images can carry badge data"),
    "png without a badge": ("plain.png", make.png, "This image has no badge data baked into it"),
    "random bytes named .png": (
        "badge.png",
        lambda: noise(4096),
        "Only PNG and SVG badge images can carry badge data",
    ),
    "21 MB file": ("huge.png", _over_the_size_limit, "This image is larger than 20.0\xa0MB"),
}


@pytest.mark.parametrize("case", HOSTILE_IMAGES)
def test_a_hostile_or_broken_image_is_refused_and_leaves_nothing(
    earner_client: Client, _media_root: Path, case: str
) -> None:
    filename, build, says = HOSTILE_IMAGES[case]
    upload = SimpleUploadedFile(filename, build(), content_type="image/png")
    response = import_badge(earner_client, image=upload)
    assert_refused(response, says, _media_root)


def test_an_external_entity_is_never_read(earner_client: Client, _media_root: Path) -> None:
    upload = SimpleUploadedFile("xxe.svg", EXTERNAL_ENTITY, content_type="image/svg+xml")
    response = import_badge(earner_client, image=upload)
    assert response.status_code == 400
    assert b"root:" not in response.content


# --- an SVG badge with script in its drawing ------------------------------------------------

SCRIPTED_DRAWING = svg(
    '<script>alert("script")</script>'
    '<circle cx="5" cy="5" r="4" fill="red" onload="alert(\'onload\')"/>'
    '<a href="javascript:alert(\'href\')"><rect width="2" height="2" fill="blue"/></a>',
    namespaces="onload=\"alert('root')\"",
)


def test_an_svg_badge_with_script_imports_and_is_served_without_it(
    earner_client: Client, _media_root: Path
) -> None:
    baked = bake_svg(SCRIPTED_DRAWING, valid_credential(), credential=True)
    for hostile in (b"<script", b"onload=", b"javascript:"):
        assert hostile in baked  # what the learner uploads still carries all three
    response = import_badge(earner_client, image=SimpleUploadedFile("badge.svg", baked))
    assert response.status_code == 302, form_errors(response)
    badge = Badge.objects.get()
    assert badge.status == "verified", badge.checks
    assert badge.display_image_type == "image/svg+xml"

    served = earner_client.get(reverse("badges:image", args=[badge.public_id]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/svg+xml"
    body = b"".join(served.streaming_content).decode().lower()  # type: ignore[attr-defined]
    assert "<script" not in body
    assert "onload" not in body
    assert "javascript:" not in body
    assert "alert" not in body
    assert "<circle" in body and "<rect" in body  # the drawing itself survives


# --- pasted text ----------------------------------------------------------------------------


def _array_of_a_valid_credential() -> str:
    return json.dumps([json.loads(valid_credential())])


DEEP_OBJECTS = '{"a":' * 100_000 + "1" + "}" * 100_000
DEEP_ARRAYS = '{"a":' + "[" * 100_000 + "]" * 100_000 + "}"

HOSTILE_TEXT = [
    pytest.param(
        lambda: "I got this badge at the fair!", "We could not read this as a badge", id="garbage"
    ),
    pytest.param(
        _array_of_a_valid_credential, "We could not read this as a badge", id="a JSON array"
    ),
    pytest.param(
        lambda: DEEP_OBJECTS,
        "This is not valid JSON",
        id="objects nested 100k deep",
    ),
    pytest.param(
        lambda: DEEP_ARRAYS,
        "This is not valid JSON",
        id="arrays nested 100k deep",
    ),
    pytest.param(
        lambda: '{"name": "' + "x" * (2 * 1000 * 1000) + '"}',
        "far longer than any badge",
        id="2 MB of text",
    ),
]


@pytest.mark.parametrize(("build", "says"), HOSTILE_TEXT)
def test_hostile_or_broken_pasted_text_is_refused_and_leaves_nothing(
    earner_client: Client, _media_root: Path, build: Callable[[], str], says: str
) -> None:
    response = import_badge(earner_client, text=build())
    assert_refused(response, says, _media_root)


def test_deeply_nested_json_baked_in_an_image_is_refused(
    earner_client: Client, _media_root: Path
) -> None:
    image = raw_png(itxt_chunk("openbadges", DEEP_ARRAYS.encode()))
    response = import_badge(earner_client, image=SimpleUploadedFile("deep.png", image))
    assert_refused(response, "This is not valid JSON", _media_root)


def test_the_same_credential_pasted_plainly_imports(earner_client: Client) -> None:
    # The cases above fail for their shape, not for their content.
    response = import_badge(earner_client, text=valid_credential())
    assert response.status_code == 302, form_errors(response)
    assert Badge.objects.count() == 1
