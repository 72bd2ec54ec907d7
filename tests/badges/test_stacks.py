"""Stacks: a learner defines one from badges they hold and badges still to earn, and sees
how far along they are. Only a badge that verifies (or cannot be checked right now) counts
as earned; an expired one shows as expired; a revoked or failed one does not count."""

import html
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from badges import services
from badges.models import Badge, Stack, StackItem, Status
from badges.stacks import stack_create, stack_progress
from tests.badges.issuers import (
    RECIPIENT,
    credential,
    earner,
    earner_client,
    sign_did_key,
    sign_trusted,
)
from tests.conftest import People

__all__ = ["earner", "earner_client"]  # fixtures

PYTHON = "https://badges.test/achievements/python"
SQL = "https://badges.test/achievements/sql"
GIT = "https://badges.test/achievements/git"
STATS = "https://badges.test/achievements/statistics"


def held(
    owner: User,
    achievement_id: str,
    name: str,
    *,
    email: str = RECIPIENT,
    valid_from: str = "2026-01-10T09:00:00Z",
    trusted: bool = True,
    **extra: Any,
) -> Badge:
    """A badge for `achievement_id`, imported for `owner` (whose verified email is `email`),
    from an issuer a trusted registry lists (unless `trusted` is False)."""
    sign = sign_trusted if trusted else sign_did_key
    signed = sign(
        credential(
            issuer="did:key:x",
            recipient=email,
            achievement_id=achievement_id,
            name=name,
            valid_from=valid_from,
            **extra,
        )
    )
    return services.badge_import(owner=owner, payload=json.dumps(signed), source="json")


def expired(owner: User, achievement_id: str, name: str, *, email: str = RECIPIENT) -> Badge:
    badge = held(
        owner,
        achievement_id,
        name,
        email=email,
        valid_from="2025-01-10T09:00:00Z",
        validUntil="2025-07-10T09:00:00Z",
    )
    assert badge.status == Status.EXPIRED, badge.checks
    return badge


def define(client: Client, **fields: Any) -> Any:
    data = {"name": "Data analyst", "description": "", "still_to_earn": "", **fields}
    return client.post(reverse("badges:stack_create"), data)


def errors(response: Any) -> str:
    form = response.context["form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def items(stack: Stack) -> list[tuple[str, str, bool]]:
    return [(i.achievement_id, i.label, i.required) for i in stack.items.order_by("position")]


def states(stack: Stack, learner: User) -> dict[str, str]:
    progress = stack_progress(stack=stack, learner=learner)
    return {p.item.achievement_id: p.state for p in progress.items}


# --- defining a stack -----------------------------------------------------------------------


def test_the_form_offers_the_badges_the_learner_holds(earner_client: Client, earner: User) -> None:
    held(earner, PYTHON, "Python programming")
    held(earner, SQL, "SQL queries")
    page = earner_client.get(reverse("badges:stack_create")).content.decode()
    assert page.count(f'value="{PYTHON}"') == 2  # once as required, once as optional
    assert page.count(f'value="{SQL}"') == 2
    assert "SQL queries" in page


def test_a_learner_defines_a_stack_from_held_badges_and_ones_still_to_earn(
    earner_client: Client, earner: User
) -> None:
    held(earner, PYTHON, "Python programming")
    held(earner, SQL, "SQL queries")
    held(earner, GIT, "Version control")
    response = define(
        earner_client,
        description="The three-badge certificate.",
        required=[PYTHON],
        optional=[GIT],
        still_to_earn=f"{STATS} | Statistics\n\n  urn:uuid:5d8f1c3e  \ndid:example:ethics | Ethics",
    )
    stack = Stack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == stack.get_absolute_url()
    assert stack.owner == earner
    assert (stack.name, stack.description) == ("Data analyst", "The three-badge certificate.")
    assert items(stack) == [
        (PYTHON, "Python programming", True),
        (STATS, "Statistics", True),
        ("urn:uuid:5d8f1c3e", "urn:uuid:5d8f1c3e", True),  # no name given: the id is its label
        ("did:example:ethics", "Ethics", True),
        (GIT, "Version control", False),
    ]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"optional": [PYTHON]}, "A stack needs at least one required badge."),
        ({}, "A stack needs at least one required badge."),
        (
            {"required": [PYTHON], "optional": [PYTHON]},
            "A badge is either required or optional, not both.",
        ),
        (
            {"still_to_earn": f"{STATS} | Statistics\nThe ethics badge"},
            "Line 2 does not start with a badge id (a web address, urn: or did:).",
        ),
        ({"still_to_earn": "javascript:alert(1) | Click me"}, "Line 1 does not start"),
        ({"required": [SQL]}, "Select a valid choice"),  # a badge the learner does not hold
    ],
    ids=["optional only", "nothing", "both", "not an id", "script url", "not held"],
)
def test_a_stack_that_makes_no_sense_is_refused_with_a_clear_message(
    earner_client: Client, earner: User, fields: dict[str, Any], says: str
) -> None:
    held(earner, PYTHON, "Python programming")
    response = define(earner_client, **fields)
    assert response.status_code == 400
    assert says in errors(response)
    assert says in html.unescape(response.content.decode())  # shown on the page
    assert not Stack.objects.exists()


