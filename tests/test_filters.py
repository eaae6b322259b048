"""Unit tests per built-in filter: what each removes, with its reason, and what it must keep.

They run the rules alone: the line model, which may overrule a structural
guess on these short texts, has tests of its own (tests/test_model.py).
"""

import datetime
from functools import partial

import pytest

import boilercut
from boilercut import Pipeline
from boilercut.document import Document, split_lines
from boilercut.filters import Byline, Title
from tests.conftest import assert_contract

PARAGRAPHS = [
    "The city council voted on Monday to close the old river bridge for repairs until spring.",
    "Engineers found cracks in two of its supports during an inspection last month, officials said.",
    "Drivers will be sent over the northern ring road, which adds about ten minutes to most trips.",
    "Shop owners near the bridge said they feared losing customers during the busy winter season.",
]


RULES = Pipeline.default().without("model")


def clean(text, pipeline=RULES):
    return boilercut.clean(text, pipeline=pipeline)


def article(top=(), middle=(), bottom=(), paragraphs=PARAGRAPHS):
    """An article with the given lines above, between its 2nd and 3rd paragraph, and below."""
    blocks = [*top, *paragraphs[:2], *middle, *paragraphs[2:], *bottom]
    return "\n\n".join(blocks)


def outcome(text, line):
    """``(filter, reason)`` that removed ``line``, or ``"kept"``."""
    result = clean(text)
    assert_contract(text, result)
    for removal in result.removals:
        if removal.text == line:
            return removal.filter, removal.reason
    assert line in result.body.split("\n")
    return "kept"


REMOVED = [
    # navigation
    ({"top": ["Back to top"]}, "Back to top", ("navigation", "nav-phrase")),
    ({"middle": ["MOST POPULAR"]}, "MOST POPULAR", ("navigation", "nav-phrase")),
    ({"top": ["Skip to main content"]}, "Skip to main content", ("navigation", "nav-phrase")),
    ({"bottom": ["Next article"]}, "Next article", ("navigation", "nav-phrase")),
    ({"top": ["Home"]}, "Home", ("navigation", "nav-label")),
    ({"top": ["Bridges", "Roads", "Rail lines", "Ferries"]}, "Rail lines", ("navigation", "nav-menu")),
    ({"top": ["Home > Local > Transport"]}, "Home > Local > Transport", ("navigation", "breadcrumb")),
    ({"bottom": ["1 2 3 4 5"]}, "1 2 3 4 5", ("navigation", "pagination")),
    ({"bottom": ["Page 2 of 5"]}, "Page 2 of 5", ("navigation", "pagination")),
    # share
    ({"bottom": ["Share this article"]}, "Share this article", ("share", "share-label")),
    ({"top": ["Facebook Twitter LinkedIn Email"]}, "Facebook Twitter LinkedIn Email",
     ("share", "share-networks")),
    ({"middle": ["Tweet"]}, "Tweet", ("share", "share-label")),
    # promotions
    ({"middle": ["Advertisement"]}, "Advertisement", ("promotions", "advertisement")),
    ({"middle": ["Story continues below advertisement"]}, "Story continues below advertisement",
     ("promotions", "advertisement")),
    ({"middle": ["Read more: Why old bridges crack in cold winters"]},
     "Read more: Why old bridges crack in cold winters", ("promotions", "related-link")),
    ({"bottom": ["You may also like", "Ferry fares to rise in March", "New tram line opens downtown"]},
     "New tram line opens downtown", ("promotions", "related-list")),
    ({"bottom": ["Sign up for our newsletter to get the top stories in your inbox."]},
     "Sign up for our newsletter to get the top stories in your inbox.", ("promotions", "newsletter")),
    ({"top": ["We use cookies to improve your experience. By continuing to browse you agree."]},
     "We use cookies to improve your experience. By continuing to browse you agree.",
     ("promotions", "cookie-notice")),
    ({"bottom": ["Leave a Reply"]}, "Leave a Reply", ("promotions", "comment-form")),
    ({"bottom": ["Your email address will not be published. Required fields are marked *"]},
     "Your email address will not be published. Required fields are marked *",
     ("promotions", "comment-form")),
    ({"bottom": ["Subscribe to continue reading"]}, "Subscribe to continue reading",
     ("promotions", "paywall")),
    # footer
    ({"bottom": ["© 2024 Riverside Gazette. All rights reserved."]},
     "© 2024 Riverside Gazette. All rights reserved.", ("footer", "copyright")),
    ({"bottom": ["Privacy Policy"]}, "Privacy Policy", ("footer", "footer-link")),
    ({"bottom": ["Impressum"]}, "Impressum", ("footer", "footer-link")),
    # stray
    ({"bottom": ["지나쌤"]}, "지나쌤", ("stray", "foreign-script")),
    ({"middle": ["***"]}, "***", ("stray", "no-letters")),
    ({"bottom": ["|"]}, "|", ("stray", "no-letters")),
    ({"bottom": ["0"]}, "0", ("stray", "figures")),
    ({"bottom": ["$19.99"]}, "$19.99", ("stray", "figures")),
    # byline
    ({"top": ["By Mara Quell"]}, "By Mara Quell", ("byline", "byline")),
    ({"bottom": ["(END)"]}, "(END)", ("byline", "end-marker")),
    ({"bottom": ["Associated Press"]}, "Associated Press", ("byline", "wire-credit")),
    # title
    ({"top": ["Back to top", "Council closes the old river bridge"]},
     "Council closes the old river bridge", ("title", "title")),
    # dates
    ({"top": ["Published: March 3, 2021 10:15 am"]}, "Published: March 3, 2021 10:15 am",
     ("dates", "date")),
    ({"top": ["Updated 3 hours ago"]}, "Updated 3 hours ago", ("dates", "date")),
    ({"top": ["2021-03-03 10:15"]}, "2021-03-03 10:15", ("dates", "date")),
    # captions
    ({"bottom": ["Photo: Reuters"]}, "Photo: Reuters", ("captions", "credit")),
    ({"top": ["Crews inspect the bridge supports on Monday. (Photo: Jane Roe/Riverside Gazette)"]},
     "Crews inspect the bridge supports on Monday. (Photo: Jane Roe/Riverside Gazette)",
     ("captions", "caption")),
    ({"top": ["Above: Crews inspect the bridge supports on Monday."]},
     "Above: Crews inspect the bridge supports on Monday.", ("captions", "caption")),
]


