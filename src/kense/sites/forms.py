from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.attachments import MAX_PHOTOS_AT_ONCE, PHOTO_EXTENSIONS
from kense.core.forms import MultipleFileField, limit_choices
from kense.core.lists import kazakh_order
from kense.events.models import Event
from kense.media.models import Publication
from kense.programs.models import Project
from kense.registry.models import Territory
from kense.sites.models import Site


class SiteForm(forms.ModelForm):
    photos = MultipleFileField(
        label=_("Add photos"),
        required=False,
        help_text=_("Up to %(count)s pictures at once: %(types)s.")
        % {"count": MAX_PHOTOS_AT_ONCE, "types": ", ".join(PHOTO_EXTENSIONS)},
    )

    class Meta:
        model = Site
        fields = [
            "name_kk",
            "name_ru",
            "name_en",
            "kind",
            "sacred_list",
            "protection",
            "territory",
            "latitude",
            "longitude",
            "description_kk",
            "description_ru",
            "description_en",
            "sources",
            "project",
            "events",
            "publications",
        ]
        widgets = {
            "description_kk": forms.Textarea(attrs={"rows": 5}),
            "description_ru": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territories = Territory.objects.restrict(user)
        if self.instance.pk:
            # The current territory stays a choice even outside the user's view.
            territories = territories | Territory.objects.filter(pk=self.instance.territory_id)
        limit_choices(self, "territory", territories.distinct().order_by("path"))
        limit_choices(self, "project", Project.objects.restrict(user).order_by(kazakh_order()))
        limit_choices(self, "events", Event.objects.restrict(user).order_by("-start", "-pk"))
        publications = Publication.objects.restrict(user).order_by("-date", "-pk")
        limit_choices(self, "publications", publications)
        for name in ("events", "publications"):
            self.fields[name].widget.attrs["size"] = 8
