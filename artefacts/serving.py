"""What to send for an artefact's file or thumbnail, once access has been decided.

Every view that hands out an artefact's bytes (the owner's and tutor's pages now, share
links later) calls these, so an image is never served with its original metadata."""

from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from artefacts.models import Artefact
from core.serving import INLINE_MEDIA, serve_file

_DERIVED_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def artefact_file_response(request: HttpRequest, artefact: Artefact) -> HttpResponseBase:
    """The file itself; for an image, its re-encoded copy without metadata (404 until the
    preview task has made it)."""
    if artefact.kind != Artefact.Kind.FILE or not artefact.file:
        raise Http404
    if not artefact.is_image:
        return serve_file(
            request,
            stored=artefact.file,
            content_type=artefact.content_type,
            filename=artefact.original_filename,
            inline=artefact.media in INLINE_MEDIA,
        )
    if artefact.preview != Artefact.Preview.READY:
        raise Http404(_("This image is still being prepared. Try again in a moment."))
    stem = artefact.original_filename.rsplit(".", 1)[0] or "image"
    return _derived(request, artefact.display_file, stem)


def artefact_thumbnail_response(request: HttpRequest, artefact: Artefact) -> HttpResponseBase:
    if artefact.preview != Artefact.Preview.READY or not artefact.thumbnail:
        raise Http404
    return _derived(request, artefact.thumbnail, "thumbnail")


def _derived(request: HttpRequest, stored: FieldFile, stem: str) -> HttpResponseBase:
    extension = str(stored.name).rsplit(".", 1)[-1].lower()
    return serve_file(
        request,
        stored=stored,
        content_type=_DERIVED_TYPES.get(extension, "application/octet-stream"),
        filename=f"{stem}.{extension}",
        inline=True,
    )
