"""Tests of Kense's own Kazakh/Russian lexicon matcher (kense.text.matcher)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kense.text.gold import gold_matcher, score
from kense.text.matcher import Context, LexiconEntry, Match, Matcher

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


# --- Issue 14: the causes a reader finds and the matcher missed -------------------------------

CAUSES = Matcher(
    [
        LexiconEntry(
            "organization", 1, ("Облыстың ішкі саясат басқармасы", "ішкі саясат басқармасы")
        ),
        LexiconEntry("organization", 2, ("білім басқармасы",)),
        LexiconEntry("organization", 3, ("мәдениет басқармасы",)),
        LexiconEntry("territory", 4, ("Шет ауданы", "Шетский район")),
        LexiconEntry("territory", 5, ("Абай ауданы", "Абайский район")),
        LexiconEntry("territory", 6, ("Саран қаласы", "Саран")),
        LexiconEntry("territory", 7, ("Шахтинск қаласы", "Шахтинск")),
        LexiconEntry("organization", 8, ("Мәжіліс",)),
        LexiconEntry("person", 9, ("Ли",)),
        LexiconEntry("person", 10, ("Абзал Нүкенов", "Нүкенов", "Абзал Сейітқалиұлы")),
        LexiconEntry("organization", 11, ("Ахмет Байтұрсынұлы атындағы мектеп",)),
        LexiconEntry("territory", 12, ("Қарағанды облысы",)),
    ]
)


def causes(text: str) -> list[tuple[int, str]]:
    return [(m.pk, m.surface) for m in CAUSES.find(text)]


def test_plural_possessive_and_case_of_an_organization_word() -> None:
    assert causes("білім басқармаларының өкілдері") == [(2, "білім басқармаларының")]
    assert causes("Шет, Абай аудандарында") == [(4, "Шет"), (5, "Абай аудандарында")]


def test_coordination_names_each_conjunct() -> None:
    text = "ішкі саясат, білім және мәдениет басқармалары жиналды"
    assert causes(text) == [(1, "ішкі саясат"), (2, "білім"), (3, "мәдениет басқармалары")]
    assert causes("Саран, Шахтинск қалаларында") == [(6, "Саран"), (7, "Шахтинск қалаларында")]
    assert causes("Абайского и Шетского районов") == [(5, "Абайского"), (4, "Шетского районов")]
    # A list of common words before a type word names nothing.
    assert causes("жаңа, үлкен аудандарында") == []


def test_a_one_word_name_needs_its_capital() -> None:
    assert causes("Мәжіліс өтті.") == []  # a sitting, at the start of a sentence
    assert causes("Жастар «Мәжіліс» клубына барды.") == [(8, "Мәжіліс")]
    assert causes("Жастар Мәжіліс клубына барды.") == [(8, "Мәжіліс")]
    assert causes("жастар мәжілісі өтті") == []
    assert causes("Сарандағы мектеп") == [(6, "Сарандағы")]  # a territory opens a sentence


def test_a_two_letter_surname_is_found_capitalised() -> None:
    assert causes("Баяндаманы Ли жасады.") == [(9, "Ли")]
    assert causes("ли деген сөз") == []


def test_patronymic_and_initials() -> None:
    assert causes("Абзал Сейітқалиұлының сөзі") == [(10, "Абзал Сейітқалиұлының")]
    assert causes("деді А.Сейітқалиұлы.") == [(10, "А.Сейітқалиұлы")]
    assert causes("Нүкенов А. айтты") == [(10, "Нүкенов")]
    assert causes("А.Байтұрсынұлы атындағы мектепте") == [(11, "А.Байтұрсынұлы атындағы мектепте")]


def test_latin_letters_inside_cyrillic_and_soft_hyphens() -> None:
    assert causes("Hүкенов келді") == [(10, "Hүкенов")]  # a Latin H
    assert causes("Caран қаласында") == [(6, "Caран қаласында")]  # a Latin C
    text = "Нүке\u00adнов келді"
    [match] = CAUSES.find(text)
    assert (match.pk, match.surface) == (10, text[:8])


def test_kazakh_in_the_latin_alphabet() -> None:
    assert causes("Qarağandy oblysynda Nükenov söz söiledi") == [
        (12, "Qarağandy oblysynda"),
        (10, "Nükenov"),
    ]
    assert causes("Saran qalasynda jaña mektep") == [(6, "Saran qalasynda")]


def test_update_replaces_and_removes_entries() -> None:
    matcher = Matcher([LexiconEntry("person", 1, ("Нүкенов",))])
    assert [m.pk for m in matcher.find("Нүкенов келді")] == [1]
    matcher.update([LexiconEntry("person", 1, ("Құсайын",))])
    assert matcher.find("Нүкенов келді") == []
    assert [m.pk for m in matcher.find("Құсайын келді")] == [1]
    matcher.update([LexiconEntry("person", 2, ("Абзал Нүкенов",))], removed=[("person", 1)])
    assert matcher.find("Құсайын келді") == []
    assert [m.pk for m in matcher.find("Абзал Нүкеновке")] == [2]
    assert len(matcher) == 1


def test_what_the_reader_may_not_see_hides_nothing() -> None:
    matcher = Matcher(
        [
            LexiconEntry("organization", 1, ("Саран қаласының ішкі саясат бөлімі",)),
            LexiconEntry("territory", 2, ("Саран қаласы",)),
        ]
    )
    text = "Саран қаласының ішкі саясат бөлімі хабарлады"
    assert [m.kind for m in matcher.find(text)] == ["organization"]
    only_territories = matcher.find(
        text, visible=lambda keys: {k for k in keys if k[0] == "territory"}
    )
    assert [(m.kind, m.surface) for m in only_territories] == [("territory", "Саран қаласының")]


def test_a_shared_name_lists_its_candidates_ranked_by_context() -> None:
    village = LexiconEntry("territory", 1, ("Көшім",), places=(1, 10, 100), type="settlement")
    other = LexiconEntry("territory", 2, ("Көшім",), places=(2, 20, 100), type="settlement")
    district = LexiconEntry("territory", 20, ("Шет ауданы",), places=(20, 100), type="district")
    matcher = Matcher([village, other, district])
    [alone] = matcher.find("Көшімде мектеп ашылды")
    assert [c.pk for c in alone.candidates] == [1, 2]  # the lexicon's order breaks the tie
    assert alone.close and alone.name == "кошим"  # folded
    # Another name of its district in the same sentence decides, and says why.
    found = matcher.find("Шет ауданының Көшімінде мектеп ашылды")
    assert [(m.pk, m.close) for m in found] == [(20, False), (2, False)]
    assert found[1].candidates[0].reasons == ("sentence",)
    # The reader's territory, and the office's earlier choice.
    assert matcher.find("Көшімде", context=Context(places=frozenset({10})))[0].pk == 1
    chosen = Context(chosen={"кошим": ("territory", 2)})
    [remembered] = matcher.find("Көшімде", context=chosen)
    assert remembered.pk == 2 and remembered.candidates[0].reasons == ("chosen",)


def test_a_tie_goes_to_the_entry_the_text_names_first_in_full() -> None:
    village = LexiconEntry("territory", 1, ("Көшім ауылы", "Көшім"), type="settlement")
    rural = LexiconEntry("territory", 2, ("Көшім ауылдық округі", "Көшім"), type="rural_district")
    matcher = Matcher([rural, village])
    # Alone, the lexicon's order decides; a text that names the village first means it.
    assert matcher.find("Көшімде клуб ашылды")[0].pk == 2
    text = "Көшімде клуб ашылды. Көшім ауылында … Көшім ауылдық округінің әкімі айтты."
    assert [m.pk for m in matcher.find(text)] == [1, 1, 2]
    text = "Көшімде клуб ашылды. Көшім ауылдық округінің … Көшім ауылында әкімі айтты."
    assert [m.pk for m in matcher.find(text)] == [2, 2, 1]


def test_the_word_next_to_a_shared_name_says_its_kind() -> None:
    project = LexiconEntry("project", 1, ("Туған жер",))
    fund = LexiconEntry("organization", 2, ("Туған жер",), type="ngo")
    matcher = Matcher([fund, project])
    [match] = matcher.find("«Туған жер» жобасы аясында")
    assert match.kind == "project" and "type_word" in match.candidates[0].reasons
    [match] = matcher.find("«Туған жер» қорының")
    assert match.kind == "organization"


def test_words_read_before_an_update_are_read_again_when_it_adds_a_name() -> None:
    matcher = Matcher([LexiconEntry("person", 1, ("Абзал Нүкенов", "Нүкенов"))])
    text = "Жұмағұловтың және Бейсембековамен кездесу"
    assert matcher.find(text, tolerance=True) == []  # the words' roots are remembered
    # A changed entry whose words are known adds no root: what was remembered stays.
    matcher.update([LexiconEntry("person", 1, ("Абзал Нүкенов", "Нүкенов", "Нукенов"))])
    assert matcher._roots_memo  # kept
    assert [m.pk for m in matcher.find("Нүкеновке хат")] == [1]
    # New names are found in the words read before (an exact one and a misspelt one).
    matcher.update(
        [
            LexiconEntry("person", 2, ("Айтбай Жұмағұлов", "Жұмағұлов")),
            LexiconEntry("person", 3, ("Бейсембекова",), long_surname=True),
        ]
    )
    assert [m.pk for m in matcher.find(text, tolerance=True)] == [2, 3]
    assert [m.pk for m in matcher.find("Бейсенбековамен", tolerance=True)] == [3]
