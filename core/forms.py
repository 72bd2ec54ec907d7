"""Form pieces every evidence app uses: the details a learner gives any item."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.html import LONGEST_BRACKET_RUN, bracket_run
from core.models import Visibility
from core.tags import MAX_TAGS, tags_parse


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def validate_markdown(text: str) -> None:
    """Refuse what would make rendering crawl; real writing never trips this."""
    char = bracket_run(text)
    if char:
        raise forms.ValidationError(
            _("This text has a run of %(n)d or more “%(char)s” characters. Shorten the run.")
            % {"n": LONGEST_BRACKET_RUN, "char": char}
        )


class EvidenceDetailsForm(forms.Form):
    """Visibility and tags, shared by artefacts and reflections."""

    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.TUTORS,
        widget=forms.RadioSelect,
        help_text=_("Your tutors review shared items. Private items are seen by you alone."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separate tags with commas, for example: teamwork, Python."),
    )

    def clean_tags(self) -> list[str]:
        tags = tags_parse(self.cleaned_data.get("tags", ""))
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("Use at most %(max)d tags.") % {"max": MAX_TAGS})
        return tags
