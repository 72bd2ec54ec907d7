"""Fetching what a badge points at, through core.fetch, with failures told apart: the
issuer not answering now (not verifiable now) versus an answer that is wrong (failed).

Every fetch is written down in the current `recording()` (if any), for the badge's
verification report: which URLs were fetched and what they answered."""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from badges.outcome import BadgeRejected
from core.fetch import FetchError, FetchFailed, FetchResponse, fetch


@dataclass
class Fetched:
    response: FetchResponse | None = None
    data: Any = None
    ok: bool | None = True  # None: could not fetch now; False: refused or a bad answer
    message: str = ""
    error: str = ""  # when it could not be fetched now: why, in plain words

    @property
    def secure(self) -> bool:
        """The answer came over https (redirects included: core.fetch refuses a downgrade)."""
        return self.response is not None and self.response.url.startswith("https://")


_log: ContextVar[list[dict[str, Any]] | None] = ContextVar("badge_fetch_log", default=None)


@contextlib.contextmanager
def recording() -> Iterator[list[dict[str, Any]]]:
    """Collect {"url", "status", "error"} for every fetch made inside the block."""
    log: list[dict[str, Any]] = []
    token = _log.set(log)
    try:
        yield log
    finally:
        _log.reset(token)


def _note(url: str, status: int | None, error: str = "") -> None:
    log = _log.get()
    if log is not None:
        log.append({"url": url, "status": status, "error": error})


def host_of(url: str) -> str:
    """The URL's host name in lower case; an internationalised one in its ASCII form
    (xn--…), which is the name fetched and one a look-alike cannot hide behind."""
    host = urlsplit(url).hostname
    if not host:
        return url
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return host


def fetch_json(url: str, *, what: str) -> Fetched:
    """GET a JSON document. 410 and other statuses are returned for the caller to read."""
    got = _get(url, what=what, accept="application/json, application/ld+json;q=0.9, */*;q=0.1")
    if got.response is None or got.ok is not True:
        return got
    try:
        got.data = got.response.json()
    except FetchError:
        got.ok = False
        got.message = _("%(what)s at %(host)s is not valid JSON.") % {
            "what": what, "host": host_of(url)}  # fmt: skip
    return got


def fetch_node(url: str, *, what: str, text: bool = False) -> Fetched:
    """A badge object (badge class, issuer profile, key) at its id. An http id is asked
    for over https first, and over http only when https gives no good answer: what comes
    over plain http may have been rewritten on the way, so it cannot identify an issuer
    (`Fetched.secure`). Stricter than 1EdTech's validator, which fetches ids as written."""
    get = fetch_text if text else fetch_json
    if url.startswith("http://"):
        got = get("https://" + url[len("http://") :], what=what)
        if got.ok:
            return got
    return get(url, what=what)


def unreachable(got: Fetched) -> BadgeRejected:
    """The issuer could not be reached now: nothing it states can be checked."""
    return BadgeRejected(
        _("Could not reach the issuer to check this badge: %(error)s Try again later.")
        % {"error": got.error or got.message},
        unreachable=True,
    )


def fetch_text(url: str, *, what: str) -> Fetched:
    """GET a small text document (a key as JSON or PEM); `data` is the decoded text."""
    got = _get(url, what=what, accept="application/json, application/x-pem-file, text/plain")
    if got.response is not None and got.ok is True:
        got.data = got.response.body.decode("utf-8", "replace")
    return got


def _get(url: str, *, what: str, accept: str) -> Fetched:
    """GET through core.fetch; a status other than 200 is a bad answer (ok False)."""
    try:
        response = fetch(url, accept=accept)
    except FetchFailed as error:
        _note(url, None, str(error))
        return Fetched(ok=None, error=str(error), message=_(
            "Could not reach %(what)s: %(error)s") % {"what": what, "error": error})  # fmt: skip
    except FetchError as error:
        _note(url, None, str(error))
        return Fetched(ok=False, message=_("Refused to fetch %(what)s: %(error)s") % {
            "what": what, "error": error})  # fmt: skip
    _note(url, response.status)
    if response.status != 200:
        return Fetched(response=response, ok=False, message=_(
            "%(host)s answered %(status)s for %(what)s.") % {
            "host": host_of(url), "status": response.status, "what": what})  # fmt: skip
    return Fetched(response=response)


def fetch_bytes(url: str, *, max_bytes: int) -> bytes:
    """An image or other file the badge points at; empty bytes if it cannot be had."""
    try:
        response = fetch(url, accept="image/*", max_bytes=max_bytes)
    except FetchError as error:
        _note(url, None, str(error))
        return b""
    _note(url, response.status)
    return response.body if response.status == 200 else b""
