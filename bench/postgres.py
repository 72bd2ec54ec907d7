"""A throwaway PostgreSQL cluster for benchmarks that need PostgreSQL and were given no
BENCH_DATABASE_URL: initdb in a temporary folder, a server on loopback port PORT (trust
authentication, reachable only from this machine), stopped and deleted on leaving.
Run as root, it runs the PostgreSQL programs as the `postgres` user, as initdb requires.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from glob import glob
from pathlib import Path

from bench.harness import BenchmarkError

PORT = 5496
USER = "bench"
START_TIMEOUT_S = 60


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def skip_reason() -> str:
    """Why a throwaway cluster cannot be made here, or ""."""
    if _bin_dir() is None:
        return "initdb not found on PATH nor under /usr/lib/postgresql; install postgresql "
        "or set BENCH_DATABASE_URL"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "initdb refuses to run as root and runuser is not installed"
    return ""


def _run(command: list[str], *, owner: str | None) -> None:
    prefix = ["runuser", "-u", owner, "--"] if owner else []
    done = subprocess.run(  # noqa: S603 (PostgreSQL's own programs)
        [*prefix, *command], capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise BenchmarkError(f"{Path(command[0]).name} failed:\n{done.stderr or done.stdout}")


@contextmanager
def throwaway_cluster(*, port: int = PORT) -> Iterator[str]:
    """A running cluster on `port`; yields its database URL."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        raise BenchmarkError(skip_reason())
    folder = Path(tempfile.mkdtemp(prefix="bench-postgres-"))
    owner = "postgres" if os.geteuid() == 0 else None
    if owner:
        shutil.chown(folder, user=owner)
    data = folder / "data"
    try:
        _run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8"],
            owner=owner,
        )
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder}"
        _run(
            [
                *(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log")),
                *("-o", options, "-w", "-t", str(START_TIMEOUT_S), "start"),
            ],
            owner=owner,
        )
        try:
            yield f"postgres://{USER}@127.0.0.1:{port}/postgres"
        finally:
            _run(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], owner=owner
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
