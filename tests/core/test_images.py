"""Served images are upright, small enough and carry no metadata: no location leaks out."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import ExifTags, Image

from core.images import make_thumbnail, reencode_for_serving, served_copies
from core.uploads import UploadRejected, inspect_upload
from tests import filemakers as make
from tests.filemakers import uploaded

Colour = tuple[int, ...]


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def reencoded(data: bytes, **options: int) -> tuple[bytes, str]:
    copy, extension = reencode_for_serving(io.BytesIO(data), **options)
    return copy.read(), extension


def is_red(colour: Colour) -> bool:
    return colour[0] > 200 and colour[2] < 60


def is_blue(colour: Colour) -> bool:
    return colour[2] > 200 and colour[0] < 60


def test_a_gps_tagged_photo_is_served_without_any_metadata() -> None:
    original = make.jpeg(64, 48, gps=True, xmp=True)
    assert opened(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test has teeth
    assert b"http://ns.adobe.com/xap" in original

    data, extension = reencoded(original)

    copy = opened(data)
    assert (extension, copy.format) == ("jpg", "JPEG")
    assert len(copy.getexif()) == 0
    assert not copy.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(copy.info)
    for trace in (b"Exif\0\0", b"GPS", b"http://ns.adobe.com/xap", b"PhoneMaker"):
        assert trace not in data


def test_the_thumbnail_of_a_gps_tagged_photo_has_no_metadata_either() -> None:
    copy, _ = make_thumbnail(io.BytesIO(make.jpeg(64, 48, gps=True, xmp=True)))
    data = copy.read()
    assert len(opened(data).getexif()) == 0
    assert b"GPS" not in data
    assert b"http://ns.adobe.com/xap" not in data


@pytest.mark.parametrize("make_copy", [reencode_for_serving, make_thumbnail])
def test_an_embedded_colour_profile_is_not_carried_over(make_copy: Callable[..., Any]) -> None:
    original = make.png(64, 48, alpha=True, icc_profile=True)
    assert "icc_profile" in opened(original).info  # the test has teeth
    copy, _ = make_copy(io.BytesIO(original))
    assert "icc_profile" not in opened(copy.read()).info


# Red is drawn on the left of the stored pixels. Where it ends up once the EXIF
# orientation is applied, for each of the eight orientations.
ORIENTATIONS = [
    (1, (40, 20), "left"),
    (2, (40, 20), "right"),  # mirrored
    (3, (40, 20), "right"),  # upside down
    (4, (40, 20), "left"),  # flipped top to bottom
    (5, (20, 40), "top"),  # mirrored and turned
    (6, (20, 40), "top"),  # turned 90 degrees clockwise, as phones held upright write
    (7, (20, 40), "bottom"),
    (8, (20, 40), "bottom"),  # turned 90 degrees anticlockwise
]


@pytest.mark.parametrize(("orientation", "size", "red_at"), ORIENTATIONS)
def test_the_exif_orientation_is_applied(
    orientation: int, size: tuple[int, int], red_at: str
) -> None:
    data, _ = reencoded(make.jpeg(40, 20, orientation=orientation))
    copy = opened(data).convert("RGB")
    assert copy.size == size
    width, height = size
    points = {"left": (2, height // 2), "right": (width - 3, height // 2)}
    points |= {"top": (width // 2, 2), "bottom": (width // 2, height - 3)}
    opposite = {"left": "right", "right": "left", "top": "bottom", "bottom": "top"}[red_at]
    assert is_red(copy.getpixel(points[red_at]))  # type: ignore[arg-type]
    assert is_blue(copy.getpixel(points[opposite]))  # type: ignore[arg-type]
    assert len(opened(data).getexif()) == 0  # so no viewer turns it a second time


def test_a_two_by_one_photo_turned_by_orientation_6_is_served_one_by_two() -> None:
    data, _ = reencoded(make.jpeg(2, 1, orientation=6))
    assert opened(data).size == (1, 2)


@pytest.mark.parametrize(
    ("size", "max_side", "expected"),
    [
        ((4000, 1000), 1000, (1000, 250)),
        ((1000, 4000), 1000, (250, 1000)),
        ((3000, 3000), 2560, (2560, 2560)),
        ((300, 200), 2560, (300, 200)),  # never enlarged
    ],
)
def test_large_images_are_scaled_down_to_fit(
    size: tuple[int, int], max_side: int, expected: tuple[int, int]
) -> None:
    data, _ = reencoded(make.jpeg(*size), max_side=max_side)
    assert opened(data).size == expected


def test_a_transparent_png_stays_a_transparent_png() -> None:
    data, extension = reencoded(make.png(64, 48, alpha=True))
    copy = opened(data)
    assert (extension, copy.format, copy.mode) == ("png", "PNG", "RGBA")
    assert copy.getpixel((2, 2)) == (255, 0, 0, 128)


@pytest.mark.parametrize(
    "data",
    [make.png(64, 48), make.webp(64, 48), make.webp(64, 48, alpha=True), make.gif(64, 48)],
    ids=["png", "webp", "webp-with-alpha", "gif"],
)
def test_images_other_than_jpeg_are_served_as_png(data: bytes) -> None:
    copy, extension = reencoded(data)
    assert (extension, opened(copy).format, opened(copy).size) == ("png", "PNG", (64, 48))


def test_an_animated_gif_is_served_as_its_first_frame() -> None:
    data, _ = reencoded(make.gif(64, 48, frames=3))
    copy = opened(data).convert("RGB")
    assert is_red(copy.getpixel((2, 24)))  # type: ignore[arg-type]
    assert is_blue(copy.getpixel((61, 24)))  # type: ignore[arg-type]


def test_a_served_copy_passes_the_upload_checks() -> None:
    copy, extension = reencode_for_serving(io.BytesIO(make.webp(64, 48, alpha=True)))
    kind = inspect_upload(uploaded(f"copy.{extension}", copy.read()), max_image_pixels=64 * 48)
    assert kind.key == "png"


@pytest.mark.parametrize(
    ("data", "size", "expected", "image_format"),
    [
        (make.jpeg(1000, 500), 480, (480, 240), "JPEG"),
        (make.jpeg(4000, 3000), 480, (480, 360), "JPEG"),
        (make.png(500, 1000), 100, (50, 100), "JPEG"),  # opaque: JPEG whatever it was
        (make.png(500, 1000, alpha=True), 100, (50, 100), "PNG"),
        (make.webp(300, 300, alpha=True), 480, (300, 300), "PNG"),
    ],
    ids=["jpeg", "large-jpeg", "opaque-png", "transparent-png", "small-transparent-webp"],
)
def test_a_thumbnail_fits_in_its_box(
    data: bytes, size: int, expected: tuple[int, int], image_format: str
) -> None:
    thumbnail, extension = make_thumbnail(io.BytesIO(data), size=size)
    copy = opened(thumbnail.read())
    assert copy.size == expected
    assert copy.format == image_format
    assert extension == {"JPEG": "jpg", "PNG": "png"}[image_format]


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(UploadRejected, match="too many pixels"):
        reencode_for_serving(io.BytesIO(make.png_claiming_size(100_000, 100_000)))
    with pytest.raises(UploadRejected, match=r"the limit is 0\.001 megapixels"):
        make_thumbnail(io.BytesIO(make.png(64, 48)), max_pixels=1_000)


def test_the_default_pixel_limit_comes_from_settings(settings) -> None:
    settings.ARTEFACT_MAX_IMAGE_PIXELS = 64 * 48 - 1
    with pytest.raises(UploadRejected, match="too many pixels"):
        reencode_for_serving(io.BytesIO(make.png(64, 48)))


def bmp() -> bytes:
    buffer = io.BytesIO()
    make.picture(8, 8).save(buffer, "BMP")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [bmp(), make.svg(), make.pdf(), make.jpeg()[:200]],
    ids=["bmp", "svg", "pdf", "truncated-jpeg"],
)
def test_anything_but_an_allowed_intact_image_is_refused(data: bytes) -> None:
    with pytest.raises(UploadRejected, match="This image is damaged"):
        reencode_for_serving(io.BytesIO(data))


@pytest.mark.parametrize(
    ("data", "sizes", "formats"),
    [
        (make.jpeg(4000, 3000), [(2560, 1920), (1600, 1200), (480, 360)], ["JPEG"] * 3),
        (make.jpeg(300, 200), [(300, 200), (300, 200), (300, 200)], ["JPEG"] * 3),
        (make.png(2000, 1000, alpha=True), [(2000, 1000), (1600, 800), (480, 240)], ["PNG"] * 3),
        (make.png(2000, 1000), [(2000, 1000), (1600, 800), (480, 240)], ["PNG", "PNG", "JPEG"]),
    ],
    ids=["12-megapixel-jpeg", "small-jpeg", "transparent-png", "opaque-png"],
)
def test_served_copies_are_the_display_print_and_thumbnail_sizes(
    data: bytes, sizes: list[tuple[int, int]], formats: list[str]
) -> None:
    copies = served_copies(io.BytesIO(data), print_side=1600)

    made = [copies.display, copies.print, copies.thumbnail]
    assert [opened(copy.read()).size for copy, _ in made] == sizes
    for (copy, extension), image_format in zip(made, formats, strict=True):
        copy.seek(0)
        assert opened(copy.read()).format == image_format
        assert extension == {"JPEG": "jpg", "PNG": "png"}[image_format]


def test_every_served_copy_of_a_turned_gps_tagged_photo_is_upright_and_clean() -> None:
    copies = served_copies(io.BytesIO(make.jpeg(3000, 1500, gps=True, orientation=6)))

    for copy, _ in (copies.display, copies.print, copies.thumbnail):
        data = copy.read()
        image = opened(data)
        assert image.height == 2 * image.width  # turned upright: portrait
        assert len(image.getexif()) == 0
        assert b"GPS" not in data


def test_served_copies_refuse_what_a_served_copy_refuses() -> None:
    with pytest.raises(UploadRejected, match="too many pixels"):
        served_copies(io.BytesIO(make.png_claiming_size(100_000, 100_000)))
    with pytest.raises(UploadRejected, match="This image is damaged"):
        served_copies(io.BytesIO(make.jpeg()[:200]))
