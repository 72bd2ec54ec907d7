"""Photos in the showcase PDF: the print copy made when the photo was uploaded is embedded
as it is; only a photo without one is scaled while exporting."""

from typing import Any

import pytest
from django.core.files.storage import default_storage

from artefacts.models import Artefact
from artefacts.services import Details, artefact_create_file, artefact_prepare_preview
from portfolio.exports import services
from portfolio.exports.showcase import showcase_document
from portfolio.showcases import services as showcase_services
from tests import filemakers as make
from tests.portfolio.exports.builders import pdf_bytes, reader

pytestmark = pytest.mark.django_db

PHOTO = (3000, 2000)
PRINTED = (1600, 1067)  # EXPORT_IMAGE_MAX_SIDE on the long side


def photo(owner: Any, *, prepared: bool = True) -> Artefact:
    """An uploaded photo; its preview task run when `prepared`, else still pending (the
    task is queued when the upload commits, which it does not in these tests)."""
    artefact = artefact_create_file(
        owner=owner,
        upload=make.uploaded("site.jpg", make.jpeg(*PHOTO, gps=True)),
        details=Details(title="North elevation"),
    )
    if prepared:
        artefact_prepare_preview(artefact_id=artefact.pk)
    artefact.refresh_from_db()
    return artefact


def exported_pdf(owner: Any, artefact: Artefact) -> bytes:
    showcase = showcase_services.showcase_create(owner=owner, title="Site photos", audience="")
    section = showcase_services.section_add(showcase=showcase, heading="Site visits")
    showcase_services.items_add(section=section, targets=[artefact])
    export = services.export_request(owner=owner, showcase=showcase, request_key="k")
    services.export_render(export_id=export.pk)  # what the queued task does
    export.refresh_from_db()
    assert export.state == "done", export.error
    return pdf_bytes(export)


def photos_in(data: bytes) -> list[tuple[tuple[int, int], bytes]]:
    """(size, stored bytes) of each photo-sized image in the PDF (not the QR code). Every
    page lists every image: WeasyPrint shares one resource dictionary among them."""
    found: dict[Any, tuple[tuple[int, int], bytes]] = {}
    for page in reader(data).pages:
        for image in page.images:
            reference: Any = image.indirect_reference
            stream: Any = reference.get_object()
            size = (int(stream["/Width"]), int(stream["/Height"]))
            if max(size) > 500:  # the QR code is smaller
                found[reference.idnum] = (size, stream._data)  # as stored: JPEG stays JPEG
    return list(found.values())


def test_a_prepared_photo_is_embedded_as_its_print_copy(people) -> None:
    artefact = photo(people.learner)
    with artefact.print_file.open("rb") as handle:
        print_copy = handle.read()
    # Neither the original nor the served copy is needed any more.
    default_storage.delete(str(artefact.file.name))
    default_storage.delete(str(artefact.display_file.name))

    data = exported_pdf(people.learner, artefact)

    assert photos_in(data) == [(PRINTED, print_copy)]
    assert b"PhoneMaker" not in data


def test_a_photo_whose_preview_is_still_pending_is_scaled_from_the_original(people) -> None:
    artefact = photo(people.learner, prepared=False)
    assert artefact.preview == Artefact.Preview.PENDING

    data = exported_pdf(people.learner, artefact)

    assert [size for size, _ in photos_in(data)] == [PRINTED]
    assert b"PhoneMaker" not in data  # scaled here, still without its metadata
    artefact.refresh_from_db()
    assert artefact.preview == Artefact.Preview.PENDING  # the export made no copies


def test_a_photo_prepared_before_print_copies_existed_is_scaled_from_its_display_copy(
    people,
) -> None:
    artefact = photo(people.learner)
    Artefact.objects.filter(pk=artefact.pk).update(print_file="")
    default_storage.delete(str(artefact.file.name))

    data = exported_pdf(people.learner, artefact)

    assert [size for size, _ in photos_in(data)] == [PRINTED]


def test_copying_prepared_photos_writes_the_progress_a_few_times_not_once_a_photo(
    people,
) -> None:
    showcase = showcase_services.showcase_create(owner=people.learner, title="Site photos")
    section = showcase_services.section_add(showcase=showcase, heading="Site visits")
    for number in range(30):
        artefact = artefact_create_file(
            owner=people.learner,
            upload=make.uploaded(f"site-{number}.jpg", make.jpeg(400 + number, 300)),
            details=Details(title=f"Photo {number}"),
        )
        artefact_prepare_preview(artefact_id=artefact.pk)
        showcase_services.items_add(section=section, targets=[artefact])
    export = services.export_request(owner=people.learner, showcase=showcase, request_key="k")
    progress: list[tuple[str, int, int]] = []

    document = showcase_document(
        export=export, showcase=showcase, report=lambda *step: progress.append(step)
    )
    document.close()

    counted = [(done, total) for stage, done, total in progress if stage == "Preparing images"]
    assert counted[0] == (0, 30) and counted[-1] == (30, 30)
    assert len(counted) <= 6, counted  # copying 30 small files takes well under a second


def test_a_print_copy_larger_than_print_size_now_allows_is_scaled(people, settings) -> None:
    artefact = photo(people.learner)  # its print copy made at 1600 pixels
    settings.EXPORT_IMAGE_MAX_SIDE = 800  # lowered since, to make smaller PDFs

    data = exported_pdf(people.learner, artefact)

    assert [size for size, _ in photos_in(data)] == [(800, 534)]  # from 1600 x 1067
