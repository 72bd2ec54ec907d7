"""Reads for the import pages: the owner's imports, one import."""

from typing import Any

from django.db.models import QuerySet

from portfolio.models import ArchiveImport


def imports_owned(*, owner: Any) -> QuerySet[ArchiveImport]:
    return ArchiveImport.objects.filter(owner=owner).defer("report")


def import_owned(*, owner: Any, public_id: Any) -> ArchiveImport:
    return ArchiveImport.objects.filter(owner=owner).get(public_id=public_id)
