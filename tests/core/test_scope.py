"""Scope.sees_all_of: who sees a territory subtree whole, by their territory alone; and what a
wide role without a territory reaches."""

from __future__ import annotations

import pytest

from factories import MeetingFactory, UserFactory
from kense.core.permissions import Role, Scope
from kense.meetings.models import Meeting


def scope(role: str, territory: str | None = None, organization: str | None = None) -> Scope:
    return Scope(role, territory, organization, territory if organization else None)


def test_wide_and_territory_roles_see_what_lies_inside_their_territory() -> None:
    assert scope(Role.PROJECT_OFFICE, "/1/2/").sees_all_of("/1/2/7/")
    assert scope(Role.COORDINATOR, "/1/2/7/").sees_all_of("/1/2/7/")
    assert not scope(Role.COORDINATOR, "/1/2/7/").sees_all_of("/1/2/")
    assert not scope(Role.EXECUTIVE, "/1/3/").sees_all_of("/1/2/7/")
    # Not "/1/2" + anything: "/1/20/" is another territory.
    assert not scope(Role.OBSERVER, "/1/2/").sees_all_of("/1/20/")


def test_no_territory_means_everything_for_wide_roles_and_nothing_for_others() -> None:
    assert scope(Role.OBSERVER).sees_all_of("/1/2/")
    assert scope(Role.ADMINISTRATOR).sees_all_of("/1/2/")
    assert not scope(Role.COORDINATOR).sees_all_of("/1/2/")


def test_organization_roles_and_anonymous_never_see_a_subtree_whole() -> None:
    assert not scope(Role.INSTITUTION, "/1/2/", organization="/5/").sees_all_of("/1/2/7/")
    assert not scope(Role.DEPARTMENT, "/1/2/", organization="/5/").sees_all_of("/1/2/")
    anonymous = Scope("", None, None, None, authenticated=False)
    assert not anonymous.sees_all_of("/1/")


@pytest.mark.django_db
def test_a_wide_role_without_a_territory_reaches_everything_whatever_is_added_to_it() -> None:
    # "Their territory's, or where they are invited" must stay everything when the territory
    # part is everything (`Q() | x` is `x` in Django: it was only the invitations).
    observer = UserFactory(role=Role.OBSERVER, territory=None)
    meetings = [MeetingFactory(), MeetingFactory()]

    assert set(Meeting.objects.restrict(observer)) == set(meetings)
