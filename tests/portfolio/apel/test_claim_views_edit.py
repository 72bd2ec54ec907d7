"""The learner's writes on a draft claim: each valid one, and each way one is refused
(a frozen claim, someone else's item, bad values), which must change nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.apel import services
from portfolio.apel.forms import JUSTIFICATION_MAX, NOTE_MAX
from portfolio.models import Claim, CredentialNote, Mapping
from tests.factories import LearnerFactory
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.showcase_data import pdf_artefact, reflection, showcase_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, people) -> Client:
    client.force_login(people.learner)
    return client


@pytest.fixture
def draft(people) -> Claim:
    return claim_for(people.learner, programme(outcomes=3))


def url(claim: Claim, name: str) -> str:
    return reverse(f"apel:{name}", args=[claim.public_id])


def frozen(claim: Claim) -> Claim:
    if not Mapping.objects.filter(answer__claim=claim).exists():
        services.mapping_add(answer=answer(claim, "LO3"), item=reflection(claim.learner))
    return services.claim_submit(claim=claim, declared=True)


def test_a_justification_is_saved_and_the_page_returns_to_its_outcome(signed_in, draft) -> None:
    response = signed_in.post(
        url(draft, "claim_justify"), {"outcome": "LO2", "justification": "I ran the lab."}
    )
    assert response["Location"] == draft.get_absolute_url() + "#outcome-LO2"
    assert answer(draft, "LO2").justification == "I ran the lab."
    html = signed_in.get(draft.get_absolute_url()).content.decode()
    assert '<p class="apel-status" role="status" tabindex="-1" data-said>Justification saved.' in (
        html
    )
    assert "Justification saved." not in signed_in.get(draft.get_absolute_url()).content.decode()


def test_an_empty_justification_clears_it(signed_in, draft) -> None:
    services.answer_justify(answer=answer(draft, "LO1"), justification="Old text")
    signed_in.post(url(draft, "claim_justify"), {"outcome": "LO1", "justification": "  "})
    assert answer(draft, "LO1").justification == ""


def test_a_too_long_justification_is_refused_and_given_back(signed_in, draft) -> None:
    typed = "x" * (JUSTIFICATION_MAX + 1)
    response = signed_in.post(
        url(draft, "claim_justify"), {"outcome": "LO1", "justification": typed}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "at most 20000 characters" in html
    assert typed in html and 'aria-invalid="true"' in html
    assert 'role="alert"' in html and 'href="#outcome-LO1-justification"' in html
    assert answer(draft, "LO1").justification == ""
    elsewhere = {"outcome": "LO99", "justification": typed}
    response = signed_in.post(url(draft, "claim_justify"), elsewhere)
    assert response.status_code == 400 and "not part of this claim" in response.content.decode()


def test_an_outcome_not_in_the_claim_is_refused(signed_in, draft) -> None:
    response = signed_in.post(
        url(draft, "claim_justify"), {"outcome": "LO99", "justification": "Hello"}
    )
    assert response.status_code == 400 and "not part of this claim" in response.content.decode()
    response = signed_in.post(url(draft, "claim_justify"), {"justification": "Hello"})
    assert response.status_code == 400 and "nothing was changed" in response.content.decode()


def test_the_picker_lists_the_learners_evidence_and_showcases(signed_in, people, draft) -> None:
    written = reflection(people.learner, title="Weekly reflection")
    report = pdf_artefact(people.learner, title="Lab report")
    showcase_with(people.learner, {"Lab work": [report]}, title="For the assessor")
    services.mapping_add(answer=answer(draft, "LO1"), item=written)
    reflection(LearnerFactory.create(), title="Someone else's reflection")
    page = signed_in.get(url(draft, "claim_evidence") + "?outcome=LO1")
    html = page.content.decode()
    assert page.status_code == 200 and "Add evidence to LO1" in html
    assert f'value="artefact:{report.public_id}"' in html
    assert "For the assessor" in html and "Lab work" in html
    assert 'value="showcase:' in html
    assert f'value="reflection:{written.public_id}"' not in html  # already mapped
    assert "Already mapped here" in html and "Someone else" not in html
    searched = signed_in.get(url(draft, "claim_evidence") + "?outcome=LO1&q=lab").content.decode()
    assert "Lab report" in searched and "Weekly reflection" not in searched


def test_ticked_items_are_mapped_and_the_page_says_so(signed_in, people, draft) -> None:
    written = reflection(people.learner, title="Weekly reflection")
    held = aligned_badge(people.learner, name="Testing")
    response = signed_in.post(
        url(draft, "claim_evidence"),
        {"outcome": "LO2", "items": [f"reflection:{written.public_id}", f"badge:{held.public_id}"]},
    )
    assert response["Location"] == draft.get_absolute_url() + "#outcome-LO2"
    mapped = answer(draft, "LO2").mappings.all()
    assert [m.target for m in mapped] == [written, held]
    html = signed_in.get(draft.get_absolute_url()).content.decode()
    assert "2 items are mapped to LO2." in html


def test_an_item_chosen_in_a_showcase_keeps_its_showcase_item(signed_in, people, draft) -> None:
    report = pdf_artefact(people.learner, title="Lab report")
    showcase = showcase_with(people.learner, {"Lab work": [report]})
    ref = f"showcase:{showcase.public_id}:artefact:{report.public_id}"
    signed_in.post(url(draft, "claim_evidence"), {"outcome": "LO1", "items": [ref]})
    mapping = answer(draft, "LO1").mappings.get()
    assert mapping.artefact == report
    assert mapping.showcase_item is not None and mapping.showcase_item.artefact == report


@pytest.mark.parametrize(
    "refs",
    [
        [],
        ["artefact:not-a-uuid"],
        ["spreadsheet:00000000-0000-0000-0000-000000000000"],
        ["showcase:00000000-0000-0000-0000-000000000000:artefact:nope"],
    ],
)
def test_nothing_ticked_or_malformed_adds_nothing(signed_in, draft, refs) -> None:
    response = signed_in.post(url(draft, "claim_evidence"), {"outcome": "LO1", "items": refs})
    assert response.status_code == 400
    assert not Mapping.objects.exists()


def test_another_learners_item_or_showcase_adds_nothing(signed_in, people, draft) -> None:
    mine = reflection(people.learner, title="Mine")
    theirs = reflection(people.classmate, title="Theirs")
    their_showcase = showcase_with(people.classmate, {"S": [theirs]})
    my_showcase = showcase_with(people.learner, {"S": [mine]})
    for refs in (
        [f"reflection:{mine.public_id}", f"reflection:{theirs.public_id}"],
        [f"showcase:{their_showcase.public_id}:reflection:{theirs.public_id}"],
        [f"showcase:{their_showcase.public_id}:reflection:{mine.public_id}"],
        [f"showcase:{my_showcase.public_id}:reflection:{theirs.public_id}"],
    ):
        response = signed_in.post(url(draft, "claim_evidence"), {"outcome": "LO1", "items": refs})
        assert response.status_code == 400, refs
        assert "Nothing was added" in response.content.decode()
    assert not Mapping.objects.exists()


def test_the_service_refuses_a_showcase_item_that_does_not_show_the_item(people, draft) -> None:
    mine, other = reflection(people.learner), reflection(people.learner, title="Other")
    item = showcase_with(people.learner, {"S": [mine]}).sections.get().items.get()
    with pytest.raises(services.ClaimRefused):
        services.mapping_add(answer=answer(draft, "LO1"), item=other, showcase_item=item)
    theirs = reflection(people.classmate)
    their_item = showcase_with(people.classmate, {"S": [theirs]}).sections.get().items.get()
    with pytest.raises(services.ClaimRefused):
        services.mapping_add(answer=answer(draft, "LO1"), item=mine, showcase_item=their_item)
    assert not Mapping.objects.exists()


def test_removing_a_mapping(signed_in, people, draft) -> None:
    written = reflection(people.learner, title="Weekly reflection")
    services.mapping_add(answer=answer(draft, "LO1"), item=written)
    data = {"outcome": "LO1", "item": f"reflection:{written.public_id}"}
    response = signed_in.post(url(draft, "claim_mapping_remove"), data)
    assert response["Location"].endswith("#outcome-LO1") and not Mapping.objects.exists()
    html = signed_in.get(draft.get_absolute_url()).content.decode()
    assert "“Weekly reflection” is no longer mapped to LO1." in html
    response = signed_in.post(url(draft, "claim_mapping_remove"), data)
    assert response.status_code == 400 and "not mapped to this outcome" in response.content.decode()


def test_a_mappings_note_is_saved_or_given_back_when_too_long(signed_in, people, draft) -> None:
    written = reflection(people.learner)
    services.mapping_add(answer=answer(draft, "LO1"), item=written)
    data = {"outcome": "LO1", "item": f"reflection:{written.public_id}"}
    signed_in.post(url(draft, "claim_mapping_note"), {**data, "note": "Covers all of it."})
    assert Mapping.objects.get().note == "Covers all of it."
    typed = "y" * (NOTE_MAX + 1)
    response = signed_in.post(url(draft, "claim_mapping_note"), {**data, "note": typed})
    assert response.status_code == 400 and typed in response.content.decode()
    assert 'href="#outcome-LO1"' in response.content.decode()
    unmapped = {"outcome": "LO2", "item": data["item"], "note": typed}
    response = signed_in.post(url(draft, "claim_mapping_note"), unmapped)
    assert response.status_code == 400 and "not mapped to this outcome" in response.content.decode()
    assert Mapping.objects.get().note == "Covers all of it."


def test_a_suggested_badge_is_mapped_with_the_reason(signed_in, people, draft) -> None:
    held = aligned_badge(people.learner, name="Testing", code="LO2")
    response = signed_in.post(
        url(draft, "claim_suggestion_accept"), {"outcome": "LO2", "badge": held.public_id}
    )
    assert response["Location"].endswith("#outcome-LO2")
    mapping = answer(draft, "LO2").mappings.get()
    assert mapping.badge == held and "Aligned to code LO2" in mapping.suggested_because
    html = signed_in.get(draft.get_absolute_url()).content.decode()
    assert "Suggested because" in html


def test_a_badge_that_is_not_aligned_or_not_theirs_is_not_accepted(
    signed_in, people, draft
) -> None:
    plain = aligned_badge(people.learner, name="Plain")
    theirs = aligned_badge(people.classmate, name="Theirs", code="LO2")
    for badge in (plain, theirs):
        response = signed_in.post(
            url(draft, "claim_suggestion_accept"), {"outcome": "LO2", "badge": badge.public_id}
        )
        assert response.status_code == 400
    assert not Mapping.objects.exists()


def test_declared_transcript_values_are_saved_and_shown_self_declared(
    signed_in, people, draft
) -> None:
    held = aligned_badge(people.learner, name="Testing", code="LO1")
    services.mapping_add(answer=answer(draft, "LO1"), item=held)
    data = {"badge": held.public_id, "study_hours": "40", "eqf_level": "", "credits": ""}
    response = signed_in.post(url(draft, "claim_credential_note"), data)
    assert response["Location"].endswith(f"#credential-{held.public_id}")
    assert CredentialNote.objects.get().study_hours == Decimal(40)
    html = signed_in.get(draft.get_absolute_url()).content.decode()
    assert '40 <span class="apel-source apel-source--self">self-declared</span>' in html
    assert "What you declared for “Testing” is saved." in html
    signed_in.post(url(draft, "claim_credential_note"), {"badge": held.public_id})
    assert not CredentialNote.objects.exists()  # all empty: the note goes


@pytest.mark.parametrize(
    "values,error",
    [
        ({"eqf_level": "9"}, "less than or equal to 8"),
        ({"eqf_level": "0"}, "greater than or equal to 1"),
        ({"study_hours": "-3"}, "greater than or equal to 0"),
        ({"credits": "lots"}, "Enter a number"),
    ],
)
def test_bad_transcript_values_are_refused_and_given_back(
    signed_in, people, draft, values, error
) -> None:
    held = aligned_badge(people.learner, name="Testing", code="LO1")
    services.mapping_add(answer=answer(draft, "LO1"), item=held)
    response = signed_in.post(
        url(draft, "claim_credential_note"), {"badge": held.public_id, **values}
    )
    html = response.content.decode()
    assert response.status_code == 400 and error in html
    assert f'value="{next(iter(values.values()))}"' in html
    assert not CredentialNote.objects.exists()


def test_another_learners_badge_gets_no_transcript_values(signed_in, people, draft) -> None:
    theirs = aligned_badge(people.classmate, name="Theirs")
    response = signed_in.post(
        url(draft, "claim_credential_note"), {"badge": theirs.public_id, "study_hours": "4"}
    )
    assert response.status_code == 400 and not CredentialNote.objects.exists()


def test_every_write_to_a_submitted_claim_answers_409_and_changes_nothing(
    signed_in, people, draft
) -> None:
    written = reflection(people.learner)
    held = aligned_badge(people.learner, name="Testing", code="LO2")
    services.mapping_add(answer=answer(draft, "LO1"), item=written)
    frozen(draft)
    before = list(Mapping.objects.values_list("pk", "note"))
    writes = [
        ("claim_justify", {"outcome": "LO1", "justification": "Late"}),
        ("claim_evidence", {"outcome": "LO2", "items": [f"badge:{held.public_id}"]}),
        ("claim_mapping_remove", {"outcome": "LO1", "item": f"reflection:{written.public_id}"}),
        (
            "claim_mapping_note",
            {"outcome": "LO1", "item": f"reflection:{written.public_id}", "note": "Late"},
        ),
        ("claim_suggestion_accept", {"outcome": "LO2", "badge": held.public_id}),
        ("claim_credential_note", {"badge": held.public_id, "eqf_level": "4"}),
    ]
    for name, data in writes:
        response = signed_in.post(url(draft, name), data)
        assert response.status_code == 409, name
        assert "can no longer be changed" in response.content.decode()
    assert signed_in.get(url(draft, "claim_evidence") + "?outcome=LO2").status_code == 409
    assert list(Mapping.objects.values_list("pk", "note")) == before
    assert answer(draft, "LO1").justification == "" and not CredentialNote.objects.exists()
