"""The showcase PDF export: a 100-item showcase of 100 photos of 12 megapixels.

The photos are made with Pillow (a smooth scene with some grain, as a phone photo
compresses) and uploaded as a learner uploads them: `artefact_create_file`, then the
preview task (`artefact_prepare_preview`), which makes each photo's served copy, print
copy and thumbnail. The export then runs in a fresh Python process, as a worker does:
`services.export_render` (each photo's print copy copied in, layout, tagged PDF/A,
signing, hashing, storing, the notification). That process reports its own peak resident
size (VmHWM) and the time.

The floor, in another fresh process in the same run: WeasyPrint alone rendering the same
final HTML with the same prepared images (a plain PDF, no tags, PDF/A or signature;
tagging and PDF/A-3u measured no slower than plain on this document), and nothing else:
no HTML building, signature, hashing or storing.
Both processes load the URLconf before the clock starts, as any worker has once it has
run a task that links somewhere (the export's notification links to it). Neither is
otherwise warmed: WeasyPrint's first-use costs (fonts, cffi) count in both.
Export and floor take ROUNDS turns; the table shows the median times.
Goals: at most GOAL_RATIO x the floor, peak RSS at most GOAL_RSS_MB, the PDF at most
GOAL_PDF_MB. BENCH_SCALE multiplies the number of items (and photos).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.db import connections

from bench.environment import BENCH_DIR, reset_database
from bench.harness import BenchmarkError, format_grid, scaled

ITEMS = 100
PHOTO_SIZE = (4000, 3000)  # 12 megapixels
SECTIONS = 5
GOAL_RATIO = 1.25
GOAL_RSS_MB = 600
GOAL_PDF_MB = 20
CHILD_TIMEOUT_S = 1800
ROUNDS = 3  # the median of three, each export and floor in a fresh process
MB = 1024**2


def run() -> dict[str, Any]:
    reset_database()
    count = scaled((ITEMS,))[0]
    started = time.perf_counter()
    export_ids = _arrange(count)
    arranged_s = time.perf_counter() - started
    connections.close_all()  # the children open their own
    exports, floors = [], []
    for export_id in export_ids:  # taken in turns, so a busy spell hits both alike
        exports.append(run_child("export", export_id))
        floors.append(run_child("floor", export_id))
    return {
        "items": count,
        "arranged_s": arranged_s,
        "rounds": len(export_ids),
        "export": median_report(exports),
        "floor": median_report(floors),
    }


def median_report(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The median time of the rounds; the highest peak RSS and the last size."""
    return {
        **reports[-1],
        "seconds": statistics.median(r["seconds"] for r in reports),
        "peak": max(r["peak"] for r in reports),
    }


