"""How a share link offers the showcase PDF to the person who opens it."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from portfolio.exports import services
from portfolio.showcases import services as showcase_services
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db


def test_the_offered_pdf_reads_as_one_sentence_with_when_it_was_signed(people) -> None:
    showcase = showcase_services.showcase_create(owner=people.learner, title="Placement")
    section = showcase_services.section_add(showcase=showcase, heading="What I learned")
    showcase_services.items_add(section=section, targets=[reflection(people.learner)])
    export = services.export_request(owner=people.learner, showcase=showcase, request_key="k")
    services.export_render(export_id=export.pk)  # what the queued task does
    export.refresh_from_db()
    link = showcase_services.link_create(showcase=showcase, label="Acme", offer_pdf=True)

    page = Client().get(f"/s/{link.token}/").content.decode()

    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    made = date_format(timezone.localtime(export.finished_at), "DATE_FORMAT")
    assert f"Download the PDF (signed, made {made})" in text
