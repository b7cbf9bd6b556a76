"""Residents' ideas on the open pages, as kense.public includes them (public:idea_…): their
patterns are declared in kense.ideas.urls (one URL module per app)."""

from kense.ideas.urls import public_urlpatterns as urlpatterns

__all__ = ["urlpatterns"]
