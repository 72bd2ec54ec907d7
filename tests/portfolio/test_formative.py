"""The formative portfolio: a learner's artefacts, reflections and badges over time,
grouped by week or month with counts, filtered, paginated with a fixed number of
queries; read in full by the learner and, without private items, by their tutors."""

import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from artefacts.services import (
    Details,
    artefact_create_file,
    artefact_create_link,
    artefact_create_text,
    artefact_prepare_preview,
)
from badges.models import Badge
from badges.services import badge_import
from portfolio.formative import PAGE_SIZE, formative_timeline
from reflections.services import ReflectionInput, reflection_create
from tests import filemakers as make
from tests.badges.issuers import credential, sign_trusted
from tests.conftest import People
from tests.portfolio.showcase_data import badge as badge_with_image

OWN = reverse("portfolio:formative")


def week(label: str) -> str:
    """A week's heading as shown: the range has an en dash."""
    return label.replace(" - ", " \u2013 ")


def for_learner(learner: User) -> str:
    return reverse("portfolio:formative_learner", args=[learner.public_id])


# --- Evidence, made through the services ------------------------------------------------


def link(owner: User, title: str, day: date, *, private: bool = False, tags: tuple = ()) -> Any:
    return artefact_create_link(
        owner=owner,
        url=f"https://example.org/{title.replace(' ', '-')}",
        details=Details(
            title=title, learned_on=day, tags=tags, visibility="private" if private else "tutors"
        ),
    )


def text(owner: User, title: str, day: date) -> Any:
    return artefact_create_text(
        owner=owner, body_markdown="Notes.", details=Details(title=title, learned_on=day)
    )


def reflection(
    owner: User, title: str, day: date, *, private: bool = False, tags: tuple = ()
) -> Any:
    return reflection_create(
        owner=owner,
        data=ReflectionInput(
            title=title,
            body_markdown="What happened, so what, now what.",
            written_on=day,
            tags=tags,
            visibility="private" if private else "tutors",
        ),
    )


def badge(owner: User, name: str, issued: str, *, private: bool = False) -> Badge:
    """A verified OB 3.0 badge issued to the owner's verified email at `issued` (UTC)."""
    signed = sign_trusted(
        credential(
            issuer="did:key:placeholder",
            recipient=owner.email,
            achievement_id=f"https://badges.test/achievements/{name.replace(' ', '-')}",
            name=name,
            valid_from=issued,
        )
    )
    imported = badge_import(
        owner=owner,
        payload=json.dumps(signed),
        source="json",
        visibility="private" if private else "tutors",
    )
    assert imported.status == "verified", imported.checks
    return imported


def march(owner: User) -> None:
    """Week 11 and 12 of 2026 and one item in February, one of each type and a private
    one."""
    link(owner, "Site visit", date(2026, 3, 16), tags=("Web",))  # Monday, week 12
    text(owner, "Meeting notes", date(2026, 3, 22))  # Sunday, week 12
    link(owner, "Private plan", date(2026, 3, 18), private=True, tags=("secret",))
    reflection(owner, "First week", date(2026, 3, 10), tags=("web",))  # week 11
    badge(owner, "Python programming", "2026-03-20T09:00:00Z")  # week 12
    reflection(owner, "Before the course", date(2026, 2, 3))  # week 6


def periods(response: Any) -> list[tuple[str, int, int, int, list[str]]]:
    """(label, artefacts, reflections, badges, titles on the page) for each period."""
    assert response.status_code == 200, response.content.decode()[:500]
    return [
        (p.label, p.artefacts, p.reflections, p.badges, [str(i.obj) for i in p.items])
        for p in response.context["timeline"].periods
    ]


def titles(response: Any) -> list[str]:
    return [title for *_counts, names in periods(response) for title in names]


