"""The archive of a whole account: "Download everything" and its import, for an account of
ITEMS pieces of evidence holding, together, a given size of files (BENCH_ARCHIVE_MB,
default 2048), and again for a quarter of that size. Peak memory must not grow with the
files' total size: the archive streams from storage into the ZIP and from the ZIP into
storage, a chunk at a time.

The files are plain text, written straight to storage with their rows (arranging is not
measured). The export runs in a fresh Python process, as a worker does
(`services.export_render` of an archive export: reading the account, copying every file
into the ZIP with its SHA-256, the offline pages, the manifest, storing the ZIP); so does
the import, into a fresh account (`importer.archive_import_run`: every file checked
against the manifest, through the upload checks and quota, stored, its row made, in one
transaction). Each process reports its own time and peak resident size (VmHWM).

BENCH_ARCHIVE_MB sets the larger size (a smaller one for a quick run), BENCH_SCALE the
number of items; BENCH_SKIP_ARCHIVE=1 skips this benchmark, as does too little free disk
under var/bench/ (the files, the ZIP and the imported copies are each on disk at once).
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.db import connections

from bench.environment import BENCH_DIR, BENCH_MEDIA, BENCH_UPLOAD_TMP, reset_database
from bench.harness import BenchmarkError, format_grid, scaled

ITEMS = 1000
SHOWCASE_ITEMS = 50
DEFAULT_MB = 2048
FLAT_MARGIN_MB = 32  # how much more the larger size may peak at and still count as flat
CHILD_TIMEOUT_S = 3600
MB = 1024**2
CHUNK = MB
LINE = b"Bench archive: a line of plain text, repeated to make the learner's files.\n"


def total_mb() -> int:
    return int(os.environ.get("BENCH_ARCHIVE_MB", str(DEFAULT_MB)))


def skip_reason() -> str:
    if os.environ.get("BENCH_SKIP_ARCHIVE") == "1":
        return "BENCH_SKIP_ARCHIVE=1"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    needed = 4 * total_mb() * MB
    free = shutil.disk_usage(BENCH_DIR).free
    if free < needed:
        return f"needs {needed // MB} MB free under var/bench/, has {free // MB} MB"
    return ""


def run() -> list[dict[str, Any]]:
    items = scaled((ITEMS,))[0]
    results = []
    for size_mb in sorted({max(1, total_mb() // 4), total_mb()}):
        reset_database()
        _empty_media()
        started = time.perf_counter()
        export_id = _arrange(items, size_mb * MB)
        arranged_s = time.perf_counter() - started
        connections.close_all()  # the children open their own
        exported = _child("export", export_id)
        import_id = _queue_import(export_id)
        connections.close_all()
        imported = _child("import", import_id)
        results.append(
            {
                "items": items,
                "size_mb": size_mb,
                "arranged_s": arranged_s,
                "export": exported,
                "import": imported,
            }
        )
    _empty_media()
    return results


def _empty_media() -> None:
    shutil.rmtree(BENCH_MEDIA, ignore_errors=True)
    shutil.rmtree(BENCH_UPLOAD_TMP, ignore_errors=True)
    BENCH_UPLOAD_TMP.mkdir(parents=True)


def _arrange(items: int, total: int) -> int:
    """A learner with `items` text files of `total` bytes together, a showcase of some of
    them, and a queued archive export."""
    from accounts.models import Role, User
    from artefacts.models import Artefact, stored_name
    from portfolio.models import Export, ExportKind
    from portfolio.models.exports import new_file_name
    from portfolio.showcases import services

    owner = User.objects.create_user(
        email="archiver@bench.test", password=None, name="Bench Learner", role=Role.LEARNER
    )
    each = total // items
    rows = []
    for n in range(items):
        name = stored_name(None, f"notes-{n + 1}.txt")
        digest = _write(BENCH_MEDIA / name, each, n)
        rows.append(
            Artefact(
                owner=owner,
                kind=Artefact.Kind.FILE,
                title=f"Notes {n + 1}",
                file=name,
                original_filename=f"notes-{n + 1}.txt",
                file_type="text",
                content_type="text/plain; charset=utf-8",
                media="text",
                size=each,
                sha256=digest,
            )
        )
    Artefact.objects.bulk_create(rows, batch_size=500)
    showcase = services.showcase_create(owner=owner, title="Bench showcase")
    section = services.section_add(showcase=showcase, heading="Notes")
    chosen = list(Artefact.objects.filter(owner=owner).order_by("pk")[:SHOWCASE_ITEMS])
    services.items_add(section=section, targets=chosen)
    export = Export.objects.create(
        owner=owner,
        kind=ExportKind.ARCHIVE_ZIP,
        title="Everything",
        file_name=new_file_name("zip"),
        idempotency_key="bench-archive",
    )
    return export.pk


def _write(path: Path, size: int, number: int) -> str:
    """A text file of `size` bytes, written a chunk at a time; its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    chunk = (f"File {number + 1}. ".encode() + LINE) * (CHUNK // (len(LINE) + 12) + 1)
    digest, left = hashlib.sha256(), size
    with path.open("wb") as out:
        while left > 0:
            piece = chunk[: min(left, len(chunk))]
            out.write(piece)
            digest.update(piece)
            left -= len(piece)
    return digest.hexdigest()


def _queue_import(export_id: int) -> int:
    """A fresh learner, and an import of the export's archive queued for them (the
    archive linked into place as if uploaded)."""
    from accounts.models import Role, User
    from portfolio.models import ArchiveImport, Export
    from portfolio.models.archive import new_upload_name

    export = Export.objects.get(pk=export_id)
    if export.state != "done":
        raise BenchmarkError(f"The archive export did not finish: {export.error}")
    fresh = User.objects.create_user(
        email="importer@bench.test", password=None, name="Bench Importer", role=Role.LEARNER
    )
    name = new_upload_name()
    (BENCH_MEDIA / name).parent.mkdir(parents=True, exist_ok=True)
    os.link(BENCH_MEDIA / str(export.file.name), BENCH_MEDIA / name)
    made = ArchiveImport.objects.create(
        owner=fresh, upload=name, size=export.size, idempotency_key="bench-import"
    )
    return made.pk


def _child(task: str, object_id: int) -> dict[str, Any]:
    """Run `task` in a fresh interpreter (see `main`); its JSON report."""
    env = {
        **os.environ,
        "ARTEFACT_QUOTA_BYTES": str(64 * 1024**3),
        "ARCHIVE_MAX_UPLOAD_BYTES": str(64 * 1024**3),
    }
    done = subprocess.run(  # noqa: S603 - our own module, by a fixed argument list
        [sys.executable, "-m", "bench.archive", task, str(object_id)],
        env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BenchmarkError(f"Archive bench child ({task}) failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _peak_rss() -> int:
    """This process's peak resident set (VmHWM), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _export(export_id: int) -> dict[str, Any]:
    from portfolio.exports import services

    started = time.perf_counter()
    export = services.export_render(export_id=export_id)
    seconds = time.perf_counter() - started
    if export is None or export.state != "done":
        raise SystemExit(f"The archive export did not finish: {export and export.error}")
    return {"seconds": seconds, "peak": _peak_rss(), "size": export.size}


def _import(import_id: int) -> dict[str, Any]:
    from portfolio.archive import importer
    from portfolio.models import ArchiveImport

    started = time.perf_counter()
    done = importer.archive_import_run(import_id=import_id)
    seconds = time.perf_counter() - started
    if done is None:
        found = ArchiveImport.objects.get(pk=import_id)
        raise SystemExit(f"The import did not finish: {found.error}")
    created = done.report["created"].get("artefacts", 0)
    return {"seconds": seconds, "peak": _peak_rss(), "artefacts": created}


def format_result(results: list[dict[str, Any]]) -> str:
    cells: list[tuple[str, ...]] = [
        ("files", "items", "ZIP", "export", "export peak RSS", "import", "import peak RSS")
    ]
    for r in results:
        export, imported = r["export"], r["import"]
        if imported["artefacts"] != r["items"]:
            raise BenchmarkError(f"The import made {imported['artefacts']} of {r['items']}")
        cells.append(
            (
                f"{r['size_mb']} MB",
                str(r["items"]),
                f"{export['size'] / MB:.0f} MB",
                f"{export['seconds']:.1f} s",
                f"{export['peak'] / MB:.0f} MB",
                f"{imported['seconds']:.1f} s",
                f"{imported['peak'] / MB:.0f} MB",
            )
        )
    small, large = results[0], results[-1]
    grew = {step: (large[step]["peak"] - small[step]["peak"]) / MB for step in ("export", "import")}
    flat = all(growth <= FLAT_MARGIN_MB for growth in grew.values())
    return (
        f'Archive of a whole account ("Download everything" and its import), '
        f"{small['items']} items of plain-text files\n"
        + format_grid(cells)
        + f"\nPeak memory from {small['size_mb']} MB to {large['size_mb']} MB of files: "
        f"export {grew['export']:+.0f} MB, import {grew['import']:+.0f} MB; flat (within "
        f"{FLAT_MARGIN_MB} MB): {'yes' if flat else 'no'}. Each export and import ran in a "
        "fresh process; peak RSS is its VmHWM."
    )


def main() -> int:
    """`python -m bench.archive export|import <id>`: one measurement, in this process, on
    the bench database `bench` set up (the environment comes from the parent)."""
    import django

    django.setup()
    task, object_id = sys.argv[1], int(sys.argv[2])
    report = _export(object_id) if task == "export" else _import(object_id)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
