"""The published date: the written date read as a ``datetime.date``, and which date line it is."""

import datetime

import pytest

from boilercut import clean
from boilercut.published import parse_date

D = datetime.date


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("March 12, 2024", None, D(2024, 3, 12)),
    ("Tuesday, 12 March 2024 10:30 GMT", None, D(2024, 3, 12)),
    ("12. März 2024, 10:30 Uhr", None, D(2024, 3, 12)),
    ("martes, 12 de abril de 2022", None, D(2022, 4, 12)),  # "martes" is no month
    ("1er juillet 2023", None, D(2023, 7, 1)),
    ("12 marca 2024", None, D(2024, 3, 12)),
    ("12 мая 2024 г.", None, D(2024, 5, 12)),
    ("12 maart 2024", None, D(2024, 3, 12)),
    ("2024-03-12T10:30", None, D(2024, 3, 12)),
    ("12.03.2024", None, D(2024, 3, 12)),
    ("2024. 3. 12.", None, D(2024, 3, 12)),
    ("2024年3月12日", None, D(2024, 3, 12)),
    ("2024년 3월 12일 오전 10:30", None, D(2024, 3, 12)),
    ("03/04/2024", "en", D(2024, 3, 4)),
    ("03/04/2024", None, None),  # day or month first: not guessed
    ("25/04/2024", None, D(2024, 4, 25)),
    ("3 hours ago", "en", None),
    ("March 2024", None, None),
    ("February 30, 2024", None, None),
])
def test_parse_date(text, lang, expected):
    assert parse_date(text, lang) == expected


ARTICLE = ("The council closed the old river bridge on Monday after engineers found cracks in two "
           "of its piers, and traffic now goes round by the ring road.\n\nRepairs will take at least "
           "six months, the council said, and the cost is not yet known to anyone at the town hall.\n")


def test_the_byline_date_is_published_not_the_comment_timestamp():
    text = ("Council closes the old river bridge\n\nBy Jane Doe | March 3, 2024\n\n" + ARTICLE +
            "\n3 Comments\n\nKlaus Meyer\nMarch 5, 2024 at 10:12 am\n"
            "I drove over it every day and never noticed a thing, which is rather worrying.\n")
    result = clean(text)
    assert result.metadata["published"] == "March 3, 2024"
    assert result.published == D(2024, 3, 3)
    assert "March 5, 2024 at 10:12 am" in result.metadata["dates"]
    assert result.to_dict()["published"] == "2024-03-03"


def test_of_published_and_updated_the_first_is_published():
    text = "Published: 3 March 2024\nUpdated: 4 March 2024\n\n" + ARTICLE
    result = clean(text)
    assert result.published == D(2024, 3, 3)
    assert result.metadata["published"] in text


def test_no_date_of_a_related_list_below_the_article():
    text = (ARTICLE + "\nRelated articles\n\nNew cycle lane opens on the quay\n4 March 2024\n"
            "Ferry timetable changes for the summer\n2 March 2024\n")
    result = clean(text)
    assert result.published is None
    assert result.metadata["published"] is None
    assert "published" not in result.to_dict()


def test_no_date_below_a_related_headline_the_body_kept():
    from boilercut.published import choose

    text = ("Headline\n\nThe first paragraph of the article is long enough to be one.\n\n"
            "Read also\n\nA related headline the model kept\n5 October 2024\n")
    first, related = text.index("The first"), text.index("A related")
    body = (first, related + len("A related headline the model kept"))
    dates = [(text.index("5 October"), "5 October 2024")]
    assert choose(text, dates, body, [(text.index("Read also"), "related-header")]) is None
    assert choose(text, dates, body, []) == "5 October 2024"
