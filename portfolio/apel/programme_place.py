"""Whose programme pages a shared page is on: an institution's staff pages or a
learner's. A `Place` gives the URL namespace and prefix and the layout to extend, so
one view and one template serve both (`{% place_url place "programme_edit" ... %}`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from accounts.models import Institution
from portfolio.models import Programme

EditingView = Callable[..., HttpResponse]  # (request, place, programme, **ids)


@dataclass(frozen=True)
class Place:
    """Whose programme pages these are: an institution's staff pages, or a learner's."""

    namespace: str
    prefix: tuple[str, ...]
    layout: str
    institution: Institution | None = None

    @property
    def is_staff(self) -> bool:
        return self.institution is not None

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{name}", args=[*self.prefix, *args])


LEARNER_PLACE = Place("apel", (), "apel/programme_layout.html")


def staff_place(institution: Institution) -> Place:
    return Place("apel_staff", (institution.slug,), "apel/staff_programme_layout.html", institution)


def render_in(
    request: HttpRequest, place: Place, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"place": place, "institution": place.institution, **context}
    return render(request, f"apel/{template}", context, status=status)


def to_programme(place: Place, programme: Programme, anchor: str = "") -> HttpResponseRedirect:
    url = place.url("programme_manage", programme.public_id)
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)
