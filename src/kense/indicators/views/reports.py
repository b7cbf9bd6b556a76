"""Periodic report pages: report forms, reports (opened, filled, submitted, approved or
returned, and their Excel round trip) and the reporting rates. Parse, call a selector or a
service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.core.excel import FIRST_DATA_ROW, ImportFileError, ImportForm, RowError
from kense.core.forms import (
    REVISION,
    ReturnForm,
    apply_transition,
    attach_errors,
    handle_form,
    object_for_edit,
    return_with_comments,
)
from kense.core.lists import Column, ListSpec, render_list
from kense.core.permissions import Action, can, can_add, get_visible
from kense.core.revisions import StaleRevision
from kense.core.views import audit_context
from kense.indicators import imports, maps, periods
from kense.indicators.filters import ReportFilters
from kense.indicators.forms.reports import (
    OpenForm,
    RatesFilter,
    ReportFormForm,
    values_form,
)
from kense.indicators.models import PERIODS_IN_YEAR, Report, ReportForm, ReportStatus
from kense.indicators.selectors import reports as report_selectors
from kense.indicators.services import reports as report_services
from kense.registry.models import Territory

# Helpers


def _report(request: AuthenticatedRequest, pk: int) -> Report:
    return get_visible(
        Report.objects.select_related("form", "territory", "approved_by"), request.user, pk=pk
    )


def _period(report: Report) -> str:
    return periods.period_label(report.form.period_kind, report.year, report.period_number)


# Forms pages


@login_required
def form_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Report forms"),
        columns=[
            Column(_("Name"), lambda f: f.name, link=True),
            Column(_("Code"), lambda f: f.code),
            Column(_("Period"), lambda f: f.get_period_kind_display()),
            Column(_("Due, days after the period ends"), lambda f: f.due_days, numeric=True),
        ],
        rows=lambda user, _values: report_selectors.report_form_list(user),
        export_name="report-forms",
        add_url=reverse("indicators:form_add") if can_add(request.user, ReportForm) else None,
        links=[
            (_("Reports"), reverse("indicators:report_list")),
            (_("Reporting rates"), reverse("indicators:rates")),
        ],
    )
    return render_list(request, spec)


@login_required
def form_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = get_visible(ReportForm.objects.all(), request.user, pk=pk)
    context = audit_context(request, form)
    context.update(
        {
            "form_obj": form,
            "can_open_report": can_add(request.user, Report),
            "indicators": list(form.indicators.order_by("order", "code")),
            # Those the user may see: a region-wide form names no other district to a coordinator.
            "territories": list(
                Territory.objects.restrict(request.user)
                .filter(pk__in=form.territories.values("pk"))
                .order_by("path")
            ),
            "periods": PERIODS_IN_YEAR[form.period_kind],
            "year": timezone.localdate().year,
        }
    )
    return render(request, "indicators/form_detail.html", context)


@login_required
def form_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    obj = object_for_edit(request, ReportForm, pk)
    form = ReportFormForm(request.POST or None, instance=obj, user=request.user)

    def save(form: ReportFormForm) -> ReportForm:
        return report_services.report_form_save(
            form.instance,
            user=request.user,
            indicators=form.cleaned_data["indicators"],
            territories=form.cleaned_data["territories"],
        )

    return handle_form(
        request,
        form,
        save,
        title=_("Edit report form") if pk else _("New report form"),
        cancel_url=obj.get_absolute_url() if pk else reverse("indicators:form_list"),
    )


# Reports pages


@login_required
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Reports"),
        columns=[
            Column(_("Report form"), lambda r: r.form, link=True),
            Column(_("Territory"), lambda r: r.territory),
            Column(_("Period"), _period),
            Column(_("Status"), lambda r: r.get_status_display()),
        ],
        rows=report_selectors.report_list,
        filters=ReportFilters,
        export_name="reports",
        add_url=reverse("indicators:report_open") if can_add(request.user, Report) else None,
        links=[
            (_("Report forms"), reverse("indicators:form_list")),
            (_("Reporting rates"), reverse("indicators:rates")),
        ],
    )
    return render_list(request, spec)


@login_required
def report_open(request: AuthenticatedRequest) -> HttpResponse:
    if not can_add(request.user, Report):
        raise PermissionDenied
    form = OpenForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = report_services.report_open(
                data["form"],
                data["territory"],
                data["year"],
                data["period_number"],
                user=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied:
            form.add_error("territory", _("You may not report for this territory."))
        else:
            return redirect(report.get_absolute_url())
    context = {
        "form": form,
        "title": _("Open a report"),
        "cancel_url": reverse("indicators:report_list"),
    }
    return render(
        request, "indicators/report_open.html", context, status=400 if form.errors else 200
    )


@login_required
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    may_change = can(request.user, Action.CHANGE, report)
    editable = may_change and report_services.is_editable(report)
    rows = report_selectors.report_values(report)
    form = values_form(rows, request.POST if request.method == "POST" else None)
    # The revision of the values the page shows (kense.core.revisions): a save over someone
    # else's since is refused, with both kept.
    form.fields[REVISION] = forms.CharField(widget=forms.HiddenInput, required=False)
    form.fields[REVISION].initial = report_services.values_revision(rows)
    conflict = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            values: dict[int, report_services.Entered] = {
                row.indicator_id: (
                    form.cleaned_data[f"value_{row.indicator_id}"],
                    form.cleaned_data[f"comment_{row.indicator_id}"],
                )
                for row in rows
            }
            sent = form.cleaned_data[REVISION]
            try:
                report_services.report_save_values(
                    report,
                    user=request.user,
                    values=values,
                    revision=(int(sent) if sent.isdigit() else -1) if sent else None,
                )
            except StaleRevision as error:
                form.add_error(None, error)
                data = request.POST.copy()
                data[REVISION] = str(error.revision)
                form.data = data
                conflict = error.changes
            except ValidationError as error:
                fields = {row.indicator.code: f"value_{row.indicator_id}" for row in rows}
                if hasattr(error, "error_dict"):
                    for code, field_messages in error.message_dict.items():
                        form.add_error(fields.get(code), field_messages)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The values were saved."))
                return redirect(report.get_absolute_url())
    previous = report_selectors.previous_values(report)
    entries = [
        {
            "row": row,
            "value": form[f"value_{row.indicator_id}"],
            "comment": form[f"comment_{row.indicator_id}"],
            "previous": previous.get(row.indicator_id),
        }
        for row in rows
    ]
    year, number = periods.previous_period(
        report.form.period_kind, report.year, report.period_number
    )
    context = {
        "report": report,
        "period": _period(report),
        "previous_period": periods.period_label(report.form.period_kind, year, number),
        "due": periods.due_date(report.form, report.year, report.period_number),
        "form": form,
        "entries": entries,
        "editable": editable,
        "approved": report.status == ReportStatus.APPROVED,
        "can_review": report_services.APPROVAL.may_review(request.user, report),
        "return_form": ReturnForm(),
        "rules": report.form.rules,
        "conflict": conflict,
    }
    status = 409 if conflict is not None else 400 if form.errors else 200
    return render(request, "indicators/report_detail.html", context, status=status)


@login_required
@require_POST
def report_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return apply_transition(
        request,
        _report(request, pk),
        report_services.report_submit,
        _("The report was submitted to the project office."),
    )


@login_required
@require_POST
def report_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return apply_transition(
        request, _report(request, pk), report_services.report_approve, _("The report was approved.")
    )


@login_required
def report_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return return_with_comments(
        request,
        report,
        report_services.report_return,
        may=report_services.may_approve,
        title=_("Return the report with comments"),
        done=_("The report was returned with comments."),
    )


@login_required
def report_template(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return imports.template_download(report, user=request.user)


@login_required
def report_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not can(request.user, Action.CHANGE, report):
        raise PermissionDenied
    if not report_services.is_editable(report) and request.method != "POST":
        # Nothing to upload into: say why on the report's page (an unbound form takes no error).
        messages.error(request, report_services.NOT_EDITABLE)
        return redirect(report.get_absolute_url())
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    row_errors: list[RowError] = []
    if not report_services.is_editable(report):
        form.add_error(None, report_services.NOT_EDITABLE)
    elif posted and form.is_valid():
        try:
            rows = imports.read_report_file(form.cleaned_data["file"], report)
        except ImportFileError as error:
            form.add_error("file", error.problems)
        else:
            try:
                row_errors = imports.report_import(report, rows, user=request.user)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                if not row_errors:
                    messages.success(request, str(imports.REPORT_KIND.success))
                    return redirect(report.get_absolute_url())
    context = {
        "report": report,
        "period": _period(report),
        "form": form,
        "row_errors": row_errors,
        "columns": imports.REPORT_COLUMNS,
        "first_data_row": FIRST_DATA_ROW,
        "title": _("Upload the report from Excel"),
    }
    status = 400 if form.errors or row_errors else 200
    return render(request, "indicators/report_upload.html", context, status=status)


@login_required
def rates(request: AuthenticatedRequest) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    if not data.get("form"):
        first = ReportForm.objects.order_by("pk").first()
        if first is not None:
            data["form"] = str(first.pk)
    form = RatesFilter(data)
    result = None
    if form.is_valid():
        result = report_selectors.reporting_rates(
            request.user, form.cleaned_data["form"], form.cleaned_data["year"]
        )
    context = {
        "filter": form,
        "rates": result,
        "title": _("Reporting rates"),
        "picture": maps.rates_picture(request.user, result) if result else None,
    }
    return render(request, "indicators/rates.html", context)
