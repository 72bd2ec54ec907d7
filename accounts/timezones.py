"""The time-zone list of the profile page, built once per process and language.

`zoneinfo.available_timezones()` walks the tzdata files, and Django's Select renders
each of its ~600 options through a template, so the list made /profile/ slow. The
list here is read once, grouped by region (the way people look for their city), and
its HTML is rendered once per language; a request only marks the selected option.
"""

import functools
import zoneinfo
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

# The regions of the tz database's canonical names ("Europe/London"). Old aliases
# ("GB", "US/Eastern", "Etc/GMT+5") stay valid for people who already have one.
REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


@functools.cache
def all_time_zones() -> frozenset[str]:
    """Every name this machine's tz database knows, aliases included."""
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def listed_time_zones() -> dict[str, list[tuple[str, str]]]:
    """Region -> (name, place) for the canonical names, places sorted A-Z."""
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in REGIONS}
    for name in sorted(all_time_zones()):
        region, _sep, place = name.partition("/")
        if region in groups and place:
            groups[region].append((name, place.replace("_", " ").replace("/", " / ")))
    return groups


@functools.cache
def _listed_names() -> frozenset[str]:
    return frozenset({"UTC"}) | {
        name for zones in listed_time_zones().values() for name, _p in zones
    }


@functools.cache
def _options_html(language: str | None) -> str:
    with override(language):
        groups = [
            format_html('<option value="UTC">{}</option>', _("UTC (Coordinated Universal Time)"))
        ]
        for region, zones in listed_time_zones().items():
            options = format_html_join("", '<option value="{}">{}</option>', zones)
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', REGIONS[region], options)
            )
        # Each piece comes from format_html, so the joined list is escaped already.
        return "".join(groups)


class TimeZoneSelect(forms.Select):
    """A plain <select> (works with any assistive technology) whose options are cached."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        options = _options_html(get_language())
        if value in all_time_zones():
            if value in _listed_names():
                # Names are tz database names (letters, digits, _ - + /): nothing to escape.
                chosen = f'<option value="{value}"'
                options = options.replace(f"{chosen}>", f"{chosen} selected>", 1)
            else:
                options = (
                    format_html('<option value="{}" selected>{}</option>', value, value) + options
                )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))  # noqa: S308 (escaped above)


class TimeZoneField(forms.ChoiceField):
    """Offers the grouped list; accepts any name the tz database knows."""

    widget = TimeZoneSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=(), **kwargs)

    def valid_value(self, value: str) -> bool:
        return value in all_time_zones()
