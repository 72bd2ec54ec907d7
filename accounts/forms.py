from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.timezones import TimeZoneField


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls `signup` after creating the user)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As you would like tutors and employers to see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "time_zone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["time_zone"] = TimeZoneField(
            label=_("Time zone"),
            help_text=_("Dates and times on every page are shown in this time zone."),
        )
