"""Staff pages for an institution's cohorts: create, add and remove people, archive."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.institutions import selectors, services
from accounts.institutions.forms import AddByEmailForm, CohortForm
from accounts.institutions.permissions import StaffRequest, staff_required
from accounts.models import Cohort, User

PEOPLE_PER_PAGE = 50


@staff_required
def cohort_list(request: StaffRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(institution=request.institution, **form.cleaned_data)
        except services.InstitutionError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("“%(name)s” is created.") % {"name": cohort.name})
            return redirect(
                "institutions:cohort", slug=request.institution.slug, public_id=cohort.public_id
            )
    context = {
        "institution": request.institution,
        "cohorts": selectors.cohorts(institution=request.institution),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/staff/cohort_list.html", context, status=status)


@staff_required
def cohort_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    cohort = _cohort_or_404(request, public_id)
    query = request.GET.get("q", "").strip()[:200]
    learners = Paginator(selectors.cohort_people(cohort=cohort, as_role="learner"), PEOPLE_PER_PAGE)
    context = {
        "institution": request.institution,
        "cohort": cohort,
        "tutors": selectors.cohort_people(cohort=cohort, as_role="tutor"),
        "learners": learners.get_page(request.GET.get("page")),
        "q": query,
        "query": urlencode({"q": query}) if query else "",
        "candidates": selectors.candidates(cohort=cohort, query=query),
        "email_form": AddByEmailForm(),
    }
    return render(request, "accounts/staff/cohort_detail.html", context)


@staff_required
@require_POST
def cohort_add(request: StaffRequest, public_id: str) -> HttpResponse:
    """Add members picked from the search (`person`) or typed as email addresses."""
    cohort = _cohort_or_404(request, public_id)
    as_role = "tutor" if request.POST.get("as_role") == "tutor" else "learner"
    members = User.objects.filter(memberships__institution=request.institution)
    if "person" in request.POST:
        users = list(members.filter(public_id__in=request.POST.getlist("person")[:100]))
        missing: list[str] = []
    else:
        form = AddByEmailForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                " ".join(
                    str(e) for e in form.errors.get("emails") or [_("Enter email addresses.")]
                ),
            )
            return _back(request, cohort)
        emails = form.cleaned_data["emails"][:200]
        users = list(members.filter(email__in=emails))
        found = {u.email.lower() for u in users}
        missing = [e for e in emails if e.lower() not in found]
    added = services.cohort_add_people(cohort=cohort, users=users, as_role=as_role)
    if added:
        messages.success(
            request, _("%(n)s added to “%(name)s”.") % {"n": added, "name": cohort.name}
        )
    if missing:
        messages.error(
            request,
            _("Not members of this institution (invite them first): %(emails)s")
            % {"emails": ", ".join(missing[:10])},
        )
    return _back(request, cohort)


@staff_required
@require_POST
def cohort_remove(request: StaffRequest, public_id: str, person: str) -> HttpResponse:
    cohort = _cohort_or_404(request, public_id)
    user = User.objects.filter(public_id=person).first()
    if user is not None:
        services.cohort_remove_person(cohort=cohort, user=user)
        messages.success(
            request, _("%(name)s is no longer in this cohort.") % {"name": user.display_name}
        )
    return _back(request, cohort)


@staff_required
@require_POST
def cohort_archive(request: StaffRequest, public_id: str) -> HttpResponse:
    cohort = _cohort_or_404(request, public_id)
    archived = request.POST.get("archived") == "1"
    services.cohort_set_archived(cohort=cohort, archived=archived)
    if archived:
        messages.success(
            request, _("“%(name)s” is archived: tutors no longer see it.") % {"name": cohort.name}
        )
    else:
        messages.success(request, _("“%(name)s” is current again.") % {"name": cohort.name})
    return _back(request, cohort)


def _cohort_or_404(request: StaffRequest, public_id: str) -> Cohort:
    try:
        return selectors.cohort(institution=request.institution, public_id=public_id)
    except (Cohort.DoesNotExist, ValueError):
        raise Http404 from None


def _back(request: StaffRequest, cohort: Cohort) -> HttpResponse:
    return redirect(
        "institutions:cohort", slug=request.institution.slug, public_id=cohort.public_id
    )
