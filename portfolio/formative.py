"""The formative portfolio: everything a learner has made, over time, as a timeline of
weeks or months. Read by the learner (everything) and by the tutors of their cohorts
(what the learner has not made private), through the one rule in
`EvidenceQuerySet.readable_by`.

Pagination is by items (`PAGE_SIZE` a page, newest first), so a page stays small
whatever the learner has done in one week. A period's heading always counts the whole
period, and says when its items carry on onto the next page."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from functools import cached_property
from typing import Any, Literal

from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Lower, TruncDate, TruncMonth, TruncWeek
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User
from artefacts.models import Artefact
from artefacts.selectors import artefacts_filtered
from badges.models import Badge
from badges.selectors import badges_owned
from core.links import url_maker
from core.models import EvidenceQuerySet, Tag
from core.search import EvidenceFilters
from portfolio.models import Attestation
from portfolio.models.attestations import SHOWN_ATTESTATIONS
from reflections.models import Reflection
from reflections.selectors import reflections_filtered

PAGE_SIZE = 50
TAG_LIST = "tag_list"  # where _fill puts an artefact's or reflection's tags

GroupBy = Literal["week", "month"]
ItemType = Literal["artefact", "reflection", "badge"]
ARTEFACT_KINDS = {"image", "audio", "video", "document", "link", "text"}
KINDS = {"", *ARTEFACT_KINDS, "reflection", "badge"}


KIND_LABELS = {
    "reflection": _lazy("Reflection"),
    "badge": _lazy("Badge"),
    "link": _lazy("Link"),
    "text": _lazy("Written piece"),
    "image": _lazy("Image"),
    "audio": _lazy("Audio"),
    "video": _lazy("Video"),
    "document": _lazy("Document"),
    "file": _lazy("File"),
}


@dataclass(frozen=True)
class TimelineItem:
    type: ItemType
    obj: Any  # an Artefact, a Reflection or a Badge
    day: date  # for a badge, the day it was issued in the viewer's time zone
    url: str = ""  # its own page
    image_url: str = ""  # an artefact's thumbnail or a badge's image, if it has one

    @cached_property
    def kind(self) -> str:
        """What the kind filter calls it: a KINDS value, or "file" for other files."""
        if self.type != "artefact":
            return self.type
        if self.obj.kind != Artefact.Kind.FILE:
            return str(self.obj.kind)
        if self.obj.media in ("image", "audio", "video"):
            return str(self.obj.media)
        return "document" if self.obj.media in ("pdf", "document", "text") else "file"

    @cached_property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def tags(self) -> list[Tag]:
        """The item's tags, as the timeline loaded them (badges have none)."""
        return list(vars(self.obj).get(TAG_LIST, ()))

    @property
    def ref(self) -> str:
        """“artefact:<public id>”: how forms elsewhere name an item (e.g. promote to a
        showcase)."""
        return f"{self.type}:{self.obj.public_id}"


@dataclass
class Period:
    """One week (from its Monday) or one month, with how many items of each type it
    holds under the current filters, and those of its items on this page."""

    start: date
    end: date
    name: str  # “Week 12, 2026” or “March 2026”
    dates: str  # a week's first and last days (“March 16 - March 22”), "" for a month
    artefacts: int = 0
    reflections: int = 0
    badges: int = 0
    items: list[TimelineItem] = field(default_factory=list)
    continued: bool = False  # its newer items are on the previous page
    continues: bool = False  # its older items are on the next page

    @property
    def total(self) -> int:
        return self.artefacts + self.reflections + self.badges

    @property
    def slug(self) -> str:
        return self.start.isoformat()

    @property
    def label(self) -> str:
        """The whole heading in one line: “Week 12, 2026 (March 16 - March 22)”, with an
        en dash for the range."""
        if not self.dates:
            return self.name
        return _("%(name)s (%(dates)s)") % {"name": self.name, "dates": self.dates}


@dataclass(frozen=True)
class Timeline:
    owner: Any
    viewer_is_owner: bool
    group_by: GroupBy
    page: Page[Any]  # a page of item positions: number, has_next, paginator.count ...
    periods: list[Period]  # the periods with items on this page, newest first
    tags: list[str]  # the tag names the viewer may filter by

    @property
    def total(self) -> int:
        return int(self.page.paginator.count)


