"""Reads for the archive import pages: the owner's imports of our own archives, one of
them. Leap2A imports share the model and have their own pages (leap2a_selectors)."""

from typing import Any

from django.db.models import QuerySet

from portfolio.archive.leap2a_jobs import LEAP2A_IMPORT
from portfolio.models import ArchiveImport


def _archives(owner: Any) -> QuerySet[ArchiveImport]:
    return ArchiveImport.objects.filter(owner=owner).exclude(archive_id=LEAP2A_IMPORT)


def imports_owned(*, owner: Any) -> QuerySet[ArchiveImport]:
    return _archives(owner).defer("report")


def import_owned(*, owner: Any, public_id: Any) -> ArchiveImport:
    return _archives(owner).get(public_id=public_id)
