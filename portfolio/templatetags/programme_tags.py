"""Links on the programme pages that admins and learners share: the same page name
resolves on the staff pages or the learner's, whichever `place` the page is in."""

from decimal import Decimal
from typing import Any

from django import template

from portfolio.apel.programme_csv_export import credits_text
from portfolio.apel.programme_place import Place

register = template.Library()


@register.simple_tag
def place_url(place: Place, name: str, *args: Any) -> str:
    """`{% place_url place "programme_outcome" programme.public_id outcome.pk %}`"""
    return place.url(name, *args)


@register.filter
def credits(value: Decimal | None) -> str:
    """5.00 as 5, 7.50 as 7.5."""
    return credits_text(value)
