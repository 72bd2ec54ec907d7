"""Uploads are judged by their content against an allowlist; the name must agree."""

import contextlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import UploadedFile
from PIL import ImageFile

from core.uploads import (
    ACCEPTED_EXTENSIONS,
    FILE_TYPES,
    UploadRejected,
    extension_of,
    inspect_upload,
    safe_display_name,
)
from tests import filemakers as make
from tests.filemakers import uploaded

MAX_PIXELS = 40_000_000
MB = 1024 * 1024
TEXT = "text/plain; charset=utf-8"


def inspect(name: str, data: bytes, *, max_image_pixels: int = MAX_PIXELS) -> str:
    """The key of the type `data` uploaded as `name` is taken for."""
    return inspect_upload(uploaded(name, data), max_image_pixels=max_image_pixels).key


def refusal(name: str, data: bytes, *, max_image_pixels: int = MAX_PIXELS) -> str:
    with pytest.raises(UploadRejected) as refused:
        inspect_upload(uploaded(name, data), max_image_pixels=max_image_pixels)
    return str(refused.value)


ALLOWED: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("photo.jpg", make.jpeg, "jpeg", "image/jpeg"),
    ("PHOTO.JPEG", make.jpeg, "jpeg", "image/jpeg"),
    ("diagram.png", make.png, "png", "image/png"),
    ("animation.gif", lambda: make.gif(frames=3), "gif", "image/gif"),
    ("picture.webp", make.webp, "webp", "image/webp"),
    ("drawing.svg", make.svg, "svg", "image/svg+xml"),
    ("song.mp3", make.mp3, "mp3", "audio/mpeg"),
    ("untagged.mp3", lambda: make.mp3(id3=False), "mp3", "audio/mpeg"),
    ("tone.wav", make.wav, "wav", "audio/wav"),
    ("voice.ogg", make.ogg, "ogg", "audio/ogg"),
    ("voice.opus", make.ogg, "ogg", "audio/ogg"),
    ("lossless.flac", make.flac, "flac", "audio/flac"),
    ("voice.m4a", make.m4a, "m4a", "audio/mp4"),
    ("clip.mp4", make.mp4, "mp4", "video/mp4"),
    ("clip.mov", make.mov, "mov", "video/quicktime"),
    ("clip.webm", make.webm, "webm", "video/webm"),
    ("report.pdf", make.pdf, "pdf", "application/pdf"),
    ("essay.docx", make.docx, "docx", FILE_TYPES["docx"].mime),
    ("budget.xlsx", make.xlsx, "xlsx", FILE_TYPES["xlsx"].mime),
    ("slides.pptx", make.pptx, "pptx", FILE_TYPES["pptx"].mime),
    ("essay.odt", make.odt, "odt", "application/vnd.oasis.opendocument.text"),
    ("budget.ods", lambda: make.odf("spreadsheet"), "ods", FILE_TYPES["ods"].mime),
    ("slides.odp", lambda: make.odf("presentation"), "odp", FILE_TYPES["odp"].mime),
    ("old essay.doc", make.ole, "ole", "application/msword"),
    ("old budget.xls", make.ole, "ole", "application/vnd.ms-excel"),
    ("old slides.ppt", make.ole, "ole", "application/vnd.ms-powerpoint"),
    ("letter.rtf", make.rtf, "rtf", "application/rtf"),
    ("notes.txt", make.text, "text", TEXT),
    ("notes.md", lambda: make.text("# Week 1\n\nLine<br>break, *done*.\n"), "text", TEXT),
    ("marks.csv", lambda: make.text("name,mark\nAda,72\n"), "text", TEXT),
]  # fmt: skip


