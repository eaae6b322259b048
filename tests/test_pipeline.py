"""The public contract: clean(), Result, Pipeline editing, profiles, plugins, filter errors."""

import json
from importlib.metadata import EntryPoint

import pytest

import boilercut
from boilercut import Decision, FilterError, Pipeline, ProfileError, clean, clean_file, drop, move
from boilercut.filters import DEFAULT_ORDER
from tests.conftest import assert_contract

ARTICLE = (
    "Back To Top\n\n"
    "Council closes the old river bridge\n\n"
    "The city council voted on Monday to close the old river bridge for repairs until spring.\n"
    "Engineers found cracks in two of its supports last month.\n\n"
    "Advertisement\n\n"
    "Drivers will be sent over the northern ring road, which adds about ten minutes to the trip.\n\n"
    "By Mara Quell (mara.quell@example.org)\n"
    "MOST POPULAR\n"
)
BODY = (
    "The city council voted on Monday to close the old river bridge for repairs until spring.\n"
    "Engineers found cracks in two of its supports last month.\n\n"
    "Drivers will be sent over the northern ring road, which adds about ten minutes to the trip."
)


def test_clean_returns_body_metadata_and_removals():
    result = clean(ARTICLE)
    assert result.body == BODY
    assert result.metadata["title"] == "Council closes the old river bridge"
    assert result.metadata["authors"] == ["Mara Quell"]
    assert result.metadata["emails"] == ["mara.quell@example.org"]
    assert set(result.metadata) >= {"title", "authors", "emails", "captions", "credits", "dates"}
    assert [r.reason for r in result.removals] == [
        "nav-phrase", "title", "advertisement", "byline", "nav-phrase"]
    assert_contract(ARTICLE, result)


def test_clean_rejects_bytes_with_a_hint():
    with pytest.raises(TypeError, match="decode"):
        clean(ARTICLE.encode())


def test_explain_has_one_line_per_removal_with_number_filter_reason_text():
    result = clean(ARTICLE)
    lines = result.explain().split("\n")
    assert len(lines) == len(result.removals)
    assert lines[0] == "line 1\tnavigation\tnav-phrase\tBack To Top"
    assert lines[2].startswith("line 8\tpromotions\tadvertisement\t")


def test_to_dict_is_json_serialisable_and_complete():
    data = json.loads(json.dumps(clean(ARTICLE).to_dict()))
    assert data["body"] == BODY
    assert data["removals"][3]["metadata"] == {"authors": ["Mara Quell"],
                                               "emails": ["mara.quell@example.org"]}
    first = data["removals"][0]
    assert ARTICLE[first["start"]:first["end"]] == first["text"] == "Back To Top"


def test_crlf_lines_keep_offsets_and_trim_carriage_returns():
    text = ARTICLE.replace("\n", "\r\n")
    result = clean(text)
    assert result.body == BODY
    assert_contract(text, result)


def test_empty_pipeline_returns_paragraphs_unchanged():
    text = "  first line\nsecond line  \n\n\n\nthird paragraph\n"
    result = clean(text, pipeline=Pipeline([]))
    assert result.body == "  first line\nsecond line\n\nthird paragraph"
    assert result.removals == []


def test_clean_file_reads_utf8_with_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())
    assert clean_file(path).body == BODY


def test_clean_file_refuses_undecodable_bytes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"caf\xe9 au lait")
    with pytest.raises(UnicodeDecodeError):
        clean_file(path)


def test_default_pipeline_names_and_without():
    pipeline = Pipeline.default()
    assert pipeline.names == list(DEFAULT_ORDER)
    lean = pipeline.without("navigation", "model")
    assert "navigation" not in lean.names and len(lean) == len(pipeline) - 2
    result = clean(ARTICLE, pipeline=lean)
    assert result.body.endswith("MOST POPULAR")
    assert all(r.filter != "navigation" for r in result.removals)
    with pytest.raises(ProfileError, match="no filter named 'nope'"):
        pipeline.without("nope")


def test_plain_callable_is_a_filter_and_is_named_by_its_function():
    def shouting(doc):
        return [drop(line, "all-caps") for line in doc.lines if line.text.isupper()]

    pipeline = Pipeline([shouting])
    result = clean("QUIET PLEASE\n\nThe library reopens on Monday after a long renovation.",
                   pipeline=pipeline)
    assert result.body == "The library reopens on Monday after a long renovation."
    assert (result.removals[0].filter, result.removals[0].reason) == ("shouting", "all-caps")


