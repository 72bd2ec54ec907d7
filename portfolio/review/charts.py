"""Server-side SVG charts for a learner's progress: no JavaScript, no network.

Each chart is an `<svg role="img">` named by its own `<title>` and `<desc>` (through
`aria-labelledby`), with a `<title>` tooltip on every bar. Every piece of text is
escaped before it goes into the markup, so the result is safe to mark safe even though
it only ever holds numbers, dates and our own labels. `activity_table` gives the same
numbers as rows for a text alternative (a table screen-reader users can browse).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Activity chart geometry, in SVG user units (the SVG scales to its container).
BAR_WIDTH = 16
BAR_GAP = 4
PLOT_HEIGHT = 120
TOP = 20  # room for the peak's number
LEFT = 8
AXIS_HEIGHT = 24  # room for the month labels
# Goals chart geometry.
GOAL_BAR_MAX = 240
GOAL_ROW = 28
GOAL_LABEL_WIDTH = 64


@dataclass(frozen=True)
class WeekRow:
    week: date
    label: str  # "3 Mar"
    count: int


def _week_label(week: date) -> str:
    return dateformat.format(week, "j M")


def _items(count: int) -> str:
    return ngettext("%(count)d item", "%(count)d items", count) % {"count": count}


def _attrs(**attributes: Any) -> str:
    """` name="value"` pairs, values quoted and escaped; `_` in names becomes `-`."""
    return "".join(
        f" {name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}"
        for name, value in attributes.items()
    )


def _svg(*, chart_id: str, width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    opening = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        id=chart_id,
        class_="chart",
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
    )
    return "".join(
        [
            f"<svg{opening}>",
            f"<title{_attrs(id=title_id)}>{escape(title)}</title>",
            f"<desc{_attrs(id=desc_id)}>{escape(desc)}</desc>",
            *body,
            "</svg>",
        ]
    )


def activity_table(weeks: list[tuple[date, int]]) -> list[WeekRow]:
    """The chart's numbers as rows, oldest week first, for a text alternative."""
    return [WeekRow(week=week, label=_week_label(week), count=count) for week, count in weeks]


def activity_svg(weeks: list[tuple[date, int]], *, chart_id: str = "activity-chart") -> SafeString:
    """A bar per week (Monday, items that week), oldest on the left, heights in
    proportion to the busiest week, month names under the first week of each month.
    With no items at all it says "No activity yet" instead of drawing empty bars.
    `chart_id` must be unique on the page (it prefixes the title and desc ids)."""
    width = LEFT * 2 + max(len(weeks), 1) * (BAR_WIDTH + BAR_GAP)
    height = TOP + PLOT_HEIGHT + AXIS_HEIGHT
    baseline = TOP + PLOT_HEIGHT
    total = sum(count for _week, count in weeks)
    peak = max((count for _week, count in weeks), default=0)
    title = _("Evidence added per week")
    axis = _attrs(x1=LEFT, y1=baseline, x2=width - LEFT, y2=baseline, stroke="currentColor")
    body = [f"<line{axis}/>"]
    if not weeks or total == 0:
        desc = _("No activity yet")
        body.append(
            f"<text{_attrs(x=width // 2, y=TOP + PLOT_HEIGHT // 2, text_anchor='middle')}>"
            f"{escape(desc)}</text>"
        )
        svg = _svg(chart_id=chart_id, width=width, height=height, title=title, desc=desc, body=body)
        return mark_safe(svg)  # noqa: S308 (built from escaped text and numbers only)

    desc = _("%(total)s from %(first)s to %(last)s; the busiest week had %(peak)s.") % {
        "total": _items(total),
        "first": _week_label(weeks[0][0]),
        "last": _week_label(weeks[-1][0]),
        "peak": _items(peak),
    }
    previous_month: int | None = None
    for index, (week, count) in enumerate(weeks):
        x = LEFT + index * (BAR_WIDTH + BAR_GAP)
        bar_height = round(PLOT_HEIGHT * count / peak, 2)
        tooltip = _("Week of %(week)s: %(items)s") % {
            "week": _week_label(week),
            "items": _items(count),
        }
        bar = _attrs(
            class_="chart__bar", x=x, y=baseline - bar_height, width=BAR_WIDTH, height=bar_height
        )
        body.append(f"<rect{bar}><title>{escape(tooltip)}</title></rect>")
        # A month is named under its first week; the chart's opening month only if it
        # starts there, so its label cannot run into the next month's.
        starts_month = previous_month is not None or week.day <= 7
        if week.month != previous_month and starts_month:
            month = dateformat.format(week, "M")
            label = _attrs(class_="chart__axis", x=x, y=baseline + 16)
            body.append(f"<text{label}>{escape(month)}</text>")
        previous_month = week.month
    svg = _svg(chart_id=chart_id, width=width, height=height, title=title, desc=desc, body=body)
    return mark_safe(svg)  # noqa: S308 (built from escaped text and numbers only)


def goals_svg(open: int, done: int, *, chart_id: str = "goals-chart") -> SafeString:
    """Two horizontal bars, open and done goals, each labelled with its number; the
    longer one spans the full width."""
    if open < 0 or done < 0:
        raise ValueError("Goal counts cannot be negative.")
    width = GOAL_LABEL_WIDTH + GOAL_BAR_MAX + 40
    height = GOAL_ROW * 2 + 8
    peak = max(open, done)
    title = _("Goals")
    desc = _("%(open)s open, %(done)s done") % {"open": open, "done": done}
    body = []
    for row, (css, label, count) in enumerate(
        (("chart__bar chart__bar--open", _("Open"), open),
         ("chart__bar chart__bar--done", _("Done"), done))
    ):  # fmt: skip
        y = 4 + row * GOAL_ROW
        bar_width = round(GOAL_BAR_MAX * count / peak, 2) if peak else 0
        body.append(f"<text{_attrs(x=0, y=y + 16)}>{escape(label)}</text>")
        bar = _attrs(class_=css, x=GOAL_LABEL_WIDTH, y=y, width=bar_width, height=GOAL_ROW - 8)
        tooltip = f"{label}: {count}"
        body.append(f"<rect{bar}><title>{escape(tooltip)}</title></rect>")
        number = _attrs(class_="chart__value", x=GOAL_LABEL_WIDTH + bar_width + 6, y=y + 16)
        body.append(f"<text{number}>{count}</text>")
    svg = _svg(chart_id=chart_id, width=width, height=height, title=title, desc=desc, body=body)
    return mark_safe(svg)  # noqa: S308 (built from escaped text and numbers only)


def progress_context(*, activity: list[tuple[date, int]], goals: dict[str, int]) -> dict[str, Any]:
    """What `portfolio/review/partials/progress.html` needs, from `activity_by_week` and
    `goals_open_done`. Templates cannot call functions with arguments, so a view adds
    this to its context: `context.update(charts.progress_context(...))`."""
    # Keys are prefixed so they cannot clash with a page's own context (a plan's "goals").
    return {
        "progress_activity": activity,
        "progress_goals": goals,
        "activity_chart": activity_svg(activity),
        "activity_rows": activity_table(activity),
        "goals_chart": goals_svg(goals["open"], goals["done"]),
    }
