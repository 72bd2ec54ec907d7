"""Bulk onboarding from a CSV of email, name, role, cohort.

`onboarding_check` reads the whole file before anything is stored: any problem refuses
the file, naming each line and what is wrong. A clean file becomes a batch waiting for
the admin to confirm; `onboarding_run` then works through it in chunks, each chunk in
its own transaction, so a retried task carries on where it stopped.

Cells are stored exactly as written: a name such as "=HYPERLINK(...)" is text to us,
and CSV exports prefix such cells (see `core.csvsafe`)."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.institutions.invitations import member_invite
from accounts.institutions.models import (
    Institution,
    MembershipRole,
    OnboardingBatch,
)
from accounts.models import Cohort, User
from core.csvread import CsvNotText, utf8_text

COLUMNS = ["email", "name", "role", "cohort"]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_ERRORS_SHOWN = 50
CHUNK = 50


@dataclass
class Checked:
    rows: list[dict[str, object]] = field(default_factory=list)
    new_cohorts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        return utf8_text(data)
    except CsvNotText as error:
        raise OnboardingRefused([str(error)]) from None


class OnboardingRefused(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def onboarding_check(*, institution: Institution, upload: UploadedFile) -> Checked:
    """Every line checked; raises OnboardingRefused listing the problems (nothing stored)."""
    if (upload.size or 0) > MAX_BYTES:
        raise OnboardingRefused([_("The file is larger than 2 MB. Split it into smaller files.")])
    text = _decode(upload.read(MAX_BYTES + 1))
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise OnboardingRefused(
            [_("The file is empty. Its first line must be: email, name, role, cohort.")]
        )
    header = [cell.strip().lower() for cell in lines[0]]
    if header != COLUMNS:
        raise OnboardingRefused(
            [
                _("Line 1: the columns must be email, name, role, cohort (found: %(found)s).")
                % {"found": ", ".join(lines[0]) or _("nothing")}
            ]
        )
    body = [(number, cells) for number, cells in enumerate(lines[1:], start=2) if any(cells)]
    if not body:
        raise OnboardingRefused([_("The file has its column names but no people.")])
    if len(body) > MAX_ROWS:
        raise OnboardingRefused(
            [_("The file has more than %(max)s people. Split it.") % {"max": MAX_ROWS}]
        )
    return _check_rows(institution, body)


def _check_rows(institution: Institution, body: list[tuple[int, list[str]]]) -> Checked:
    checked = Checked()
    seen: dict[str, int] = {}
    roles = {value: value for value in MembershipRole.values}
    roles.update({str(label).lower(): value for value, label in MembershipRole.choices})
    for number, cells in body:
        if len(cells) != len(COLUMNS):
            checked.errors.append(
                _("Line %(line)s: it has %(n)s cells; it needs 4 (email, name, role, cohort).")
                % {"line": number, "n": len(cells)}
            )
            continue
        email, name, role, cohort = (cell.strip() for cell in cells)
        problem = _row_problem(email, name, role.lower(), cohort, roles)
        key = email.lower()
        if not problem and key in seen:
            problem = _("%(email)s is also on line %(first)s.") % {
                "email": email,
                "first": seen[key],
            }
        if problem:
            checked.errors.append(
                _("Line %(line)s: %(problem)s") % {"line": number, "problem": problem}
            )
            continue
        seen[key] = number
        checked.rows.append(
            {"line": number, "email": email, "name": name, "role": roles[role.lower()],
             "cohort": cohort}
        )  # fmt: skip
    if checked.errors:
        raise OnboardingRefused(checked.errors[:MAX_ERRORS_SHOWN])
    _plan(institution, checked)
    return checked


def _row_problem(email: str, name: str, role: str, cohort: str, roles: dict[str, str]) -> str:
    try:
        validate_email(email)
    except ValidationError:
        return _("“%(email)s” is not an email address.") % {"email": email[:100]}
    if role not in roles:
        return _("“%(role)s” is not a role; use learner, tutor, assessor or admin.") % {
            "role": role[:50]
        }
    if len(name) > 150:
        return _("the name is longer than 150 characters.")
    if len(cohort) > 200:
        return _("the cohort name is longer than 200 characters.")
    return ""


def _plan(institution: Institution, checked: Checked) -> None:
    """What each line will do: a new invite, or an existing person added (two queries)."""
    emails = [str(row["email"]).lower() for row in checked.rows]
    existing = {
        email.lower()
        for email in User.objects.filter(email__in=_all_cases(emails)).values_list(
            "email", flat=True
        )
    }
    cohorts = {
        name.lower()
        for name in Cohort.objects.filter(institution=institution).values_list("name", flat=True)
    }
    new_cohorts: dict[str, str] = {}
    for row in checked.rows:
        row["action"] = "add" if str(row["email"]).lower() in existing else "invite"
        cohort = str(row["cohort"])
        if cohort and cohort.lower() not in cohorts:
            new_cohorts.setdefault(cohort.lower(), cohort)
            row["new_cohort"] = True
    checked.new_cohorts = list(new_cohorts.values())


def _all_cases(emails: list[str]) -> list[str]:
    # Stored addresses keep their case; compare case-insensitively without one query each.
    return list({*emails, *(e.lower() for e in emails)})


@transaction.atomic
def onboarding_batch_create(
    *, institution: Institution, uploaded_by: User, checked: Checked, file_name: str
) -> OnboardingBatch:
    return OnboardingBatch.objects.create(
        institution=institution,
        uploaded_by=uploaded_by,
        file_name=file_name[:255],
        rows=checked.rows,
        new_cohorts=checked.new_cohorts,
    )


@transaction.atomic
def onboarding_confirm(*, batch: OnboardingBatch) -> OnboardingBatch:
    """Queue the batch (once): the task starts when this transaction commits."""
    from accounts.tasks import onboarding_run_task

    batch = OnboardingBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state == OnboardingBatch.State.PREVIEW:
        batch.state = OnboardingBatch.State.QUEUED
        batch.save(update_fields=["state", "updated_at"])
        batch_id = batch.pk
        transaction.on_commit(lambda: onboarding_run_task.delay(batch_id))
    return batch


def onboarding_run(*, batch_id: int) -> None:
    """Work through the batch from where it stopped, CHUNK rows per transaction."""
    while _run_chunk(batch_id):
        pass


@transaction.atomic
def _run_chunk(batch_id: int) -> bool:
    batch = OnboardingBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None or batch.state not in (
        OnboardingBatch.State.QUEUED,
        OnboardingBatch.State.RUNNING,
    ):
        return False
    institution = batch.institution
    for row in batch.rows[batch.processed : batch.processed + CHUNK]:
        cohort = _cohort(institution, str(row["cohort"]))
        _membership, created = member_invite(
            institution=institution,
            email=str(row["email"]),
            name=str(row["name"]),
            role=str(row["role"]),
            cohort=cohort,
            invited_by=batch.uploaded_by,
        )
        batch.invited += int(created)
        batch.added += int(not created)
        batch.processed += 1
    finished = batch.processed >= batch.total
    batch.state = OnboardingBatch.State.DONE if finished else OnboardingBatch.State.RUNNING
    batch.finished_at = timezone.now() if finished else None
    batch.save()
    return not finished


def _cohort(institution: Institution, name: str) -> Cohort | None:
    if not name:
        return None
    cohort = Cohort.objects.filter(institution=institution, name__iexact=name).first()
    return cohort or Cohort.objects.create(institution=institution, name=name)
