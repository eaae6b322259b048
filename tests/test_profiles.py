"""Profiles: options checked when they load, pyproject.toml, and finding the configuration."""

from dataclasses import dataclass
from importlib.metadata import EntryPoint

import pytest

from boilercut import Pipeline, ProfileError, clean

TEXT = "Back To Top\n\nThe council voted on Monday to close the old bridge for repairs."


def load(tmp_path, content, name="p.toml"):
    path = tmp_path / name
    path.write_text(content)
    return Pipeline.from_profile(path)


@pytest.mark.parametrize(("option", "value", "expected", "given"), [
    ("menu_run", '"four"', "a positive whole number", "'four' (a string)"),
    ("menu_run", "-1", "a positive whole number", "-1 (an integer)"),
    ("menu_run", "0", "a positive whole number", "0 (an integer)"),
    ("menu_run", "2.5", "a positive whole number", "2.5 (a float)"),
    ("menu_run", "true", "a positive whole number", "True (a boolean)"),
    ("max_link_units", "[3]", "a positive whole number", "[3] (an array)"),
])
def test_a_wrong_option_type_or_range_fails_when_the_profile_loads(tmp_path, option, value,
                                                                  expected, given):
    with pytest.raises(ProfileError) as info:
        load(tmp_path, f"[options.navigation]\n{option} = {value}\n")
    message = str(info.value)
    assert message == (f"{tmp_path / 'p.toml'}: bad options for filter 'navigation': option "
                       f"{option!r} expects {expected}, got {given}")


def test_every_builtin_numeric_option_is_checked(tmp_path):
    from dataclasses import fields

    from boilercut.filters import BUILTIN_FILTERS

    checked = 0
    for name, cls in BUILTIN_FILTERS.items():
        for field in fields(cls):
            with pytest.raises(ProfileError, match=f"filter '{name}': option '{field.name}'"):
                load(tmp_path, f"[options.{name}]\n{field.name} = -1\n")
            checked += 1
    assert checked >= 12


def test_good_options_still_load_and_clean(tmp_path):
    pipeline = load(tmp_path, "[options.navigation]\nmenu_run = 4\n"
                              "[options.byline]\nmax_units = 20\n")
    assert pipeline.filters[pipeline.names.index("navigation")].menu_run == 4
    assert clean(TEXT, pipeline=pipeline).body.startswith("The council")


def test_an_unknown_option_lists_the_filters_options(tmp_path):
    with pytest.raises(ProfileError, match=r"filter 'navigation': no option 'menu_runs' "
                                           r"\(its options: menu_run, max_link_units\)"):
        load(tmp_path, "[options.navigation]\nmenu_runs = 4\n")


def test_an_unknown_name_in_disable_lists_the_available_filters(tmp_path):
    with pytest.raises(ProfileError) as info:
        load(tmp_path, 'disable = ["stray", "sidebar"]\n')
    message = str(info.value)
    assert "cannot disable 'sidebar': no such filter; available: byline, captions" in message
    # A filter that exists but is not in the profile's own list keeps its message.
    with pytest.raises(ProfileError, match="cannot disable filters not in the pipeline: stray"):
        load(tmp_path, 'filters = ["navigation"]\ndisable = ["stray"]\n')


@dataclass(frozen=True)
class Weighted:
    """A plugin filter with a float, an optional string and a boolean option."""

    name = "weighted"
    threshold: float = 0.5
    weights: str | None = None
    loud: bool = False

    def __call__(self, doc):
        return []


@pytest.fixture
def weighted(monkeypatch):
    plugin = EntryPoint(name="weighted", value=f"{__name__}:Weighted", group="boilercut.filters")
    monkeypatch.setattr("importlib.metadata.entry_points",
                        lambda group: [plugin] if group == "boilercut.filters" else [])


@pytest.mark.parametrize(("options", "message"), [
    ({"threshold": "high"}, "option 'threshold' expects a positive number, got 'high'"),
    ({"threshold": float("nan")}, "option 'threshold' expects a positive number, got nan"),
    ({"weights": 3}, "option 'weights' expects a string or nothing (None), got 3 (an integer)"),
    ({"loud": 1}, "option 'loud' expects true or false, got 1 (an integer)"),
])
def test_plugin_dataclass_options_are_checked_by_their_types(weighted, options, message):
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Pipeline.from_config({"filters": ["weighted"], "options": {"weighted": options}})


