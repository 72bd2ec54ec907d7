"""What grows after submission, which the other query pins leave out: versions of a
claim, the people it was sent to, its history (every judgement and recommendation), and
the claims one assessor is given. The learner's claim page (an assessed version and the
newest draft), the submit page, the list and "Claims to assess" stay flat."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.apel import assessors, services
from portfolio.models import Claim
from tests.conftest import People
from tests.factories import LearnerFactory
from tests.portfolio.apel.apel_data import answer, claim_for, programme
from tests.portfolio.apel.assessor_data import assessor_user, submit_to_user
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db

CLAIM_PAGE = 14
SUBMIT_PAGE = 10
LIST_PAGE = 4
ASSESS_LIST = 6


def _assessed_versions(learner: Any, versions: int, capture: Any) -> Claim:
    """A series of `versions` assessed versions, each sent to `versions` people (one
    account assessor, the rest by link) and judged, and a newest draft started from the
    last; returns the draft."""
    prog = programme(outcomes=3)
    claim = claim_for(learner, prog, {"LO1": [reflection(learner)]})
    person = assessor_user()
    for v in range(versions):
        with capture(execute=True):
            assessors.claim_submit_to(claim=claim, declared=True, user=person)
            for n in range(versions - 1):
                assessors.assessor_invite(claim=claim, name=f"P{n}", email=f"p{n}v{v}@x.test")
        claim.refresh_from_db()
        for each in claim.answers.select_related("outcome", "claim"):
            services.judgement_record(answer=each, judgement="meets", comment="Fine.", by="A")
        services.recommendation_record(claim=claim, recommendation="award", comment="", by="A")
        claim = services.claim_new_version(claim=claim)
    return claim


@pytest.mark.parametrize("size", [1, 3])
def test_pages_stay_flat_as_versions_assessors_and_history_grow(
    client: Client,
    people: People,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
    size: int,
) -> None:
    capture = django_capture_on_commit_callbacks
    draft = _assessed_versions(people.learner, size, capture)
    assessed = draft.previous
    assert assessed is not None and assessed.assessors.count() == size
    client.force_login(people.learner)
    with django_assert_max_num_queries(CLAIM_PAGE):
        page = client.get(assessed.get_absolute_url())
    assert page.status_code == 200 and page.content.decode().count("judged LO") == 3
    with django_assert_max_num_queries(CLAIM_PAGE):
        assert client.get(draft.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(SUBMIT_PAGE):
        assert client.get(reverse("apel:claim_submit", args=[draft.public_id])).status_code == 200
    with django_assert_max_num_queries(LIST_PAGE):
        assert client.get(reverse("apel:claim_list")).status_code == 200

    person = assessor_user()
    for _n in range(size * 4):
        other = claim_for(LearnerFactory.create(), programme(outcomes=2))
        services.mapping_add(answer=answer(other, "LO1"), item=reflection(other.learner))
        submit_to_user(other, person, capture)
    client.force_login(person)
    with django_assert_max_num_queries(ASSESS_LIST):
        listed = client.get(reverse("apel:assess_list"))
    assert listed.content.decode().count("0 of 2 outcomes judged") == size * 4
