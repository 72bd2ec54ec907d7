"""Security headers on every kind of page: a strict Content-Security-Policy with nothing
inline for it to block, Permissions-Policy, and no-store for signed-in people.

The crawl walks every page a demo learner, tutor and institution admin (with the Django
admin), an anonymous visitor and an employer holding a share link can reach by clicking."""

import re
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import HttpResponse, JsonResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from core.middleware import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY, SecurityHeadersMiddleware
from tests.conftest import People

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/accounts/logout", "/static/", "/admin/logout", "/admin/jsi18n")
MAX_PAGES = 250

STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """What in a page the policy would block: inline scripts, handlers, styles."""
    found = [m.group(0)[:80] for m in STYLE_ATTRIBUTE.finditer(html)]
    found += [m.group(0)[:80] for m in HANDLER_ATTRIBUTE.finditer(html)]
    found += [m.group(0) for m in STYLE_BLOCK.finditer(html)]
    found += [m.group(0)[:80] for m in JAVASCRIPT_URL.finditer(html)]
    for match in SCRIPT_TAG.finditer(html):
        attributes = match.group(1)
        # Data blocks (json_script) are never run, so the policy allows them.
        if "src=" not in attributes and "application/json" not in attributes:
            found.append(match.group(0))
    return found


def crawl(client: Client, *starts: str) -> dict[str, Any]:
    """Every page reachable by links from `starts`: path -> response."""
    seen: dict[str, Any] = {}
    queue = deque(starts)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        seen[url] = response
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        elif response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            for href in HREF.findall(response.content.decode()):
                queue.append(href.replace("&amp;", "&"))
        elif response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
    return seen


def html_pages(seen: dict[str, Any]) -> dict[str, Any]:
    return {
        url: response
        for url, response in seen.items()
        if response["Content-Type"].startswith("text/html") and not response.streaming
    }


def assert_pages_are_locked_down(seen: dict[str, Any], *, signed_in: bool) -> None:
    pages = html_pages(seen)
    assert len(pages) > 5, sorted(seen)
    wrong_policy = [
        u for u, r in pages.items() if r.get("Content-Security-Policy") != CONTENT_SECURITY_POLICY
    ]
    assert not wrong_policy
    inline = {u: found for u, r in pages.items() if (found := inline_code(r.content.decode()))}
    assert not inline
    no_permissions = [u for u, r in seen.items() if r.get("Permissions-Policy") is None]
    assert not no_permissions
    if signed_in:
        cacheable = {
            url: response.get("Cache-Control")
            for url, response in seen.items()
            if not {"private", "no-store"}
            <= set(re.split(r"[,\s]+", response.get("Cache-Control", "")))
            and url != "/favicon.ico"
        }
        assert not cacheable


@pytest.fixture
def demo(db: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")


@pytest.mark.parametrize(
    ("email", "starts"),
    [
        ("learner1@demo.example", ["/dashboard/"]),
        ("tutor@demo.example", ["/dashboard/"]),
        ("admin@demo.example", ["/dashboard/", "/staff/"]),
        ("superuser", ["/admin/"]),
    ],
)
def test_every_signed_in_page_has_the_policy_no_inline_code_and_no_store(
    client: Client, demo: None, email: str, starts: list[str]
) -> None:
    if email == "superuser":  # the Django admin is the site operators' only
        user = User.objects.create_superuser("root@example.com", "x")
    else:
        user = User.objects.get(email=email)
    client.force_login(user)
    seen = crawl(client, *starts)
    assert_pages_are_locked_down(seen, signed_in=True)
    if email == "superuser":
        assert sum(url.startswith("/admin/") for url in html_pages(seen)) > 5
    if email.startswith("admin"):
        assert sum(url.startswith("/staff/") for url in html_pages(seen)) > 5


def test_every_anonymous_and_shared_page_has_the_policy_and_no_inline_code(
    client: Client, demo: None
) -> None:
    from portfolio.models import ShareLink
    from portfolio.showcases import services

    link = ShareLink.objects.select_related("showcase").first()
    assert link is not None
    token = services.link_create(showcase=link.showcase, label="crawl").token
    seen = crawl(client, "/", "/accounts/login/", "/accounts/signup/", f"/s/{token}/")
    assert f"/s/{token}/" in html_pages(seen)
    assert_pages_are_locked_down(seen, signed_in=False)
    # Share pages are as private as signed-in ones: the link is the key.
    assert seen[f"/s/{token}/"]["Cache-Control"] == "private, no-store"


def test_anonymous_pages_stay_cacheable_by_the_browser(client: Client, db: None) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_error_pages_have_the_policy(client: Client, people: People) -> None:
    client.force_login(people.learner)
    for response in (client.get("/no-such-page/"), client.get(reverse("admin:index"))):
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert not inline_code(response.content.decode())
    assert client.get("/no-such-page/")["Cache-Control"] == "private, no-store"


TEMPLATES = Path(settings.BASE_DIR) / "templates"
PAGE_TEMPLATES = sorted(
    path.relative_to(TEMPLATES).as_posix()
    for path in TEMPLATES.rglob("*.html")
    if "email" not in path.relative_to(TEMPLATES).parts  # mail clients need inline styles
)


@pytest.mark.parametrize("name", PAGE_TEMPLATES)
def test_no_template_has_inline_script_or_style(name: str) -> None:
    """Also the branches a crawl does not reach (a new share link, a form's errors)."""
    assert not inline_code((TEMPLATES / name).read_text())


def _through_middleware(response: HttpResponse, user: Any = None) -> HttpResponse:
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return SecurityHeadersMiddleware(lambda _request: response)(request)  # type: ignore[return-value]


def test_a_view_that_sets_its_own_policy_and_caching_keeps_them(people: People) -> None:
    own = HttpResponse("<p>file</p>")
    own["Content-Security-Policy"] = "default-src 'none'; sandbox"
    own["Cache-Control"] = "private, max-age=60"
    response = _through_middleware(own, people.learner)
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, max-age=60"


def test_pdfs_and_json_get_no_page_policy(people: People) -> None:
    # Chromium's PDF viewer does not work under a page policy (core.serving sends none).
    pdf = _through_middleware(HttpResponse(b"%PDF-", content_type="application/pdf"))
    assert "Content-Security-Policy" not in pdf
    assert pdf["Permissions-Policy"] == PERMISSIONS_POLICY
    data = _through_middleware(JsonResponse({"ok": True}), people.learner)
    assert "Content-Security-Policy" not in data
    assert data["Cache-Control"] == "private, no-store"


def test_djangos_debug_error_pages_are_left_without_the_policy(settings) -> None:
    # Django's yellow 404 and 500 pages under DJANGO_DEBUG are built with inline code.
    settings.DEBUG = True
    assert "Content-Security-Policy" not in _through_middleware(HttpResponse(status=500))
    assert "Content-Security-Policy" in _through_middleware(HttpResponse(status=403))
    settings.DEBUG = False
    assert "Content-Security-Policy" in _through_middleware(HttpResponse(status=500))


def test_the_policy_forbids_inline_code_plugins_framing_and_foreign_forms() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_permissions_policy_denies_hardware_and_payment(client: Client, db: None) -> None:
    policy = client.get("/")["Permissions-Policy"]
    assert policy == PERMISSIONS_POLICY
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
