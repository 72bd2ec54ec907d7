"""One large upload to a real server: its peak memory must not follow the file's size.

A learner's file streams to a temporary file as it arrives (see
artefacts/uploadhandlers.py), so uploading 1 GB should raise the server process's
peak resident size (VmHWM) by much less than MEMORY_BUDGET_MB. The bench streams the
request body from a generator, so it never holds the file either. The floor is
writing the same bytes to a local file in the same run.

BENCH_UPLOAD_MB (default 1024) sets the file's size; BENCH_SKIP_UPLOAD=1 skips this
benchmark, as does less than MIN_FREE_BYTES of free disk under var/bench/.
"""

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.urls import reverse

from artefacts.models import Artefact
from bench import datagen
from bench.environment import (
    BENCH_DIR,
    BENCH_MEDIA,
    BENCH_UPLOAD_TMP,
    remove_uploaded_files,
    reset_database,
)
from bench.harness import BenchmarkError, format_grid
from bench.server import Server, running_server

MB = 1024**2
DEFAULT_UPLOAD_MB = 1024
MEMORY_BUDGET_MB = 64
MIN_FREE_BYTES = 5 * 1024**3
WARM_UP_MB = 4  # over Django's 2.5 MB in-memory limit, so it takes the temporary-file path
UPLOAD_TIMEOUT_S = 900
LINE = b"Bench upload: one plain-text line, repeated to make a large file.\n"
FLOOR_FILE = BENCH_DIR / "upload-floor.txt"
FLOOR_REPEAT = 2


@dataclass(frozen=True)
class UploadResult:
    size_mb: int
    upload_s: float
    floor_s: float
    peak_before: int  # bytes
    peak_after: int
    temp_files_left: int

    @property
    def increase_mb(self) -> float:
        return (self.peak_after - self.peak_before) / MB

    @property
    def within_budget(self) -> bool:
        return self.increase_mb < MEMORY_BUDGET_MB


def upload_mb() -> int:
    raw = os.environ.get("BENCH_UPLOAD_MB", str(DEFAULT_UPLOAD_MB))
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"BENCH_UPLOAD_MB must be a whole number, not {raw!r}.") from None
    if value < 1:
        raise SystemExit(f"BENCH_UPLOAD_MB must be at least 1, not {raw!r}.")
    return value


def skip_reason() -> str:
    """Why the upload benchmark cannot run now, or "" if it can."""
    if os.environ.get("BENCH_SKIP_UPLOAD", "") not in ("", "0"):
        return "BENCH_SKIP_UPLOAD is set"
    free = shutil.disk_usage(BENCH_DIR).free
    if free < MIN_FREE_BYTES:
        needed = MIN_FREE_BYTES // 1024**3
        return f"only {free / 1024**3:.1f} GB free under {BENCH_DIR}, {needed} GB needed"
    return ""