def test_plugin_dataclass_takes_good_values(weighted):
    config = {"filters": ["weighted"],
              "options": {"weighted": {"threshold": 1, "weights": "w.json", "loud": True}}}
    assert Pipeline.from_config(config).filters[0] == Weighted(1, "w.json", True)


def test_the_command_line_refuses_a_bad_option_before_cleaning(tmp_path, monkeypatch, capsys):
    from boilercut.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "p.toml").write_text('[options.navigation]\nmenu_run = "four"\n')
    assert main(["a.txt", "--profile", "p.toml"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == ("boilercut: error: p.toml: bad options for filter "
                                    "'navigation': option 'menu_run' expects a positive whole "
                                    "number, got 'four' (a string)")


# --- pyproject.toml and finding the configuration ----------------------------------


def test_a_pyproject_without_a_tool_table_is_the_default_pipeline(tmp_path):
    pipeline = load(tmp_path, '[project]\nname = "x"\n[tool.other]\nx = 1\n', "pyproject.toml")
    assert pipeline.names == Pipeline.default().names
    pipeline = load(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    assert pipeline.names == Pipeline.default().names


def test_find_config_takes_the_nearest_file_upward(tmp_path):
    from boilercut.profiles import find_config

    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) is None
    (tmp_path / "pyproject.toml").write_text('[tool.boilercut]\ndisable = ["stray"]\n')
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "boilercut-user"\n')
    assert find_config(deep) == tmp_path / "pyproject.toml"  # no [tool.boilercut]: passed by
    (tmp_path / "a" / "b" / "boilercut.toml").write_text('disable = ["title"]\n')
    assert find_config(deep) == tmp_path / "a" / "b" / "boilercut.toml"
    (deep / "pyproject.toml").write_text('[tool.boilercut]\n')
    (deep / "boilercut.toml").write_text('')
    assert find_config(deep) == deep / "boilercut.toml"  # boilercut.toml first


def test_a_broken_pyproject_that_names_boilercut_is_reported(tmp_path):
    from boilercut.profiles import find_config

    (tmp_path / "pyproject.toml").write_text("[tool.boilercut\n")
    with pytest.raises(ProfileError, match="pyproject.toml: invalid TOML"):
        find_config(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project\n")  # not ours: not even parsed
    assert find_config(tmp_path) is None


ARTICLE = f"{TEXT}\n\nShare this article\n"
BODY = "The council voted on Monday to close the old bridge for repairs.\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project directory with a [tool.boilercut] table that keeps share labels,
    the command run from a directory below it."""
    from boilercut.cli import main

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.boilercut]\ndisable = ["share", "model"]\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a.txt").write_text(ARTICLE)
    monkeypatch.chdir(sub)
    return main


def test_the_command_line_uses_the_config_it_finds(project, capsys):
    assert project(["a.txt"]) == 0
    assert capsys.readouterr().out == BODY.replace("\n", "\n\nShare this article\n")
    assert project(["a.txt", "--no-config"]) == 0
    assert capsys.readouterr().out == BODY


def test_explain_and_list_filters_name_the_config(project, tmp_path, capsys):
    assert project(["a.txt", "--explain"]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"boilercut: profile: {tmp_path / 'pyproject.toml'}\n==> a.txt <==\n")
    assert project(["--list-filters"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"profile: {tmp_path / 'pyproject.toml'}"
    assert project(["--list-filters", "--no-config"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "profile: none (the built-in pipeline)"
    (tmp_path / "sub" / "mine.toml").write_text("")
    assert project(["--list-filters", "--profile", "mine.toml"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "profile: mine.toml"


def test_a_broken_config_found_is_a_usage_error_naming_it(project, tmp_path, capsys):
    (tmp_path / "sub" / "boilercut.toml").write_text("disable = [\n")
    assert project(["a.txt"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'sub' / 'boilercut.toml'}: invalid TOML" in err
    assert project(["a.txt", "--no-config"]) == 0


def test_a_ranged_option_takes_numbers_in_its_range_only():
    assert Pipeline.from_config({"options": {"model": {"threshold": 0}}}).names[-1] == "model"
    with pytest.raises(ProfileError, match="'threshold' expects a number from 0 to 1, got 1.5"):
        Pipeline.from_config({"options": {"model": {"threshold": 1.5}}})
