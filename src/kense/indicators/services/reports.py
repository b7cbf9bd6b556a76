"""Writes of periodic reports: a report form; a territory's report opened, filled, submitted,
approved or returned and resubmitted. The reads are `kense.indicators.selectors.reports`; the
workflow is the one of `kense.core.approval`.

A report holds one `IndicatorValue` per indicator of its form. Its values are edited only while
it is a draft or has been returned; approval by the project office locks them for good (a
report is not amended). Every save is checked against the form's rules as a whole, and all the
errors are returned at once, keyed by indicator code; nothing is saved while there is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.approval import Workflow
from kense.core.history import FieldChange
from kense.core.permissions import Action, Actor, require
from kense.core.revisions import StaleRevision
from kense.core.services import save_in_scope
from kense.indicators.models import (
    PERIODS_IN_YEAR,
    Indicator,
    IndicatorValue,
    Report,
    ReportForm,
    ReportStatus,
    ValueStatus,
)
from kense.indicators.selectors import reports as report_selectors
from kense.registry.models import Territory

RULE_KINDS = ("min", "max", "lte", "change")

NOT_EDITABLE = _("The report is no longer a draft: its values cannot be changed.")

# What a value's status becomes when its report's does.
VALUE_STATUS = {
    ReportStatus.DRAFT: ValueStatus.DRAFT,
    ReportStatus.SUBMITTED: ValueStatus.SUBMITTED,
    ReportStatus.APPROVED: ValueStatus.APPROVED,
    ReportStatus.RETURNED: ValueStatus.RETURNED,
}

Entered = tuple[Decimal | None, str]


# The workflow. Its hooks are called back by core's Workflow with the user our services gave
# it, which it knows only as an Actor.


def _check_complete(report: Report, user: Actor) -> None:
    """Every value is given or its absence explained, and the form's rules hold."""
    _check(report, report_selectors.report_values(report), complete=True)


def _values_follow(report: Report, user: Actor) -> None:
    IndicatorValue.objects.filter(report=report).update(
        status=VALUE_STATUS[ReportStatus(report.status)], updated_at=timezone.now()
    )


APPROVAL: Workflow[Report] = Workflow(
    Report,
    not_editable=NOT_EDITABLE,
    not_submitted=_("Only a submitted report can be approved or returned."),
    before_submit=_check_complete,
    on_status=_values_follow,
)


def is_editable(report: Report) -> bool:
    return APPROVAL.is_editable(report)


def may_approve(user: User, report: Report) -> bool:
    """Only the project office (or an administrator) approves or returns, within its scope."""
    return APPROVAL.may_approve(user, report)


# Forms