@pytest.fixture
def learner_client(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


@pytest.fixture
def tutor_client(client: Client, people: People) -> Client:
    client.force_login(people.tutor)
    return client


# --- Grouping and counts ---------------------------------------------------------------


def test_grouped_by_week_newest_first_with_counts_per_kind(
    learner_client: Client, people: People
) -> None:
    march(people.learner)
    assert periods(learner_client.get(OWN + "?group_by=week")) == [
        (
            week("Week 12, 2026 (16 March - 22 March)"),
            3,
            0,
            1,
            ["Meeting notes", "Python programming", "Private plan", "Site visit"],
        ),
        (week("Week 11, 2026 (9 March - 15 March)"), 0, 1, 0, ["First week"]),
        (week("Week 6, 2026 (2 February - 8 February)"), 0, 1, 0, ["Before the course"]),
    ]


def test_grouped_by_month_and_month_is_the_default(learner_client: Client, people: People) -> None:
    march(people.learner)
    expected = [
        (
            "March 2026",
            3,
            1,
            1,
            ["Meeting notes", "Python programming", "Private plan", "Site visit", "First week"],
        ),
        ("February 2026", 0, 1, 0, ["Before the course"]),
    ]
    assert periods(learner_client.get(OWN + "?group_by=month")) == expected
    assert periods(learner_client.get(OWN)) == expected


def test_counts_are_shown_on_the_page(learner_client: Client, people: People) -> None:
    march(people.learner)
    html = learner_client.get(OWN + "?group_by=week").content.decode()
    assert "3 artefacts" in html and "1 badge" in html and "1 reflection" in html
    dates = week("16 March - 22 March")
    assert (
        f'<h2 id="period-2026-03-16">Week 12, 2026'
        f'<span class="timeline-period__dates"> {dates}</span></h2>'
    ) in html


def test_a_week_at_new_year_belongs_to_its_iso_year(learner_client: Client, people: People) -> None:
    link(people.learner, "New year", date(2027, 1, 2))
    assert periods(learner_client.get(OWN + "?group_by=week"))[0][0] == (
        week("Week 53, 2026 (28 December - 3 January)")
    )


def test_a_badge_falls_on_the_day_it_was_issued_where_the_viewer_is(
    client: Client, people: People
) -> None:
    # Sunday 22 March, 23:30 in London (UTC then) is already Monday 23 March in Berlin.
    badge(people.learner, "Night shift", "2026-03-22T23:30:00Z")
    User.objects.filter(pk=people.learner.pk).update(time_zone="Europe/Berlin")
    User.objects.filter(pk=people.tutor.pk).update(time_zone="Europe/London")
    client.force_login(people.learner)
    assert periods(client.get(OWN + "?group_by=week"))[0][0].startswith("Week 13, 2026")
    client.force_login(people.tutor)
    assert periods(client.get(for_learner(people.learner) + "?group_by=week"))[0][0].startswith(
        "Week 12, 2026"
    )


# --- Filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=link", ["Private plan", "Site visit"]),
        ("?kind=text", ["Meeting notes"]),
        ("?kind=reflection", ["First week", "Before the course"]),
        ("?kind=badge", ["Python programming"]),
        ("?tag=WEB", ["Site visit", "First week"]),  # any case; badges have no tags
        ("?kind=reflection&tag=web", ["First week"]),
        ("?tag=nothing-has-this", []),
        ("?kind=image", []),
    ],
)
def test_filters_by_kind_and_tag(
    learner_client: Client, people: People, query: str, expected: list[str]
) -> None:
    march(people.learner)
    assert titles(learner_client.get(OWN + query)) == expected


def test_counts_follow_the_filters(learner_client: Client, people: People) -> None:
    march(people.learner)
    assert periods(learner_client.get(OWN + "?tag=web"))[0][1:4] == (1, 1, 0)


def test_nothing_matching_offers_to_show_everything(learner_client: Client, people: People) -> None:
    march(people.learner)
    html = learner_client.get(OWN + "?kind=video&group_by=week").content.decode()
    assert "Nothing matches these filters." in html
    assert 'href="?group_by=week"' in html