def _content(size: int) -> Iterator[bytes]:
    """`size` bytes of plain text, a megabyte at a time."""
    chunk = (LINE * (MB // len(LINE) + 1))[:MB]
    whole, rest = divmod(size, MB)
    for _ in range(whole):
        yield chunk
    if rest:
        yield chunk[:rest]


@dataclass(frozen=True)
class Multipart:
    """A multipart/form-data body, produced as it is sent."""

    content_type: str
    length: int
    body: Iterator[bytes]


def _multipart(fields: dict[str, str], *, filename: str, size: int) -> Multipart:
    """`fields` and one file, "files", of `size` bytes of plain text."""
    boundary = f"bench-{uuid.uuid4().hex}"
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        yield from _content(size)
        yield tail

    return Multipart(
        content_type=f"multipart/form-data; boundary={boundary}",
        length=len(head) + size + len(tail),
        body=body(),
    )


def _write_floor(size: int) -> float:
    """Seconds to write `size` bytes of the same content to a local file, the faster of
    FLOOR_REPEAT writes: the first write into memory the machine has not used yet can
    be several times slower (seen on a VM), and the upload that follows reuses it."""
    timings = []
    for _ in range(FLOOR_REPEAT):
        try:
            start = time.perf_counter()
            with FLOOR_FILE.open("wb") as floor:
                for chunk in _content(size):
                    floor.write(chunk)
            timings.append(time.perf_counter() - start)
        finally:
            FLOOR_FILE.unlink(missing_ok=True)
    return min(timings)


@dataclass(frozen=True)
class Login:
    """A signed-in learner's cookies, as a browser would send them to the server."""

    session: str
    csrf: str = ""

    def headers(self) -> dict[str, str]:
        cookies = f"{settings.SESSION_COOKIE_NAME}={self.session}"
        if not self.csrf:
            return {"Cookie": cookies}
        return {
            "Cookie": f"{cookies}; {settings.CSRF_COOKIE_NAME}={self.csrf}",
            "X-CSRFToken": self.csrf,
        }


def _sign_in_learner() -> Login:
    """A new learner with a session saved in the database the server reads."""
    learner = datagen.generate(learners=1).sample_learner
    client = Client()
    client.force_login(learner)
    return Login(session=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _open_upload_page(server: Server, url: str, login: Login) -> Login:
    """GET the upload page, as a browser does first; it sets the CSRF cookie."""
    response = server.request("GET", url, headers=login.headers())
    if response.status != 200:
        raise BenchmarkError(f"GET {url} answered {response.status}, not 200; check the login.")
    csrf = response.cookies.get(settings.CSRF_COOKIE_NAME, "")
    if not csrf:
        raise BenchmarkError(f"GET {url} set no {settings.CSRF_COOKIE_NAME} cookie.")
    return Login(session=login.session, csrf=csrf)


def _upload(server: Server, url: str, login: Login, *, filename: str, size: int) -> float:
    """POST one file as the upload page's script does; seconds until the answer is read."""
    form = _multipart(
        {"visibility": "tutors", "learned_on": "2026-01-01", "tags": ""},
        filename=filename,
        size=size,
    )
    headers = {
        **login.headers(),
        "Accept": "application/json",
        "Content-Type": form.content_type,
        "Content-Length": str(form.length),
    }
    start = time.perf_counter()
    response = server.request(
        "POST", url, headers=headers, body=form.body, timeout=UPLOAD_TIMEOUT_S
    )
    elapsed = time.perf_counter() - start
    try:
        results = json.loads(response.body)["results"]
    except (ValueError, KeyError, TypeError):
        results = None
    if response.status != 200 or not results or not all(r.get("ok") for r in results):
        raise BenchmarkError(
            f"Uploading {filename} ({size} bytes) answered {response.status}: "
            f"{response.body[:500]!r}"
        )
    return elapsed


def _check_stored(*, size: int) -> None:
    """The whole file reached storage, not a truncated or refused copy."""
    artefact = Artefact.objects.filter(size=size).order_by("-pk").first()
    if artefact is None:
        raise BenchmarkError(f"No artefact of {size} bytes was recorded.")
    stored = BENCH_MEDIA / str(artefact.file.name)
    if not stored.is_file() or stored.stat().st_size != size:
        raise BenchmarkError(f"{stored} is missing or not {size} bytes long.")


def run() -> UploadResult:
    """Flushes the database first; leaves one learner and their two artefact rows, but
    deletes every stored and temporary file."""
    size = upload_mb() * MB
    warm_up = WARM_UP_MB * MB
    url = reverse("artefacts:upload")
    limit = str(max(2 * (size + warm_up), 2 * 1024**3))
    env = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "DJANGO_DEBUG": "1",
        "ARTEFACT_MAX_UPLOAD_BYTES": limit,
        "ARTEFACT_QUOTA_BYTES": limit,
        "DJANGO_MEDIA_ROOT": str(BENCH_MEDIA),
        "FILE_UPLOAD_TEMP_DIR": str(BENCH_UPLOAD_TMP),
    }
    reset_database()
    login = _sign_in_learner()
    try:
        floor_s = _write_floor(size)
        BENCH_UPLOAD_TMP.mkdir(exist_ok=True)
        with running_server(env=env) as server:
            login = _open_upload_page(server, url, login)
            # Warm up the whole upload path (imports, first queries) before the baseline.
            _upload(server, url, login, filename="warm-up.txt", size=warm_up)
            peak_before = server.peak_rss_bytes()
            upload_s = _upload(server, url, login, filename="big.txt", size=size)
            peak_after = server.peak_rss_bytes()
        _check_stored(size=size)
        temp_files_left = sum(1 for _ in BENCH_UPLOAD_TMP.iterdir())
    finally:
        remove_uploaded_files()
    return UploadResult(
        size_mb=size // MB,
        upload_s=upload_s,
        floor_s=floor_s,
        peak_before=peak_before,
        peak_after=peak_after,
        temp_files_left=temp_files_left,
    )


def format_result(result: UploadResult) -> str:
    size = f"{result.size_mb} MB"
    cells: list[tuple[str, ...]] = [("upload", "size", "seconds", "MB/s", "ratio to floor")]
    for what, seconds in (
        (f"POST {reverse('artefacts:upload')} (runserver)", result.upload_s),
        ("floor: write the same bytes to a local file", result.floor_s),
    ):
        cells.append(
            (
                what,
                size,
                f"{seconds:.2f}",
                f"{result.size_mb / seconds:.0f}",
                f"{seconds / result.floor_s:.1f}x",
            )
        )
    lines = [
        format_grid(cells),
        f"upload: server peak RSS {result.peak_before / MB:.1f} MB before, "
        f"{result.peak_after / MB:.1f} MB after: {result.increase_mb:+.1f} MB "
        f"(< {MEMORY_BUDGET_MB} MB: {'yes' if result.within_budget else 'no'})",
        f"upload: temporary upload files left behind: {result.temp_files_left}",
    ]
    return "\n".join(lines)
