"""Site profiles: learning, merging, saving, the cap, and the ``site`` filter that uses them."""

import json

import pytest

from boilercut import Pipeline, clean, learn, learn_sites, site_of
from boilercut.sites import SiteFilter, SiteProfile, SiteProfileError, SiteProfiles, normalise

# The site filter alone: an empty pipeline runs only the filter ``site=`` adds.
ONLY_SITE = Pipeline([])
STORIES = [
    "The council voted on Monday to close the old river bridge for repairs until spring.",
    "A new ferry will run from the harbour in April, the operator said on Tuesday.",
    "Schools in the north of the city reopen next week after the floods.",
    "The museum has bought a painting that was lost for almost two centuries.",
    "Farmers say the dry summer has cut the wheat harvest by a third.",
    "The football club named a former goalkeeper as its new coach on Friday.",
]


def page(n: int, story: str) -> str:
    return (f"Home | News | Sport\nComments ({n * 37 + 5})\n{story}\n"
            f"Engineers found cracks in {n + 2} of its supports last month, officials said.\n"
            "Sign up to our morning newsletter")


PAGES = [page(n, story) for n, story in enumerate(STORIES)]


def test_lines_are_compared_case_folded_digits_masked_whitespace_collapsed():
    assert normalise("Comments (182)") == normalise("comments  (7)")
    assert normalise("Comments (182)") != normalise("Comment (182)")
    profile = learn(["Comments (182)\nBody one.", "COMMENTS (7)\nBody two.", "Other\nBody three."])
    assert profile.documents == 3
    assert profile.count("Comments (44)") == 2
    assert profile.count("Body one.") == 1
    assert profile.count("never seen") == 0


def test_a_line_counts_once_per_document():
    profile = learn(["Share\nText.\nShare\nShare", "Share"])
    assert profile.count("Share") == 2


def test_learning_is_deterministic():
    assert learn(PAGES).to_dict() == learn(PAGES).to_dict()


def test_merging_shards_equals_learning_on_the_whole():
    whole = learn(PAGES)
    merged = learn(PAGES[:2]).merge(learn(PAGES[2:5])).merge(learn(PAGES[5:]))
    assert merged.to_dict() == whole.to_dict()
    sites = learn_sites([("a.example", PAGES[0]), ("b.example", PAGES[1]), ("a.example", PAGES[2])])
    shards = learn_sites([("a.example", PAGES[0]), ("b.example", PAGES[1])]).merge(
        learn_sites([("a.example", PAGES[2]), (None, PAGES[3])]))
    assert shards.to_dict() == sites.to_dict()
    assert list(sites) == ["a.example", "b.example"]
    assert sites.get("a.example").documents == 2


def test_save_and_load_round_trip(tmp_path):
    profiles = learn_sites(("news.example", p) for p in PAGES)
    path = tmp_path / "profiles.json"
    profiles.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("boilercut-site-profiles", 1)
    loaded = SiteProfiles.load(path)
    assert loaded.to_dict() == profiles.to_dict()
    assert loaded.for_url("https://www.news.example/a/b").documents == len(PAGES)


@pytest.mark.parametrize("content, message", [
    ({"format": "boilercut-site-profiles", "version": 2, "sites": {}}, "version 2"),
    ({"format": "something else", "version": 1}, "not a boilercut-site-profiles file"),
    ({"format": "boilercut-site-profiles", "version": 1, "sites": {"a": {}}}, "malformed"),
])
def test_load_refuses_other_files_naming_them(tmp_path, content, message):
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(SiteProfileError, match=message) as excinfo:
        SiteProfiles.load(path)
    assert str(path) in str(excinfo.value)


def test_hand_edits_allow_and_deny_lines(tmp_path):
    path = tmp_path / "profiles.json"
    learn_sites(("news.example", p) for p in PAGES[1:]).save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sites"]["news.example"]["allow"] = ["Sign up to our MORNING newsletter"]
    data["sites"]["news.example"]["deny"] = ["Engineers found cracks in 9 of its supports "
                                             "last month, officials said."]
    path.write_text(json.dumps(data), encoding="utf-8")
    profile = SiteProfiles.load(path).get("news.example")
    result = ONLY_SITE.run(PAGES[0], site=profile)
    assert "Sign up to our morning newsletter" in result.body
    assert "Engineers found cracks" not in result.body
    assert ("Engineers found cracks in 2 of its supports last month, officials said.",
            "denied by the site profile") in [(r.text, r.reason) for r in result.removals]


