"""Pages read as a person reads them: parsed HTML (BeautifulSoup on Python's html.parser)
instead of markup matched as text, so that a test names what a user sees — the text of a
table cell, where a link goes, which option is selected — and survives a template that
adds a class or breaks a line.

    page = parse(response)
    the(page, '#portfolio-heatmap tr[data-unit="north"]')  # exactly one element, or fail
    cells(row) == ["North", "2.50", ...]; text(element); page.select(css); tag["href"]

Match raw markup only where the markup itself is the point: escaping (`&lt;script&gt;`
present, `<script>` absent) and the bytes a script reads (json_script's escapes)."""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag

# Elements a browser lays out as blocks: their text never runs into the text before them.
BLOCKS = {"div", "p", "li", "br", "ul", "ol", "table", "tr", "td", "th", "section", "summary"}


def parse(content) -> BeautifulSoup:
    """A page from a test client response, bytes or text."""
    content = getattr(content, "content", content)
    if isinstance(content, bytes):
        content = content.decode()
    return BeautifulSoup(content, "html.parser")


def the(page: BeautifulSoup | Tag, selector: str) -> Tag:
    """The one element the CSS `selector` picks: fails when it picks none, or several."""
    found = page.select(selector)
    assert len(found) == 1, f"{selector!r} picks {len(found)} elements, not one"
    return found[0]


def text(element: BeautifulSoup | Tag) -> str:
    """What a reader sees of `element`: its text, whitespace collapsed to single spaces."""
    parts = []
    for piece in element.descendants:
        if type(piece) is NavigableString:  # not a comment, nor a script's source
            parts.append(str(piece))
        elif isinstance(piece, Tag) and piece.name in BLOCKS:
            parts.append(" ")
    return " ".join("".join(parts).split())


def cells(row: Tag) -> list[str]:
    """The text of each header and data cell of a table row, in order."""
    return [text(cell) for cell in row.find_all(["th", "td"], recursive=False)]


def rows(table: Tag) -> list[list[str]]:
    """Every row of a table (head and body) as its cells' text."""
    return [cells(row) for row in table.find_all("tr")]