def _arrange(count: int) -> list[int]:
    """A learner, `count` photos in a showcase of SECTIONS sections, and ROUNDS queued
    exports of it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Role, User
    from artefacts.models import Artefact
    from artefacts.services import Details, artefact_create_file, artefact_prepare_preview
    from portfolio.models import Export, ExportKind
    from portfolio.showcases import services

    owner = User.objects.create_user(
        email="exporter@bench.test", password=None, name="Bench Learner", role=Role.LEARNER
    )
    showcase = services.showcase_create(
        owner=owner, title="Site photography portfolio", audience="Acme Ltd"
    )
    base = _scene()
    sections = [
        services.section_add(showcase=showcase, heading=f"Site visit {n + 1}")
        for n in range(SECTIONS)
    ]
    for i in range(count):
        photo = artefact_create_file(
            owner=owner,
            upload=SimpleUploadedFile(f"photo-{i + 1}.jpg", _photo(base, i)),
            details=Details(title=f"Photo {i + 1}"),
        )
        artefact_prepare_preview(artefact_id=photo.pk)  # a no-op if it ran in-process
        photo.refresh_from_db()
        if photo.preview != Artefact.Preview.READY or not photo.print_file:
            raise BenchmarkError(f"Photo {i + 1}: no print copy was prepared")
        services.items_add(
            section=sections[i % SECTIONS],
            targets=[photo],
            caption=f"Photo {i + 1}: the north elevation before work started.",
        )
    exports = [
        Export.objects.create(
            owner=owner,
            showcase=showcase,
            kind=ExportKind.SHOWCASE_PDF,
            title=showcase.title,
            idempotency_key=f"bench-export-{round_}",
        )
        for round_ in range(ROUNDS)
    ]
    return [export.pk for export in exports]


def _scene() -> Any:
    """A 12-megapixel picture with smooth areas and some grain, like a photograph."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = PHOTO_SIZE
    sky = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    scene = Image.merge("RGB", (sky.getchannel(0), sky.getchannel(0).point(lambda v: v // 2 + 60),
                                Image.new("L", (width, height), 180)))  # fmt: skip
    draw = ImageDraw.Draw(scene)
    for n in range(40):
        x, y = (n * 397) % width, (n * 613) % height
        draw.ellipse((x, y, x + 300 + n * 7, y + 200 + n * 5), fill=(40 + n * 4, 120, 200 - n * 3))
    grain = Image.effect_noise((width, height), 12).convert("RGB")
    return Image.blend(scene.filter(ImageFilter.GaussianBlur(3)), grain, 0.08)


def _photo(base: Any, number: int) -> bytes:
    """The scene with this photo's number drawn on it, so no two files are the same."""
    import io

    from PIL import ImageDraw

    image = base.copy()
    ImageDraw.Draw(image).rectangle((100, 100, 400 + number * 20, 300), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def run_child(task: str, export_id: int) -> dict[str, Any]:
    """Run `task` ("export" or "floor") on any kind of export in a fresh interpreter (see
    `main`); its JSON report. bench/apel.py measures the APEL PDF with it too."""
    env = {**os.environ, "EXPORT_SIGNING_DEV_DIR": str(BENCH_DIR / "signing")}
    done = subprocess.run(  # noqa: S603 - our own module, by a fixed argument list
        [sys.executable, "-m", "bench.exports", task, str(export_id)],
        env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BenchmarkError(f"Export bench child ({task}) failed:\n{done.stderr[-4000:]}")
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
        raise SystemExit(f"The export did not finish: {export and export.error}")
    return {"seconds": seconds, "peak": _peak_rss(), "size": export.size, "pdfa": export.pdfa}


def _floor(export_id: int) -> dict[str, Any]:
    """WeasyPrint alone on the export's final HTML and prepared images (a plain PDF), for
    any kind of export (its context builder makes the HTML, untimed)."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcherResponse

    from portfolio.exports.kinds import kind_of
    from portfolio.exports.renderer import FILE_SCHEME, STATIC_SCHEME
    from portfolio.models import Export

    export = Export.objects.select_related(
        "showcase", "owner", "claim__learner", "claim__programme__institution"
    ).get(pk=export_id)
    document = kind_of(export).build(export, lambda *_: None)

    def fetch(url: str, headers: Any = None) -> URLFetcherResponse:
        scheme, _, rest = url.partition(":")
        path = document.files[rest] if scheme == FILE_SCHEME else Path(finders.find(rest))  # type: ignore[arg-type]
        return URLFetcherResponse(url, path.read_bytes())

    assert all(name for name in document.stylesheets)
    target = document.folder / "floor.pdf"
    try:
        started = time.perf_counter()
        styles = [CSS(url=f"{STATIC_SCHEME}:{n}", url_fetcher=fetch) for n in document.stylesheets]
        HTML(string=document.html, url_fetcher=fetch).write_pdf(target, stylesheets=styles)
        seconds = time.perf_counter() - started
        size = target.stat().st_size
    finally:
        document.close()
    return {"seconds": seconds, "peak": _peak_rss(), "size": size}


def format_result(result: dict[str, Any]) -> str:
    export, floor = result["export"], result["floor"]
    ratio = export["seconds"] / floor["seconds"]
    peak_mb, size_mb = export["peak"] / MB, export["size"] / MB
    yes = {True: "yes", False: "no"}
    cells: list[tuple[str, ...]] = [
        ("export", "measured", "floor", "goal", "met"),
        ("time", f"{export['seconds']:.1f} s", f"{floor['seconds']:.1f} s",
         f"<= {GOAL_RATIO}x floor ({ratio:.2f}x)", yes[ratio <= GOAL_RATIO]),
        ("peak RSS", f"{peak_mb:.0f} MB", f"{floor['peak'] / MB:.0f} MB",
         f"<= {GOAL_RSS_MB} MB", yes[peak_mb <= GOAL_RSS_MB]),
        ("PDF size", f"{size_mb:.1f} MB", f"{floor['size'] / MB:.1f} MB",
         f"<= {GOAL_PDF_MB} MB", yes[size_mb <= GOAL_PDF_MB]),
    ]  # fmt: skip
    return (
        f"Showcase PDF export: {result['items']} items, {result['items']} photos of "
        f"{PHOTO_SIZE[0] * PHOTO_SIZE[1] / 1e6:.0f} MP ({export['pdfa'] or 'plain PDF'}, "
        f"signed; photos made in {result['arranged_s']:.0f} s)\n"
        + format_grid(cells)
        + "\nFloor: WeasyPrint alone on the same final HTML and prepared images (plain "
        "PDF). Photos uploaded through the preview task. Times are the median of "
        f"{result['rounds']} rounds, each export and floor in a fresh process with its "
        "URLconf loaded; peak RSS is the highest VmHWM."
    )


def _load_urlconf() -> None:
    """Import every URL module and view, as reverse() does the first time a process
    calls it: once per worker, not once per export."""
    import uuid

    from django.urls import reverse

    reverse("exports:detail", kwargs={"public_id": uuid.UUID(int=0)})


def main() -> int:
    """`python -m bench.exports export|floor <id>`: one measurement, in this process, on
    the bench database `bench` set up (the environment comes from the parent)."""
    import django

    django.setup()
    _load_urlconf()
    task, export_id = sys.argv[1], int(sys.argv[2])
    report = _export(export_id) if task == "export" else _floor(export_id)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
