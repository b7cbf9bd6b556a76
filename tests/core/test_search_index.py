"""The search box's word index on SQLite (kense.core.search_index): it follows every write, is
mended when a migration rebuilt its table, and a search reads it instead of the table; and the
scope asked row by row, as the search asks SQLite (kense.core.permissions.correlated)."""

from __future__ import annotations

import pytest
from django.db import connection

from factories import PersonFactory
from kense.core.search_index import ensure_indexes, index_table, match_expression
from kense.core.selectors import search_filter
from kense.registry.models import Person

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only"
)


def found(query: str) -> set[int]:
    return set(search_filter(Person.objects.all(), query).values_list("pk", flat=True))


def test_match_expression_asks_a_beginning_of_each_word() -> None:
    assert match_expression([("нукенов",), ("саран", "сар")]) == (
        '("нукенов"*) AND ("саран"* OR "сар"*)'
    )
    assert match_expression([('a"b',)]) == '("a""b"*)'


@sqlite_only
def test_the_index_follows_inserts_updates_and_deletes() -> None:
    person = PersonFactory(surname_kk="Нүкенов", surname_ru="Нукенов")
    other = PersonFactory(surname_kk="Сейітов", surname_ru="Сеитов")
    assert found("нүк") == {person.pk}
    assert found("Нукеновым") == {person.pk}  # a stem found in the index

    person.surname_kk = person.surname_ru = "Әбенов"
    person.save()
    assert found("нүкенов") == set()
    assert found("әбен") == {person.pk}

    person.delete()
    assert found("әбенов") == set()
    assert found("сеит") == {other.pk}


@sqlite_only
def test_an_index_whose_table_was_rebuilt_is_mended_after_migrate() -> None:
    person = PersonFactory(surname_kk="Нүкенов", surname_ru="Нукенов")
    index = index_table(Person)
    # Django's SQLite schema editor rebuilds a table to alter it: the new one has no triggers.
    with connection.cursor() as cursor:
        for name in ("insert", "update", "delete"):
            cursor.execute(f'DROP TRIGGER "{index}_{name}"')
    later = PersonFactory(surname_kk="Нүкенова", surname_ru="Нукенова")
    assert found("нүкенов") == {person.pk}  # the index missed the row written meanwhile

    assert ensure_indexes() == [Person._meta.db_table]
    assert found("нүкенов") == {person.pk, later.pk}
    assert ensure_indexes() == []  # nothing to mend twice
    newest = PersonFactory(surname_kk="Нүкенұлы", surname_ru="Нукенулы")
    assert found("нүкен") == {person.pk, later.pk, newest.pk}


@sqlite_only
def test_a_search_reads_the_index_not_the_table() -> None:
    PersonFactory.create_batch(3)
    queryset = search_filter(Person.objects.all(), "Нукеновым")
    with connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    table = Person._meta.db_table
    assert any(index_table(Person) in step and "VIRTUAL TABLE" in step for step in plan), plan
    assert f"SEARCH {table} USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
    assert not any(step.split()[:2] == ["SCAN", table] for step in plan), plan


def test_a_scope_part_asked_row_by_row_finds_the_same_rows() -> None:
    from django.db.models import Exists, Q

    from kense.core.permissions import correlated
    from kense.registry.models import Appointment

    inside = PersonFactory(surname_kk="Нүкенов", surname_ru="Нукенов")
    PersonFactory(surname_kk="Нүкенова", surname_ru="Нукенова")
    condition = Q(pk__in=Person.objects.filter(pk=inside.pk).values("pk")) | Q(pk__in=[])
    rewritten = correlated(condition)
    assert isinstance(rewritten.children[0], Exists)  # the IN of a query became an EXISTS
    assert rewritten.children[1] == ("pk__in", [])  # a list stays a list
    assert set(Person.objects.filter(rewritten)) == set(Person.objects.filter(condition))
    # An IN of a UNION cannot be filtered: it is left as it is.
    union = (
        Person.objects.filter(pk=inside.pk)
        .values("pk")
        .union(Appointment.objects.values("person_id"))
    )
    assert correlated(Q(pk__in=union)).children == [("pk__in", union)]
