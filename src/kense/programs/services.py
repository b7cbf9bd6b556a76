"""Writes to programs, directions and projects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kense.core.services import save_in_scope
from kense.programs.models import Direction, Program, Project
from kense.registry.models import Organization

if TYPE_CHECKING:
    from kense.accounts.models import User


def program_save(
    program: Program, *, user: User, co_executors: Iterable[Organization] | None = None
) -> Program:
    """Create or update a program (project office and administrators only)."""
    m2m = {"co_executors": co_executors} if co_executors is not None else None
    return save_in_scope(program, user=user, m2m=m2m)


def direction_save(
    direction: Direction, *, user: User, co_executors: Iterable[Organization] | None = None
) -> Direction:
    """Create or update a direction of a program."""
    m2m = {"co_executors": co_executors} if co_executors is not None else None
    return save_in_scope(direction, user=user, m2m=m2m)


def project_save(
    project: Project, *, user: User, co_executors: Iterable[Organization] | None = None
) -> Project:
    """Create or update a special project; it must end up inside the user's scope."""
    m2m = {"co_executors": co_executors} if co_executors is not None else None
    return save_in_scope(project, user=user, m2m=m2m)
