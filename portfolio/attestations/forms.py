"""One form per use of attestations: asking, answering, declining, signing off."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import validate_markdown
from portfolio.models import Statement

STATEMENT_MAX = 1000
COMMENT_MAX = 5000


class RequestForm(forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=150)
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        error_messages={
            "invalid": _("Enter an email address like name@example.com."),
            "required": _("Enter their email address: the request is sent there."),
        },
    )
    role = forms.CharField(
        label=_("Their role"),
        max_length=100,
        help_text=_(
            "How they know your work, for example “Line manager” or “Placement supervisor”."
        ),
    )
    organisation = forms.CharField(
        label=_("Their organisation"),
        max_length=150,
        required=False,
        help_text=_("For example “Acme Ltd”."),
    )
    statement_choice = forms.ChoiceField(
        label=_("What you ask them to confirm"),
        choices=Statement.choices,
        initial=Statement.SUPERVISED,
        widget=forms.RadioSelect,
    )
    statement_own = forms.CharField(
        label=_("Your own words"),
        max_length=STATEMENT_MAX,
        required=False,
        help_text=_("Only if you chose “Something else”. They can change the words."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    message = forms.CharField(
        label=_("A message to them (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("statement_choice")
        own = (data.get("statement_own") or "").strip()
        if choice == Statement.CUSTOM:
            if not own:
                self.add_error("statement_own", _("Write the statement you want them to confirm."))
            data["statement"] = own
        elif choice:
            data["statement"] = str(Statement(choice).label)
        return data


class AttestForm(forms.Form):
    """What the attester confirms; name, role and organisation are theirs to correct."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    role = forms.CharField(label=_("Your role"), max_length=100)
    organisation = forms.CharField(label=_("Your organisation"), max_length=150, required=False)
    statement = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the statement you are making, or decline.")},
    )
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        max_length=COMMENT_MAX,
        required=False,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown with your attestation. Markdown: **bold**, *italic*, - lists."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional, only the learner sees it)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SignOffForm(forms.Form):
    """A tutor's attestation in place."""

    target = forms.CharField(widget=forms.HiddenInput)
    statement = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX,
        initial=_("This is the learner's own work."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the statement you are making.")},
    )
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        max_length=COMMENT_MAX,
        required=False,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["target"] = forms.ChoiceField(
                label=_("Evidence to sign off"),
                choices=choices,
                error_messages={"invalid_choice": _("Choose one of the learner's items.")},
            )