def test_the_cap_bounds_the_profile_and_its_error():
    capacity, documents = 10, 200
    texts = [f"Menu\nunique line number {'x' * (n % 7)} {chr(97 + n % 26)}{n // 26} here"
             f"\nTags: {chr(97 + n % 5)}" for n in range(documents)]
    exact = learn(texts)
    capped = learn(texts, capacity=10)
    assert len(capped.lines) <= 2 * capacity
    assert set(capped.examples) <= set(capped.lines)
    counted = sum(exact.lines.values())
    assert 0 < capped.error <= counted / (capacity + 1)
    for key, count in capped.lines.items():
        assert exact.lines[key] - capped.error <= count <= exact.lines[key]
    assert capped.count("Menu") >= documents - capped.error
    assert exact.error == 0


def test_a_line_on_at_least_share_of_the_other_pages_goes_with_its_count():
    other = [*PAGES[1:], "Home | News | Sport\nA page with no comments at all, as it happens."]
    profile = learn(other)
    result = ONLY_SITE.run(PAGES[0], site=profile)
    reasons = {r.text: r.reason for r in result.removals}
    assert reasons == {"Home | News | Sport": "seen on 6 of 6 pages of this site",
                       "Comments (5)": "seen on 5 of 6 pages of this site",
                       # prose, but on 5 of 6 pages, above prose_share
                       "Engineers found cracks in 2 of its supports last month, officials said.":
                       "seen on 5 of 6 pages of this site",
                       "Sign up to our morning newsletter": "seen on 5 of 6 pages of this site"}
    assert result.site == "site profile of 6 other pages"
    assert STORIES[0] in result.body
    strict = ONLY_SITE.run(PAGES[0], site=SiteFilter(profile, share=0.9))
    assert [r.text for r in strict.removals] == ["Home | News | Sport"]
    assert ONLY_SITE.run(PAGES[0]).removals == []


def test_a_page_the_profile_learned_from_is_judged_against_the_others():
    result = ONLY_SITE.run(PAGES[0], site=learn(PAGES))
    assert result.site == f"site profile of {len(PAGES) - 1} other pages"
    assert {r.reason for r in result.removals} == {"seen on 5 of 5 pages of this site"}


ARTICLE = [
    "Rescue crews worked through the night to reach the village cut off by the landslide.",
    "The agency said the figures were provisional and could be revised later this year.",
    "Residents were taken to a school gym where volunteers handed out blankets and soup.",
]


def test_a_repeated_prose_line_in_the_core_needs_prose_share():
    stock = ARTICLE[1]
    other = [f"Tags\nStory {n} starts with a long sentence about something else entirely.\n"
             + (f"{stock}\n" if n < 5 else "")
             + f"Story {n} ends with another long sentence about other matters of note."
             for n in range(10)]
    profile = learn(other)
    assert profile.count(stock) == 5
    kept = ONLY_SITE.run("\n".join(ARTICLE), site=profile)
    assert stock in kept.body
    removed = ONLY_SITE.run("\n".join(ARTICLE), site=SiteFilter(profile, prose_share=0.5))
    assert [(r.text, r.reason) for r in removed.removals] == [
        (stock, "seen on 5 of 10 pages of this site")]


def test_too_few_pages_give_no_profile_and_the_result_says_so():
    result = ONLY_SITE.run(PAGES[0], site=learn(PAGES[1:2]))
    assert result.removals == []
    assert result.site == "no site profile: 1 other pages of this site, at least 2 needed"
    assert result.to_dict()["site"] == result.site
    assert "site" not in ONLY_SITE.run(PAGES[0]).to_dict()
    lenient = ONLY_SITE.run(PAGES[0], site=SiteFilter(learn(PAGES[1:2]), min_pages=1))
    assert len(lenient.removals) == 4


def test_clean_with_a_site_profile_end_to_end():
    profile = learn(PAGES[1:])
    plain = clean(PAGES[0])
    result = clean(PAGES[0], site=profile)
    # Without the profile, a template sentence stays (the line model never removes a
    # sentence of the article core on its own); with it, every template line goes as the site's.
    assert "Engineers found cracks in 2 of its supports" in plain.body
    assert result.body == STORIES[0]
    assert {r.filter for r in result.removals} == {"site"}
    assert result.site == "site profile of 5 other pages"


def test_site_of_is_the_host_without_www():
    assert site_of("https://www.News.Example:8080/a?b=1") == "news.example"
    assert site_of("sport.news.example/path") == "sport.news.example"
    assert site_of("") is None and site_of(None) is None and site_of("http://[bad") is None
