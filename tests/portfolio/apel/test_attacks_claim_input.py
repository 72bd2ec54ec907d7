"""Hostile input to the learner's claim pages: references spelled unusually, values for
a badge that is not in the claim, numbers a form must not take, markup in everything the
learner, the programme and an issuer write (shown as text on the learner's and the
assessor's pages), and a credential stating absurd numbers."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from badges.models import Badge
from portfolio.apel import services
from portfolio.apel.selectors import claim_view
from portfolio.models import Claim, CredentialNote, LearningOutcome, Mapping, Programme
from tests.conftest import People
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.apel.assessor_data import submit_by_email
from tests.portfolio.showcase_data import badge, pdf_artefact, reflection, showcase_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, people: People) -> Client:
    client.force_login(people.learner)
    return client


@pytest.fixture
def draft(people: People) -> Claim:
    return claim_for(people.learner, programme(outcomes=2))


def url(claim: Claim, name: str) -> str:
    return reverse(f"apel:{name}", args=[claim.public_id])


@pytest.mark.parametrize("spell", [str.upper, lambda ref: ref.replace("-", "")])
def test_a_reference_with_its_uuid_spelled_otherwise_maps_the_item(
    signed_in: Client, people: People, draft: Claim, spell: Any
) -> None:
    """A UUID is the same item upper-case or without dashes: it is mapped, not a 500."""
    report, written = pdf_artefact(people.learner), reflection(people.learner)
    showcase = showcase_with(people.learner, {"Lab": [written]})
    refs = [
        f"artefact:{spell(str(report.public_id))}",
        f"showcase:{spell(str(showcase.public_id))}:reflection:{spell(str(written.public_id))}",
    ]
    response = signed_in.post(url(draft, "claim_evidence"), {"outcome": "LO1", "items": refs})
    assert response.status_code == 302
    mapped = answer(draft, "LO1").mappings.all()
    assert {(m.artefact, m.reflection) for m in mapped} == {(report, None), (None, written)}
    assert mapped.get(reflection=written).showcase_item == showcase.sections.get().items.get()


def test_another_learners_item_spelled_otherwise_is_still_refused(
    signed_in: Client, people: People, draft: Claim
) -> None:
    theirs = pdf_artefact(people.classmate)
    ref = f"artefact:{str(theirs.public_id).upper()}"
    response = signed_in.post(url(draft, "claim_evidence"), {"outcome": "LO1", "items": [ref]})
    assert response.status_code == 400 and not Mapping.objects.exists()


def test_transcript_values_for_a_badge_not_in_the_claim_are_refused(
    signed_in: Client, people: People, draft: Claim
) -> None:
    """Their own badge, but not mapped: the claim's transcript does not list it, so
    nothing declared for it would be seen, and it would follow into new versions."""
    held = aligned_badge(people.learner, name="Unmapped")
    data = {"badge": held.public_id, "eqf_level": "5"}
    response = signed_in.post(url(draft, "claim_credential_note"), data)
    assert response.status_code == 400
    assert "That badge is not in this claim" in response.content.decode()
    assert not CredentialNote.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"study_hours": "NaN"},
        {"study_hours": "Infinity"},
        {"study_hours": "-Infinity"},
        {"credits": "1e9"},
        {"credits": "-0.01"},
        {"study_hours": "0.05"},
        {"eqf_level": "4.5"},
        {"eqf_level": "99999999999999999999"},
    ],
)
def test_numbers_a_transcript_cannot_hold_are_refused(
    signed_in: Client, people: People, draft: Claim, values: dict[str, str]
) -> None:
    held = aligned_badge(people.learner, name="Testing", code="LO1")
    services.mapping_add(answer=answer(draft, "LO1"), item=held)
    response = signed_in.post(
        url(draft, "claim_credential_note"), {"badge": held.public_id, **values}
    )
    assert response.status_code == 400
    assert "Check the values you declared for the badge." in response.content.decode()
    assert not CredentialNote.objects.exists()


MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_markup_anywhere_in_a_claim_is_shown_as_text_to_the_learner_and_the_assessor(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    prog = programme(outcomes=1, title=f"Programme {MARKUP}")
    LearningOutcome.objects.filter(programme=prog).update(text=f'=HYPERLINK("x") {MARKUP}')
    written = reflection(people.learner, title=f"Reflection {MARKUP}")
    claim = claim_for(people.learner, prog, {"LO1": [written]})
    services.claim_rename(claim=claim, title=f"Claim {MARKUP}")
    services.answer_justify(answer=answer(claim, "LO1"), justification=f"Because {MARKUP}")
    mapping = Mapping.objects.get()
    services.mapping_note(mapping=mapping, note=f"Note {MARKUP}")
    client.force_login(people.learner)
    learner_page = client.get(claim.get_absolute_url()).content.decode()
    client.logout()
    _assessor, token = submit_by_email(
        claim, django_capture_on_commit_callbacks, name=f"Grace {MARKUP}"
    )
    assessor_page = client.get(reverse("apel:assess_link", args=[token])).content.decode()
    for page in (learner_page, assessor_page):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        assert "=HYPERLINK(&quot;x&quot;)" in page


def _badge_stating(owner: Any, **achievement: Any) -> Badge:
    """A badge whose credential states these values of its achievement (set on the stored
    document: OB 3.0's context defines creditsAvailable only, and a signed credential
    with it was shown to give the same 500)."""
    held = badge(owner, name="Absurd")
    document = held.document
    document["credentialSubject"]["achievement"].update(achievement)
    Badge.objects.filter(pk=held.pk).update(document=document)
    return Badge.objects.get(pk=held.pk)


@pytest.mark.parametrize(
    "stated, field",
    [
        ({"creditsAvailable": "1e1000000"}, "credits"),
        ({"studyHours": "1e1000000"}, "study_hours"),
        ({"volumeOfLearning": "P" + "9" * 2000 + "D"}, "study_hours"),
        ({"creditsAvailable": "-5"}, "credits"),
    ],
)
def test_a_credential_stating_absurd_numbers_shows_them_as_not_stated(
    client: Client, people: People, django_capture_on_commit_callbacks: Any, stated: Any, field: str
) -> None:
    """Numbers no credential means (and that overflowed when added up, a 500 on every page
    showing the claim) are read as not stated; the claim still opens for everyone."""
    held = _badge_stating(people.learner, **stated)
    claim = claim_for(people.learner, programme(outcomes=1), {"LO1": [held]})
    client.force_login(people.learner)
    page = client.get(claim.get_absolute_url())
    assert page.status_code == 200
    client.logout()
    _assessor, token = submit_by_email(claim, django_capture_on_commit_callbacks)
    assert client.get(reverse("apel:assess_link", args=[token])).status_code == 200
    view = claim_view(claim=Claim.objects.get(pk=claim.pk))
    [line] = view.transcript.lines
    assert getattr(line, field).value is None
    assert view.transcript.credits_total == (0 if field == "credits" else 5)


def test_a_programme_edited_to_markup_in_its_code_keeps_its_anchor_safe(
    signed_in: Client, people: People
) -> None:
    prog: Programme = programme(outcomes=1)
    LearningOutcome.objects.filter(programme=prog).update(code='"><b>x')
    claim = claim_for(people.learner, prog)
    page = signed_in.get(claim.get_absolute_url()).content.decode()
    assert '"><b>x' not in page and 'id="outcome-_22__3e__3c_b_3e_x"' in page
