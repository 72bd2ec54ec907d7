"""A programme's learning outcomes as CSV: the columns course_code, course_title,
outcome_code, outcome_text and credits (only outcome_code and outcome_text are required).

`outcomes_check` reads the whole file before anything is stored: any problem refuses the
file, naming each line and what is wrong. An import only adds: an outcome code already in
the programme is a problem, never an update. A clean file is shown as a preview; the
preview carries the file's text signed (`preview_token`), so confirming imports exactly
what was previewed, checked once more.

Cells are kept exactly as written: an outcome such as "=HYPERLINK(...)" is text to us,
and the download (`programme_csv_export`) prefixes such cells so a spreadsheet never runs
them.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.csvread import CsvNotText, utf8_text
from portfolio.models import Programme
from portfolio.models.apel import OUTCOME_CODE_MAX

COLUMNS = ["course_code", "course_title", "outcome_code", "outcome_text", "credits"]
REQUIRED = ["outcome_code", "outcome_text"]
EXAMPLE = [
    ["WD101", "Accessible web design", "WD-LO1", "Design web forms that meet WCAG 2.2 AA", "5"],
    ["WD101", "Accessible web design", "WD-LO2", "Plan and run a usability test", "5"],
    ["", "", "GEN-LO1", "Reflect on your practice and plan your development", "2.5"],
]
OUTCOME_TEXT_MAX = 5000
COURSE_TITLE_MAX = 300
CREDITS_LIMIT = Decimal("100000")
MAX_ROWS = 2000
MAX_ERRORS_SHOWN = 50
PREVIEW_MAX_AGE = 60 * 60
_SALT = "portfolio.apel.programme_import"


class ImportRefused(ValueError):
    """The file was refused; `errors` are the messages for the person, line by line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Row:
    line: int
    course_code: str  # as the programme spells it when the course exists already
    code: str
    text: str
    credits: Decimal | None
    new_course: bool


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    # Courses the import creates, in file order: lower-case code -> (code, title).
    new_courses: dict[str, tuple[str, str]] = field(default_factory=dict)


def outcomes_read(upload: UploadedFile) -> str:
    """The upload's text; a file over APEL_CSV_MAX_BYTES is refused without reading it."""
    limit = settings.APEL_CSV_MAX_BYTES
    too_big = ImportRefused(
        [
            _("The file is larger than %(size)s. Split it, for example one file per course.")
            % {"size": filesizeformat(limit)}
        ]
    )
    if (upload.size or 0) > limit:
        raise too_big
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    try:
        return utf8_text(data)
    except CsvNotText as error:
        raise ImportRefused([str(error)]) from None