@pytest.mark.parametrize(("blocks", "line", "expected"), REMOVED,
                         ids=[f"{e[1]}:{line[:24]}" for _, line, e in REMOVED])
def test_removes_debris_with_reason(blocks, line, expected):
    assert outcome(article(**blocks), line) == expected


KEPT = [
    # A subheading, a list and a one-word answer inside the article are body.
    ({"middle": ["Home"]}, "Home"),
    ({"middle": ["What happens next", "Repairs start in January.", "Buses run every ten minutes."]},
     "What happens next"),
    ({"middle": ["Bridges", "Roads", "Rail lines"]}, "Roads"),
    ({"middle": ["No."]}, "No."),
    # Sentences that start like labels.
    ({"middle": ["Share prices of the construction firm rose 4 percent on the news."]},
     "Share prices of the construction firm rose 4 percent on the news."),
    ({"middle": ["Advertising revenue at the local paper fell 5% in the quarter."]},
     "Advertising revenue at the local paper fell 5% in the quarter."),
    ({"middle": ["By the numbers"]}, "By the numbers"),
    ({"middle": ["By Monday, the company had already moved its trucks to the northern road."]},
     "By Monday, the company had already moved its trucks to the northern road."),
    ({"middle": ["The copyright dispute over the bridge's design was settled in 2019."]},
     "The copyright dispute over the bridge's design was settled in 2019."),
    ({"middle": ["She said she wanted to read more about the history of the bridge."]},
     "She said she wanted to read more about the history of the bridge."),
    ({"middle": ["March 2021"]}, "March 2021"),
    ({"middle": ["Arsenal 2 Chelsea 1"]}, "Arsenal 2 Chelsea 1"),
    # A sentence repeated as a pull quote far from its paragraph is body.
    ({"bottom": [PARAGRAPHS[0]]}, PARAGRAPHS[0]),
]


@pytest.mark.parametrize(("blocks", "line"), KEPT, ids=[line[:30] for _, line in KEPT])
def test_keeps_body_that_looks_like_debris(blocks, line):
    assert outcome(article(**blocks), line) == "kept"


def test_article_without_debris_is_unchanged():
    text = article()
    result = clean(text)
    assert result.body == text and result.removals == []


def test_caption_pair_goes_to_metadata_once_with_its_credit():
    alt = "Crews inspect the cracked supports of the old river bridge on Monday."
    text = article(top=["Council closes the old river bridge", alt, alt + " (AP Photo/Jane Roe)"])
    result = clean(text)
    assert result.metadata["captions"] == [alt + " (AP Photo/Jane Roe)"]
    assert result.metadata["credits"] == ["AP Photo/Jane Roe"]
    assert [(r.reason, r.text) for r in result.removals][1:] == [
        ("caption-duplicate", alt), ("caption", alt + " (AP Photo/Jane Roe)")]
    assert result.paragraphs == PARAGRAPHS


def test_duplicated_paragraph_without_credit_is_not_a_caption():
    text = article(paragraphs=[PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[1], PARAGRAPHS[2]])
    assert clean(text).paragraphs == [PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[1], PARAGRAPHS[2]]


@pytest.mark.parametrize("field", ["2 days ago", "From $29.00", "1 week ago"])
def test_a_field_repeated_by_neighbouring_records_is_no_caption(field):
    entries = ["Riverside bakery reopens after the spring flood", "Council approves new bike lanes",
               "Library extends its weekend opening hours", "Ferry timetable changes in March",
               "Two new teachers join the village school", "Market square gets new benches"]
    listing = "\n".join(line for entry in entries for line in (entry, field))
    result = clean(article(middle=[listing]))
    assert result.metadata["captions"] == []
    assert result.removals == []


def test_describes_needs_two_words_and_no_date():
    from boilercut.filters.captions import describes

    lines = split_lines("2 days ago\nFrom $29.00\nMarch 3, 2024 at 10:00\nA kingfisher on the old pier\n"
                        "川の上の古い橋を渡る人々")
    assert [describes(line) for line in lines] == [False, False, False, True, True]


