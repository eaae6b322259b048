"""HTML input: charset decoding, the page's hints to the filters, metadata, clean_html and the CLI.

Decoding, title matching and the page-adapted pipeline need no trafilatura;
the tests that extract from real markup skip without it (``boilercut[html]``).
"""

import codecs
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import boilercut
from boilercut import Pipeline, clean_html
from boilercut.cli import main
from boilercut.html import Extraction, decode_html, declared_charset, page_metadata, title_line
from tests.conftest import needs_trafilatura

DATA = Path(__file__).parent / "data" / "html"
FERRY = DATA / "harbour-ferry.html"
TOUR = DATA / "tour-dates.html"


CAFE = "Café crème, naïve façade — “quoted” déjà vu."


def page(body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>Test page</title></head><body><article>"
            f"{body}</article></body></html>")


# --- bytes to text -------------------------------------------------------------


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252", "ascii", "shift_jis"])
def test_valid_utf8_wins_over_a_wrong_declaration(declared):
    data = page(f"<p>{CAFE}</p>", f'<meta charset="{declared}">').encode("utf-8")
    text, codec = decode_html(data)
    assert CAFE in text and codec == "utf-8"


def test_cp1252_declared_as_utf8_is_detected():
    pytest.importorskip("charset_normalizer")
    data = page(f"<p>{CAFE}</p>" * 20, '<meta charset="utf-8">').encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, codec = decode_html(data)
    assert "\ufffd" not in text
    assert "Café crème" in text and "naïve façade" in text, codec


@pytest.mark.parametrize("text, codec", [
    ("Москва: новый мост откроют весной, сообщили в мэрии города. ", "cp1251"),
    ("東京の新しい橋は春に開通すると市役所が発表しました。", "shift_jis"),
    ("Zażółć gęślą jaźń, powiedział burmistrz miasta w poniedziałek. ", "cp1250"),
    ("서울시는 새 다리가 봄에 개통된다고 밝혔다. ", "euc_kr"),
])
def test_wrong_utf8_declaration_detected_in_other_scripts(text, codec):
    pytest.importorskip("charset_normalizer")
    data = page(f"<p>{text * 5}</p>", '<meta charset="utf-8">').encode(codec)
    decoded, used = decode_html(data)
    assert text in decoded and used == codec


def test_declared_legacy_charset_is_used():
    body = "<p>Москва: новый мост откроют весной, сообщили в мэрии города.</p>" * 5
    for head in ('<meta charset="windows-1251">',
                 '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'):
        text, codec = decode_html(page(body, head).encode("cp1251"))
        assert "новый мост" in text and codec == "cp1251"


def test_transport_charset_is_tried_before_the_page_declaration():
    data = page("<p>Grüße aus Köln</p>", '<meta charset="koi8-r">').encode("iso-8859-1")
    text, _ = decode_html(data, charset="iso-8859-1")
    assert "Grüße aus Köln" in text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks(codec):
    html = page(f"<p>{CAFE}</p>", '<meta charset="utf-16">')
    data = html.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    text, _ = decode_html(data)
    assert text == html


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02\xff\xfe\xfd" * 100, bytes(range(256)) * 8,
                                  b"<meta charset=nonsense-codec>\xff\xfe<p>x</p>",
                                  b'<meta charset="utf-16"><p>\xe9t\xe9</p>'])
def test_never_raises(data):
    text, codec = decode_html(data)
    assert isinstance(text, str) and codecs.lookup(codec)


def test_declared_charset_reads_meta_http_equiv_and_xml():
    assert declared_charset(b'<meta charset="UTF-8">') == "utf-8"
    assert declared_charset(b"<meta content='text/html; charset=euc-kr' http-equiv=content-type>") == "euc_kr"
    assert declared_charset(b'<?xml version="1.0" encoding="ISO-8859-2"?><html>') == "iso8859-2"
    assert declared_charset(b"<meta charset=latin1>") == "cp1252"  # as browsers read it
    assert declared_charset(b"<p>" + b" " * 5000 + b'<meta charset="koi8-r">') is None
    assert declared_charset(b'<meta charset="no-such-codec">') is None


# --- the page title and links as evidence --------------------------------------


def test_title_line_finds_the_page_title_or_a_part_of_it():
    text = "Bridge closes for repairs\n\nThe council voted to close the bridge."
    assert title_line("Bridge closes for repairs | The Gazette", text) == "Bridge closes for repairs"
    assert title_line("The Gazette: Bridge closes for repairs", text) == "Bridge closes for repairs"
    assert title_line("Bridge closes for repairs", text) == "Bridge closes for repairs"
    assert title_line("News | Other story entirely", text) is None
    assert title_line("Gazette | News", "News\n\nGazette") is None  # one-word parts are no title
    assert title_line(None, text) is None


ARTICLE = ("Tour diary\n\nMarket hall reopens after the flood\n\n"
           "The market hall reopened on Saturday after six months of repairs to its flooded cellar.\n\n"
           "Traders said the first weekend drew more visitors than any since the summer fair.\n")


