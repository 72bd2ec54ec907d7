"""The cohort report page and its CSV download, for the institution's admins."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from accounts.institutions.permissions import StaffRequest, staff_required
from accounts.institutions.selectors import cohort as cohort_of
from accounts.models import Cohort
from core.csvsafe import safe_row
from portfolio.reports.selectors import WEEKS, cohort_report


def _cohort_or_404(request: StaffRequest, public_id: str) -> Cohort:
    try:
        return cohort_of(institution=request.institution, public_id=public_id)
    except Cohort.DoesNotExist:
        raise Http404 from None


@staff_required
def report(request: StaffRequest, public_id: str) -> HttpResponse:
    cohort = _cohort_or_404(request, public_id)
    context = {
        "institution": request.institution,
        "cohort": cohort,
        "rows": cohort_report(cohort=cohort),
        "weeks": range(WEEKS),
    }
    return render(request, "portfolio/reports/cohort_report.html", context)


@staff_required
def report_csv(request: StaffRequest, public_id: str) -> HttpResponse:
    """Every cell that a spreadsheet could run as a formula is written as text."""
    cohort = _cohort_or_404(request, public_id)
    name = f"{slugify(cohort.name) or 'cohort'}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    weeks = [
        _("Evidence %(n)s weeks ago") % {"n": w} if w else _("Evidence this week")
        for w in range(WEEKS)
    ]
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Last activity"),
            *weeks,
            _("Feedback open"),
            _("Showcases shared"),
        ]
    )
    for row in cohort_report(cohort=cohort):
        last = date_format(localtime(row.last_activity), "Y-m-d H:i") if row.last_activity else ""
        writer.writerow(
            safe_row(
                [row.name, row.email, last, *row.per_week, row.feedback_open, row.showcases_shared]
            )
        )
    return response