def test_title_and_its_repeats_leave_the_body():
    text = article(top=["Council closes the old river bridge",
                        "Council closes the old river bridge | Riverside Gazette"])
    result = clean(text)
    assert result.metadata["title"] == "Council closes the old river bridge"
    assert [r.reason for r in result.removals] == ["title", "title-repeat"]


def test_title_hint_picks_the_page_title():
    text = article(top=["Local news", "Council closes the old river bridge"])
    result = Pipeline.default().run(text, hints={"title": "Council closes the old river bridge"})
    assert result.metadata["title"] == "Council closes the old river bridge"


def test_article_starting_with_prose_has_no_title():
    result = clean(article())
    assert result.metadata["title"] is None


@pytest.mark.parametrize(("line", "authors", "emails"), [
    ("By Mara Quell and Tom Lee", ["Mara Quell", "Tom Lee"], []),
    ("By Mara Quell, Tom Lee and Ana Ruiz", ["Mara Quell", "Tom Lee", "Ana Ruiz"], []),
    ("By Mara Quell, Tom Lee, and Ana Ruiz", ["Mara Quell", "Tom Lee", "Ana Ruiz"], []),
    ("By Mara Quell (mquell@example.org)", ["Mara Quell"], ["mquell@example.org"]),
    ("By Mara Quell | Riverside Gazette", ["Mara Quell"], []),
    ("By MARA QUELL, Staff Writer", ["MARA QUELL"], []),
    ("Von Max Muster", ["Max Muster"], []),
    ("Par Claire Martin", ["Claire Martin"], []),
    ("Por Ana Ruiz", ["Ana Ruiz"], []),
    ("Di Marco Rossi", ["Marco Rossi"], []),
    ("Door Jan de Vries", ["Jan de Vries"], []),
    ("Автор: Иван Петров", ["Иван Петров"], []),
    ("Autor: Jan Kowalski", ["Jan Kowalski"], []),
    ("Ahn Sung-mi 기자", ["Ahn Sung-mi"], []),
    ("김민수 기자 (minsu@example.co.kr)", ["김민수"], ["minsu@example.co.kr"]),
    # A date label or a date after the names ends them; a month name alone after a
    # first name is a surname; a name given twice in a row (name and link text) is one.
    ("By Mara Quell Updated Sep 5, 2024", ["Mara Quell"], []),
    ("Von Anna Schmidt Aktualisiert am 3. März 2024", ["Anna Schmidt"], []),
    ("Written by: Tom May", ["Tom May"], []),
    ("By Alyssa Maio on January 21, 2023", ["Alyssa Maio"], []),
    ("Written by: Colin Gray Colin Gray", ["Colin Gray"], []),
    ("By Payam Montie Posted March 3, 2024", ["Payam Montie"], []),
    ("By Bhaval Patel Last Updated: Jan 3, 2025", ["Bhaval Patel"], []),
    ("By June Carter", ["June Carter"], []),
])
def test_byline_forms(line, authors, emails):
    text = article(bottom=[line])
    result = clean(text)
    assert outcome(text, line) == ("byline", "byline")
    assert result.metadata["authors"] == authors
    assert result.metadata["emails"] == emails


@pytest.mark.parametrize("line", [
    "Posted on March 3, 2024 by Mara Quell",          # a byline label after the date
    "September 1st, 2023 By Mara Quell 4 Comments",
    "Written by by Mara Quell",                       # the label given twice
    "Mara Quell March 3, 2024",                       # the names, then the line's own date
])
def test_bylines_that_do_not_open_with_their_label(line):
    text = article(top=["Council votes to rebuild the old river bridge", line])
    assert outcome(text, line) == ("byline", "byline")
    assert clean(text).metadata["authors"] == ["Mara Quell"]


def test_a_markdown_byline_is_read_from_its_visible_text():
    line = "_March 3, 2024_ by **Mara Quell**"
    text = "# Council votes to rebuild the old river bridge\n\n" + line + "\n\n" + article()
    result = boilercut.clean(text, pipeline=RULES, format="markdown")
    assert result.metadata["authors"] == ["Mara Quell"]
    assert [r.reason for r in result.removals if r.text == line] == ["byline"]


@pytest.mark.parametrize(("line", "names", "how"), [
    ("Posted on May 3, 2017 by Erin Spain - 5 Comments", ("Erin Spain",), "inline"),
    ("Written by by Erin Spain", ("Erin Spain",), "inline"),
    ("Erin Spain • Oct 20, 2025", ("Erin Spain",), "dated"),
    ("spainerin (Erin) May 3, 2024, 8:45am 1", (), ""),    # a handle in lower case is no name
    ("Erinspain (Erin Spain) May 3, 2024, 8:45am 1", ("Erinspain",), "dated"),
    ("Susan December 9, 2024 0 Comments", ("Susan",), "dated"),
    # a label inside the line needs a date or another byline label before it
    ("Photo by Erin Spain", (), ""),
    ("Storia di Roma", (), ""),
    ("Why Acme Saw $3.7M Profit Growth by Improving Their Website", (), ""),
    ("Pixel 6a Battery - Genuine", (), ""),     # "6a" is no date
    ("Updated December 9, 2024", (), ""),
])
def test_byline_candidate_shapes(line, names, how):
    from boilercut.authorship import _names

    doc = Document(line, split_lines(line))
    assert _names(doc.lines[0], None) == (names, how)


