"""Sign-up that takes the same time whether or not the address already has an account.

allauth (ACCOUNT_PREVENT_ENUMERATION) already answers both cases with the same page and
one email each, both queued the same way (AccountAdapter.send_mail). But a new account
costs a password hash, hundreds of milliseconds on purpose, and an existing address cost
nothing: the answer came back fast, which told anyone timing it that the address was
taken. Here the existing-address path hashes the submitted password too, and drops it.

This lives apart from accounts.forms, which allauth imports to build its own form classes.
"""

from typing import Any

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest


class AccountSignupForm(SignupForm):
    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
