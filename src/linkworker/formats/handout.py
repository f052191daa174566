"""Documents the person keeps, laid out as they need to read them: standard, large print or
easy read, as plain text, Markdown or a printable HTML page.

A :class:`Handout` is a list of blocks (title, headings, paragraphs, items, address-like
line blocks); :meth:`Handout.render` writes it. Large print is a real document: a page in
at least 16 point type (the person's size, as CSS), text wrapped at 40 characters, no
tables, one item a block. Easy read is our own fixed wording (callers pass it with
:func:`say`) and, for text typed by people or read from feeds, one sentence a line with the
words of :data:`PLAIN_WORDS` put plainly: a fixed list, never a rewrite.

Pure: no store. Text is shown literally (no escape codes, no Markdown or HTML read into
what someone typed).
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal

from linkworker.display import escape_markdown, literal

#: Large print wraps plain text here: short lines are easier to follow in big type.
LARGE_PRINT_WIDTH = 40
STANDARD_WIDTH = 72
#: Type sizes of the printable page when the person has no large-print need.
STANDARD_POINTS = 12
EASY_READ_POINTS = 14

HandoutStyle = Literal["text", "markdown", "html"]
STYLES: tuple[HandoutStyle, ...] = ("text", "markdown", "html")


def style_of(path: PurePath) -> HandoutStyle:
    """The style a file name asks for: .html a printable page, .md Markdown, else text."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    return "markdown" if suffix in (".md", ".markdown") else "text"


@dataclass(frozen=True)
class Reading:
    """How the person reads what they are given: large print at a size, easy read, both."""

    large_print: int | None = None
    easy_read: bool = False

    @property
    def standard(self) -> bool:
        return self.large_print is None and not self.easy_read

    @property
    def width(self) -> int:
        return LARGE_PRINT_WIDTH if self.large_print else STANDARD_WIDTH

    @property
    def points(self) -> int:
        if self.large_print:
            return self.large_print
        return EASY_READ_POINTS if self.easy_read else STANDARD_POINTS

    def words(self) -> str:
        """'large print (18 point), easy read', or 'standard print'."""
        parts = []
        if self.large_print:
            parts.append(f"large print ({self.large_print} point)")
        if self.easy_read:
            parts.append("easy read")
        return ", ".join(parts) or "standard print"


STANDARD = Reading()


def say(reading: Reading, standard: str, easy: str) -> str:
    """Our own words for the document: the easy-read wording when the person needs it."""
    return easy if reading.easy_read else standard