# --- progress -------------------------------------------------------------------------------


def test_progress_shows_earned_expired_and_missing_badges(
    earner_client: Client, earner: User
) -> None:
    held(earner, PYTHON, "Python programming")
    expired(earner, SQL, "SQL queries")
    held(earner, GIT, "Version control")
    stack = stack_create(
        owner=earner,
        name="Data analyst",
        description="",
        items=[(PYTHON, "Python", True), (SQL, "SQL", True), (STATS, "Stats", True),
               (GIT, "Git", False)],
    )  # fmt: skip
    progress = stack_progress(stack=stack, learner=earner)
    assert [p.state for p in progress.items] == ["earned", "expired", "missing", "earned"]
    assert (progress.required_earned, progress.required_total) == (1, 3)
    assert progress.percent == 33  # an optional badge earned adds nothing
    assert not progress.complete
    page = earner_client.get(stack.get_absolute_url()).content.decode()
    assert "1 of 3 required badges" in page
    assert 'value="33"' in page
    assert "stack-item--expired" in page and "stack-item--missing" in page
    assert "Complete" not in page


def test_a_stack_is_complete_when_every_required_badge_is_earned(
    earner_client: Client, earner: User
) -> None:
    held(earner, PYTHON, "Python programming")
    held(earner, SQL, "SQL queries")
    stack = stack_create(
        owner=earner,
        name="Data analyst",
        description="",
        items=[(PYTHON, "Python", True), (SQL, "SQL", True), (GIT, "Git", False)],
    )
    progress = stack_progress(stack=stack, learner=earner)
    assert (progress.percent, progress.complete) == (100, True)
    assert progress.items[2].state == "missing"  # the optional one is not needed
    page = earner_client.get(stack.get_absolute_url()).content.decode()
    assert "2 of 2 required badges" in page
    assert "Complete" in page


def test_an_expired_badge_does_not_complete_a_stack(earner: User) -> None:
    expired(earner, PYTHON, "Python programming")
    stack = stack_create(owner=earner, name="S", description="", items=[(PYTHON, "Python", True)])
    progress = stack_progress(stack=stack, learner=earner)
    assert (progress.percent, progress.complete) == (0, False)
    assert progress.items[0].state == "expired"


def test_a_stack_with_only_optional_items_is_never_complete(earner: User) -> None:
    held(earner, PYTHON, "Python programming")
    stack = stack_create(owner=earner, name="S", description="", items=[(PYTHON, "Python", False)])
    progress = stack_progress(stack=stack, learner=earner)
    assert (progress.percent, progress.complete) == (0, False)


@pytest.mark.parametrize("status", [Status.REVOKED, Status.FAILED])
def test_a_revoked_or_failed_badge_does_not_count(
    earner_client: Client, earner: User, status: Status
) -> None:
    badge = held(earner, PYTHON, "Python programming")
    Badge.objects.filter(pk=badge.pk).update(status=status)  # as a later re-check finds
    stack = stack_create(owner=earner, name="S", description="", items=[(PYTHON, "Python", True)])
    progress = stack_progress(stack=stack, learner=earner)
    assert progress.items[0].state == "missing"
    assert progress.items[0].badge is None
    assert (progress.percent, progress.complete) == (0, False)
    page = earner_client.get(stack.get_absolute_url()).content.decode()
    assert "0 of 1 required badges" in page
    assert badge.get_absolute_url() not in page


