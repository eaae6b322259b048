"""The body's language: metadata["language"] (ISO 639-1) from py3langid, None without it."""

import datetime

import pytest

from boilercut import clean, language

pytest.importorskip("py3langid")

EN = ("The council closed the old river bridge on Monday after engineers found cracks in two of "
      "its piers, and traffic now goes round by the ring road.\n")
DE = ("Der Gemeinderat hat die alte Brücke am Montag gesperrt, nachdem Ingenieure Risse in zwei "
      "Pfeilern gefunden hatten; der Verkehr fährt nun über die Umgehungsstraße.\n")


@pytest.mark.parametrize(("text", "code"), [
    (EN, "en"), (DE, "de"),
    ("바닷가 마을의 작은 도서관이 삼 년 만에 어린이 책 읽기 모임을 다시 열었다.", "ko"),
    ("港町の小さな図書館が、三年ぶりに子ども向けの読み聞かせ会を再開した。", "ja"),
])
def test_language_of_the_body(text, code):
    assert clean(text).metadata["language"] == code


def test_no_letters_no_language():
    assert clean("12 34 56\n").metadata["language"] is None


def test_without_the_detector_the_language_is_none(monkeypatch):
    monkeypatch.setattr(language, "_identifier", lambda: None)
    assert clean(EN).metadata["language"] is None


def test_the_language_decides_an_ambiguous_slashed_date():
    assert clean("By Jane Doe | 03/04/2024\n\n" + EN).published == datetime.date(2024, 3, 4)
    assert clean("Von Jane Doe | 03/04/2024\n\n" + DE).published is None
