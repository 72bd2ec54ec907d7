"""The claim core: what a claim holds, how it freezes, and what the matrix and the
transcript say about its evidence."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from portfolio.apel import services
from portfolio.apel.selectors import claim_view
from portfolio.apel.transcript import ISSUER, SELF
from portfolio.models import ClaimState, Judgement, Recommendation
from tests.factories import InstitutionFactory, LearnerFactory
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.showcase_data import pdf_artefact, reflection

pytestmark = pytest.mark.django_db


def test_a_claim_has_one_answer_per_outcome_of_the_chosen_courses() -> None:
    learner = LearnerFactory.create()
    prog = programme(outcomes=6, courses=2)
    first = prog.courses.get(code="C1")
    claim = services.claim_create(learner=learner, programme=prog, courses=[first])
    assert sorted(claim.answers.values_list("outcome__code", flat=True)) == ["LO1", "LO3", "LO5"]


def test_an_unpublished_or_foreign_programme_cannot_be_claimed() -> None:
    learner = LearnerFactory.create()
    with pytest.raises(services.ClaimRefused):
        services.claim_create(learner=learner, programme=programme(published=False))
    elsewhere = programme(institution=InstitutionFactory.create())
    with pytest.raises(services.ClaimRefused):
        services.claim_create(learner=learner, programme=elsewhere)


def test_another_learners_evidence_cannot_be_mapped() -> None:
    learner, other = LearnerFactory.create_batch(2)
    claim = claim_for(learner, programme())
    with pytest.raises(services.ClaimRefused):
        services.mapping_add(answer=answer(claim, "LO1"), item=reflection(other))
    assert not answer(claim, "LO1").mappings.exists()


def test_the_matrix_flags_gaps_single_items_self_declared_and_stale_evidence() -> None:
    learner = LearnerFactory.create()
    prog = programme(outcomes=4, currency_years=5)
    old = pdf_artefact(
        learner, title="Old report", learned_on=timezone.localdate() - timedelta(days=6 * 366)
    )
    written = reflection(learner)
    verified = aligned_badge(learner, name="Testing", code="LO3")
    claim = claim_for(
        learner, prog, {"LO1": [old, written], "LO2": [written], "LO3": [verified, old]}
    )
    view = claim_view(claim=claim)
    rows = {r.outcome.code: r for r in view.rows}
    assert rows["LO4"].flags["none"] and view.gaps == 1
    assert rows["LO2"].flags["single"] and rows["LO2"].flags["only_self"]
    assert rows["LO1"].flags["stale"] and rows["LO1"].flags["only_self"]
    assert not rows["LO3"].flags["only_self"]
    assert [c.title for c in view.columns] == ["Old report", written.title, "Testing"]
    assert rows["LO3"].keys == {view.columns[0].key, view.columns[2].key}


def test_alignments_are_suggested_with_their_reason_and_not_once_mapped() -> None:
    learner = LearnerFactory.create()
    claim = claim_for(learner, programme())
    held = aligned_badge(learner, name="Testing", code="lo2")
    [suggestion] = claim_view(claim=claim, suggest=True).suggestions
    assert suggestion.answer.outcome.code == "LO2" and suggestion.badge == held
    assert "lo2" in suggestion.reason and "SE101" in suggestion.reason
    services.mapping_add(answer=suggestion.answer, item=held, suggested_because=suggestion.reason)
    assert claim_view(claim=claim, suggest=True).suggestions == []


def test_the_transcript_marks_who_states_each_value_and_totals_against_the_cap() -> None:
    learner = LearnerFactory.create()
    prog = programme(outcomes=3, credit_cap=Decimal(6))
    held = aligned_badge(learner, name="Testing", code="LO1")
    claim = claim_for(learner, prog, {"LO1": [held]})
    services.credential_note_set(
        claim=claim, badge=held, study_hours=Decimal(40), credits=Decimal(9)
    )
    transcript = claim_view(claim=claim).transcript
    [line] = transcript.lines
    assert (line.credits.value, line.credits.source) == (5, ISSUER)  # the credential wins
    assert (line.study_hours.value, line.study_hours.source) == (Decimal(40), SELF)
    assert (line.eqf_level.value, line.eqf_level.source) == (5, ISSUER)
    assert transcript.credits_sought == Decimal(9) and transcript.over_cap


def test_a_submitted_claim_is_frozen_and_a_new_version_copies_it() -> None:
    learner = LearnerFactory.create()
    written = reflection(learner)
    claim = claim_for(learner, programme(), {"LO1": [written]})
    services.answer_justify(answer=answer(claim, "LO1"), justification="I did it weekly.")
    with pytest.raises(services.ClaimRefused):
        services.claim_submit(claim=claim, declared=False)
    services.claim_submit(claim=claim, declared=True)
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED and claim.declared_at and claim.declaration
    with pytest.raises(services.ClaimFrozen):
        services.mapping_add(answer=answer(claim, "LO2"), item=written)
    services.judgement_record(
        answer=answer(claim, "LO1"), judgement=Judgement.PARTLY, comment="More.", by="A"
    )
    services.recommendation_record(
        claim=claim, recommendation=Recommendation.NOT_YET, comment="", by="A"
    )
    newer = services.claim_new_version(claim=claim)
    assert services.claim_new_version(claim=claim) == newer
    assert (newer.version, newer.series, newer.state) == (2, claim.series, ClaimState.DRAFT)
    copied = answer(newer, "LO1")
    assert (
        copied.justification == "I did it weekly." and copied.mappings.get().reflection == written
    )
    assert copied.judgement == ""  # judgements stay on the version they were made on
    kinds = list(claim.events.values_list("kind", flat=True))
    assert kinds == ["created", "mapped", "declared", "submitted", "judged", "recommended"]


@pytest.mark.parametrize("outcomes,items", [(5, 5), (100, 200)])
def test_the_claim_view_reads_a_fixed_number_of_queries(
    django_assert_max_num_queries, outcomes: int, items: int
) -> None:
    learner = LearnerFactory.create()
    prog = programme(outcomes=outcomes)
    evidence = [reflection(learner, title=f"R{n}") for n in range(items)]
    claim = claim_for(learner, prog)
    for n, item in enumerate(evidence):
        services.mapping_add(answer=answer(claim, f"LO{n % outcomes + 1}"), item=item)
    with django_assert_max_num_queries(8):
        view = claim_view(claim=claim, suggest=True)
        assert sum(len(r.evidence) for r in view.rows) == items
