"""A programme's outcomes as a CSV download, in the columns the import reads, and the
import's template. Every cell a spreadsheet could run as a formula (=, +, -, @, a tab or
a carriage return first) is written as text (`core.csvsafe`)."""

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from core.csvsafe import safe_row
from portfolio.apel.programme_csv import COLUMNS, EXAMPLE
from portfolio.models import LearningOutcome


class Writable(Protocol):
    """Where the CSV goes: a file, or an HttpResponse."""

    def write(self, text: str, /) -> object: ...


def credits_text(value: Decimal | None) -> str:
    """5.00 as "5", 7.50 as "7.5": credits as a person writes them."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def outcomes_write(out: Writable, *, outcomes: Iterable[LearningOutcome]) -> None:
    """The import's columns, one outcome a line (each with its `course` loaded), every
    cell a spreadsheet could run as a formula written as text."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for outcome in outcomes:
        course = outcome.course
        writer.writerow(
            safe_row(
                [
                    course.code if course else "",
                    course.title if course else "",
                    outcome.code,
                    outcome.text,
                    credits_text(outcome.credits),
                ]
            )
        )


def template_write(out: Writable) -> None:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(safe_row(list(row)) for row in EXAMPLE)
