"""Stored files follow their rows: removed when the write that needed them fails, and
removed after (never before) a delete commits."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from core.storage import files_delete_on_commit, files_removed_on_error


def test_files_saved_in_a_failing_block_are_removed(_media_root: Path) -> None:
    with pytest.raises(RuntimeError), files_removed_on_error() as saved:
        saved.append(default_storage.save("a/one.txt", ContentFile(b"1")))
        saved.append(default_storage.save("a/two.txt", ContentFile(b"2")))
        raise RuntimeError("the row could not be written")
    assert not any(p.is_file() for p in _media_root.rglob("*"))


def test_files_saved_in_a_successful_block_stay(_media_root: Path) -> None:
    with files_removed_on_error() as saved:
        saved.append(default_storage.save("a/kept.txt", ContentFile(b"1")))
    assert (_media_root / "a/kept.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_delete_on_commit_waits_for_the_commit_and_skips_a_rollback(_media_root: Path) -> None:
    name = default_storage.save("a/file.txt", ContentFile(b"1"))
    with pytest.raises(RuntimeError), transaction.atomic():
        files_delete_on_commit([name])
        raise RuntimeError("rolled back")
    assert (_media_root / name).exists()
    with transaction.atomic():
        files_delete_on_commit([name])
        assert (_media_root / name).exists()
    assert not (_media_root / name).exists()
