"""A first visit to a shared page (issue 19): its static files hashed, compressed and
cached for good, nothing render-blocking but the stylesheets, and images that reserve
their space and load only when scrolled to."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import People
from tests.portfolio.showcase_data import Shared, shared_showcase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people: People) -> Shared:
    return shared_showcase(people.learner)


@pytest.fixture
def production_static(settings: Any, tmp_path: Path) -> Path:
    """Static files as production has them: collected with the manifest storage."""
    root = tmp_path / "static"
    settings.DEBUG = False
    settings.STATIC_ROOT = root
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _page(token: str) -> str:
    response = Client().get(reverse("share:showcase", args=[token]))
    assert response.status_code == 200
    return response.content.decode()


def test_shared_pages_link_hashed_compressed_long_cached_stylesheets(
    world: Shared, production_static: Path
) -> None:
    html = _page(world.token)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert len(stylesheets) == 2
    client = Client()  # a new handler: WhiteNoise indexes the collected files
    for url in stylesheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", url), url
        name = url.removeprefix("/static/")
        assert (production_static / f"{name}.gz").exists()
        assert (production_static / f"{name}.br").exists()
        response = client.get(url, HTTP_ACCEPT_ENCODING="br")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "br"
        assert "immutable" in response["Cache-Control"]
        assert "max-age=315360000" in response["Cache-Control"]


def test_shared_pages_block_rendering_on_nothing_but_their_stylesheets(world: Shared) -> None:
    html = _page(world.token)
    head = html[: html.index("</head>")]
    assert re.findall(r"<link[^>]*>", head) == [
        tag for tag in re.findall(r"<link[^>]*>", head) if 'rel="stylesheet"' in tag
    ]
    for script in re.findall(r"<script[^>]*>", html):
        assert " defer" in script or 'type="module"' in script, script


def test_images_on_shared_pages_load_lazily_with_their_size_set(world: Shared) -> None:
    html = _page(world.token)
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2  # the photo and the badge
    for tag in images:
        assert 'loading="lazy"' in tag, tag
        assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag), tag
    world.image.refresh_from_db()
    photo = f'width="{world.image.display_width}" height="{world.image.display_height}"'
    assert photo in html
