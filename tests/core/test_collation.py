"""The "kk" collation in the database: on SQLite (set per connection) and PostgreSQL (migration).

Run on SQLite with the default settings, and on PostgreSQL with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/kense`` (the test database is created beside it).
"""

from __future__ import annotations

import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

from kense.text.kazakh import COLLATION_NAME, sorted_kazakh

ALPHABET = list("АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ")
WORDS = [
    *ALPHABET,
    *(letter.lower() for letter in ALPHABET),
    "Абай",
    "Ақтоғай",
    "Әбішева",
    "Бұқар жырау",
    "Бейсембекова",
    "Бейсенбекова",
    "Ерлан",
    "Ёлка",
    "Жұмағұлов",
    "Жұмекенов",
    "Қарағанды",
    "Қаражал",
    "Қарқаралы",
    "Кеңсе",
    "Нүкенов",
    "НҮКЕНОВТІҢ",
    "Нұра",
    "Нукенов",
    "Осакаров",
    "Өскемен",
    "Ұлытау",
    "Үшарал",
    "Уәли",
    "Һәм",
    "Ыбырай",
    "Іле",
    "Saryarqa Aqparat",
    "Zoom",
]


def _ordered_in_sql(values: list[str]) -> list[str]:
    placeholders = ", ".join(["(%s)"] * len(values))
    with connection.cursor() as cursor:
        # Unquoted, as people will write it by hand; VALUES columns are column1 on both databases.
        cursor.execute(
            f"SELECT column1 FROM (VALUES {placeholders}) AS v ORDER BY column1 COLLATE kk",
            values,
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_raw_order_by_collate_kk_follows_the_kazakh_alphabet() -> None:
    lower = [letter.lower() for letter in ALPHABET]
    shuffled = random.Random(2020).sample(lower, k=len(lower))
    assert _ordered_in_sql(shuffled) == lower


@pytest.mark.django_db
def test_database_and_python_agree_on_the_order() -> None:
    shuffled = random.Random(437).sample(WORDS, k=len(WORDS))
    assert _ordered_in_sql(shuffled) == sorted_kazakh(WORDS)


@pytest.mark.django_db
def test_orm_collate_quotes_the_name_and_sorts() -> None:
    names = ["Ұлытау", "Абай", "Шет", "Қарқаралы", "Сәтбаев", "Саран", "Кеңсе", "Ақтоғай"]
    ContentType.objects.bulk_create(
        ContentType(app_label="kense_collation_test", model=name) for name in names
    )
    queryset = ContentType.objects.filter(app_label="kense_collation_test").order_by(
        Collate(F("model"), COLLATION_NAME)
    )
    assert f'COLLATE "{COLLATION_NAME}"' in str(queryset.query)
    assert list(queryset.values_list("model", flat=True)) == sorted_kazakh(names)


@pytest.mark.django_db
def test_the_collation_exists_where_it_should() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collprovider FROM pg_collation WHERE collname = %s", [COLLATION_NAME]
            )
            assert cursor.fetchall() == [("i",)]  # i: ICU, created by core.0001
    else:
        # Registered on this very connection by CoreConfig.ready's connection_created receiver.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 'ә' < 'б' COLLATE kk, 'ә' < 'б'")
            assert cursor.fetchone() == (1, 0)
