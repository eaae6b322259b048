"""Markdown input: per line, the text a reader sees and the markup around it.

Crawlers built for LLM pipelines hand over the whole page as markdown: menus as
lists of ``[Label](/path)`` links, images as ``![alt](src)``, the headline as a
``#`` heading. The body stays verbatim markdown; the filters judge each line by
its *visible* text (link and image targets, emphasis markers, escapes and HTML
tags gone) and may read its :class:`Markup`: what kind of line it is, how much
of it is link text, which fence or table it belongs to.

A small line-oriented reader of our own, not a parser: markdown-it-py parses
the dev markdown at 0.95 MB/s, about as long as the whole pipeline takes to
clean it, and cleaning needs per-line facts, not an HTML tree. The reader knows CommonMark's
line shapes (ATX and setext headings, list items, block quotes, fences, tables,
thematic breaks, reference definitions) and its inline links, images,
autolinks, code spans, emphasis, escapes and HTML tags. Its patterns are linear
(audited in tests/test_fuzz.py).
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass
from typing import Protocol

import regex

#: Kinds of line (``Markup.kind``). A ``fence`` (its markers and code) is judged
#: whole; a table is its ``table-header``, ``table-delimiter`` and ``table`` rows.
KINDS = ("text", "heading", "item", "quote", "fence", "table-header", "table-delimiter",
         "table", "rule", "definition", "html")
# A line more than half link text is a link, not a sentence with a link in it.
LINK_SHARE = 0.5

_FENCE = regex.compile(r" {0,3}(`{3,}|~{3,})([^`]*)$")
_HEADING = regex.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")
_SETEXT = regex.compile(r" {0,3}(=+|-+)[ \t]*$")
_RULE = regex.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_DELIMITER = regex.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?\|?[ \t]*$")
_DEFINITION = regex.compile(r" {0,3}\[[^\]]{1,999}\]:[ \t]*\S")
_QUOTE = regex.compile(r"(?: {0,3}>[ \t]?)+")
_ITEM = regex.compile(r"([ \t]*)(?:[*+-]|\d{1,9}[.)])(?:[ \t]+|$)")
_HTML_LINE = regex.compile(r"[ \t]*</?[a-zA-Z!]")
# Characters without which a line has no inline markup (most prose lines).
_INLINE_HINT = regex.compile(r"[\[\]<>*_`\\~&!]")
# A link target: ``(url)``, ``(url "title")``, ``(<url with spaces>)``; one level of
# parentheses inside the url ("/wiki/Foo_(bar)").
_TARGET = r"""\((?:[ \t]*<[^<>\n]*>|[ \t]*(?:[^()\s]|\([^()\s]*\))*)(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'))?[ \t]*\)"""
_LABEL = r"(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*"
_INLINE = regex.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    rf"|\[!\[(?P<linked_alt>{_LABEL})\]{_TARGET}\]{_TARGET}"
    rf"|!\[(?P<alt>{_LABEL})\](?:{_TARGET}|\[[^\]]*\])"
    rf"|\[(?P<label>{_LABEL})\](?:{_TARGET}|\[[^\]]*\])"
    r"|<(?P<autolink>[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>"
    r"|(?P<ticks>`+)(?P<code>.+?)(?P=ticks)"
    r"|</?[a-zA-Z][^<>\n]*>|<!--.*?-->")
# Emphasis and strike-through markers that open or close a run (not "2 * 3", not snake_case).
_EMPHASIS = regex.compile(r"(?<![\w\\])(?:\*{1,3}|_{1,3}|~~)(?=\S)|(?<=\S)(?:\*{1,3}|_{1,3}|~~)(?!\w)")
# Escaped characters wait as private-use characters while emphasis markers go.
_HIDE = 0xF0000
_SHOW = {_HIDE + c: chr(c) for c in range(0x21, 0x7F)}
_HIDE_ALL = {c: _HIDE + c for c in range(0x21, 0x7F) if not chr(c).isalnum()}
# Social networks (a host or its subdomains) and share endpoints' schemes.
_SOCIAL_HOSTS = frozenset({
    "facebook.com", "twitter.com", "x.com", "linkedin.com", "instagram.com", "pinterest.com",
    "reddit.com", "whatsapp.com", "wa.me", "t.me", "telegram.me", "youtube.com", "tiktok.com",
    "flipboard.com", "bsky.app", "threads.net", "vk.com", "tumblr.com", "weibo.com", "line.me"})
_SHARE_SCHEMES = ("mailto:", "sms:", "whatsapp:", "tg:", "fb-messenger:")


@dataclass(frozen=True, slots=True)
class Markup:
    """What a markdown line is: its ``kind`` (see :data:`KINDS`), ``level`` (heading
    level 1 to 6, or list depth by indent), its links and images, the visible
    characters inside link text and alt text, and ``block``, the line number that
    opens the fence or table it belongs to (0 outside one)."""

    kind: str = "text"
    level: int = 0
    links: int = 0
    images: int = 0
    link_chars: int = 0
    block: int = 0
    targets: tuple[str, ...] = ()
    #: Visible characters of image alt text.
    alt_chars: int = 0

    def link_share(self, visible: str) -> float:
        """The share of the visible text (spaces aside) that is link text."""
        chars = len(visible) - visible.count(" ")
        return min(1.0, self.link_chars / chars) if chars > 0 else 0.0

    def is_link(self, visible: str) -> bool:
        """Mostly link text (or links that show nothing, icons): a link, not a sentence
        with a link in it."""
        return self.links > 0 and (self.link_share(visible) >= LINK_SHARE or not visible.strip())


TEXT = Markup()


class _HasMarkup(Protocol):
    visible: str
    markup: Markup | None


def inline(text: str) -> tuple[str, int, int, int, tuple[str, ...], int]:
    """The visible text of one line's inline markdown, with its link count, image
    count, visible characters inside links, link targets and alt text's characters."""
    if _INLINE_HINT.search(text) is None:
        return text, 0, 0, 0, (), 0
    links = images = link_chars = alt_chars = 0
    targets: list[str] = []

    def visible(found: regex.Match) -> str:
        nonlocal links, images, link_chars, alt_chars
        kind = found.lastgroup
        if found["escaped"] is not None:
            return chr(_HIDE + ord(found["escaped"]))
        if found["ticks"] is not None:
            return found["code"].translate(_HIDE_ALL)
        if found["linked_alt"] is not None or found["label"] is not None:
            links += 1
            images += found["linked_alt"] is not None
            shown = _INLINE.sub(visible, found["linked_alt"] or found["label"] or "")
            link_chars += len(shown) - shown.count(" ")
            if found["linked_alt"] is not None:
                alt_chars += len(shown) - shown.count(" ")
            targets.append(_target(found[0]))
            return shown
        if found["alt"] is not None:
            images += 1
            shown = _INLINE.sub(visible, found["alt"])
            alt_chars += len(shown) - shown.count(" ")
            return shown
        if kind == "autolink":
            links += 1
            targets.append(found["autolink"])
        return ""

    shown = _EMPHASIS.sub("", _INLINE.sub(visible, text)).translate(_SHOW)
    if "&" in shown:
        shown = html.unescape(shown)
    return " ".join(shown.split()), links, images, link_chars, tuple(targets), alt_chars


def _target(link: str) -> str:
    """The url of a link's last ``(target)``, without title or angle brackets."""
    start = link.rfind("](")
    if start < 0:
        return ""
    inner = link[start + 2:-1].strip()
    if inner.startswith("<"):
        return inner[1:inner.find(">")] if ">" in inner else inner
    return inner.split()[0] if inner else ""


def read(text: str) -> list[tuple[str, Markup]]:
    """Each physical line of ``text`` (split on "\\n") as its visible text and markup.

    Fence lines keep their code as visible text (a reader sees code); fence
    markers, table delimiters, rules, setext underlines and reference definitions
    show nothing."""
    raws = text.split("\n")
    out: list[tuple[str, Markup]] = []
    fence: tuple[str, int, int] | None = None  # marker character, length, opening line
    table = 0  # the header's line number while inside a table
    for number, raw in enumerate(raws, start=1):
        line = raw.rstrip()
        previous_blank = number == 1 or not raws[number - 2].strip()
        if fence is not None:
            closing = _FENCE.match(line)
            closes = (closing is not None and closing[1][0] == fence[0]
                      and len(closing[1]) >= fence[1] and not closing[2].strip())
            out.append(("" if closes else line, Markup("fence", block=fence[2])))
            fence = None if closes else fence
            continue
        if not line.strip():
            out.append(("", TEXT))
            table = 0
            continue
        opening = _FENCE.match(line)
        if opening and not (opening[1][0] == "`" and "`" in opening[2]):
            fence = (opening[1][0], len(opening[1]), number)
            out.append(("", Markup("fence", block=number)))
            continue
        if table and "|" in line:
            if _DELIMITER.match(line):  # a second header: tables that removals brought together
                out[-1] = (out[-1][0], dataclasses.replace(out[-1][1], kind="table-header"))
                out.append(("", Markup("table-delimiter", block=table)))
            else:
                out.append(_row(line, "table", table))
            continue
        table = 0
        if (not previous_blank and "|" in line and "|" in raws[number - 2]
                and out[-1][1].kind not in ("fence", "table-delimiter") and _DELIMITER.match(line)):
            table = number - 1
            out[-1] = _row(raws[number - 2].rstrip(), "table-header", table)
            out.append(("", Markup("table-delimiter", block=table)))
            continue
        underline = _SETEXT.match(line)
        if underline and not previous_blank and out[-1][1].kind == "text" and out[-1][0]:
            out[-1] = (out[-1][0], Markup("heading", 1 if underline[1][0] == "=" else 2,
                                          *_counts(out[-1][1])))
            out.append(("", Markup("rule")))
            continue
        out.append(_block(line))
    return out


def _counts(markup: Markup) -> tuple:
    return markup.links, markup.images, markup.link_chars, 0, markup.targets, markup.alt_chars


def _row(line: str, kind: str, block: int) -> tuple[str, Markup]:
    """A table row: its cells' visible text, space-separated."""
    cells = line.strip().strip("|").split("|")
    parts = [inline(cell) for cell in cells]
    shown = " ".join(p[0].strip() for p in parts if p[0].strip())
    return shown, Markup(kind, 0, sum(p[1] for p in parts), sum(p[2] for p in parts),
                         sum(p[3] for p in parts), block, tuple(t for p in parts for t in p[4]),
                         sum(p[5] for p in parts))


def _block(line: str) -> tuple[str, Markup]:
    """A line outside fences and tables: its block marker read, then its inline markup."""
    if _RULE.match(line):
        return "", Markup("rule")
    if _DEFINITION.match(line):
        return "", Markup("definition")
    kind, level, rest = "text", 0, line
    quote = _QUOTE.match(rest)
    if quote:
        kind, rest = "quote", rest[quote.end():]
    heading = _HEADING.match(rest)
    item = None if heading else _ITEM.match(rest)
    if heading:
        kind, level, rest = "heading", len(heading[1]), heading[2] or ""
    elif item:
        kind, level = "item", len(item[1].expandtabs(4)) // 2
        rest = rest[item.end():]
        nested = _ITEM.match(rest)  # "*     * [Label](/x)": an item opening with an item
        while nested:
            level, rest = level + 1, rest[nested.end():]
            nested = _ITEM.match(rest)
    elif kind == "text" and _HTML_LINE.match(rest):
        kind = "html"
    shown, links, images, link_chars, targets, alt_chars = inline(rest)
    return shown, Markup(kind, level, links, images, link_chars, 0, targets, alt_chars)


def is_item(line: _HasMarkup) -> bool:
    """A list item of the text's own: a markdown item that is not mostly link text
    (a menu entry is a link)."""
    markup = line.markup
    return markup is not None and markup.kind == "item" and not markup.is_link(line.visible)


def is_link_line(line: _HasMarkup) -> bool:
    """A markdown line whose visible text is mostly link text, or images alone."""
    markup = line.markup
    if markup is None or markup.kind == "fence":
        return False
    chars = len(line.visible) - line.visible.count(" ")
    return markup.is_link(line.visible) or (markup.images > 0 and markup.alt_chars >= chars)


def is_social(target: str) -> bool:
    """A link to a social network (its host or a subdomain) or a share scheme (mailto:)."""
    target = target.casefold()
    if target.startswith(_SHARE_SCHEMES):
        return True
    if "//" not in target:
        return False
    host = target.split("//", 1)[1].split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    parts = host.split(".")
    return any(".".join(parts[i:]) in _SOCIAL_HOSTS for i in range(len(parts) - 1))


def is_share_links(line: _HasMarkup) -> bool:
    """Links (or icons) to social networks and nothing else: a share or follow bar."""
    markup = line.markup
    return (markup is not None and bool(markup.targets) and is_link_line(line)
            and all(map(is_social, markup.targets)))


# Markup no plain text scraped from a page holds: an inline link or image, a fence,
# a table delimiter row. Not "# " lines: page texts have them (hashtags, comment counts).
_EVIDENCE = regex.compile(r"\]\([^)\n]*\)|^ {0,3}(?:```|~~~)|^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|",
                          regex.MULTILINE)
#: Pieces of such markup that make a document markdown (fewer in a short document).
EVIDENCE = 3


def detect(text: str) -> str:
    """``"markdown"`` when ``text`` holds :data:`EVIDENCE` pieces of markdown's markup
    (links or images, fences, table delimiter rows; in a text of under 30 lines, one per
    ten lines and at least one), else ``"text"``."""
    if "](" not in text and "```" not in text and "~~~" not in text \
            and "-|" not in text and "|-" not in text and "| -" not in text:
        return "text"
    need = min(EVIDENCE, max(1, text.count("\n") // 10))
    found = 0
    for _ in _EVIDENCE.finditer(text):
        found += 1
        if found >= need:
            return "markdown"
    return "text"


def render(markdown: str) -> str:
    """``markdown`` as the plain text a reader sees: each line's visible text, lines
    that show nothing left out, paragraphs kept."""
    paragraphs, current = [], []
    for raw, (shown, _) in zip(markdown.split("\n"), read(markdown)):
        if shown:
            current.append(shown)
        elif current and not raw.strip():
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def whole_constructs(kept: list, found: list) -> tuple[list, list]:
    """``found`` (pairs of a line and its removal, from one pass over ``kept``) made
    whole, and the removals it leaves out.

    A fence goes whole or not at all: its code is never judged line by line (a
    fence that keeps a line keeps them all). A table that keeps a row keeps its
    header and delimiter rows; one whose rows all go loses them too (with the
    reason of its first row)."""
    going = {id(line): removal for line, removal in found}
    blocks: dict[int, list] = {}
    for line in kept:
        if line.markup is not None and line.markup.block:
            blocks.setdefault(line.markup.block, []).append(line)
    saved: set[int] = set()
    added = []
    for members in blocks.values():
        if members[0].markup.kind == "fence":
            if 0 < sum(id(line) in going for line in members) < len(members):
                saved.update(id(line) for line in members)
            continue
        rows = [line for line in members if line.markup.kind == "table"]
        frame = [line for line in members if line.markup.kind != "table"]
        if any(id(line) not in going for line in rows):
            saved.update(id(line) for line in frame)
        elif rows:
            first = going[id(rows[0])]
            added += [(line, dataclasses.replace(first, text=line.text, start=line.start,
                                                 end=line.end, line=line.number, metadata=(),
                                                 score=None, evidence=()))
                      for line in frame if id(line) not in going]
    if not saved and not added:
        return found, []
    return ([pair for pair in found if id(pair[0]) not in saved] + added,
            [removal for line, removal in found if id(line) in saved])