def test_insert_before_and_after():
    def marker(doc):
        return []

    pipeline = Pipeline.default()
    assert pipeline.insert(marker, before="title").names.index("marker") == \
        pipeline.names.index("title")
    assert pipeline.insert(marker, after="title").names.index("marker") == \
        pipeline.names.index("title") + 1
    assert pipeline.insert(marker, name="mine").names[-1] == "mine"
    with pytest.raises(ProfileError, match="duplicate"):
        pipeline.insert(marker).insert(marker)


def test_custom_filter_can_move_text_to_metadata():
    def dateline(doc):
        return [move(line, "dateline", ("dates", line.text[6:])) for line in doc.lines
                if line.text.startswith("Filed ")]

    result = clean("Filed 2 May 2024\n\nThe harbour reopened to ferries after the storm passed.",
                   pipeline=Pipeline([dateline]))
    assert result.metadata["dates"] == ["2 May 2024"]
    assert result.removals[0].metadata == (("dates", "2 May 2024"),)


@pytest.mark.parametrize(("returned", "message"), [
    ([Decision(99, "x")], "does not exist"),
    (["line 0"], "not a Decision"),
    ([Decision(0, "")], "no reason"),
    ([Decision(0, "x"), Decision(0, "y")], "already removed"),
    ([Decision(0, "x", (("title", "made up"),))], "not text of line"),
    ([Decision(0, "x", (("colour", "Hello"),))], "unknown metadata"),
])
def test_invalid_filter_output_names_the_filter(returned, message):
    def broken(doc):
        return returned

    with pytest.raises(FilterError, match=f"filter 'broken'.*{message}") as info:
        clean("Hello there, this is a line.", pipeline=Pipeline([broken]))
    assert info.value.filter == "broken"


def test_raising_filter_is_reported_by_name():
    def explodes(doc):
        raise ZeroDivisionError("boom")

    with pytest.raises(FilterError, match="filter 'explodes': raised ZeroDivisionError: boom"):
        clean("Some text here.", pipeline=Pipeline.default().insert(explodes))


def test_profile_orders_disables_and_configures(tmp_path):
    profile = tmp_path / "profile.toml"
    profile.write_text('disable = ["stray"]\n[options.navigation]\nmenu_run = 5\n')
    pipeline = Pipeline.from_profile(profile)
    assert "stray" not in pipeline.names
    nav = pipeline.filters[pipeline.names.index("navigation")]
    assert nav.menu_run == 5


def test_missing_profile_is_a_profile_error(tmp_path):
    with pytest.raises(ProfileError, match="cannot read profile"):
        Pipeline.from_profile(tmp_path / "absent.toml")


def test_profile_in_pyproject_uses_tool_table(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n[tool.boilercut]\nfilters = ["navigation", "title"]\n')
    assert Pipeline.from_profile(path).names == ["navigation", "title"]


@pytest.mark.parametrize(("content", "message"), [
    ('filters = ["navigation", "nope"]', "unknown filter 'nope'; available: byline"),
    ('[options.navigation]\ncolour = "red"', "bad options for filter 'navigation'"),
    ('disable = ["nope"]', "cannot disable"),
    ('speed = 3', "unknown profile keys: speed"),
    ('filters = [', "invalid TOML"),
    ('filters = 5', "filters must be a list"),
    ('disable = "stray"', "disable must be a list"),
    ('options = 1', "options must be tables"),
    ('tool = 1', "a profile is a table"),
])
def test_bad_profiles_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "p.toml"
    path.write_text(content)
    with pytest.raises(ProfileError, match=message):
        Pipeline.from_profile(path)


class Shouting:
    """Drops lines in capitals."""

    name = "shouting"

    def __init__(self, min_length=1):
        self.min_length = min_length

    def __call__(self, doc):
        return [drop(line, "all-caps") for line in doc.lines
                if line.text.isupper() and len(line.text) >= self.min_length]


def test_plugin_filters_come_from_the_entry_point_group(monkeypatch):
    plugin = EntryPoint(name="shouting", value=f"{__name__}:Shouting", group="boilercut.filters")
    monkeypatch.setattr("importlib.metadata.entry_points",
                        lambda group: [plugin] if group == "boilercut.filters" else [])
    pipeline = Pipeline.from_config({"filters": ["shouting"], "options": {"shouting": {"min_length": 4}}})
    result = clean("OK\n\nSTOP NOW\n\nThe lake froze early this year.", pipeline=pipeline)
    assert result.body == "OK\n\nThe lake froze early this year."
    assert "shouting" in boilercut.pipeline.available_filters()


@pytest.mark.parametrize("module", [boilercut, boilercut.pipeline])
def test_docstring_examples_run(module):
    import doctest

    failures, tried = doctest.testmod(module)
    assert tried and not failures
