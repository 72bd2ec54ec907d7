"""What the preview task makes of an uploaded image: a served copy, a thumbnail, and the
print copy an exported PDF embeds as it is, all upright and without metadata."""

import io
from pathlib import Path

import pytest
from PIL import Image

from artefacts.models import Artefact
from artefacts.services import (
    Details,
    artefact_create_file,
    artefact_delete,
    artefact_prepare_preview,
)
from tests import filemakers as make
from tests.conftest import People


def prepared_photo(people: People, data: bytes) -> Artefact:
    artefact = artefact_create_file(
        owner=people.learner,
        upload=make.uploaded("site.jpg", data),
        details=Details(title="Site visit"),
    )
    artefact_prepare_preview(artefact_id=artefact.pk)
    artefact.refresh_from_db()
    assert artefact.preview == Artefact.Preview.READY
    return artefact


def size_of(stored: object) -> tuple[int, int]:
    with stored.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as image:  # type: ignore[attr-defined]
        return image.size


def test_a_photo_gets_a_print_copy_no_larger_than_exports_need(people: People, settings) -> None:
    settings.EXPORT_IMAGE_MAX_SIDE = 1000
    artefact = prepared_photo(people, make.jpeg(3000, 1500, gps=True, orientation=6))

    assert size_of(artefact.print_file) == (500, 1000)  # upright, long side 1000
    assert size_of(artefact.display_file) == (1280, 2560)
    assert max(size_of(artefact.thumbnail)) == 480
    with artefact.print_file.open("rb") as handle:
        data = handle.read()
    assert b"GPS" not in data and b"PhoneMaker" not in data


def test_a_small_photo_is_never_enlarged_for_print(people: People) -> None:
    artefact = prepared_photo(people, make.jpeg(640, 480))
    assert size_of(artefact.print_file) == (640, 480)


def test_a_damaged_image_gets_no_copies(people: People, _media_root: Path) -> None:
    artefact = artefact_create_file(
        owner=people.learner,
        upload=make.uploaded("site.jpg", make.jpeg(640, 480)),
        details=Details(title="Site visit"),
    )
    (_media_root / str(artefact.file.name)).write_bytes(make.jpeg()[:200])  # broken since

    artefact_prepare_preview(artefact_id=artefact.pk)

    artefact.refresh_from_db()
    assert artefact.preview == Artefact.Preview.FAILED
    assert not artefact.print_file and not artefact.display_file
    assert not (_media_root / "previews").exists()


@pytest.mark.django_db(transaction=True)
def test_deleting_a_photo_removes_its_print_copy(people: People, _media_root: Path) -> None:
    artefact = prepared_photo(people, make.jpeg(640, 480))
    print_copy = _media_root / str(artefact.print_file.name)
    assert print_copy.exists()

    artefact_delete(artefact=artefact)

    assert not print_copy.exists()
    assert not [p for p in _media_root.rglob("*") if p.is_file()]
