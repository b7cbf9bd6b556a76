"""Tests of Kense's own Kazakh/Russian lexicon matcher (kense.text.matcher)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kense.text.gold import gold_matcher, score
from kense.text.matcher import LexiconEntry, Match, Matcher

LEXICON = [
    LexiconEntry("person", 1, ("Абзал Нүкенов", "Нүкенов")),
    LexiconEntry("person", 2, ("Нұрсахан Бейсембекова", "Бейсембекова"), long_surname=True),
    LexiconEntry("person", 3, ("Айтбай Жұмағұлов", "Жұмағұлов")),
    LexiconEntry("territory", 10, ("Қарағанды облысы", "Карагандинская область")),
    LexiconEntry("territory", 11, ("Қарағанды",)),
    LexiconEntry("territory", 12, ("облыс",)),
    LexiconEntry("territory", 13, ("Теміртау",)),
    LexiconEntry("program", 20, ("Рухани жаңғыру",)),
    LexiconEntry("organization", 30, ("Saryarqa Aqparat",), long_surname=True),
]
MATCHER = Matcher(LEXICON)


def found(text: str, *, tolerance: bool = False) -> list[tuple[int, str]]:
    return [(m.pk, m.surface) for m in MATCHER.find(text, tolerance=tolerance)]


def test_base_form_and_alias() -> None:
    assert found("Абзал Нүкенов келді") == [(1, "Абзал Нүкенов")]
    assert found("Нүкенов келді") == [(1, "Нүкенов")]


def test_front_harmony_endings() -> None:
    assert found("Нүкеновтің сөзі, Нүкеновке хат, Нүкеновтен") == [
        (1, "Нүкеновтің"),
        (1, "Нүкеновке"),
        (1, "Нүкеновтен"),
    ]


def test_back_harmony_endings() -> None:
    assert found("Жұмағұловтың, Жұмағұловқа, Қарағандыда, Қарағандыдан") == [
        (3, "Жұмағұловтың"),
        (3, "Жұмағұловқа"),
        (11, "Қарағандыда"),
        (11, "Қарағандыдан"),
    ]


def test_wrong_harmony_is_not_matched() -> None:
    assert found("Нүкеновтың") == []
    assert found("Жұмағұловтің") == []
    assert found("Қарағандыге") == []


def test_consonant_of_the_stem_decides() -> None:
    assert found("Теміртауда") == [(13, "Теміртауда")]  # у: -да, not -та
    assert found("Теміртаута") == []
    assert found("Нүкеновде") == []  # в is voiceless before endings: -те


def test_ending_chains() -> None:
    assert found("облыстардағы") == [(12, "облыстардағы")]
    assert found("облысымыздың") == [(12, "облысымыздың")]
    assert found("Қарағанды облысының") == [(10, "Қарағанды облысының")]
    assert found("Қарағанды облысында") == [(10, "Қарағанды облысында")]


def test_capitals() -> None:
    assert found("Абзал НҮКЕНОВТІҢ төрағалығымен") == [(1, "Абзал НҮКЕНОВТІҢ")]
    assert found("«РУХАНИ ЖАҢҒЫРУДЫ»") == [(20, "РУХАНИ ЖАҢҒЫРУДЫ")]


def test_hyphens_split_words() -> None:
    assert found("облыс-қалалар") == [(12, "облыс")]
    assert found("Saryarqa Aqparat-тың тілшісі") == [(30, "Saryarqa Aqparat-тың")]


def test_initials() -> None:
    assert found("деді А.Нүкенов.") == [(1, "А.Нүкенов")]
    assert found("деді А. Нүкенов") == [(1, "А. Нүкенов")]
    assert MATCHER.find("А.Нүкенов")[0].spelling == "Абзал Нүкенов"


@pytest.mark.parametrize("person_first", [True, False])
def test_a_persons_initial_does_not_hide_a_name_beginning_with_that_letter(
    person_first: bool,
) -> None:
    # «Ш.» is an initial of Шоқан Уәлиханов and the first word of the school's name: which
    # entry the lexicon lists first must not decide whether the school can be found.
    person = LexiconEntry("person", 1, ("Шоқан Уәлиханов",))
    school = LexiconEntry("organization", 2, ("Ш. Уәлиханов атындағы мектеп",))
    entries = [person, school] if person_first else [school, person]
    found = Matcher(entries).find("Ш. Уәлиханов атындағы мектепте оқушылар")
    assert [(m.kind, m.surface) for m in found] == [
        ("organization", "Ш. Уәлиханов атындағы мектепте")
    ]
    assert [(m.kind, m.surface) for m in Matcher(entries).find("деді Ш.Уәлиханов")] == [
        ("person", "Ш.Уәлиханов")
    ]


def test_russian_endings() -> None:
    text = "Нукенова, Нукеновым, Нукенову, Нукеновой, Нукеновых"
    assert [s for _pk, s in found(text)] == [
        "Нукенова",
        "Нукеновым",
        "Нукенову",
        "Нукеновой",
        "Нукеновых",
    ]
    assert found("в Карагандинской области") == [(10, "Карагандинской области")]
    assert found("рекомендации Бейсембековой") == [(2, "Бейсембековой")]


def test_oblystyq_is_not_oblys() -> None:
    assert found("облыстық басқарма") == []


def test_unknown_words_keep_their_endings() -> None:
    assert found("аудан аудандар ауданның") == []
    assert found("Қарағандылық") == []


def test_split_word_is_joined() -> None:
    assert found("Қарағанды облыс ы әкімі") == [(10, "Қарағанды облыс ы")]


def test_tolerance_finds_variant_only_when_asked() -> None:
    assert found("Нұрсахан Бейсенбекова") == []
    [match] = MATCHER.find("Нұрсахан Бейсенбекова баяндады", tolerance=True)
    assert match.pk == 2
    assert match.variant == "Нұрсахан Бейсенбекова"
    [exact] = MATCHER.find("Бейсембекованың", tolerance=True)
    assert exact.variant is None
    # Entries without long_surname never get the tolerance.
    assert MATCHER.find("Нүкеновв", tolerance=True) == []


def test_offsets_point_at_the_original_text() -> None:
    text = "«Рухани жаңғыру» — деді А.Нүкенов, Ёлка ﬁ НҮКЕНОВТІҢ"
    for match in MATCHER.find(text):
        assert text[match.start : match.end] == match.surface
    assert [m.surface for m in MATCHER.find(text)][-1] == "НҮКЕНОВТІҢ"


def test_longest_multiword_match_wins() -> None:
    [match] = MATCHER.find("Қарағанды облысының әкімі")
    assert (match.pk, match.spelling) == (10, "Қарағанды облысы")


def test_gold_precision_and_recall() -> None:
    matcher, keys = gold_matcher()
    scores = score(matcher, keys)
    for name, bucket in scores.items():
        assert bucket.precision >= 0.9, (name, bucket.errors)
        assert bucket.recall >= 0.9, (name, bucket.errors)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("абқнүкеовтің ыә.-«»AaqЁ ﬁ\u0301 ")), max_size=80))
def test_find_never_raises_and_matches_are_sane(text: str) -> None:
    for tolerance in (False, True):
        matches = MATCHER.find(text, tolerance=tolerance)
        for match in matches:
            assert isinstance(match, Match)
            assert text[match.start : match.end] == match.surface
        for left, right in itertools.pairwise(matches):
            assert left.end <= right.start


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Нүкеновтің", "облыс", "ы", "аудан", "Қарағанды", "А.", "-"])))
def test_matches_never_overlap_on_lexicon_words(words: list[str]) -> None:
    text = " ".join(words)
    matches = MATCHER.find(text, tolerance=True)
    for match in matches:
        assert text[match.start : match.end] == match.surface
    for left, right in itertools.pairwise(matches):
        assert left.end <= right.start


def _seed_path() -> Path | None:
    name = "000_87bea1415a213244.txt"
    here = Path(__file__).resolve()
    for candidate in (
        here.parents[3] / "shared" / "seed" / name,
        here.parents[2].parent / "shared" / "seed" / name,
    ):
        if candidate.exists():
            return candidate
    return None


SEED_LEXICON = [
    LexiconEntry("person", 1, ("Абзал Нүкенов",)),
    LexiconEntry("person", 2, ("Бекзат Алтынбеков",)),
    LexiconEntry("person", 3, ("Ерлан Құсайын",)),
    LexiconEntry("person", 4, ("Айтбай Жұмағұлов",)),
    LexiconEntry("person", 5, ("Нұрсахан Бейсембекова",), long_surname=True),
    LexiconEntry("person", 6, ("Қамбар Ахметов",)),
    LexiconEntry("person", 7, ("Еркебұлан Жұмекенов",)),
    LexiconEntry("person", 8, ("Гүлмира Әбішева",)),
    LexiconEntry("organization", 20, ("ішкі саясат басқармасы",)),
    LexiconEntry("organization", 21, ("Рухани жаңғыру жобалық кеңсесі", "жобалық кеңсе")),
    LexiconEntry("organization", 22, ("Мәдениет, архив және құжаттама басқармасы",)),
    LexiconEntry("organization", 23, ("Экономика басқармасы",)),
    LexiconEntry("organization", 24, ("Тұлғатану ғылыми-зерттеу орталығы", "Тұлғатану")),
    LexiconEntry("organization", 25, ("Saryarqa Aqparat",), long_surname=True),
    LexiconEntry("territory", 30, ("Қарағанды облысы",)),
    LexiconEntry("program", 40, ("Рухани жаңғыру",)),
    LexiconEntry("program", 41, ("Ауыл – ел бесігі",)),
    LexiconEntry("project", 50, ("Қазақстанның киелі географиясы",)),
    LexiconEntry("project", 51, ("Дала фольклоры мен музыкасының 1000 жылы",)),
    LexiconEntry("project", 52, ("Ұлы дала есімдері. Қарағанды облысының көрнекті тұлғалары",)),
]


def test_seed_report_links_every_known_entity() -> None:
    path = _seed_path()
    if path is None:
        pytest.skip("../shared/seed/000_87bea1415a213244.txt is not present")
    text = path.read_text(encoding="utf-8")
    matches = Matcher(SEED_LEXICON).find(text, tolerance=True)
    assert {m.pk for m in matches} == {e.pk for e in SEED_LEXICON}
    variants = {m.variant for m in matches if m.variant}
    assert "Нұрсахан Бейсенбекова" in variants
    assert any(v and v.startswith("Saryarq ") for v in variants)
    for match in matches:
        assert text[match.start : match.end] == match.surface
