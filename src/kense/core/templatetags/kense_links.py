"""Links only where they lead somewhere: ``{% link obj %}`` draws ``<a href="…">obj</a>`` when
the signed-in user may open the object's page, and only its name otherwise (a school reading
a project names the division that leads it, which the school may not open: no 404 behind a
link). ``{% link obj label %}`` draws another text; ``{% if obj|may_open:user %}`` is the same
check for a link of another shape. The check is kense.core.permissions.may_open: one query per
model and page at most, however many links the page draws."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from kense.core.permissions import may_open as _may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def link(context: template.Context, obj: Any, label: Any = None, css_class: str = "") -> str:
    if obj is None or obj == "":
        return ""
    text = obj if label is None else label
    user = context.get("user") or getattr(context.get("request"), "user", None)
    url = getattr(obj, "get_absolute_url", None)
    if user is None or url is None or not _may_open(user, obj):
        return format_html("{}", text)
    if css_class:
        return format_html('<a class="{}" href="{}">{}</a>', css_class, url(), text)
    return format_html('<a href="{}">{}</a>', url(), text)


@register.filter
def may_open(obj: Any, user: Any) -> bool:
    return obj is not None and user is not None and _may_open(user, obj)
