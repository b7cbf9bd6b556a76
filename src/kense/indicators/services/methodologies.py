"""Writes of ranking methodologies: a methodology once used is never changed, a change makes
the next version under the same name, so a past ranking can always be recomputed as it was."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.permissions import Action, can
from kense.core.services import save_in_scope
from kense.indicators.models import Indicator, IndicatorValue, Methodology, PeriodKind

EDITABLE = (
    "name_kk",
    "name_ru",
    "name_en",
    "description_kk",
    "description_ru",
    "description_en",
    "year",
    "normalization",
    "weights",
    "low_rule",
    "threshold",
)


def methodology_is_used(methodology: Methodology) -> bool:
    """A methodology is used once its year has annual values: a ranking by it may have been
    seen, shown at a meeting or exported. One query."""
    return IndicatorValue.objects.filter(
        year=methodology.year, period_kind=PeriodKind.YEAR
    ).exists()


def validate_weights(weights: Any) -> dict[str, float]:
    """Weights as {indicator code: weight ≥ 0}, with known codes and at least one positive."""
    if not isinstance(weights, dict) or not weights:
        raise ValidationError({"weights": _("Give at least one indicator a weight.")})
    known = set(Indicator.objects.filter(code__in=list(weights)).values_list("code", flat=True))
    unknown = sorted(set(weights) - known)
    if unknown:
        raise ValidationError(
            {"weights": _("Unknown indicators: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    cleaned = {}
    for code, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise ValidationError(
                {"weights": _("Weights are numbers of zero or more (%(code)s).") % {"code": code}}
            )
        cleaned[code] = weight
    if not any(weight > 0 for weight in cleaned.values()):
        raise ValidationError({"weights": _("Give at least one indicator a weight above zero.")})
    return cleaned


@transaction.atomic
def methodology_save(methodology: Methodology, *, user: User) -> Methodology:
    """Create a methodology, or change one: in place while it is unused, as version + 1 under
    the same name once used (the used version stays as it was). Returns the saved version.
    Only the project office and administrators write methodologies."""
    methodology.weights = validate_weights(methodology.weights)
    if methodology.pk is None:
        methodology.created_by = user
        return save_in_scope(methodology, user=user)
    if not can(user, Action.CHANGE, methodology):
        raise PermissionDenied
    stored = Methodology.objects.get(pk=methodology.pk)
    if not methodology_is_used(stored):
        return save_in_scope(methodology, user=user)
    latest = (
        Methodology.objects.filter(name=stored.name)
        .order_by("-version")
        .values_list("version", flat=True)
    ).first() or stored.version
    successor = Methodology(
        **{name: getattr(methodology, name) for name in EDITABLE},
        version=latest + 1,
        created_by=user,
    )
    # The new version keeps the name of the line it continues (in each language:
    # modeltranslation's fields, invisible to the stubs).
    successor.name_kk = stored.name_kk  # type: ignore[attr-defined]
    successor.name_ru = stored.name_ru  # type: ignore[attr-defined]
    successor.name_en = stored.name_en  # type: ignore[attr-defined]
    successor.name = stored.name
    return save_in_scope(successor, user=user)
