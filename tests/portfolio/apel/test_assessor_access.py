"""Who reaches a claim's assessor pages, and through what. Every assessor URL (the page,
the judgement and recommendation forms, each file, thumbnail, badge page, image and
report) against each actor who must not reach it: anonymous visitors, the learner
themselves, another learner, the learner's tutor, a tutor of another cohort, an assessor
of another claim, an assessor of another institution, a suspended assessor, an assessor
whose access was revoked, a revoked or expired link, an unknown link, and a link of
another claim used on this claim's items. And the learner's own URLs (submit, revoke,
re-send) against everyone but the learner."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.institutions.models import Membership, MembershipState
from portfolio.apel import assessors
from portfolio.models import Claim, ClaimAssessor
from tests.conftest import People
from tests.factories import InstitutionFactory, LearnerFactory
from tests.portfolio.apel.apel_data import claim_for, programme
from tests.portfolio.apel.assessor_data import (
    Evidence,
    assessor_user,
    draft_with,
    evidence_of,
    submit_by_email,
    submit_to_user,
)
from tests.portfolio.showcase_data import pdf_artefact, reflection

pytestmark = pytest.mark.django_db


CLAIM_TITLE = "Recognition of my placement year"


@dataclass
class World:
    people: People
    evidence: Evidence
    claim: Claim  # the learner's, submitted to `assessor` and by email (`token`)
    assessor: Any
    token: str
    revoked_token: str
    expired_token: str
    suspended: Any  # assigned to `claim`, then suspended in the institution
    dropped: Any  # assigned to `claim`, then revoked by the learner
    other_claim: Claim  # a classmate's, submitted to `other_assessor` and by `other_token`
    other_assessor: Any
    other_token: str
    foreign_assessor: Any  # an assessor of another institution
    draft: Claim  # the learner's, not yet submitted


@pytest.fixture
def world(people: People, django_capture_on_commit_callbacks: Any) -> World:
    capture = django_capture_on_commit_callbacks
    evidence = evidence_of(people.learner)
    prog = programme(outcomes=3)
    claim = draft_with(people.learner, evidence, prog)
    Claim.objects.filter(pk=claim.pk).update(title=CLAIM_TITLE)
    assessor = assessor_user(name="Ann Assessor")
    suspended, dropped = assessor_user(), assessor_user()
    submit_to_user(claim, assessor, capture)
    for extra in (suspended, dropped):
        with capture(execute=True):
            assessors.assessor_assign(claim=claim, user=extra)
    Membership.objects.filter(user=suspended).update(state=MembershipState.SUSPENDED)
    assessors.assessor_revoke(assessor=ClaimAssessor.objects.get(claim=claim, user=dropped))
    with capture(execute=True):
        found = assessors.assessor_invite(claim=claim, name="Link Holder", email="l@x.test")
        revoked = assessors.assessor_invite(claim=claim, name="Revoked", email="r@x.test")
        expired = assessors.assessor_invite(claim=claim, name="Expired", email="e@x.test")
    assessors.assessor_revoke(assessor=revoked.assessor)
    ClaimAssessor.objects.filter(pk=expired.assessor.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    other_pdf = pdf_artefact(people.classmate, title="Classmate's report")
    other_claim = claim_for(people.classmate, prog, {"LO1": [other_pdf]})
    other_assessor = assessor_user()
    submit_to_user(other_claim, other_assessor, capture)
    _, other_token = submit_by_email(
        claim_for(people.classmate, prog, {"LO1": [other_pdf]}), capture, email="o@x.test"
    )
    elsewhere = InstitutionFactory.create()
    foreign_assessor = assessor_user(institution=elsewhere)
    foreigner = LearnerFactory.create(institution=elsewhere)
    foreign_claim = claim_for(
        foreigner, programme(institution=elsewhere, outcomes=1), {"LO1": [reflection(foreigner)]}
    )
    submit_to_user(foreign_claim, foreign_assessor, capture)
    return World(
        people=people,
        evidence=evidence,
        claim=claim,
        assessor=assessor,
        token=found.token,
        revoked_token=revoked.token,
        expired_token=expired.token,
        suspended=suspended,
        dropped=dropped,
        other_claim=other_claim,
        other_assessor=other_assessor,
        other_token=other_token,
        foreign_assessor=foreign_assessor,
        draft=draft_with(people.learner, evidence, prog),
    )


# The assessor's URLs, as (name, method, kwargs builder). The key is a token or the
# claim's public id; items are the learner's mapped image and badge.
Item = Callable[[World], Any]
PARTS: list[tuple[str, str, Item | None]] = [
    ("", "get", None),
    ("judge", "post", None),
    ("recommend", "post", None),
    ("file", "get", lambda w: w.evidence.image.public_id),
    ("thumbnail", "get", lambda w: w.evidence.image.public_id),
    ("badge", "get", lambda w: w.evidence.held.public_id),
    ("badge_image", "get", lambda w: w.evidence.held.public_id),
    ("badge_report", "get", lambda w: w.evidence.held.public_id),
]
JUDGEMENT = {"outcome": "LO1", "judgement": "meets", "comment": "", "recommendation": "award"}


def _url(route: str, key: Any, part: str, item: Any) -> str:
    name = f"apel:{route}{'_' + part if part else ''}"
    return reverse(name, args=[key] if item is None else [key, item])


def _call(client: Client, method: str, url: str) -> int:
    if method == "post":
        return client.post(url, JUDGEMENT).status_code
    return client.get(url).status_code


def _account_urls(w: World, claim: Claim) -> list[tuple[str, str]]:
    return [
        (method, _url("assess_claim", claim.public_id, part, item and item(w)))
        for part, method, item in PARTS
    ]


def _link_urls(w: World, token: str) -> list[tuple[str, str]]:
    return [
        (method, _url("assess_link", token, part, item and item(w))) for part, method, item in PARTS
    ]


def _statuses(client: Client, urls: list[tuple[str, str]]) -> dict[str, int]:
    return {url: _call(client, method, url) for method, url in urls}


def _nothing_judged(w: World) -> None:
    w.claim.refresh_from_db()
    assert not w.claim.answers.exclude(judgement="").exists() and not w.claim.recommendation
    assert not w.claim.events.filter(kind__in=["judged", "recommended"]).exists()


def test_the_assessor_and_the_link_holder_reach_every_url(client: Client, world: World) -> None:
    client.force_login(world.assessor)
    account = _statuses(client, _account_urls(world, world.claim))
    client.logout()
    link = _statuses(client, _link_urls(world, world.token))
    # The judgement posts answer 302 (saved); the recommendation 400 (LO3 not judged yet).
    expected = [200, 302, 400, 200, 200, 200, 200, 200]
    assert list(account.values()) == expected and list(link.values()) == expected


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    for url, status in _statuses(client, _account_urls(world, world.claim)).items():
        assert status == 302, url
    assert client.get(reverse("apel:assess_list")).status_code == 302
    _nothing_judged(world)


@pytest.mark.parametrize(
    "who",
    [
        "learner",
        "classmate",
        "tutor",
        "other_tutor",
        "admin",
        "other_assessor",
        "foreign_assessor",
        "suspended",
        "dropped",
    ],
)
def test_no_one_else_signed_in_reaches_the_claim(client: Client, world: World, who: str) -> None:
    actor = getattr(world.people, who, None) or getattr(world, who)
    client.force_login(actor)
    statuses = _statuses(client, _account_urls(world, world.claim))
    assert set(statuses.values()) == {404}, statuses
    listed = client.get(reverse("apel:assess_list")).content.decode()
    assert CLAIM_TITLE not in listed and world.people.learner.name not in listed
    _nothing_judged(world)


@pytest.mark.parametrize("which", ["revoked_token", "expired_token"])
def test_a_revoked_or_expired_link_is_gone_for_every_url(
    client: Client, world: World, which: str
) -> None:
    statuses = _statuses(client, _link_urls(world, getattr(world, which)))
    assert set(statuses.values()) == {410}, statuses
    page = client.get(_url("assess_link", getattr(world, which), "", None))
    assert "This link is no longer active" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store" and "noindex" in page["X-Robots-Tag"]
    _nothing_judged(world)


def test_an_unknown_link_is_not_found(client: Client, world: World) -> None:
    for token in ["x" * 32, world.token[:-1], "a" * 300]:
        assert set(_statuses(client, _link_urls(world, token)).values()) == {404}
    _nothing_judged(world)


def test_a_link_of_another_claim_reaches_none_of_this_claims_items(
    client: Client, world: World
) -> None:
    urls = [
        (m, u) for m, u in _link_urls(world, world.other_token) if "/files/" in u or "/badges/" in u
    ]
    assert set(_statuses(client, urls).values()) == {404}


def test_another_claims_assessor_reaches_none_of_this_claims_items(
    client: Client, world: World
) -> None:
    client.force_login(world.other_assessor)
    urls = [
        (m, u)
        for m, u in _account_urls(world, world.other_claim)
        if "/files/" in u or "/badges/" in u
    ]
    assert set(_statuses(client, urls).values()) == {404}


@pytest.mark.parametrize("via", ["account", "link"])
def test_an_unmapped_item_of_the_same_learner_is_not_found(
    client: Client, world: World, via: str
) -> None:
    key: Any
    if via == "account":
        client.force_login(world.assessor)
        key, route = world.claim.public_id, "assess_claim"
    else:
        key, route = world.token, "assess_link"
    unmapped, held = world.evidence.unmapped.public_id, world.evidence.held.public_id
    assert client.get(_url(route, key, "file", unmapped)).status_code == 404
    assert client.get(_url(route, key, "badge", world.evidence.image.public_id)).status_code == 404
    assert client.get(_url(route, key, "file", held)).status_code == 404
    assert client.get(_url(route, key, "file", world.evidence.pdf.public_id)).status_code == 200


def test_a_suspended_assessor_sees_nothing_to_assess(client: Client, world: World) -> None:
    client.force_login(world.suspended)
    page = client.get(reverse("apel:assess_list"))
    assert page.status_code == 200 and CLAIM_TITLE not in page.content.decode()
    client.force_login(world.assessor)
    assert CLAIM_TITLE in client.get(reverse("apel:assess_list")).content.decode()


def test_an_assessor_whose_role_changed_loses_access(client: Client, world: World) -> None:
    Membership.objects.filter(user=world.assessor).update(role="tutor")
    client.force_login(world.assessor)
    assert client.get(_url("assess_claim", world.claim.public_id, "", None)).status_code == 404


# --- The learner's URLs ------------------------------------------------------------------


def _learner_urls(w: World) -> list[str]:
    link = ClaimAssessor.objects.get(claim=w.claim, email="l@x.test")
    return [
        reverse("apel:claim_submit", args=[w.draft.public_id]),
        reverse("apel:assessor_revoke", args=[w.claim.public_id, link.public_id]),
        reverse("apel:assessor_resend", args=[w.claim.public_id, link.public_id]),
    ]


def _unchanged(w: World) -> None:
    w.draft.refresh_from_db()
    assert w.draft.state == "draft" and not w.draft.assessors.exists()
    link = ClaimAssessor.objects.get(claim=w.claim, email="l@x.test")
    assert link.revoked_at is None
    assert not w.claim.events.filter(kind="assessor_link_resent").exists()


def test_learner_urls_send_anonymous_visitors_to_sign_in(client: Client, world: World) -> None:
    for url in _learner_urls(world):
        assert client.get(url).status_code == 302 and client.post(url).status_code == 302
    _unchanged(world)


def test_another_learners_claim_is_not_found(client: Client, world: World) -> None:
    client.force_login(world.people.classmate)
    for url in _learner_urls(world):
        assert client.post(url, {"declared": "on", "route": "email"}).status_code == 404, url
    assert client.get(_learner_urls(world)[0]).status_code == 404
    _unchanged(world)


@pytest.mark.parametrize("who", ["tutor", "other_tutor", "admin", "assessor"])
def test_staff_and_assessors_cannot_act_for_the_learner(
    client: Client, world: World, who: str
) -> None:
    client.force_login(getattr(world.people, who, None) or getattr(world, who))
    for url in _learner_urls(world):
        assert client.post(url).status_code == 403, url
    _unchanged(world)


def test_a_learner_cannot_reach_another_claims_assessor_through_their_own_claim(
    client: Client, world: World
) -> None:
    client.force_login(world.people.classmate)
    link = ClaimAssessor.objects.get(claim=world.claim, email="l@x.test")
    for name in ("apel:assessor_revoke", "apel:assessor_resend"):
        crossed = reverse(name, args=[world.other_claim.public_id, link.public_id])
        assert client.post(crossed).status_code == 404
    _unchanged(world)


def test_a_withdrawn_claim_is_closed_to_its_assessors(client: Client, world: World) -> None:
    Claim.objects.filter(pk=world.claim.pk).update(state="withdrawn")
    assert client.get(_url("assess_link", world.token, "", None)).status_code == 410
    client.force_login(world.assessor)
    assert client.get(_url("assess_claim", world.claim.public_id, "", None)).status_code == 404
    assert CLAIM_TITLE not in client.get(reverse("apel:assess_list")).content.decode()


def test_an_item_the_learner_made_private_still_reaches_the_assessor_they_sent_it_to(
    client: Client, world: World
) -> None:
    """Mapping an item and submitting the claim to this assessor is the learner's choice
    to show it to them (as the PDF of the claim shows it)."""
    type(world.evidence.pdf).objects.filter(pk=world.evidence.pdf.pk).update(visibility="private")
    url = _url("assess_link", world.token, "file", world.evidence.pdf.public_id)
    assert client.get(url).status_code == 200