@pytest.mark.parametrize(("text", "names"), [
    ("Posted March 3, 2024", ()),
    ("Sun Dec 3 2023", ()),
    ("Sarah July 5, 2024", ("Sarah",)),
    ("Tom May", ("Tom May",)),
    ("Jane Roe Updated 3 hours ago", ("Jane Roe",)),
])
def test_names_stop_where_a_date_starts(text, names):
    from boilercut.filters.byline import names_in

    assert names_in(text) == names


def test_bare_by_takes_the_name_on_the_next_line():
    text = "By\nMara Quell\n\n" + article()
    result = clean(text)
    assert result.metadata["authors"] == ["Mara Quell"]
    assert result.paragraphs == PARAGRAPHS


@pytest.mark.parametrize(("line", "credit"), [
    ("Photo: Reuters", "Reuters"),
    ("Image credit: WeWork", "WeWork"),
    ("Credit...Jane Roe/Riverside Gazette", "Jane Roe/Riverside Gazette"),
    ("Foto: dpa", "dpa"),
    ("(Getty Images)", "Getty Images"),
])
def test_credit_lines(line, credit):
    result = clean(article(middle=[line]))
    assert result.metadata["credits"] == [credit]
    assert result.paragraphs == PARAGRAPHS


KOREAN = [
    "시의회는 월요일 오래된 다리를 봄까지 보수하기 위해 폐쇄하기로 결정했다.",
    "기술자들은 지난달 점검에서 교각 두 곳에 균열을 발견했다고 밝혔다.",
    "운전자들은 북부 순환도로로 우회해야 하며 이동 시간이 약 10분 늘어난다.",
]
JAPANESE = [
    "市議会は月曜日、老朽化した橋を春まで補修のため閉鎖することを決めた。",
    "技術者によると、先月の点検で橋脚二か所にひびが見つかったという。",
    "運転者は北側の環状道路へ迂回する必要があり、所要時間は約十分延びる。",
]


def test_hangul_token_under_a_korean_article_is_body():
    text = article(bottom=["지나쌤"], paragraphs=KOREAN)
    assert outcome(text, "지나쌤") == "kept"


def test_latin_label_inside_a_japanese_article_is_stray():
    text = article(middle=["Kawabe Now"], paragraphs=JAPANESE)
    assert outcome(text, "Kawabe Now") == ("stray", "foreign-script")


def test_document_without_prose_is_left_alone_by_position_rules():
    poem = "Roses\nRed rivers\nSlow boats\n\nWinter\nCold bridge"
    assert clean(poem).body == poem


@pytest.mark.parametrize(("line", "value"), [
    ("Published: March 3, 2021 10:15 am", "March 3, 2021 10:15 am"),
    ("Updated 3 hours ago", "3 hours ago"),
    ("Veröffentlicht am 3. März 2021, 10:15 Uhr", "3. März 2021, 10:15 Uhr"),
    ("Mis à jour le 13 avril 2021 à 07h30", "13 avril 2021 à 07h30"),
    ("Atualizado em 22/05/2024 às 15h32", "22/05/2024 às 15h32"),
    ("입력 2021.03.03 10:15", "2021.03.03 10:15"),
    ("2024년 3월 3일", "2024년 3월 3일"),
    ("3分钟前", "3分钟前"),
    ("更新日：2023年8月6日", "2023年8月6日"),
    ("vor 3 Stunden", "vor 3 Stunden"),
    ("hace 2 días", "hace 2 días"),
    ("il y a 3 heures", "3 heures"),
    ("2 дня назад", "2 дня назад"),
])
def test_date_lines_in_many_languages(line, value):
    result = clean(article(top=[line]))
    assert result.metadata["dates"] == [value]
    assert result.paragraphs == PARAGRAPHS


@pytest.mark.parametrize("line", ["12", "1 of 5 stars", "Monday and Tuesday were quiet here.",
                                  "1.5 Hours", "$15 $20/month", "| Charging time | 1.5 hours |"])
def test_lines_that_are_not_dates(line):
    assert clean(article(middle=[line])).metadata["dates"] == []


@pytest.mark.parametrize("line", ["1.5 Hours", "$15 $20/month", "2 Jahre", "45 minutos"])
def test_a_duration_alone_is_no_date_even_outside_the_article(line):
    assert clean(article(top=[line])).metadata["dates"] == []


POSTS = [
    "I cross the river bridge every morning and the cracks near the east support are easy to see.",
    "The council should have closed it last year, when the first inspection report came out.",
    "Does anyone know whether the ferry will run more often while the repairs are going on?",
    "The ferry timetable will add two early crossings from next week, according to the port.",
    "Good to hear, the ring road is already full before eight on most weekday mornings.",
]


