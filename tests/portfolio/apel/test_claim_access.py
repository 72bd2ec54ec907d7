"""Every claim URL, tried by each actor who must not reach it. A claim is its learner's
alone: another learner gets a 404 (as for a claim that does not exist), any tutor (the
learner's own too) and an institution admin a 403, an anonymous visitor the sign-in
page. Nothing they post changes the claim."""

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.apel import services
from portfolio.models import Claim, ClaimEvent, Mapping
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(people) -> tuple[Claim, Claim]:
    """The learner's draft, and a submitted claim of theirs."""
    prog = programme(outcomes=2)
    written = reflection(people.learner, title="Weekly reflection")
    aligned_badge(people.learner, name="Testing", code="LO2")
    draft = claim_for(people.learner, prog, {"LO1": [written]})
    done = claim_for(people.learner, prog, {"LO1": [written]})
    services.claim_submit(claim=done, declared=True)
    return draft, done


def claim_urls(claim: Claim) -> list[tuple[str, str, dict]]:
    written = answer(claim, "LO1").mappings.get().reflection
    badge = claim.learner.badges.get()
    item = {"outcome": "LO1", "item": f"reflection:{written.public_id}"}
    to_badge = {"outcome": "LO2", "badge": badge.public_id}

    def at(name: str) -> str:
        return reverse(f"apel:{name}", args=[claim.public_id])

    return [
        ("get", at("claim"), {}),
        ("get", at("claim_delete"), {}),
        ("post", at("claim_delete"), {}),
        ("post", at("claim_rename"), {"title": "Taken"}),
        ("post", at("claim_new_version"), {}),
        ("post", at("claim_justify"), {"outcome": "LO1", "justification": "x"}),
        ("get", at("claim_evidence") + "?outcome=LO1", {}),
        ("post", at("claim_evidence"), {"outcome": "LO2", "items": [f"badge:{badge.public_id}"]}),
        ("post", at("claim_mapping_remove"), item),
        ("post", at("claim_mapping_note"), {**item, "note": "x"}),
        ("post", at("claim_suggestion_accept"), to_badge),
        ("post", at("claim_credential_note"), {"badge": badge.public_id, "eqf_level": "3"}),
    ]


def learner_urls(people) -> list[tuple[str, str, dict]]:
    prog = programme(outcomes=1, title="Another programme")
    start = reverse("apel:claim_new", args=[prog.public_id])
    return [
        ("get", reverse("apel:claim_list"), {}),
        ("get", start, {}),
        ("post", start, {"title": "Mine"}),
    ]


def unchanged(claims: tuple[Claim, Claim]) -> None:
    draft, done = claims
    assert Claim.objects.count() == 2
    assert Mapping.objects.filter(answer__claim=draft).count() == 1
    assert not Claim.objects.filter(title="Taken").exists()
    assert not Claim.objects.filter(previous=done).exists()
    assert ClaimEvent.objects.filter(kind__in=["mapped", "unmapped"]).count() == 2
    assert not draft.answers.exclude(justification="").exists()


@pytest.mark.parametrize("actor", ["classmate", "outsider"])
def test_other_learners_get_404_for_every_claim_url(claims, people, actor) -> None:
    client = Client()
    client.force_login(getattr(people, actor))
    for claim in claims:
        for method, url, data in claim_urls(claim):
            assert getattr(client, method)(url, data).status_code == 404, (method, url)
    unchanged(claims)


@pytest.mark.parametrize("actor", ["tutor", "other_tutor", "admin"])
def test_tutors_and_admins_get_403_for_every_claim_url(claims, people, actor) -> None:
    """The learner's own tutor too: tutors review formative work, and a claim draws on
    every item of the learner's, private ones included."""
    client = Client()
    client.force_login(getattr(people, actor))
    for claim in claims:
        for method, url, data in [*claim_urls(claim), *learner_urls(people)]:
            assert getattr(client, method)(url, data).status_code == 403, (method, url)
    unchanged(claims)


def test_anonymous_visitors_are_sent_to_sign_in(claims, people) -> None:
    client = Client()
    for claim in claims:
        for method, url, data in [*claim_urls(claim), *learner_urls(people)]:
            response = getattr(client, method)(url, data)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("account_login")), (method, url)
    unchanged(claims)


def test_a_claim_that_does_not_exist_is_404_like_another_learners(client, people) -> None:
    client.force_login(people.learner)
    assert client.get("/apel/claims/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/apel/claims/new/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_writes_need_post_and_csrf(claims, people) -> None:
    draft, _done = claims
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.learner)
    justify = reverse("apel:claim_justify", args=[draft.public_id])
    assert client.get(justify).status_code == 405
    assert client.post(justify, {"outcome": "LO1", "justification": "x"}).status_code == 403
    unchanged(claims)
