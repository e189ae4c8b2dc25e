"""Question help as the published models write it: Markdown (DSOMM's and SAMM's lists,
emphasis and links), rendered safely — raw HTML is escaped, never passed through, links
other than http(s) and mailto are not links, and images are not fetched."""

import functools

from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()

# CommonMark with `html` off: "<img onerror=…>" in a framework file shows as text. A
# newline is a line break, as the help of Ladder's own frameworks was always shown.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_MARKDOWN.validateLink = lambda url: url.strip().lower().startswith(_LINK_SCHEMES)  # type: ignore[method-assign]


def _link_open(self, tokens, idx, options, env):
    # A link in the help opens beside the questionnaire, never in place of it.
    tokens[idx].attrSet("target", "_blank")
    tokens[idx].attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


_MARKDOWN.add_render_rule("link_open", _link_open)


@functools.lru_cache(maxsize=2048)
def _rendered(text: str) -> str:
    # A question's help is rendered on every visit of its page, always to the same HTML:
    # once a worker has rendered it, it keeps it (2,048 texts of ~1 KB at most).
    return _MARKDOWN.render(text)


@register.filter
def help_markdown(text: str) -> str:
    """The help text as HTML: paragraphs, line breaks, lists, emphasis, code and links."""
    return mark_safe(_rendered(text))  # html off: every tag in it is escaped
