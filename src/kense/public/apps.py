from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The program's open pages: what the office has published, read without a login."""

    name = "kense.public"
    label = "public"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from kense.public import cache

        cache.SHOWN.connect()