def formative_timeline(
    *, owner: Any, viewer: Any, group_by: GroupBy, kind: str, tag: str, page: int
) -> Timeline:
    """One page of `owner`'s formative portfolio as `viewer` may read it.

    kind: "" (everything), an artefact kind (image, audio, video, document, link, text),
    "reflection" or "badge"; tag: a tag name, any case (badges have no tags, so a tag
    leaves them out). A page past the end is the last page.

    Queries, whatever the portfolio's size: the counts per period, one page of item
    keys, each type's items on the page (artefacts and reflections with their tags),
    and the tag names for the filter."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if group_by not in ("week", "month"):
        raise ValueError(f"unknown grouping {group_by!r}")
    parts = _parts(owner=owner, viewer=viewer, kind=kind, tag=tag)

    periods = _periods(parts, group_by=group_by, tz=_time_zone(viewer))
    total = sum(p.total for p in periods)
    paged = Paginator(range(total), PAGE_SIZE).get_page(page)
    on_page = _periods_on_page(periods, paged)
    if on_page:
        _fill(on_page, parts=parts, viewer=viewer, paged=paged, group_by=group_by)
    return Timeline(
        owner=owner,
        viewer_is_owner=getattr(viewer, "pk", None) == owner.pk,
        group_by=group_by,
        page=paged,
        periods=[p for p, _start in on_page],
        tags=_tag_names(owner=owner, viewer=viewer),
    )


def formative_learner_for_tutor(*, tutor: User, learner_public_id: Any) -> User | None:
    """A learner in one of this tutor's cohorts, or None (say 404) for anyone else."""
    return User.objects.taught_by(tutor).filter(public_id=learner_public_id).first()


def period_name(start: date, group_by: GroupBy) -> str:
    """“March 2026”, or “Week 12, 2026” (the ISO week and its year), in the active
    language."""
    if group_by == "month":
        return formats.date_format(start, "YEAR_MONTH_FORMAT")
    iso = start.isocalendar()
    return _("Week %(week)d, %(year)d") % {"week": iso.week, "year": iso.year}


def period_dates(start: date, group_by: GroupBy) -> str:
    """A week's first and last days, “March 16 - March 22” with an en dash; nothing for
    a month."""
    if group_by == "month":
        return ""
    return _("%(first)s – %(last)s") % {  # noqa: RUF001 (an en dash for a range)
        "first": formats.date_format(start, "MONTH_DAY_FORMAT"),
        "last": formats.date_format(start + timedelta(days=6), "MONTH_DAY_FORMAT"),
    }


def period_start(day: date, group_by: GroupBy) -> date:
    """The first day of the period `day` falls in: its ISO week's Monday, or the 1st."""
    if group_by == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def period_end(start: date, group_by: GroupBy) -> date:
    if group_by == "week":
        return start + timedelta(days=6)
    next_month = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return next_month - timedelta(days=1)


# Building blocks -------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    """One type's readable, filtered items, with its day as an expression."""

    type: ItemType
    qs: QuerySet[Any]
    day: Any


def _parts(*, owner: Any, viewer: Any, kind: str, tag: str) -> list[_Part]:
    filters = EvidenceFilters(tag=tag)
    parts = []
    if kind in ("", *ARTEFACT_KINDS):
        artefacts = artefacts_filtered(owner=owner, kind=kind, filters=filters)
        parts.append(_Part("artefact", _readable(artefacts, viewer), F("learned_on")))
    if kind in ("", "reflection"):
        reflections = reflections_filtered(owner=owner, filters=filters)
        parts.append(_Part("reflection", _readable(reflections, viewer), F("written_on")))
    if kind in ("", "badge") and not tag:
        # A badge's day is when it was issued (when it was imported if the issuer did
        # not say), as a date where the viewer is.
        issued = TruncDate(Coalesce("issued_at", "created_at"), tzinfo=_time_zone(viewer))
        parts.append(_Part("badge", _readable(badges_owned(owner=owner), viewer), issued))
    return parts


def _readable(qs: QuerySet[Any], viewer: Any) -> QuerySet[Any]:
    """The leaf apps' selectors return their EvidenceQuerySet typed as a QuerySet."""
    if not isinstance(qs, EvidenceQuerySet):
        raise TypeError(f"{qs.model.__name__} items must be read through readable_by")
    return qs.readable_by(viewer)


