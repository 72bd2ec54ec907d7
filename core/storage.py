"""Stored files follow their rows: none is left behind by a failed save, and none is
removed before the delete that orphaned it has committed."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.db import transaction


@contextmanager
def files_removed_on_error() -> Iterator[list[str]]:
    """Collect the storage names saved inside the block; if the block raises (for
    instance because the transaction writing their rows rolled back), delete them."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


def files_delete_on_commit(names: Iterable[str]) -> None:
    """Delete these stored files once the current transaction commits (never if it
    rolls back)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete(names))


def _delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
