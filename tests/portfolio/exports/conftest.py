"""Exports sign with a development certificate made once per test run, not under var/."""

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def _signing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def _export_signing(settings, _signing_dir: Path) -> None:
    settings.EXPORT_SIGNING_DEV_DIR = str(_signing_dir)
    settings.EXPORT_SIGNING_SELF_SIGNED = True
    settings.SITE_URL = "https://portfolio.test"