def test_the_dates_of_dated_records_in_the_core_stay_with_them():
    stamps = [f"Jul {day}, 2024" for day in range(18, 23)]
    thread = [part for stamp, post in zip(stamps, POSTS) for part in (stamp, post)]
    page = ["Published: March 3, 2021", *PARAGRAPHS[:2], *thread, "Updated 3 hours ago"]
    result = clean("\n\n".join(page))
    assert [p for p in result.paragraphs if p in stamps] == stamps
    assert result.metadata["dates"] == ["March 3, 2021", "3 hours ago"], "outside the core"
    assert result.published == datetime.date(2021, 3, 3)
    few = clean("\n\n".join(page[:1 + 2 + 8]))
    assert few.metadata["dates"] == ["March 3, 2021", *stamps[:4]], "four are no run of records"


def test_the_bylines_of_signed_records_in_the_core_stay_with_them():
    names = ["Ann Lee", "Bo Park", "Cy Diaz", "Di Moss", "Ed Kahn"]
    signed = [f"Posted by: {name}" for name in names]
    page = ["By Jane Roe", *PARAGRAPHS[:2],
            *(part for sign, post in zip(signed, POSTS) for part in (sign, post))]
    result = clean("\n\n".join(page))
    assert [p for p in result.paragraphs if p in signed] == signed
    assert result.metadata["authors"] == ["Jane Roe"]
    few = clean("\n\n".join(page[:1 + 2 + 8]))
    assert [r.text for r in few.removals if r.reason == "byline"] == ["By Jane Roe", *signed[:4]]


COMMENTS = ["34 Comments", "river_fan says:", "About time they fixed it.", "oldtimer says:",
            "I remember when it opened in 1968, the whole town came out to watch."]


def test_comment_section_leaves_from_its_header_to_the_end():
    result = clean(article(bottom=COMMENTS))
    assert result.paragraphs == PARAGRAPHS
    assert {r.reason for r in result.removals} == {"comments"}


def test_comment_section_without_header_needs_two_says_lines():
    text = article(bottom=COMMENTS[1:3])
    assert outcome(text, "About time they fixed it.") == "kept"
    assert outcome(article(bottom=COMMENTS[1:]), "About time they fixed it.") == ("comments", "comments")


def test_says_lines_before_any_article_are_not_comments():
    lines = ["river_fan says:", "About time.", "oldtimer says:", "Indeed."]
    assert clean("\n\n".join(lines)).removals == []


def test_lead_header_takes_its_headline_list():
    text = article(bottom=["More from Riverside Gazette", "Ferry fares to rise in March",
                           "New tram line opens downtown"])
    result = clean(text)
    assert result.paragraphs == PARAGRAPHS
    assert [r.reason for r in result.removals] == ["recirculation", "related-list", "related-list"]


def test_article_core_does_not_run_across_a_section_break():
    teaser = "The ferry company said on Tuesday that ticket prices would rise by a tenth in spring."
    text = article(bottom=["Related articles", teaser])
    lines = split_lines(text)
    header = next(line for line in lines if line.text == "Related articles")
    kept = [line for line in lines if line is not header]
    assert Document(text, kept).core == (0, len(kept) - 1)
    assert Document(text, kept, breaks={header.index}).core == (0, len(PARAGRAPHS) - 1)


def test_title_copies_leave_and_the_copy_without_site_name_is_the_title():
    text = article(top=["Council closes the old river bridge - Riverside Gazette",
                        "Council closes the old river bridge"])
    result = clean(text, pipeline=Pipeline([Title()]))
    assert result.metadata["title"] == "Council closes the old river bridge"
    assert [r.reason for r in result.removals] == ["title-repeat", "title"]
    assert result.paragraphs == PARAGRAPHS


def test_a_title_found_only_with_its_site_suffix_is_given_without_it():
    text = article(top=["Council closes the old river bridge | Riverside Gazette",
                        "By Mara Quell"])
    result = clean(text)
    assert result.metadata["title"] == "Council closes the old river bridge"
    assert result.metadata["site_name"] == "Riverside Gazette"
    assert result.paragraphs == PARAGRAPHS


@pytest.mark.parametrize("title", ["Git Branching - Branches in a Nutshell",
                                   "Todoist | A To-Do List for Work and Life",
                                   "Jean-Luc - Our Guide"])
def test_a_long_or_leading_part_is_no_site_suffix(title):
    from boilercut.filters.title import _without_site

    assert _without_site(title) == title
    assert _without_site(f"{title} | The Motley Fool") == title


MENU_PAGE = "\n".join(["Bridge repairs begin | Riverside Gazette", "Bridges", "Roads", "Rail lines",
                       "Ferries", "Bridge repairs begin", "By Mara Quell"]) + "\n\n" + "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize("pipeline", [RULES, Pipeline.default()], ids=["rules", "default"])
def test_a_headline_a_menu_rule_took_is_the_title(pipeline):
    # The page title and a short headline stand in the top run of short lines, which
    # the navigation rules take for a menu (breadcrumb, nav-menu); the title filter
    # weighs every line of the pass and takes its headline back from those guesses.
    result = clean(MENU_PAGE, pipeline)
    assert result.metadata["title"] == "Bridge repairs begin"
    assert result.metadata["site_name"] == "Riverside Gazette"
    reasons = {r.text: (r.filter, r.reason) for r in result.removals}
    assert reasons["Bridge repairs begin"] == ("title", "title")
    assert reasons["Bridge repairs begin | Riverside Gazette"] == ("title", "title-repeat")
    assert reasons["Rail lines"] == ("navigation", "nav-menu")
    if pipeline is RULES:
        assert result.paragraphs == PARAGRAPHS
    else:  # the line model weighs each menu entry on its own; the article stays whole
        assert result.paragraphs[-len(PARAGRAPHS):] == PARAGRAPHS


