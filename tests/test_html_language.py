"""The language a page declares on its <html> tag goes to metadata["page"]["language"]."""

import pytest

from boilercut import clean_html
from boilercut.html import declared_language
from tests.conftest import needs_trafilatura

BODY = ("<body><article><p>The harbour ferry returned to service on Monday after four months "
        "in dry dock, carrying more than two hundred passengers.</p></article></body>")


@pytest.mark.parametrize(("html", "language"), [
    ('<!DOCTYPE html><html lang="en">', "en"),
    ("<html class='no-js' LANG='en-GB'>", "en"),
    ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xml:lang="de-AT">', "de"),
    ("<html lang=fr>", "fr"),
    ("<html data-lang='it'><body lang='es'>", None),  # not a lang attribute of <html>
    ("<HTML>", None),
    ('<html lang="">', None),
    ("<p>no html tag</p>", None),
])
def test_declared_language(html, language):
    assert declared_language(html) == language


@needs_trafilatura
def test_clean_html_takes_the_declared_language():
    result = clean_html(f'<!DOCTYPE html><html lang="en-US"><head><title>Ferry</title></head>{BODY}'
                        "</html>")
    assert result.metadata["page"]["language"] == "en"
    assert result.metadata["merged"]["language"] == "en"
    assert result.metadata["sources"]["language"] == "page"
    undeclared = clean_html(f"<html><head><title>Ferry</title></head>{BODY}</html>")
    assert undeclared.metadata["page"]["language"] is None
