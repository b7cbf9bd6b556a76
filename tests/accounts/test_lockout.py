"""Failed logins lock out one user name from one address, never everyone behind a proxy."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from kense.accounts.models import User

PASSWORD = "right-password-2020"
PROXY = "10.0.0.5"


@pytest.fixture
def office(db: None, settings) -> User:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    return User.objects.create_user("office", password=PASSWORD)


def _login(client: Client, username: str, password: str, **meta: str) -> int:
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **meta
    )
    return response.status_code


def _fail_ten_times(username: str, **meta: str) -> None:
    client = Client()
    for _ in range(10):
        assert _login(client, username, "wrong", **meta) in (200, 429)


def test_ten_failures_for_a_made_up_name_lock_out_nobody_else(office):
    _fail_ten_times("nobody", REMOTE_ADDR="192.0.2.10")

    assert _login(Client(), "nobody", "wrong", REMOTE_ADDR="192.0.2.10") == 429
    # The same address, a real user with the right password: not locked out.
    assert _login(Client(), "office", PASSWORD, REMOTE_ADDR="192.0.2.10") == 302


def test_a_locked_name_is_locked_from_that_address_only(office):
    _fail_ten_times("office", REMOTE_ADDR="192.0.2.10")

    assert _login(Client(), "office", PASSWORD, REMOTE_ADDR="192.0.2.10") == 429
    assert _login(Client(), "office", PASSWORD, REMOTE_ADDR="192.0.2.20") == 302


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(office, settings):
    settings.KENSE_TRUSTED_PROXIES = (ipaddress.ip_network(PROXY),)
    _fail_ten_times("office", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    locked = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert _login(Client(), "office", PASSWORD, **locked) == 429
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert _login(Client(), "office", PASSWORD, **other) == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_a_client_cannot_choose_its_address_by_writing_the_header(office, settings):
    settings.KENSE_TRUSTED_PROXIES = (ipaddress.ip_network(PROXY),)
    # Directly, not through the proxy: the header is not believed.
    _fail_ten_times("office", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert (
        _login(
            Client(),
            "office",
            PASSWORD,
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
        == 429
    )
    # Through the proxy, a forged first entry is not believed either: the proxy's own entry is.
    forged = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.1, 192.0.2.10"}
    assert _login(Client(), "office", PASSWORD, **forged) == 429