def test_hints_name_the_line_that_is_the_page_title():
    page_meta = {"title": "Town News: Market hall reopens after the flood", "author": "Ann Lee",
                 "sitename": "Town News", "date": "2024-03-04"}
    e = Extraction(ARTICLE, page_meta)
    assert e.hints == {"title": "Market hall reopens after the flood", "author": "Ann Lee",
                       "sitename": "Town News"}
    result = Pipeline.default().run(ARTICLE, hints=e.hints)
    assert result.metadata["title"] == "Market hall reopens after the flood"
    assert "Tour diary" in result.body  # a short first line that is not the page title stays
    # No line is the title: the page title itself is the hint; nothing unknown is passed.
    assert Extraction(ARTICLE, {"title": "Other story"}).hints == {"title": "Other story"}
    assert Extraction("", {}).hints == {}


def test_page_metadata_is_kept_apart_and_sourced():
    text = {"title": "Headline", "authors": [], "dates": ["Published 4 March 2024"]}
    pagemeta = {"title": "Headline | Site", "author": "Ann Lee; Bo Chan", "date": "2024-03-04",
                "sitename": "Site", "language": "en", "url": "https://site.example/a"}
    meta = page_metadata(text, pagemeta)
    assert meta["page"] == pagemeta
    assert meta["merged"] == {"title": "Headline", "authors": ["Ann Lee", "Bo Chan"],
                              "date": "2024-03-04", "sitename": "Site", "language": "en",
                              "url": "https://site.example/a"}
    assert meta["sources"] == {"title": "text", "authors": "page", "date": "page",
                               "sitename": "page", "language": "page", "url": "page"}
    empty = page_metadata({"title": None, "authors": [], "dates": []}, {})
    assert empty["merged"]["authors"] == [] and set(empty["sources"].values()) == {None}


# --- clean_html on real markup ---------------------------------------------------


def assert_text_metadata_from(result, text):
    """The contract of the text-derived fields: each value is text of the extracted text."""
    for name in ("title", "authors", "emails", "captions", "credits", "dates"):
        value = result.metadata[name]
        for item in [value] if isinstance(value, str) else value or []:
            assert item in text, (name, item)


@needs_trafilatura
def test_clean_html_article():
    from boilercut.html import extract

    data = FERRY.read_bytes()
    result = clean_html(data)
    assert result.body.startswith("The harbour ferry returned to service on Monday")
    assert "Regular passengers welcomed the return." in result.body
    for debris in ("Home", "Share this article", "All rights reserved", "You may also like",
                   "Lighthouse keeper retires"):
        assert debris not in result.body
    meta = result.metadata
    assert meta["title"] == "Harbour ferry returns after winter repairs"
    assert meta["page"]["author"] == "Lena Ostrova"
    assert meta["page"]["sitename"] == "The Harbour Gazette"
    assert meta["page"]["date"] == "2024-03-04"
    assert meta["page"]["url"] == "https://gazette.example/news/harbour-ferry"
    assert meta["page"]["encoding"] == "utf-8"
    assert meta["merged"]["authors"] == ["Lena Ostrova"]
    assert meta["sources"]["title"] == "text" and meta["sources"]["date"] == "page"
    text = extract(data).text
    assert_text_metadata_from(result, text)
    for removal in result.removals:  # offsets are into the extracted text
        assert text[removal.start:removal.end] == removal.text
    json.loads(result.to_json())
    assert clean_html(data.decode("utf-8")).body == result.body  # str in, same result


@needs_trafilatura
def test_clean_html_url_and_pipeline():
    result = clean_html(TOUR.read_bytes(), url="https://music.example/lanterns",
                        pipeline=Pipeline.default().without("promotions"))
    assert result.metadata["page"]["url"] == "https://music.example/lanterns"
    assert result.metadata["title"] == "The Lanterns announce a summer tour"
    assert "Related stories" in result.body  # promotions is off
    assert "June 24 – Ulster Hall, Belfast" in result.body
    default = clean_html(TOUR.read_bytes())
    assert "Related stories" not in default.body and "June 9 – Harbour Hall" in default.body


@needs_trafilatura
@pytest.mark.parametrize("html", [b"", "", "   \n", b"\x00\x01\x02\x03" * 500,
                                  b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20,
                                  "<html><body></body></html>", "just some words, no markup",
                                  "<!DOCTYPE html><html><head><title>Only a title</title></head></html>"])
def test_empty_and_garbage_pages_give_an_empty_result(html):
    result = clean_html(html)
    assert result.body == "" and result.paragraphs == [] and result.removals == []
    assert set(result.metadata) >= {"title", "authors", "page", "merged", "sources"}
    json.loads(result.to_json())


@needs_trafilatura
def test_broken_markup_is_cleaned():
    broken = ("<html><head><title>Night bus route extended to the airport</title><body>"
              "<div><div><h1>Night bus route extended to the airport"
              "<p>The night bus will run to the airport from May, the transport authority said "
              "on Tuesday, after a trial that carried twice the expected number of passengers."
              "<p>Share this article</div></span></b>"
              "<p>Tickets bought on the day route will be valid on the extension, and the fare "
              "stays the same for the first year of the new service.</td></tr>")
    result = clean_html(broken.encode("utf-8"))
    assert "The night bus will run to the airport from May" in result.body
    assert "valid on the extension" in result.body
    assert "Share this article" not in result.body


