"""Site profiles on the command line: ``boilercut learn``, --site-profiles, --learn-sites."""

import json

import pytest

from boilercut.cli import main
from boilercut.sites import SiteProfiles

STORIES = [
    "The council voted on Monday to close the old river bridge for repairs until spring.",
    "A new ferry will run from the harbour in April, the operator said on Tuesday.",
    "Schools in the north of the city reopen next week after the floods.",
    "The museum has bought a painting that was lost for almost two centuries.",
]
TEMPLATE = ("Home | News | Sport", "Sign up to our morning newsletter")


def page(n: int, story: str) -> str:
    return f"{TEMPLATE[0]}\nComments ({n * 37 + 5})\n{story}\n{TEMPLATE[1]}"


@pytest.fixture
def crawl(tmp_path, monkeypatch):
    """A JSON Lines crawl of two sites (a.example: 4 pages, b.example: 1) and the same
    pages of a.example as text files under crawl/a.example/."""
    monkeypatch.chdir(tmp_path)
    records = [{"url": f"https://www.a.example/{n}", "text": page(n, s), "section": "news"}
               for n, s in enumerate(STORIES)]
    records.append({"url": "https://b.example/1", "text": f"Menu\n{STORIES[0]}"})
    (tmp_path / "crawl.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                          encoding="utf-8")
    folder = tmp_path / "crawl" / "a.example"
    folder.mkdir(parents=True)
    for n, story in enumerate(STORIES):
        (folder / f"{n}.txt").write_text(page(n, story), encoding="utf-8")
    return tmp_path


def outputs(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_learn_writes_profiles_by_url_host(crawl, capsys):
    assert main(["learn", "crawl.jsonl", "-o", "profiles.json"]) == 0
    profiles = SiteProfiles.load("profiles.json")
    assert list(profiles) == ["a.example", "b.example"]
    assert profiles.get("a.example").documents == 4
    assert profiles.get("a.example").count("Comments (1)") == 4


def test_learn_groups_by_a_field(crawl):
    assert main(["learn", "crawl.jsonl", "--group-by", "section", "-o", "p.json"]) == 0
    profiles = SiteProfiles.load("p.json")
    assert list(profiles) == ["news"]  # the record without the field has no site
    assert profiles.get("news").documents == 4


def test_learn_show_prints_the_top_repeated_lines_with_counts(crawl, capsys):
    assert main(["learn", "crawl.jsonl", "--show", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["==> a.example: 4 pages <==", "4  Comments (5)", "4  Home | News | Sport",
                   "==> b.example: 1 pages <=="]
    assert not (crawl / "profiles.json").exists()


def test_learn_reports_a_record_over_the_size_cap_and_learns_from_the_rest(crawl, capsys):
    big = {"url": "https://www.a.example/big", "text": "Comments (9)\n" + "word " * 400}
    with open("crawl.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(big) + "\n")
    assert main(["learn", "crawl.jsonl", "--max-record-bytes", "1K", "-o", "p.json"]) == 1
    assert "line 6: over the 1,024-byte limit" in capsys.readouterr().err
    assert SiteProfiles.load("p.json").get("a.example").documents == 4
    assert main(["learn", "crawl.jsonl", "--max-record-bytes", "1K", "--show"]) == 1
    assert main(["learn", "crawl.jsonl", "--max-record-bytes", "lots", "--show"]) == 2


def test_learn_needs_something_to_do(crawl, capsys):
    assert main(["learn", "crawl.jsonl"]) == 2
    assert "give -o FILE, --show, or both" in capsys.readouterr().err


def test_site_profiles_clean_records_of_their_site(crawl, capsys):
    assert main(["learn", "crawl.jsonl", "-o", "profiles.json"]) == 0
    assert main(["--site-profiles", "profiles.json", "crawl.jsonl"]) == 0
    records = outputs(capsys)
    first = records[0]["boilercut"]
    assert first["body"] == STORIES[0]
    assert {(r["filter"], r["reason"], r["text"]) for r in first["removals"]} == {
        ("site", "seen on 3 of 3 pages of this site", text)
        for text in (*TEMPLATE, "Comments (5)")}
    assert first["site"] == "site profile of 3 other pages"
    lone = records[4]["boilercut"]
    assert lone["site"] == "no site profile: 0 other pages of this site, at least 2 needed"
    assert main(["crawl.jsonl"]) == 0
    assert "site" not in outputs(capsys)[0]["boilercut"]


def test_learn_sites_in_one_command_equals_learn_then_clean(crawl, capsys):
    assert main(["learn", "crawl.jsonl", "-o", "profiles.json"]) == 0
    assert main(["--site-profiles", "profiles.json", "crawl.jsonl"]) == 0
    two_commands = capsys.readouterr().out
    assert main(["--learn-sites", "crawl.jsonl"]) == 0
    assert capsys.readouterr().out == two_commands
    assert main(["--learn-sites", "crawl.jsonl", "--jobs", "2"]) == 0
    assert capsys.readouterr().out == two_commands


def test_learn_sites_on_text_files_groups_by_folder(crawl, capsys):
    assert main(["--learn-sites", "crawl", "--format", "json"]) == 0
    results = outputs(capsys)
    assert [r["body"] for r in results] == STORIES
    assert {r["site"] for r in results} == {"site profile of 3 other pages"}
    assert main(["learn", "crawl", "-o", "p.json"]) == 0
    assert list(SiteProfiles.load("p.json")) == ["a.example"]


@pytest.mark.parametrize("argv, message", [
    (["--learn-sites", "-"], "give files, not stdin"),
    (["--site-profiles", "missing.json", "crawl.jsonl"], "missing.json: cannot read site profiles"),
    (["--group-by", "section", "crawl.jsonl"], "--group-by needs --site-profiles or --learn-sites"),
    (["--learn-sites", "--site-profiles", "p.json", "crawl.jsonl"], "do not combine"),
    (["--learn-sites", "--html", "crawl.jsonl"], "text files and JSON Lines only"),
])
def test_usage_errors(crawl, capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_profiles_file_of_another_version_is_a_usage_error(crawl, capsys):
    (crawl / "p.json").write_text('{"format": "boilercut-site-profiles", "version": 9}')
    assert main(["--site-profiles", "p.json", "crawl.jsonl"]) == 2
    assert "p.json: boilercut-site-profiles version 9" in capsys.readouterr().err


def test_site_profiles_clean_a_parquet_file_by_its_url_column(crawl, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    records = [json.loads(line) for line in (crawl / "crawl.jsonl").read_text().splitlines()]
    pq.write_table(pa.Table.from_pylist(records), crawl / "crawl.parquet")
    assert main(["learn", "crawl.jsonl", "-o", "profiles.json"]) == 0
    assert main(["--site-profiles", "profiles.json", "crawl.parquet", "-o", "out.parquet"]) == 0
    rows = pq.read_table(crawl / "out.parquet").to_pylist()
    assert [r["body"] for r in rows[:4]] == STORIES
    assert "seen on 3 of 3 pages of this site" in rows[0]["removals"]
    assert main(["--site-profiles", "profiles.json", "--group-by", "site", "crawl.parquet",
                 "-o", "out2.parquet"]) == 1
    assert "no column 'site' to take the site from" in capsys.readouterr().err
