"""A malformed, truncated or tampered Leap2A archive is refused with a message saying what
is wrong, and imports nothing: no rows, no files."""

import io
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage

from portfolio.archive.leap2a_feed import Leap2ARefused
from portfolio.archive.leap2a_import import leap2a_import
from portfolio.archive.leap2a_parse import parse_feed
from portfolio.archive.safezip import ArchiveRefused
from tests.portfolio.archive.leap2a_samples import (
    member,
    nothing_imported,
    rewritten,
    sample_bytes,
    with_feed,
    zip_of,
)
from tests.portfolio.archive.zips import make_zip, with_duplicate, with_overlap, with_symlink

SAMPLE_FIRST_IMAGE = "export_info/files/15-evidence-10-5.png"
ENCLOSURE = b'href="export_info/files/15-evidence-10-5.png"'
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE feed [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol3;</title></feed>"""


def _doctype(doctype: bytes) -> bytes:
    """The sample with a document type declared in its leap2a.xml."""

    def declared(xml: bytes) -> bytes:
        return xml.replace(b"<feed ", doctype + b"\n<feed ", 1)

    return with_feed(sample_bytes(), declared)


def _enclosure(href: bytes) -> bytes:
    return with_feed(sample_bytes(), lambda xml: xml.replace(ENCLOSURE, b'href="' + href + b'"'))


def _feed(xml: bytes) -> bytes:
    return with_feed(sample_bytes(), lambda _xml: xml)


def _member_replaced(name: str, data: bytes | None) -> bytes:
    return rewritten(sample_bytes(), lambda n, d: data if n == name else d)


def _sample_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(sample_bytes())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with_members(extra: dict[str, bytes]) -> bytes:
    return make_zip({**_sample_members(), **extra}).getvalue()


def _feed_twice() -> bytes:
    with warnings.catch_warnings():  # zipfile warns, and writes it anyway
        warnings.simplefilter("ignore")
        feed = member(sample_bytes(), "leap2a.xml")
        return with_duplicate("leap2a.xml", feed, b"<feed/>").getvalue()


OUTSIDE = "points outside the archive"
UNSAFE_NAME = "could be written outside the folder it is unpacked into"
BOMB = "ZIP bomb"
DTD = "declares a document type"
NOT_XML = "leap2a.xml is not well-formed XML"
SAMPLE_XML = member(sample_bytes(), "leap2a.xml")
REFUSED = {
    "a DTD with entities": (_doctype(b'<!DOCTYPE feed [<!ENTITY who "Lena">]>'), DTD),
    "an external entity": (
        _doctype(b'<!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
        DTD,
    ),
    "billion laughs": (zip_of({"leap2a.xml": BILLION_LAUGHS}), DTD),
    "an outside DTD": (
        _doctype(b'<!DOCTYPE html SYSTEM "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'),
        "leap2a.xml declares a document type (a DTD)",
    ),
    "an enclosure going up out of the archive": (_enclosure(b"../../etc/passwd"), OUTSIDE),
    "an enclosure with an absolute path": (_enclosure(b"/etc/passwd"), OUTSIDE),
    "an enclosure that is a web address": (_enclosure(b"https://attacker.example/x"), OUTSIDE),
    "an enclosure escaping once decoded": (_enclosure(b"a/%2e%2e/%2e%2e/etc/passwd"), OUTSIDE),
    "an enclosure naming a file not in the archive": (
        _enclosure(b"export_info/files/99-missing.png"),
        "names a file the archive doesn't contain",
    ),
    "no leap2a.xml": (
        _member_replaced("leap2a.xml", None),
        "This archive has no leap2a.xml, so it is not a Leap2A export",
    ),
    "leap2a.xml that is not XML": (_feed(b"This is not XML at all."), NOT_XML),
    "leap2a.xml cut short": (_feed(SAMPLE_XML[: len(SAMPLE_XML) // 2]), NOT_XML),
    "XML that is not a feed": (_feed(b"<html><body>Hi</body></html>"), "not a Leap2A feed"),
    "another Leap2A version": (
        _feed(SAMPLE_XML.replace(b"2010-07", b"2009-03", 1)),
        "says it is Leap2A version",
    ),
    "two entries with the same id": (
        _feed(SAMPLE_XML.replace(b"artefact12</id>", b"artefact10</id>")),
        "Two entries in leap2a.xml have the same id",
    ),
    "a truncated archive": (sample_bytes()[:2500], "not a ZIP archive, or it is damaged"),
    "not a ZIP at all": (b"%PDF-1.7 pretending", "not a ZIP archive"),
    "a name going up out of the folder": (_with_members({"../evil.png": b"x"}), UNSAFE_NAME),
    "an absolute name": (_with_members({"/etc/cron.d/evil": b"x"}), UNSAFE_NAME),
    "a symbolic link": (
        with_symlink("export_info/files/link.png", "/etc/passwd", _sample_members()).getvalue(),
        "is a symbolic link",
    ),
    "a name twice": (_feed_twice(), "more than once"),
    "a bomb by ratio": (_with_members({"export_info/files/zeros.txt": bytes(8 << 20)}), BOMB),
    "a bomb by overlapping entries": (with_overlap(_sample_members()).getvalue(), BOMB),
    "a nested archive": (
        _member_replaced(SAMPLE_FIRST_IMAGE, zip_of({"a": b"x"})),
        "an archive inside the archive",
    ),
}


@pytest.mark.parametrize(("archive", "says"), REFUSED.values(), ids=REFUSED.keys())
def test_a_bad_archive_is_refused_and_imports_nothing(
    people, _media_root: Path, archive: bytes, says: str
) -> None:
    with pytest.raises(ArchiveRefused) as refused:
        leap2a_import(owner=people.learner, source=io.BytesIO(archive))

    assert says in str(refused.value)
    assert nothing_imported(people.learner, _media_root)


def test_an_archive_of_too_many_files_is_refused(people, settings, _media_root: Path) -> None:
    """A ZIP bomb by count: more entries than we read, refused from the directory alone."""
    settings.ARCHIVE_MAX_MEMBERS = 50
    archive = _with_members({f"export_info/files/{n}.txt": b"x" for n in range(60)})

    with pytest.raises(ArchiveRefused, match="more than 50 files"):
        leap2a_import(owner=people.learner, source=io.BytesIO(archive))

    assert nothing_imported(people.learner, _media_root)


@pytest.mark.parametrize(
    ("xml", "says"),
    [
        (BILLION_LAUGHS, "declares a document type"),
        (b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "b">]><feed>&a;</feed>', "DTD"),
        (b'<!DOCTYPE feed SYSTEM "http://example.org/feed.dtd"><feed/>', "DTD"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'>&undefined;</feed>", "not well-formed"),
        (b"<a>" * 300 + b"</a>" * 300, "nested more deeply"),
    ],
    ids=["billion laughs", "internal entity", "external DTD", "undeclared entity", "deep"],
)
def test_the_feed_parser_refuses_dtds_and_entities_on_its_own(xml: bytes, says: str) -> None:
    """Not only the ZIP reader's check: the XML parser itself refuses them."""
    with pytest.raises(Leap2ARefused, match=says):
        parse_feed(xml)


class _FailingStorage(FileSystemStorage):
    """A disk that fills up after the first file (a failure half way through)."""

    saved = 0

    def _save(self, name: str, content: Any) -> str:
        type(self).saved += 1
        if type(self).saved > 1:
            raise OSError("No space left on device")
        return str(super()._save(name, content))  # type: ignore[misc]


def test_a_failure_half_way_leaves_no_rows_and_removes_the_files_stored(
    people, settings, _media_root: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}._FailingStorage",
            "OPTIONS": {"location": _media_root},
        },
    }
    _FailingStorage.saved = 0

    with pytest.raises(OSError, match="No space left"):
        leap2a_import(owner=people.learner, source=io.BytesIO(sample_bytes()))

    assert _FailingStorage.saved == 2  # the first file was stored, then removed again
    assert nothing_imported(people.learner, _media_root)


