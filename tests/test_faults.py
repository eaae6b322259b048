"""Faults in filters: a filter that raises, hangs or returns something invalid.

Each case puts a deliberately broken filter into the default pipeline and checks
both behaviours: ``on_error="raise"`` (the library default) raises a
``FilterError`` naming the filter, and ``on_error="keep"`` returns the document
uncleaned (every non-blank line, no removals) with the fault in ``result.errors``.
The command line keeps by default (exit 1) and stops with ``--strict``.
"""

import json
import signal
import threading
import time

import pytest

from boilercut import Decision, Fault, FilterError, FilterTimeout, Pipeline, clean, drop
from boilercut.cli import main
from tests.conftest import assert_contract

TEXT = ("Back To Top\n\nThe council voted on Monday to close the old bridge for repairs.\n"
        "Engineers found cracks.\n\nAdvertisement\n\nThe mayor said it would reopen in April.\n")
UNCLEANED = ["Back To Top",
             "The council voted on Monday to close the old bridge for repairs.\nEngineers found cracks.",
             "Advertisement", "The mayor said it would reopen in April."]


def raises(doc):
    raise ValueError("boom")


def raises_midway(doc):
    yield drop(doc.lines[0], "first")
    raise KeyError("gone")


def out_of_range(doc):
    return [Decision(len(doc.lines) + 5, "too-far")]


def negative_index(doc):
    return [Decision(-1, "negative")]


def bool_index(doc):
    return [Decision(True, "bool")]


def not_a_decision(doc):
    return [doc.lines[0]]  # a Line, not a Decision


def a_string(doc):
    return "drop everything"


def a_number(doc):
    return 42


def removes_twice(doc):
    line = doc.lines[-1]
    return [drop(line, "once"), drop(line, "twice")]


def no_reason(doc):
    return [Decision(doc.lines[-1].index, "")]


def invented_metadata(doc):
    return [Decision(doc.lines[-1].index, "title", (("title", "Not in the text"),))]


def unknown_metadata_field(doc):
    return [Decision(doc.lines[-1].index, "x", (("colour", "The"),))]


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no str")


def unprintable_error(doc):
    raise Unprintable()


def recursion(doc):
    return recursion(doc)


BROKEN = {
    "raises": (raises, "raised ValueError: boom"),
    "raises_midway": (raises_midway, "raised KeyError: 'gone'"),
    "out_of_range": (out_of_range, "which does not exist"),
    "negative_index": (negative_index, "names line -1, which does not exist"),
    "bool_index": (bool_index, "names line True, which does not exist"),
    "not_a_decision": (not_a_decision, "not a Decision"),
    "a_string": (a_string, "not an iterable of Decisions"),
    "a_number": (a_number, "returned 42, not an iterable of Decisions"),
    "removes_twice": (removes_twice, "already removed"),
    "no_reason": (no_reason, "has no reason"),
    "invented_metadata": (invented_metadata, "is not text of line"),
    "unknown_metadata_field": (unknown_metadata_field, "unknown metadata"),
    "unprintable_error": (unprintable_error, "raised Unprintable: <Unprintable: unprintable"),
    "recursion": (recursion, "raised RecursionError"),
}


def broken_pipeline(fn, name, where="title"):
    return Pipeline.default().insert(fn, name=name, before=where)


@pytest.mark.parametrize("name", BROKEN)
def test_broken_filter_raises_by_default_naming_it(name):
    fn, message = BROKEN[name]
    with pytest.raises(FilterError) as info:
        clean(TEXT, pipeline=broken_pipeline(fn, name))
    assert info.value.filter == name
    assert str(info.value).startswith(f"filter {name!r}: ")
    assert message in str(info.value)


@pytest.mark.parametrize("name", BROKEN)
def test_broken_filter_with_keep_returns_the_document_uncleaned(name):
    fn, message = BROKEN[name]
    result = clean(TEXT, pipeline=broken_pipeline(fn, name), on_error="keep")
    assert result.paragraphs == UNCLEANED
    assert result.removals == []
    assert result.metadata["title"] is None and result.metadata["authors"] == []
    assert_contract(TEXT, result)
    [fault] = result.errors
    assert (fault.kind, fault.filter) == ("filter", name)
    assert message in fault.message and len(fault.message) < 400
    assert result.to_dict()["errors"] == [{"kind": "filter", "message": fault.message, "filter": name}]
    json.loads(result.to_json())


