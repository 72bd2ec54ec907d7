"""The safe ZIP reader: every kind of hostile archive is refused with a message saying what
is wrong, before anything is unpacked; a sound one reads member by member."""

import gzip
import hashlib
import io
import os
import zipfile

import pytest

from portfolio.archive.safezip import ArchiveRefused, Limits, SafeZip
from tests.portfolio.archive.zips import (
    flipped_byte_in,
    make_zip,
    truncated,
    with_duplicate,
    with_overlap,
    with_symlink,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'


def refusal(buffer: io.BytesIO, *, limits: Limits | None = None, read: str = "") -> str:
    with pytest.raises(ArchiveRefused) as caught, SafeZip(buffer, limits=limits) as archive:
        if read:
            with archive.open(read) as stream:
                for _ in stream.chunks():
                    pass
    return str(caught.value)


def test_a_sound_archive_reads_member_by_member_with_its_sha256():
    data = os.urandom(3_000_000)
    with SafeZip(make_zip({"files/a.txt": data, "dir/": b""})) as archive:
        assert list(archive.members) == ["files/a.txt"]
        with archive.open("files/a.txt") as stream:
            sizes = [len(chunk) for chunk in stream.chunks(1_000_000)]
            assert stream.hexdigest() == hashlib.sha256(data).hexdigest()
    assert sizes == [1_000_000, 1_000_000, 1_000_000]


def test_extract_gives_a_temporary_upload_checked_against_the_manifest():
    data = b"hello"
    with SafeZip(make_zip({"files/a.txt": data})) as archive:
        upload = archive.extract(
            "files/a.txt", sha256=hashlib.sha256(data).hexdigest(), size=len(data)
        )
        with upload:
            assert upload.name == "a.txt"
            assert upload.size == 5
            assert upload.read() == data
        with pytest.raises(ArchiveRefused, match="does not match the SHA-256"):
            archive.extract("files/a.txt", sha256="0" * 64)
        with pytest.raises(ArchiveRefused, match="does not match the SHA-256 and size"):
            archive.extract("files/a.txt", size=6)


def test_a_file_that_is_not_a_zip_is_refused():
    assert "not a ZIP archive" in refusal(io.BytesIO(b"just some text, not an archive"))


def test_a_truncated_archive_is_refused():
    buffer = make_zip({"a.txt": b"a" * 1000, "b.txt": b"b" * 1000})
    assert "damaged or incomplete" in refusal(truncated(buffer))


def test_a_member_whose_bytes_were_changed_is_refused_when_read():
    buffer = make_zip({"a.txt": b"marker-123 and more"}, compression=zipfile.ZIP_STORED)
    message = refusal(flipped_byte_in(buffer, b"marker-123"), read="a.txt")
    assert "“a.txt” in the archive is damaged" in message


@pytest.mark.parametrize(
    "name",
    ["/etc/passwd", "../evil.txt", "files/../../evil.txt", "C:/Windows/x.txt",
     "files\\..\\x.txt", "files//x.txt", "./x.txt", "files/\n.txt"],
)  # fmt: skip
def test_names_that_could_be_written_outside_the_folder_are_refused(name):
    message = refusal(make_zip({"ok.txt": b"1", name: b"2"}))
    assert "could be written outside the folder" in message


def test_a_symlink_is_refused():
    message = refusal(with_symlink("files/link.txt", "/etc/passwd", {"ok.txt": b"1"}))
    assert "“files/link.txt” in the archive is a symbolic link" in message


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_name_held_twice_is_refused():
    assert "more than once" in refusal(with_duplicate("files/a.txt", b"1", b"2"))


def test_names_that_differ_only_in_capitals_count_as_duplicates():
    assert "more than once" in refusal(make_zip({"files/A.txt": b"1", "files/a.txt": b"2"}))


def test_a_file_and_a_folder_of_the_same_name_are_refused():
    message = refusal(make_zip({"files": b"1", "files/a.txt": b"2"}))
    assert "both as a file and as a folder" in message


def test_a_zip_bomb_by_ratio_is_refused():
    buffer = make_zip({"zeros.txt": b"\0" * 20_000_000})
    assert "ZIP bomb" in refusal(buffer)


def test_small_members_may_compress_well():
    with SafeZip(make_zip({"zeros.txt": b"\0" * 500_000})) as archive:
        assert archive.members["zeros.txt"].size == 500_000


def test_a_zip_bomb_by_total_size_is_refused():
    limits = Limits(max_total_bytes=1000)
    assert "ZIP bomb" in refusal(make_zip({"a": b"a" * 600, "b": b"b" * 600}), limits=limits)


def test_a_zip_bomb_by_count_is_refused_from_the_end_record():
    buffer = make_zip({f"f{i}.txt": b"" for i in range(11)})
    assert "more than 10 files" in refusal(buffer, limits=Limits(max_members=10))


def test_overlapping_entries_are_refused():
    buffer = with_overlap({"a.txt": b"a" * 100, "b.txt": b"b" * 100})
    assert "ZIP bomb" in refusal(buffer)


def test_a_member_declaring_less_than_it_holds_is_not_read_past_its_size():
    buffer = make_zip({"a.txt": b"a" * 100})
    data = bytearray(buffer.getvalue())
    directory = data.rfind(b"PK\x01\x02")
    data[directory + 24 : directory + 28] = (10).to_bytes(4, "little")  # declared size
    assert "damaged" in refusal(io.BytesIO(bytes(data)), read="a.txt")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("files/inner.zip", make_zip({"x.txt": b"x"}).getvalue()),
        ("files/inner.txt", make_zip({"x.txt": b"x"}).getvalue()),
        ("files/notes.txt", gzip.compress(b"hello")),
        ("files/backup.tar", b"not really a tar"),
    ],
)
def test_an_archive_inside_the_archive_is_refused(name, data):
    message = refusal(make_zip({name: data}), read=name)
    assert "an archive inside the archive" in message


