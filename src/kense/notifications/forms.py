"""The preferences form: one choice (immediately, in the daily digest, off) per kind."""

from __future__ import annotations

from typing import Any

from django import forms

from kense.notifications.models import DEFAULT_TIMING, NotificationKind, Timing


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Timing.choices,
                initial=current.get(kind.value, DEFAULT_TIMING),
                widget=forms.RadioSelect,
            )

    def timings(self) -> dict[str, str]:
        return {kind: str(self.cleaned_data[kind]) for kind in NotificationKind.values}