@pytest.mark.parametrize(("reason", "author"), [("nav-menu", ("title", "title")),
                                                ("sponsored", ("custom", "sponsored"))])
def test_the_title_is_taken_from_structural_guesses_only(reason, author):
    """A line a rule removed for what it says (here a custom filter's own reason)
    stays that rule's; one removed for its shape alone may be the headline."""
    def headline_out(doc):
        return [boilercut.drop(line, reason) for line in doc.lines if line.text == "Bridge repairs begin"]

    text = "\n\n".join(["Bridge repairs begin | Riverside Gazette", "Bridge repairs begin", "By Mara Quell",
                        *PARAGRAPHS])
    result = clean(text, pipeline=Pipeline([Byline(), ("custom", headline_out), Title()]))
    assert result.metadata["title"] == "Bridge repairs begin"
    removal = next(r for r in result.removals if r.text == "Bridge repairs begin")
    assert (removal.filter, removal.reason) == author
    assert result.paragraphs == PARAGRAPHS


class _ShapeArbiter:
    """Stands in for the line model: after the title filter, it removes the lines it is
    given with ``reason`` and lets every proposal before it stand."""

    def __init__(self, texts, reason):
        self.texts, self.reason = texts, reason

    def __call__(self, doc):
        return []

    def arbitrate(self, doc, proposals):
        kept = [boilercut.Decision(i, r.reason, r.metadata) for i, r in proposals.items()]
        return kept + [boilercut.drop(line, self.reason) for line in doc.lines
                       if line.text in self.texts and line.index not in proposals]


@pytest.mark.parametrize(("reason", "title"), [("model", "Council closes the old river bridge"),
                                               ("link-list", "Council closes the old river bridge"),
                                               ("sponsored", None)])
def test_the_title_takes_a_headline_the_arbiter_after_it_removed_for_its_shape(reason, title):
    """Two headline-like lines above the article: the title filter takes neither. When
    the arbiter after it removes both for their shape, the scorer's best of them is the
    title (the headline left alone above the article); removed for what they say, neither."""
    top = ["Council closes the old river bridge", "Repairs will take until spring"]
    result = clean(article(top=top), pipeline=Pipeline([Title(), ("shape", _ShapeArbiter(top, reason))]))
    assert result.metadata["title"] == title
    authors = {r.text: (r.filter, r.reason) for r in result.removals}
    assert authors[top[0]] == (("title", "title") if title else ("shape", reason))
    assert authors[top[1]] == ("shape", reason)
    assert result.paragraphs == PARAGRAPHS
    assert clean(article(top=top), pipeline=Pipeline([Title()])).metadata["title"] is None


@pytest.mark.parametrize("headline", ["Should the old river bridge be saved at any cost?",
                                      "The old river bridge is finally closing for good!"])
def test_a_headline_that_reads_as_a_question_or_exclamation_is_the_title(headline):
    # Six words or more ending in "?" or "!" read as a sentence; above the article,
    # repeated from the page title and followed by a byline, it is the headline.
    text = "\n".join([headline, "Bridges", "Roads", "Ferries", headline, "By Mara Quell"]) + "\n\n" + \
        "\n\n".join(PARAGRAPHS)
    result = clean(text)
    assert result.metadata["title"] == headline
    assert headline not in result.body
    assert result.paragraphs == PARAGRAPHS


def test_only_a_short_single_question_or_exclamation_is_a_headline_candidate():
    from boilercut.headline import _asks

    lines = split_lines("\n".join([
        "Should the old river bridge be saved at any cost?",
        "Bridge closes!",
        "The council met on Monday. Will the old river bridge be saved at any cost?",
        "Drivers, shop owners and ferry crews have asked the council the same thing for months "
        "now, and the answer is still not clear: will the old river bridge ever open again?",
        "Should the old river bridge be saved at any cost.",
    ]))
    assert [_asks(line) for line in lines] == [True, True, False, False, False]


def test_a_question_inside_the_article_stays_in_it():
    question = "What will drivers do while the old river bridge is closed?"
    result = clean(article(top=["Council closes the old river bridge", "By Mara Quell"], middle=[question]))
    assert result.metadata["title"] == "Council closes the old river bridge"
    assert question in result.paragraphs


def test_a_breadcrumb_trail_is_not_the_title():
    # The headline scorer rates the trail above the headline here (it stands first,
    # where the page title usually is); only the headline may leave as the title.
    text = "\n".join(["Home > Politics > Local elections", "Council closes the old river bridge",
                      "By Mara Quell", "Published 12 March 2024"]) + "\n\n" + "\n\n".join(PARAGRAPHS)
    result = clean(text)
    assert result.metadata["title"] == "Council closes the old river bridge"
    assert ("navigation", "breadcrumb") in {(r.filter, r.reason) for r in result.removals}