def test_an_office_document_is_not_taken_for_a_nested_archive():
    document = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    archive = SafeZip(make_zip({"files/essay.docx": document.getvalue()}))
    with archive, archive.open("files/essay.docx") as stream:
        assert stream.read() == document.getvalue()


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        b'<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg/>',
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ELEMENT x ANY>]><x/>',
    ],
)
def test_xml_declaring_a_dtd_or_entities_is_refused(xml):
    message = refusal(make_zip({"files/drawing.svg": xml}), read="files/drawing.svg")
    assert "XML that" in message


def test_an_entity_declared_after_a_long_prolog_is_still_refused():
    xml = b'<?xml version="1.0"?><!--' + os.urandom(1_000_000).hex().encode() + b"-->"
    xml += b'<!DOCTYPE x [<!ENTITY a "a">]><x/>'
    assert "XML that" in refusal(make_zip({"data.xml": xml}), read="data.xml")


def test_an_svg_naming_the_w3c_dtd_is_read():
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + SVG
    )
    archive = SafeZip(make_zip({"files/drawing.svg": xml}))
    with archive, archive.open("files/drawing.svg") as stream:
        assert stream.read() == xml


def test_a_doctype_after_the_root_element_is_just_text():
    xml = SVG[:-2] + b"><text>&lt;!DOCTYPE x [&lt;!ENTITY a 'a'&gt;]&gt;</text></svg>"
    with SafeZip(make_zip({"a.svg": xml})) as archive, archive.open("a.svg") as stream:
        assert stream.read() == xml


@pytest.mark.parametrize(
    ("reference", "base", "expected"),
    [
        ("files/a.png", "", "files/a.png"),
        ("../files/a.png", "pages/index.html", "files/a.png"),
        ("a.png", "files/b.html", "files/a.png"),
    ],
)
def test_resolve_finds_a_relative_link_inside_the_archive(reference, base, expected):
    with SafeZip(make_zip({"files/a.png": b"1", "pages/index.html": b"2"})) as archive:
        assert archive.resolve(reference, base=base) == expected


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("../../etc/passwd", "points outside the archive"),
        ("/etc/passwd", "points outside the archive"),
        ("file:///etc/passwd", "points outside the archive"),
        ("https://example.com/a.png", "points outside the archive"),
        ("C:/a.png", "points outside the archive"),
        ("files/missing.png", "doesn't contain"),
    ],
)
def test_resolve_refuses_links_out_of_the_archive_or_to_nothing(reference, message):
    archive = SafeZip(make_zip({"files/a.png": b"1"}))
    with archive, pytest.raises(ArchiveRefused, match=message):
        archive.resolve(reference, base="pages/index.html")