@pytest.mark.parametrize("where", ["byline", "captions"])  # first and last of the default order
def test_a_fault_in_a_later_pass_also_keeps_everything(where):
    calls = []

    def second_pass(doc):
        calls.append(1)
        if len(calls) > 1:
            raise ValueError("second pass")
        return []

    result = clean(TEXT, pipeline=broken_pipeline(second_pass, "late", where), on_error="keep")
    assert len(calls) == 2 and result.paragraphs == UNCLEANED and result.removals == []
    assert result.errors[0].filter == "late"


def test_a_good_document_has_no_errors_and_no_errors_key():
    result = clean(TEXT, on_error="keep", timeout=30)
    assert result.errors == []
    assert "errors" not in result.to_dict()
    assert result.to_dict() == clean(TEXT).to_dict()


@pytest.mark.parametrize("kwargs", [{"on_error": "ignore"}, {"timeout": 0}, {"timeout": -1}])
def test_bad_fault_options_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        clean(TEXT, **kwargs)


# --- time budget ---------------------------------------------------------------


def sleeps(doc):
    time.sleep(5)
    return []


def spins(doc):
    while True:
        pass


def swallows(doc):
    """A filter that catches Exception cannot swallow the budget's interruption."""
    try:
        time.sleep(5)
    except Exception:  # noqa: BLE001
        pass
    return []


@pytest.mark.parametrize("fn", [sleeps, spins, swallows])
def test_hanging_filter_is_stopped_at_the_budget(fn):
    pipeline = broken_pipeline(fn, "hangs")
    start = time.monotonic()
    with pytest.raises(FilterTimeout) as info:
        clean(TEXT, pipeline=pipeline, timeout=0.5)
    assert time.monotonic() - start < 3
    assert info.value.filter == "hangs"
    assert "time budget of 0.5 s" in str(info.value)
    result = clean(TEXT, pipeline=pipeline, timeout=0.3, on_error="keep")
    assert result.paragraphs == UNCLEANED
    assert result.errors == [Fault("timeout", "filter 'hangs': document exceeded the time budget "
                                              "of 0.3 s", "hangs")]


def test_budget_leaves_signal_state_as_it_found_it():
    before = signal.getsignal(signal.SIGALRM)
    clean(TEXT, pipeline=broken_pipeline(sleeps, "hangs"), timeout=0.2, on_error="keep")
    clean(TEXT, timeout=10)
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    time.sleep(0.3)  # a stray alarm would fire here


def test_a_running_timer_is_left_alone_and_the_budget_checked_between_filters():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        def slow(doc):
            time.sleep(0.3)
            return []
        with pytest.raises(FilterTimeout) as info:
            clean(TEXT, pipeline=broken_pipeline(slow, "slow"), timeout=0.1)
        assert info.value.filter == "slow"
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 2.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


def test_outside_the_main_thread_the_budget_is_checked_after_each_filter():
    def slow(doc):
        time.sleep(0.3)
        return []

    outcome = {}

    def work():
        outcome["result"] = clean(TEXT, pipeline=broken_pipeline(slow, "slow"), timeout=0.1,
                                  on_error="keep")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    result = outcome["result"]
    assert result.errors[0].kind == "timeout" and result.errors[0].filter == "slow"
    assert result.paragraphs == UNCLEANED


def test_a_fast_document_within_budget_is_cleaned():
    result = clean(TEXT, timeout=30, on_error="keep")
    assert result.errors == [] and result.removals


# --- the command line ------------------------------------------------------------


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def with_filter(monkeypatch, fn, name):
    default = Pipeline.default()
    monkeypatch.setattr(Pipeline, "default", lambda: default.insert(fn, name=name, before="title"))


def picky(doc):
    """Fails on documents that mention EXPLODE."""
    if "EXPLODE" in doc.text:
        raise ValueError("boom")
    return []