def validate_rules(rules: Any, codes: Iterable[str]) -> None:
    """Refuse rules of an unknown shape, or naming indicators that are not in the form."""
    known = set(codes)
    if not isinstance(rules, list):
        raise ValidationError({"rules": _("The rules are a list.")})
    problems: list[str] = []
    for number, rule in enumerate(rules, start=1):
        kind = rule.get("rule") if isinstance(rule, dict) else None
        if kind not in RULE_KINDS:
            problems.append(
                gettext("Rule %(number)s: the kind must be one of %(kinds)s.")
                % {"number": number, "kinds": ", ".join(RULE_KINDS)}
            )
            continue
        named = {"min": ["indicator"], "max": ["indicator"], "lte": ["a", "b"]}.get(kind, [])
        for key in named:
            if rule.get(key) not in known:
                problems.append(
                    gettext("Rule %(number)s: «%(code)s» is not an indicator of the form.")
                    % {"number": number, "code": rule.get(key)}
                )
        number_key = {"min": "value", "max": "value", "change": "percent"}.get(kind)
        if number_key:
            value = rule.get(number_key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(
                    gettext("Rule %(number)s: «%(key)s» must be a number.")
                    % {"number": number, "key": number_key}
                )
    if problems:
        raise ValidationError({"rules": problems})


@transaction.atomic
def report_form_save(
    form: ReportForm,
    *,
    user: User,
    indicators: Iterable[Indicator],
    territories: Iterable[Territory],
) -> ReportForm:
    """Create or change a report form (the project office only). Its rules must name its own
    indicators; its period cannot change once reports were opened on it."""
    indicators = list(indicators)
    territories = list(territories)
    errors: dict[str, Any] = {}
    if not indicators:
        errors["indicators"] = _("Choose at least one indicator.")
    if not territories:
        errors["territories"] = _("Choose at least one territory that submits.")
    try:
        validate_rules(form.rules, [indicator.code for indicator in indicators])
    except ValidationError as error:
        errors.update(error.message_dict)
    if form.pk is not None:
        stored = ReportForm.objects.select_for_update().get(pk=form.pk)
        if stored.period_kind != form.period_kind and stored.reports.exists():
            errors["period_kind"] = _("Reports were opened on this form: its period stays.")
    if errors:
        raise ValidationError(errors)
    return save_in_scope(
        form, user=user, m2m={"indicators": indicators, "territories": territories}
    )


# Reports


@transaction.atomic
def report_open(
    form: ReportForm, territory: Territory, year: int, period_number: int, *, user: User
) -> Report:
    """The territory's report on the form for the period, opened as a draft with one empty
    value per indicator of the form when it does not exist yet."""
    errors: dict[str, Any] = {}
    if not form.territories.filter(pk=territory.pk).exists():
        errors["territory"] = _("This territory does not submit this form.")
    if not 1 <= period_number <= PERIODS_IN_YEAR[form.period_kind]:
        errors["period_number"] = _("There is no such period in a year.")
    if not 1900 <= year <= 2200:
        errors["year"] = _("Give a year between 1900 and 2200.")
    if errors:
        raise ValidationError(errors)
    existing: Report | None = Report.objects.filter(
        form=form, territory=territory, year=year, period_number=period_number
    ).first()
    if existing is not None:
        require(user, Action.CHANGE, existing)
        return existing
    report = Report(form=form, territory=territory, year=year, period_number=period_number)
    report._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    report.save()
    # Refused after saving: the report rolls back when its territory is not the user's.
    require(user, Action.CHANGE, report)
    indicators = list(form.indicators.all())
    key = {"territory": territory, "year": year, "period_kind": form.period_kind}
    taken: dict[int, IndicatorValue] = {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(
            indicator__in=indicators, period_number=period_number, **key
        )
    }
    clashes = [value for value in taken.values() if value.report_id is not None]
    if clashes:
        raise ValidationError(
            _("Values of this period are already reported in another report: %(codes)s.")
            % {"codes": ", ".join(sorted(str(v.indicator.name) for v in clashes))}
        )
    now = timezone.now()
    for indicator in indicators:
        value = taken.get(indicator.pk) or IndicatorValue(
            indicator=indicator, period_number=period_number, **key
        )
        value.report = report
        value.status = ValueStatus.DRAFT
        value.updated_at = now
        value._history_user = user  # type: ignore[attr-defined]  # read by simple_history
        value.save()
    return report


def _rules(report: Report) -> list[dict[str, Any]]:
    return [rule for rule in report.form.rules or [] if isinstance(rule, dict)]


def _number(value: Any) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def check_values(
    report: Report,
    entered: Mapping[int, Entered],
    *,
    indicators: Mapping[int, Indicator],
    previous: Mapping[int, IndicatorValue],
    complete: bool,
) -> dict[str, list[str]]:
    """Every breach of the form's rules by the report's values (`entered`, by indicator id),
    keyed by indicator code. With `complete`, a missing value needs a comment."""
    errors: dict[str, list[str]] = {}
    by_code = {indicator.code: indicator for indicator in indicators.values()}

    def add(code: str, message: str) -> None:
        errors.setdefault(code, []).append(message)

    def value_of(code: str) -> Decimal | None:
        indicator = by_code.get(code)
        return entered.get(indicator.pk, (None, ""))[0] if indicator else None

    validator = DecimalValidator(18, 4)
    for pk, (value, _comment) in entered.items():
        if value is not None:
            try:
                validator(value)
            except ValidationError as error:
                for message in error.messages:
                    add(indicators[pk].code, message)
    change_rules = []
    for rule in _rules(report):
        kind = rule.get("rule")
        if kind in ("min", "max"):
            code = rule.get("indicator", "")
            value = value_of(code)
            limit = Decimal(str(rule.get("value", 0)))
            if value is None:
                continue
            if kind == "min" and value < limit:
                add(code, gettext("The value cannot be less than %(n)s.") % {"n": _number(limit)})
            if kind == "max" and value > limit:
                add(code, gettext("The value cannot exceed %(n)s.") % {"n": _number(limit)})
        elif kind == "lte":
            a, b = value_of(rule.get("a", "")), value_of(rule.get("b", ""))
            if a is not None and b is not None and a > b:
                add(
                    rule["a"],
                    gettext("«%(a)s» cannot exceed «%(b)s» (%(value)s).")
                    % {"a": by_code[rule["a"]], "b": by_code[rule["b"]], "value": _number(b)},
                )
        elif kind == "change":
            change_rules.append(Decimal(str(rule.get("percent", 0))))
    percent = min(change_rules) if change_rules else None
    for pk, (value, comment) in entered.items():
        code = indicators[pk].code
        if comment.strip():
            continue
        if value is None:
            if complete:
                add(code, gettext("The value is missing: say why in the comment."))
            continue
        before = previous.get(pk)
        if percent is None or before is None or before.value is None:
            continue
        if before.value == 0:
            changed = value != 0
        else:
            changed = abs(value - before.value) * 100 / abs(before.value) > percent
        if changed:
            add(
                code,
                gettext(
                    "The value changed by more than %(percent)s %% from the previous period "
                    "(%(before)s): say why in the comment."
                )
                % {"percent": _number(percent), "before": _number(before.value)},
            )
    return errors


def _check(report: Report, values: list[IndicatorValue], *, complete: bool) -> None:
    entered = {value.indicator_id: (value.value, value.comment) for value in values}
    errors = check_values(
        report,
        entered,
        indicators={value.indicator_id: value.indicator for value in values},
        previous=report_selectors.previous_values(report),
        complete=complete,
    )
    if errors:
        raise ValidationError(errors)


def values_revision(rows: Iterable[IndicatorValue]) -> int:
    """The revision of a report's values (kense.core.revisions): the id of the latest history
    record of any of them, 0 when none was ever saved."""
    # simple-history adds `history` to the models it audits at run time: unknown to the type.
    history = IndicatorValue.history  # type: ignore[attr-defined]
    found = history.filter(id__in=[row.pk for row in rows]).aggregate(latest=Max("history_id"))[
        "latest"
    ]
    return int(found or 0)


def _stale_values(rows: list[IndicatorValue], revision: int) -> StaleRevision:
    """Who changed the report's values since `revision`, and which, as a lost update."""
    history = IndicatorValue.history.filter(  # type: ignore[attr-defined]  # see values_revision
        id__in=[row.pk for row in rows]
    )
    latest = history.order_by("-history_id").select_related("history_user").first()
    then = {
        record.id: record.value
        for record in history.filter(history_id__lte=revision).order_by("history_id")
    }
    changes = [
        FieldChange(label=str(row.indicator), old=then.get(row.pk), new=row.value)
        for row in rows
        if then.get(row.pk) != row.value
    ]
    return StaleRevision(latest.history_id if latest else 0, latest, changes)


@transaction.atomic
def report_save_values(
    report: Report,
    *,
    user: User,
    values: Mapping[int, Entered],
    revision: int | None = None,
) -> list[IndicatorValue]:
    """Set values and comments (by indicator id) of a draft or returned report, checked with
    the report's other values against the form's rules; all errors at once, keyed by indicator
    code, and nothing saved when there is one. Given the `revision` of the values the page was
    opened at (`values_revision`), a save over someone else's since is refused (StaleRevision)."""
    # The report's row alone is locked (of self), not its form's: other territories' reports
    # on the same form are saved at the same time.
    report = Report.objects.select_related("form").select_for_update(of=("self",)).get(pk=report.pk)
    APPROVAL.require_change(user, report)
    APPROVAL.require_editable(report)
    rows = report_selectors.report_values(report)
    if revision is not None and values_revision(rows) != revision:
        raise _stale_values(rows, revision)
    by_indicator = {row.indicator_id: row for row in rows}
    unknown = sorted(str(pk) for pk in values if pk not in by_indicator)
    if unknown:
        raise ValidationError(
            _("These indicators are not in the report: %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    errors: dict[str, list[str]] = {}
    for pk, (value, comment) in values.items():
        row = by_indicator[pk]
        row.value = value if value is None or isinstance(value, Decimal) else Decimal(str(value))
        row.comment = (comment or "").strip()
        if len(row.comment) > 2000:
            errors[row.indicator.code] = [gettext("The comment is too long: 2000 characters.")]
    if errors:
        raise ValidationError(errors)
    _check(report, rows, complete=False)
    now = timezone.now()
    changed = [by_indicator[pk] for pk in values]
    for row in changed:
        row.updated_at = now
        row._history_user = user  # type: ignore[attr-defined]  # read by simple_history
        row.save(update_fields=["value", "comment", "updated_at"])
    return rows


def report_submit(report: Report, *, user: User) -> Report:
    """Send a complete draft or returned report to the project office: every value is given
    or its absence explained, and the form's rules hold."""
    return APPROVAL.submit(report, user=user)


def report_approve(report: Report, *, user: User) -> Report:
    """Approve a submitted report (the project office only); its values become approved and
    are locked."""
    return APPROVAL.approve(report, user=user)


def report_return(report: Report, *, user: User, comment: str) -> Report:
    """Return a submitted report with the project office's comments (which are required);
    the territory corrects it and submits it again."""
    return APPROVAL.return_(report, user=user, comment=comment)