def test_no_title_when_several_headline_like_lines_stand_above_the_article():
    top = ["Council closes the old river bridge", "Repairs will take until spring"]
    result = clean(article(top=top))
    assert result.metadata["title"] is None
    assert result.paragraphs[:2] == top
    assert clean(result.body).removals == []


TEASER = "The ferry company said on Tuesday that ticket prices would rise by a tenth in spring."


def test_page_tail_after_a_recirculation_module_leaves():
    result = clean(article(bottom=["You may also like", "Ferry fares to rise", TEASER]))
    assert result.paragraphs == PARAGRAPHS
    assert [r.reason for r in result.removals] == ["recirculation", "page-tail", "page-tail"]


def test_page_tail_after_the_copyright_line_leaves():
    result = clean(article(bottom=["© 2024 Riverside Gazette", TEASER]))
    assert result.paragraphs == PARAGRAPHS


def test_a_related_box_inside_the_article_does_not_end_it():
    text = article(middle=["Read more", "Ferry fares to rise"])
    assert clean(text).paragraphs == PARAGRAPHS


@pytest.mark.parametrize(("line", "value"), [
    ("Chris Davies - Nov 19, 2019, 10:31 pm CST", "Nov 19, 2019, 10:31 pm CST"),
    ("Monday November 18, 2019 7:45 am PST by Joe Rossignol", "Monday November 18, 2019 7:45 am PST"),
    ("New Delhi, News Bureau | Updated : 19 November 2019, 09:01 AM", "19 November 2019, 09:01 AM"),
])
def test_date_lines_with_byline_or_outlet_segments(line, value):
    result = clean(article(top=[line]))
    assert result.metadata["dates"] == [value]
    assert result.paragraphs == PARAGRAPHS


def test_a_sentence_with_a_date_segment_is_not_a_date_line():
    line = "The council met again - on March 3, 2021 - and nobody came."
    assert outcome(article(middle=[line]), line) == "kept"


def test_tags_header_takes_its_tags():
    result = clean(article(bottom=["Tags:", "Bridges", "Riverside council", "Transport"]))
    assert result.paragraphs == PARAGRAPHS
    assert [r.reason for r in result.removals] == ["tags", "related-list", "related-list", "related-list"]


@pytest.mark.parametrize("line", ["0 shares", "197 Shares", "2.3k views"])
def test_share_counters(line):
    assert outcome(article(top=[line]), line) == ("share", "share-count")


def test_line_ending_in_a_labelled_credit_is_a_caption_anywhere():
    line = "Crews inspect the bridge supports on Monday. Credit...Jane Roe/Riverside Gazette"
    result = clean(article(middle=[line]))
    assert result.metadata["captions"] == [line]
    assert result.metadata["credits"] == ["Jane Roe/Riverside Gazette"]
    assert result.paragraphs == PARAGRAPHS


def test_a_paragraph_ending_in_an_agency_name_in_brackets_is_body():
    line = "The ministry confirmed the closure in a short statement on Tuesday. (Reuters)"
    assert outcome(article(middle=[line]), line) == "kept"


def test_tail_with_running_text_stays():
    # The core went to a block of teasers above; the article below a footer link must stay.
    teasers = [f"Teaser headline number {i} with a long summary that runs on and on about the day "
               f"in the city and its many happenings and the weather and the traffic and the trains"
               for i in range(12)]
    text = "\n\n".join([*teasers, "Contact us", *PARAGRAPHS])
    result = clean(text)
    assert all(p in result.paragraphs for p in PARAGRAPHS)


@pytest.mark.parametrize("line", [
    '<script type="text/javascript" src="/player.js"></script>',
    '&amp;lt;span data-mce-type="bookmark" style="display: inline-block"&amp;gt;',
    '[button link="/submit" type="big"] Send us your review[/button]',
])
def test_leaked_markup_lines(line):
    assert outcome(article(middle=[line]), line) == ("stray", "markup")


def test_prose_mentioning_angle_brackets_is_body():
    line = "The ruling said a speed of < 30 km/h and a load of > 5 tonnes would be allowed on the bridge."
    assert outcome(article(middle=[line]), line) == "kept"


def test_share_on_bar():
    assert outcome(article(bottom=["Share on: Facebook Twitter Reddit"]),
                   "Share on: Facebook Twitter Reddit") == ("share", "share-label")


@pytest.mark.parametrize("line", [
    "Follow Mara Quell on Twitter @mquell",
    "Email Mara at mquell@example.org",
    "Have a tip? Mara Quell may be reached at mquell@example.org.",
])
def test_author_contact_lines(line):
    assert outcome(article(bottom=[line]), line) == ("byline", "author-contact")


def test_author_hint_marks_the_byline_line():
    result = Pipeline.default().run(article(top=["Mara Quell"]), hints={"author": "Mara Quell"})
    assert result.metadata["authors"] == ["Mara Quell"]
    assert result.paragraphs == PARAGRAPHS


def test_repeated_table_header_rows_are_body():
    rows = ["| Pos | Driver | Points |", "| 1 | Ana Ruiz | 120 |", "| Pos | Driver | Points |",
            "| 2 | Tom Lee | 98 |"]
    text = article(middle=["\n".join(rows)])
    assert "\n".join(rows) in clean(text).paragraphs


