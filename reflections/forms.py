from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from artefacts.models import Artefact
from artefacts.selectors import artefacts_owned
from core.forms import DateInput, EvidenceDetailsForm, validate_markdown
from core.tags import tags_text
from reflections.models import Reflection, ReflectionPrompt
from reflections.services import ReflectionInput


class ArtefactChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Artefact) -> str:
        return f"{obj.title} ({obj.get_kind_display()}, {date_format(obj.learned_on)})"


class ReflectionForm(EvidenceDetailsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body_markdown = forms.CharField(
        label=_("Reflection"),
        max_length=200_000,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 16, "data-markdown-preview": "true"}),
        help_text=_("Markdown: **bold**, *italic*, # headings, - lists, [links](https://…)."),
    )
    written_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    artefacts = ArtefactChoiceField(
        label=_("Linked evidence"),
        queryset=Artefact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The artefacts this reflection is about."),
        error_messages={
            "invalid_choice": _("One of the chosen artefacts is not in your evidence library.")
        },
    )

    field_order = ["title", "body_markdown", "written_on", "artefacts", "visibility", "tags"]

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["artefacts"].queryset = artefacts_owned(owner=owner)  # type: ignore[attr-defined]

    def to_input(self, prompt: Any = None) -> ReflectionInput:
        data = self.cleaned_data
        return ReflectionInput(
            title=data["title"],
            body_markdown=data["body_markdown"],
            written_on=data["written_on"],
            visibility=data["visibility"],
            tags=tuple(data["tags"]),
            artefacts=list(data["artefacts"]),
            prompt=prompt,
        )


def reflection_initial(reflection: Reflection) -> dict[str, Any]:
    return {
        "title": reflection.title,
        "body_markdown": reflection.body_markdown,
        "written_on": reflection.written_on,
        "visibility": reflection.visibility,
        "tags": tags_text(reflection),
        "artefacts": list(reflection.artefacts.all()),
    }


TYPED_FIELDS = ("title", "body_markdown", "written_on", "visibility", "tags")


def typed_with_prompt(data: QueryDict, prompt: ReflectionPrompt | None) -> dict[str, Any]:
    """What the learner has typed so far, as a form's initial values, with the prompt's
    starting text added after their own (never in its place). An empty title takes the
    prompt's title."""
    initial: dict[str, Any] = {name: data[name] for name in TYPED_FIELDS if name in data}
    initial["artefacts"] = data.getlist("artefacts")
    if prompt is not None:
        if not initial.get("title", "").strip():
            initial["title"] = prompt.title
        body = initial.get("body_markdown", "").rstrip()
        initial["body_markdown"] = f"{body}\n\n{prompt.body}" if body else prompt.body
    return initial
