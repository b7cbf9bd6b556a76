from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextConfig(AppConfig):
    name = "kense.text"
    label = "text"
    verbose_name = _("Kazakh and Russian text")
