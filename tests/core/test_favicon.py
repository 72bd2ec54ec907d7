"""The site's icon: linked from every page, served as a static file, and answered at
/favicon.ico for browsers and crawlers that ask there."""

import re

import pytest
from django.test import Client


def served(client: Client, url: str) -> tuple[str, bytes]:
    response = client.get(url)
    assert response.status_code == 200, url
    return response["Content-Type"], response.getvalue()


def test_favicon_ico_points_to_a_real_icon_for_anyone(client: Client, db: None) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    content_type, body = served(client, response["Location"])
    assert content_type in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert body.startswith(b"\x00\x00\x01\x00")  # the ICO header


@pytest.mark.parametrize(
    ("rel", "content_type", "magic"),
    [
        ("icon", "image/svg+xml", b"<svg"),
        ("icon", "image/png", b"\x89PNG"),
        ("apple-touch-icon", "image/png", b"\x89PNG"),
    ],
)
def test_every_page_links_an_icon_that_is_served(
    client: Client, db: None, rel: str, content_type: str, magic: bytes
) -> None:
    html = client.get("/accounts/login/").content.decode()
    links = [
        dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag)) for tag in re.findall(r"<link [^>]+>", html)
    ]
    hrefs = [
        link["href"]
        for link in links
        if link.get("rel") == rel and link.get("type", content_type) == content_type
    ]
    assert hrefs, f"no {rel} link for {content_type}"
    served_type, body = served(client, hrefs[0])
    assert served_type.startswith(content_type)
    assert body.startswith(magic)
