"""Fuzzing every public entry point, and the regular-expression audit.

Entry points: ``clean`` (dirty text, broken filters), ``clean_file`` (random
bytes, every encoding), ``clean_html`` (random markup and bytes), the batch
functions (``clean_batch``, ``clean_arrow``) and the command line (random files,
JSON Lines with garbage lines). Nothing raises but the documented errors, and
the contract holds (never invents, nothing lost, offsets slice back).

Regex audit: every pattern in ``boilercut/`` belongs to one of the families in
:data:`REGEX_FAMILIES`; each family runs its patterns (``search``, ``match``,
``findall``) and ``clean()`` on pathological inputs in a fresh process (a
pattern stuck in C cannot be interrupted by a signal) with a generous timeout.
What each family is and why it is safe is in the README's robustness section.

The counts the README quotes come from :func:`counts`: ``python -m tests.test_fuzz``.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from boilercut import Decision, FilterError, Pipeline, clean, clean_file, drop
from boilercut.batch import clean_batch
from boilercut.cli import main
from boilercut.encoding import BinaryFileError
from boilercut.result import METADATA_FIELDS
from tests.conftest import ROOT, assert_contract, run_child

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                           HealthCheck.function_scoped_fixture])
#: Examples per property at the default profile (300); they scale with HYPOTHESIS_PROFILE.
#: Entry points that run trafilatura or write files get fewer.
SLOW = 50
PROFILE_SCALE = settings.default.max_examples / 300


def examples(n: int) -> settings:
    return settings(SETTINGS, max_examples=max(1, round(n * PROFILE_SCALE)))

# --- dirty text ------------------------------------------------------------------

ODD = ["\x00", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\ufeff", "\ud800",
       "\udfff", "\u200b", "\u202e", "\x1b[31m", "\t", " ", "\u00a0", "\u3000", "e\u0301",
       "👩‍👩‍👧", "\U0010ffff", "\ufffd"]
SCRIPTS = ["Back To Top", "The council voted on Monday to close the bridge for repairs.",
           "Der Stadtrat hat am Montag beschlossen, die Brücke zu sperren.",
           "市議会は月曜日、橋を春まで閉鎖することを決めた。", "시의회는 월요일 다리를 폐쇄했다.",
           "Городской совет проголосовал в понедельник.", "مجلس المدينة صوت يوم الاثنين.",
           "By Jane Doe", "Photo: Reuters", "Advertisement", "© 2024 Example", "Home", "***"]
PIECE = st.one_of(st.sampled_from(ODD), st.sampled_from(SCRIPTS), st.text(max_size=20))
SEPARATOR = st.sampled_from(["\n", "\n\n", "\r", "\r\n", "\u2028", " ", ""])


@st.composite
def dirty_text(draw):
    """Pieces of odd characters, scripts and random text, joined by odd line ends,
    sometimes with a very long line or many identical lines."""
    pieces = draw(st.lists(st.tuples(PIECE, SEPARATOR), max_size=40))
    text = "".join(p + s for p, s in pieces)
    shape = draw(st.sampled_from(["plain", "long line", "repeated", "repeated block"]))
    if shape == "long line":
        text += draw(st.sampled_from(SCRIPTS)) * draw(st.integers(100, 3000))
    elif shape == "repeated":
        text += (draw(st.sampled_from(SCRIPTS)) + "\n") * draw(st.integers(100, 3000))
    elif shape == "repeated block":
        text = (text + "\n\n") * draw(st.integers(2, 50))
    return text


@examples(150)
@given(dirty_text())
def test_clean_keeps_the_contract_on_dirty_text(text):
    result = clean(text)
    assert_contract(text, result)
    assert result.errors == []
    json.loads(result.to_json())


def _broken(kind):
    def broken(doc):
        if kind == "raise":
            raise RuntimeError("broken")
        if kind == "index":
            return [Decision(len(doc.lines), "x")]
        if kind == "type":
            return [object()]
        return [drop(line, "x") for line in doc.lines] + [drop(doc.lines[0], "again")] if doc.lines else []
    return broken


@examples(100)
@given(dirty_text(), st.sampled_from(["raise", "index", "type", "twice"]), st.integers(0, 9))
def test_broken_filter_anywhere_keeps_everything_or_raises_filter_error(text, kind, at):
    pipeline = Pipeline.default()
    steps = list(pipeline)
    steps.insert(at % (len(steps) + 1), ("broken", _broken(kind)))
    pipeline = Pipeline(steps)
    result = clean(text, pipeline=pipeline, on_error="keep")
    assert_contract(text, result)
    if result.errors:
        assert result.errors[0].filter == "broken" and result.removals == []
        with pytest.raises(FilterError):
            clean(text, pipeline=pipeline)


# --- files -------------------------------------------------------------------------


@examples(SLOW)
@given(st.binary(max_size=2000))
def test_clean_file_on_random_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "f.txt")
        path.write_bytes(data)
        try:
            result = clean_file(path)
        except BinaryFileError:  # NUL bytes near the start: not text, whatever errors says
            assert b"\0" in data[:8192]
            with pytest.raises(BinaryFileError):
                clean_file(path, errors="replace")
            return
        except UnicodeDecodeError:
            result = None
        replaced = clean_file(path, errors="replace")
        assert replaced.body == result.body if result is not None else replaced.errors[0].kind == "decode"


@examples(SLOW)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=500),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-32"]))
def test_clean_file_reads_every_bom_encoding(text, encoding):
    assume(not text.startswith("\ufeff"))
    assume("\0" not in text or "16" in encoding or "32" in encoding)  # else binary
    data = (codecs.BOM_UTF16_BE + text.encode("utf-16-be") if encoding == "utf-16-be-bom"
            else text.encode(encoding))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "f.txt")
        path.write_bytes(data)
        result = clean_file(path)
    assert_contract(text, result)
    assert result.to_dict() == clean(text).to_dict()


# --- HTML ----------------------------------------------------------------------------

TAGS = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<article>", "</article>",
                        "<script>", "</script>", "<!--", "-->", "<![CDATA[", "<title>", "</title>",
                        "<meta charset='utf-16'>", "&amp;", "&#0;", "&#xd800;", "<", ">", "<<p>>"])
HTML = st.lists(st.one_of(TAGS, PIECE), max_size=60).map("".join)


@examples(SLOW)
@given(st.one_of(HTML, HTML.map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=500)))
def test_clean_html_on_random_markup_and_bytes(page):
    pytest.importorskip("trafilatura")
    from boilercut.html import clean_extraction, extract

    extraction = extract(page)
    result = clean_extraction(extraction)
    assert set(result.metadata) >= {"page", "merged", "sources"}
    result.metadata = {name: result.metadata[name] for name in METADATA_FIELDS}  # from the text
    assert_contract(extraction.text, result)


# --- batch ------------------------------------------------------------------------------

VALUE = st.one_of(st.none(), st.integers(), dirty_text(), st.binary(max_size=50),
                  st.lists(st.integers(), max_size=3))
RECORD = st.one_of(st.dictionaries(st.sampled_from(["text", "id", "url", "other"]), VALUE, max_size=4),
                   st.integers(), st.none(), st.text(max_size=5))


@examples(100)
@given(st.lists(RECORD, max_size=8))
def test_clean_batch_on_random_records(records):
    out = clean_batch(records, html_column=None)
    assert len(out) == len(records)
    for record, done in zip(records, out):
        result = done["boilercut"]
        assert ("error" in result) != ("body" in result)
        if isinstance(record, dict) and isinstance(record.get("text"), str):
            assert result["body"] == clean(record["text"]).body


@examples(SLOW)
@given(st.lists(st.one_of(st.none(), dirty_text().map(  # Arrow strings hold no lone surrogates
    lambda s: s.encode("utf-8", "replace").decode("utf-8"))), max_size=6))
def test_clean_arrow_on_random_rows(texts):
    pa = pytest.importorskip("pyarrow")
    from boilercut.batch import clean_arrow

    batch = pa.RecordBatch.from_pydict({"text": pa.array(texts, pa.string())}) if texts else \
        pa.RecordBatch.from_pydict({"text": pa.array([], pa.string())})
    rows = clean_arrow(batch).to_pylist()
    assert len(rows) == len(texts)
    for text, row in zip(texts, rows):
        assert (row["error"] is None) == (text is not None)
        if text is not None:
            assert row["body"] == clean(text).body


# --- the command line ----------------------------------------------------------------------


@examples(SLOW)
@given(st.one_of(st.binary(max_size=1000), dirty_text().map(lambda s: s.encode("utf-8", "surrogatepass"))),
       st.sampled_from([[], ["--format", "json"], ["--errors", "replace"], ["--encoding", "latin-1"]]))
def test_cli_on_random_files(data, options):
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "in.txt").write_bytes(data)
        status = main([str(Path(tmp, "in.txt")), "-o", str(Path(tmp, "out")), "--quiet", *options])
        out = Path(tmp, "out")
        assert status in (0, 1)
        assert out.exists() == (status == 0)
        if status == 0 and "json" in options:
            json.loads(out.read_text(encoding="utf-8"))
        assert sorted(os.listdir(tmp)) == (["in.txt", "out"] if status == 0 else ["in.txt"])


GARBAGE = st.binary(max_size=80).filter(lambda b: b"\n" not in b and b"\0" not in b)


@examples(SLOW)
@given(st.lists(st.one_of(st.tuples(st.just("good"), st.text(max_size=60)),
                          st.tuples(st.just("bad"), GARBAGE)), max_size=15))
def test_cli_jsonl_with_garbage_lines_writes_every_good_record_in_order(lines):
    raw, good, bad = [], [], []
    for number, (kind, value) in enumerate(lines, start=1):
        if kind == "good":
            raw.append(json.dumps({"id": number, "text": value}).encode())
            good.append(number)
        else:
            try:  # garbage that happens to be a good record (or a blank line) is not garbage
                ok = isinstance(json.loads(value)["text"], str)
            except Exception:  # noqa: BLE001
                ok = False
            assume(not ok)
            raw.append(value)
            if value.strip():
                bad.append(number)
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "in.jsonl").write_bytes(b"\n".join(raw))
        status = main(["--jsonl", str(Path(tmp, "in.jsonl")), "-o", str(Path(tmp, "out.jsonl")),
                       "--errors-to", str(Path(tmp, "errors.jsonl")), "--quiet"])
        # JSON Lines end at "\n" only (str.splitlines would also split at "\x85" and "\u2028").
        out = [json.loads(x) for x in Path(tmp, "out.jsonl").read_bytes().split(b"\n") if x]
        errors = [json.loads(x) for x in Path(tmp, "errors.jsonl").read_bytes().split(b"\n") if x]
    assert status == (1 if bad else 0)
    assert [r["id"] for r in out] == good
    assert [e["line"] for e in errors] == bad


# --- regular-expression audit -------------------------------------------------------------

N = 2000  # characters per pathological input: a polynomial blow-up shows, an exponential one hangs
TIMEOUT = 120  # seconds per family (each finishes in about a second)

#: family -> (patterns, as expressions evaluated in the child, pathological inputs as expressions).
REGEX_FAMILIES = {
    "character classes and runs (document, scripts, phrases tokens)": (
        ["document._UNIT", "document._LETTER", "scripts._RUNS", "scripts._OTHER_LETTER",
         "scripts._NON_LATIN_LETTER", "phrases._TOKEN", "phrases._UNSPACED", "navigation._WORDED", "navigation._PUNCTUATION",
         "navigation._HAS_DIGIT", "dates._TOKEN", "dates._DIGIT", "captions._TOKEN", "captions._LEADING_NON_WORD", "captions._COLON",
         "sites._DIGITS", "document._LINE_END", "document._WORD",
         "scripts._LETTER"],
        ["'a' * N", "'漢字' * N", "'aбαא' * N", "'é' * N + '1'", "' ' * N + '!'", "'9' * N + 'x'", "'\\r' * N + 'a'"]),
    "phrase alternations (phrases prefix, contains)": (
        ["matcher('promotions').prefix", "matcher('share').prefix",  # the categories with prefixes
         "matcher('promotions').contains.any_substring", "matcher('footer').contains.any_substring"],
        ["'read more: ' * (N // 11)", "'read more' + ' ' * N", "'read more' + '.' * N",
         "'read ' * (N // 5) + ':'", "'>' * N + 'x'"]),
    "bylines and emails": (
        ["bp.prefixed", "bp.suffixed", "bp.bare_prefix", "bp.role_tail", "bp.inline", "bp.suffix_hint",
         "byline.EMAIL", "byline._NAMES_END", "byline._NAME_SPLIT", "byline._NAME", "byline._CONTACT",
         "byline._EDGES"],
        ["'By ' + 'Jane Van ' * (N // 9) + '!'", "'a' * N + '@'", "'a.' * (N // 2) + '@'",
         "'a@' + 'b.' * (N // 2) + '!'", "'Jane ' * (N // 5) + '1'", "'van ' * (N // 4) + 'x'",
         "'follow ' + 'a ' * (N // 2) + 'x'", "'Jane, ' * (N // 6) + 'and'",
         "'By Jane' + ' ' * N + 'x'", "'By Jane Roe' + ' ' * N + 'editor x'", "'Jane' + ' ,' * N"]),
    "captions and credits": (
        ["cp.parenthesised", "cp.agency_tail", "cp.credit_word", "cp.label_word",
         # labelled: cubic on a run of dots, and only ever given a line's last _TAIL characters
         "regex_tail(cp.labelled)"],
        ["'(' * (N // 2) + 'Photo: AP' + ')' * (N // 2) + 'x'", "'Photo' + '.' * N + 'x'",
         "'Jane/' * (N // 5) + 'x'", "('x' * 39 + ' / ') * (N // 42) + '!'",
         "'It rained. ' * (N // 11) + 'Photo: Reuters x ( '", "'Photo: ' + ' ' * N + 'x'"]),
    "navigation (pagination, breadcrumbs, list items)": (
        ["navigation._pagination()", "navigation._CRUMB_SEPARATOR", "navigation._LIST_ITEM",
         "features._LIST_MARKER", "features._URL"],
        ["'1 2 ' * (N // 4) + 'x'", "'a@' * (N // 2)", "'www.' * (N // 4) + '.co'", "' ' * N + '(a'", "'page ' * (N // 5) + '1 2 ' * 20 + 'x'", "'1 of ' * (N // 5) + 'x'",
         "'1 ' * (N // 2)", "'1' * N + 'x'", "'a > ' * (N // 4) + 'x'", "'1.' * N"]),
    "share, comments, footer, title, dates": (
        ["share._network_bar()[0]", "share._COUNTER", "comments._patterns()[0]", "comments._patterns()[1]",
         "footer._COPYRIGHT_START", "title._SITE_SUFFIX", "dates._SEGMENT_BREAK", "dates._NUMERIC",
         "dates._YEAR"],
        ["'facebook twitter ' * (N // 17) + 'zzz'", "'facebook 1 ' * (N // 11) + '!'",
         "'1' * N + ' sharez'", "'comments ' * (N // 9) + 'x'", "'a ' * (N // 2) + 'says x'",
         "'©' * N + 'x'", "'a | ' * (N // 4) + 'x'", "'a - ' * (N // 4) + 'x'", "'1st ' * (N // 4)",
         "'a' + ' ' * N + '!'"]),
    "markdown (block shapes, inline links, emphasis, detection)": (
        ["markdown._FENCE", "markdown._HEADING", "markdown._SETEXT", "markdown._RULE",
         "markdown._DELIMITER", "markdown._DEFINITION", "markdown._QUOTE", "markdown._ITEM",
         "markdown._HTML_LINE", "markdown._INLINE_HINT", "markdown._INLINE", "markdown._EMPHASIS",
         "markdown._EVIDENCE"],
        ["'[' * N + ']('", "'[a](' * (N // 4)", "'](' + '(' * N", "'![' * (N // 2) + 'x'",
         "'[![a](b' * (N // 7)", "'(a(' * (N // 3)", "'[a](<' * (N // 5)", "'[a](b \"' * (N // 7)",
         "'`' * N + 'x'", "'`a' * (N // 2)", "'<a ' * (N // 3)", "'<!--' * (N // 4)",
         "'*' * N + 'x'", "'_a' * (N // 2)", "'\\\\' * N", "'#' * N + ' x #'", "'# ' + ' #' * (N // 2)",
         "'> ' * (N // 2) + 'x'", "'  * ' * (N // 4) + 'x'", "'-|' * (N // 2) + 'x'",
         "'| -' * (N // 3) + 'x'", "'- ' * (N // 2) + 'x'", "'[a]:' + ' ' * N",
         "'[a](b)\\n' * (N // 7)", "'```\\n' * (N // 4)", "'a|b\\n-|-\\n' * (N // 8)"]),
    "markup (stray tags, HTML charset, title separators)": (
        ["stray._MARKUP", "html._TITLE_SEPARATOR", "html._META_CHARSET", "html._XML_ENCODING",
         "html._HTML_TAG", "html._HTML_LANG", "warc._LOOKS_HTML", "warc._CHARSET", "warc._STATUS"],
        ["'<a ' * (N // 3) + 'x'", "'&amp;lt;a' * (N // 9)", "'[ab ' * (N // 4)", "'<!--' * (N // 4)",
         "'<meta ' * (N // 6) + 'charset'", "'a | ' * (N // 4)", "'charset=' * (N // 8)",
         "'<html ' * (N // 6) + 'x'", "' lang=' * (N // 6) + 'x'", "' lang ' + ' ' * N + '='"]),
    "metadata (author links, headline markup, published dates)": (
        ["authorship._LINK", "authorship._AUTHOR_URL", "authorship._DIGIT", "headline._OPENING_MARKUP",
         "headline._LINK", "headline.SEPARATOR", "headline._HEADING", "headline._SENTENCE_INSIDE", "published._TIME",
         "published._UNIT_DATE", "published._NUMERIC_DATE", "published._WORD"],
        ["'[' * N", "'a ' + ' ' * N + 'x'", "'a  |' * (N // 4)", "' ' * N + '| x'", "'# ' + ' ' * N",
         "'[ab](' * (N // 5)", "'#' * N + 'x'", "'**' * (N // 2) + 'x'", "'1:' * (N // 2)",
         "'2024年' * (N // 5) + '1'", "'1/' * (N // 2) + '1'", "'1-1-' * (N // 4)",
         "'author' * (N // 6)"]),
    "command line (sizes, temporary file names)": (
        ["parsing._SIZE", "output._TEMP"],
        ["'1' * N + 'x'", "' ' * N + '1'", "'1 ' * (N // 2) + 'kib!'", "'.a' * (N // 2) + '.tmp!'",
         "'.1' * (N // 2) + '.x.tmp!'", "'.' * N + '1.tmp'"]),
}

AUDIT_CHILD = """
import regex, sys
from boilercut import (clean, document, features, scripts, phrases, html, warc, markdown, sites,
                       authorship, headline, published)