def test_titles_in_angle_brackets_are_not_markup():
    line = "For those who have yet to watch <The Palace: Tale of Jang Noksu>, what are you waiting for?"
    assert outcome(article(middle=[line, "<the palace: jang noksu>"]), line) == "kept"


@pytest.mark.parametrize("head, labelled", [
    ("Above: Crews inspect the bridge.", True), ("» PICTURED : the bridge", True),
    (": above: the bridge", True), ("Im Bild: die Brücke", True), ("Above:", False),
    ("Above:   ", False), ("Aboveground: x", False), ("The time: now", False),
    ("* [Home](https://x.org/)", False), ("Photo of the day: x", False)])
def test_caption_label_is_the_words_before_the_first_colon(head, labelled):
    from boilercut.filters.captions import has_caption_label

    assert has_caption_label(head) is labelled


# Hard-wrapped paragraphs (a <pre> block, a plain-text mail, text taken with its
# source's line breaks): each is one line, whole, as a reader reads it.
WRAPPED_PARAGRAPHS = [
    " ".join(PARAGRAPHS[:2]) + " The repairs are expected to cost about four million euros in all,"
    " most of it paid from the regional roads budget.",
    " ".join(PARAGRAPHS[2:]) + " The council promised a shuttle bus between the two banks for the"
    " weeks the bridge stays shut.",
]


def wrap(paragraph, width=60):
    """``paragraph`` wrapped greedily at ``width``, as textwrap and mail clients do."""
    import textwrap

    return textwrap.fill(paragraph, width)


@pytest.mark.parametrize("width", [50, 60, 72])
def test_a_hard_wrapped_paragraph_is_one_line(width):
    text = "\n\n".join(["Council closes the old river bridge", *map(partial(wrap, width=width), WRAPPED_PARAGRAPHS)])
    lines = split_lines(text)
    assert [line.text for line in lines] == ["Council closes the old river bridge",
                                             *map(partial(wrap, width=width), WRAPPED_PARAGRAPHS)]
    assert all(text[line.start:line.end] == line.text for line in lines)
    assert [line.number for line in lines] == [1, 3, 3 + lines[1].text.count("\n") + 2]
    assert all(line.is_prose and line.ends_sentence for line in lines[1:])


def test_a_hard_wrapped_article_keeps_every_paragraph_whole():
    # Line by line, a wrapped paragraph is a run of headline-shaped lines: the title
    # filter would take its first line for the headline and menus its others.
    wrapped = [wrap(p) for p in WRAPPED_PARAGRAPHS]
    text = "\n\n".join(["Back To Top", "Council closes the old river bridge", "By Mara Quell", *wrapped])
    for pipeline in (RULES, Pipeline.default()):
        result = clean(text, pipeline)
        assert_contract(text, result)
        assert result.paragraphs == wrapped
        assert result.metadata["title"] == "Council closes the old river bridge"
        assert result.metadata["authors"] == ["Mara Quell"]
        assert clean(result.body, pipeline).body == result.body


@pytest.mark.parametrize("text", [
    # a headline above a byline that opens in lower case: two lines, not a run of three
    "Council votes to close the old river bridge for repairs\nby Mara Quell and Tom Reed",
    # lower-case items of uneven length: no greedy wrap left them so
    "what the inspection found in the supports of the bridge\ncracks in two piers\n"
    "rust on the cables that hold the deck of the bridge\nloose bolts",
    # even items opening in lower case, as greedy wrapping would leave them, but the
    # last does not end a sentence: a list of commands, not a paragraph
    "kubectl create service clusterip\nkubectl create service externalname\n"
    "kubectl create service loadbalancer",
    # links, one per line
    "Sources for this article, with the reports of the engineers\nhttps://example.org/report-one\n"
    "https://example.org/report-two-with-a-much-longer-name",
    # each line ends a sentence or a label
    "The council voted on Monday to close the bridge for repairs.\nthe vote was close, said one member.\n"
    "Closures planned for the winter season on the northern roads:\nmain road, ring road and quay",
    # the lines are parted by a carriage return and a line feed
    wrap(WRAPPED_PARAGRAPHS[0]).replace("\n", "\r\n"),
])
def test_lines_that_are_not_a_hard_wrap_stay_apart(text):
    assert len(split_lines(text)) == len(text.splitlines())


def test_markdown_lines_are_never_joined():
    text = wrap(WRAPPED_PARAGRAPHS[0])
    assert len(split_lines(text, markdown=True)) == text.count("\n") + 1 > len(split_lines(text)) == 1


def test_a_removed_wrapped_paragraph_is_one_removal_and_one_line_of_explain():
    wrapped = [wrap(p) for p in WRAPPED_PARAGRAPHS]
    text = "\n\n".join(wrapped)

    def shuttle(doc):
        return [boilercut.drop(line, "shuttle") for line in doc.lines if "shuttle" in line.text]

    result = clean(text, Pipeline([("custom", shuttle)]))
    assert_contract(text, result)
    (removal,) = result.removals
    assert removal.text == wrapped[1] and removal.line == wrapped[0].count("\n") + 3
    last = removal.line + wrapped[1].count("\n")
    assert result.explain() == f"lines {removal.line}-{last}\tcustom\tshuttle\t{wrapped[1].replace(chr(10), ' ')}"
