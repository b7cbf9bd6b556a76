"""The project office's forms for moderating residents' ideas."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.ideas.models import IdeaStatus
from kense.ideas.moderation import REASON_MAX
from kense.ideas.public import TEXT_MAX, TITLE_MAX


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class RedactForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Text"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 10})
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_("Kept in the idea's history; the edited-out text is not."),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *IdeaStatus.choices]
    )
    shown = forms.ChoiceField(
        label=_("Visibility"),
        required=False,
        choices=[("", _("All")), ("shown", _("Shown")), ("hidden", _("Hidden"))],
    )
