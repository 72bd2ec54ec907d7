"""What someone with a share link sees: the showcase, badge details, and files, each
checked on every request against the link (active, item in its showcase, not private).
No login; nothing about the viewer is stored beyond an open count."""

import logging
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from artefacts.serving import artefact_file_response, artefact_thumbnail_response
from badges.models import Badge
from badges.report import report_response
from core.clientip import client_key
from core.degrade import CACHE_DOWN, cache_unavailable_response
from core.serving import serve_file
from portfolio.models import ShareLink
from portfolio.showcases import opens, pagecache, selectors, services
from portfolio.showcases.access import LinkCheck, link_check
from portfolio.showcases.forms import PassphraseForm

logger = logging.getLogger(__name__)
View = Callable[..., HttpResponseBase]
_SESSION_KEY = "share-unlocked"


def shared(view: View) -> View:
    """Resolve the token to an active link (410 page if revoked or expired, 404 if
    unknown), require its passphrase, and send the headers every shared page carries."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = _answer(request, token, view, *args, **kwargs)
        except Http404:
            response = render(request, "404.html", status=404)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # No referrer (so no token) for any other site, but our own forms keep their
        # Origin: under "no-referrer" browsers send "Origin: null" with a same-origin
        # POST (Fetch, "append a request Origin header"), which CSRF checks refuse.
        response["Referrer-Policy"] = "same-origin"
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _answer(
    request: HttpRequest, token: str, view: View, *args: Any, **kwargs: Any
) -> HttpResponseBase:
    """The view's answer, once the link is known to work and is unlocked."""
    link = link_check(token=token)
    if link is None:
        raise Http404
    if not link.active:
        return render(request, "portfolio/link_inactive.html", status=410)
    if link.has_passphrase and not _unlocked(request, link):
        if view is not showcase_page:  # files and badge pages: no form, no content
            return HttpResponse(
                _("Open the portfolio page and give its passphrase first."),
                status=403,
                content_type="text/plain; charset=utf-8",
            )
        return _passphrase_page(request, link.load())
    return view(request, link, *args, **kwargs)


def _unlocked(request: HttpRequest, link: LinkCheck) -> bool:
    return str(link.id) in request.session.get(_SESSION_KEY, [])


def _passphrase_page(request: HttpRequest, link: ShareLink) -> HttpResponse:
    form = PassphraseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ok = services.link_check_passphrase(
                link=link, passphrase=form.cleaned_data["passphrase"], client=client_key(request)
            )
        except CACHE_DOWN:
            return cache_unavailable_response(request)  # fail closed: no check, no guess
        except services.TooManyAttempts as locked:
            form.add_error(None, _too_many_message(locked))
            response = render(request, "portfolio/passphrase.html", {"form": form}, status=429)
            response["Retry-After"] = str(locked.wait_seconds)
            return response
        else:
            if ok:
                unlocked = request.session.get(_SESSION_KEY, [])
                request.session[_SESSION_KEY] = [*unlocked, str(link.pk)]
                return redirect(request.path)  # a reload then shows the page, not a re-post
            form.add_error("passphrase", _("That passphrase is not right. Check it and try again."))
            status = 403
    return render(request, "portfolio/passphrase.html", {"form": form}, status=status)


def _too_many_message(locked: services.TooManyAttempts) -> str:
    if locked.whole_link:
        return _(
            "Too many wrong passphrases have been tried on this link. Wait an hour and try again."
        )
    return _("Too many wrong attempts. Wait 15 minutes and try again.")


def showcase_page(request: HttpRequest, link: LinkCheck) -> HttpResponse:
    def draw(token: str) -> str:
        whole = link.load()  # a rendering only: a hit needs no more than the check
        shown = selectors.showcase_for_display(showcase=whole.showcase, web_page=True)
        selectors.item_urls(showcase=shown, token=token)
        context = {"showcase": shown, "link": whole, "link_token": token, "preview": False}
        return render_to_string("portfolio/shared_showcase.html", context, request=request)

    page = pagecache.shared_page(link=link, token=_token(request), page="showcase", render=draw)
    if request.method == "GET":  # not HEAD: a link checker, not a reader
        return OpenCountingResponse(page, link=link)
    return HttpResponse(page)


class OpenCountingResponse(HttpResponse):
    """The shared page, which counts as an opening of its link once it was delivered.

    "Delivered" is what the application can see: the WSGI server took the whole body
    without an error (it writes each piece as it iterates and asks for the next one only
    after the write succeeded), then closed the response. A server that stopped part way
    (the reader disconnected, so the write raised) still calls close(): not counted. A
    request refused by load shedding never reaches the view. Django's test client, which
    hands the response over whole without iterating, counts as delivering it.
    """

    def __init__(self, content: bytes, *, link: LinkCheck) -> None:
        super().__init__(content)
        self._link = link
        self._sending = False
        self._sent = False

    def __iter__(self) -> Iterator[bytes]:
        self._sending = True
        yield from super().__iter__()
        self._sent = True

    def close(self) -> None:
        try:
            if self._sent or not self._sending:
                opens.link_open_delivered(link=self._link)
        except DatabaseError:  # the reader has the page; losing one count is the lesser harm
            logger.exception("Could not count an opening of share link %s.", self._link.id)
        finally:
            super().close()


showcase = shared(showcase_page)


@shared
def badge(request: HttpRequest, link: LinkCheck, public_id: str) -> HttpResponse:
    def draw(token: str) -> str:
        context = {"badge": _badge(link, public_id), "link_token": token}
        return render_to_string("portfolio/shared_badge.html", context, request=request)

    page = f"badge:{public_id}"  # a UUID: the URL converter checked it
    return HttpResponse(
        pagecache.shared_page(link=link, token=_token(request), page=page, render=draw)
    )


def _token(request: HttpRequest) -> str:
    match = request.resolver_match
    assert match is not None  # a shared view is only reached through its URL
    return str(match.kwargs["token"])


@shared
def artefact_file(request: HttpRequest, link: LinkCheck, public_id: str) -> HttpResponseBase:
    return artefact_file_response(request, _artefact(link, public_id))


@shared
def artefact_thumbnail(request: HttpRequest, link: LinkCheck, public_id: str) -> HttpResponseBase:
    return artefact_thumbnail_response(request, _artefact(link, public_id))


@shared
def badge_image(request: HttpRequest, link: LinkCheck, public_id: str) -> HttpResponseBase:
    found = _badge(link, public_id)
    if not found.display_image:
        raise Http404
    return serve_file(
        request,
        stored=found.display_image,
        content_type=found.display_image_type,
        filename="badge",
        inline=True,
    )


def _artefact(link: LinkCheck, public_id: str) -> Artefact:
    try:
        return selectors.shared_artefact(showcase_id=link.showcase_id, public_id=public_id)
    except (Artefact.DoesNotExist, ValueError):
        raise Http404 from None


@shared
def badge_report(request: HttpRequest, link: LinkCheck, public_id: str) -> HttpResponse:
    """The badge's last verification report as JSON, for an assessor to keep."""
    return report_response(_badge(link, public_id))


def _badge(link: LinkCheck, public_id: str) -> Badge:
    try:
        return selectors.shared_badge(showcase_id=link.showcase_id, public_id=public_id)
    except (Badge.DoesNotExist, ValueError):
        raise Http404 from None
