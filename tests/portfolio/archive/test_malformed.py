"""Every malformed, truncated or tampered archive is refused with a message saying what
is wrong, and leaves nothing behind: no rows in the account, no files in storage."""

import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest

from portfolio.archive.safezip import ArchiveRefused
from portfolio.models import ArchiveImport, ArchiveImportState, ImportedRecord
from tests import filemakers as make
from tests.portfolio.archive.builders import (
    account_rows,
    import_archive,
    relisted,
    rezip,
    stored_files,
    with_manifest,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def refused(people: Any, _media_root: Path):
    """Import `data` into an empty account: the refusal's message, after checking that
    nothing of the archive was kept."""

    def attempt(data: bytes) -> str:
        before = stored_files(_media_root)
        try:
            made = import_archive(people.classmate, data)
        except ArchiveRefused as refusal:
            message = str(refusal)
            assert not ArchiveImport.objects.exists()
        else:
            assert made.state == ArchiveImportState.FAILED, made.report
            assert made.upload.name == ""
            message = made.error
        assert set(account_rows(people.classmate).values()) == {0}
        assert not ImportedRecord.objects.exists()
        assert stored_files(_media_root) == before
        return message

    return attempt


def _path(data: bytes, prefix: str, suffix: str = "") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return next(n for n in archive.namelist() if n.startswith(prefix) and n.endswith(suffix))


def _added(data: bytes, info: zipfile.ZipInfo, content: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr(info, content)
    return out.getvalue()


def test_a_file_that_is_not_a_zip(refused):
    assert "not a ZIP archive" in refused(b"This is a letter, not an archive.")


def test_a_truncated_archive(refused, archive):
    assert "damaged or incomplete" in refused(archive[: len(archive) // 2])


def test_a_zip_without_a_manifest(refused, archive):
    data = rezip(archive, lambda members: members.pop("manifest.json"))
    assert "has no manifest.json" in refused(data)


def test_a_manifest_that_is_not_json(refused, archive):
    data = rezip(archive, lambda members: members.update({"manifest.json": b"{not json"}))
    assert "manifest.json is damaged: it is not readable JSON" in refused(data)


def test_a_manifest_with_a_record_of_the_wrong_shape(refused, archive):
    data = with_manifest(archive, lambda m: m["artefacts"][0].update(title=5))
    assert "manifest.json is not valid: artefacts[0].title must be a text" in refused(data)


def test_a_manifest_of_another_format(refused, archive):
    data = with_manifest(archive, lambda m: m.update(format="something-else"))
    assert "manifest.json is not one of ours" in refused(data)


def test_an_unknown_version(refused, archive):
    data = with_manifest(archive, lambda m: m.update(version=2))
    assert "newer format (version 2) than this site reads (version 1)" in refused(data)


def test_a_file_changed_after_the_archive_was_made(refused, archive):
    pdf = _path(archive, "files/artefacts/", ".pdf")
    data = rezip(archive, lambda members: members.update({pdf: make.pdf("Forged")}))
    assert f"“{pdf}” in the archive does not match the SHA-256" in refused(data)


def test_an_offline_page_changed_after_the_archive_was_made(refused, archive):
    data = rezip(archive, lambda members: members.update({"index.html": b"<p>changed</p>"}))
    assert "“index.html” in the archive does not match the SHA-256" in refused(data)


def test_a_file_the_manifest_does_not_list(refused, archive):
    data = rezip(archive, lambda members: members.update({"files/extra.txt": b"hello"}))
    assert "holds “files/extra.txt”, which its manifest does not list" in refused(data)


@pytest.mark.parametrize("name", ["../evil.txt", "files/../../evil.txt"])
def test_path_traversal_in_a_name(refused, archive, name):
    data = _added(archive, zipfile.ZipInfo(name), b"evil")
    assert f"a file named “{name}”, which could be written outside" in refused(data)


def test_an_absolute_path_in_a_name(refused, archive):
    data = _added(archive, zipfile.ZipInfo("/etc/cron.d/evil"), b"evil")
    assert "“/etc/cron.d/evil”, which could be written outside" in refused(data)


def test_a_symlink(refused, archive):
    link = zipfile.ZipInfo("files/passwd")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    data = _added(archive, link, b"/etc/passwd")
    assert "“files/passwd” in the archive is a symbolic link" in refused(data)


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_duplicate_name(refused, archive):
    data = _added(archive, zipfile.ZipInfo("manifest.json"), b"{}")
    assert "holds “manifest.json” more than once" in refused(data)


def test_a_zip_bomb_by_ratio(refused, archive):
    bomb = zipfile.ZipInfo("files/zeros.txt")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    data = _added(archive, bomb, b"\0" * 50_000_000)
    assert "(a “ZIP bomb”)" in refused(data)


def test_a_zip_bomb_by_count(refused, archive, settings):
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        settings.ARCHIVE_MAX_MEMBERS = len(opened.namelist()) - 1
    assert f"more than {settings.ARCHIVE_MAX_MEMBERS:,} files" in refused(archive)


def _replaced(archive: bytes, path: str, content: bytes) -> bytes:
    """The archive with one file's bytes replaced and listed again (hash and size), as a
    careful forger would."""

    def change(members: dict[str, bytes]) -> None:
        members[path] = content
        manifest = json.loads(members["manifest.json"])
        relisted(manifest, path, content)
        members["manifest.json"] = json.dumps(manifest).encode()

    return rezip(archive, change)


def test_a_nested_archive(refused, archive):
    notes = _path(archive, "files/artefacts/", "notes.txt")
    data = _replaced(archive, notes, make.zip_archive({"inner.txt": b"x"}))
    assert f"We don't read “{notes}” in the archive: it is an archive inside" in refused(data)


def test_xml_with_entities(refused, archive):
    notes = _path(archive, "files/artefacts/", "notes.txt")
    xml = b'<?xml version="1.0"?><!DOCTYPE n [<!ENTITY a "aaaaaaaa">]><n>&a;&a;</n>'
    data = _replaced(archive, notes, xml)
    assert "it is XML that declares a document type of its own (a DTD)" in refused(data)


def test_a_file_that_fails_the_upload_checks(refused, archive):
    notes = _path(archive, "files/artefacts/", "notes.txt")
    data = _replaced(archive, notes, make.exe())
    assert "“Private notes” in the archive can't be added to your account" in refused(data)


def test_a_record_pointing_outside_the_archive(refused, archive):
    def edit(manifest: dict[str, Any]) -> None:
        stored = next(a for a in manifest["artefacts"] if a["file"])
        stored["file"]["path"] = "../../etc/passwd"

    assert "(“../../etc/passwd”) points outside the archive" in refused(
        with_manifest(archive, edit)
    )


def test_a_record_pointing_at_a_file_the_manifest_does_not_list(refused, archive):
    def edit(manifest: dict[str, Any]) -> None:
        stored = next(a for a in manifest["artefacts"] if a["file"])
        stored["file"]["path"] = "index.html"
        manifest["files"] = [f for f in manifest["files"] if f["path"] != "index.html"]

    message = refused(with_manifest(archive, edit))
    assert "holds “index.html”, which its manifest does not list" in message


def test_files_over_the_learners_quota(refused, archive, settings):
    settings.ARTEFACT_QUOTA_BYTES = 1000
    message = refused(archive)
    assert "The files in this archive need" in message
    assert "but your account has 1000\xa0bytes left" in message


def test_two_records_with_the_same_id(refused, archive):
    data = with_manifest(archive, lambda m: m["goals"].append(dict(m["goals"][0])))
    assert "goals[1].id is the id of an earlier record too" in refused(data)