@pytest.mark.parametrize(("name", "maker", "key", "mime"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_each_allowed_type_is_recognised_by_its_content(
    name: str, maker: Callable[[], bytes], key: str, mime: str
) -> None:
    kind = inspect_upload(uploaded(name, maker()), max_image_pixels=MAX_PIXELS)
    assert (kind.key, kind.mime) == (key, mime)
    assert extension_of(name) in kind.extensions


def test_every_type_in_the_allowlist_is_exercised() -> None:
    assert {key for _, _, key, _ in ALLOWED} == set(FILE_TYPES)


def test_only_raster_images_audio_video_and_pdf_are_shown_inline() -> None:
    inline = {key for key, kind in FILE_TYPES.items() if kind.inline}
    assert {FILE_TYPES[key].media for key in inline} == {"image", "audio", "video", "pdf"}
    assert inline == {"jpeg", "png", "gif", "webp", "mp3", "wav", "ogg", "flac", "m4a"} | {
        "mp4", "webm", "mov", "pdf",
    }  # fmt: skip


def test_the_accepted_extensions_are_those_of_the_allowlist() -> None:
    assert {"jpg", "pdf", "docx", "doc", "txt", "svg"} <= ACCEPTED_EXTENSIONS
    assert not {"html", "htm", "exe", "zip", "js", "xml"} & ACCEPTED_EXTENSIONS


def test_an_svg_is_accepted_as_a_document_that_is_never_shown_inline() -> None:
    kind = inspect_upload(uploaded("drawing.svg", make.svg(script=True)), max_image_pixels=1)
    assert (kind.key, kind.media, kind.inline) == ("svg", "document", False)


def test_the_browsers_content_type_is_ignored() -> None:
    upload = uploaded("report.pdf", make.pdf(), content_type="text/html")
    assert inspect_upload(upload, max_image_pixels=MAX_PIXELS).mime == "application/pdf"


# --- Content and name must agree --------------------------------------------------------


def test_a_pdf_named_png_is_refused_with_what_to_do() -> None:
    assert refusal("report.png", make.pdf()) == (
        "This file is named .png but its content is a PDF document. "
        "Rename it to .pdf or upload the right file."
    )


@pytest.mark.parametrize(
    ("name", "data", "found"),
    [
        ("photo.jpg", make.png(), "a PNG image"),
        ("essay.docx", make.odt(), "an OpenDocument text"),
        ("essay.docx", make.ole(), "an older Microsoft Office file"),
        ("song.wav", make.mp3(), "an MP3 audio file"),
        ("clip.mp4", make.mov(), "a QuickTime video"),
        ("photo.png", make.text(), "a plain text file"),
        ("photo.png", make.svg(), "an SVG drawing"),
        ("notes.txt", make.svg(), "an SVG drawing"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else "",
)
def test_content_that_disagrees_with_the_extension_is_refused(
    name: str, data: bytes, found: str
) -> None:
    message = refusal(name, data)
    assert f"named .{extension_of(name)} but its content is {found}." in message


def test_the_rename_advice_lists_every_extension_of_the_type() -> None:
    assert "Rename it to .csv, .md or .txt" in refusal("notes.text", make.text())
    assert "Rename it to .doc, .ppt or .xls" in refusal("essay.docx", make.ole())


@pytest.mark.parametrize("name", ["page.html", "photo.png", "notes.txt", "drawing.svg"])
def test_an_html_page_is_refused_whatever_it_is_called(name: str) -> None:
    assert "HTML" in refusal(name, make.html())
    assert "Save the page as a PDF" in refusal(name, make.html())


@pytest.mark.parametrize(
    "markup",
    [
        b"<script>alert(1)</script>",
        b"Notes\n<iframe src='https://example.org'></iframe>",
        b"\xef\xbb\xbf<HTML><BODY>hi</BODY></HTML>",
        b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>",
    ],
)
def test_text_holding_page_markup_is_refused_as_html(markup: bytes) -> None:
    assert "HTML" in refusal("notes.txt", markup)


def test_a_file_without_an_extension_is_refused_with_the_one_to_add() -> None:
    message = refusal("report", make.pdf())
    assert "doesn't end in an extension" in message
    assert "rename it to end in .pdf" in message


def test_an_empty_file_is_refused() -> None:
    assert refusal("notes.txt", b"").startswith("This file is empty.")


# --- Things we never accept --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "found"),
    [
        ("setup.exe", make.exe(), "an executable program"),
        ("work.zip", make.zip_archive(), "a ZIP archive"),
        ("work.tar.gz", b"\x1f\x8b\x08\0" + b"\0" * 32, "an archive"),
        ("photo.heic", make.iso_media(b"heic", (b"mif1", b"heic")), "a HEIC or AVIF image"),
        ("clip.mkv", make.webm("matroska"), "a Matroska (MKV) video"),
        ("scan.tiff", b"II*\0" + b"\0" * 32, "a TIFF image"),
        ("data.bin", bytes(range(256)) * 4, "an unknown format"),
        ("latin1.txt", "Caf\xe9 cr\xe8me".encode("latin-1"), "an unknown format"),
        ("nul.txt", b"text with a \0 in it", "an unknown format"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else "",
)
def test_other_kinds_of_file_are_refused_saying_what_we_found(
    name: str, data: bytes, found: str
) -> None:
    message = refusal(name, data)
    assert message.startswith(f"We can't accept this kind of file (we found {found}).")


def test_a_document_with_macros_is_refused() -> None:
    assert "macros" in refusal("budget.xlsx", make.ooxml("xlsx", macros=True))


def test_utf16_text_is_refused_with_advice_to_save_as_utf8() -> None:
    assert "Save it as UTF-8" in refusal("notes.txt", "Notes\n".encode("utf-16"))


def test_a_character_cut_by_the_end_of_the_sample_is_still_text() -> None:
    head = b"a" * (8 * 1024 - 1)
    data = head + "é and more".encode() * 10
    assert data[8 * 1024 - 1 : 8 * 1024 + 1] == "é".encode()  # split across the sample end
    assert inspect("notes.txt", data) == "text"


def test_a_text_file_ending_in_half_a_character_is_refused() -> None:
    assert "unknown format" in refusal("notes.txt", "café".encode()[:-1])


# --- Images ----------------------------------------------------------------------------


def test_an_image_at_the_pixel_limit_is_accepted_and_one_over_it_refused() -> None:
    assert inspect("photo.jpg", make.jpeg(64, 48), max_image_pixels=64 * 48) == "jpeg"
    message = refusal("photo.jpg", make.jpeg(64, 48), max_image_pixels=64 * 48 - 1)
    assert "too many pixels" in message


@pytest.mark.parametrize(
    ("width", "height"),
    [(7_000, 7_000), (12_000, 12_000), (100_000, 100_000)],
    ids=["over-our-limit", "over-pillows-warning", "over-pillows-error"],
)
def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(
    monkeypatch: pytest.MonkeyPatch, width: int, height: int
) -> None:
    def no_decoding(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    message = refusal("huge.png", make.png_claiming_size(width, height))
    assert message == (
        "This image has too many pixels: the limit is 40 megapixels. "
        "Resize it to make it smaller and upload it again."
    )


def test_an_image_pillow_cannot_parse_is_refused_as_damaged() -> None:
    message = refusal("photo.jpg", b"\xff\xd8\xff\xe0" + b"not a jpeg at all" * 10)
    assert message.startswith("This image is damaged or isn't really a JPEG.")


# --- Reading as little as possible --------------------------------------------------------


class CountingFile(io.FileIO):
    """A file that counts the bytes read from it."""

    bytes_read = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readall(self) -> bytes:
        data = super().readall()
        self.bytes_read += len(data)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = super().readinto(buffer) or 0
        self.bytes_read += count
        return count


def large_upload(tmp_path: Path, name: str, start: bytes) -> tuple[UploadedFile, CountingFile]:
    """A 50 MB upload on disk beginning with `start`; the rest is a hole of zero bytes."""
    path = tmp_path / name
    with path.open("wb") as out:
        out.write(start)
        out.truncate(50 * MB)
    counted = CountingFile(path, "r")
    return UploadedFile(counted, name=name, size=50 * MB), counted


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("notes.txt", make.text("A long reflection. " * 1000)),
        ("report.pdf", make.pdf()),
        ("photo.png", make.png()),
        ("photo.jpg", make.jpeg()),
    ],
)
def test_only_the_head_of_a_large_file_is_read(tmp_path: Path, name: str, start: bytes) -> None:
    upload, counted = large_upload(tmp_path, name, start)
    inspect_upload(upload, max_image_pixels=MAX_PIXELS)
    assert 0 < counted.bytes_read < 1 * MB
    assert upload.tell() == 0


def test_a_large_office_document_is_judged_from_its_central_directory(tmp_path: Path) -> None:
    path = tmp_path / "slides.pptx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<presentation/>")
        archive.writestr("ppt/media/video.mp4", b"\0" * (50 * MB))
    counted = CountingFile(path, "r")
    upload = UploadedFile(counted, name="slides.pptx", size=path.stat().st_size)
    assert inspect_upload(upload, max_image_pixels=MAX_PIXELS).key == "pptx"
    assert counted.bytes_read < 1 * MB


def test_a_webp_too_big_to_parse_within_the_read_limit_is_refused_unread(tmp_path: Path) -> None:
    upload, counted = large_upload(tmp_path, "photo.webp", make.webp())
    with pytest.raises(UploadRejected, match="too large or complex for us to check"):
        inspect_upload(upload, max_image_pixels=MAX_PIXELS)
    assert counted.bytes_read < 1 * MB


@pytest.mark.parametrize(("name", "data"), [("report.pdf", make.pdf()), ("x.exe", make.exe())])
def test_the_file_is_left_at_its_start_whether_accepted_or_refused(name: str, data: bytes) -> None:
    upload = uploaded(name, data)
    upload.seek(5)
    with contextlib.suppress(UploadRejected):
        inspect_upload(upload, max_image_pixels=MAX_PIXELS)
    assert upload.tell() == 0


# --- Names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\evil\\x.pdf", "x.pdf"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("<script>alert(1)</script>.png", "script>.png"),  # "/" splits it; templates escape
        ("my\x00file\x07\x1b.pdf", "myfile.pdf"),
        ("line\nbreak\r\n  and\ttabs .txt", "line break and tabs .txt"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # would display as "invoiceexe.pdf"
        ("...hidden.txt", "hidden.txt"),
        ("  . .config", "config"),
        ("Cafe\u0301.pdf", "Café.pdf"),  # NFC: one code point, as Windows and Linux write it
        ("", "file"),
        ("../..", "file"),
        ("\x00\x01", "file"),
    ],
)
def test_safe_display_name(name: str, safe: str) -> None:
    assert safe_display_name(name) == safe


def test_a_very_long_name_is_cut_to_200_characters_keeping_its_extension() -> None:
    safe = safe_display_name("a" * 500 + ".pdf")
    assert len(safe) == 200
    assert safe.endswith("a.pdf")
    assert safe_display_name("b" * 500) == "b" * 200


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("photo.JPG", "jpg"),
        ("archive.tar.gz", "gz"),
        ("report", ""),
        (".bashrc", ""),
        ("dir.d/report", ""),
        ("report.pdf ", "pdf"),
        ("trailing.", ""),
    ],
)
def test_extension_of(name: str, extension: str) -> None:
    assert extension_of(name) == extension