def outcomes_check(*, programme: Programme, text: str) -> Checked:
    """Every line checked against the rest of the file and the programme (two queries);
    raises ImportRefused listing the problems."""
    lines = _parse(text)
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise ImportRefused(
            [
                _("The file is empty. Its first line must name the columns: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)}
            ]
        )
    where = _header(lines[0])
    body = [(n, cells) for n, cells in enumerate(lines[1:], start=2) if any(map(str.strip, cells))]
    if not body:
        raise ImportRefused([_("The file has its column names but no outcomes.")])
    if len(body) > MAX_ROWS:
        raise ImportRefused(
            [_("The file has more than %(max)s outcomes. Split it.") % {"max": f"{MAX_ROWS:,}"}]
        )
    return _Checker(programme, where).check(body)


def _parse(text: str) -> list[list[str]]:
    """The file's records; a line number is a record's number, as a spreadsheet shows it."""
    if "\x00" in text:  # no database text column can hold it; a binary file has them
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportRefused(
            [
                _("Line %(line)s: it contains a NUL character, so this is not a CSV text file.")
                % {"line": line}
            ]
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[list[str]] = []
    try:
        for cells in reader:
            lines.append(cells)
    except csv.Error as error:  # a cell over the csv module's limit: a quote left open
        raise ImportRefused(
            [
                _("Line %(line)s: it cannot be read as CSV (%(reason)s). Check its quotes.")
                % {"line": len(lines) + 1, "reason": error}
            ]
        ) from None
    return lines


def _header(cells: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in cells]
    unknown = [name for name in names if name not in COLUMNS]
    twice = sorted({name for name in names if names.count(name) > 1})
    missing = [name for name in REQUIRED if name not in names]
    if len(names) == 1 and ";" in names[0]:
        reason = _(
            "the columns are separated by semicolons. Save as “CSV UTF-8 (comma delimited)”."
        )
    elif "" in names:
        reason = _("column %(n)s has no name.") % {"n": names.index("") + 1}
    elif unknown:
        reason = _("“%(name)s” is not one of the columns.") % {"name": unknown[0][:60]}
    elif twice:
        reason = _("the column %(name)s is there twice.") % {"name": twice[0]}
    elif missing:
        reason = _("the %(name)s column is missing.") % {"name": missing[0]}
    else:
        return {name: index for index, name in enumerate(names)}
    message = _(
        "Line 1: %(reason)s The columns are %(columns)s; only outcome_code and outcome_text "
        "are required."
    ) % {"reason": reason, "columns": ", ".join(COLUMNS)}
    raise ImportRefused([message])


class _Checker:
    """The lines of one file against each other and the programme's outcomes and courses."""

    def __init__(self, programme: Programme, where: dict[str, int]) -> None:
        self.where = where
        self.taken = {code.lower() for code in programme.outcomes.values_list("code", flat=True)}
        self.courses = {
            code.lower(): (code, title)
            for code, title in programme.courses.values_list("code", "title")
        }
        self.seen: dict[str, int] = {}
        self.titled: dict[str, tuple[str, int]] = {}  # course code -> (title, first line)
        self.checked = Checked()

    def check(self, body: list[tuple[int, list[str]]]) -> Checked:
        errors = []
        for number, cells in body:
            problem = self._line(number, cells)
            if problem:
                errors.append(
                    _("Line %(line)s: %(problem)s") % {"line": number, "problem": problem}
                )
        if errors:
            raise ImportRefused(errors[:MAX_ERRORS_SHOWN])
        for row in self.checked.rows:
            key = row.course_code.lower()
            if row.new_course and key not in self.checked.new_courses:
                title = self.titled.get(key, ("", 0))[0]
                self.checked.new_courses[key] = (row.course_code, title)
        return self.checked

    def _line(self, number: int, cells: list[str]) -> str:
        if len(cells) != len(self.where):
            return _("it has %(n)s cells; it needs %(needed)s (%(columns)s).") % {
                "n": len(cells),
                "needed": len(self.where),
                "columns": ", ".join(self.where),
            }
        cell = {name: cells[index] for name, index in self.where.items()}
        # Codes lose every space around them (a non-breaking one pasted from a web page
        # too): a form posting the code back would not match it otherwise.
        course_code = cell.get("course_code", "").strip()
        course_title = cell.get("course_title", "")
        code, text = cell["outcome_code"].strip(), cell["outcome_text"]
        problem = _cells_problem(course_code, course_title, code, text)
        credits, credits_problem = credits_from(cell.get("credits", ""))
        problem = problem or credits_problem or self._clash(number, code, course_code, course_title)
        if problem:
            return problem
        self.seen[code.lower()] = number
        key = course_code.lower()
        if key and course_title.strip():
            self.titled.setdefault(key, (course_title, number))
        known = self.courses.get(key)
        spelled, new_course = (known[0], False) if known else (course_code, bool(key))
        self.checked.rows.append(Row(number, spelled, code, text, credits, new_course))
        return ""

    def _clash(self, number: int, code: str, course_code: str, course_title: str) -> str:
        key = code.lower()
        if key in self.seen:
            return _(
                "outcome %(code)s is also on line %(first)s. Each outcome needs its own code."
            ) % {"code": code, "first": self.seen[key]}
        if key in self.taken:
            return _(
                "outcome %(code)s is already in this programme. An import only adds outcomes: "
                "give it a new code, or change the existing outcome on the programme's page."
            ) % {"code": code}
        course = course_code.lower()
        if not course_title.strip():
            return ""
        if course in self.courses and self.courses[course][1] != course_title:
            return _(
                "course %(code)s is already in this programme as “%(title)s”. Use that title "
                "or leave course_title empty."
            ) % {"code": course_code, "title": self.courses[course][1] or _("untitled")}
        first = self.titled.get(course)
        if first and first[0] != course_title:
            return _(
                "course %(code)s is titled “%(title)s” on line %(first)s. Give a course the "
                "same title on every line, or leave it empty after the first."
            ) % {"code": course_code, "title": first[0], "first": first[1]}
        return ""


def _cells_problem(course_code: str, course_title: str, code: str, text: str) -> str:
    if not code:
        return _("the outcome_code is empty.")
    if len(code) > OUTCOME_CODE_MAX:
        return _("the outcome_code “%(code)s…” is longer than %(max)s characters.") % {
            "code": code[:OUTCOME_CODE_MAX],
            "max": OUTCOME_CODE_MAX,
        }
    if not one_line(code):
        return _("the outcome_code “%(code)s” has a line break or tab in it.") % {
            "code": code.encode("unicode_escape").decode()[:60]
        }
    if not text.strip():
        return _("the outcome_text of %(code)s is empty.") % {"code": code}
    if len(text) > OUTCOME_TEXT_MAX:
        return _("the outcome_text of %(code)s is longer than %(max)s characters.") % {
            "code": code,
            "max": f"{OUTCOME_TEXT_MAX:,}",
        }
    if course_title.strip() and not course_code:
        return _("it has a course_title but no course_code. Give the course a code.")
    if not one_line(course_code):
        return _("the course_code has a line break or tab in it.")
    if len(course_code) > OUTCOME_CODE_MAX:
        return _("the course_code is longer than %(max)s characters.") % {"max": OUTCOME_CODE_MAX}
    if len(course_title) > COURSE_TITLE_MAX:
        return _("the course_title is longer than %(max)s characters.") % {"max": COURSE_TITLE_MAX}
    return ""


def one_line(code: str) -> bool:
    """A code is one line without control characters: it is posted back from forms
    (which send a line break as CRLF) and written in anchors and CSV cells."""
    return not any(unicodedata.category(char) == "Cc" for char in code)


def credits_from(raw: str) -> tuple[Decimal | None, str]:
    """A cell's credits (None when empty), or a problem saying how to write them."""
    raw = raw.strip()
    if not raw:
        return None, ""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    cents = Decimal("0.01")
    if not value.is_finite() or not 0 <= value < CREDITS_LIMIT or value != value.quantize(cents):
        return None, _("“%(value)s” is not a number of credits. Write it like 5 or 7.5.") % {
            "value": raw[:40]
        }
    value = value.quantize(cents)
    return value, ""


def preview_token(*, programme: Programme, text: str) -> str:
    """The checked file, signed for this programme, to confirm within PREVIEW_MAX_AGE."""
    payload = {"programme": str(programme.public_id), "csv": text}
    return signing.dumps(payload, salt=_SALT, compress=True)


def preview_text(*, programme: Programme, token: str) -> str:
    try:
        payload = signing.loads(token, salt=_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportRefused(
            [_("This preview is more than an hour old. Upload the file again.")]
        ) from None
    except signing.BadSignature:
        raise ImportRefused([_("This preview could not be read. Upload the file again.")]) from None
    if payload.get("programme") != str(programme.public_id):
        raise ImportRefused([_("This preview is for another programme. Upload the file again.")])
    return str(payload["csv"])