@needs_trafilatura
def test_wrong_charset_declarations_in_clean_html():
    html = FERRY.read_text(encoding="utf-8").replace("Regular passengers", "Café regulars")
    as_latin1 = html.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    result = clean_html(as_latin1.encode("utf-8"))
    assert "Café regulars welcomed the return." in result.body
    assert result.metadata["page"]["encoding"] == "utf-8"
    cp1252 = html.replace("—", "-").replace("©", "(c)").encode("cp1252")
    result = clean_html(cp1252)
    assert "Café regulars welcomed the return." in result.body
    utf16 = clean_html(html.encode("utf-16"))
    assert "Café regulars welcomed the return." in utf16.body
    assert utf16.metadata["page"]["encoding"] == "utf-16-le"


@needs_trafilatura
def test_short_precision_text_falls_back_to_the_default_mode(monkeypatch):
    from lxml import etree

    from boilercut import html

    class Document:  # as much of trafilatura's Document as extract reads
        def __init__(self, text):
            self.body = etree.fromstring(f"<body><p>{text}</p></body>")
            self.title = "A page"

    calls = []

    def bare_extraction(trafilatura, page, url, options):
        calls.append(options["favor_precision"])
        return Document("Reprint notice." if options["favor_precision"] else "Article text. " * 50)

    monkeypatch.setattr(html, "_bare_extraction", bare_extraction)
    e = html.extract("<html><body><p>x</p></body></html>")
    assert calls == [True, False] and e.text.startswith("Article text.")
    assert e.page["title"] == "A page"
    calls.clear()
    assert html.extract("<html></html>", fallback=False).text == "Reprint notice." and calls == [True]


@needs_trafilatura
def test_clean_html_rejects_other_types():
    with pytest.raises(TypeError):
        clean_html(42)


def test_import_boilercut_stays_light():
    code = ("import sys, boilercut; "
            "assert 'trafilatura' not in sys.modules and 'boilercut.html' not in sys.modules; "
            "assert callable(boilercut.clean_html)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_missing_trafilatura_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails
    with pytest.raises(ImportError, match=r"pip install 'boilercut\[html\]'"):
        boilercut.clean_html("<html></html>")
    assert main(["--html", str(FERRY)]) == 2


# --- command line ---------------------------------------------------------------


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@needs_trafilatura
def test_cli_html_file_by_suffix(cwd, capsys):
    (cwd / "ferry.html").write_bytes(FERRY.read_bytes())
    assert main(["ferry.html"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The harbour ferry returned") and "Share this article" not in out


@needs_trafilatura
def test_cli_html_option_json_and_directory(cwd, capsys):
    pages = cwd / "pages"
    pages.mkdir()
    (pages / "ferry.htm").write_bytes(FERRY.read_bytes())
    (pages / "tour.html").write_bytes(TOUR.read_bytes())
    (pages / "notes.txt").write_text("not a page")
    assert main(["--html", "pages", "-o", "out", "--format", "json"]) == 0
    written = sorted(p.name for p in (cwd / "out").iterdir())
    assert written == ["ferry.json", "tour.json"]
    record = json.loads((cwd / "out" / "ferry.json").read_text(encoding="utf-8"))
    assert record["metadata"]["page"]["sitename"] == "The Harbour Gazette"
    assert record["source"] == str(Path("pages") / "ferry.htm")
    assert main(["--html", "pages", "-o", "text"]) == 0
    assert sorted(p.name for p in (cwd / "text").iterdir()) == ["ferry.txt", "tour.txt"]


@needs_trafilatura
def test_cli_html_stdin_utf16_and_binary(cwd, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(FERRY.read_text().encode("utf-16"))))
    assert main(["--html"]) == 0
    assert capsys.readouterr().out.startswith("The harbour ferry returned")
    (cwd / "blob.html").write_bytes(b"\x00\x01" * 100)
    assert main(["blob.html"]) == 1
    assert capsys.readouterr().err.strip() == "boilercut: blob.html: binary file (contains NUL bytes)"


@needs_trafilatura
def test_cli_jsonl_html_field(cwd, capsys):
    lines = [json.dumps({"id": 1, "html": FERRY.read_text(), "url": "https://a.example/1"}),
             json.dumps({"id": 2, "html": 5})]
    (cwd / "pages.jsonl").write_text("\n".join(lines) + "\n")
    assert main(["--jsonl", "--html", "pages.jsonl"]) == 1
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == [1]
    assert records[0]["boilercut"]["body"].startswith("The harbour ferry")
    assert "pages.jsonl:2: field 'html' missing or not a string" in err


def test_cli_usage_errors(capsys):
    assert main(["--warc", "--html", "x.warc"]) == 2
    assert main(["--warc", "--jsonl", "x.warc"]) == 2
