"""A file whose name claims one kind while its bytes are another is refused saying what
it really is; an image whose header is fine but whose pixels are damaged is refused at
upload, saying so."""

import io

import pytest
from PIL import Image

from core.uploads import UploadRejected, inspect_upload
from tests import filemakers as make
from tests.filemakers import uploaded

MAX_PIXELS = 40_000_000


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(UploadRejected) as refused:
        inspect_upload(uploaded(name, data), max_image_pixels=MAX_PIXELS)
    return str(refused.value)


def pillow(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "teal").save(buffer, image_format)
    return buffer.getvalue()


DISGUISES = [
    ("art.jpg", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "an EPS (PostScript) file"),
    ("art.png", b"\xc5\xd0\xd3\xc6" + b"\0" * 40, "an EPS (PostScript) file"),
    ("sky.jpg", b"SIMPLE  =                    T" + b" " * 50, "a FITS image"),
    ("icon.jpg", pillow("ICO"), "a Windows icon (ICO)"),
    ("icon.png", pillow("ICNS"), "a macOS icon (ICNS)"),
    ("texture.jpg", b"BLP2\x01\x00\x00\x00" + b"\0" * 40, "a BLP texture"),
    ("layers.jpg", b"8BPS\x00\x01" + b"\0" * 40, "a Photoshop (PSD) file"),
    ("photo.jpg", make.iso_media(b"heic", (b"mif1", b"heic")), "a HEIC or AVIF image"),
    ("photo.jpg", b"\0\0\0\x0cJXL \r\n\x87\n" + b"\0" * 40, "a JPEG XL image"),
    ("essay.pdf", make.exe(), "an executable program"),
    ("program.txt", b"\x7fELF\x02\x01\x01" + b"\0" * 64, "an executable program"),
    ("work.docx", make.zip_archive(), "a ZIP archive"),
]


@pytest.mark.parametrize(("name", "data", "really"), DISGUISES, ids=[d[2] for d in DISGUISES])
def test_a_disguised_file_is_refused_saying_what_it_really_is(
    name: str, data: bytes, really: str
) -> None:
    message = refusal(name, data)
    extension = name.rsplit(".", 1)[1]
    assert message.startswith(f"This file is named .{extension} but is really {really}")
    assert "we can't accept" in message
    assert "unknown" not in message and "Rename it to" not in message


def test_an_eps_says_to_save_it_as_a_pdf() -> None:
    assert refusal("art.jpg", DISGUISES[0][1]).endswith(
        "Save or export it as a PDF and upload that."
    )


def test_xml_named_jpg_is_called_xml_and_not_told_to_become_a_text_file() -> None:
    message = refusal("data.jpg", b'<?xml version="1.0"?>\n<records><row/></records>\n')
    assert message.startswith("This file is named .jpg but its content is an XML file.")
    assert ".txt" not in message and "Check you chose the right file" in message


def test_xml_named_txt_is_still_plain_text() -> None:
    kind = inspect_upload(
        uploaded("data.txt", b'<?xml version="1.0"?>\n<records/>\n'), max_image_pixels=1
    )
    assert kind.key == "text"


def test_unrecognisable_bytes_named_jpg_are_not_really_a_jpeg() -> None:
    message = refusal("photo.jpg", bytes(range(256)) * 4)
    assert message.startswith(
        "This file is named .jpg but isn't really a JPEG image, and we can't tell what it is."
    )


def test_an_eps_named_eps_is_refused_as_a_kind_we_do_not_accept() -> None:
    assert refusal("art.eps", DISGUISES[0][1]).startswith(
        "We can't accept this kind of file (we found an EPS (PostScript) file)."
    )


# --- Damaged images -----------------------------------------------------------------


def cut(data: bytes, keep: float = 0.5) -> bytes:
    return data[: int(len(data) * keep)]


DAMAGED = [
    ("photo.jpg", cut(make.jpeg(800, 600)), "JPEG"),
    ("diagram.png", cut(make.png(300, 200)), "PNG"),
    ("anim.gif", cut(make.gif(200, 100)), "GIF"),
]


@pytest.mark.parametrize(("name", "data", "label"), DAMAGED, ids=[d[2] for d in DAMAGED])
def test_a_truncated_image_is_refused_as_damaged_or_incomplete(
    name: str, data: bytes, label: str
) -> None:
    assert refusal(name, data) == (
        f"This {label} is damaged or incomplete: the file stops before the picture ends, "
        "so nothing was added. Open it in a photo app, save it again, and upload the new copy."
    )


def test_a_png_with_corrupt_picture_data_is_refused() -> None:
    data = bytearray(make.png(300, 200))
    start = data.index(b"IDAT") + 8  # inside the compressed picture data
    data[start : start + 64] = bytes(range(64))
    assert refusal("diagram.png", bytes(data)) == (
        "This PNG is damaged or incomplete: its picture data can't be read, so nothing was "
        "added. Open it in a photo app, save it again, and upload the new copy."
    )


def test_a_whole_image_is_still_accepted() -> None:
    for name, data in (
        ("a.jpg", make.jpeg(800, 600)),
        ("b.png", make.png()),
        ("c.gif", make.gif()),
    ):
        assert inspect_upload(uploaded(name, data), max_image_pixels=MAX_PIXELS).media == "image"


def test_a_truncated_image_is_refused_even_after_weasyprint_was_imported() -> None:
    # WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process on import.
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    data = make.jpeg(800, 600)
    with pytest.raises(UploadRejected):
        inspect_upload(uploaded("cut.jpg", data[: len(data) // 2]), max_image_pixels=MAX_PIXELS)