#: Words put plainly in easy read (a fixed list: text is never rewritten beyond it).
PLAIN_WORDS: dict[str, str] = {
    "accompanied": "with someone",
    "additional": "more",
    "approximately": "about",
    "assistance": "help",
    "attend": "go to",
    "commence": "start",
    "commences": "starts",
    "complimentary": "free",
    "currently": "now",
    "enquire": "ask",
    "enquiries": "questions",
    "facilitate": "help",
    "facilitated": "run",
    "however": "but",
    "individuals": "people",
    "obtain": "get",
    "participants": "people who come",
    "participate": "take part",
    "prior to": "before",
    "purchase": "buy",
    "refreshments": "drinks and snacks",
    "register": "sign up",
    "require": "need",
    "requires": "needs",
    "residents": "people who live here",
    "sufficient": "enough",
    "utilise": "use",
}
# Longest first, so a phrase wins over a word in it.
_PLAIN = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(PLAIN_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# A sentence ends at . ! ? or ; but not after a number ("1. ", "2.30 pm").
_SENTENCE_END = re.compile(r"(?<=[^0-9][.!?;])\s+")


def _plainly(match: re.Match[str]) -> str:
    found = match.group(0)
    word = PLAIN_WORDS[found.lower()]
    return word[0].upper() + word[1:] if found[0].isupper() else word


def easy_lines(text: str) -> list[str]:
    """Text in easy read: plain words from :data:`PLAIN_WORDS`, one sentence a line."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        plain = _PLAIN.sub(_plainly, paragraph.strip())
        out += [s.strip() for s in _SENTENCE_END.split(plain) if s.strip()]
    return out


@dataclass
class _Block:
    kind: Literal["title", "heading", "subheading", "para", "item", "lines"]
    lines: list[str] = field(default_factory=list)


class Handout:
    """A document for the person, built block by block and written in any style."""

    def __init__(self, reading: Reading = STANDARD) -> None:
        self.reading = reading
        self.blocks: list[_Block] = []

    def title(self, text: str) -> None:
        self.blocks.append(_Block("title", [literal(text)]))

    def heading(self, text: str) -> None:
        self.blocks.append(_Block("heading", [literal(text)]))

    def subheading(self, text: str) -> None:
        self.blocks.append(_Block("subheading", [literal(text)]))

    def para(self, text: str, *, typed: bool = False) -> None:
        """A paragraph; ``typed`` text (a person's or a feed's) is put in easy read if needed.

        Our own wording comes through :func:`say` and keeps its lines as given.
        """
        clean = literal(text, single_line=False).strip()
        lines = easy_lines(clean) if typed and self.reading.easy_read else clean.split("\n")
        self.blocks.append(_Block("para", [line for line in lines if line.strip()] or [""]))

    def item(self, text: str, *, typed: bool = False) -> None:
        """One item of a list: a block of its own."""
        clean = literal(text, single_line=False).strip()
        lines = easy_lines(clean) if typed and self.reading.easy_read else clean.split("\n")
        self.blocks.append(_Block("item", [line for line in lines if line.strip()] or [""]))

    def lines(self, lines: list[str]) -> None:
        """Lines that belong together (an address, a signature), kept one a line."""
        self.blocks.append(_Block("lines", [literal(x) for x in lines]))

    def render(self, style: HandoutStyle) -> str:
        """The document as plain text, Markdown or a printable HTML page."""
        if style == "html":
            return _html(self)
        if style == "markdown":
            return _markdown(self)
        return _text(self)


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,  # web addresses and phone numbers stay whole
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _text(doc: Handout) -> str:
    width = doc.reading.width
    out: list[str] = []
    for block in doc.blocks:
        if block.kind == "title":
            head = block.lines[0].upper()
            out += [*_wrap(head, width), "=" * min(width, len(head))]
        elif block.kind == "heading":
            head = block.lines[0].upper()
            out += [*_wrap(head, width), "-" * min(width, len(head))]
        elif block.kind == "subheading":
            out += _wrap(block.lines[0].upper(), width)
        elif block.kind == "item":
            out += _wrap(block.lines[0], width, "- ", "  ")
            for line in block.lines[1:]:
                out += _wrap(line, width, "  ", "  ")
        else:
            for line in block.lines:
                out += _wrap(line, width)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


#: How each kind of block is written, in Markdown and in HTML: its lines (already escaped)
#: are joined with the separator and put in the template. Two trailing spaces keep each line
#: its own in the printed Markdown page.
_MARKUP: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "title": (("# {}", ""), ("<h1>{}</h1>", "")),
    "heading": (("## {}", ""), ("<h2>{}</h2>", "")),
    "subheading": (("### {}", ""), ("<h3>{}</h3>", "")),
    "item": (("- {}", "  \n  "), ('<p class="item">{}</p>', "<br>")),
    "other": (("{}", "  \n"), ("<p>{}</p>", "<br>")),
}


def _marked_up(doc: Handout, style: Literal["markdown", "html"]) -> list[str]:
    escape = escape_markdown if style == "markdown" else html.escape
    out: list[str] = []
    for block in doc.blocks:
        template, joiner = _MARKUP.get(block.kind, _MARKUP["other"])[style == "html"]
        out.append(template.format(joiner.join(escape(line) for line in block.lines)))
        if style == "markdown":
            out.append("")
    return out


def _markdown(doc: Handout) -> str:
    return "\n".join(_marked_up(doc, "markdown")).rstrip() + "\n"


def _page_style(reading: Reading) -> str:
    return (
        f"body {{ font-family: Arial, Helvetica, sans-serif; font-size: {reading.points}pt; "
        "line-height: 1.5; max-width: 34em; margin: 1em auto; padding: 0 1em; "
        "color: #000; background: #fff; }\n"
        "h1 { font-size: 1.6em; }\n"
        "h2 { font-size: 1.3em; margin-top: 1.4em; }\n"
        "h3 { font-size: 1.1em; margin: 1em 0 0.4em 0; }\n"
        "p { margin: 0 0 0.8em 0; }\n"
        ".item { margin: 0 0 1em 0; padding-left: 0.6em; border-left: 0.3em solid #000; }\n"
        "@media print { body { max-width: none; margin: 0; } .item { break-inside: avoid; } }"
    )


def _html(doc: Handout) -> str:
    title = next((b.lines[0] for b in doc.blocks if b.kind == "title"), "For you")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>\n{_page_style(doc.reading)}\n</style>",
        "</head>",
        "<body>",
        *_marked_up(doc, "html"),
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"
