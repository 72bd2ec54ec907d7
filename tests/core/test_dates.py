"""One way of writing dates and times, chosen by the browser's language."""

import re
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from portfolio.models import Notification, ReviewMark
from portfolio.review import services
from reflections.models import Reflection
from tests.conftest import People
from tests.portfolio.review.test_permissions import reflection

EVENING = datetime(2026, 12, 7, 17, 30, tzinfo=UTC)


def page_text(user: User, url: str, language: str | None) -> str:
    client = Client(headers={"Accept-Language": language} if language else {})
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", "", response.content.decode())).split())


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en-GB,en;q=0.9", "7 Dec 2026, 17:30"),
        ("en-US,en;q=0.9", "Dec 7, 2026, 5:30 PM"),
        ("en-AU", "7 Dec 2026, 17:30"),
        (None, "7 Dec 2026, 17:30"),
    ],
)
def test_a_date_and_time_is_written_the_way_the_browser_language_expects(
    people: People, language: str | None, written: str
) -> None:
    ReviewMark.objects.create(tutor=people.tutor, learner=people.learner, reviewed_up_to=EVENING)
    url = reverse("review_tutor:learner", args=[people.learner.public_id])
    text = page_text(people.tutor, url, language)
    assert f"You last marked this portfolio reviewed on {written}." in text


@pytest.mark.parametrize("language", ["en-US", "en-GB", None])
def test_a_sentence_ending_in_a_time_has_one_full_stop(
    people: People, language: str | None
) -> None:
    ReviewMark.objects.create(tutor=people.tutor, learner=people.learner, reviewed_up_to=EVENING)
    url = reverse("review_tutor:learner", args=[people.learner.public_id])
    assert ".." not in page_text(people.tutor, url, language)


def test_times_are_shown_in_the_person_s_time_zone(people: People) -> None:
    people.tutor.time_zone = "Asia/Tokyo"
    people.tutor.save(update_fields=["time_zone"])
    ReviewMark.objects.create(tutor=people.tutor, learner=people.learner, reviewed_up_to=EVENING)
    url = reverse("review_tutor:learner", args=[people.learner.public_id])
    assert "reviewed on 8 Dec 2026, 02:30." in page_text(people.tutor, url, "en-GB")


@pytest.mark.parametrize(
    ("language", "written"), [("en-US", "Dec 7, 2026"), ("en-GB", "7 Dec 2026")]
)
def test_the_tutor_dashboard_dates_follow_the_browser_language(
    people: People, language: str, written: str
) -> None:
    item = reflection(people.learner)
    Reflection.objects.filter(pk=item.pk).update(created_at=EVENING)
    text = page_text(people.tutor, reverse("review_tutor:dashboard"), language)
    assert written in text


@pytest.mark.parametrize(
    ("language", "written"), [("en-US", "due Jan 5, 2027"), ("en-GB", "due 5 Jan 2027")]
)
def test_a_goal_due_date_on_the_tutor_page_follows_the_browser_language(
    people: People, language: str, written: str
) -> None:
    services.goal_create(
        learner=people.learner, title="Plan", due_on=date(2027, 1, 5), created_by=people.tutor
    )
    url = reverse("review_tutor:learner", args=[people.learner.public_id])
    assert written in page_text(people.tutor, url, language)


def test_a_meeting_notification_writes_its_date_for_people_not_machines(
    people: People,
) -> None:
    services.meeting_record(
        tutor=people.tutor,
        learner=people.learner,
        held_on=date(2026, 11, 7),
        summary="Talked",
        next_steps=[],
    )
    text = Notification.objects.get(recipient=people.learner).text
    assert "7 Nov 2026" in text
    assert "2026-11-07" not in text


# |date with a literal pattern writes dates its own way; only the locale's named formats,
# or a machine format inside a datetime="" attribute, keep every page alike.
_DATE_FILTER = re.compile(r"""\|date:["']([^"']+)["']""")
_NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT"}
_MACHINE = {"c", "Y-m-d"}


def test_every_template_date_uses_the_locale_s_format_or_is_machine_readable() -> None:
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for line_no, line in enumerate(path.read_text().splitlines(), start=1):
            for match in _DATE_FILTER.finditer(line):
                fmt = match.group(1)
                if fmt in _NAMED or (fmt in _MACHINE and _is_machine_use(line, match.start())):
                    continue
                offenders.append(f"{path.name}:{line_no}: {fmt}")
    assert offenders == []


def _is_machine_use(line: str, at: int) -> bool:
    """The filter feeds a datetime attribute (directly or through a blocktranslate name)
    or a <meta> tag's content, which machines read."""
    before = line[:at]
    if before.rstrip().endswith(('datetime="{{', "datetime='{{")) or re.search(
        r"(datetime|<meta [^>]*content)=[\"']\{\{ *[\w.]+$", before
    ):
        return True
    name = re.search(r"(\w+)=[\w.]+$", before)
    return bool(name and f'datetime="{{{{ {name.group(1)} }}}}"' in line)
