"""Staff pages: the institution's home and its people. Thin views over the selectors
and services; every page is behind `staff_required`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.institutions import selectors, services
from accounts.institutions.forms import InviteForm, RoleForm
from accounts.institutions.invitations import member_invite
from accounts.institutions.models import Membership, MembershipRole, MembershipState
from accounts.institutions.permissions import StaffRequest, staff_required
from accounts.permissions import AuthenticatedRequest

PEOPLE_PER_PAGE = 50


@login_required
def staff_home(request: AuthenticatedRequest) -> HttpResponse:
    """The institutions this person runs; straight to the one when there is one."""
    institutions = list(selectors.administered_institutions(user=request.user))
    if not institutions:
        raise PermissionDenied
    if len(institutions) == 1:
        return redirect("institutions:people", slug=institutions[0].slug)
    return render(request, "accounts/staff/home.html", {"institutions": institutions})


@staff_required
def people(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    role = request.GET.get("role", "")
    role = role if role in MembershipRole.values else ""
    found = selectors.members(institution=request.institution, query=query, role=role)
    page = Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    filters = {key: value for key, value in (("q", query), ("role", role)) if value}
    context = {
        "institution": request.institution,
        "page": page,
        "q": query,
        "role": role,
        "roles": MembershipRole.choices,
        "query": urlencode(filters),
        "role_form": RoleForm(),
    }
    return render(request, "accounts/staff/people.html", context)


@staff_required
def invite(request: StaffRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership, created = member_invite(
            institution=request.institution,
            email=data["email"],
            name=data["name"],
            role=data["role"],
            cohort=data["cohort"],
            invited_by=request.user,
        )
        if created:
            message = _("%(email)s is invited. They will get an email with a link to start.")
        else:
            message = _("%(email)s already has an account: they are added and told by email.")
        messages.success(request, message % {"email": membership.user.email})
        return redirect("institutions:people", slug=request.institution.slug)
    status = 400 if request.method == "POST" else 200
    context = {"institution": request.institution, "form": form}
    return render(request, "accounts/staff/invite.html", context, status=status)


@staff_required
@require_POST
def person_role(request: StaffRequest, public_id: str) -> HttpResponse:
    membership = _membership_or_404(request, public_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles in the list."))
    elif membership.user_id == request.user.pk and form.cleaned_data["role"] != "admin":
        messages.error(request, _("You cannot take away your own admin role. Ask another admin."))
    else:
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"])
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": membership.user.display_name, "role": membership.get_role_display()},
        )
    return _back_to_people(request)


@staff_required
@require_POST
def person_state(request: StaffRequest, public_id: str) -> HttpResponse:
    membership = _membership_or_404(request, public_id)
    state = request.POST.get("state", "")
    try:
        services.membership_set_state(membership=membership, state=state, actor=request.user)
    except services.InstitutionError as error:
        messages.error(request, str(error))
    else:
        if state == MembershipState.SUSPENDED:
            text = _("%(name)s is suspended. Their own evidence and portfolios stay theirs.")
        else:
            text = _("%(name)s is active again.")
        messages.success(request, text % {"name": membership.user.display_name})
    return _back_to_people(request)


def _membership_or_404(request: StaffRequest, public_id: str) -> Membership:
    try:
        return selectors.member(institution=request.institution, public_id=public_id)
    except Membership.DoesNotExist:
        raise Http404 from None


def _back_to_people(request: StaffRequest) -> HttpResponse:
    return redirect("institutions:people", slug=request.institution.slug)