def test_cli_keeps_a_faulty_document_uncleaned_in_json_and_exits_1(cwd, capsys, monkeypatch):
    with_filter(monkeypatch, picky, "picky")
    (cwd / "a.txt").write_text("EXPLODE\n\n" + TEXT)
    (cwd / "b.txt").write_text(TEXT)
    assert main(["a.txt", "b.txt", "--format", "json", "--quiet"]) == 1
    out, err = capsys.readouterr()
    a, b = map(json.loads, out.splitlines())
    assert a["body"] == "\n\n".join(["EXPLODE", *UNCLEANED]) and a["removals"] == []
    assert a["errors"] == [{"kind": "filter", "filter": "picky",
                            "message": "filter 'picky': raised ValueError: boom"}]
    assert "errors" not in b and b["removals"]
    assert err == "boilercut: a.txt: filter 'picky': raised ValueError: boom\n"


def test_cli_strict_stops_the_run_at_the_failing_filter(cwd, capsys, monkeypatch):
    with_filter(monkeypatch, picky, "picky")
    (cwd / "in").mkdir()
    (cwd / "in/1.txt").write_text(TEXT)
    (cwd / "in/2.txt").write_text("EXPLODE\n\n" + TEXT)
    (cwd / "in/3.txt").write_text(TEXT)
    assert main(["in", "-o", "out", "--strict", "--quiet"]) == 1
    assert sorted(p.name for p in (cwd / "out").iterdir()) == ["1.txt"]
    assert capsys.readouterr().err == (
        "boilercut: in/2.txt: filter 'picky': raised ValueError: boom; stopping (--strict)\n")


def test_cli_jsonl_fault_names_the_line_and_keeps_the_record(cwd, capsys, monkeypatch):
    with_filter(monkeypatch, picky, "picky")
    lines = [{"id": 1, "text": TEXT}, {"id": 2, "text": "EXPLODE\n" + TEXT}, {"id": 3, "text": TEXT}]
    (cwd / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    assert main(["--jsonl", "in.jsonl", "-o", "out.jsonl", "--errors-to", "errors.jsonl"]) == 1
    out = [json.loads(line) for line in (cwd / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in out] == [1, 2, 3]
    assert out[1]["boilercut"]["removals"] == [] and out[1]["boilercut"]["errors"][0]["filter"] == "picky"
    assert "errors" not in out[0]["boilercut"]
    assert capsys.readouterr().err.splitlines()[0] == (
        "boilercut: in.jsonl:2: filter 'picky': raised ValueError: boom")
    [record] = [json.loads(line) for line in (cwd / "errors.jsonl").read_text().splitlines()]
    assert record == {"source": "in.jsonl", "line": 2, "kind": "filter", "filter": "picky",
                      "error": "filter 'picky': raised ValueError: boom"}


def test_cli_timeout_per_doc_stops_a_hanging_filter(cwd, capsys, monkeypatch):
    def hangs_on_explode(doc):
        if "EXPLODE" in doc.text:
            time.sleep(5)
        return []

    with_filter(monkeypatch, hangs_on_explode, "hangs")
    (cwd / "a.txt").write_text("EXPLODE\n\n" + TEXT)
    (cwd / "b.txt").write_text(TEXT)
    start = time.monotonic()
    assert main(["a.txt", "b.txt", "--timeout-per-doc", "0.5", "--quiet"]) == 1
    assert time.monotonic() - start < 4
    out, err = capsys.readouterr()
    assert out.startswith("==> a.txt <==\nEXPLODE\n\nBack To Top\n\n")
    assert err == "boilercut: a.txt: filter 'hangs': document exceeded the time budget of 0.5 s\n"


@pytest.mark.parametrize("value", ["0", "-2", "soon"])
def test_cli_rejects_a_bad_timeout(cwd, capsys, value):
    (cwd / "a.txt").write_text(TEXT)
    assert main(["a.txt", "--timeout-per-doc", value]) == 2


def test_clean_html_keeps_a_faulty_page(monkeypatch):
    pytest.importorskip("trafilatura")
    from boilercut import clean_html

    html = f"<html><body><article><p>{UNCLEANED[1]}</p><p>{UNCLEANED[3]}</p></article></body></html>"
    pipeline = broken_pipeline(raises, "raises")
    with pytest.raises(FilterError):
        clean_html(html, pipeline=pipeline)
    result = clean_html(html, pipeline=pipeline, on_error="keep")
    assert result.errors[0].filter == "raises" and result.removals == []
    assert "page" in result.metadata
