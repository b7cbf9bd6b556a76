from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.forms import DateInput, limit_choices
from kense.core.lists import kazakh_order
from kense.events.models import Event
from kense.media.filters import outlets
from kense.media.models import Publication, PublicationKind, PublicationLanguage
from kense.meetings.models import Meeting
from kense.programs.models import Direction, Program, Project
from kense.registry.models import Organization, Person, Territory


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = [
            "outlet",
            "title",
            "url",
            "date",
            "language",
            "kind",
            "reach",
            "text",
            "territories",
            "people",
            "organizations",
            "programs",
            "directions",
            "projects",
            "events",
            "meetings",
        ]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "outlet", outlets(user))
        limit_choices(self, "territories", Territory.objects.restrict(user).order_by("path"))
        limit_choices(self, "people", Person.objects.restrict(user).order_by("surname", "pk"))
        organizations = Organization.objects.restrict(user).order_by(kazakh_order(), "pk")
        limit_choices(self, "organizations", organizations)
        limit_choices(self, "programs", Program.objects.restrict(user).order_by(kazakh_order()))
        directions = Direction.objects.restrict(user).order_by(kazakh_order())
        limit_choices(self, "directions", directions)
        limit_choices(self, "projects", Project.objects.restrict(user).order_by(kazakh_order()))
        limit_choices(self, "events", Event.objects.restrict(user).order_by("-pk"))
        limit_choices(self, "meetings", Meeting.objects.restrict(user).order_by("-pk"))
        for name in (
            "territories",
            "people",
            "organizations",
            "programs",
            "directions",
            "projects",
        ):
            self.fields[name].widget.attrs["size"] = 8


class IngestForm(forms.Form):
    """One source of the article: pasted text, a file, or a saved HTML page."""

    text = forms.CharField(
        label=_("Pasted text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A .txt, .html, .docx or .pdf file."),
    )
    html = forms.CharField(
        label=_("Saved HTML page"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The source of the page; it is read as text, never shown as it is."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in ("text", "file", "html") if data.get(name)]
        if not given:
            raise forms.ValidationError(_("The article is empty: there is no text to read."))
        if len(given) > 1:
            raise forms.ValidationError(
                _("Give the article one way only: pasted text, a file or a saved page.")
            )
        return data


class ConfirmForm(forms.Form):
    """The reviewed article: its facts, the links the user confirms, the aliases to record."""

    text = forms.CharField(strip=False, widget=forms.HiddenInput)
    outlet: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Outlet"), queryset=Organization.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    url = forms.URLField(label=_("URL"), required=False, max_length=1000)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    language = forms.ChoiceField(label=_("Language"), choices=PublicationLanguage.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=PublicationKind.choices)
    reach = forms.IntegerField(label=_("Reach (views)"), required=False, min_value=0)
    links = forms.MultipleChoiceField(
        label=_("Links"), required=False, widget=forms.CheckboxSelectMultiple
    )
    aliases = forms.MultipleChoiceField(
        label=_("Record as alias"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        links: list[tuple[str, str]],
        aliases: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "outlet", outlets(user))
        # Both are declared above as MultipleChoiceFields: their choices depend on the article.
        cast(forms.MultipleChoiceField, self.fields["links"]).choices = links
        cast(forms.MultipleChoiceField, self.fields["aliases"]).choices = aliases