def test_a_badge_from_an_unidentified_issuer_is_held_but_does_not_count(
    earner_client: Client, earner: User
) -> None:
    badge = held(earner, PYTHON, "Python programming", trusted=False)
    assert badge.status == Status.UNIDENTIFIED
    stack = stack_create(owner=earner, name="S", description="", items=[(PYTHON, "Python", True)])
    progress = stack_progress(stack=stack, learner=earner)
    assert progress.items[0].state == "held"
    assert (progress.required_earned, progress.complete) == (0, False)
    page = earner_client.get(stack.get_absolute_url()).content.decode()
    assert "0 of 1 required badges" in page
    assert "Held, not counted: Signature valid · issuer not identified" in page
    assert "Only verified badges count towards a stack" in page


@pytest.mark.parametrize("status", [Status.UNVERIFIABLE, Status.UNCONFIRMED])
def test_a_badge_not_verifiable_now_or_not_confirmed_as_theirs_does_not_count(
    earner: User, status: Status
) -> None:
    badge = held(earner, PYTHON, "Python programming")
    Badge.objects.filter(pk=badge.pk).update(status=status)  # as a later re-check finds
    stack = stack_create(owner=earner, name="S", description="", items=[(PYTHON, "Python", True)])
    progress = stack_progress(stack=stack, learner=earner)
    assert progress.items[0].state == "held"
    assert (progress.percent, progress.complete) == (0, False)


def test_the_best_badge_held_for_an_item_counts(earner: User) -> None:
    revoked = held(earner, PYTHON, "Python programming", valid_from="2026-01-01T09:00:00Z")
    Badge.objects.filter(pk=revoked.pk).update(status=Status.REVOKED)
    old = expired(earner, SQL, "SQL queries")
    current = held(earner, SQL, "SQL queries", valid_from="2026-02-01T09:00:00Z")
    stack = stack_create(
        owner=earner, name="S", description="", items=[(PYTHON, "Python", True), (SQL, "SQL", True)]
    )
    assert states(stack, earner) == {PYTHON: "missing", SQL: "earned"}
    held(earner, PYTHON, "Python programming", valid_from="2026-03-01T09:00:00Z")
    assert states(stack, earner) == {PYTHON: "earned", SQL: "earned"}
    sql_item = stack_progress(stack=stack, learner=earner).items[1]
    assert sql_item.badge is not None and sql_item.badge.pk == current.pk != old.pk


def test_progress_counts_only_the_learners_own_badges(people: People) -> None:
    held(people.classmate, PYTHON, "Python programming", email=people.classmate.email)
    stack = stack_create(
        owner=people.learner, name="S", description="", items=[(PYTHON, "Python", True)]
    )
    assert states(stack, people.learner) == {PYTHON: "missing"}


# --- institution stacks ---------------------------------------------------------------------


def test_an_institution_stack_shows_for_every_learner_with_their_own_progress(
    client: Client, people: People
) -> None:
    stack = Stack.objects.create(owner=None, name="Certificate in Data", description="")
    StackItem.objects.create(stack=stack, achievement_id=PYTHON, label="Python", position=0)
    StackItem.objects.create(stack=stack, achievement_id=SQL, label="SQL", position=1)
    held(people.learner, PYTHON, "Python programming", email=people.learner.email)
    held(people.learner, SQL, "SQL queries", email=people.learner.email)
    held(people.outsider, PYTHON, "Python programming", email=people.outsider.email)
    stack_create(owner=people.learner, name="My own plan", description="",
                 items=[(GIT, "Git", True)])  # fmt: skip
    expected = {
        people.learner: "2 of 2 required badges",
        people.classmate: "0 of 2 required badges",
        people.outsider: "1 of 2 required badges",
    }
    for learner, says in expected.items():
        client.force_login(learner)
        listed = client.get(reverse("badges:stack_list")).content.decode()
        assert "Certificate in Data" in listed
        assert listed.count("From your institution") == 1  # not on the learner's own stack
        assert says in listed
        assert client.get(stack.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "line",
    [f"{STATS} | {'x' * 301}", "https://badges.test/" + "a" * 2000],
    ids=["name over 300 characters", "id over 2000 characters"],
)
def test_an_over_long_still_to_earn_line_is_refused(
    earner_client: Client, earner: Any, line: str
) -> None:
    response = define(earner_client, still_to_earn=line)
    assert response.status_code == 400
    assert "Line 1 is too long" in response.content.decode()
    assert not Stack.objects.exists()
