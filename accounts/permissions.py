"""Who may reach which page: one decorator, used by every role-specific view."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import Role, User

View = Callable[..., HttpResponse]


class AuthenticatedRequest(HttpRequest):
    """The request type of views behind `login_required` or `role_required`."""

    user: User


def role_required(*roles: Role) -> Callable[[View], View]:
    """Anonymous visitors go to sign in; signed-in people of another role get a 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
