import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from kense.accounts.models import User


@pytest.fixture
def user(db: None) -> User:
    return User.objects.create_user(
        "aliya", email="aliya@kense.demo", password="old-password-2020", language="kk"
    )


@pytest.mark.django_db(transaction=True)
def test_reset_letter_is_queued_then_sent_by_the_worker_in_the_users_language(client, user):
    response = client.post(reverse("accounts:password_reset"), {"email": "aliya@kense.demo"})

    assert response.status_code == 302
    assert mail.outbox == []  # nothing is sent from the request itself
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["aliya@kense.demo"]
    assert "/kk/accounts/password/reset/" in letter.body
    assert "Kense" in letter.subject or "Кеңсе" in letter.subject


@pytest.mark.django_db(transaction=True)
def test_the_link_in_the_letter_sets_a_new_password(client, user):
    client.post(reverse("accounts:password_reset"), {"email": "aliya@kense.demo"})
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]

    form_page = client.get(link, follow=True)
    new = "Qarağandy-2020-new"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.django_db(transaction=True)
def test_an_unknown_address_sends_nothing_and_reveals_nothing(client, user):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@kense.demo"})

    assert response.status_code == 302
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_ten_requests_for_one_address_send_three_letters_and_answer_alike(client, user):
    answers = [
        client.post(reverse("accounts:password_reset"), {"email": "aliya@kense.demo"})
        for _ in range(10)
    ]

    assert {answer.status_code for answer in answers} == {302}
    assert {answer["Location"] for answer in answers} == {reverse("accounts:password_reset_done")}
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_client_asking_too_often_is_told_so_in_its_language(client, user):
    for number in range(10):
        client.post(reverse("accounts:password_reset"), {"email": f"x{number}@kense.demo"})

    with translation.override("ru"):
        in_russian = reverse("accounts:password_reset")
    refused = client.post(in_russian, {"email": "aliya@kense.demo"})
    other_client = client.post(
        reverse("accounts:password_reset"), {"email": "aliya@kense.demo"}, REMOTE_ADDR="192.0.2.7"
    )

    assert refused.status_code == 429
    assert "Слишком много запросов на восстановление пароля" in refused.content.decode()
    assert other_client.status_code == 302
