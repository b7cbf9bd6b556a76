"""The open pages: read without a login, showing only what the office has published."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def home(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "public/base.html", {})


territory = project = event = meeting = guideline = news = privacy = home
