"""Production settings: refuse to start unconfigured, and pass `check --deploy`."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3y-" + "Zq8vW1xR7pL2nB5mC9tY4hJ6gF0dS3aE" * 2,
    "DJANGO_ALLOWED_HOSTS": "portfolio.example.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_no_issues_when_configured_as_the_readme_says() -> None:
    result = manage("check", "--deploy", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"DJANGO_DEBUG=0 needs {missing} set" in result.stderr


def test_the_readme_production_section_lists_the_variables_the_check_needs() -> None:
    readme = (BASE_DIR / "README.md").read_text()
    for name in PRODUCTION:
        assert name in readme


def test_production_refuses_loopback_fetching() -> None:
    result = manage("check", env={**PRODUCTION, "OUTBOUND_FETCH_ALLOW_LOOPBACK": "1"})
    assert result.returncode != 0
    assert "OUTBOUND_FETCH_ALLOW_LOOPBACK is for development only" in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_passes_its_host_and_port_into_site_url() -> None:
    # Every command make runs (seed, runserver, the digest sweep) sees SITE_URL, so links
    # in emails carry the address `make run HOST=... PORT=...` serves on.
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    show = "show-site-url: ; @echo $$SITE_URL"
    shown = subprocess.run(
        ["make", "-s", "--eval", show, "show-site-url", "HOST=example.test", "PORT=1234"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.stdout.strip() == "http://example.test:1234"