from boilercut.cli import output, parsing
from boilercut.phrases import matcher
from boilercut.filters import byline, captions, comments, dates, footer, navigation, share, stray, title
from tests.conftest import assert_contract
bp, cp = byline._patterns(), captions._patterns()
N = {n}

class regex_tail:  # what the filter does: only the line's tail reaches the pattern
    def __init__(self, p):
        self.p = p
    def __getattr__(self, name):
        return lambda s: getattr(self.p, name)(s[-captions._TAIL:])

patterns = [{patterns}]
for expr in {inputs!r}:
    s = eval(expr)
    for p in patterns:
        b = s.encode() if isinstance(getattr(p, "pattern", None), bytes) else s
        for method in ("search", "match", "findall"):
            getattr(p, method)(b)
    assert_contract(s, clean(s))
    assert_contract(s, clean(s, format="markdown"))
    text = "Back To Top\\n\\n" + s + "\\n\\nThe council voted on Monday to close the bridge.\\n"
    assert_contract(text, clean(text))
"""


@pytest.mark.parametrize("family", REGEX_FAMILIES)
def test_regex_family_finishes_on_pathological_input(family):
    patterns, inputs = REGEX_FAMILIES[family]
    code = AUDIT_CHILD.format(n=N, patterns=", ".join(patterns), inputs=inputs)
    run_child(code, timeout=TIMEOUT, what=family)


def test_every_compiled_pattern_is_audited():
    """A new ``re.compile``/``regex.compile`` must be added to a family above."""
    import re

    audited = " ".join(p for patterns, _ in REGEX_FAMILIES.values() for p in patterns)
    found = []
    for path in sorted((ROOT / "boilercut").rglob("*.py")):
        if path.name in ("batch.py", "ray.py"):
            continue
        module = path.parent.name if path.name == "__init__.py" else path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*(_?[A-Z_]+)\s*=\s*(?:re|regex)\.compile", line)
            if match:
                found.append((module, match[1]))
    assert found
    missing = [f"{module}.{name}" for module, name in found if f"{module}.{name}" not in audited]
    assert missing == []


# --- what was tried ----------------------------------------------------------------------


def counts() -> dict[str, int]:
    """What this robustness section tries, at the current hypothesis profile."""
    from tests import test_cli_robustness, test_faults

    profile = settings.default.max_examples
    per_test = {name: round(n * PROFILE_SCALE) for name, n in {
        "test_clean_keeps_the_contract_on_dirty_text": 150,
        "test_broken_filter_anywhere_keeps_everything_or_raises_filter_error": 100,
        "test_clean_file_on_random_bytes": SLOW, "test_clean_file_reads_every_bom_encoding": SLOW,
        "test_clean_html_on_random_markup_and_bytes": SLOW, "test_clean_batch_on_random_records": 100,
        "test_clean_arrow_on_random_rows": SLOW, "test_cli_on_random_files": SLOW,
        "test_cli_jsonl_with_garbage_lines_writes_every_good_record_in_order": SLOW,
    }.items()}
    from tests import test_properties
    properties = [name for name in dir(test_properties) if name.startswith("test_")]
    return {
        "fuzzed properties (this module)": len(per_test),
        "generated inputs (this module)": sum(per_test.values()),
        "contract properties (test_properties.py)": len(properties),
        "generated inputs (test_properties.py, at the profile)": len(properties) * profile,
        "regex families": len(REGEX_FAMILIES),
        "patterns audited": sum(len(p) for p, _ in REGEX_FAMILIES.values()),
        "pathological inputs": sum(len(i) for _, i in REGEX_FAMILIES.values()),
        "broken or odd files": len(test_cli_robustness.BROKEN_FILES),
        "bad JSONL line kinds": len(test_cli_robustness.BAD_LINES),
        "broken filters": len(test_faults.BROKEN) + 3,  # + three hanging filters
    }


def test_counts_are_not_trivial():
    found = counts()
    assert found["patterns audited"] >= 40 and found["pathological inputs"] >= 40
    assert found["broken or odd files"] >= 15 and found["broken filters"] >= 15
    assert found["generated inputs (this module)"] >= 500


if __name__ == "__main__":
    for key, value in counts().items():
        print(f"{value:6}  {key}")
