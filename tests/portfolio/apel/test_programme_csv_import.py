"""Importing learning outcomes from a CSV: every malformed file is refused with a
message naming the line and the problem, and imports nothing; a clean file is
previewed, and only confirming the preview adds its outcomes."""

import io
import re
import time
from html import unescape
from typing import Any

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import Client
from django.urls import reverse

from portfolio.apel import programme_csv
from portfolio.apel.programme_csv import ImportRefused, outcomes_read
from portfolio.models import Course, LearningOutcome, Programme
from tests.accounts.institutions.conftest import Staff
from tests.conftest import People
from tests.portfolio.apel.conftest import Programmes

pytestmark = pytest.mark.django_db
HEADER = "course_code,course_title,outcome_code,outcome_text,credits\n"
FIFTY_MB = 50 * 1024 * 1024


def _csv(content: str | bytes, name: str = "outcomes.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _import_url(staff: Staff, programme: Programme, name: str = "programme_import") -> str:
    return reverse(f"apel_staff:{name}", args=[staff.institution.slug, programme.public_id])


def _upload(client: Client, staff: Staff, programme: Programme, content: str | bytes) -> Any:
    client.force_login(staff.admin)
    return client.post(_import_url(staff, programme), {"file": _csv(content)})


def _text(html: str) -> str:
    """The page's text as a person reads it (entities and no-break spaces undone)."""
    return unescape(html).replace("\xa0", " ")


def _state() -> tuple[Any, ...]:
    return (
        list(LearningOutcome.objects.values_list("pk", "code", "text", "position").order_by("pk")),
        list(Course.objects.values_list("pk", "code", "title").order_by("pk")),
    )


MALFORMED = [
    pytest.param(b"", "The file is empty. Its first line must name the columns", id="empty"),
    pytest.param("\n\n", "The file is empty.", id="blank-lines"),
    pytest.param(HEADER, "The file has its column names but no outcomes.", id="header-only"),
    pytest.param(
        "code,text\nLO9,Something\n",
        "Line 1: “code” is not one of the columns.",
        id="wrong-columns",
    ),
    pytest.param(
        "course_code,outcome_code\nC1,LO9\n",
        "Line 1: the outcome_text column is missing.",
        id="missing-column",
    ),
    pytest.param(
        "outcome_code,outcome_text,outcome_code\nA,b,c\n",
        "Line 1: the column outcome_code is there twice.",
        id="column-twice",
    ),
    pytest.param(
        "outcome_code,outcome_text,\nA,b,\n", "Line 1: column 3 has no name.", id="unnamed-column"
    ),
    pytest.param(
        "course_code;course_title;outcome_code;outcome_text;credits\nC1;;LO9;x;5\n",
        "Line 1: the columns are separated by semicolons.",
        id="semicolons",
    ),
    pytest.param(
        (HEADER + "C1,Cours,LO9,Réfléchir,5\n").encode("latin-1"),
        "Line 2: this is not UTF-8 text. In your spreadsheet, save as “CSV UTF-8”",
        id="latin-1",
    ),
    pytest.param(
        (HEADER + "C1,,LO9,x,5\n").encode("utf-16"), "Line 1: this is not UTF-8 text", id="utf-16"
    ),
    pytest.param(
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U0#\xf4\x00\x00",
        "Line 1: this is not UTF-8 text",
        id="a-spreadsheet-file",
    ),
    pytest.param(
        HEADER + "C1,,LO9,x,5\nC1,,LO10,x\x00y,5\n", "Line 3: it contains a NUL character", id="nul"
    ),
    pytest.param(
        HEADER + 'C1,,LO9,"An open quote,5\n' + "x" * 200_000 + "\n",
        "Line 2: it cannot be read as CSV (field larger than field limit",
        id="open-quote",
    ),
    pytest.param(
        HEADER + "C1,,LO9,First,5\nC1,,lo9,Again,5\n",
        "Line 3: outcome lo9 is also on line 2. Each outcome needs its own code.",
        id="duplicate-in-file",
    ),
    pytest.param(
        HEADER + "C1,,LO1,Already there,5\n",
        "Line 2: outcome LO1 is already in this programme. An import only adds",
        id="duplicate-of-existing",
    ),
    pytest.param(
        HEADER + "C1,,LO9,Too few\n", "Line 2: it has 4 cells; it needs 5", id="short-line"
    ),
    pytest.param(HEADER + "C1,, ,No code,5\n", "Line 2: the outcome_code is empty.", id="no-code"),
    pytest.param(
        HEADER + f"C1,,{'X' * 41},Long code,5\n", "is longer than 40 characters", id="long-code"
    ),
    pytest.param(
        HEADER + "C1,,LO9,  ,5\n", "Line 2: the outcome_text of LO9 is empty.", id="no-text"
    ),
    pytest.param(
        HEADER + "C1,,LO9,x,five\n",
        "Line 2: “five” is not a number of credits. Write it like 5 or 7.5.",
        id="credits",
    ),
    pytest.param(
        HEADER + "C1,,LO9,x,-1\n", "Line 2: “-1” is not a number of credits", id="negative-credits"
    ),
    pytest.param(
        HEADER + "C1,,LO9,x,2.125\n", "Line 2: “2.125” is not a number", id="credit-cents"
    ),
    pytest.param(HEADER + "C1,,LO9,x,NaN\n", "Line 2: “NaN” is not a number", id="nan-credits"),
    pytest.param(
        HEADER + ",Orphan title,LO9,x,5\n",
        "Line 2: it has a course_title but no course_code.",
        id="title-without-course",
    ),
    pytest.param(
        HEADER + "N1,New one,LO9,x,\nN1,Other name,LO10,y,\n",
        "Line 3: course N1 is titled “New one” on line 2.",
        id="course-titles-differ",
    ),
    pytest.param(
        HEADER + "C1,Renamed,LO9,x,\n",
        "Line 2: course C1 is already in this programme as “Course 1”.",
        id="existing-course-renamed",
    ),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED)
def test_a_malformed_file_names_the_problem_and_imports_nothing(
    client: Client, staff: Staff, programmes: Programmes, content: str | bytes, message: str
) -> None:
    before = _state()
    response = _upload(client, staff, programmes.ours, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert message in _text(html)
    assert _state() == before


def test_every_bad_line_is_named_at_once(
    client: Client, staff: Staff, programmes: Programmes
) -> None:
    text = HEADER + "C1,,LO9,x,5\nC1,,LO9,y,5\nC1,,LO10,z,lots\n,,,,\n"
    html = _upload(client, staff, programmes.ours, text).content.decode()
    assert "Line 3: outcome LO9 is also on line 2" in html
    assert "Line 4: “lots” is not a number" in _text(html)


def test_too_many_lines_are_refused(client: Client, staff: Staff, programmes: Programmes) -> None:
    rows = "".join(f",,X{n},Outcome {n},\n" for n in range(programme_csv.MAX_ROWS + 1))
    before = _state()
    response = _upload(client, staff, programmes.ours, HEADER + rows)
    assert response.status_code == 400
    assert "more than 2,000 outcomes" in response.content.decode()
    assert _state() == before


def test_a_50_mb_file_is_refused_with_its_size_named(
    client: Client, staff: Staff, programmes: Programmes
) -> None:
    before = _state()
    big = HEADER.encode() + b"C1,,LO9," + b"x" * FIFTY_MB + b",5\n"
    response = _upload(client, staff, programmes.ours, big)
    assert response.status_code == 400
    assert "The file is larger than 1.0 MB. Split it" in _text(response.content.decode())
    assert _state() == before


class _CountingFile(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.given = 0

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self.given += len(chunk)
        return chunk


def test_a_file_over_the_limit_is_not_read_at_all() -> None:
    raw = _CountingFile(b"x" * FIFTY_MB)
    with pytest.raises(ImportRefused, match=re.escape("larger than 1.0\xa0MB.")):
        outcomes_read(UploadedFile(raw, name="big.csv", size=FIFTY_MB))
    assert raw.given == 0


def test_a_file_that_understates_its_size_is_read_only_to_the_limit(settings: Any) -> None:
    settings.APEL_CSV_MAX_BYTES = 1000
    raw = _CountingFile(b"x" * 5000)
    with pytest.raises(ImportRefused, match="larger than 1000"):
        outcomes_read(UploadedFile(raw, name="big.csv", size=10))
    assert raw.given == 1001


def test_a_clean_file_is_previewed_and_nothing_is_stored_until_confirmed(
    client: Client, staff: Staff, programmes: Programmes
) -> None:
    before = _state()
    text = "\ufeff" + HEADER + "C1,,LO9,Joins course one,2.5\nNEW,A new course,LO10,Fresh,\n"
    response = _upload(client, staff, programmes.ours, text)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check before importing" in html and "Import 2 outcomes" in html
    assert "A new course" in html and "(new)" in html and "Joins course one" in html
    assert _state() == before
    token = response.context["token"]
    confirm = _import_url(staff, programmes.ours, "programme_import_confirm")
    response = client.post(confirm, {"token": token})
    assert response.status_code == 302
    assert response["Location"].endswith("#outcomes")
    page = client.get(response["Location"]).content.decode()
    assert "Imported 2 outcomes. 1 new course was added." in page
    assert programmes.ours.outcomes.get(code="LO9").course.code == "C1"  # type: ignore[union-attr]
    assert Course.objects.get(programme=programmes.ours, code="NEW").title == "A new course"


def test_columns_may_come_in_any_order_and_the_optional_ones_may_be_left_out(
    client: Client, staff: Staff, programmes: Programmes
) -> None:
    response = _upload(client, staff, programmes.draft, "Outcome_Text, outcome_code\nDo it,LO9\n")
    assert response.status_code == 200
    client.post(
        _import_url(staff, programmes.draft, "programme_import_confirm"),
        {"token": response.context["token"]},
    )
    outcome = programmes.draft.outcomes.get(code="LO9")
    assert outcome.text == "Do it" and outcome.course is None and outcome.credits is None


def test_confirming_checks_the_file_again(
    client: Client, staff: Staff, programmes: Programmes
) -> None:
    response = _upload(client, staff, programmes.ours, HEADER + "C1,,LO9,x,\nC1,,LO10,y,\n")
    token = response.context["token"]
    programmes.ours.outcomes.create(code="LO10", text="Added by someone else meanwhile")
    before = _state()
    confirm = _import_url(staff, programmes.ours, "programme_import_confirm")
    response = client.post(confirm, {"token": token})
    assert response.status_code == 400
    assert "Line 3: outcome LO10 is already in this programme" in response.content.decode()
    assert _state() == before


def _old_token(payload: dict[str, str]) -> str:
    class Yesterday(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 2 * programme_csv.PREVIEW_MAX_AGE)

    return Yesterday(salt=programme_csv._SALT).sign_object(payload, compress=True)


@pytest.mark.parametrize("case", ["tampered", "other-programme", "expired", "missing"])
def test_a_preview_that_cannot_be_trusted_imports_nothing(
    client: Client, staff: Staff, programmes: Programmes, case: str
) -> None:
    text = HEADER + "C1,,LO9,x,\n"
    token = {
        "tampered": programme_csv.preview_token(programme=programmes.ours, text=text)[:-3] + "abc",
        "other-programme": programme_csv.preview_token(programme=programmes.draft, text=text),
        "expired": _old_token({"programme": str(programmes.ours.public_id), "csv": text}),
        "missing": "",
    }[case]
    message = {
        "tampered": "This preview could not be read.",
        "other-programme": "This preview is for another programme.",
        "expired": "This preview is more than an hour old.",
        "missing": "This preview could not be read.",
    }[case]
    client.force_login(staff.admin)
    before = _state()
    response = client.post(
        _import_url(staff, programmes.ours, "programme_import_confirm"), {"token": token}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_a_learner_imports_into_a_programme_they_entered(
    client: Client, people: People, programmes: Programmes
) -> None:
    client.force_login(people.learner)
    url = reverse("apel:programme_import", args=[programmes.entered.public_id])
    response = client.post(url, {"file": _csv(HEADER + "C1,,LO1,Taken,\n")})
    assert response.status_code == 400
    assert "Line 2: outcome LO1 is already in this programme" in response.content.decode()
    response = client.post(url, {"file": _csv(HEADER + "C1,,LO9,Mine,\n")})
    assert response.status_code == 200
    confirm = reverse("apel:programme_import_confirm", args=[programmes.entered.public_id])
    response = client.post(confirm, {"token": response.context["token"]})
    assert response["Location"].startswith(
        reverse("apel:programme_manage", args=[programmes.entered.public_id])
    )
    assert programmes.entered.outcomes.filter(code="LO9").exists()


def test_the_import_page_documents_the_columns_with_an_example_to_download(
    client: Client, staff: Staff, programmes: Programmes
) -> None:
    client.force_login(staff.admin)
    html = client.get(_import_url(staff, programmes.ours)).content.decode()
    for column in programme_csv.COLUMNS:
        assert f"<code>{column}</code>" in html
    assert "WD101,Accessible web design,WD-LO1" in html
    template = client.get(reverse("apel:programme_csv_template"))
    assert template["Content-Disposition"] == (
        'attachment; filename="learning-outcomes-template.csv"'
    )
    text = template.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(programme_csv.COLUMNS)
    # The template imports cleanly as it is.
    response = _upload(client, staff, programmes.draft, template.content)
    assert response.status_code == 200 and "Import 3 outcomes" in response.content.decode()
