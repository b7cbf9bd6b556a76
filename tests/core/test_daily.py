"""The day's control: the steps the apps register run in their documented order, each
isolated from the others' failures."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ImproperlyConfigured

from kense.core import daily
from kense.core.daily import DailyControlFailed, daily_control, daily_steps, register_daily_step


def test_the_apps_steps_run_in_the_documented_order() -> None:
    assert [(step.order, step.name) for step in daily_steps()] == [
        (10, "recurring_instances"),
        (20, "deadline_reminders"),
        (30, "controller_digests"),
        (40, "executive_digests"),
        (50, "document_reminders"),
        (60, "notification_digests"),
        (70, "residents_purge"),
    ]


@pytest.fixture
def no_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty registry for the test; the apps' steps come back after it."""
    monkeypatch.setattr(daily, "_steps", {})


def test_a_failing_step_is_named_and_the_others_still_run(no_steps: None) -> None:
    ran: list[str] = []

    def step(name: str, outcome: int | Exception) -> Callable[[datetime.date], int]:
        def run(today: datetime.date) -> int:
            ran.append(f"{name} {today}")
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        return run

    register_daily_step("third", step("third", 3), order=30)  # registered first, runs last
    register_daily_step("first", step("first", RuntimeError("broken")), order=10)
    register_daily_step("second", step("second", 2), order=20)

    with pytest.raises(
        DailyControlFailed, match=r"^2020-04-21: first failed; done: \{'second': 2, 'third': 3\}$"
    ):
        daily_control.call("2020-04-21")
    assert ran == ["first 2020-04-21", "second 2020-04-21", "third 2020-04-21"]


def test_two_steps_may_not_share_an_order(no_steps: None) -> None:
    register_daily_step("first", lambda today: 0, order=10)
    register_daily_step("first", lambda today: 1, order=10)  # registered again: replaced

    with pytest.raises(ImproperlyConfigured, match="first and second"):
        register_daily_step("second", lambda today: 0, order=10)
    assert [step.run(datetime.date.today()) for step in daily_steps()] == [1]
