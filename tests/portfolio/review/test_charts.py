"""Progress charts: accessible SVG built on the server, with a table alternative."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from django.template.loader import render_to_string

from portfolio.review import charts

SVG = "{http://www.w3.org/2000/svg}"


def weeks_of(counts: list[int], first: date = date(2026, 3, 2)) -> list[tuple[date, int]]:
    return [(first + timedelta(weeks=i), count) for i, count in enumerate(counts)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own markup)


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if "chart__bar" in rect.get("class", "")]


def test_activity_chart_is_a_named_image() -> None:
    root = parse(charts.activity_svg(weeks_of([1, 2, 3])))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Evidence added per week"
    assert desc is not None and "6 items" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_activity_chart_has_one_bar_a_week_with_proportional_heights() -> None:
    counts = [0, 4, 2, 1] + [0] * 22
    found = bars(parse(charts.activity_svg(weeks_of(counts))))
    assert len(found) == 26
    heights = [float(bar.get("height", "nan")) for bar in found]
    assert heights[0] == 0
    assert heights[1] == charts.PLOT_HEIGHT
    assert heights[2] == heights[1] / 2
    assert heights[3] == heights[1] / 4
    # Every bar stands on the same baseline.
    assert len({float(b.get("y", "nan")) + h for b, h in zip(found, heights, strict=True)}) == 1


def test_each_bar_has_a_tooltip_with_its_week_and_count() -> None:
    found = bars(parse(charts.activity_svg(weeks_of([4, 1]))))
    assert [bar.findtext(f"{SVG}title") for bar in found] == [
        "Week of 2 Mar: 4 items",
        "Week of 9 Mar: 1 item",
    ]


def test_months_are_labelled_once_each() -> None:
    root = parse(charts.activity_svg(weeks_of([1] * 9)))  # 2 Mar to 27 Apr
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart__axis"]
    assert labels == ["Mar", "Apr"]


def test_no_activity_says_so_instead_of_drawing_bars() -> None:
    for weeks in (weeks_of([0] * 26), []):
        root = parse(charts.activity_svg(weeks))
        assert bars(root) == []
        assert "No activity yet" in [t.text for t in root.iter(f"{SVG}text")]
        assert root.findtext(f"{SVG}desc") == "No activity yet"


def test_goals_chart_labels_both_numbers_and_scales_bars() -> None:
    root = parse(charts.goals_svg(3, 6))
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}desc") == "3 open, 6 done"
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart__value"]
    assert values == ["3", "6"]
    open_bar, done_bar = bars(root)
    assert float(done_bar.get("width", "nan")) == charts.GOAL_BAR_MAX
    assert float(open_bar.get("width", "nan")) == charts.GOAL_BAR_MAX / 2


def test_goals_chart_with_no_goals_draws_empty_bars() -> None:
    root = parse(charts.goals_svg(0, 0))
    assert [float(bar.get("width", "nan")) for bar in bars(root)] == [0, 0]


def test_activity_table_matches_the_chart() -> None:
    rows = charts.activity_table(weeks_of([5, 0]))
    assert [(r.week, r.label, r.count) for r in rows] == [
        (date(2026, 3, 2), "2 Mar", 5),
        (date(2026, 3, 9), "9 Mar", 0),
    ]


def test_partial_renders_both_charts_and_a_table_alternative() -> None:
    html = render_to_string(
        "portfolio/review/partials/progress.html",
        charts.progress_context(activity=weeks_of([2, 7]), goals={"open": 1, "done": 4}),
    )
    assert html.count('role="img"') == 2
    assert "<svg" in html and "&lt;svg" not in html  # the charts are not escaped twice
    assert "<table>" in html and "<td>7</td>" in html and "9 Mar" in html
    assert "1 open, 4 done" in html