def test_files_that_do_not_fit_in_the_quota_refuse_the_import_before_anything_is_written(
    people, settings, _media_root: Path
) -> None:
    settings.ARTEFACT_QUOTA_BYTES = 1000  # the sample's two images take 1,873 bytes

    with pytest.raises(ArchiveRefused, match="more than the space you have left"):
        leap2a_import(owner=people.learner, source=io.BytesIO(sample_bytes()))

    assert nothing_imported(people.learner, _media_root)


def test_a_file_the_upload_checks_refuse_is_skipped_with_their_reason(
    people, _media_root: Path
) -> None:
    """Not a tampered archive, just a file we don't accept: the rest is imported."""
    archive = rewritten(
        sample_bytes(),
        lambda name, data: b"MZ\x90\x00 a program" if name == SAMPLE_FIRST_IMAGE else data,
    )

    report = leap2a_import(owner=people.learner, source=io.BytesIO(archive))

    [line] = [line for line in report.skipped if line.kind == "artefact"]
    assert line.title == "evidence-10-5.png"
    assert "is really an executable program" in line.reason
    [item] = [line for line in report.skipped if line.kind == "item"]
    assert item.title == "evidence-10-5.png"
    assert "was not imported (see above)" in item.reason
    assert report.count("artefact") == 1
    assert report.count("reflection") == 8


def test_a_file_over_the_evidence_size_limit_is_skipped_with_the_reason(
    people, settings, _media_root: Path
) -> None:
    settings.ARTEFACT_MAX_UPLOAD_BYTES = 935  # the sample's images are 931 and 942 bytes

    report = leap2a_import(owner=people.learner, source=io.BytesIO(sample_bytes()))

    [line] = [line for line in report.skipped if line.kind == "artefact"]
    assert line.title == "evidence-10-10.png"
    assert "larger than the" in line.reason and "limit" in line.reason
    assert report.count("artefact") == 1
    assert report.count("reflection") == 8
