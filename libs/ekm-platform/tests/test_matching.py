"""Person matching: transliteration variants, apostrophes, score bands, contradicting identifiers."""

import pytest

from ekm_platform.identifiers import make_rnokpp
from ekm_platform.matching import Bands, Identity, compare, implied_birth_date, name_similarity, normalise

BANDS = Bands()  # 0.95 auto-link, 0.80 review
KOVALENKO = Identity(last_name="Коваленко", first_name="Андрій", patronymic="Петрович", birth_date="1988-03-14")


def band(a, b):
    return BANDS.band(compare(a, b).score)


@pytest.mark.parametrize(
    "last, first",
    [
        ("Kovalenko", "Andrii"),  # resolution No. 55 (2010)
        ("Kovalenko", "Andriy"),  # BGN / the pre-2010 habit
        ("Kovalenko", "Andrij"),  # GOST 1986
        ("Covalenco", "Andrii"),  # the 2004 passport system
        ("KOVALENKO", "ANDRII"),  # a passport's machine-readable zone
        ("коваленко", "андрій"),
    ],
)
def test_the_same_name_in_another_transliteration_is_linked_automatically(last, first):
    other = Identity(last_name=last, first_name=first, birth_date="1988-03-14")
    assert compare(KOVALENKO, other).kind == "fuzzy"
    assert band(KOVALENKO, other) == "auto"


@pytest.mark.parametrize("apostrophe", ["'", "’", "ʼ", "`", "‘"])
def test_apostrophe_forms_do_not_matter(apostrophe):
    a = Identity(last_name="Мар'яненко", first_name="Мар'яна", birth_date="1990-01-01")
    b = Identity(last_name=f"Мар{apostrophe}яненко", first_name=f"Мар{apostrophe}яна", birth_date="1990-01-01")
    assert compare(a, b).score == 1.0
    latin = Identity(last_name=f"Mar{apostrophe}yanenko", first_name="Mariana", birth_date="1990-01-01")
    assert band(a, latin) == "auto"
    assert normalise(f"Мар{apostrophe}яна") == "маряна"


@pytest.mark.parametrize(
    "last, first, birth, expected",
    [
        ("Коваленко", "Андрей", "1988-03-14", "review"),  # the Russian form of the first name
        ("Ковaленко", "Андрій", "1988-03-14", "auto"),  # a Latin "a" typed inside a Cyrillic surname
        ("Kowalenko", "Andrii", "1988-03-14", "review"),  # a Polish spelling
        ("Коваль", "Андрій", "1988-03-14", "review"),
        ("Коваленко", "Олег", "1988-03-14", "none"),  # another first name: another person
        ("Шевченко", "Тарас", "1988-03-14", "none"),
        ("Коваленко", "Андрій", "1988-03-15", "none"),  # another date of birth
        ("Коваленко", "Андрій", "", "none"),  # no date of birth: a name alone is never enough
    ],
)
def test_bands(last, first, birth, expected):
    other = Identity(last_name=last, first_name=first, birth_date=birth)
    assert band(KOVALENKO, other) == expected, compare(KOVALENKO, other)


def test_day_and_month_swapped_goes_to_review():
    a = Identity(last_name="Бондар", first_name="Ігор", birth_date="1979-05-07")
    b = Identity(last_name="Bondar", first_name="Ihor", birth_date="1979-07-05")
    match = compare(a, b)
    assert BANDS.band(match.score) == "review" and "birth_date:day_month_swapped" in match.reasons


def test_exact_identifiers_decide_and_contradicting_ones_exclude():
    a = Identity(rnokpp="3221512349", last_name="Коваленко", first_name="Андрій")
    assert compare(a, Identity(rnokpp="3221 512349", last_name="Інший", first_name="Хтось")).kind == "exact"
    same_name_other_number = Identity(
        rnokpp=make_rnokpp("322151235"), last_name="Коваленко", first_name="Андрій", birth_date="1988-03-14"
    )
    match = compare(
        Identity(rnokpp="3221512349", last_name="Коваленко", first_name="Андрій", birth_date="1988-03-14"),
        same_name_other_number,
    )
    assert match.score == 0.0 and match.reasons == ("identifier:differs",)
    by_unzr = compare(Identity(unzr="19880314-43212"), Identity(unzr="1988031443212"))
    assert by_unzr.kind == "exact"


def test_an_identifier_implies_the_date_of_birth():
    assert implied_birth_date("3221512349") == "1988-03-14"
    assert implied_birth_date(unzr="19880314-43212") == "1988-03-14"
    assert implied_birth_date("123") == ""
    with_number = Identity(rnokpp="3221512349", last_name="Коваленко", first_name="Андрій")
    assert band(with_number, Identity(last_name="Kovalenko", first_name="Andrii", birth_date="1988-03-14")) == "auto"


def test_name_similarity_is_symmetric_and_bounded():
    assert name_similarity("Щербина", "Shcherbyna") == 1.0
    assert name_similarity("Shcherbyna", "Щербина") == 1.0
    assert 0.0 <= name_similarity("Ґудзь", "Гудзь") <= 1.0
    assert name_similarity("", "Коваленко") == 0.0


def test_bands_from_the_environment(monkeypatch):
    monkeypatch.setenv("EKM_MATCH_AUTO_LINK_SCORE", "0.9")
    monkeypatch.setenv("EKM_MATCH_REVIEW_SCORE", "0.7")
    assert Bands.configured() == Bands(0.9, 0.7)
    monkeypatch.setenv("EKM_MATCH_REVIEW_SCORE", "0.95")
    with pytest.raises(ValueError):
        Bands.configured()
