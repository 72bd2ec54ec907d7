"""Point Django at a throwaway database and set it up, before any model is imported.

By default the benchmarks use a fresh SQLite file under var/bench/, deleted at the
start of every run. Set BENCH_DATABASE_URL to benchmark another database instead:
the harness FLUSHES it (deletes every row) between data sizes, so never point it at
data you want to keep. DATABASE_URL is deliberately ignored for the same reason.
Stored and temporary upload files go under var/bench/ too, whatever the database,
never into the development media folder; they are deleted at the start of a run.
In debug mode (the default) outbound fetches may reach loopback addresses, so the badge
benchmarks can verify badges served by the bench process itself.
"""

import os
import shutil
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
BENCH_SQLITE = BENCH_DIR / "bench.sqlite3"
BENCH_MEDIA = BENCH_DIR / "media"
BENCH_UPLOAD_TMP = BENCH_DIR / "upload-tmp"
# A static files folder for floor files (a page's own bytes, served as a static file):
# the bench process adds it to STATICFILES_DIRS, servers it starts read
# bench/floor_settings.py. Files go in its FLOOR_STATIC_PREFIX subfolder, so their URLs
# (/static/bench-floor/...) cannot shadow the project's. bench/showcase.py deletes it
# before and after use.
BENCH_FLOOR = BENCH_DIR / "floor"
FLOOR_STATIC_PREFIX = "bench-floor"


def configure() -> str:
    """Set the environment and run django.setup() and migrate; returns the database URL."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    if not database_url:
        BENCH_SQLITE.unlink(missing_ok=True)
        database_url = f"sqlite:///{BENCH_SQLITE}"
    os.environ["DATABASE_URL"] = database_url
    # Left over by an interrupted run: they may hold a gigabyte.
    remove_uploaded_files()
    BENCH_UPLOAD_TMP.mkdir()  # Django's temporary upload files need it to exist
    os.environ["DJANGO_MEDIA_ROOT"] = str(BENCH_MEDIA)
    os.environ["FILE_UPLOAD_TEMP_DIR"] = str(BENCH_UPLOAD_TMP)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    if os.environ["DJANGO_DEBUG"].strip().lower() in {"1", "true", "yes", "on"}:
        # The badge benchmarks verify badges hosted by the bench itself, on loopback.
        # Settings read this once, at setup, and allow it only in debug mode.
        os.environ.setdefault("OUTBOUND_FETCH_ALLOW_LOOPBACK", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return database_url


def reset_database() -> None:
    """Delete every row, so each data size starts from an empty database."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def remove_uploaded_files() -> None:
    """Delete the benchmarks' media and temporary upload folders, if they exist."""
    for folder in (BENCH_MEDIA, BENCH_UPLOAD_TMP):
        shutil.rmtree(folder, ignore_errors=True)
