"""Every page a person can reach by clicking, as each demo role and as an anonymous
visitor: none may answer with a server error. A net under the per-page tests."""

import re
from collections import deque
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/accounts/logout", "/static/", "/admin/logout", "/admin/jsi18n")
MAX_PAGES = 250


def crawl(client: Client, start: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            for href in HREF.findall(response.content.decode()):
                href = href.replace("&amp;", "&")
                if href not in seen:
                    queue.append(href)
        elif response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        elif getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return seen


@pytest.fixture
def demo(db: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")


@pytest.mark.parametrize(
    "email",
    ["learner1@demo.example", "tutor@demo.example", "admin@demo.example", "learner3@demo.example"],
)
def test_no_page_reachable_by_a_demo_user_fails(client: Client, demo: None, email: str) -> None:
    client.force_login(User.objects.get(email=email))
    seen = crawl(client, "/dashboard/")
    errors = {url: status for url, status in seen.items() if status >= 500}
    assert not errors, errors
    assert len(seen) > 10  # the crawl really went somewhere


def test_no_page_reachable_anonymously_fails(client: Client, demo: None) -> None:
    from portfolio.models import ShareLink
    from portfolio.showcases import services

    showcase = ShareLink.objects.select_related("showcase").first()
    assert showcase is not None
    token = services.link_create(showcase=showcase.showcase, label="crawl").token
    seen = crawl(client, "/") | crawl(client, f"/s/{token}/")
    errors = {url: status for url, status in seen.items() if status >= 500}
    assert not errors, errors
    assert any(url.startswith(f"/s/{token}/files/") for url in seen)
