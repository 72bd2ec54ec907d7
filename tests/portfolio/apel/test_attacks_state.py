"""Attacks on a claim's state: writes prepared while the claim was a draft and landing
after it was submitted (a second tab, a slow request), two submissions at once, and a
programme unpublished while a learner's claim against it is under way."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from portfolio.apel import assessors, services
from portfolio.apel.programmes import programme_unpublish
from portfolio.models import Claim, ClaimAssessor, ClaimOutcome, ClaimState, Mapping
from tests.conftest import People
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.showcase_data import pdf_artefact, reflection

pytestmark = pytest.mark.django_db


def _snapshot(claim: Claim) -> tuple[Any, ...]:
    claim = Claim.objects.get(pk=claim.pk)
    mappings = Mapping.objects.filter(answer__claim=claim).order_by("pk")
    return (
        claim.title,
        list(mappings.values_list("pk", "note")),
        list(claim.answers.order_by("pk").values_list("justification", flat=True)),
        list(claim.credential_notes.values_list("badge_id", "eqf_level")),
    )


Write = Callable[[Claim, ClaimOutcome, Mapping], Any]


def _declare(claim: Claim, _answer: ClaimOutcome, mapping: Mapping) -> Any:
    assert mapping.badge is not None
    return services.credential_note_set(claim=claim, badge=mapping.badge, eqf_level=4)


STALE_WRITES: list[tuple[str, Write]] = [
    ("rename", lambda c, a, m: services.claim_rename(claim=c, title="Changed afterwards")),
    ("delete", lambda c, a, m: services.claim_delete(claim=c)),
    ("justify", lambda c, a, m: services.answer_justify(answer=a, justification="Later")),
    ("map", lambda c, a, m: services.mapping_add(answer=a, item=pdf_artefact(c.learner))),
    ("unmap", lambda c, a, m: services.mapping_remove(mapping=m)),
    ("note", lambda c, a, m: services.mapping_note(mapping=m, note="Later")),
    ("credential", _declare),
]


@pytest.mark.parametrize("name, write", STALE_WRITES, ids=[n for n, _w in STALE_WRITES])
def test_a_write_loaded_before_the_claim_was_submitted_is_refused(
    people: People, name: str, write: Write
) -> None:
    """The request loaded the claim as a draft; the claim was submitted (in another tab)
    before its write ran. The submitted claim must not change."""
    held = aligned_badge(people.learner, name="Testing", code="LO1")
    claim = claim_for(people.learner, programme(outcomes=2), {"LO1": [held]})
    stale_answer = answer(claim, "LO1")
    stale_mapping = stale_answer.mappings.select_related("answer__claim", "badge").get()
    stale_mapping.answer.claim = claim
    services.claim_submit(claim=Claim.objects.get(pk=claim.pk), declared=True)
    before = _snapshot(claim)
    with pytest.raises(services.ClaimFrozen):
        write(claim, stale_answer, stale_mapping)
    assert _snapshot(claim) == before
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.SUBMITTED


def test_a_write_to_a_claim_deleted_meanwhile_says_so(people: People) -> None:
    claim = claim_for(people.learner, programme(outcomes=1))
    stale_answer = answer(claim, "LO1")
    Claim.objects.filter(pk=claim.pk).delete()
    with pytest.raises(services.ClaimRefused, match="This claim has been deleted"):
        services.mapping_add(answer=stale_answer, item=reflection(people.learner))
    assert not Mapping.objects.exists()


def _postgres_only() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: SQLite's test database is one connection in memory")


def _in_threads(*work: Callable[[], Any]) -> list[Any]:
    """Run each function in its own thread and connection, all started together; returns
    what each returned or raised."""
    start = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)

    def run(n: int) -> None:
        try:
            start.wait()
            results[n] = work[n]()
        except Exception as error:  # the refusal is the result we look at
            results[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_submit_once_and_send_one_email(people: People) -> None:
    _postgres_only()
    claim = claim_for(people.learner, programme(outcomes=1), {"LO1": [reflection(people.learner)]})

    def submit(email: str) -> Callable[[], Any]:
        def go() -> Any:
            copy = Claim.objects.get(pk=claim.pk)  # each request loads its own draft
            return assessors.claim_submit_to(claim=copy, declared=True, name="A", email=email)

        return go

    results = _in_threads(submit("one@x.test"), submit("two@x.test"))
    refused = [r for r in results if isinstance(r, services.ClaimFrozen)]
    assert len(refused) == 1, results
    assert ClaimAssessor.objects.filter(claim=claim).count() == 1
    assert claim.events.filter(kind="submitted").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_evidence_mapped_while_the_claim_is_submitted_is_in_it_or_refused(
    people: People,
) -> None:
    """The mapping either lands before the submission (and is in what was declared) or
    is refused: never added to the claim after it was submitted."""
    _postgres_only()
    claim = claim_for(people.learner, programme(outcomes=2), {"LO1": [reflection(people.learner)]})
    late = pdf_artefact(people.learner)
    stale_answer = answer(claim, "LO2")

    def submit() -> Any:
        return services.claim_submit(claim=Claim.objects.get(pk=claim.pk), declared=True)

    def map_late() -> Any:
        return services.mapping_add(answer=stale_answer, item=late)

    for _round in range(5):
        results = _in_threads(submit, map_late)
        mapped = Mapping.objects.filter(answer__claim=claim, artefact=late).first()
        submitted_at = Claim.objects.get(pk=claim.pk).submitted_at
        assert submitted_at is not None
        if isinstance(results[1], services.ClaimFrozen):
            assert mapped is None
        else:
            assert mapped is not None and mapped.created_at <= submitted_at, results
        Mapping.objects.filter(artefact=late).delete()
        Claim.objects.filter(pk=claim.pk).update(state=ClaimState.DRAFT, submitted_at=None)


def test_an_unpublished_programmes_claim_is_still_the_learners_to_finish(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    """Unpublishing stops new claims; a claim already started stays the learner's to
    read, change and submit (its assessors still judge it)."""
    prog = programme(outcomes=1)
    claim = claim_for(people.learner, prog, {"LO1": [reflection(people.learner)]})
    programme_unpublish(programme=prog)
    client.force_login(people.learner)
    assert client.get(claim.get_absolute_url()).status_code == 200
    justify = reverse("apel:claim_justify", args=[claim.public_id])
    justified = client.post(justify, {"outcome": "LO1", "justification": "Still mine"})
    assert justified.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(
            reverse("apel:claim_submit", args=[claim.public_id]),
            {"declared": "on", "route": "email", "name": "G", "email": "g@x.test"},
        )
    assert submitted.status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED and answer(claim, "LO1").justification
    start = reverse("apel:claim_new", args=[prog.public_id])
    assert client.get(start).status_code == 404
    assert client.post(start, {"title": "Another"}).status_code == 404
    assert Claim.objects.filter(learner=people.learner).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_new_versions_at_once_start_one(people: People) -> None:
    _postgres_only()
    claim = claim_for(people.learner, programme(outcomes=1), {"LO1": [reflection(people.learner)]})
    services.claim_submit(claim=claim, declared=True)

    def start() -> Any:
        return services.claim_new_version(claim=Claim.objects.get(pk=claim.pk))

    results = _in_threads(start, start, start)
    assert all(isinstance(r, Claim) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Claim.objects.filter(series=claim.series).count() == 2