def test_images_show_their_thumbnail_once_it_is_ready(
    learner_client: Client, people: People
) -> None:
    photo = artefact_create_file(
        owner=people.learner,
        upload=make.uploaded("photo.png", make.png()),
        details=Details(title="Site photo"),
    )
    thumbnail = reverse("artefacts:thumbnail", args=[photo.public_id])
    assert thumbnail not in learner_client.get(OWN).content.decode()  # still pending
    artefact_prepare_preview(artefact_id=photo.pk)
    assert titles(learner_client.get(OWN + "?kind=image")) == ["Site photo"]
    assert thumbnail in learner_client.get(OWN).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?kind=everything", "Choose a kind of evidence from the list."),
        ("?group_by=year", "Group by week or by month."),
        ("?page=two", "The page number must be a whole number."),
        ("?page=0", "The page number must be 1 or more."),
        ("?tag=" + "x" * 51, "A tag is at most 50 characters long."),
    ],
)
def test_a_bad_filter_is_a_400_that_says_what_was_wrong(
    learner_client: Client, people: People, query: str, message: str
) -> None:
    march(people.learner)
    response = learner_client.get(OWN + query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert len(response.context["timeline"].periods) == 2  # the whole timeline, by month


# --- Privacy ---------------------------------------------------------------------------


def test_the_owner_sees_private_items_marked_private(
    learner_client: Client, people: People
) -> None:
    march(people.learner)
    response = learner_client.get(OWN)
    assert "Private plan" in titles(response)
    assert '<span class="pill pill--private">Private</span>' in response.content.decode()
    assert response.context["timeline"].tags == ["secret", "Web"]


def test_a_tutor_sees_the_shared_items_but_never_private_ones(
    tutor_client: Client, people: People
) -> None:
    march(people.learner)
    reflection(people.learner, "Hard week", date(2026, 3, 11), private=True)
    badge(people.learner, "Hidden badge", "2026-03-12T09:00:00Z", private=True)
    response = tutor_client.get(for_learner(people.learner) + "?group_by=week")
    assert periods(response) == [
        (
            week("Week 12, 2026 (16 March - 22 March)"),
            2,
            0,
            1,
            ["Meeting notes", "Python programming", "Site visit"],
        ),
        (week("Week 11, 2026 (9 March - 15 March)"), 0, 1, 0, ["First week"]),
        (week("Week 6, 2026 (2 February - 8 February)"), 0, 1, 0, ["Before the course"]),
    ]
    html = response.content.decode()
    for hidden in ("Private plan", "Hard week", "Hidden badge", "secret", "Private</span>"):
        assert hidden not in html
    assert response.context["timeline"].tags == ["Web"]  # "secret" is only on a private item


def test_a_tutor_cannot_find_private_items_by_filtering(
    tutor_client: Client, people: People
) -> None:
    march(people.learner)
    url = for_learner(people.learner)
    assert titles(tutor_client.get(url + "?tag=secret")) == []
    assert titles(tutor_client.get(url + "?kind=link")) == ["Site visit"]


def test_the_learners_page_shows_only_their_own_items(
    learner_client: Client, people: People
) -> None:
    link(people.classmate, "Classmate's work", date(2026, 3, 1))
    link(people.learner, "My work", date(2026, 3, 1))
    assert titles(learner_client.get(OWN)) == ["My work"]


def test_the_tutors_page_names_the_learner(tutor_client: Client, people: People) -> None:
    html = tutor_client.get(for_learner(people.learner)).content.decode()
    assert f"<h1>Formative portfolio of {people.learner.display_name}</h1>" in html
    assert "has not shared any evidence" in html


# --- Who may reach which page ----------------------------------------------------------


def test_a_tutor_of_another_cohort_gets_a_404(client: Client, people: People) -> None:
    march(people.learner)
    client.force_login(people.other_tutor)
    assert client.get(for_learner(people.learner)).status_code == 404


def test_a_tutor_gets_a_404_for_a_learner_outside_their_cohorts(
    tutor_client: Client, people: People
) -> None:
    assert tutor_client.get(for_learner(people.outsider)).status_code == 404
    assert tutor_client.get(for_learner(people.other_tutor)).status_code == 404  # not a learner


def test_a_tutor_loses_access_when_the_learner_leaves_the_cohort(
    tutor_client: Client, people: People
) -> None:
    assert tutor_client.get(for_learner(people.learner)).status_code == 200
    people.cohort.learners.remove(people.learner)
    assert tutor_client.get(for_learner(people.learner)).status_code == 404


@pytest.mark.parametrize("role", ["learner", "classmate", "admin"])
def test_only_tutors_reach_a_learners_formative_page(
    client: Client, people: People, role: str
) -> None:
    client.force_login(getattr(people, role))
    assert client.get(for_learner(people.learner)).status_code == 403


@pytest.mark.parametrize("role", ["tutor", "admin"])
def test_only_learners_have_their_own_formative_page(
    client: Client, people: People, role: str
) -> None:
    client.force_login(getattr(people, role))
    assert client.get(OWN).status_code == 403


@pytest.mark.parametrize("which", ["own", "tutor"])
def test_anonymous_is_sent_to_sign_in(client: Client, people: People, which: str) -> None:
    march(people.learner)
    url = OWN if which == "own" else for_learner(people.learner)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_selector_gives_a_stranger_nothing(people: People) -> None:
    march(people.learner)
    for stranger in (people.other_tutor, people.classmate, people.admin):
        timeline = formative_timeline(
            owner=people.learner, viewer=stranger, group_by="week", kind="", tag="", page=1
        )
        assert timeline.total == 0 and timeline.periods == []


# --- Empty state, pages, hook, navigation ----------------------------------------------


def test_an_empty_portfolio_says_what_to_do_first(learner_client: Client) -> None:
    html = learner_client.get(OWN).content.decode()
    assert "Start with one thing you did or learned recently." in html
    for name in ("artefacts:add", "reflections:create", "badges:import"):
        assert f'href="{reverse(name)}"' in html
    assert 'role="search"' not in html  # nothing to filter yet


def _fill(owner: User, count: int) -> None:
    """`count` items over many weeks: links, reflections and a few badges."""
    start = date(2026, 1, 1)
    for i in range(count):
        day = start + timedelta(days=i)
        if i % 40 == 0:
            badge(owner, f"Badge {i}", f"{day.isoformat()}T12:00:00Z")
        elif i % 3 == 0:
            reflection(owner, f"Reflection {i}", day, tags=("weekly",))
        else:
            link(owner, f"Link {i}", day, tags=("web",), private=i % 7 == 0)


def test_pages_hold_a_fixed_number_of_items_and_split_periods_say_so(
    learner_client: Client, people: People
) -> None:
    # 1 Jan 2026 is a Thursday: week 1 holds Links 0-3, and the 48 newer items fill
    # page 1 with two of them; the other two are on page 2.
    for i in range(52):
        link(people.learner, f"Link {i}", date(2026, 1, 1) + timedelta(days=i))
    first = learner_client.get(OWN + "?group_by=week")
    second = learner_client.get(OWN + "?group_by=week&page=2")
    assert len(titles(first)) == PAGE_SIZE and len(titles(second)) == 52 - PAGE_SIZE
    assert titles(first)[0] == "Link 51" and titles(second) == ["Link 1", "Link 0"]
    split = second.context["timeline"].periods[0]
    assert split.label.startswith("Week 1, 2026") and split.artefacts == 4  # the whole week
    assert split.continued and [i.obj.title for i in split.items] == ["Link 1", "Link 0"]
    assert first.context["timeline"].periods[-1].continues
    assert "More from this period on the next page." in first.content.decode()
    assert "Continued from the previous page." in second.content.decode()
    assert titles(learner_client.get(OWN + "?group_by=week&page=99")) == titles(second)


def test_page_links_keep_the_filters(learner_client: Client, people: People) -> None:
    _fill(people.learner, 80)
    html = learner_client.get(OWN + "?group_by=week&tag=web").content.decode()
    assert 'href="?group_by=week&amp;tag=web&amp;page=2" rel="next"' in html


@pytest.mark.parametrize("items", [5, 200])
def test_the_learners_page_runs_a_fixed_number_of_queries(
    learner_client: Client, people: People, django_assert_max_num_queries, items: int
) -> None:
    _fill(people.learner, items)
    # session, user, counts per period, page of keys, artefacts + tags,
    # reflections + tags, badges, tag names, showcases to promote into, feedback threads,
    # open requests for feedback, attestations of the page's artefacts and reflections
    with django_assert_max_num_queries(15):
        response = learner_client.get(OWN + "?group_by=week")
    assert len(titles(response)) == min(items, PAGE_SIZE)


@pytest.mark.parametrize("items", [5, 200])
def test_the_tutors_page_runs_a_fixed_number_of_queries(
    tutor_client: Client, people: People, django_assert_max_num_queries, items: int
) -> None:
    _fill(people.learner, items)
    # the same (no showcases), the learner looked up in the tutor's cohorts, threads,
    # open requests for feedback, the tutor's review mark, and the attestations
    with django_assert_max_num_queries(16):
        response = tutor_client.get(for_learner(people.learner) + "?group_by=week")
    assert titles(response) and all(not i.obj.is_private for i in _items(response))


def _items(response: Any) -> list[Any]:
    return [item for period in response.context["timeline"].periods for item in period.items]


def test_each_item_offers_feedback_actions_to_its_viewer(
    learner_client: Client, people: People
) -> None:
    march(people.learner)
    own = learner_client.get(OWN).content.decode()
    assert "Ask my tutor about this" in own and "Leave feedback on this" not in own
    tutor = Client()
    tutor.force_login(people.tutor)
    tutors = tutor.get(for_learner(people.learner)).content.decode()
    assert "Leave feedback on this" in tutors and "Ask my tutor about this" not in tutors


def test_items_link_to_their_own_pages(learner_client: Client, people: People) -> None:
    march(people.learner)
    response = learner_client.get(OWN)
    html = response.content.decode()
    for item in _items(response):
        assert f'href="{item.obj.get_absolute_url()}"' in html


def test_learners_find_it_in_the_navigation(learner_client: Client) -> None:
    html = learner_client.get(reverse("portfolio:library")).content.decode()
    assert f'<a href="{OWN}">Formative portfolio</a>' in html


def test_ticked_timeline_items_can_be_promoted_to_a_showcase(
    learner_client: Client, people: People
) -> None:
    from portfolio.models import Showcase

    _fill(people.learner, 3)
    page = learner_client.get(OWN)
    refs = re.findall(r'name="items" value="([a-z]+:[0-9a-f-]{36})"', page.content.decode())
    assert len(refs) == 3
    response = learner_client.post(
        reverse("showcases:promote"), {"items": refs[:2], "showcase": "new", "title": "Picks"}
    )
    showcase = Showcase.objects.get(title="Picks")
    assert response["Location"] == showcase.get_absolute_url()
    assert showcase.sections.get().items.count() == 2


def test_a_tutor_sees_no_promote_controls(tutor_client: Client, people: People) -> None:
    _fill(people.learner, 2)
    page = tutor_client.get(for_learner(people.learner)).content.decode()
    assert 'name="items"' not in page


def test_the_tutor_marks_the_timeline_reviewed_and_new_items_stand_out(
    tutor_client: Client, people: People
) -> None:
    from artefacts.services import Details, artefact_create_link

    march(people.learner)
    url = for_learner(people.learner)
    response = tutor_client.post(
        reverse("review_tutor:review_mark", args=[people.learner.public_id]), {"next": url}
    )
    assert response["Location"] == url
    artefact_create_link(owner=people.learner, url="https://example.org/new",
                         details=Details(title="Brand new work"))  # fmt: skip
    html = tutor_client.get(url).content.decode()
    assert "You reviewed up to" in html
    assert html.count("New since your review") == 1
    assert "Reviewed</span>" in html


def test_a_badge_shows_its_image_and_each_item_asks_the_ask_page(
    learner_client: Client, people: People
) -> None:
    held = badge_with_image(people.learner)
    march(people.learner)
    html = learner_client.get(OWN).content.decode()
    assert f'src="{reverse("badges:image", args=[held.public_id])}"' in html
    assert f'href="{held.get_absolute_url()}"' in html
    assert html.count(f'formaction="{reverse("review:ask")}"') >= 2
