"""Who may reach an institution's staff pages: its active admins, and nobody else."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from accounts.institutions.models import Institution, Membership, MembershipRole
from accounts.permissions import AuthenticatedRequest

View = Callable[..., HttpResponse]


class StaffRequest(AuthenticatedRequest):
    """A request to a staff page: `institution` is the one in the address."""

    institution: Institution


def staff_required(view: View) -> View:
    """Anonymous visitors go to sign in; an unknown institution is a 404; anyone who is
    not an active admin of this institution (a learner, a tutor, a suspended admin, an
    admin of another institution) gets a 403. Passes `request.institution`."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        institution = Institution.objects.filter(slug=slug).first()
        if institution is None:
            raise Http404
        is_admin = Membership.objects.filter(
            user=request.user,  # type: ignore[misc]
            institution=institution,
            role=MembershipRole.ADMIN,
            state="active",
        ).exists()
        if not is_admin or not request.user.is_active:
            raise PermissionDenied
        request.institution = institution  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return login_required(wrapped)
