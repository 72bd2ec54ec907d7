"""An import's progress, written where the learner's page can read it while the import's
own transaction is still open."""

from types import TracebackType

from django.db import connection

from portfolio.models import ArchiveImport, ArchiveImportState


class Progress:
    """Writes an import's stage and counts on a database connection of its own, so they
    show while the import's transaction is open. SQLite has one writer at a time: there
    they are written in the import's transaction and show when it ends (tasks run in the
    web process there by default, so nobody is watching). Use as a context manager."""

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self.own = None if connection.vendor == "sqlite" else connection.copy()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.own is not None:
            self.own.close()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.own is None:
            ArchiveImport.objects.filter(
                pk=self.import_id, state=ArchiveImportState.RUNNING
            ).update(stage=stage[:200], done=done, total=total)
            return
        table = ArchiveImport._meta.db_table
        with self.own.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET stage = %s, done = %s, total = %s "  # noqa: S608 - ours
                "WHERE id = %s AND state = %s",
                [stage[:200], done, total, self.import_id, ArchiveImportState.RUNNING.value],
            )