def _time_zone(viewer: Any) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(viewer.time_zone)
    except (AttributeError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        return timezone.get_current_timezone()


def _union(querysets: list[QuerySet[Any]]) -> QuerySet[Any]:
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


def _periods(parts: list[_Part], *, group_by: GroupBy, tz: tzinfo) -> list[Period]:
    """Every period with items, newest first, with its counts (one grouped query)."""
    trunc = TruncWeek if group_by == "week" else TruncMonth
    grouped = [
        part.qs.order_by()
        .annotate(
            period=trunc(part.day, output_field=DateField()),
            type=Value(part.type, output_field=CharField()),
        )
        .values("period", "type")
        .annotate(n=Count("pk"))
        for part in parts
    ]
    by_start: dict[date, Period] = {}
    for row in _union(grouped):
        start = _as_date(row["period"])
        period = by_start.get(start)
        if period is None:
            period = by_start[start] = Period(
                start=start,
                end=period_end(start, group_by),
                name=period_name(start, group_by),
                dates=period_dates(start, group_by),
            )
        setattr(period, f"{row['type']}s", getattr(period, f"{row['type']}s") + row["n"])
    return sorted(by_start.values(), key=lambda p: p.start, reverse=True)


def _as_date(value: Any) -> date:
    # Some databases hand a truncated date back as a midnight datetime.
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _periods_on_page(periods: list[Period], paged: Page[Any]) -> list[tuple[Period, int]]:
    """The periods this page's items fall in, each with the position of its first item
    in the whole timeline; marks a period split across pages."""
    first, last = paged.start_index() - 1, paged.end_index() - 1  # positions, inclusive
    on_page = []
    position = 0
    for period in periods:
        begins, ends = position, position + period.total - 1
        position += period.total
        if ends < first or begins > last:
            continue
        period.continued = begins < first
        period.continues = ends > last
        on_page.append((period, begins))
    return on_page


def _fill(
    on_page: list[tuple[Period, int]],
    *,
    parts: list[_Part],
    viewer: Any,
    paged: Page[Any],
    group_by: GroupBy,
) -> None:
    """Put this page's items into their periods: one query for the page's keys, then
    one per type for the objects."""
    newest, first_position = on_page[0]
    oldest = on_page[-1][0]
    skip = paged.start_index() - 1 - first_position
    size = paged.end_index() - paged.start_index() + 1
    keys = [
        part.qs.order_by()
        .annotate(day=part.day, type=Value(part.type, output_field=CharField()))
        .filter(day__gte=oldest.start, day__lte=newest.end)
        .values("pk", "type", "day", "created_at")
        for part in parts
    ]
    rows = list(_union(keys).order_by("-day", "-created_at", "-pk")[skip : skip + size])

    ids: dict[str, list[int]] = {"artefact": [], "reflection": [], "badge": []}
    for row in rows:
        ids[row["type"]].append(row["pk"])
    # Read again through `readable_by`, not only by id; the long texts stay in the
    # database (the timeline shows none of them).
    artefacts = Artefact.objects.readable_by(viewer).defer("body_markdown", "body_html")
    reflections = Reflection.objects.readable_by(viewer).defer("body_markdown", "body_html")
    badges = Badge.objects.readable_by(viewer).defer(
        "original_payload", "document", "details", "checks"
    )
    # With each item's tags and attestations (one query each per type on the page), as
    # plain lists: a related manager and a queryset built per item to hold the
    # prefetched rows, and again per use in the template, cost more than the rows.
    tags = Prefetch("tags", queryset=Tag.objects.all(), to_attr=TAG_LIST)
    shown = Prefetch(
        "attestations", queryset=Attestation.objects.shown(), to_attr=SHOWN_ATTESTATIONS
    )
    found: dict[str, dict[int, Any]] = {
        "artefact": _by_pk(artefacts.prefetch_related(tags, shown), ids),
        "reflection": _by_pk(reflections.prefetch_related(tags, shown), ids),
        "badge": _by_pk(badges, ids),
    }
    periods = {period.start: period for period, _position in on_page}
    urls = _Urls()
    for row in rows:
        obj = found[row["type"]].get(row["pk"])
        day = _as_date(row["day"])
        period = periods.get(period_start(day, group_by))
        if obj is not None and period is not None:
            period.items.append(urls.item(row["type"], obj, day))


class _Urls:
    """Each item's links, built without reversing per item (a reverse costs ~20 us; a
    page has two links an item, and the page's other work takes ~0.5 ms an item)."""

    def __init__(self) -> None:
        self.pages = {
            "artefact": url_maker("artefacts:detail"),
            "reflection": url_maker("reflections:detail"),
            "badge": url_maker("badges:detail"),
        }
        self.thumbnail = url_maker("artefacts:thumbnail")
        self.badge_image = url_maker("badges:image")

    def item(self, kind: ItemType, obj: Any, day: date) -> TimelineItem:
        image_url = ""
        if kind == "artefact" and obj.is_image and obj.preview == Artefact.Preview.READY:
            image_url = self.thumbnail(obj.public_id)
        elif kind == "badge" and obj.display_image:
            image_url = self.badge_image(obj.public_id)
        url = self.pages[kind](obj.public_id)
        return TimelineItem(type=kind, obj=obj, day=day, url=url, image_url=image_url)


def _by_pk(qs: QuerySet[Any], ids: dict[str, list[int]]) -> dict[int, Any]:
    wanted = ids[qs.model._meta.model_name or ""]
    return {obj.pk: obj for obj in qs.filter(pk__in=wanted)} if wanted else {}


def _tag_names(*, owner: Any, viewer: Any) -> list[str]:
    """Tags on items the viewer may read: a tutor never learns the name of a tag the
    learner used only on private items."""
    on_artefact = Artefact.objects.readable_by(viewer).filter(owner=owner, tags=OuterRef("pk"))
    on_reflection = Reflection.objects.readable_by(viewer).filter(owner=owner, tags=OuterRef("pk"))
    return list(
        Tag.objects.filter(owner=owner)
        .filter(Exists(on_artefact) | Exists(on_reflection))
        .order_by(Lower("name"), "name")
        .values_list("name", flat=True)
    )
