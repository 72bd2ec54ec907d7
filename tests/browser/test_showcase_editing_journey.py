"""A learner edits a showcase the way first-time users did when they lost work: captions
typed into several items survive an attempt to leave and are all stored by one Save; the
picker tells same-named files apart and keeps ticks across searches. And a reflection
prompt chosen after typing keeps what was typed."""

import re

import pytest
from playwright.sync_api import Dialog, expect

from portfolio.models import ShowcaseItem
from reflections.models import Reflection, ReflectionPrompt
from tests.browser.journey import Journey
from tests.factories import PASSWORD, LearnerFactory
from tests.portfolio.showcase_data import (
    image_artefact,
    link_artefact,
    pdf_artefact,
    reflection,
    showcase_with,
)

pytestmark = pytest.mark.django_db(transaction=True)

CAPTIONS = {
    "Site visit photo": "The site I surveyed alone.",
    "Risk assessment": "Signed off by the site manager.",
    "My blog post": "What I would do differently.",
}


class TestALearnerEditingAShowcase:
    def test_keeps_every_caption_and_every_tick(self, journey: Journey) -> None:
        account = LearnerFactory.create(name="Cara Curator")
        showcase = showcase_with(
            account,
            {
                "Projects": [
                    image_artefact(account, title="Site visit photo"),
                    pdf_artefact(account, title="Risk assessment"),
                    link_artefact(account, title="My blog post"),
                ]
            },
        )
        # Two files with the same name, and a reflection.
        image_artefact(account, title="Final report")
        pdf_artefact(account, title="Final report")
        reflection(account, title="What the placement taught me")

        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open(showcase.get_absolute_url(), "editor")

        # Captions typed into three items; each is saved as the learner moves on.
        areas = [page.get_by_role("listitem").filter(has_text=title) for title in CAPTIONS]
        for item, caption in zip(areas, CAPTIONS.values(), strict=True):
            item.get_by_label("Why it is here").click()
            learner.type(caption)
        expect(areas[0].get_by_role("status")).to_have_text("Saved")
        expect(areas[2].get_by_role("status")).to_have_text("Not saved yet")

        # Leaving (closing the tab) with a caption unsaved: warned, and the learner stays.
        warnings: list[str] = []

        def stay(dialog: Dialog) -> None:
            warnings.append(dialog.type)
            dialog.dismiss()

        page.once("dialog", stay)
        page.close(run_before_unload=True)
        expect(page.get_by_role("heading", level=1)).to_have_text(showcase.title)
        assert warnings == ["beforeunload"]
        assert not page.is_closed()
        expect(areas[2].get_by_label("Why it is here")).to_have_value(CAPTIONS["My blog post"])

        # One Save stores them all.
        page.get_by_role("button", name="Save captions").click()
        expect(page.locator(".messages")).to_be_visible()
        learner.check("captions-saved")
        for title, caption in CAPTIONS.items():
            item = page.get_by_role("listitem").filter(has_text=title)
            expect(item.get_by_label("Why it is here")).to_have_value(caption)
        stored = ShowcaseItem.objects.filter(section__showcase=showcase)
        assert {str(i.target): i.caption for i in stored} == CAPTIONS

        # Saved: leaving now asks nothing.
        page.once("dialog", stay)
        page.get_by_role("link", name="All showcases").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Showcases")
        assert warnings == ["beforeunload"]
        learner.check("showcases")
        page.go_back()
        learner.check("editor-again")

        # The picker: two "Final report"s told apart; ticks kept across searches.
        page.locator("summary", has_text="Add evidence or badges to “Projects”").click()
        search = page.get_by_label("Search your evidence and badges")
        search.fill("Final")
        picker = page.locator(".picker-results")
        expect(picker.get_by_role("checkbox")).to_have_count(2)
        photo = picker.get_by_role("checkbox", name=re.compile(r"Final report Image · site-visit"))
        expect(
            picker.get_by_role("checkbox", name=re.compile(r"Final report PDF · risk-assess"))
        ).to_be_visible()
        expect(picker.locator("img")).to_have_count(1)  # the image's thumbnail
        photo.check()
        search.fill("placement")
        expect(picker.get_by_role("checkbox")).to_have_count(2)  # the tick, then the match
        expect(photo).to_be_checked()
        picker.get_by_role("checkbox", name=re.compile("What the placement taught me")).check()
        learner.check("picker-ticked")
        page.get_by_role("button", name="Add the ticked items").click()
        expect(page.locator(".messages")).to_contain_text("2 added to “Projects”.")
        learner.check("items-added")

        titles = page.locator(".editor-item__name > a").all_inner_texts()
        assert titles[-2:] == ["Final report", "What the placement taught me"]
        added = page.locator(".editor-item").filter(has_text="Final report")
        thumbnail = added.locator(".thumb img")
        expect(thumbnail).to_be_visible()
        assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
        expect(page.locator(".editor-item").filter(has_text="What the placement")).to_contain_text(
            "Reflection"
        )


class TestALearnerWritingAReflection:
    def test_chooses_a_prompt_after_typing_and_keeps_the_text(self, journey: Journey) -> None:
        account = LearnerFactory.create(name="Rhea Reflector")
        prompt = ReflectionPrompt.objects.create(
            title="What? So what? Now what?", body="## What?\n\n## So what?\n\n## Now what?"
        )
        withdrawn = ReflectionPrompt.objects.create(title="Gibbs cycle", body="## Description")
        learner = journey.person("learner")
        page = learner.page
        learner.log_in(account.email, PASSWORD)
        learner.check("dashboard")
        learner.open("/reflections/new/", "new-reflection")

        page.get_by_label("Title").fill("My first week")
        page.locator("textarea[name=body_markdown]").fill("I met the team on Monday.")
        # A prompt withdrawn while the page was open: explained, and nothing typed is lost.
        ReflectionPrompt.objects.filter(pk=withdrawn.pk).update(is_active=False)
        page.get_by_role("button", name="Gibbs cycle").click()
        expect(page.locator(".messages")).to_contain_text("That prompt is no longer offered.")
        expect(page.get_by_label("Title")).to_have_value("My first week")
        expect(page.locator("textarea[name=body_markdown]")).to_have_value(
            "I met the team on Monday."
        )
        learner.check("prompt-withdrawn")
        page.get_by_role("button", name="What? So what? Now what?").click()
        expect(page.get_by_label("Title")).to_have_value("My first week")
        body = page.locator("textarea[name=body_markdown]")
        expect(body).to_have_value(f"I met the team on Monday.\n\n{prompt.body}")
        learner.check("prompt-chosen")

        # Enter in the title saves (the prompt buttons come first on the page).
        page.get_by_label("Title").press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("My first week")
        learner.check("reflection-saved")
        saved = Reflection.objects.get(owner=account)
        assert saved.body_markdown.startswith("I met the team on Monday.")
        assert saved.prompt == prompt
