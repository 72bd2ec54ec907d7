"""The shared claim partials (matrix, transcript, evidence), rendered as the assessor's
page includes them: read-only, from a ClaimView alone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from portfolio.apel import services
from portfolio.apel.selectors import claim_view, outcome_anchor
from tests.factories import LearnerFactory
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.showcase_data import pdf_artefact, reflection

pytestmark = pytest.mark.django_db


def test_outcome_anchors_are_distinct_for_codes_that_differ_only_in_punctuation() -> None:
    assert outcome_anchor("LO-1") == "outcome-LO-1"
    assert len({outcome_anchor(c) for c in ["LO 1", "LO-1", "LO_1", "LO.1", "LO_20_1"]}) == 5
    assert " " not in outcome_anchor("LO 1.2/a")


def test_the_matrix_marks_cells_and_says_each_rows_flags_in_words() -> None:
    learner = LearnerFactory.create()
    old = pdf_artefact(
        learner, title="Old report", learned_on=timezone.localdate() - timedelta(days=4 * 366)
    )
    written = reflection(learner, title="Weekly reflection")
    claim = claim_for(
        learner,
        programme(outcomes=3, currency_years=3),
        {"LO1": [old, written], "LO2": [written]},
    )
    html = render_to_string(
        "apel/partials/matrix.html", {"view": claim_view(claim=claim), "editable": False}
    )
    assert html.count('<th scope="row"') == 3 and html.count('class="apel-matrix__item"') == 2
    assert html.count(">mapped<") == 3 and html.count(">not mapped<") == 3
    assert 'role="region" tabindex="0"' in html and "<caption>" in html
    assert "No evidence" in html and "Relies on one item" in html
    assert "Self-declared evidence only" in html and "Some evidence is not current" in html
    assert 'href="#outcome-LO3"' in html
    assert "LO1</a> — 2 items: Old report, Weekly reflection; relies on self-declared" in html
    assert "Add evidence" not in html  # not editable: no links to the learner's picker


def test_the_transcript_says_who_states_each_value_and_the_totals() -> None:
    learner = LearnerFactory.create()
    held = aligned_badge(learner, name="Testing", code="LO1")
    claim = claim_for(learner, programme(outcomes=3, credit_cap=Decimal(6)), {"LO1": [held]})
    services.credential_note_set(claim=claim, badge=held, study_hours=Decimal(40))
    html = render_to_string("apel/partials/transcript.html", {"view": claim_view(claim=claim)})
    assert "Testing" in html and "Verified" in html
    assert html.count("issuer-stated</span>") == 3  # outcomes, EQF level, credits
    assert "40 <span" in html and html.count("self-declared</span>") == 1
    assert "seeks 9 credits, more than the 6" in html


def test_the_evidence_partial_links_the_item_only_when_asked() -> None:
    learner = LearnerFactory.create()
    written = reflection(learner, title="Weekly reflection")
    claim = claim_for(learner, programme(outcomes=1), {"LO1": [written]})
    mapping = answer(claim, "LO1").mappings.get()
    services.mapping_note(mapping=mapping, note="Written every week for a year.")
    row = claim_view(claim=claim).rows[0]
    context = {"e": row.evidence[0], "m": row.mappings[0]}
    shown = render_to_string("apel/partials/evidence.html", {**context, "link_items": False})
    linked = render_to_string("apel/partials/evidence.html", {**context, "link_items": True})
    assert "Written every week for a year." in shown and "Self-declared" in shown
    assert written.get_absolute_url() not in shown and written.get_absolute_url() in linked
