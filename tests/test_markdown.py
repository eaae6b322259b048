"""Markdown input: each line's visible text and markup, detection, constructs kept whole."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boilercut import Pipeline, clean
from boilercut.markdown import detect, inline, read, render
from tests.conftest import assert_contract
from tests.test_properties import PROSE, PROSE_BY_LANGUAGE, SETTINGS, STRONG_DEBRIS

PAGE = """\
[Riverside Courier](/)

  * [News](/news/)
  * [Sport](/sport/)
  * [Weather](/weather/)
  * [Contact](/contact/)

# Council votes to close the old bridge for repairs

  * [Share on Facebook](https://www.facebook.com/sharer.php?u=%2Fbridge)
  * [Share on Twitter](https://twitter.com/intent/tweet?url=%2Fbridge)

By [Jane Roe](/author/jane-roe)

The council voted on Monday to close the old bridge for repairs after engineers found **cracks** in two of its supports.

Repairs will take six months, the [council said](/council/statement), and a ferry will run in the meantime.

The repairs will cost:

  * steel for the new supports, about two million
  * labour, about one million

Item | Cost
---|---
Steel | 2m
Labour | 1m

Residents who use the bridge every day said they would miss the short walk into town during the works.

## Related

  * [Ferry timetable for the summer months](/ferry/timetable)
  * [Why old bridges crack in cold winters](/science/bridges)
  * [Mayor answers questions on the budget](/politics/budget)

[About us](/about/) | [Privacy](/privacy/) | [Terms](/terms/)
"""


@pytest.mark.parametrize("line, visible, kind, level, links, images", [
    ("# Big *news* today", "Big news today", "heading", 1, 0, 0),
    ("  * [Home](/)", "Home", "item", 1, 1, 0),
    ("    * [a \\* b](https://x.org/a_(b) \"T\")", "a * b", "item", 2, 1, 0),
    ("  *     * [ Follow on Facebook ](https://www.facebook.com/x/)", "Follow on Facebook",
     "item", 2, 1, 0),
    ("> quoted **bold** with a [link](/l), snake_case and 2 * 3", "quoted bold with a link, "
     "snake_case and 2 * 3", "quote", 0, 1, 0),
    ("![Alt text](http://i.example/x.png)", "Alt text", "text", 0, 0, 1),
    ("[![Logo](/l.png)](/)", "Logo", "text", 0, 1, 1),
    ("[ref]: http://x.org", "", "definition", 0, 0, 0),
    ("---", "", "rule", 0, 0, 0),
    ("<div class=\"x\">Fish &amp; chips</div>", "Fish & chips", "html", 0, 0, 0),
    ("See <https://x.org> and `code *x*`", "See and code *x*", "text", 0, 1, 0),
])
def test_each_line_reads_as_its_visible_text_and_markup(line, visible, kind, level, links, images):
    (shown, markup), = read(line)
    assert (shown, markup.kind, markup.level, markup.links, markup.images) == (
        visible, kind, level, links, images)


def test_blocks_span_lines():
    text = "Title\n===\nName | Age\n---|---\nJo | 3\n\n```\nx = [a](b)\n\n```\nafter"
    kinds = [(shown, markup.kind, markup.block) for shown, markup in read(text)]
    assert kinds == [("Title", "heading", 0), ("", "rule", 0), ("Name Age", "table-header", 3),
                     ("", "table-delimiter", 3), ("Jo 3", "table", 3), ("", "text", 0),
                     ("", "fence", 7), ("x = [a](b)", "fence", 7), ("", "fence", 7),
                     ("", "fence", 7), ("after", "text", 0)]


def test_link_share_and_targets():
    shown, links, images, link_chars, targets, _ = inline("Read [the report](/r \"R\") now")
    assert (shown, links, link_chars, targets) == ("Read the report now", 1, 9, ("/r",))


@pytest.mark.parametrize("text, verdict", [
    (PAGE, "markdown"), ("The council met.\n\nIt voted [yes](/vote).", "markdown"),
    ("# Comments\n\nThe council met on Monday.\n\n# 3 replies", "text"),
    ("Plain text with [brackets] and (parentheses).", "text"), ("", "text")])
def test_detect(text, verdict):
    assert detect(text) == verdict


def test_markdown_page_is_cleaned_to_its_article_verbatim():
    result = clean(PAGE)
    assert result.format == "markdown"
    assert result.metadata["title"] == "Council votes to close the old bridge for repairs"
    body = result.body.split("\n")
    for line in ("The council voted on Monday to close the old bridge for repairs after engineers "
                 "found **cracks** in two of its supports.",
                 "  * steel for the new supports, about two million", "Item | Cost", "---|---",
                 "Steel | 2m", "Residents who use the bridge every day said they would miss the "
                 "short walk into town during the works."):
        assert line in body
    for debris in ("[Sport](/sport/)", "Share on Facebook", "Ferry timetable", "[Privacy]"):
        assert debris not in result.body
    assert_contract(PAGE, result)


def test_text_renders_what_a_reader_sees():
    result = clean(PAGE)
    assert "found cracks in two" in result.text() and "(/council/statement)" not in result.text()
    assert "the council said, and" in result.text()
    plain = "The council voted on *Monday* to close the old bridge for repairs until spring."
    assert clean(plain).text() == plain


def test_format_override():
    assert clean(PAGE, format="text").format == "text"
    assert clean("Just a line.", format="markdown").format == "markdown"
    with pytest.raises(ValueError, match="format"):
        clean(PAGE, format="html")
    assert clean(PAGE).to_dict()["format"] == "markdown"
    assert "format" not in clean("Just a line.").to_dict()


def test_fence_is_kept_or_removed_whole():
    text = ("The council voted on Monday to close the old bridge for repairs until spring.\n\n"
            "```\nHome\nShare this article\nprint(bridge.status)\n```\n\n"
            "Engineers said the cracks were found during a routine inspection last month.")
    result = clean(text, format="markdown")
    assert "```\nHome\nShare this article\nprint(bridge.status)\n```" in result.body


def test_a_kept_table_row_keeps_the_header_and_delimiter():
    def drop_header(doc):
        from boilercut.result import drop
        return [drop(line, "test") for line in doc.lines if line.markup.kind.startswith("table-")]

    text = "Item | Cost\n---|---\nSteel | 2m"
    result = clean(text, pipeline=Pipeline([drop_header]), format="markdown")
    assert result.body == text and result.removals == []
    assert [r.reason for r in result.overruled] == ["test", "test"]


# Markdown lines as crawlers emit them: menus, share links, images, headings, tables, fences.
MARKDOWN_LINE = st.one_of(
    PROSE, STRONG_DEBRIS, PROSE.map(lambda s: s.replace(" ", " [", 1) + "](/a)"),
    st.sampled_from(["  * [Home](/)", "  * [World](/world/)", "    * [Sport](/sport/)",
                     "  * [Share on Facebook](https://www.facebook.com/sharer.php?u=x)",
                     "![A crack in the bridge](https://img.example/crack.jpg)",
                     "# Bridge closes for repairs", "## Related", "---",
                     "Item | Cost\n---|---\nSteel | 2m\nLabour | 1m",
                     "```\nHome\nprint(1)\n```", "  * the first item of the article's own list",
                     "[About](/about/) | [Privacy](/privacy/)", "[](https://flipboard.com)"]),
    st.text(alphabet="[]()!*_`#|-<> ax\\", max_size=30))
MARKDOWN_DOCS = st.lists(MARKDOWN_LINE, max_size=30).map("\n".join)


def _constructs_whole(text: str, result) -> None:
    """Every fence of ``text`` is in the body whole or not at all; a table with a row in
    the body has its header and delimiter rows there."""
    removed = {r.line for r in result.removals}
    blocks: dict[int, list[tuple[bool, str]]] = {}
    for number, (raw, (_, markup)) in enumerate(zip(text.split("\n"), read(text)), start=1):
        if markup.block and raw.strip():
            blocks.setdefault(markup.block, []).append((number not in removed, markup.kind))
    for members in blocks.values():
        present = [kept for kept, _ in members]
        if members[0][1] == "fence":
            assert all(present) or not any(present), members
        elif any(present):
            assert all(kept for kept, kind in members if kind.startswith("table-")), members


@SETTINGS
@given(MARKDOWN_DOCS)
def test_markdown_keeps_the_contract_its_constructs_and_is_idempotent(text):
    result = clean(text, format="markdown")
    assert_contract(text, result)
    _constructs_whole(text, result)
    again = clean(result.body, format="markdown")
    assert again.body == result.body
    assert again.removals == []


@SETTINGS
@given(MARKDOWN_DOCS)
def test_rendered_text_is_the_visible_text_of_the_body(text):
    result = clean(text)
    shown = result.text()
    assert shown == (render(result.body) if result.format == "markdown" else result.body)


def test_cli_reads_markdown_files_and_jsonl_fields(tmp_path, capsys):
    from boilercut.cli import main

    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    assert main([str(tmp_path / "page.md"), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["format"] == "markdown" and result["body"] == clean(PAGE).body
    assert main([str(tmp_path / "page.md"), "--input-format", "text"]) == 0
    assert capsys.readouterr().out == clean(PAGE, format="text").body + "\n"
    (tmp_path / "crawl.jsonl").write_text(json.dumps({"url": "u", "markdown": PAGE}) + "\n",
                                          encoding="utf-8")
    assert main([str(tmp_path / "crawl.jsonl"), "--field", "markdown"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["boilercut"]["body"] == clean(PAGE).body


def test_cli_input_format_is_for_text_inputs(tmp_path, capsys):
    from boilercut.cli import main

    assert main(["--html", "--input-format", "markdown", str(tmp_path / "x.html")]) == 2
    assert "--input-format" in capsys.readouterr().err


def test_link_lines_go_outside_the_core_and_stay_inside_it():
    sentences = ["The council voted on Monday to close the old bridge for repairs until spring.",
                 "Engineers said the cracks were found during a routine inspection last month.",
                 "A ferry will run every half hour while the bridge is closed to traffic."]
    inside = "[Read the engineers' full report on the cracks found last month.](/report)"
    outside = "[Ferry timetable for the summer months and the bank holidays](/ferry)"
    image = "![The old bridge seen from the river at dawn](/img/bridge.jpg)"
    text = "\n\n".join([outside, image, sentences[0], inside, *sentences[1:], outside])
    result = clean(text)
    assert [(r.line, r.reason) for r in result.removals] == [(1, "link"), (3, "link"),
                                                             (13, "link")]
    assert inside in result.body.split("\n")


def test_a_line_mostly_of_link_text_is_not_prose():
    from boilercut.document import split_lines

    teaser, sentence = split_lines(
        "[Why old bridges crack in cold winters, and what engineers can do about it.](/a)\n"
        "Engineers said [the cracks](/c) were found during a routine inspection last month.",
        markdown=True)
    assert not teaser.is_prose and sentence.is_prose


def test_a_level_one_heading_above_the_article_is_the_title():
    text = ("Local politics and transport\n\n# Council votes to close the old bridge\n\n"
            "## Repairs will take six months\n\n"
            "The council voted on Monday to close the old bridge for repairs until spring.\n\n"
            "Engineers said the cracks were found during a routine inspection last month.")
    result = clean(text, format="markdown")  # no links: auto would read it as text
    assert result.metadata["title"] == "Council votes to close the old bridge"
    assert "## Repairs will take six months" in result.body
    plain = clean(text.replace("# Council", "Council"), format="text")
    assert plain.metadata["title"] is None


def test_share_icons_go_anywhere_and_a_linked_sentence_to_a_network_stays():
    icons = "[](https://www.facebook.com/sharer.php?u=x) [ ](https://x.com/intent/post?u=x)"
    tweet = ("[The mayor said on Twitter that the bridge would reopen in April after the "
             "repairs.](https://twitter.com/mayor/status/1)")
    text = "\n\n".join([
        "The council voted on Monday to close the old bridge for repairs until spring.", icons,
        "Engineers said the cracks were found during a routine inspection last month.", tweet,
        "A ferry will run every half hour while the bridge is closed to traffic."])
    result = clean(text)
    assert [(r.filter, r.reason, r.text) for r in result.removals] == [
        ("share", "share-networks", icons)]
    assert tweet in result.body


def test_a_table_whose_rows_all_go_loses_its_header_too():
    def drop_rows(doc):
        from boilercut.result import drop
        return [drop(line, "test") for line in doc.lines if line.markup.kind == "table"]

    text = "Item | Cost\n---|---\nSteel | 2m"
    result = clean(text, pipeline=Pipeline([drop_rows]), format="markdown")
    assert result.body == "" and [(r.line, r.reason) for r in result.removals] == [
        (1, "test"), (2, "test"), (3, "test")]


def test_a_spec_row_with_a_duration_is_neither_a_date_nor_a_byline():
    specs = "| Spec | Value |\n|---|---|\n| Charging Time | 1.5 Hours |\n| Range | 40 km |"
    prose = PROSE_BY_LANGUAGE["en"]
    text = "\n\n".join(["# Volt 40 scooter review", prose[0], specs, *prose[1:]])
    result = clean(text)
    assert specs in result.body
    assert result.metadata["authors"] == [] and result.metadata["dates"] == []


def test_tables_brought_together_keep_both_headers():
    text = "A | B\n---|---\n1 | 2\nC | D\n---|---\n3 | 4"
    assert [markup.kind for _, markup in read(text)] == [
        "table-header", "table-delimiter", "table", "table-header", "table-delimiter", "table"]


def test_an_image_followed_by_its_caption_is_the_duplicate_caption_case():
    text = ("The council voted on Monday to close the old bridge for repairs until spring.\n\n"
            "![Engineers inspect a crack in the north support](https://img.example/crack.jpg)\n\n"
            "Engineers inspect a crack in the north support (Photo: Jane Roe/Courier)\n\n"
            "Engineers said the cracks were found during a routine inspection last month.\n\n"
            "A ferry will [run every half hour](/ferry) while the bridge is closed to traffic.")
    result = clean(text)
    assert [(r.line, r.reason) for r in result.removals] == [(3, "caption-duplicate"),
                                                             (5, "caption")]
    assert result.metadata["credits"] == ["Photo: Jane Roe/Courier"]


@pytest.mark.parametrize("target, social", [
    ("https://www.facebook.com/sharer.php?u=x", True), ("//twitter.com/intent/tweet", True),
    ("https://m.x.com/intent/post", True), ("mailto:?subject=Bridge", True),
    ("https://dropbox.com/s/x", False), ("https://fox.com/news", False),
    ("/facebook.com/x", False), ("https://example.org/?ref=facebook.com", False)])
def test_social_targets_are_told_by_host(target, social):
    from boilercut.markdown import is_social

    assert is_social(target) is social


@SETTINGS
@given(MARKDOWN_DOCS)
def test_every_line_has_a_known_kind(text):
    from boilercut.markdown import KINDS

    views = read(text)
    assert len(views) == len(text.split("\n"))
    assert {markup.kind for _, markup in views} <= set(KINDS)
