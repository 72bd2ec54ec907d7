"""The learner's claim pages: the list, starting a claim, the claim page (draft and
submitted), renaming, deleting a draft and starting a new version."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from portfolio.apel import services
from portfolio.models import Claim, ClaimState, Judgement, Recommendation
from tests.factories import InstitutionFactory, LearnerFactory
from tests.portfolio.apel.apel_data import aligned_badge, answer, claim_for, programme
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, people) -> Client:
    client.force_login(people.learner)
    return client


def submitted(learner, **fields) -> Claim:
    written = reflection(learner, title="Weekly reflection")
    claim = claim_for(learner, programme(outcomes=2, **fields), {"LO1": [written]})
    services.answer_justify(answer=answer(claim, "LO1"), justification="Every week.")
    return services.claim_submit(claim=claim, declared=True)


def test_the_list_groups_versions_of_a_claim_with_their_coverage(signed_in, people) -> None:
    first = submitted(people.learner)
    second = services.claim_new_version(claim=first)
    other = claim_for(people.learner, programme(outcomes=3, title="MSc Data Science"))
    html = signed_in.get(reverse("apel:claim_list")).content.decode()
    assert html.count('class="card apel-series"') == 2
    assert html.index(second.get_absolute_url()) < html.index(first.get_absolute_url())
    assert "1 of 2 outcomes have evidence" in html and "0 of 3 outcomes have evidence" in html
    assert "3 outcomes without evidence" in html
    assert other.get_absolute_url() in html and "Submitted" in html and "Draft" in html


def test_the_list_offers_the_programmes_open_to_the_learner(signed_in, people) -> None:
    open_to_them = programme(title="BSc Nursing")
    hidden = programme(title="Unpublished MBA", published=False)
    elsewhere = programme(title="Elsewhere BA", institution=InstitutionFactory.create())
    html = signed_in.get(reverse("apel:claim_list")).content.decode()
    assert reverse("apel:claim_new", args=[open_to_them.public_id]) in html
    assert hidden.title not in html and elsewhere.title not in html


def test_the_learners_navigation_links_to_their_claims(signed_in) -> None:
    html = signed_in.get(reverse("portfolio:learner_dashboard")).content.decode()
    assert f'href="{reverse("apel:claim_list")}"' in html and "APEL claims" in html


def test_starting_a_claim_on_some_courses_claims_their_outcomes(signed_in, people) -> None:
    prog = programme(outcomes=4, courses=2)
    url = reverse("apel:claim_new", args=[prog.public_id])
    page = signed_in.get(url).content.decode()
    assert 'value="BSc Software Engineering"' in page and "C2 Course 2" in page
    assert 'value="C2"' in page
    response = signed_in.post(url, {"title": "Year 1 claim", "courses": ["C2"]})
    claim = Claim.objects.get(learner=people.learner)
    assert response.status_code == 302 and response["Location"] == claim.get_absolute_url()
    assert claim.title == "Year 1 claim"
    assert sorted(claim.answers.values_list("outcome__code", flat=True)) == ["LO2", "LO4"]


def test_a_claim_needs_a_title_and_a_programme_with_outcomes(signed_in, people) -> None:
    prog = programme(outcomes=2, courses=1)
    response = signed_in.post(reverse("apel:claim_new", args=[prog.public_id]), {"title": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    other = programme(outcomes=2, courses=2, title="Other")
    elsewhere = {"title": "Mine", "courses": ["C2"]}  # a course of the other programme only
    response = signed_in.post(reverse("apel:claim_new", args=[prog.public_id]), elsewhere)
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert other.courses.count() == 2
    empty = programme(outcomes=0, title="No outcomes yet")
    response = signed_in.post(reverse("apel:claim_new", args=[empty.public_id]), {"title": "X"})
    assert response.status_code == 400
    assert "has no learning outcomes to claim against yet" in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.parametrize("kind", ["unpublished", "other institution", "another learner's own"])
def test_a_programme_not_open_to_the_learner_cannot_be_claimed(signed_in, kind) -> None:
    prog = {
        "unpublished": lambda: programme(published=False),
        "other institution": lambda: programme(institution=InstitutionFactory.create()),
        "another learner's own": lambda: _entered_by(LearnerFactory.create()),
    }[kind]()
    url = reverse("apel:claim_new", args=[prog.public_id])
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, {"title": "Mine"}).status_code == 404
    assert not Claim.objects.exists()


def _entered_by(learner):
    from portfolio.models import LearningOutcome, Programme

    made = Programme.objects.create(entered_by=learner, title="My own programme")
    LearningOutcome.objects.create(programme=made, code="A", text="Do a thing")
    return made


def test_the_claim_page_summarises_coverage_and_shows_every_part(signed_in, people) -> None:
    held = aligned_badge(people.learner, name="Testing", code="LO3")
    written = reflection(people.learner, title="Weekly reflection")
    claim = claim_for(
        people.learner,
        programme(outcomes=4, credit_cap=Decimal(6)),
        {"LO1": [written], "LO2": [written, held]},
    )
    html = signed_in.get(claim.get_absolute_url()).content.decode()
    assert "<strong>2</strong> of 4 outcomes covered" in html
    assert "<strong>2</strong> with no evidence" in html
    assert "<strong>1</strong> relying on one item" in html
    assert "<strong>1</strong> with self-declared evidence only" in html
    assert 'class="apel-matrix"' in html and 'id="outcome-LO4"' in html
    assert "Aligned to code LO3" in html  # the suggestion, with its reason
    assert "Micro-credential transcript" in html and "What you declare for “Testing”" in html
    assert 'name="csrfmiddlewaretoken"' in html and "Delete this draft" in html


def test_the_submit_button_appears_once_the_submit_page_exists(signed_in, people) -> None:
    claim = claim_for(people.learner, programme(outcomes=1))
    html = signed_in.get(claim.get_absolute_url()).content.decode()
    try:
        submit_url = reverse("apel:claim_submit", kwargs={"public_id": claim.public_id})
    except NoReverseMatch:  # the submit page is another part's, not merged yet
        assert ">Submit</a>" not in html
    else:
        assert f'href="{submit_url}"' in html


def test_the_export_area_is_included_once_its_template_exists(
    signed_in, people, settings, tmp_path
) -> None:
    partial = tmp_path / "exports" / "partials" / "apel_export.html"
    partial.parent.mkdir(parents=True)
    partial.write_text("<p>Export area for {{ claim.title }}</p>")
    claim = claim_for(people.learner, programme(outcomes=1))
    assert "Export area for" not in signed_in.get(claim.get_absolute_url()).content.decode()
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    html = signed_in.get(claim.get_absolute_url()).content.decode()
    assert f"Export area for {claim.title}" in html


def test_a_submitted_claim_is_shown_read_only_with_a_new_version_button(signed_in, people) -> None:
    claim = submitted(people.learner)
    html = signed_in.get(claim.get_absolute_url()).content.decode()
    assert "can no longer be changed" in html and "Start a new version" in html
    assert "Every week." in html
    for action in ("justify", "evidence", "delete", "credentials"):
        assert f"/apel/claims/{claim.public_id}/{action}/" not in html


def test_judgements_reach_the_learner_with_the_recommendation(signed_in, people) -> None:
    claim = submitted(people.learner)
    services.judgement_record(
        answer=answer(claim, "LO1"), judgement=Judgement.PARTLY, comment="Show more.", by="Ann"
    )
    html = signed_in.get(claim.get_absolute_url()).content.decode()
    assert "Show more." not in html and "Partly meets" not in html
    services.recommendation_record(
        claim=claim, recommendation=Recommendation.NOT_YET, comment="Nearly.", by="Ann"
    )
    html = signed_in.get(claim.get_absolute_url()).content.decode()
    assert "Assessor's judgement" in html and "Partly meets" in html and "Show more." in html
    assert "Not yet: more evidence needed" in html and "Nearly." in html
    assert "judged LO1: Partly meets" in html  # in the history too


def test_a_new_version_is_started_once_and_opened(signed_in, people) -> None:
    claim = submitted(people.learner)
    url = reverse("apel:claim_new_version", args=[claim.public_id])
    response = signed_in.post(url)
    newer = Claim.objects.get(previous=claim)
    assert response["Location"] == newer.get_absolute_url()
    assert (newer.version, newer.state) == (2, ClaimState.DRAFT)
    assert signed_in.post(url)["Location"] == newer.get_absolute_url()
    assert Claim.objects.filter(series=claim.series).count() == 2
    html = signed_in.get(claim.get_absolute_url()).content.decode()
    assert "Open version 2, started from this one" in html


def test_a_draft_cannot_be_given_a_new_version(signed_in, people) -> None:
    claim = claim_for(people.learner, programme(outcomes=1))
    response = signed_in.post(reverse("apel:claim_new_version", args=[claim.public_id]))
    assert response.status_code == 400 and "still a draft" in response.content.decode()
    assert Claim.objects.count() == 1


def test_renaming_a_draft(signed_in, people) -> None:
    claim = claim_for(people.learner, programme(outcomes=1))
    url = reverse("apel:claim_rename", args=[claim.public_id])
    response = signed_in.post(url, {"title": "For year 2"})
    assert response["Location"] == claim.get_absolute_url() + "#summary"
    claim.refresh_from_db()
    assert claim.title == "For year 2"
    assert "Title saved." in signed_in.get(claim.get_absolute_url()).content.decode()
    response = signed_in.post(url, {"title": ""})
    assert response.status_code == 400 and "Give the claim a title" in response.content.decode()
    claim.refresh_from_db()
    assert claim.title == "For year 2"


def test_deleting_a_draft_keeps_the_evidence(signed_in, people) -> None:
    written = reflection(people.learner)
    claim = claim_for(people.learner, programme(outcomes=1), {"LO1": [written]})
    url = reverse("apel:claim_delete", args=[claim.public_id])
    assert "Delete the draft" in signed_in.get(url).content.decode()
    assert signed_in.post(url)["Location"] == reverse("apel:claim_list")
    assert not Claim.objects.exists()
    written.refresh_from_db()


def test_a_submitted_claim_cannot_be_deleted_or_renamed(signed_in, people) -> None:
    claim = submitted(people.learner)
    for url in (
        reverse("apel:claim_delete", args=[claim.public_id]),
        reverse("apel:claim_rename", args=[claim.public_id]),
    ):
        response = signed_in.post(url, {"title": "Changed"})
        assert response.status_code == 409, url
        assert "Start a new version" in response.content.decode()
    assert signed_in.get(reverse("apel:claim_delete", args=[claim.public_id])).status_code == 409
    claim.refresh_from_db()
    assert claim.title != "Changed"
