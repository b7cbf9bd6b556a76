"""{% publish_control obj %}: on a thing's page inside Kense, whether the public reads it, and
the office's button to publish it or take it off the open pages."""

from __future__ import annotations

from typing import Any

from django import template

from kense.core.models import Publishable
from kense.public.publishable import public_url, publishing_kind
from kense.public.services import can_publish

register = template.Library()


@register.inclusion_tag("public/_publish_control.html", takes_context=True)
def publish_control(context: dict[str, Any], obj: Publishable) -> dict[str, Any]:
    user = context["request"].user
    return {
        "obj": obj,
        "kind": publishing_kind(obj),
        "public_url": public_url(obj) if obj.is_published else None,
        "may_publish": can_publish(user, obj),
        "csrf_token": context.get("csrf_token"),
    }
